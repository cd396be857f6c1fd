// The rows a sharded training batch draws before taking its part: the checks every dataset
// makes on a BatchShard, in one place.
#pragma once

#include <mada/data/dataset.h>
#include <mada/error.h>

#include <string>

namespace mada::detail {

inline int64_t shard_rows(int64_t batch_size, const BatchShard& shard) {
  if (batch_size < 1) fail(ErrorKind::InvalidArgument, "a training batch needs at least one row");
  if (shard.count < 1 || shard.index < 0 || shard.index >= shard.count)
    fail(ErrorKind::InvalidArgument, "batch shard " + std::to_string(shard.index) + " of " +
                                         std::to_string(shard.count) + " does not exist");
  return batch_size * shard.count;
}

}  // namespace mada::detail
