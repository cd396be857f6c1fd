#include "guard.h"
#include "handles.h"

namespace mada::c_api {

namespace {

Coefficients from_c(const mada_coefficients& c) { return {c.beta1, c.beta2, c.beta3, c.rho, c.c, c.gamma}; }
mada_coefficients to_c(const Coefficients& c) { return {c.beta1, c.beta2, c.beta3, c.rho, c.c, c.gamma}; }

MadaOptions preset(mada_preset p) {
  switch (p) {
    case MADA_PRESET_MADA: return MadaOptions::MADA();
    case MADA_PRESET_HYPER_ADAM: return MadaOptions::HyperAdam();
    case MADA_PRESET_ADAM: return MadaOptions::Adam();
    case MADA_PRESET_ADAMW: return MadaOptions::AdamW();
    case MADA_PRESET_AVGRAD: return MadaOptions::AVGrad();
    case MADA_PRESET_YOGI: return MadaOptions::Yogi();
    case MADA_PRESET_ADAN: return MadaOptions::Adan();
    case MADA_PRESET_LION: return MadaOptions::Lion();
  }
  fail(ErrorKind::InvalidArgument, "unknown preset " + std::to_string(static_cast<int>(p)));
}

}  // namespace

MadaOptions to_options(const mada_options& o) {
  if (o.mode != MADA_MODE_PAPER && o.mode != MADA_MODE_REFERENCE)
    fail(ErrorKind::InvalidArgument, "invalid MADA option: unknown mode " + std::to_string(o.mode));
  if (o.non_finite != MADA_NON_FINITE_ERROR && o.non_finite != MADA_NON_FINITE_SKIP)
    fail(ErrorKind::InvalidArgument,
         "invalid MADA option: unknown non_finite policy " + std::to_string(o.non_finite));
  MadaOptions m(o.lr);
  m.weight_decay(o.weight_decay)
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
  m.validate();
  return m;
}

mada_coefficients to_c_coefficients(const Coefficients& c) { return to_c(c); }
Coefficients from_c_coefficients(const mada_coefficients& c) { return from_c(c); }

}  // namespace mada::c_api

using mada::c_api::guarded;
using mada::c_api::require_non_null;

extern "C" {

mada_status mada_options_preset(mada_preset preset, mada_options* out) {
  return guarded([&] {
    require_non_null(out, "out");
    const mada::MadaOptions m = mada::c_api::preset(preset);
    mada_options o{};
    o.lr = m.lr();
    o.weight_decay = m.weight_decay();
    o.q0 = mada::c_api::to_c(m.q0());
    o.hyper_lr = mada::c_api::to_c(m.hyper_lr());
    o.learn_mask = m.learn();
    o.lower = mada::c_api::to_c(m.lower());
    o.upper = mada::c_api::to_c(m.upper());
    o.eps = m.eps();
    o.lion_beta1 = m.lion_beta1();
    o.lion_beta2 = m.lion_beta2();
    o.hypergrad_clip = m.hypergrad_clip();
    o.grad_clip = m.grad_clip();
    o.mode = static_cast<mada_mode>(m.mode());
    o.non_finite = static_cast<mada_non_finite_policy>(m.non_finite());
    *out = o;
  });
}

mada_status mada_options_validate(const mada_options* options) {
  return guarded([&] {
    require_non_null(options, "options");
    mada::c_api::to_options(*options);
  });
}

}  // extern "C"
