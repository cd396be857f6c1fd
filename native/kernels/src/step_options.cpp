#include <mada/error.h>
#include <mada/step_options.h>

#include "text/format_number.h"

#include <cmath>
#include <sstream>
#include <string_view>

namespace mada {

namespace {

// Checks run every step, so messages are only built for a check that fails.
template <typename Message>
void require(bool ok, Message&& what) {
  if (!ok) fail(ErrorKind::InvalidArgument, "invalid MADA option: " + std::string(what()));
}

// A field name, optionally prefixed ("lower." + "beta1"), formatted only on failure.
struct Field {
  const char* prefix;
  const char* name;
  std::string str() const { return std::string(prefix) + name; }
};

std::string describe(const Field& f, double value) {
  std::ostringstream s;
  s << f.str() << " = " << format_number(value);
  return s.str();
}

void require_in(const Field& f, double value, double lo, double hi) {
  require(std::isfinite(value) && value >= lo && value <= hi, [&] {
    std::ostringstream s;
    s << describe(f, value) << " (must lie in [" << lo << ", " << hi << "])";
    return s.str();
  });
}

void require_non_negative(const Field& f, double value) {
  require(std::isfinite(value) && value >= 0.0, [&] { return describe(f, value) + " (must be finite and >= 0)"; });
}

// Each coefficient's domain (spec, "Edge cases"): bias corrections 1 - beta^t > 0 need
// beta1, beta2, beta3 < 1, beta2 >= 0.5, and rho, c, gamma are convex weights in [0, 1].
struct Domain {
  double lo, hi;
  bool hi_open;
};
constexpr Domain kDomain[kCoefficientCount] = {
    {0.0, 1.0, true}, {0.5, 1.0, true}, {0.0, 1.0, true}, {0.0, 1.0, false}, {0.0, 1.0, false}, {0.0, 1.0, false}};

void require_in_domain(const Field& f, double value, const Domain& d) {
  const bool below_hi = d.hi_open ? value < d.hi : value <= d.hi;
  require(std::isfinite(value) && value >= d.lo && below_hi, [&] {
    std::ostringstream s;
    s << describe(f, value) << " (must lie in [" << d.lo << ", " << d.hi << (d.hi_open ? ")" : "]") << ")";
    return s.str();
  });
}

}  // namespace

void StepOptions::validate_group() const {
  require_non_negative({"", "lr"}, lr_);
  require_non_negative({"", "weight_decay"}, weight_decay_);
}

void StepOptions::validate() const {
  validate_group();
  for (std::size_t k = 0; k < kCoefficientCount; ++k) {
    const char* name = kCoefficientNames[k];
    require_in_domain({"lower.", name}, lower_[k], kDomain[k]);
    require_in_domain({"upper.", name}, upper_[k], kDomain[k]);
    require(lower_[k] <= upper_[k], [&] {
      return std::string("bounds of ") + name + " are empty: lower " + std::to_string(lower_[k]) + " > upper " +
             std::to_string(upper_[k]);
    });
    // No silent projection of the start: asking for beta2 = 0.999 must not quietly run 0.99.
    require(std::isfinite(q0_[k]) && q0_[k] >= lower_[k] && q0_[k] <= upper_[k], [&] {
      std::ostringstream s;
      s << describe({"q0.", name}, q0_[k]) << " lies outside its bounds [" << lower_[k] << ", " << upper_[k]
        << "]; choose a start inside them or widen lower." << name << " / upper." << name;
      return s.str();
    });
    require_non_negative({"hyper_lr.", name}, hyper_lr_[k]);
  }
  require((learn_ & ~kLearnAll) == 0, [] { return "learn mask has bits beyond the six coefficients"; });
  require(std::isfinite(eps_) && eps_ > 0.0, [&] { return describe({"", "eps"}, eps_) + " (must be finite and > 0)"; });
  require_in({"", "lion_beta1"}, lion_beta1_, 0.0, 1.0);
  require_in({"", "lion_beta2"}, lion_beta2_, 0.0, 1.0);
  require(std::isfinite(hypergrad_clip_) && hypergrad_clip_ > 0.0,
          [&] { return describe({"", "hypergrad_clip"}, hypergrad_clip_) + " (must be finite and > 0)"; });
  require_non_negative({"", "grad_clip"}, grad_clip_);
  require(mode_ == Mode::Paper || mode_ == Mode::Reference, [] { return "mode is neither paper nor reference"; });
  require(non_finite_ == NonFinitePolicy::Error || non_finite_ == NonFinitePolicy::Skip,
          [] { return "non_finite policy is neither error nor skip"; });
}

const char* StepOptions::first_step_wide_override(const StepOptions& step_wide) const {
  const StepOptions unset;
#define MADA_STEP_OPTION_COMPARE(type, name, init)                                    \
  if (std::string_view(#name) != "lr" && std::string_view(#name) != "weight_decay" && \
      !(name##_ == unset.name##_) && !(name##_ == step_wide.name##_))                 \
    return #name;
  MADA_STEP_OPTION_FIELDS(MADA_STEP_OPTION_COMPARE)
#undef MADA_STEP_OPTION_COMPARE
  return nullptr;
}

// Presets. A fixed point keeps its defining coefficients still (no learning).

StepOptions StepOptions::preset(Preset p) {
  return preset(p, p == Preset::Lion ? 1e-4 : 1e-3);
}

StepOptions StepOptions::preset(Preset p, double lr) {
  // Adam's point with one coefficient moved: the spec's other fixed points.
  auto adam_with = [lr](Coefficient k, double value) {
    Coefficients q = adam_point();
    q[static_cast<std::size_t>(k)] = value;
    return StepOptions(lr).learn(kLearnNone).q0(q);
  };
  switch (p) {
    case Preset::Mada: return StepOptions(lr);
    case Preset::HyperAdam: return StepOptions(lr).learn(learn_bit(Coefficient::Beta1) | learn_bit(Coefficient::Beta2));
    case Preset::Adam: return StepOptions(lr).learn(kLearnNone);
    case Preset::AdamW: return StepOptions(lr).learn(kLearnNone).weight_decay(1e-2);
    case Preset::AVGrad: return adam_with(Coefficient::Rho, 0.0);
    case Preset::Yogi: return adam_with(Coefficient::C, 0.0);
    case Preset::Adan: return adam_with(Coefficient::Beta3, 0.08);  // Adan's 1 - 0.92
    case Preset::Lion: return adam_with(Coefficient::Gamma, 0.0);   // sign of the Lion momentum
  }
  fail(ErrorKind::InvalidArgument, "unknown preset " + std::to_string(static_cast<int>(p)));
}

}  // namespace mada
