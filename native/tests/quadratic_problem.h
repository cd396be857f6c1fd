// A seeded random quadratic objective over several tensors, the same kind of problem as the
// shared vectors: L_t(x) = sum 0.5 * a * (x - b)^2 + xi_t * x, gradient a * (x - b) + xi_t.
#pragma once

#include <mada/optimizer.h>

#include <torch/torch.h>

#include <vector>

namespace mada::testing {

class QuadraticProblem {
 public:
  QuadraticProblem(std::vector<std::vector<int64_t>> shapes, torch::Dtype dtype, uint64_t seed,
                   int64_t max_steps = 128)
      : dtype_(dtype) {
    torch::manual_seed(seed);
    for (const auto& shape : shapes) {
      x0_.push_back(torch::randn(shape, dtype));
      a_.push_back(torch::rand(shape, dtype) * 1.5 + 0.5);
      b_.push_back(torch::randn(shape, dtype));
    }
    for (int64_t t = 0; t < max_steps; ++t) {
      std::vector<torch::Tensor> step;
      for (const auto& shape : shapes) step.push_back(0.5 * torch::randn(shape, dtype));
      noise_.push_back(std::move(step));
    }
  }

  std::vector<torch::Tensor> initial_params() const {
    std::vector<torch::Tensor> params;
    for (const auto& x : x0_) params.push_back(x.clone());
    return params;
  }

  // Sets each parameter's .grad() to the gradient of L_t at its current value.
  void set_gradients(std::vector<torch::Tensor>& params, int64_t t) const {
    for (size_t i = 0; i < params.size(); ++i)
      params[i].mutable_grad() = a_[i] * (params[i].detach() - b_[i]) + noise_.at(t - 1)[i];
  }

  double loss(const std::vector<torch::Tensor>& params, int64_t t) const {
    double total = 0.0;
    for (size_t i = 0; i < params.size(); ++i) {
      const torch::Tensor x = params[i].to(torch::kDouble);
      total += (0.5 * a_[i].to(torch::kDouble) * (x - b_[i].to(torch::kDouble)).pow(2) +
                noise_.at(t - 1)[i].to(torch::kDouble) * x)
                   .sum()
                   .item<double>();
    }
    return total;
  }

  torch::Dtype dtype() const { return dtype_; }

 private:
  torch::Dtype dtype_;
  std::vector<torch::Tensor> x0_, a_, b_;
  std::vector<std::vector<torch::Tensor>> noise_;
};

inline std::vector<torch::Tensor> clones(const std::vector<torch::Tensor>& tensors) {
  std::vector<torch::Tensor> out;
  for (const auto& t : tensors) out.push_back(t.detach().clone());
  return out;
}

inline bool all_equal(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!torch::equal(a[i], b[i])) return false;
  return true;
}

// A copy of everything an optimizer holds, to show that a failed call changed nothing.
struct OptimizerSnapshot {
  explicit OptimizerSnapshot(const Mada& opt)
      : q(opt.coefficients()), h(opt.hypergradient()), t(opt.step_count()),
        skipped(opt.skipped_steps()) {
    for (const auto& group : opt.param_groups()) {
      lrs.push_back(group.options().get_lr());
      for (const auto& p : group.params()) {
        std::vector<torch::Tensor> buffers;
        if (const MadaParamState* s = opt.state_of(p)) {
          for (const auto* b : {&s->m, &s->v, &s->vbar, &s->n, &s->mL, &s->gprev, &s->d})
            buffers.push_back(b->defined() ? b->clone() : torch::Tensor());
        }
        state.push_back(std::move(buffers));
      }
    }
  }

  bool operator==(const OptimizerSnapshot& o) const {
    if (q != o.q || h != o.h || t != o.t || skipped != o.skipped || lrs != o.lrs) return false;
    if (state.size() != o.state.size()) return false;
    for (size_t i = 0; i < state.size(); ++i) {
      if (state[i].size() != o.state[i].size()) return false;
      for (size_t b = 0; b < state[i].size(); ++b) {
        if (state[i][b].defined() != o.state[i][b].defined()) return false;
        if (state[i][b].defined() && !torch::equal(state[i][b], o.state[i][b])) return false;
      }
    }
    return true;
  }

  Coefficients q, h;
  int64_t t, skipped;
  std::vector<double> lrs;
  std::vector<std::vector<torch::Tensor>> state;
};

}  // namespace mada::testing
