#include "memory_ranges.h"

#include <mada/error.h>

#include <algorithm>

namespace mada::kernels {

void MemoryRanges::require_disjoint() {
  std::sort(ranges_.begin(), ranges_.end(), [](const Range& a, const Range& b) { return a.begin < b.begin; });
  for (size_t i = 1; i < ranges_.size(); ++i) {
    if (ranges_[i].begin < ranges_[i - 1].end)
      fail(ErrorKind::InvalidArgument,
           "two parameters share memory (the same tensor given twice?); each parameter must be given once");
  }
}

std::ptrdiff_t MemoryRanges::gradient_overlap(const void* begin, uint64_t bytes, size_t own) const {
  const auto b = reinterpret_cast<uintptr_t>(begin);
  const uintptr_t e = b + static_cast<uintptr_t>(bytes);
  // Disjoint and sorted by begin, so sorted by end too: the first range ending after b.
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), b, [](uintptr_t x, const Range& r) { return x < r.end; });
  for (; it != ranges_.end() && it->begin < e; ++it) {
    const bool exactly_own = it->index == own && it->begin == b && it->end == e;
    if (!exactly_own) return static_cast<std::ptrdiff_t>(it->index);
  }
  return -1;
}

}  // namespace mada::kernels
