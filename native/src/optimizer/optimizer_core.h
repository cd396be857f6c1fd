// What mada::Mada keeps behind its pointer, and the checks its step and its serialization
// share. Internal to libmada.
#pragma once

#include <mada/optimizer.h>

#include "kernels/src/cpu/cpu_step.h"
#include "kernels/src/step/hyper_state.h"
#include "kernels/src/step/memory_ranges.h"

#include <string>

namespace mada {

struct Mada::Core {
  kernels::CpuStep step;      // the kernel core's fused CPU step, on the tensors' memory
  kernels::HyperState hyper;  // coefficients, hypergradient, counts, previous lr per group
  kernels::MemoryRanges ranges;  // scratch: the parameters' memory must not overlap
};

namespace detail {

// Names a parameter in messages; built only when there is something to report.
struct Where {
  size_t group, index;
  operator std::string() const {
    return "parameter " + std::to_string(index) + " of group " + std::to_string(group);
  }
};
inline std::string operator+(const Where& w, const char* s) { return std::string(w) + s; }

// The MadaOptions of a group (mada::Error if a group holds another options type).
MadaOptions& group_options(torch::optim::OptimizerParamGroup& group);

// Whether a group's lr limit is float64's: all its parameters are float64 (one float32
// parameter, or none, makes it float32's, the stricter).
bool group_is_double(const torch::optim::OptimizerParamGroup& group);

// The group's own options (lr, weight decay) valid, within the limits a step takes for its
// parameters' type, and nothing else of its own (StepOptions::first_step_wide_override):
// mada::Error(InvalidArgument) naming the group, the value and the limit otherwise.
void check_group(const torch::optim::OptimizerParamGroup& group, const MadaOptions& defaults, size_t index);

// Why a state does not fit p: "its optimizer state does not fit a parameter of ...".
std::string state_misfit(const torch::Tensor& p, const StepOptions& o);

// fp64 parameters keep fp64 state (the finite-difference checks need it); all others fp32.
torch::ScalarType state_dtype(const torch::Tensor& p);

// The six derivative rows: bfloat16 under compact_state, else the state's dtype.
torch::ScalarType derivative_dtype(const torch::Tensor& p, const StepOptions& o);

// A parameter the CPU step can update: defined, CPU, float32 or float64, contiguous.
// Name is anything that makes a string (Where, std::string), formatted only on failure.
template <typename Name>
void check_param(const torch::Tensor& p, const Name& name) {
  if (!p.defined()) fail(ErrorKind::InvalidArgument, name + " is an undefined tensor");
  if (!p.device().is_cpu())
    fail(ErrorKind::Unsupported, name + " is on " + p.device().str() +
                                     ": this build of MADA has only the CPU step");
  if (p.scalar_type() != torch::kFloat && p.scalar_type() != torch::kDouble)
    fail(ErrorKind::InvalidArgument, name + " has dtype " + std::string(c10::toString(p.scalar_type())) +
                                         "; the CPU step takes float32 or float64 parameters");
  if (!p.is_contiguous()) fail(ErrorKind::InvalidArgument, name + " is not contiguous");
}

// Points slot's state buffers at s's tensors (which must fit the parameter: state_fits).
void bind_state(kernels::TensorSlot& slot, const MadaParamState& s);

// Whether the state fits parameter p in o's mode and state precision.
bool state_fits(const MadaParamState& s, const torch::Tensor& p, const StepOptions& o);

// mada::Error(kind) naming the parameter when the state does not fit it.
template <typename Name>
void check_state(const MadaParamState& s, const torch::Tensor& p, const StepOptions& o, const Name& name,
                 ErrorKind kind) {
  if (!state_fits(s, p, o)) fail(kind, std::string(name) + ": " + state_misfit(p, o));
}

}  // namespace detail
}  // namespace mada
