#include "vector_replay.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace mada::testing {

namespace {

torch::Tensor floats(const std::vector<float>& v, const std::vector<int64_t>& shape) {
  return torch::tensor(v, torch::kFloat).reshape(shape);
}

}  // namespace

torch::Tensor quadratic_gradient(const VectorTensor& tensor, const std::vector<float>& noise,
                                 const torch::Tensor& x) {
  return floats(tensor.a, tensor.shape) * (x - floats(tensor.b, tensor.shape)) +
         floats(noise, tensor.shape);
}

VectorReplay::VectorReplay(const VectorFile& file) : file_(file) {
  std::vector<torch::optim::OptimizerParamGroup> groups;
  for (const VectorTensor& t : file.tensors) {
    params_.push_back(floats(t.x0, t.shape).clone());
    auto options = std::make_unique<MadaOptions>(file.options);
    options->weight_decay(t.weight_decay);
    groups.emplace_back(std::vector<torch::Tensor>{params_.back()}, std::move(options));
  }
  optimizer_ = std::make_unique<Mada>(std::move(groups), file.options);
  for (std::size_t k = 0; k < kCoefficientCount; ++k) {
    for (const VectorStep& s : file.steps) h_scale_[k] = std::max(h_scale_[k], std::abs(s.hypergrad[k]));
  }
}

std::string VectorReplay::run_step(int64_t t) {
  const VectorStep& expected = file_.steps.at(t - 1);
  for (auto& group : optimizer_->param_groups()) group.options().set_lr(expected.lr);
  for (size_t i = 0; i < params_.size(); ++i)
    params_[i].mutable_grad() = quadratic_gradient(file_.tensors[i], file_.noise.at(t - 1)[i], params_[i]);
  optimizer_->step();

  std::ostringstream problems;
  problems.precision(9);
  const double norm = optimizer_->grad_norm();
  if (std::abs(norm - expected.grad_norm) > 1e-4 * std::abs(expected.grad_norm))
    problems << " grad_norm " << norm << " != " << expected.grad_norm << ";";
  for (std::size_t k = 0; k < kCoefficientCount; ++k) {
    const double q = optimizer_->coefficients()[k];
    if (!(std::abs(q - expected.q[k]) <= 1e-4))
      problems << " q." << kCoefficientNames[k] << " " << q << " != " << expected.q[k] << ";";
    const double h = optimizer_->hypergradient()[k];
    const double tol = h_scale_[k] > 0 ? 1e-3 * h_scale_[k] : 1e-6;
    if (!(std::abs(h - expected.hypergrad[k]) <= tol))
      problems << " h." << kCoefficientNames[k] << " " << h << " != " << expected.hypergrad[k]
               << " (tolerance " << tol << ");";
  }
  double worst = 0.0, scale = 0.0;
  for (size_t i = 0; i < params_.size(); ++i) {
    const torch::Tensor x = params_[i].to(torch::kDouble).reshape({-1});
    const std::vector<double>& want = expected.x[i];
    if (static_cast<int64_t>(want.size()) != x.numel())
      return "step " + std::to_string(t) + ": the file's x has the wrong size";
    const double* got = x.data_ptr<double>();
    for (size_t j = 0; j < want.size(); ++j) {
      worst = std::max(worst, std::abs(got[j] - want[j]));
      scale = std::max(scale, std::abs(want[j]));
    }
  }
  if (!(worst <= 1e-4 * scale)) problems << " x off by " << worst << " (max |x| " << scale << ");";
  const std::string found = problems.str();
  return found.empty() ? "" : "step " + std::to_string(t) + ":" + found;
}

}  // namespace mada::testing
