// mada::Mada: checks the parameters, gathers their memory into the kernel core's slots and
// runs the core's fused CPU step. The math is all in native/kernels.
#include "optimizer_core.h"

#include "kernels/src/cpu/loop_table.h"
#include "kernels/src/step/range_limits.h"

#include <torch/autograd.h>

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace mada {

namespace detail {

MadaOptions& group_options(torch::optim::OptimizerParamGroup& group) {
  auto* o = dynamic_cast<MadaOptions*>(&group.options());
  if (o == nullptr)
    fail(ErrorKind::InvalidArgument, "a parameter group of mada::Mada must hold mada::MadaOptions");
  return *o;
}

bool group_is_double(const torch::optim::OptimizerParamGroup& group) {
  const auto& params = group.params();
  return !params.empty() && std::all_of(params.begin(), params.end(), [](const torch::Tensor& p) {
    return p.defined() && p.scalar_type() == torch::kDouble;
  });
}

void check_group(const torch::optim::OptimizerParamGroup& group, const MadaOptions& defaults, size_t index) {
  const auto* go = dynamic_cast<const MadaOptions*>(&group.options());
  if (go == nullptr) fail(ErrorKind::InvalidArgument, "a parameter group of mada::Mada must hold mada::MadaOptions");
  const std::string problem = kernels::group_scalars_problem(defaults.step(), go->lr(), go->weight_decay(),
                                                             group_is_double(group));
  if (!problem.empty())
    fail(ErrorKind::InvalidArgument, "parameter group " + std::to_string(index) + ": " + problem);
  if (const char* field = go->step().first_step_wide_override(defaults.step()))
    fail(ErrorKind::InvalidArgument, "parameter group " + std::to_string(index) + " sets " + field +
                                         ", which mada::Mada reads from its own options only: a group may set only "
                                         "lr and weight_decay");
}

torch::ScalarType state_dtype(const torch::Tensor& p) {
  return p.scalar_type() == torch::kDouble ? torch::kDouble : torch::kFloat;
}

torch::ScalarType derivative_dtype(const torch::Tensor& p, const StepOptions& o) {
  return o.compact_state() ? torch::kBFloat16 : state_dtype(p);
}

bool state_fits(const MadaParamState& s, const torch::Tensor& p, const StepOptions& o) {
  const int64_t n = p.numel();
  auto ok = [&](const torch::Tensor& t, int64_t expected, torch::ScalarType dtype) {
    return t.defined() && t.numel() == expected && t.scalar_type() == dtype && t.is_contiguous() &&
           t.device() == p.device();
  };
  const torch::ScalarType dtype = state_dtype(p);
  return ok(s.m, n, dtype) && ok(s.v, n, dtype) && ok(s.vbar, n, dtype) && ok(s.n, n, dtype) &&
         ok(s.mL, n, dtype) && ok(s.d, static_cast<int64_t>(kCoefficientCount) * n, derivative_dtype(p, o)) &&
         (o.mode() == Mode::Reference || ok(s.gprev, n, dtype));
}

std::string state_misfit(const torch::Tensor& p, const StepOptions& o) {
  std::ostringstream msg;
  msg << "its optimizer state does not fit a parameter of " << p.numel() << " elements ("
      << c10::toString(p.scalar_type()) << ", mode " << (o.mode() == Mode::Paper ? "paper" : "reference")
      << (o.compact_state() ? ", compact state: bfloat16 derivatives" : "") << ")";
  return msg.str();
}

void bind_state(kernels::TensorSlot& slot, const MadaParamState& s) {
  slot.m = s.m.data_ptr();
  slot.v = s.v.data_ptr();
  slot.vbar = s.vbar.data_ptr();
  slot.n = s.n.data_ptr();
  slot.mL = s.mL.data_ptr();
  slot.gprev = s.gprev.defined() ? s.gprev.data_ptr() : nullptr;
  slot.d = s.d.data_ptr();
  slot.compact = s.d.scalar_type() == torch::kBFloat16;
}

}  // namespace detail

namespace {

using detail::Where;

std::unique_ptr<MadaOptions> validated(const MadaOptions& defaults) {
  defaults.validate();
  return std::make_unique<MadaOptions>(defaults);
}

void check_grad(const torch::Tensor& g, const torch::Tensor& p, const Where& name) {
  if (g.layout() != torch::kStrided)
    fail(ErrorKind::InvalidArgument, name + ": sparse gradients are not supported");
  if (g.sizes() != p.sizes()) {
    std::ostringstream s;
    s << std::string(name) << ": gradient shape " << g.sizes() << " differs from parameter shape " << p.sizes();
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

MadaParamState new_state(const torch::Tensor& p, const StepOptions& o) {
  const Mode mode = o.mode();
  const auto opts = torch::TensorOptions().dtype(detail::state_dtype(p)).device(p.device());
  const int64_t n = p.numel();
  MadaParamState s;
  s.m = torch::empty({n}, opts);
  s.v = torch::empty({n}, opts);
  s.vbar = torch::empty({n}, opts);
  s.n = torch::empty({n}, opts);
  s.mL = torch::empty({n}, opts);
  if (mode == Mode::Paper) s.gprev = torch::empty({n}, opts);
  s.d = torch::empty({static_cast<int64_t>(kCoefficientCount), n}, opts.dtype(detail::derivative_dtype(p, o)));
  return s;
}

// The kernel core's blocks on ATen's thread pool: at::set_num_threads governs mada::Mada as
// it governs libtorch's own optimizers, and no second pool competes with ATen's for the cores.
class AtenParallel final : public kernels::Parallel {
 public:
  void run(int64_t n, Task task, void* body) const override {
    at::parallel_for(0, n, 1, [&](int64_t begin, int64_t end) { task(body, begin, end); });
  }
};

std::string flat_name(const std::vector<torch::optim::OptimizerParamGroup>& groups, size_t flat) {
  for (size_t gi = 0; gi < groups.size(); ++gi) {
    if (flat < groups[gi].params().size()) return Where{gi, flat};
    flat -= groups[gi].params().size();
  }
  return "parameter " + std::to_string(flat);
}

// A gradient must be a buffer of its own or exactly its parameter's (memory_ranges.h): each
// contiguous gradient against the parameters `ranges` holds (numbered over all groups). A
// non-contiguous gradient is read through a copy of its own.
void check_gradients_apart(const std::vector<torch::optim::OptimizerParamGroup>& groups,
                           const kernels::MemoryRanges& ranges) {
  size_t flat = 0;
  for (size_t gi = 0; gi < groups.size(); ++gi) {
    for (size_t pi = 0; pi < groups[gi].params().size(); ++pi, ++flat) {
      const torch::Tensor& g = groups[gi].params()[pi].grad();
      if (!g.defined() || !g.is_contiguous()) continue;
      const auto other = ranges.gradient_overlap(g.data_ptr(), static_cast<uint64_t>(g.nbytes()), flat);
      if (other < 0) continue;
      fail(ErrorKind::InvalidArgument,
           "the gradient of " + std::string(Where{gi, pi}) + " overlaps the memory of " +
               (static_cast<size_t>(other) == flat ? std::string("its own parameter, shifted")
                                                   : flat_name(groups, static_cast<size_t>(other))) +
               "; a gradient must be a buffer of its own or exactly its parameter's");
    }
  }
}

}  // namespace

Mada::Mada(std::vector<torch::optim::OptimizerParamGroup> param_groups, MadaOptions defaults)
    : Optimizer(std::move(param_groups), validated(defaults)), core_(std::make_unique<Core>()) {
  for (size_t gi = 0; gi < param_groups_.size(); ++gi) detail::check_group(param_groups_[gi], defaults, gi);
  kernels::active_loops();  // a MADA_CPU_KERNEL naming no variant, or a missing one, is refused here
  core_->hyper.q = kernels::project(defaults.q0(), defaults.step());
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

const MadaOptions& Mada::options() const { return static_cast<const MadaOptions&>(defaults()); }
const Coefficients& Mada::coefficients() const { return core_->hyper.q; }
const Coefficients& Mada::hypergradient() const { return core_->hyper.h; }
int64_t Mada::step_count() const { return core_->hyper.t; }
int64_t Mada::skipped_steps() const { return core_->hyper.skipped; }
double Mada::grad_norm() const { return core_->hyper.grad_norm; }

void Mada::set_coefficients(const Coefficients& q) {
  for (std::size_t k = 0; k < kCoefficientCount; ++k) {
    if (!std::isfinite(q[k]))
      fail(ErrorKind::InvalidArgument, std::string("coefficient ") + kCoefficientNames[k] + " is not finite");
  }
  core_->hyper.q = kernels::project(q, options().step());
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

  // Check everything and gather raw pointers before changing anything.
  kernels::CpuStep& step = core_->step;
  step.slots.clear();
  step.group_lr.clear();
  std::vector<torch::Tensor> contiguous_grads;  // only for the rare non-contiguous gradient
  std::vector<std::pair<size_t, const torch::Tensor*>> fresh;  // slot index, its parameter
  core_->ranges.clear();
  size_t flat = 0;  // the parameter's index over all groups, for the overlap checks
  for (size_t gi = 0; gi < param_groups_.size(); ++gi) {
    auto& group = param_groups_[gi];
    const MadaOptions& go = detail::group_options(group);
    detail::check_group(group, o, gi);
    step.group_lr.push_back(go.lr());
    for (size_t pi = 0; pi < group.params().size(); ++pi) {
      const torch::Tensor& p = group.params()[pi];
      const Where name{gi, pi};
      detail::check_param(p, name);
      core_->ranges.add(p.data_ptr(), static_cast<uint64_t>(p.nbytes()), flat++);
      const torch::Tensor& g = p.grad();
      auto it = state_.find(state_key(p));
      auto* state = it == state_.end() ? nullptr : static_cast<MadaParamState*>(it->second.get());
      if (!g.defined() && state == nullptr) continue;

      kernels::TensorSlot slot;
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
      }
      if (state != nullptr) {
        detail::check_state(*state, p, o.step(), name, ErrorKind::InvalidArgument);
        detail::bind_state(slot, *state);
      } else {
        fresh.emplace_back(step.slots.size(), &p);
      }
      step.slots.push_back(slot);
    }
  }

  core_->ranges.require_disjoint();  // a tensor given twice would have its state freed in use
  check_gradients_apart(param_groups_, core_->ranges);

  const AtenParallel parallel;
  if (step.begin(core_->hyper, o.step(), parallel) != kernels::CpuStep::Start::Update) return loss;

  // New state is allocated in full before any of it is registered: an allocation failure
  // leaves the optimizer as it was.
  std::vector<std::unique_ptr<MadaParamState>> created;
  for (auto& entry : fresh)
    created.push_back(std::make_unique<MadaParamState>(new_state(*entry.second, o.step())));
  for (size_t i = 0; i < fresh.size(); ++i) {
    kernels::TensorSlot& slot = step.slots[fresh[i].first];
    detail::bind_state(slot, *created[i]);
    slot.fresh = true;
    state_[state_key(*fresh[i].second)] = std::move(created[i]);
  }
  step.finish(core_->hyper, o.step(), parallel);
  return loss;
}

}  // namespace mada
