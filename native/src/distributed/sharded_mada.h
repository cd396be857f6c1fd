// What a sharded data-parallel run needs inside mada::Mada (a friend): the step's partial sums
// summed across ranks before they are used, and the optimizer-wide state moved between the
// sharded optimizer and one over the whole parameters (for checkpoints).
#pragma once

#include "communicator.h"

#include <mada/optimizer.h>

namespace mada::detail {

struct ShardedMada {
  // From now on each step of `optimizer` sums its hypergradient dots and squared gradient norm
  // over the ranks (in one all-reduce, the same bytes on every rank) and takes the largest
  // gradient ratio of all, so every rank takes the same hyper step, clip and range decision.
  static void sum_across_ranks(Mada& optimizer, Communicator& ranks);
  // Coefficients, hypergradient, counts and previous learning rates.
  static void copy_hyper_state(const Mada& from, Mada& to);
};

}  // namespace mada::detail
