// mada::MadaOptions: the options of mada::Mada as torch::optim options (one per parameter
// group), a thin wrapper over mada::StepOptions, which owns the fields, checks and presets.
#pragma once

#include <mada/step_options.h>

#include <torch/optim/optimizer.h>

namespace mada {

// lr and weight_decay are read per parameter group; every other field is read from the
// optimizer's defaults.
struct MadaOptions : public torch::optim::OptimizerCloneableOptions<MadaOptions> {
  MadaOptions(double lr = 1e-3) : step_(lr) {}  // NOLINT: implicit like torch's own options
  explicit MadaOptions(const StepOptions& step) : step_(step) {}

  // The same accessors as StepOptions, returning MadaOptions& so chains keep their type.
#define MADA_OPTIONS_FORWARD(type, name, init)              \
  MadaOptions& name(const type& value) {                    \
    step_.name(value);                                      \
    return *this;                                           \
  }                                                         \
  const type& name() const noexcept { return step_.name(); } \
  type& name() noexcept { return step_.name(); }
  MADA_STEP_OPTION_FIELDS(MADA_OPTIONS_FORWARD)
#undef MADA_OPTIONS_FORWARD

  double get_lr() const override { return step_.lr(); }
  void set_lr(const double lr) override { step_.lr(lr); }

  const StepOptions& step() const noexcept { return step_; }

  void validate() const { step_.validate(); }
  void validate_group() const { step_.validate_group(); }
  bool learns(Coefficient k) const { return step_.learns(k); }

  // Presets: the spec's fixed points, the authors' defaults (StepOptions::preset).
  static MadaOptions MADA(double lr = 1e-3) { return preset(Preset::Mada, lr); }
  static MadaOptions HyperAdam(double lr = 1e-3) { return preset(Preset::HyperAdam, lr); }
  static MadaOptions Adam(double lr = 1e-3) { return preset(Preset::Adam, lr); }
  static MadaOptions AdamW(double lr = 1e-3, double weight_decay = 1e-2) {
    return preset(Preset::AdamW, lr).weight_decay(weight_decay);
  }
  static MadaOptions AVGrad(double lr = 1e-3) { return preset(Preset::AVGrad, lr); }
  static MadaOptions Yogi(double lr = 1e-3) { return preset(Preset::Yogi, lr); }
  static MadaOptions Adan(double lr = 1e-3) { return preset(Preset::Adan, lr); }
  static MadaOptions Lion(double lr = 1e-4) { return preset(Preset::Lion, lr); }
  static MadaOptions preset(Preset p) { return MadaOptions(StepOptions::preset(p)); }
  static MadaOptions preset(Preset p, double lr) { return MadaOptions(StepOptions::preset(p, lr)); }

 private:
  StepOptions step_;
};

}  // namespace mada
