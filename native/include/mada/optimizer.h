// mada::Mada: the MADA optimizer as a torch::optim::Optimizer.
//
//   auto opt = mada::Mada(model->parameters(), mada::MadaOptions::MADA(3e-4));
//   loss.backward(); opt.step(); opt.zero_grad();
//   opt.coefficients();  // the six learned coefficients, after any update
#pragma once

#include <mada/coefficients.h>
#include <mada/error.h>
#include <mada/options.h>

#include <torch/optim/optimizer.h>
#include <torch/serialize/archive.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace mada {

namespace detail {
struct MadaStateIo;  // saving and loading, inside libmada
struct ShardedMada;  // one rank's slice of a sharded data-parallel run, inside libmada

// Optimizer::state() is keyed by a string in libtorch 1.13 and by the TensorImpl pointer in 2.x.
using StateKey = std::decay_t<decltype(std::declval<torch::optim::Optimizer&>().state())>::key_type;

template <typename Key>
Key state_key_as(const torch::Tensor& p) {
  if constexpr (std::is_same_v<Key, std::string>) {
    char key[2 + 2 * sizeof(void*) + 1];  // "0x" and hex digits: fits the small-string buffer
    std::snprintf(key, sizeof key, "%p", static_cast<void*>(p.unsafeGetTensorImpl()));
    return key;
  } else {
    return p.unsafeGetTensorImpl();
  }
}
}  // namespace detail

// The key of parameter p in Optimizer::state(), whichever libtorch this is built against.
inline detail::StateKey state_key(const torch::Tensor& p) { return detail::state_key_as<detail::StateKey>(p); }

// Per-parameter state. gprev exists in paper mode only; d holds the six derivative buffers
// (shape [6, numel], one row per coefficient). States are fp32 except for fp64 parameters.
struct MadaParamState : public torch::optim::OptimizerCloneableParamState<MadaParamState> {
  torch::Tensor m, v, vbar, n, mL, gprev, d;
};

class Mada : public torch::optim::Optimizer {
 public:
  explicit Mada(std::vector<torch::optim::OptimizerParamGroup> param_groups,
                MadaOptions defaults = {});
  explicit Mada(std::vector<torch::Tensor> params, MadaOptions defaults = {});
  Mada(Mada&&) noexcept;
  ~Mada() override;

  // One update (the spec's steps 1-6). Checks every parameter's gradient first and changes
  // nothing when one is wrong (mada::Error) or non-finite (error or skip, by policy).
  torch::Tensor step(LossClosure closure = nullptr) override;

  // Coefficients, step count and every state buffer, through libtorch's archives (torch::save).
  // load() checks the whole archive against this optimizer before changing anything.
  // save_checkpoint and friends below write libmada's own format instead.
  void save(torch::serialize::OutputArchive& archive) const override;
  void load(torch::serialize::InputArchive& archive) override;

  const MadaOptions& options() const;
  // The coefficients of the last update (before the first: q0).
  const Coefficients& coefficients() const;
  // The last hypergradient, before clipping (zeros before the second update).
  const Coefficients& hypergradient() const;
  // Replaces the coefficients (projected into the bounds), e.g. to restart from a point.
  void set_coefficients(const Coefficients& q);
  int64_t step_count() const;
  int64_t skipped_steps() const;
  // Global L2 norm of the last update's gradients, before clipping.
  double grad_norm() const;
  // The state of parameter p, or null before its first update.
  const MadaParamState* state_of(const torch::Tensor& p) const;

 private:
  friend struct detail::MadaStateIo;
  friend struct detail::ShardedMada;
  // The kernel core's CPU step and the optimizer-wide state it updates.
  struct Core;
  std::unique_ptr<Core> core_;
};

// Checkpoints in libmada's own checked format (named, typed arrays under a CRC), which never
// reach libtorch's archive reader. Files are written atomically: a temporary file in the same
// folder, renamed over path. Loading checks everything before changing anything.
void save_checkpoint(const Mada& optimizer, const std::string& path);
void load_checkpoint(Mada& optimizer, const std::string& path);
std::string save_to_bytes(const Mada& optimizer);
void load_from_bytes(Mada& optimizer, const char* data, size_t size);

}  // namespace mada
