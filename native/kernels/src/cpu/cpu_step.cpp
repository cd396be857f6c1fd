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
  // Thrown again at every call while the variable is wrong: a static that fails to initialise
  // is initialised again the next time.
  static const CpuLoops& chosen = []() -> const CpuLoops& {
    const char* forced = std::getenv("MADA_CPU_KERNEL");
    const CpuLoops* widest = avx512_loops() != nullptr ? avx512_loops() : avx2_loops();
    if (forced == nullptr || *forced == '\0') return widest != nullptr ? *widest : baseline_loops();
    const std::string name = forced;
    const CpuLoops* table = name == "baseline" ? &baseline_loops()
                            : name == "avx2"   ? avx2_loops()
                            : name == "avx512" ? avx512_loops()
                                               : nullptr;
    if (name != "baseline" && name != "avx2" && name != "avx512")
      fail(ErrorKind::InvalidArgument, "MADA_CPU_KERNEL=" + name + " names no CPU kernel (baseline, avx2 or avx512)");
    if (table == nullptr)
      fail(ErrorKind::Unsupported, "MADA_CPU_KERNEL=" + name + ": this processor, its OS or this build lacks " + name);
    return *table;
  }();
  return chosen;
}

CpuStep::Start CpuStep::begin(HyperState& state, const StepOptions& o, const Parallel& parallel) {
  // One rank of a sharded run may hold no slice with a gradient (or none at all) while the
  // others do: it still joins the sums across ranks, as every rank must.
  if (!across_ranks && std::none_of(slots.begin(), slots.end(), [](const TensorSlot& s) { return s.has_grad(); }))
    return Start::NoGradient;
  // A group's lr and decay are checked where they enter; a front whose groups can be changed
  // from outside (torch's param_groups) reaches here with whatever was written, and that is a
  // caller's error whatever the non-finite policy, never a skipped step.
  for (const TensorSlot& s : slots) {
    if (!s.has_grad()) continue;
    const std::string problem = lr_and_decay_problem(o, s.lr, s.decay, s.is_double);
    if (!problem.empty()) fail(ErrorKind::InvalidArgument, "group " + std::to_string(s.group) + ": " + problem);
  }
  state.prev_lr.resize(group_lr.size(), 0.0);
  reduction_ = reduce(state.prev_lr, parallel);
  if (across_ranks) across_ranks(reduction_);
  const std::string problem = out_of_range();
  if (problem.empty()) return Start::Update;
  if (o.non_finite() == NonFinitePolicy::Skip) {
    ++state.skipped;
    return Start::Skip;
  }
  fail(ErrorKind::NonFinite, "MADA step refused: " + problem +
                                 " (nothing was changed; set non_finite to skip to drop such steps)");
}

// Why this step's gradients would store something non-finite, or "" when they cannot: a NaN
// or Inf gradient, or one too large for its tensor's second moment (whose square is not finite
// in the state's type). Formatted only when refusing. The non-finite policy applies to these.
std::string CpuStep::out_of_range() const {
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
