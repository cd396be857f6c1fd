#include "optimizer_state_io.h"

#include "../optimizer/state_io.h"

#include <torch/optim/adamw.h>
#include <torch/optim/sgd.h>

namespace mada::detail {

namespace {

// The buffers each libtorch optimizer keeps per parameter, in a fixed order.
struct TorchBuffers {
  const char* prefix;
  std::vector<const char*> names;
  std::vector<bool> non_negative;  // second moments
};

const TorchBuffers& buffers_of(OptimizerKind kind) {
  static const TorchBuffers adamw{"adamw", {"exp_avg", "exp_avg_sq", "max_exp_avg_sq"}, {false, true, true}};
  static const TorchBuffers sgd{"sgd", {"momentum_buffer"}, {false}};
  return kind == OptimizerKind::Sgd ? sgd : adamw;
}

std::vector<torch::Tensor> buffers(const torch::optim::OptimizerParamState& state, OptimizerKind kind) {
  if (kind == OptimizerKind::Sgd) return {static_cast<const torch::optim::SGDParamState&>(state).momentum_buffer()};
  const auto& s = static_cast<const torch::optim::AdamWParamState&>(state);
  return {s.exp_avg(), s.exp_avg_sq(), s.max_exp_avg_sq()};
}

std::unique_ptr<torch::optim::OptimizerParamState> make_state(OptimizerKind kind, int64_t step,
                                                              const std::vector<torch::Tensor>& b) {
  if (kind == OptimizerKind::Sgd) {
    auto s = std::make_unique<torch::optim::SGDParamState>();
    s->momentum_buffer(b[0]);
    return s;
  }
  auto s = std::make_unique<torch::optim::AdamWParamState>();
  s->step(step);
  s->exp_avg(b[0]);
  s->exp_avg_sq(b[1]);
  s->max_exp_avg_sq(b[2]);
  return s;
}

int64_t step_of(const torch::optim::OptimizerParamState& state, OptimizerKind kind) {
  return kind == OptimizerKind::Sgd ? 0 : static_cast<const torch::optim::AdamWParamState&>(state).step();
}

std::vector<torch::Tensor> params_of(const torch::optim::Optimizer& optimizer) {
  std::vector<torch::Tensor> all;
  for (const auto& group : optimizer.param_groups())
    for (const auto& p : group.params()) all.push_back(p);
  return all;
}

std::string entry(const TorchBuffers& b, size_t index, const char* name) {
  return std::string(b.prefix) + "_" + std::to_string(index) + "_" + name;
}

}  // namespace

void save_optimizer_state(const torch::optim::Optimizer& optimizer, OptimizerKind kind, TensorWriter& out) {
  if (is_mada_family(kind)) return MadaStateIo::save(static_cast<const Mada&>(optimizer), out);
  const TorchBuffers& b = buffers_of(kind);
  const auto params = params_of(optimizer);
  std::vector<int64_t> steps;  // -1: no state yet
  for (size_t i = 0; i < params.size(); ++i) {
    auto it = optimizer.state().find(state_key(params[i]));
    if (it == optimizer.state().end()) {
      steps.push_back(-1);
      continue;
    }
    steps.push_back(step_of(*it->second, kind));
    const auto values = buffers(*it->second, kind);
    for (size_t k = 0; k < values.size(); ++k)
      if (values[k].defined()) out.write(entry(b, i, b.names[k]), values[k]);
  }
  out.write(std::string(b.prefix) + "_steps", torch::tensor(steps, torch::kLong));
}

void load_optimizer_state(torch::optim::Optimizer& optimizer, OptimizerKind kind, TensorReader& in) {
  if (is_mada_family(kind)) return MadaStateIo::load(static_cast<Mada&>(optimizer), in);
  const TorchBuffers& b = buffers_of(kind);
  const auto params = params_of(optimizer);
  const int64_t count = static_cast<int64_t>(params.size());
  const torch::Tensor steps = in.read(std::string(b.prefix) + "_steps", torch::kLong, count);
  std::vector<std::unique_ptr<torch::optim::OptimizerParamState>> states(params.size());
  for (int64_t i = 0; i < count; ++i) {
    const int64_t step = steps[i].item<int64_t>();
    if (step < 0) continue;
    const torch::Tensor& p = params[i];
    std::vector<torch::Tensor> values;
    for (size_t k = 0; k < b.names.size(); ++k) {
      const std::string key = entry(b, static_cast<size_t>(i), b.names[k]);
      torch::Tensor t = in.find(key);
      // amsgrad's maximum and SGD's momentum buffer are created lazily by libtorch.
      if (!t.defined()) {
        if (kind != OptimizerKind::Sgd && k < 2) in.read(key);  // names the missing entry
        values.emplace_back();
        continue;
      }
      t = in.read(key, p.scalar_type(), p.numel()).reshape(p.sizes());
      const bool finite = torch::isfinite(t).all().item<bool>();
      if (!finite || (b.non_negative[k] && (t < 0).any().item<bool>()))
        fail(ErrorKind::Checkpoint, "checkpoint entry '" + key + "' holds a value that is not finite" +
                                        (b.non_negative[k] ? " and >= 0" : ""));
      values.push_back(t);
    }
    states[i] = make_state(kind, step, values);
  }
  for (int64_t i = 0; i < count; ++i)
    if (states[i]) optimizer.state()[state_key(params[i])] = std::move(states[i]);
}

}  // namespace mada::detail
