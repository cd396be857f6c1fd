// Linear warmup to the peak learning rate, then cosine decay to min_lr at total_steps.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace mada {

struct CosineSchedule {
  double peak_lr = 1e-3;
  double min_lr = 1e-4;
  int64_t warmup_steps = 0;
  int64_t total_steps = 1000;

  // Learning rate of update `step` (from 1).
  double at(int64_t step) const {
    if (step <= warmup_steps) return peak_lr * static_cast<double>(step) / static_cast<double>(warmup_steps);
    if (step >= total_steps) return min_lr;
    const double progress =
        static_cast<double>(step - warmup_steps) / static_cast<double>(std::max<int64_t>(1, total_steps - warmup_steps));
    return min_lr + 0.5 * (peak_lr - min_lr) * (1.0 + std::cos(M_PI * progress));
  }
};

}  // namespace mada
