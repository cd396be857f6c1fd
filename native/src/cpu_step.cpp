#include "cpu_step.h"

#include "cpu_kernel_table.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace mada::detail {

StepScalars<double> step_scalars(const Coefficients& q, const MadaOptions& o, int64_t t) {
  const double td = static_cast<double>(t);
  const double bias1 = 1.0 - std::pow(q.beta1, td), bias2 = 1.0 - std::pow(q.beta2, td);
  const double r = o.mode() == Mode::Paper ? q.rho + (1.0 - q.rho) / td : q.rho;
  StepScalars<double> s{};
  s.beta1 = q.beta1;
  s.beta2 = q.beta2;
  s.beta3 = q.beta3;
  s.rho = q.rho;
  s.c = q.c;
  s.gamma = q.gamma;
  s.lion_beta1 = o.lion_beta1();
  s.lion_beta2 = o.lion_beta2();
  s.eps = o.eps();
  s.t = td;
  s.inv_t = 1.0 / td;
  s.inv_bias1 = 1.0 / bias1;
  s.inv_bias2 = 1.0 / bias2;
  s.dmhat_dm = td * std::pow(q.beta1, td - 1.0) / (bias1 * bias1);
  s.dvhat_dmix = td * std::pow(q.beta2, td - 1.0) / (bias2 * bias2);
  s.r_inv_bias2 = r / bias2;
  return s;
}

namespace {

// A parameter without a gradient did not move: its derivatives are zero for the next step.
template <typename T>
void zero_derivatives(const ParamSlot& s, int64_t begin, int64_t end) {
  T* d = static_cast<T*>(s.d);
  for (int k = 0; k < 6; ++k) std::fill(d + k * s.numel + begin, d + k * s.numel + end, T(0));
}

}  // namespace

namespace {
std::atomic<const CpuKernelTable*> overridden{nullptr};
}

void override_kernels(const CpuKernelTable* table) { overridden = table; }

const CpuKernelTable& active_kernels() {
  if (const CpuKernelTable* table = overridden.load()) return *table;
  static const CpuKernelTable& chosen = [] () -> const CpuKernelTable& {
    const char* forced = std::getenv("MADA_CPU_KERNEL");
    const CpuKernelTable* avx2 = avx2_kernels();
    if (avx2 != nullptr && !(forced != nullptr && std::strcmp(forced, "baseline") == 0)) return *avx2;
    return baseline_kernels();
  }();
  return chosen;
}

void StepWorkspace::plan_blocks() {
  blocks_.clear();
  for (size_t i = 0; i < slots.size(); ++i) {
    for (int64_t b = 0; b < slots[i].numel; b += kBlock)
      blocks_.push_back({static_cast<int32_t>(i), b, std::min(b + kBlock, slots[i].numel)});
  }
  partials_.resize(blocks_.size() * 7);
}

Reduction StepWorkspace::reduce(const std::vector<double>& prev_lr) {
  plan_blocks();
  const CpuKernelTable& kernels = active_kernels();
  at::parallel_for(0, static_cast<int64_t>(blocks_.size()), 1, [&](int64_t lo, int64_t hi) {
    for (int64_t b = lo; b < hi; ++b) {
      const Block& blk = blocks_[b];
      const ParamSlot& s = slots[blk.slot];
      double* out = &partials_[b * 7];
      if (s.has_grad()) {
        kernels.reduce(s, blk.begin, blk.end, out);
      } else {
        std::fill(out, out + 7, 0.0);
      }
    }
  });
  Reduction r;
  for (size_t b = 0; b < blocks_.size(); ++b) {
    const ParamSlot& s = slots[blocks_[b].slot];
    const double* part = &partials_[b * 7];
    if (s.has_state()) {
      const double alpha = prev_lr[s.group];
      for (int k = 0; k < 6; ++k) r.scaled_dot[k] += alpha * part[k];
    }
    r.sq_norm += part[6];
  }
  return r;
}

void StepWorkspace::update(const StepScalars<double>& scalars, double grad_scale, Mode mode) {
  const bool paper = mode == Mode::Paper;
  const CpuKernelTable& kernels = active_kernels();
  at::parallel_for(0, static_cast<int64_t>(blocks_.size()), 1, [&](int64_t lo, int64_t hi) {
    for (int64_t b = lo; b < hi; ++b) {
      const Block& blk = blocks_[b];
      const ParamSlot& s = slots[blk.slot];
      if (s.has_grad()) {
        kernels.update(scalars, grad_scale, paper, s, blk.begin, blk.end);
      } else if (s.d != nullptr) {
        s.is_double ? zero_derivatives<double>(s, blk.begin, blk.end)
                    : zero_derivatives<float>(s, blk.begin, blk.end);
      }
    }
  });
}

}  // namespace mada::detail
