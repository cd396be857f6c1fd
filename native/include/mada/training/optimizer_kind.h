// The optimizers the trainer offers: MADA and its presets, and two of libtorch's own.
#pragma once

#include <mada/optimizer.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mada {

// The first eight share their values with the C ABI's mada_preset.
enum class OptimizerKind : int {
  Mada = 0,
  HyperAdam,
  Adam,
  AdamW,
  AVGrad,
  Yogi,
  Adan,
  Lion,
  AmsGrad,  // torch::optim::AdamW with amsgrad
  Sgd,      // torch::optim::SGD with momentum 0.9
};

inline bool is_mada_family(OptimizerKind k) { return static_cast<int>(k) <= static_cast<int>(OptimizerKind::Lion); }

// "mada", "hyperadam", "adam", "adamw", "avgrad", "yogi", "adan", "lion", "amsgrad", "sgd".
const std::vector<std::string>& optimizer_names();
std::string name_of(OptimizerKind kind);
// Throws mada::Error(InvalidArgument) listing the known names.
OptimizerKind optimizer_kind(const std::string& name);

// The preset of a MADA-family kind.
MadaOptions preset_options(OptimizerKind kind, double lr);

struct OptimizerSettings {
  OptimizerKind kind = OptimizerKind::Mada;
  double lr = 1e-3;
  double weight_decay = 0.0;  // applied to the first group only (matrices), see make_optimizer
  double grad_clip = 0.0;     // MADA clips inside its step; others are clipped by the trainer
  std::optional<Coefficients> q0;
  Mode mode = Mode::Paper;
};

// Which groups make_optimizer makes even without parameters: one rank's slice of a sharded
// model keeps the whole model's groups, so group indices mean the same on every rank.
struct KeepGroups {
  bool decayed = false;
  bool plain = false;
};

// Two parameter groups, `decayed` (weight decay) and `plain` (none); an empty one is left out
// unless kept.
std::unique_ptr<torch::optim::Optimizer> make_optimizer(const OptimizerSettings& settings,
                                                        std::vector<torch::Tensor> decayed,
                                                        std::vector<torch::Tensor> plain, KeepGroups keep = {});

}  // namespace mada
