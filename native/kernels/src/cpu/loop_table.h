// The CPU step's element loops for one instruction set, chosen once at start-up.
#pragma once

#include "../math/bfloat16.h"
#include "../math/element_update.h"
#include "../step/tensor_slot.h"

namespace mada::kernels {

struct CpuLoops {
  const char* name;  // "baseline" (x86-64 SSE2), "avx2" or "avx512"
  // Pass 1 over elements [begin, end) of a slot with a gradient: six dots and the squared norm.
  void (*reduce)(const TensorSlot& s, int64_t begin, int64_t end, double* out);
  // Pass 2 over elements [begin, end) of a slot with a gradient.
  void (*update)(const StepScalars<double>& scalars, double grad_scale, bool paper, const TensorSlot& s,
                 int64_t begin, int64_t end);
  // The compact state's rounding of a float row to bfloat16, as pass 2 does it: every
  // variant's gives to_bfloat16's bits (math/bfloat16.h). For the tests.
  void (*store_bfloat16)(const float* in, BFloat16* out, int64_t len);
};

const CpuLoops& baseline_loops();
// Null where the build or the processor has no AVX2 (cpu_features.h).
const CpuLoops* avx2_loops();
// Null where the build or the processor has no AVX-512 F/BW/DQ/VL, or the OS does not save zmm.
const CpuLoops* avx512_loops();

// The table step() uses: the widest the processor has, or the one MADA_CPU_KERNEL names
// (baseline, avx2 or avx512: for tests and benchmarks). mada::Error(InvalidArgument) for another
// value, (Unsupported) for a variant this processor or build lacks.
const CpuLoops& active_loops();

// For tests, which compare the tables bit for bit: use `table` from now on (null: automatic).
void override_loops(const CpuLoops* table);

}  // namespace mada::kernels
