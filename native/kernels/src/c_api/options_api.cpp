#include "options_c.h"

#include "guard.h"

#include <mada/error.h>

#include <string>

namespace mada::c_api {

// The C enums are the C++ enums' twins, value for value.
static_assert(static_cast<int>(Mode::Paper) == MADA_MODE_PAPER);
static_assert(static_cast<int>(Mode::Reference) == MADA_MODE_REFERENCE);
static_assert(static_cast<int>(NonFinitePolicy::Error) == MADA_NON_FINITE_ERROR);
static_assert(static_cast<int>(NonFinitePolicy::Skip) == MADA_NON_FINITE_SKIP);
static_assert(static_cast<int>(Preset::Mada) == MADA_PRESET_MADA);
static_assert(static_cast<int>(Preset::HyperAdam) == MADA_PRESET_HYPER_ADAM);
static_assert(static_cast<int>(Preset::Adam) == MADA_PRESET_ADAM);
static_assert(static_cast<int>(Preset::AdamW) == MADA_PRESET_ADAMW);
static_assert(static_cast<int>(Preset::AVGrad) == MADA_PRESET_AVGRAD);
static_assert(static_cast<int>(Preset::Yogi) == MADA_PRESET_YOGI);
static_assert(static_cast<int>(Preset::Adan) == MADA_PRESET_ADAN);
static_assert(static_cast<int>(Preset::Lion) == MADA_PRESET_LION);
static_assert(kPresetCount == MADA_PRESET_LION + 1);
static_assert(static_cast<int>(Coefficient::Gamma) == MADA_COEFFICIENT_GAMMA);
static_assert(kCoefficientCount == MADA_COEFFICIENT_COUNT);
static_assert(sizeof(Coefficients) == sizeof(mada_coefficients));

Coefficients from_c(const mada_coefficients& c) { return {c.beta1, c.beta2, c.beta3, c.rho, c.c, c.gamma}; }
mada_coefficients to_c(const Coefficients& c) { return {c.beta1, c.beta2, c.beta3, c.rho, c.c, c.gamma}; }

StepOptions from_c(const mada_options& o) {
  if (o.mode != MADA_MODE_PAPER && o.mode != MADA_MODE_REFERENCE)
    fail(ErrorKind::InvalidArgument, "invalid MADA option: unknown mode " + std::to_string(o.mode));
  if (o.non_finite != MADA_NON_FINITE_ERROR && o.non_finite != MADA_NON_FINITE_SKIP)
    fail(ErrorKind::InvalidArgument,
         "invalid MADA option: unknown non_finite policy " + std::to_string(o.non_finite));
  StepOptions s(o.lr);
  s.weight_decay(o.weight_decay)
      .q0(from_c(o.q0))
      .hyper_lr(from_c(o.hyper_lr))
      .learn(o.learn_mask)
      .lower(from_c(o.lower))
      .upper(from_c(o.upper))
      .eps(o.eps)
      .lion_beta1(o.lion_beta1)
      .lion_beta2(o.lion_beta2)
      .hypergrad_clip(o.hypergrad_clip)
      .grad_clip(o.grad_clip)
      .mode(static_cast<Mode>(o.mode))
      .non_finite(static_cast<NonFinitePolicy>(o.non_finite));
  s.validate();
  return s;
}

mada_options to_c(const StepOptions& s) {
  mada_options o{};
  o.lr = s.lr();
  o.weight_decay = s.weight_decay();
  o.q0 = to_c(s.q0());
  o.hyper_lr = to_c(s.hyper_lr());
  o.learn_mask = s.learn();
  o.lower = to_c(s.lower());
  o.upper = to_c(s.upper());
  o.eps = s.eps();
  o.lion_beta1 = s.lion_beta1();
  o.lion_beta2 = s.lion_beta2();
  o.hypergrad_clip = s.hypergrad_clip();
  o.grad_clip = s.grad_clip();
  o.mode = static_cast<mada_mode>(s.mode());
  o.non_finite = static_cast<mada_non_finite_policy>(s.non_finite());
  return o;
}

}  // namespace mada::c_api

using mada::c_api::guarded;
using mada::c_api::require_non_null;

extern "C" {

mada_status mada_options_preset(mada_preset preset, mada_options* out) noexcept {
  return guarded([&] {
    require_non_null(out, "out");
    if (static_cast<int>(preset) < 0 || static_cast<int>(preset) >= mada::kPresetCount)
      mada::fail(mada::ErrorKind::InvalidArgument, "unknown preset " + std::to_string(static_cast<int>(preset)));
    *out = mada::c_api::to_c(mada::StepOptions::preset(static_cast<mada::Preset>(preset)));
  });
}

mada_status mada_options_validate(const mada_options* options) noexcept {
  return guarded([&] {
    require_non_null(options, "options");
    mada::c_api::from_c(*options);
  });
}

}  // extern "C"
