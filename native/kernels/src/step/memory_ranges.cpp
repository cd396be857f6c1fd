#include "memory_ranges.h"

#include <mada/error.h>

#include <algorithm>

namespace mada::kernels {

void MemoryRanges::require_disjoint() {
  std::sort(ranges_.begin(), ranges_.end());
  for (size_t i = 1; i < ranges_.size(); ++i) {
    if (ranges_[i].first < ranges_[i - 1].second)
      fail(ErrorKind::InvalidArgument,
           "two parameters share memory (the same tensor given twice?); each parameter must be given once");
  }
}

}  // namespace mada::kernels
