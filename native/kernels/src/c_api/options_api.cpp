#include "options_c.h"

#include "guard.h"

#include <mada/error.h>

#include <string>
#include <type_traits>

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

namespace {

// One field of mada_options to its C++ type and back: coefficients go through their struct
// twins, every other field (doubles, the learn mask, the enums tied above) is a plain cast.
template <class Cpp, class C>
Cpp field_from_c(const C& value) {
  if constexpr (std::is_same_v<Cpp, Coefficients>) return from_c(value);
  else return static_cast<Cpp>(value);
}

template <class C, class Cpp>
C field_to_c(const Cpp& value) {
  if constexpr (std::is_same_v<Cpp, Coefficients>) return to_c(value);
  else return static_cast<C>(value);
}

}  // namespace

// Both directions are driven by MADA_STEP_OPTION_FIELDS, whose names the C struct shares: a
// field added there and not to mada_options (or the reverse) does not compile.
StepOptions from_c(const mada_options& o) {
  const int mode = c_enum(o.mode), non_finite = c_enum(o.non_finite);
  if (mode != MADA_MODE_PAPER && mode != MADA_MODE_REFERENCE)
    fail(ErrorKind::InvalidArgument, "invalid MADA option: unknown mode " + std::to_string(mode));
  if (non_finite != MADA_NON_FINITE_ERROR && non_finite != MADA_NON_FINITE_SKIP)
    fail(ErrorKind::InvalidArgument, "invalid MADA option: unknown non_finite policy " + std::to_string(non_finite));
  StepOptions s;
#define MADA_OPTION_FROM_C(type, name, init) s.name(field_from_c<type>(o.name));
  MADA_STEP_OPTION_FIELDS(MADA_OPTION_FROM_C)
#undef MADA_OPTION_FROM_C
  s.validate();
  return s;
}

mada_options to_c(const StepOptions& s) {
  mada_options o{};
#define MADA_OPTION_TO_C(type, name, init) o.name = field_to_c<decltype(o.name)>(s.name());
  MADA_STEP_OPTION_FIELDS(MADA_OPTION_TO_C)
#undef MADA_OPTION_TO_C
  return o;
}

// Every byte of mada_options is one of those fields (or the padding after learn): a C field the
// list does not name would be left at zero by to_c.
static_assert(sizeof(mada_options) == 4 * sizeof(mada_coefficients) + 7 * sizeof(double) + sizeof(uint32_t) + 4 +
                                          sizeof(mada_mode) + sizeof(mada_non_finite_policy) + sizeof(int32_t) +
                                          4 /* tail padding */);

}  // namespace mada::c_api

using mada::c_api::guarded;
using mada::c_api::require_non_null;

extern "C" {

mada_status mada_options_preset(mada_preset preset, mada_options* out) noexcept {
  return guarded([&] {
    require_non_null(out, "out");
    const int value = mada::c_api::c_enum(preset);
    if (value < 0 || value >= mada::kPresetCount)
      mada::fail(mada::ErrorKind::InvalidArgument, "unknown preset " + std::to_string(value));
    *out = mada::c_api::to_c(mada::StepOptions::preset(static_cast<mada::Preset>(value)));
  });
}

mada_status mada_options_validate(const mada_options* options) noexcept {
  return guarded([&] {
    require_non_null(options, "options");
    mada::c_api::from_c(*options);
  });
}

}  // extern "C"
