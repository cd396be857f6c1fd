// Saving and loading mada::Mada through libtorch archives. Flat keys in one archive:
// libtorch 1.13 restores no param-group options, so the coefficients, step count and group
// scalars are entries of their own.
#include "optimizer_core.h"

#include "../io/archive_io.h"

namespace mada {

namespace {

using detail::read_entry;

constexpr int64_t kFormatVersion = 1;

torch::Tensor doubles(const std::vector<double>& v) {
  return torch::tensor(v, torch::kDouble);
}

torch::Tensor coefficient_tensor(const Coefficients& c) {
  return doubles({c.beta1, c.beta2, c.beta3, c.rho, c.c, c.gamma});
}

torch::Tensor int64s(const std::vector<int64_t>& v) { return torch::tensor(v, torch::kLong); }

std::string state_entry(size_t index, const char* buffer) {
  return "state_" + std::to_string(index) + "_" + buffer;
}

constexpr const char* kBuffers[] = {"m", "v", "vbar", "n", "mL", "gprev", "d"};

torch::Tensor* buffer_of(MadaParamState& s, size_t b) {
  torch::Tensor* all[] = {&s.m, &s.v, &s.vbar, &s.n, &s.mL, &s.gprev, &s.d};
  return all[b];
}

Coefficients read_coefficients(torch::serialize::InputArchive& archive, const std::string& key) {
  torch::Tensor t = read_entry(archive, key, torch::kDouble, 6);
  Coefficients c;
  for (std::size_t k = 0; k < kCoefficientCount; ++k) c[k] = t[k].item<double>();
  return c;
}

}  // namespace

void Mada::save(torch::serialize::OutputArchive& archive) const {
  const kernels::HyperState& hyper = core_->hyper;
  std::vector<double> lrs, decays, prev;
  std::vector<int64_t> sizes, has_state;
  for (size_t gi = 0; gi < param_groups_.size(); ++gi) {
    const auto& group = param_groups_[gi];
    const auto& go = static_cast<const MadaOptions&>(group.options());
    lrs.push_back(go.lr());
    decays.push_back(go.weight_decay());
    prev.push_back(gi < hyper.prev_lr.size() ? hyper.prev_lr[gi] : 0.0);
    sizes.push_back(static_cast<int64_t>(group.params().size()));
  }
  archive.write("mada_format", int64s({kFormatVersion}));
  archive.write("mada_mode", int64s({static_cast<int64_t>(options().mode())}));
  archive.write("mada_step", int64s({hyper.t, hyper.skipped}));
  archive.write("mada_q", coefficient_tensor(hyper.q));
  archive.write("mada_h", coefficient_tensor(hyper.h));
  archive.write("mada_grad_norm", doubles({hyper.grad_norm}));
  archive.write("groups_lr", doubles(lrs));
  archive.write("groups_weight_decay", doubles(decays));
  archive.write("groups_prev_lr", doubles(prev));
  archive.write("groups_size", int64s(sizes));
  size_t index = 0;
  std::vector<int64_t> numels;
  for (const auto& group : param_groups_) {
    for (const auto& p : group.params()) {
      numels.push_back(p.numel());
      auto it = state_.find(state_key(p));
      has_state.push_back(it != state_.end());
      if (it != state_.end()) {
        auto& s = static_cast<MadaParamState&>(*it->second);
        for (size_t b = 0; b < std::size(kBuffers); ++b) {
          const torch::Tensor& t = *buffer_of(s, b);
          if (t.defined()) archive.write(state_entry(index, kBuffers[b]), t.reshape({-1}));
        }
      }
      ++index;
    }
  }
  archive.write("params_numel", int64s(numels));
  archive.write("params_has_state", int64s(has_state));
}

void Mada::load(torch::serialize::InputArchive& archive) {
  kernels::HyperState& hyper = core_->hyper;
  const MadaOptions& o = options();
  // Read and check everything into locals first: a bad archive changes nothing.
  const torch::Tensor format = read_entry(archive, "mada_format", torch::kLong, 1);
  if (format.item<int64_t>() != kFormatVersion)
    fail(ErrorKind::Checkpoint, "checkpoint format " + std::to_string(format.item<int64_t>()) +
                                    " is not the supported format " + std::to_string(kFormatVersion));
  const int64_t mode = read_entry(archive, "mada_mode", torch::kLong, 1).item<int64_t>();
  if (mode != static_cast<int64_t>(o.mode()))
    fail(ErrorKind::Checkpoint, std::string("checkpoint was saved in ") +
                                    (mode == 0 ? "paper" : "reference") +
                                    " mode, this optimizer runs in the other mode");
  const torch::Tensor steps = read_entry(archive, "mada_step", torch::kLong, 2);
  const Coefficients q = read_coefficients(archive, "mada_q");
  const Coefficients h = read_coefficients(archive, "mada_h");
  const double norm = read_entry(archive, "mada_grad_norm", torch::kDouble, 1).item<double>();
  const int64_t groups = static_cast<int64_t>(param_groups_.size());
  const torch::Tensor sizes = read_entry(archive, "groups_size");
  if (sizes.scalar_type() != torch::kLong || sizes.numel() != groups)
    fail(ErrorKind::Checkpoint, "checkpoint has " + std::to_string(sizes.numel()) +
                                    " parameter groups, this optimizer has " + std::to_string(groups));
  for (int64_t gi = 0; gi < groups; ++gi) {
    if (sizes[gi].item<int64_t>() != static_cast<int64_t>(param_groups_[gi].params().size()))
      fail(ErrorKind::Checkpoint, "parameter group " + std::to_string(gi) + " holds " +
                                      std::to_string(param_groups_[gi].params().size()) +
                                      " tensors, the checkpoint's holds " +
                                      std::to_string(sizes[gi].item<int64_t>()));
  }
  const torch::Tensor lrs = read_entry(archive, "groups_lr", torch::kDouble, groups);
  const torch::Tensor decays = read_entry(archive, "groups_weight_decay", torch::kDouble, groups);
  const torch::Tensor prev = read_entry(archive, "groups_prev_lr", torch::kDouble, groups);

  std::vector<const torch::Tensor*> params;
  for (const auto& group : param_groups_)
    for (const auto& p : group.params()) params.push_back(&p);
  const int64_t count = static_cast<int64_t>(params.size());
  const torch::Tensor numels = read_entry(archive, "params_numel", torch::kLong, count);
  const torch::Tensor has_state = read_entry(archive, "params_has_state", torch::kLong, count);
  std::vector<std::unique_ptr<MadaParamState>> states(params.size());
  for (int64_t i = 0; i < count; ++i) {
    const torch::Tensor& p = *params[i];
    detail::check_param(p, "parameter " + std::to_string(i));
    if (numels[i].item<int64_t>() != p.numel())
      fail(ErrorKind::Checkpoint, "parameter " + std::to_string(i) + " has " +
                                      std::to_string(p.numel()) + " elements, the checkpoint's has " +
                                      std::to_string(numels[i].item<int64_t>()));
    if (has_state[i].item<int64_t>() == 0) continue;
    auto s = std::make_unique<MadaParamState>();
    for (size_t b = 0; b < std::size(kBuffers); ++b) {
      const bool is_d = b + 1 == std::size(kBuffers);
      if (std::string(kBuffers[b]) == "gprev" && o.mode() == Mode::Reference) continue;
      torch::Tensor t = read_entry(archive, state_entry(i, kBuffers[b]), detail::state_dtype(p),
                                   (is_d ? kCoefficientCount : 1) * p.numel());
      *buffer_of(*s, b) = is_d ? t.reshape({static_cast<int64_t>(kCoefficientCount), p.numel()}).clone() : t.clone();
    }
    detail::check_state(*s, p, o.mode(), "parameter " + std::to_string(i), ErrorKind::Checkpoint);
    states[i] = std::move(s);
  }
  for (std::size_t k = 0; k < kCoefficientCount; ++k) {
    if (!std::isfinite(q[k]) || !std::isfinite(h[k]))
      fail(ErrorKind::Checkpoint, "checkpoint coefficients are not finite");
  }
  for (int64_t gi = 0; gi < groups; ++gi) {
    MadaOptions candidate = detail::group_options(param_groups_[gi]);
    candidate.lr(lrs[gi].item<double>()).weight_decay(decays[gi].item<double>());
    try {
      candidate.validate_group();
    } catch (const Error& e) {
      fail(ErrorKind::Checkpoint, std::string("checkpoint group options: ") + e.what());
    }
  }

  // Commit.
  for (int64_t gi = 0; gi < groups; ++gi) {
    detail::group_options(param_groups_[gi]).lr(lrs[gi].item<double>()).weight_decay(decays[gi].item<double>());
  }
  hyper.prev_lr.assign(prev.data_ptr<double>(), prev.data_ptr<double>() + groups);
  for (int64_t i = 0; i < count; ++i) {
    const auto key = state_key(*params[i]);
    if (states[i])
      state_[key] = std::move(states[i]);
    else
      state_.erase(key);
  }
  hyper.q = q;
  hyper.h = h;
  hyper.t = steps[0].item<int64_t>();
  hyper.skipped = steps[1].item<int64_t>();
  hyper.grad_norm = norm;
}

}  // namespace mada
