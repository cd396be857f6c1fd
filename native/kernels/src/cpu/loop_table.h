// The CPU step's element loops for one instruction set, chosen once at start-up.
#pragma once

#include "../math/element_update.h"
#include "../step/tensor_slot.h"

namespace mada::kernels {

struct CpuLoops {
  const char* name;  // "baseline" (x86-64 SSE2) or "avx2"
  // Pass 1 over elements [begin, end) of a slot with a gradient: six dots and the squared norm.
  void (*reduce)(const TensorSlot& s, int64_t begin, int64_t end, double* out);
  // Pass 2 over elements [begin, end) of a slot with a gradient.
  void (*update)(const StepScalars<double>& scalars, double grad_scale, bool paper, const TensorSlot& s,
                 int64_t begin, int64_t end);
};

const CpuLoops& baseline_loops();
// Null where the build or the processor has no AVX2.
const CpuLoops* avx2_loops();

// The table step() uses: AVX2 where the processor has it; MADA_CPU_KERNEL=baseline forces the
// baseline.
const CpuLoops& active_loops();

// For tests, which compare the tables bit for bit: use `table` from now on (null: automatic).
void override_loops(const CpuLoops* table);

}  // namespace mada::kernels
