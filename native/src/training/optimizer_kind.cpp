#include <mada/training/optimizer_kind.h>

#include <torch/optim/adamw.h>
#include <torch/optim/sgd.h>

namespace mada {

const std::vector<std::string>& optimizer_names() {
  static const std::vector<std::string> names = {"mada", "hyperadam", "adam", "adamw", "avgrad",
                                                 "yogi", "adan",      "lion", "amsgrad", "sgd"};
  return names;
}

std::string name_of(OptimizerKind kind) { return optimizer_names().at(static_cast<size_t>(kind)); }

OptimizerKind optimizer_kind(const std::string& name) {
  const auto& names = optimizer_names();
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<OptimizerKind>(i);
  std::string known;
  for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
  fail(ErrorKind::InvalidArgument, "unknown optimizer '" + name + "' (known: " + known + ")");
}

// The MADA family's kinds are the presets, value for value (and so are their C twins, which
// c_api asserts equal to these), so a kind is its preset without a table of its own.
static_assert(static_cast<int>(OptimizerKind::Mada) == static_cast<int>(Preset::Mada));
static_assert(static_cast<int>(OptimizerKind::HyperAdam) == static_cast<int>(Preset::HyperAdam));
static_assert(static_cast<int>(OptimizerKind::Adam) == static_cast<int>(Preset::Adam));
static_assert(static_cast<int>(OptimizerKind::AdamW) == static_cast<int>(Preset::AdamW));
static_assert(static_cast<int>(OptimizerKind::AVGrad) == static_cast<int>(Preset::AVGrad));
static_assert(static_cast<int>(OptimizerKind::Yogi) == static_cast<int>(Preset::Yogi));
static_assert(static_cast<int>(OptimizerKind::Adan) == static_cast<int>(Preset::Adan));
static_assert(static_cast<int>(OptimizerKind::Lion) == static_cast<int>(Preset::Lion));
static_assert(static_cast<int>(OptimizerKind::Lion) + 1 == kPresetCount);

MadaOptions preset_options(OptimizerKind kind, double lr) {
  if (!is_mada_family(kind)) fail(ErrorKind::InvalidArgument, name_of(kind) + " is not a MADA preset");
  return MadaOptions::preset(static_cast<Preset>(kind), lr);
}

std::unique_ptr<torch::optim::Optimizer> make_optimizer(const OptimizerSettings& s,
                                                        std::vector<torch::Tensor> decayed,
                                                        std::vector<torch::Tensor> plain, KeepGroups keep) {
  using torch::optim::OptimizerParamGroup;
  std::vector<OptimizerParamGroup> groups;
  auto add = [&](std::vector<torch::Tensor> params, auto options, bool kept) {
    if (!params.empty() || kept)
      groups.emplace_back(std::move(params), std::make_unique<decltype(options)>(options));
  };
  if (is_mada_family(s.kind)) {
    MadaOptions o = preset_options(s.kind, s.lr).grad_clip(s.grad_clip).mode(s.mode).weight_decay(0.0);
    if (s.q0) o.q0(*s.q0);
    add(std::move(decayed), MadaOptions(o).weight_decay(s.weight_decay), keep.decayed);
    add(std::move(plain), o, keep.plain);
    return std::make_unique<Mada>(std::move(groups), o);
  }
  if (s.kind == OptimizerKind::AmsGrad) {
    const auto o = torch::optim::AdamWOptions(s.lr).amsgrad(true).weight_decay(0.0);
    add(std::move(decayed), torch::optim::AdamWOptions(o).weight_decay(s.weight_decay), keep.decayed);
    add(std::move(plain), o, keep.plain);
    return std::make_unique<torch::optim::AdamW>(std::move(groups), o);
  }
  // SGD's weight decay is coupled (L2), as libtorch defines it.
  const auto o = torch::optim::SGDOptions(s.lr).momentum(0.9);
  add(std::move(decayed), torch::optim::SGDOptions(o).weight_decay(s.weight_decay), keep.decayed);
  add(std::move(plain), o, keep.plain);
  return std::make_unique<torch::optim::SGD>(std::move(groups), o);
}

}  // namespace mada
