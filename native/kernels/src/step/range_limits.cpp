#include "range_limits.h"

#include "../text/format_number.h"

namespace mada::kernels {

namespace {

const char* type_name(bool is_double) { return is_double ? "float64" : "float32"; }

}  // namespace

std::string lr_and_decay_problem(const StepOptions& o, double lr, double decay, bool is_double) {
  if (!(std::isfinite(lr) && lr >= 0.0)) return "lr = " + format_number(lr) + " (must be finite and >= 0)";
  const double lr_max = lr_limit(o, is_double);
  if (lr > lr_max)
    return "lr = " + format_number(lr, 3) + " is above " + format_number(lr_max, 3) + ", the largest that keeps a " +
           type_name(is_double) + " parameter finite for any gradient within range at these bounds and eps";
  // p (1 - lr wd) is no larger than p only while lr wd <= 2: above, the decay itself grows
  // every parameter at every step.
  if (!(std::isfinite(decay) && decay >= 0.0 && decay <= kDecayLimit))
    return "lr x weight_decay = " + format_number(decay, 3) + " is above " + format_number(kDecayLimit, 3) +
           ", where the decay grows the parameters at every step";
  return "";
}

std::string group_scalars_problem(const StepOptions& o, double lr, double weight_decay, bool is_double) {
  if (!(std::isfinite(weight_decay) && weight_decay >= 0.0))
    return "weight_decay = " + format_number(weight_decay) + " (must be finite and >= 0)";
  return lr_and_decay_problem(o, lr, lr * weight_decay, is_double);
}

std::string loaded_group_problem(const StepOptions& o, double lr, double weight_decay, double prev_lr, bool is_double) {
  std::string problem = group_scalars_problem(o, lr, weight_decay, is_double);
  return problem.empty() ? lr_and_decay_problem(o, prev_lr, 0.0, is_double) : problem;
}

void check_group_scalars(const StepOptions& o, double lr, double weight_decay, bool is_double, size_t group,
                         ErrorKind kind) {
  const std::string problem = group_scalars_problem(o, lr, weight_decay, is_double);
  if (!problem.empty()) fail(kind, "group " + std::to_string(group) + ": " + problem);
}

}  // namespace mada::kernels
