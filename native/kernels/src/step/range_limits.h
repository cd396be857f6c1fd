// How large a gradient and a learning rate a step can take without making anything it stores
// non-finite in the parameters' storage type (spec, "Edge cases": nothing non-finite is ever
// stored). Both are checked after pass 1 and before anything changes.
#pragma once

#include <mada/step_options.h>

#include <mada/error.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>

namespace mada::kernels {

// The largest |g| a step accepts. |ghat| <= (1 + 2 beta3) max|g| < 3 max|g|, and the second
// moment stays below 2 ghat^2 (Yogi's branch adds (1 - beta2) ghat^2 only to a v below ghat^2),
// so with max|g| <= sqrt(max) / 8, ghat^2, v, vbar and v + ghat^2 stay below half the range.
inline double gradient_limit(bool is_double) {
  const double top = is_double ? std::numeric_limits<double>::max() : std::numeric_limits<float>::max();
  return std::sqrt(top) / 8.0;
}

// A bound on |direction| for gradients within gradient_limit: |A| <= (|mhat| + beta3 |n|) / eps
// with |m| <= limit, 1 / (1 - beta1^t) <= 1 / (1 - beta1's upper bound) and |n| <= 2 limit;
// Lion's sign is 1. (The reference mode's first n = g^2, the authors' quirk, is not covered.)
inline double direction_bound(const StepOptions& o, bool is_double) {
  const double num = 1.0 / (1.0 - o.upper().beta1) + 2.0 * o.upper().beta3;
  return std::max(1.0, gradient_limit(is_double) * num / o.eps());
}

// The largest lr a group may step with: lr * |direction| stays below a quarter of the range,
// so a parameter inside the other three quarters stays finite.
inline double lr_limit(const StepOptions& o, bool is_double) {
  const double top = is_double ? std::numeric_limits<double>::max() : std::numeric_limits<float>::max();
  return top / 4.0 / direction_bound(o, is_double);
}

// The largest lr x weight_decay a group may step with: the decoupled decay p (1 - lr wd) keeps
// |p| from growing only while |1 - lr wd| <= 1.
inline constexpr double kDecayLimit = 2.0;

// The one check of a group's scalars, wherever they enter (a group added, an lr or weight
// decay set, a state loaded) and wherever a front hands them to a step: why a group may not
// step with this lr and this product lr x weight_decay on parameters of this storage type, or
// "" when it may. Both finite and >= 0, lr <= lr_limit, the product <= kDecayLimit.
std::string lr_and_decay_problem(const StepOptions& o, double lr, double decay, bool is_double);

// The same for a learning rate and a weight decay as a caller gives them.
std::string group_scalars_problem(const StepOptions& o, double lr, double weight_decay, bool is_double);

// The same for a group read from a saved state: its lr and weight decay, and the lr of the last
// step, which the next hypergradient scales its sums by.
std::string loaded_group_problem(const StepOptions& o, double lr, double weight_decay, double prev_lr, bool is_double);

// mada::Error(kind), "group <index>: <problem>", when group_scalars_problem finds one.
void check_group_scalars(const StepOptions& o, double lr, double weight_decay, bool is_double, size_t group,
                         ErrorKind kind);

}  // namespace mada::kernels
