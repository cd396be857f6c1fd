// Parameters of one step must not share memory: the second update of an element would read
// state the first one already wrote, and an owner of state (mada::Mada) would free it twice.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace mada::kernels {

// [begin, end) byte ranges of a step's parameters. Keep one per step object: its capacity is
// reused, so the check allocates nothing in steady state.
class MemoryRanges {
 public:
  void clear() { ranges_.clear(); }
  void reserve(size_t n) { ranges_.reserve(n); }
  void add(const void* begin, uint64_t bytes) {
    const auto b = reinterpret_cast<uintptr_t>(begin);
    ranges_.emplace_back(b, b + static_cast<uintptr_t>(bytes));
  }
  // Throws mada::Error(InvalidArgument) when two ranges overlap; sorts them.
  void require_disjoint();

 private:
  std::vector<std::pair<uintptr_t, uintptr_t>> ranges_;
};

}  // namespace mada::kernels
