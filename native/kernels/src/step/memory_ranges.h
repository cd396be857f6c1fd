// The memory a step is handed must not alias in ways that change its result. Parameters must
// not share memory: the second update of an element would read state the first one already
// wrote, and an owner of state (mada::Mada) would free it twice. A gradient may be exactly its
// own parameter's buffer (each element is read before it is written) but must not overlap any
// other parameter, or its own shifted: the update would then read values it already changed,
// in an order that depends on the blocks and the threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mada::kernels {

// [begin, end) byte ranges of a step's parameters. Keep one per step object: its capacity is
// reused, so the checks allocate nothing in steady state.
class MemoryRanges {
 public:
  void clear() { ranges_.clear(); }
  void reserve(size_t n) { ranges_.reserve(n); }
  // The memory of parameter `index`.
  void add(const void* begin, uint64_t bytes, size_t index) {
    const auto b = reinterpret_cast<uintptr_t>(begin);
    ranges_.push_back({b, b + static_cast<uintptr_t>(bytes), index});
  }
  // Throws mada::Error(InvalidArgument) when two parameters overlap; sorts the ranges.
  void require_disjoint();
  // After require_disjoint: the index of a parameter that the gradient of parameter `own`,
  // [begin, begin + bytes), overlaps other than as exactly its own buffer; -1 when none does.
  std::ptrdiff_t gradient_overlap(const void* begin, uint64_t bytes, size_t own) const;

 private:
  struct Range {
    uintptr_t begin, end;
    size_t index;
  };
  std::vector<Range> ranges_;
};

}  // namespace mada::kernels
