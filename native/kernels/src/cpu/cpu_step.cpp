#include "cpu_step.h"

#include "../math/bfloat16.h"
#include "../math/step_scalars.h"
#include "loop_table.h"
#include "thread_pool.h"
#include "../step/range_limits.h"
#include "../text/format_number.h"

#include <mada/error.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

namespace mada::kernels {

namespace {

// A parameter without a gradient did not move: its derivatives are zero for the next step.
template <typename D>
void zero_derivatives(const TensorSlot& s, int64_t begin, int64_t end) {
  D* d = static_cast<D*>(s.d);
  for (size_t k = 0; k < kCoefficientCount; ++k) std::fill(d + k * s.numel + begin, d + k * s.numel + end, D{});
}

std::atomic<const CpuLoops*> overridden{nullptr};

}  // namespace

void override_loops(const CpuLoops* table) { overridden = table; }

const CpuLoops& active_loops() {
  if (const CpuLoops* table = overridden.load()) return *table;
  static const CpuLoops& chosen = []() -> const CpuLoops& {
    const char* forced = std::getenv("MADA_CPU_KERNEL");
    const CpuLoops* avx2 = avx2_loops();
    if (avx2 != nullptr && !(forced != nullptr && std::strcmp(forced, "baseline") == 0)) return *avx2;
    return baseline_loops();
  }();
  return chosen;
}

CpuStep::Start CpuStep::begin(HyperState& state, const StepOptions& o, const Parallel& parallel) {
  // One rank of a sharded run may hold no slice with a gradient (or none at all) while the
  // others do: it still joins the sums across ranks, as every rank must.
  if (!across_ranks && std::none_of(slots.begin(), slots.end(), [](const TensorSlot& s) { return s.has_grad(); }))
    return Start::NoGradient;
  state.prev_lr.resize(group_lr.size(), 0.0);
  reduction_ = reduce(state.prev_lr, parallel);
  if (across_ranks) across_ranks(reduction_);
  const std::string problem = out_of_range(o);
  if (problem.empty()) return Start::Update;
  if (o.non_finite() == NonFinitePolicy::Skip) {
    ++state.skipped;
    return Start::Skip;
  }
  fail(ErrorKind::NonFinite, "MADA step refused: " + problem +
                                 " (nothing was changed; set non_finite to skip to drop such steps)");
}

// Why this step would store something non-finite, or "" when it cannot: a NaN or Inf
// gradient, a gradient too large for its tensor's second moment, or an lr that could carry a
// parameter past its type's range. Formatted only when refusing.
std::string CpuStep::out_of_range(const StepOptions& o) const {
  const Reduction& r = reduction_;
  bool finite = std::isfinite(r.sq_norm);
  for (double dot : r.scaled_dot) finite = finite && std::isfinite(dot);
  if (!finite) return "a gradient holds NaN or Inf";
  auto type_of = [](const TensorSlot& s) { return std::string(s.is_double ? "float64" : "float32"); };
  if (r.worst_ratio > 1.0 && r.worst_slot < 0)
    return "another rank's slice of the gradient holds an element too large for its second moment";
  if (r.worst_ratio > 1.0) {
    const TensorSlot& s = slots[r.worst_slot];
    return "the gradient of parameter " + std::to_string(r.worst_slot) + " holds an element of magnitude " +
           format_number(r.worst_grad, 3) + ", above " + format_number(gradient_limit(s.is_double), 3) +
           ", the largest whose square its " + type_of(s) + " second moment can hold";
  }
  const double lr_max[2] = {lr_limit(o, false), lr_limit(o, true)};  // float, double
  for (size_t i = 0; i < slots.size(); ++i) {
    const TensorSlot& s = slots[i];
    if (s.has_grad() && s.lr > lr_max[s.is_double])
      return "parameter " + std::to_string(i) + " would step with lr " + format_number(s.lr, 3) + ", above " +
             format_number(lr_max[s.is_double], 3) + ", the largest that keeps a " + type_of(s) +
             " parameter finite for any gradient within range at these bounds and eps";
    // p (1 - lr wd) is no larger than p only while lr wd <= 2: above, the decay itself grows
    // every parameter at every step, and the lr bound above no longer holds.
    if (s.has_grad() && s.decay > kDecayLimit)
      return "parameter " + std::to_string(i) + " would decay with lr x weight_decay = " + format_number(s.decay, 3) +
             ", above " + format_number(kDecayLimit, 3) + ", where the decay grows the parameter at every step";
  }
  return "";
}

void CpuStep::finish(HyperState& state, const StepOptions& o, const Parallel& parallel) {
  const Coefficients h = hypergradient(reduction_);
  if (state.t >= 1) state.q = hyper_step(state.q, h, o);
  state.h = h;
  ++state.t;
  state.grad_norm = std::sqrt(reduction_.sq_norm);
  const double grad_scale =
      o.grad_clip() > 0.0 ? std::min(1.0, o.grad_clip() / (state.grad_norm + 1e-6)) : 1.0;
  update(step_scalars(state.q, o, state.t), grad_scale, o.mode(), parallel);
  state.prev_lr = group_lr;
}

void CpuStep::plan_blocks() {
  blocks_.clear();
  for (size_t i = 0; i < slots.size(); ++i) {
    for (int64_t b = 0; b < slots[i].numel; b += kBlock)
      blocks_.push_back({static_cast<int32_t>(i), b, std::min(b + kBlock, slots[i].numel)});
  }
  partials_.resize(blocks_.size() * kPartialCount);
}

Reduction CpuStep::reduce(const std::vector<double>& prev_lr, const Parallel& parallel) {
  plan_blocks();
  const CpuLoops& loops = active_loops();
  parallel.parallel_for(static_cast<int64_t>(blocks_.size()), [&](int64_t lo, int64_t hi) {
    for (int64_t b = lo; b < hi; ++b) {
      const Block& blk = blocks_[b];
      const TensorSlot& s = slots[blk.slot];
      double* out = &partials_[b * kPartialCount];
      if (s.has_grad()) {
        loops.reduce(s, blk.begin, blk.end, out);
      } else {
        std::fill(out, out + kPartialCount, 0.0);
      }
    }
  });
  Reduction r;
  const double limit[2] = {gradient_limit(false), gradient_limit(true)};  // float, double
  for (size_t b = 0; b < blocks_.size(); ++b) {
    const TensorSlot& s = slots[blocks_[b].slot];
    const double* part = &partials_[b * kPartialCount];
    if (s.has_state()) {
      const double alpha = prev_lr[s.group];
      for (int k = 0; k < kNormPartial; ++k) r.scaled_dot[k] += alpha * part[k];
    }
    r.sq_norm += part[kNormPartial];
    const double ratio = part[kMaxAbsPartial] / limit[s.is_double];
    if (ratio > r.worst_ratio) {
      r.worst_ratio = ratio;
      r.worst_grad = part[kMaxAbsPartial];
      r.worst_slot = blocks_[b].slot;
    }
  }
  return r;
}

void CpuStep::update(const StepScalars<double>& scalars, double grad_scale, Mode mode, const Parallel& parallel) {
  const bool paper = mode == Mode::Paper;
  const CpuLoops& loops = active_loops();
  parallel.parallel_for(static_cast<int64_t>(blocks_.size()), [&](int64_t lo, int64_t hi) {
    for (int64_t b = lo; b < hi; ++b) {
      const Block& blk = blocks_[b];
      const TensorSlot& s = slots[blk.slot];
      if (s.has_grad()) {
        loops.update(scalars, grad_scale, paper, s, blk.begin, blk.end);
      } else if (s.d != nullptr) {
        if (s.compact) {
          zero_derivatives<BFloat16>(s, blk.begin, blk.end);
        } else {
          s.is_double ? zero_derivatives<double>(s, blk.begin, blk.end)
                      : zero_derivatives<float>(s, blk.begin, blk.end);
        }
      }
    }
  });
}

}  // namespace mada::kernels
