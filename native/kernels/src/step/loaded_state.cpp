#include "loaded_state.h"

#include "range_limits.h"
#include "../math/bfloat16.h"
#include "../text/format_number.h"

#include <mada/error.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace mada::kernels {

namespace {

// Whether every value is finite and within [low, high].
template <typename Stored>
bool all_within(const void* data, int64_t count, double low, double high) {
  const char* bytes = static_cast<const char*>(data);
  for (int64_t i = 0; i < count; ++i) {
    Stored stored;
    std::memcpy(&stored, bytes + i * sizeof(Stored), sizeof(Stored));
    const double x = DerivativeStore<double, Stored>::load(stored);
    if (!(std::isfinite(x) && x >= low && x <= high)) return false;
  }
  return true;
}

}  // namespace

void check_loaded_hyper(const HyperState& hyper, const StepOptions& options, const Coefficients& held) {
  if (hyper.t < 0 || hyper.skipped < 0) fail(ErrorKind::Checkpoint, "checkpoint has a negative step count");
  for (std::size_t k = 0; k < kCoefficientCount; ++k) {
    const double q = hyper.q[k], low = options.lower()[k], high = options.upper()[k];
    if (!(q >= low && q <= high))
      fail(ErrorKind::Checkpoint, std::string("checkpoint coefficient ") + kCoefficientNames[k] + " = " +
                                      format_number(q) + " is outside its bounds [" + format_number(low) + ", " +
                                      format_number(high) + "]");
    if (!options.learns(static_cast<Coefficient>(k)) && q != held[k])
      fail(ErrorKind::Checkpoint, std::string("checkpoint coefficient ") + kCoefficientNames[k] + " = " +
                                      format_number(q) + " differs from " + format_number(held[k]) +
                                      ", which this optimizer holds fixed (it does not learn " + kCoefficientNames[k] +
                                      "): a state of another optimizer or preset");
    if (!std::isfinite(hyper.h[k]))
      fail(ErrorKind::Checkpoint, std::string("checkpoint hypergradient of ") + kCoefficientNames[k] + " is not finite");
  }
  if (!(std::isfinite(hyper.grad_norm) && hyper.grad_norm >= 0))
    fail(ErrorKind::Checkpoint, "checkpoint gradient norm is not finite and >= 0");
  for (double lr : hyper.prev_lr) {
    if (!(std::isfinite(lr) && lr >= 0))
      fail(ErrorKind::Checkpoint, "checkpoint has a previous learning rate that is not finite and >= 0");
  }
}

void check_loaded_state(const TensorSlot& slot, Mode mode, const std::string& name) {
  const double limit = gradient_limit(slot.is_double);
  const double inf = std::numeric_limits<double>::infinity();
  const double n_bound = mode == Mode::Reference ? std::max(2.0 * limit, limit * limit) : 2.0 * limit;
  struct Buffer {
    const char* what;
    const void* data;
    int64_t rows;
    double low, high;
  };
  // The derivatives only enter the next hypergradient, whose sums the step checks finite.
  const Buffer buffers[] = {{"m", slot.m, 1, -limit, limit},
                            {"v", slot.v, 1, 0.0, 18.0 * limit * limit},
                            {"vbar", slot.vbar, 1, 0.0, 18.0 * limit * limit},
                            {"n", slot.n, 1, -n_bound, n_bound},
                            {"mL", slot.mL, 1, -limit, limit},
                            {"gprev", slot.gprev, 1, -limit, limit},
                            {"d", slot.d, static_cast<int64_t>(kCoefficientCount), -inf, inf}};
  for (const Buffer& b : buffers) {
    if (b.data == nullptr) continue;  // gprev in reference mode
    const int64_t count = b.rows * slot.numel;
    const bool bfloat16 = slot.compact && b.data == slot.d;
    const bool ok = bfloat16         ? all_within<BFloat16>(b.data, count, b.low, b.high)
                    : slot.is_double ? all_within<double>(b.data, count, b.low, b.high)
                                     : all_within<float>(b.data, count, b.low, b.high);
    if (!ok) {
      const std::string range = b.high == inf ? "finite"
                                              : "within [" + format_number(b.low, 3) + ", " + format_number(b.high, 3) + "]";
      fail(ErrorKind::Checkpoint, name + ": its saved state " + b.what + " holds a value that is not " + range +
                                      ", which no update with gradients within range produces");
    }
  }
}

}  // namespace mada::kernels
