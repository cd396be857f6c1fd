// The fused CUDA step on device memory the caller owns: pass 1 (the six hypergradient sums,
// the squared gradient norm and the largest gradient magnitude, per chunk of every tensor in
// one launch), a one-block kernel that sums the chunks in a fixed order and does the hyper
// step on the device, and pass 2 (update_element, the function the CPU loops call). Nothing
// is copied to the host and nothing synchronises inside a step.
//
// The host includes this header without CUDA's: streams travel as void*.
#pragma once

#include "../step/hyper_state.h"

#include <mada/step_options.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace mada::kernels {

// The element type of a parameter and its gradient on the device. The state is float32.
enum class DeviceType : uint8_t { Float32 = 0, BFloat16 = 1, Float16 = 2 };

// One parameter tensor on the device. Unlike the CPU's TensorSlot it carries no freshness:
// whether its state holds an update is the device's `initialized` flag, since only the device
// knows whether a step was applied or dropped as out of range.
struct DeviceSlot {
  void* p = nullptr;
  const void* g = nullptr;  // null: no gradient this step (its derivatives are zeroed)
  float* m = nullptr;
  float* v = nullptr;
  float* vbar = nullptr;
  float* n = nullptr;
  float* mL = nullptr;
  float* gprev = nullptr;  // paper mode only
  void* d = nullptr;       // 6 rows of numel: float, or bfloat16 under compact_state
  int32_t* initialized = nullptr;  // one int on the device: 0 for new state, 1 once updated
  int64_t numel = 0;
  int32_t group = 0;
  DeviceType type = DeviceType::Float32;
};

// At most this many parameter groups: their rates travel as kernel arguments.
inline constexpr int kMaxDeviceGroups = 32;

class CudaStep {
 public:
  // options.validate() must hold; the coefficients start at project(q0). Throws
  // mada::Error(Unsupported) when no CUDA device is present.
  explicit CudaStep(const StepOptions& options);
  ~CudaStep();
  CudaStep(const CudaStep&) = delete;
  CudaStep& operator=(const CudaStep&) = delete;

  // One update on `stream` (null: the default stream). lr and decay per group (decay = lr x
  // weight decay). Checks on the host what the host knows (sizes, alignment, lr and decay
  // bounds) and throws before anything is queued. A gradient out of range (NaN, Inf, too large
  // for the second moment) is found on the device: the update is dropped there, the skipped
  // count grows, and under the error policy the next step() or state() throws
  // mada::Error(NonFinite) once it sees it.
  void step(const std::vector<DeviceSlot>& slots, const std::vector<double>& lr, const std::vector<double>& decay,
            void* stream);

  // The hyper state, copied to the host (waits for the stream's work).
  HyperState state(void* stream);
  // Replaces the hyper state (a checkpoint being loaded; checked by the caller).
  void set_state(const HyperState& state, void* stream);

  // Whether this process sees a CUDA device (false in builds without CUDA).
  static bool device_present();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mada::kernels
