#include "guard.h"
#include "handles.h"

#include "../optimizer/optimizer_core.h"

#include <cstring>
#include <unordered_set>

using mada::ErrorKind;
using mada::fail;
using mada::c_api::guarded_torch;
using mada::c_api::require_non_null;

namespace {

std::vector<torch::Tensor*> all_params(mada::Mada& opt) {
  std::vector<torch::Tensor*> params;
  for (auto& group : opt.param_groups())
    for (auto& p : group.params()) params.push_back(&p);
  return params;
}

mada::Mada& checked(mada_optimizer* o) {
  require_non_null(o, "optimizer");
  return *o->optimizer;
}

const mada::Mada& checked(const mada_optimizer* o) {
  require_non_null(o, "optimizer");
  return *o->optimizer;
}

torch::optim::OptimizerParamGroup& group_at(mada::Mada& opt, size_t group) {
  if (group >= opt.param_groups().size())
    fail(ErrorKind::InvalidArgument, "group " + std::to_string(group) + " does not exist (the optimizer has " +
                                         std::to_string(opt.param_groups().size()) + ")");
  return opt.param_groups()[group];
}

// The C ABI hands gradients to one step only: they are attached for the call and always
// detached again, so a failed step leaves no trace on the parameters.
class AttachedGradients {
 public:
  AttachedGradients(std::vector<torch::Tensor*> params, mada_tensor* const* grads)
      : params_(std::move(params)) {
    for (size_t i = 0; i < params_.size(); ++i)
      params_[i]->mutable_grad() = grads[i] != nullptr ? grads[i]->tensor : torch::Tensor();
  }
  ~AttachedGradients() {
    for (auto* p : params_) p->mutable_grad() = torch::Tensor();
  }

 private:
  std::vector<torch::Tensor*> params_;
};

// Sets a group's lr and weight decay once they pass the checks a step would make of them, so
// a scheduler that writes a value the step would refuse is told at its write.
void set_group_scalars(mada::Mada& opt, size_t group, double lr, double weight_decay) {
  auto& target = group_at(opt, group);
  torch::optim::OptimizerParamGroup candidate(target.params(),
                                              std::make_unique<mada::MadaOptions>(mada::detail::group_options(target)));
  static_cast<mada::MadaOptions&>(candidate.options()).lr(lr).weight_decay(weight_decay);
  mada::detail::check_group(candidate, opt.options(), group);
  mada::detail::group_options(target).lr(lr).weight_decay(weight_decay);
}

}  // namespace

extern "C" {

mada_status mada_optimizer_create(const mada_options* options, mada_optimizer** out) noexcept {
  return guarded_torch([&] {
    require_non_null(options, "options");
    require_non_null(out, "out");
    auto handle = std::make_unique<mada_optimizer>();
    handle->optimizer = std::make_unique<mada::Mada>(std::vector<torch::optim::OptimizerParamGroup>{},
                                                     mada::c_api::to_options(*options));
    *out = handle.release();
  });
}

void mada_optimizer_destroy(mada_optimizer* optimizer) noexcept { delete optimizer; }

mada_status mada_optimizer_add_group(mada_optimizer* optimizer, mada_tensor* const* params, size_t count,
                                     double lr, double weight_decay) noexcept {
  return guarded_torch([&] {
    mada::Mada& opt = checked(optimizer);
    if (count == 0) fail(ErrorKind::InvalidArgument, "a parameter group needs at least one tensor");
    require_non_null(params, "params");
    auto options = std::make_unique<mada::MadaOptions>(opt.options());
    options->lr(lr).weight_decay(weight_decay);
    std::unordered_set<const void*> seen;
    for (const auto* p : all_params(opt)) seen.insert(p->unsafeGetTensorImpl());
    std::vector<torch::Tensor> tensors;
    for (size_t i = 0; i < count; ++i) {
      if (params[i] == nullptr) fail(ErrorKind::InvalidArgument, "params[" + std::to_string(i) + "] is NULL");
      if (!seen.insert(params[i]->tensor.unsafeGetTensorImpl()).second)
        fail(ErrorKind::InvalidArgument, "params[" + std::to_string(i) + "] is already in a group");
      tensors.push_back(params[i]->tensor);
    }
    torch::optim::OptimizerParamGroup group(std::move(tensors), std::move(options));
    mada::detail::check_group(group, opt.options(), opt.param_groups().size());
    opt.add_param_group(group);
  });
}

mada_status mada_optimizer_group_count(const mada_optimizer* optimizer, size_t* out) noexcept {
  return guarded_torch([&] {
    const mada::Mada& opt = checked(optimizer);
    require_non_null(out, "out");
    *out = opt.param_groups().size();
  });
}

mada_status mada_optimizer_parameter_count(const mada_optimizer* optimizer, size_t* out) noexcept {
  return guarded_torch([&] {
    const mada::Mada& opt = checked(optimizer);
    require_non_null(out, "out");
    size_t n = 0;
    for (const auto& group : opt.param_groups()) n += group.params().size();
    *out = n;
  });
}

mada_status mada_optimizer_lr(const mada_optimizer* optimizer, size_t group, double* out) noexcept {
  return guarded_torch([&] {
    auto& opt = const_cast<mada::Mada&>(checked(optimizer));
    require_non_null(out, "out");
    *out = group_at(opt, group).options().get_lr();
  });
}

mada_status mada_optimizer_set_lr(mada_optimizer* optimizer, size_t group, double lr) noexcept {
  return guarded_torch([&] {
    mada::Mada& opt = checked(optimizer);
    set_group_scalars(opt, group, lr, mada::detail::group_options(group_at(opt, group)).weight_decay());
  });
}

mada_status mada_optimizer_weight_decay(const mada_optimizer* optimizer, size_t group, double* out) noexcept {
  return guarded_torch([&] {
    auto& opt = const_cast<mada::Mada&>(checked(optimizer));
    require_non_null(out, "out");
    *out = static_cast<const mada::MadaOptions&>(group_at(opt, group).options()).weight_decay();
  });
}

mada_status mada_optimizer_set_weight_decay(mada_optimizer* optimizer, size_t group, double weight_decay) noexcept {
  return guarded_torch([&] {
    mada::Mada& opt = checked(optimizer);
    set_group_scalars(opt, group, mada::detail::group_options(group_at(opt, group)).lr(), weight_decay);
  });
}

mada_status mada_optimizer_step(mada_optimizer* optimizer, mada_tensor* const* grads, size_t count) noexcept {
  return guarded_torch([&] {
    mada::Mada& opt = checked(optimizer);
    auto params = all_params(opt);
    if (count != params.size())
      fail(ErrorKind::InvalidArgument, "step got " + std::to_string(count) + " gradients for " +
                                           std::to_string(params.size()) + " parameters");
    if (count > 0) require_non_null(grads, "grads");
    AttachedGradients attached(std::move(params), grads);
    opt.step();
  });
}

mada_status mada_optimizer_coefficients(const mada_optimizer* optimizer, mada_coefficients* out) noexcept {
  return guarded_torch([&] {
    const mada::Mada& opt = checked(optimizer);
    require_non_null(out, "out");
    *out = mada::c_api::to_c(opt.coefficients());
  });
}

mada_status mada_optimizer_hypergradient(const mada_optimizer* optimizer, mada_coefficients* out) noexcept {
  return guarded_torch([&] {
    const mada::Mada& opt = checked(optimizer);
    require_non_null(out, "out");
    *out = mada::c_api::to_c(opt.hypergradient());
  });
}

mada_status mada_optimizer_step_count(const mada_optimizer* optimizer, int64_t* out) noexcept {
  return guarded_torch([&] {
    const mada::Mada& opt = checked(optimizer);
    require_non_null(out, "out");
    *out = opt.step_count();
  });
}

mada_status mada_optimizer_skipped_steps(const mada_optimizer* optimizer, int64_t* out) noexcept {
  return guarded_torch([&] {
    const mada::Mada& opt = checked(optimizer);
    require_non_null(out, "out");
    *out = opt.skipped_steps();
  });
}

mada_status mada_optimizer_grad_norm(const mada_optimizer* optimizer, double* out) noexcept {
  return guarded_torch([&] {
    const mada::Mada& opt = checked(optimizer);
    require_non_null(out, "out");
    *out = opt.grad_norm();
  });
}

mada_status mada_optimizer_save(const mada_optimizer* optimizer, const char* path) noexcept {
  return guarded_torch([&] {
    const mada::Mada& opt = checked(optimizer);
    require_non_null(path, "path");
    mada::save_checkpoint(opt, path);
  });
}

mada_status mada_optimizer_load(mada_optimizer* optimizer, const char* path) noexcept {
  return guarded_torch([&] {
    mada::Mada& opt = checked(optimizer);
    require_non_null(path, "path");
    mada::load_checkpoint(opt, path);
  });
}

mada_status mada_optimizer_save_buffer(const mada_optimizer* optimizer, uint8_t* buffer, size_t capacity,
                                       size_t* size) noexcept {
  return guarded_torch([&] {
    const mada::Mada& opt = checked(optimizer);
    require_non_null(size, "size");
    const std::string bytes = mada::save_to_bytes(opt);
    *size = bytes.size();
    if (buffer == nullptr) return;
    if (capacity < bytes.size())
      fail(ErrorKind::BufferTooSmall, "buffer holds " + std::to_string(capacity) + " bytes, the checkpoint needs " +
                                          std::to_string(bytes.size()));
    std::memcpy(buffer, bytes.data(), bytes.size());
  });
}

mada_status mada_optimizer_load_buffer(mada_optimizer* optimizer, const uint8_t* data, size_t size) noexcept {
  return guarded_torch([&] {
    mada::Mada& opt = checked(optimizer);
    if (size > 0) require_non_null(data, "data");
    mada::load_from_bytes(opt, reinterpret_cast<const char*>(data), size);
  });
}

}  // extern "C"
