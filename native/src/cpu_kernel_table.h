// The CPU step's element loops for one instruction set, chosen once at start-up.
#pragma once

#include "step_plan.h"

namespace mada::detail {

struct CpuKernelTable {
  const char* name;  // "baseline" (x86-64 SSE2) or "avx2"
  // Pass 1 over elements [begin, end) of a slot with a gradient: six dots and the squared norm.
  void (*reduce)(const ParamSlot& s, int64_t begin, int64_t end, double* out);
  // Pass 2 over elements [begin, end) of a slot with a gradient.
  void (*update)(const StepScalars<double>& scalars, double grad_scale, bool paper, const ParamSlot& s,
                 int64_t begin, int64_t end);
};

const CpuKernelTable& baseline_kernels();
// Null where the build or the processor has no AVX2.
const CpuKernelTable* avx2_kernels();

// The table step() uses: AVX2 where the processor has it; MADA_CPU_KERNEL=baseline forces the
// baseline.
const CpuKernelTable& active_kernels();

// For tests, which compare the tables bit for bit: use `table` from now on (null: automatic).
void override_kernels(const CpuKernelTable* table);

}  // namespace mada::detail
