// The options of a MADA step and its named presets, with no libtorch: the one owner of the
// option fields, their defaults, their checks and the presets. mada::MadaOptions (the
// torch::optim options) and the C ABIs convert to and from this.
#pragma once

#include <mada/coefficients.h>

namespace mada {

// The two modes of the spec: they differ only in the Adan (gradient difference) terms.
enum class Mode : int {
  Paper = 0,      // the paper's equations with the true previous gradient, exact hypergradient
  Reference = 1,  // what the authors' code computes: previous gradient always 0, vbar constant
};

// What a step does with a NaN or Inf gradient. Either way nothing is changed.
enum class NonFinitePolicy : int {
  Error = 0,  // throw mada::Error(ErrorKind::NonFinite)
  Skip = 1,   // return without updating; the skipped-step count counts it
};

// The named points of coefficient space (the spec's fixed points, and MADA itself).
enum class Preset : int { Mada = 0, HyperAdam, Adam, AdamW, AVGrad, Yogi, Adan, Lion };
inline constexpr int kPresetCount = 8;

// The coefficients' domain D of the spec.
inline Coefficients default_lower_bounds() { return {0.01, 0.501, 0.0, 0.0, 0.0, 0.0}; }
inline Coefficients default_upper_bounds() { return {0.99, 0.99, 0.99, 1.0, 1.0, 1.0}; }
// The authors' hyper learning rates.
inline Coefficients default_hyper_lr() { return {5e-4, 5e-4, 0.1, 0.1, 0.1, 0.1}; }
// Adam's point in coefficient space, with nanoGPT's betas.
inline Coefficients adam_point() { return {0.9, 0.95, 0.0, 1.0, 1.0, 1.0}; }

// Every option, once: X(type, name, default). lr and weight_decay are the defaults of the
// parameter groups; every other field belongs to the whole step (the coefficients are shared
// by all groups, as in the spec).
#define MADA_STEP_OPTION_FIELDS(X)                     \
  X(double, lr, 1e-3)                                  \
  X(double, weight_decay, 0.0)                         \
  X(Coefficients, q0, adam_point())                    \
  X(Coefficients, hyper_lr, default_hyper_lr())        \
  X(LearnMask, learn, kLearnAll)                       \
  X(Coefficients, lower, default_lower_bounds())       \
  X(Coefficients, upper, default_upper_bounds())       \
  X(double, eps, 1e-6)                                 \
  X(double, lion_beta1, 0.95)                          \
  X(double, lion_beta2, 0.98)                          \
  X(double, hypergrad_clip, 10.0) /* per coefficient */ \
  X(double, grad_clip, 0.0)       /* global L2 norm; 0 disables clipping */ \
  X(Mode, mode, Mode::Paper)                           \
  X(NonFinitePolicy, non_finite, NonFinitePolicy::Error) \
  X(bool, compact_state, false) /* the six derivative buffers in bfloat16 */

class StepOptions {
 public:
  explicit StepOptions(double lr = 1e-3) : lr_(lr) {}

  // A fluent setter, a getter and a mutable getter per field, as torch's TORCH_ARG makes them.
#define MADA_STEP_OPTION_ACCESSORS(type, name, init)          \
  StepOptions& name(const type& value) {                    \
    name##_ = value;                                        \
    return *this;                                           \
  }                                                         \
  const type& name() const noexcept { return name##_; }     \
  type& name() noexcept { return name##_; }
  MADA_STEP_OPTION_FIELDS(MADA_STEP_OPTION_ACCESSORS)
#undef MADA_STEP_OPTION_ACCESSORS

  bool learns(Coefficient k) const { return (learn_ & learn_bit(k)) != 0; }

  // Throws mada::Error(InvalidArgument) naming the first field out of its domain.
  void validate() const;
  // Only the per-group fields (lr, weight decay).
  void validate_group() const;

  // Seen as a parameter group's options: the first step-wide field (any but lr and
  // weight_decay) the group sets to something other than `step_wide`, or null. The step reads
  // those fields from the optimizer's own options, so such a group is refused, not ignored.
  // A field still at its default counts as not set (libtorch's idiom builds a group's options
  // from scratch, `MadaOptions(lr)`), so it inherits whatever the optimizer uses.
  const char* first_step_wide_override(const StepOptions& step_wide) const;

  // Presets: the spec's fixed points, the authors' defaults (lr 1e-3; Lion 1e-4; AdamW's
  // weight decay 1e-2). A fixed point keeps its defining coefficients still (no learning).
  static StepOptions preset(Preset p);
  static StepOptions preset(Preset p, double lr);

 private:
#define MADA_STEP_OPTION_MEMBER(type, name, init) type name##_ = init;
  MADA_STEP_OPTION_FIELDS(MADA_STEP_OPTION_MEMBER)
#undef MADA_STEP_OPTION_MEMBER
};

}  // namespace mada
