#include "vector_replay.h"

namespace mada::testing {

namespace {

torch::Tensor values(const std::vector<float>& v, const std::vector<int64_t>& shape, torch::Dtype dtype) {
  return torch::tensor(v, torch::kFloat).reshape(shape).to(dtype);
}

}  // namespace

torch::Tensor quadratic_gradient(const VectorTensor& tensor, const std::vector<float>& noise,
                                 const torch::Tensor& x) {
  const auto dtype = x.scalar_type();
  return values(tensor.a, tensor.shape, dtype) * (x - values(tensor.b, tensor.shape, dtype)) +
         values(noise, tensor.shape, dtype);
}

VectorReplay::VectorReplay(const VectorFile& file, torch::Dtype dtype)
    : file_(file), dtype_(dtype), check_(file, required_tolerances(dtype == torch::kDouble)) {
  std::vector<torch::optim::OptimizerParamGroup> groups;
  for (const VectorTensor& t : file.tensors) {
    params_.push_back(values(t.x0, t.shape, dtype).clone());
    auto options = std::make_unique<MadaOptions>(file.options);
    options->weight_decay(t.weight_decay);
    groups.emplace_back(std::vector<torch::Tensor>{params_.back()}, std::move(options));
  }
  optimizer_ = std::make_unique<Mada>(std::move(groups), file.options);
}

std::string VectorReplay::run_step(int64_t t) {
  const VectorStep& expected = file_.steps.at(t - 1);
  for (auto& group : optimizer_->param_groups()) group.options().set_lr(expected.lr);
  for (size_t i = 0; i < params_.size(); ++i)
    params_[i].mutable_grad() = quadratic_gradient(file_.tensors[i], file_.noise.at(t - 1)[i], params_[i]);
  optimizer_->step();
  std::vector<std::vector<double>> x;
  for (const auto& p : params_) {
    const torch::Tensor flat = p.to(torch::kDouble).reshape({-1}).contiguous();
    x.emplace_back(flat.data_ptr<double>(), flat.data_ptr<double>() + flat.numel());
  }
  return check_.check(t, x, optimizer_->coefficients(), optimizer_->hypergradient(), optimizer_->grad_norm());
}

}  // namespace mada::testing
