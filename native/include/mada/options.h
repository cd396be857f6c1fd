// Options of the MADA optimizer and its named presets.
#pragma once

#include <mada/coefficients.h>

#include <torch/arg.h>
#include <torch/optim/optimizer.h>

namespace mada {

// The two modes of the spec: they differ only in the Adan (gradient difference) terms.
enum class Mode : int {
  Paper = 0,      // the paper's equations with the true previous gradient, exact hypergradient
  Reference = 1,  // what the authors' code computes: previous gradient always 0, vbar constant
};

// What step() does with a NaN or Inf gradient. Either way nothing is changed.
enum class NonFinitePolicy : int {
  Error = 0,  // throw mada::Error(ErrorKind::NonFinite)
  Skip = 1,   // return without updating; skipped_steps() counts it
};

// The coefficients' domain D of the spec.
inline Coefficients default_lower_bounds() { return {0.01, 0.501, 0.0, 0.0, 0.0, 0.0}; }
inline Coefficients default_upper_bounds() { return {0.99, 0.99, 0.99, 1.0, 1.0, 1.0}; }
// The authors' hyper learning rates.
inline Coefficients default_hyper_lr() { return {5e-4, 5e-4, 0.1, 0.1, 0.1, 0.1}; }
// Adam's point in coefficient space, with nanoGPT's betas.
inline Coefficients adam_point() { return {0.9, 0.95, 0.0, 1.0, 1.0, 1.0}; }

// lr and weight_decay are per parameter group; every other field is read from the
// optimizer's defaults (the coefficients are shared by all groups, as in the spec).
struct MadaOptions : public torch::optim::OptimizerCloneableOptions<MadaOptions> {
  MadaOptions(double lr = 1e-3) : lr_(lr) {}  // NOLINT: implicit like torch's own options

  TORCH_ARG(double, lr) = 1e-3;
  TORCH_ARG(double, weight_decay) = 0.0;
  TORCH_ARG(Coefficients, q0) = adam_point();
  TORCH_ARG(Coefficients, hyper_lr) = default_hyper_lr();
  TORCH_ARG(LearnMask, learn) = kLearnAll;
  TORCH_ARG(Coefficients, lower) = default_lower_bounds();
  TORCH_ARG(Coefficients, upper) = default_upper_bounds();
  TORCH_ARG(double, eps) = 1e-6;
  TORCH_ARG(double, lion_beta1) = 0.95;
  TORCH_ARG(double, lion_beta2) = 0.98;
  TORCH_ARG(double, hypergrad_clip) = 10.0;
  TORCH_ARG(double, grad_clip) = 0.0;  // global L2 norm; 0 disables clipping
  TORCH_ARG(Mode, mode) = Mode::Paper;
  TORCH_ARG(NonFinitePolicy, non_finite) = NonFinitePolicy::Error;

 public:  // TORCH_ARG leaves the access at private

  double get_lr() const override { return lr_; }
  void set_lr(const double lr) override { lr_ = lr; }

  // Throws mada::Error(InvalidArgument) naming the first field out of its domain.
  void validate() const;
  // Only the per-group fields (lr, weight decay).
  void validate_group() const;

  bool learns(Coefficient k) const { return (learn_ & learn_bit(k)) != 0; }

  // Presets: the spec's fixed points, the authors' defaults.
  static MadaOptions MADA(double lr = 1e-3);       // all six learn, from Adam's point
  static MadaOptions HyperAdam(double lr = 1e-3);  // Adam whose beta1, beta2 learn
  static MadaOptions Adam(double lr = 1e-3);
  static MadaOptions AdamW(double lr = 1e-3, double weight_decay = 1e-2);
  static MadaOptions AVGrad(double lr = 1e-3);  // AMSGrad with a running average: rho = 0
  static MadaOptions Yogi(double lr = 1e-3);    // c = 0
  static MadaOptions Adan(double lr = 1e-3);    // beta3 = 0.08 (Adan's 1 - 0.92)
  static MadaOptions Lion(double lr = 1e-4);    // gamma = 0: sign of the Lion momentum
};

}  // namespace mada
