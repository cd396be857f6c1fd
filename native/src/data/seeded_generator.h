// A CPU generator seeded by one number: batches are a pure function of (seed, step).
#pragma once

#include <ATen/CPUGeneratorImpl.h>

namespace mada::detail {

inline at::Generator seeded_generator(uint64_t seed) { return at::make_generator<at::CPUGeneratorImpl>(seed); }

}  // namespace mada::detail
