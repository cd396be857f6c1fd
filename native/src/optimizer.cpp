#include <mada/optimizer.h>

#include "archive_io.h"
#include "cpu_step.h"

#include <torch/autograd.h>
#include <torch/utils.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace mada {

namespace {

std::unique_ptr<MadaOptions> validated(const MadaOptions& defaults) {
  defaults.validate();
  return std::make_unique<MadaOptions>(defaults);
}

MadaOptions& group_options(torch::optim::OptimizerParamGroup& group) {
  auto* o = dynamic_cast<MadaOptions*>(&group.options());
  if (o == nullptr)
    fail(ErrorKind::InvalidArgument, "a parameter group of mada::Mada must hold mada::MadaOptions");
  return *o;
}

Coefficients project(Coefficients q, const MadaOptions& o) {
  for (std::size_t k = 0; k < kCoefficientCount; ++k)
    q[k] = std::min(std::max(q[k], o.lower()[k]), o.upper()[k]);
  return q;
}

// Names a parameter in messages; built only when there is something to report.
struct Where {
  size_t group, index;
  operator std::string() const {
    return "parameter " + std::to_string(index) + " of group " + std::to_string(group);
  }
};
std::string operator+(const Where& w, const char* s) { return std::string(w) + s; }
std::ostream& operator<<(std::ostream& o, const Where& w) { return o << std::string(w); }

// fp64 parameters keep fp64 state (the finite-difference checks need it); all others fp32.
torch::ScalarType state_dtype(const torch::Tensor& p) {
  return p.scalar_type() == torch::kDouble ? torch::kDouble : torch::kFloat;
}

template <typename Name>
void check_param(const torch::Tensor& p, const Name& name) {
  if (!p.defined()) fail(ErrorKind::InvalidArgument, name + " is an undefined tensor");
  if (!p.device().is_cpu())
    fail(ErrorKind::Unsupported, name + " is on " + p.device().str() +
                                     ": this build of MADA has only the CPU step");
  if (p.scalar_type() != torch::kFloat && p.scalar_type() != torch::kDouble)
    fail(ErrorKind::InvalidArgument, name + " has dtype " + std::string(c10::toString(p.scalar_type())) +
                                         "; the CPU step takes float32 or float64 parameters");
  if (!p.is_contiguous()) fail(ErrorKind::InvalidArgument, name + " is not contiguous");
}

void check_grad(const torch::Tensor& g, const torch::Tensor& p, const Where& name) {
  if (g.layout() != torch::kStrided)
    fail(ErrorKind::InvalidArgument, name + ": sparse gradients are not supported");
  if (g.sizes() != p.sizes()) {
    std::ostringstream s;
    s << name << ": gradient shape " << g.sizes() << " differs from parameter shape " << p.sizes();
    fail(ErrorKind::InvalidArgument, s.str());
  }
  if (g.scalar_type() != p.scalar_type())
    fail(ErrorKind::InvalidArgument, name + ": gradient dtype " +
                                         std::string(c10::toString(g.scalar_type())) +
                                         " differs from parameter dtype " +
                                         std::string(c10::toString(p.scalar_type())));
  if (g.device() != p.device())
    fail(ErrorKind::InvalidArgument, name + ": gradient is on another device than the parameter");
}

MadaParamState new_state(const torch::Tensor& p, Mode mode) {
  const auto opts = torch::TensorOptions().dtype(state_dtype(p)).device(p.device());
  const int64_t n = p.numel();
  MadaParamState s;
  s.m = torch::empty({n}, opts);
  s.v = torch::empty({n}, opts);
  s.vbar = torch::empty({n}, opts);
  s.n = torch::empty({n}, opts);
  s.mL = torch::empty({n}, opts);
  if (mode == Mode::Paper) s.gprev = torch::empty({n}, opts);
  s.d = torch::empty({6, n}, opts);
  return s;
}

template <typename Name>
void check_state(const MadaParamState& s, const torch::Tensor& p, Mode mode, const Name& name,
                 ErrorKind kind) {
  const int64_t n = p.numel();
  auto ok = [&](const torch::Tensor& t, int64_t expected) {
    return t.defined() && t.numel() == expected && t.scalar_type() == state_dtype(p) &&
           t.is_contiguous() && t.device() == p.device();
  };
  const bool good = ok(s.m, n) && ok(s.v, n) && ok(s.vbar, n) && ok(s.n, n) && ok(s.mL, n) &&
                    ok(s.d, 6 * n) && (mode == Mode::Reference || ok(s.gprev, n));
  if (!good) {
    std::ostringstream msg;
    msg << name << ": its optimizer state does not fit a parameter of " << n << " elements ("
        << c10::toString(p.scalar_type()) << ", mode "
        << (mode == Mode::Paper ? "paper" : "reference") << ")";
    fail(kind, msg.str());
  }
}

void bind(detail::ParamSlot& slot, MadaParamState& s) {
  slot.m = s.m.data_ptr();
  slot.v = s.v.data_ptr();
  slot.vbar = s.vbar.data_ptr();
  slot.n = s.n.data_ptr();
  slot.mL = s.mL.data_ptr();
  slot.gprev = s.gprev.defined() ? s.gprev.data_ptr() : nullptr;
  slot.d = s.d.data_ptr();
}

}  // namespace

Mada::Mada(std::vector<torch::optim::OptimizerParamGroup> param_groups, MadaOptions defaults)
    : Optimizer(std::move(param_groups), validated(defaults)),
      workspace_(std::make_unique<detail::StepWorkspace>()) {
  for (auto& group : param_groups_) group_options(group).validate_group();
  q_ = project(defaults.q0(), defaults);
}

Mada::Mada(std::vector<torch::Tensor> params, MadaOptions defaults)
    : Mada(std::vector<torch::optim::OptimizerParamGroup>{
               torch::optim::OptimizerParamGroup(std::move(params))},
           std::move(defaults)) {}

Mada::Mada(Mada&&) noexcept = default;
Mada::~Mada() = default;

const MadaParamState* Mada::state_of(const torch::Tensor& p) const {
  auto it = state_.find(state_key(p));
  return it == state_.end() ? nullptr : static_cast<const MadaParamState*>(it->second.get());
}

const MadaOptions& Mada::options() const {
  return static_cast<const MadaOptions&>(defaults());
}

void Mada::set_coefficients(const Coefficients& q) {
  for (std::size_t k = 0; k < kCoefficientCount; ++k) {
    if (!std::isfinite(q[k]))
      fail(ErrorKind::InvalidArgument,
           std::string("coefficient ") + kCoefficientNames[k] + " is not finite");
  }
  q_ = project(q, options());
}

void Mada::apply_hyper_step(const Coefficients& h) {
  const MadaOptions& o = options();
  Coefficients q = q_;
  for (std::size_t k = 0; k < kCoefficientCount; ++k) {
    if (!o.learns(static_cast<Coefficient>(k))) continue;
    const double clipped = h[k] * std::min(1.0, o.hypergrad_clip() / (std::abs(h[k]) + 1e-6));
    q[k] -= o.hyper_lr()[k] * clipped;
  }
  q_ = project(q, o);
}

torch::Tensor Mada::step(LossClosure closure) {
  torch::Tensor loss;
  if (closure) {
    torch::AutoGradMode enable_grad(true);
    loss = closure();
  }
  torch::NoGradGuard no_grad;
  const MadaOptions& o = options();
  o.validate();  // defaults() is mutable from outside
  prev_lr_.resize(param_groups_.size(), 0.0);

  // Check everything and gather raw pointers before changing anything.
  auto& slots = workspace_->slots;
  slots.clear();
  std::vector<torch::Tensor> contiguous_grads;  // only for the rare non-contiguous gradient
  std::vector<std::pair<size_t, const torch::Tensor*>> fresh;  // slot index, its parameter
  bool any_grad = false;
  for (size_t gi = 0; gi < param_groups_.size(); ++gi) {
    auto& group = param_groups_[gi];
    const MadaOptions& go = group_options(group);
    go.validate_group();
    for (size_t pi = 0; pi < group.params().size(); ++pi) {
      const torch::Tensor& p = group.params()[pi];
      const Where name{gi, pi};
      check_param(p, name);
      const torch::Tensor& g = p.grad();
      auto it = state_.find(state_key(p));
      auto* state = it == state_.end() ? nullptr : static_cast<MadaParamState*>(it->second.get());
      if (!g.defined() && state == nullptr) continue;

      detail::ParamSlot slot;
      slot.p = p.data_ptr();
      slot.numel = p.numel();
      slot.group = static_cast<int>(gi);
      slot.is_double = p.scalar_type() == torch::kDouble;
      slot.lr = go.lr();
      slot.decay = go.lr() * go.weight_decay();
      if (g.defined()) {
        check_grad(g, p, name);
        if (g.is_contiguous()) {
          slot.g = g.data_ptr();
        } else {
          contiguous_grads.push_back(g.contiguous());
          slot.g = contiguous_grads.back().data_ptr();
        }
        any_grad = true;
      }
      if (state != nullptr) {
        check_state(*state, p, o.mode(), name, ErrorKind::InvalidArgument);
        bind(slot, *state);
      } else {
        fresh.emplace_back(slots.size(), &p);
      }
      slots.push_back(slot);
    }
  }
  if (!any_grad) return loss;  // nothing moves, nothing to learn from

  // Pass 1: hypergradient sums and the gradient norm, over every tensor at once.
  const detail::Reduction red = workspace_->reduce(prev_lr_);
  Coefficients h;
  bool finite = std::isfinite(red.sq_norm);
  for (std::size_t k = 0; k < kCoefficientCount; ++k) {
    h[k] = -red.scaled_dot[k];
    finite = finite && std::isfinite(h[k]);
  }
  if (!finite) {
    if (o.non_finite() == NonFinitePolicy::Skip) {
      ++skipped_;
      return loss;
    }
    fail(ErrorKind::NonFinite,
         "MADA step refused: a gradient holds NaN or Inf (nothing was changed; "
         "set non_finite to skip to drop such steps)");
  }

  // New state is allocated in full before any of it is registered: an allocation failure
  // leaves the optimizer as it was.
  std::vector<std::unique_ptr<MadaParamState>> created;
  for (auto& entry : fresh)
    created.push_back(std::make_unique<MadaParamState>(new_state(*entry.second, o.mode())));
  for (size_t i = 0; i < fresh.size(); ++i) {
    detail::ParamSlot& slot = slots[fresh[i].first];
    bind(slot, *created[i]);
    slot.fresh = true;
    state_[state_key(*fresh[i].second)] = std::move(created[i]);
  }
  if (t_ >= 1) apply_hyper_step(h);
  h_ = h;
  ++t_;
  grad_norm_ = std::sqrt(red.sq_norm);
  const double grad_scale =
      o.grad_clip() > 0.0 ? std::min(1.0, o.grad_clip() / (grad_norm_ + 1e-6)) : 1.0;

  // Pass 2: the element updates.
  workspace_->update(detail::step_scalars(q_, o, t_), grad_scale, o.mode());
  for (size_t gi = 0; gi < param_groups_.size(); ++gi)
    prev_lr_[gi] = param_groups_[gi].options().get_lr();
  return loss;
}

// ---- Serialization ----------------------------------------------------------------------
// Flat keys in one archive. libtorch 1.13 restores no param-group options, so the
// coefficients, step count and group scalars are entries of their own.

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
  std::vector<double> lrs, decays, prev;
  std::vector<int64_t> sizes, has_state;
  for (size_t gi = 0; gi < param_groups_.size(); ++gi) {
    const auto& group = param_groups_[gi];
    const auto& go = static_cast<const MadaOptions&>(group.options());
    lrs.push_back(go.lr());
    decays.push_back(go.weight_decay());
    prev.push_back(gi < prev_lr_.size() ? prev_lr_[gi] : 0.0);
    sizes.push_back(static_cast<int64_t>(group.params().size()));
  }
  archive.write("mada_format", int64s({kFormatVersion}));
  archive.write("mada_mode", int64s({static_cast<int64_t>(options().mode())}));
  archive.write("mada_step", int64s({t_, skipped_}));
  archive.write("mada_q", coefficient_tensor(q_));
  archive.write("mada_h", coefficient_tensor(h_));
  archive.write("mada_grad_norm", doubles({grad_norm_}));
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
    check_param(p, "parameter " + std::to_string(i));
    if (numels[i].item<int64_t>() != p.numel())
      fail(ErrorKind::Checkpoint, "parameter " + std::to_string(i) + " has " +
                                      std::to_string(p.numel()) + " elements, the checkpoint's has " +
                                      std::to_string(numels[i].item<int64_t>()));
    if (has_state[i].item<int64_t>() == 0) continue;
    auto s = std::make_unique<MadaParamState>();
    for (size_t b = 0; b < std::size(kBuffers); ++b) {
      const bool is_d = b + 1 == std::size(kBuffers);
      if (std::string(kBuffers[b]) == "gprev" && o.mode() == Mode::Reference) continue;
      torch::Tensor t = read_entry(archive, state_entry(i, kBuffers[b]), state_dtype(p),
                                   (is_d ? 6 : 1) * p.numel());
      *buffer_of(*s, b) = is_d ? t.reshape({6, p.numel()}).clone() : t.clone();
    }
    check_state(*s, p, o.mode(), "parameter " + std::to_string(i), ErrorKind::Checkpoint);
    states[i] = std::move(s);
  }
  for (std::size_t k = 0; k < kCoefficientCount; ++k) {
    if (!std::isfinite(q[k]) || !std::isfinite(h[k]))
      fail(ErrorKind::Checkpoint, "checkpoint coefficients are not finite");
  }
  for (int64_t gi = 0; gi < groups; ++gi) {
    MadaOptions candidate = group_options(param_groups_[gi]);
    candidate.lr(lrs[gi].item<double>()).weight_decay(decays[gi].item<double>());
    try {
      candidate.validate_group();
    } catch (const Error& e) {
      fail(ErrorKind::Checkpoint, std::string("checkpoint group options: ") + e.what());
    }
  }

  // Commit.
  for (int64_t gi = 0; gi < groups; ++gi) {
    group_options(param_groups_[gi]).lr(lrs[gi].item<double>()).weight_decay(decays[gi].item<double>());
  }
  prev_lr_.assign(prev.data_ptr<double>(), prev.data_ptr<double>() + groups);
  for (int64_t i = 0; i < count; ++i) {
    const auto key = state_key(*params[i]);
    if (states[i])
      state_[key] = std::move(states[i]);
    else
      state_.erase(key);
  }
  q_ = q;
  h_ = h;
  t_ = steps[0].item<int64_t>();
  skipped_ = steps[1].item<int64_t>();
  grad_norm_ = norm;
}

}  // namespace mada
