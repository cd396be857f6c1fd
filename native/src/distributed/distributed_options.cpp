#include <mada/training/distributed.h>

#include <mada/error.h>

#include "store_address.h"

namespace mada {

void DistributedOptions::validate() const {
  auto require = [](bool ok, const std::string& what) {
    if (!ok) fail(ErrorKind::InvalidArgument, "invalid distributed option: " + what);
  };
  require(world_size >= 1, "world_size must be >= 1");
  require(rank >= 0 && rank < world_size, "rank must lie in [0, world_size)");
  require(timeout_seconds > 0 && timeout_seconds <= 86400, "timeout_seconds must lie in (0, 86400]");
  require(check_every >= 0, "check_every must be >= 0");
  if (enabled()) detail::StoreAddress::parse(store);
}

}  // namespace mada
