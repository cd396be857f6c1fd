// mada::kernels::Engine: the MADA step over parameters and gradients the caller owns (the
// object behind mada_engine). It owns the optimizer state, allocated once per parameter when
// its group is added, and never allocates during a step.
#pragma once

#include "../cpu/cpu_step.h"
#include "../step/hyper_state.h"
#include "../step/memory_ranges.h"

#include <mada/step_options.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mada::kernels {

class Engine {
 public:
  explicit Engine(const StepOptions& options);  // validates the options

  // Parameters numbered over all groups in the order added. is_double: float64, else float32.
  void add_group(const int64_t* numels, size_t count, bool is_double, double lr, double weight_decay);

  size_t group_count() const { return groups_.size(); }
  size_t parameter_count() const { return params_.size(); }
  double lr(size_t group) const;
  void set_lr(size_t group, double lr);
  double weight_decay(size_t group) const;
  void set_weight_decay(size_t group, double weight_decay);
  void set_threads(int threads);  // 0: default_thread_count()

  // One update in place; params[i] and grads[i] (null: no gradient) as mada_engine_step says.
  // Checks everything before anything changes.
  void step(void* const* params, const void* const* grads, size_t count);

  const HyperState& hyper() const { return hyper_; }
  void set_coefficients(const Coefficients& q);
  const StepOptions& options() const { return options_; }

  // The whole state in an envelope; load() checks it all against this engine, then commits.
  std::string save() const;
  void load(const char* data, size_t size);
  // An upper bound of save().size(): a file larger than this cannot be this engine's state.
  size_t max_saved_bytes() const;

 private:
  struct Group {
    double lr, weight_decay;
    bool is_double;
  };
  struct FreeAligned {
    void operator()(void* p) const;
  };
  struct Parameter {
    size_t group;
    int64_t numel;
    bool has_state = false;  // set by its first update
    // m, v, vbar, n, mL, the six derivative rows (bfloat16 under the compact state), gprev.
    std::unique_ptr<char, FreeAligned> state;
  };

  static std::string parameter_name(size_t index);
  int state_rows() const;
  size_t element_size(const Parameter& p) const { return groups_[p.group].is_double ? 8 : 4; }
  size_t derivative_element_size(const Parameter& p) const { return options_.compact_state() ? 2 : element_size(p); }
  // The six derivative rows, rounded up to 8 bytes.
  size_t derivative_bytes(const Parameter& p) const;
  size_t state_bytes(const Parameter& p) const;
  // The bytes that round the derivative rows up to 8, zero: a save is a function of the state.
  void zero_padding(const Parameter& p) const;
  // Points slot's state buffers at the rows starting at base (p's own state, or saved rows
  // being checked before a load).
  void bind_state(TensorSlot& slot, const Parameter& p, const char* base) const;
  void check_step_input(void* const* params, const void* const* grads, size_t count);

  StepOptions options_;
  std::vector<Group> groups_;
  std::vector<Parameter> params_;
  CpuStep step_;
  HyperState hyper_;
  int threads_;
  MemoryRanges ranges_;  // scratch for the overlap check
};

}  // namespace mada::kernels
