#include "loaded_state.h"

#include <mada/error.h>

#include <cmath>
#include <cstring>

namespace mada::kernels {

namespace {

template <typename T>
bool all_values(const void* data, int64_t count, bool non_negative) {
  const char* bytes = static_cast<const char*>(data);
  for (int64_t i = 0; i < count; ++i) {
    T x;
    std::memcpy(&x, bytes + i * sizeof(T), sizeof(T));
    if (!std::isfinite(x) || (non_negative && x < 0)) return false;
  }
  return true;
}

}  // namespace

void check_loaded_hyper(const HyperState& hyper) {
  if (hyper.t < 0 || hyper.skipped < 0) fail(ErrorKind::Checkpoint, "checkpoint has a negative step count");
  for (std::size_t k = 0; k < kCoefficientCount; ++k) {
    if (!std::isfinite(hyper.q[k]) || !std::isfinite(hyper.h[k]))
      fail(ErrorKind::Checkpoint, std::string("checkpoint coefficient ") + kCoefficientNames[k] +
                                      " or its hypergradient is not finite");
  }
  if (!(std::isfinite(hyper.grad_norm) && hyper.grad_norm >= 0))
    fail(ErrorKind::Checkpoint, "checkpoint gradient norm is not finite and >= 0");
  for (double lr : hyper.prev_lr) {
    if (!(std::isfinite(lr) && lr >= 0))
      fail(ErrorKind::Checkpoint, "checkpoint has a previous learning rate that is not finite and >= 0");
  }
}

void check_loaded_state(const TensorSlot& slot, const std::string& name) {
  struct Buffer {
    const char* what;
    const void* data;
    int64_t rows;
    bool non_negative;
  };
  const Buffer buffers[] = {{"m", slot.m, 1, false},       {"v", slot.v, 1, true},   {"vbar", slot.vbar, 1, true},
                            {"n", slot.n, 1, false},       {"mL", slot.mL, 1, false}, {"gprev", slot.gprev, 1, false},
                            {"d", slot.d, static_cast<int64_t>(kCoefficientCount), false}};
  for (const Buffer& b : buffers) {
    if (b.data == nullptr) continue;  // gprev in reference mode
    const int64_t count = b.rows * slot.numel;
    const bool ok = slot.is_double ? all_values<double>(b.data, count, b.non_negative)
                                   : all_values<float>(b.data, count, b.non_negative);
    if (!ok)
      fail(ErrorKind::Checkpoint, name + ": its saved state " + b.what + " holds a value that is not finite" +
                                      (b.non_negative ? " and >= 0" : ""));
  }
}

}  // namespace mada::kernels
