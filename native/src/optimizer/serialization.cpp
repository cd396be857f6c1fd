// Saving and loading mada::Mada: flat keys in one tensor store (libtorch 1.13's archives
// restore no param-group options, so the coefficients, step count and group scalars are
// entries of their own), and the checkpoint files and buffers in libmada's own format.
#include "state_io.h"

#include "optimizer_core.h"

#include "../io/checkpoint_file.h"

#include "kernels/src/step/loaded_state.h"
#include "kernels/src/step/range_limits.h"

namespace mada {

namespace {

using detail::TensorReader;
using detail::TensorWriter;

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

Coefficients read_coefficients(TensorReader& in, const std::string& key) {
  torch::Tensor t = in.read(key, torch::kDouble, 6);
  Coefficients c;
  for (std::size_t k = 0; k < kCoefficientCount; ++k) c[k] = t[k].item<double>();
  return c;
}

}  // namespace

namespace detail {

void MadaStateIo::save(const Mada& optimizer, TensorWriter& out) {
  const kernels::HyperState& hyper = optimizer.core_->hyper;
  const auto& param_groups = optimizer.param_groups_;
  std::vector<double> lrs, decays, prev;
  std::vector<int64_t> sizes, has_state;
  for (size_t gi = 0; gi < param_groups.size(); ++gi) {
    const auto& group = param_groups[gi];
    const auto& go = static_cast<const MadaOptions&>(group.options());
    lrs.push_back(go.lr());
    decays.push_back(go.weight_decay());
    prev.push_back(gi < hyper.prev_lr.size() ? hyper.prev_lr[gi] : 0.0);
    sizes.push_back(static_cast<int64_t>(group.params().size()));
  }
  out.write("mada_format", int64s({kFormatVersion}));
  out.write("mada_mode", int64s({static_cast<int64_t>(optimizer.options().mode())}));
  out.write("mada_step", int64s({hyper.t, hyper.skipped}));
  out.write("mada_q", coefficient_tensor(hyper.q));
  out.write("mada_h", coefficient_tensor(hyper.h));
  out.write("mada_grad_norm", doubles({hyper.grad_norm}));
  out.write("groups_lr", doubles(lrs));
  out.write("groups_weight_decay", doubles(decays));
  out.write("groups_prev_lr", doubles(prev));
  out.write("groups_size", int64s(sizes));
  size_t index = 0;
  std::vector<int64_t> numels;
  for (const auto& group : param_groups) {
    for (const auto& p : group.params()) {
      numels.push_back(p.numel());
      auto it = optimizer.state_.find(state_key(p));
      has_state.push_back(it != optimizer.state_.end());
      if (it != optimizer.state_.end()) {
        auto& s = static_cast<MadaParamState&>(*it->second);
        for (size_t b = 0; b < std::size(kBuffers); ++b) {
          const torch::Tensor& t = *buffer_of(s, b);
          if (t.defined()) out.write(state_entry(index, kBuffers[b]), t.reshape({-1}));
        }
      }
      ++index;
    }
  }
  out.write("params_numel", int64s(numels));
  out.write("params_has_state", int64s(has_state));
}

void MadaStateIo::load(Mada& optimizer, TensorReader& in) {
  kernels::HyperState& hyper = optimizer.core_->hyper;
  auto& param_groups = optimizer.param_groups_;
  const MadaOptions& o = optimizer.options();
  // Read and check everything into locals first: a bad archive changes nothing.
  const int64_t format = in.read_int("mada_format");
  if (format != kFormatVersion)
    fail(ErrorKind::Checkpoint, "checkpoint format " + std::to_string(format) + " is not the supported format " +
                                    std::to_string(kFormatVersion));
  const int64_t mode = in.read_int("mada_mode");
  if (mode != 0 && mode != 1)
    fail(ErrorKind::Checkpoint, "checkpoint is corrupt: its mode holds " + std::to_string(mode) +
                                    ", neither paper (0) nor reference (1)");
  if (mode != static_cast<int64_t>(o.mode()))
    fail(ErrorKind::Checkpoint, std::string("checkpoint was saved in ") +
                                    (mode == 0 ? "paper" : "reference") +
                                    " mode, this optimizer runs in the other mode");
  const torch::Tensor steps = in.read("mada_step", torch::kLong, 2);
  kernels::HyperState loaded;
  loaded.t = steps[0].item<int64_t>();
  loaded.skipped = steps[1].item<int64_t>();
  loaded.q = read_coefficients(in, "mada_q");
  loaded.h = read_coefficients(in, "mada_h");
  loaded.grad_norm = in.read("mada_grad_norm", torch::kDouble, 1).item<double>();
  const int64_t groups = static_cast<int64_t>(param_groups.size());
  const torch::Tensor sizes = in.read("groups_size");
  if (sizes.scalar_type() != torch::kLong || sizes.numel() != groups)
    fail(ErrorKind::Checkpoint, "checkpoint has " + std::to_string(sizes.numel()) +
                                    " parameter groups, this optimizer has " + std::to_string(groups));
  for (int64_t gi = 0; gi < groups; ++gi) {
    if (sizes[gi].item<int64_t>() != static_cast<int64_t>(param_groups[gi].params().size()))
      fail(ErrorKind::Checkpoint, "parameter group " + std::to_string(gi) + " holds " +
                                      std::to_string(param_groups[gi].params().size()) +
                                      " tensors, the checkpoint's holds " +
                                      std::to_string(sizes[gi].item<int64_t>()));
  }
  const torch::Tensor lrs = in.read("groups_lr", torch::kDouble, groups);
  const torch::Tensor decays = in.read("groups_weight_decay", torch::kDouble, groups);
  const torch::Tensor prev = in.read("groups_prev_lr", torch::kDouble, groups);

  std::vector<const torch::Tensor*> params;
  for (const auto& group : param_groups)
    for (const auto& p : group.params()) params.push_back(&p);
  const int64_t count = static_cast<int64_t>(params.size());
  const torch::Tensor numels = in.read("params_numel", torch::kLong, count);
  const torch::Tensor has_state = in.read("params_has_state", torch::kLong, count);
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
      torch::Tensor t = in.read(state_entry(i, kBuffers[b]),
                                is_d ? detail::derivative_dtype(p, o.step()) : detail::state_dtype(p),
                                (is_d ? kCoefficientCount : 1) * p.numel());
      // The reader hands out memory of its own (TensorReader::find): no second copy.
      *buffer_of(*s, b) = is_d ? t.reshape({static_cast<int64_t>(kCoefficientCount), p.numel()}) : t;
    }
    detail::check_state(*s, p, o.step(), "parameter " + std::to_string(i), ErrorKind::Checkpoint);
    kernels::TensorSlot saved;
    saved.numel = p.numel();
    saved.is_double = p.scalar_type() == torch::kDouble;
    bind_state(saved, *s);
    kernels::check_loaded_state(saved, o.mode(), "parameter " + std::to_string(i));
    states[i] = std::move(s);
  }
  loaded.prev_lr.assign(prev.data_ptr<double>(), prev.data_ptr<double>() + groups);
  kernels::check_loaded_hyper(loaded, o.step(), hyper.q);
  for (int64_t gi = 0; gi < groups; ++gi) {
    const std::string problem = kernels::loaded_group_problem(o.step(), lrs[gi].item<double>(), decays[gi].item<double>(),
                                                              loaded.prev_lr[gi], detail::group_is_double(param_groups[gi]));
    if (!problem.empty())
      fail(ErrorKind::Checkpoint, "checkpoint parameter group " + std::to_string(gi) + ": " + problem);
  }

  // Commit.
  for (int64_t gi = 0; gi < groups; ++gi) {
    detail::group_options(param_groups[gi]).lr(lrs[gi].item<double>()).weight_decay(decays[gi].item<double>());
  }
  for (int64_t i = 0; i < count; ++i) {
    const auto key = state_key(*params[i]);
    if (states[i])
      optimizer.state_[key] = std::move(states[i]);
    else
      optimizer.state_.erase(key);
  }
  hyper = std::move(loaded);
}

}  // namespace detail

void Mada::save(torch::serialize::OutputArchive& archive) const {
  detail::ArchiveWriter out(archive);
  detail::MadaStateIo::save(*this, out);
}

void Mada::load(torch::serialize::InputArchive& archive) {
  detail::ArchiveReader in(archive);
  detail::MadaStateIo::load(*this, in);
}

namespace {

kernels::RecordWriter records_of(const Mada& optimizer) {
  kernels::RecordWriter records;
  detail::RecordTensorWriter out(records);
  detail::MadaStateIo::save(optimizer, out);
  return records;
}

void load_records(Mada& optimizer, const detail::CheckpointReader& checkpoint) {
  detail::RecordTensorReader in(checkpoint.records());
  detail::MadaStateIo::load(optimizer, in);
}

}  // namespace

void save_checkpoint(const Mada& optimizer, const std::string& path) {
  kernels::RecordWriter records = records_of(optimizer);
  detail::write_checkpoint(records, path);
}

void load_checkpoint(Mada& optimizer, const std::string& path) {
  uint64_t tensors = 0, elements = 0;
  for (const auto& group : optimizer.param_groups())
    for (const auto& p : group.params()) ++tensors, elements += static_cast<uint64_t>(p.numel());
  const auto checkpoint =  // its errors name the path
      detail::CheckpointReader::open(path, detail::max_checkpoint_bytes(tensors, elements));
  try {
    load_records(optimizer, checkpoint);
  } catch (const Error& e) {
    fail(e.kind(), "'" + path + "': " + e.what());
  }
}

std::string save_to_bytes(const Mada& optimizer) {
  kernels::RecordWriter records = records_of(optimizer);
  return detail::seal_checkpoint(records);
}

void load_from_bytes(Mada& optimizer, const char* data, size_t size) {
  load_records(optimizer, detail::CheckpointReader::of_bytes(data, size));
}

}  // namespace mada
