#include "sharded_mada.h"

#include "../optimizer/optimizer_core.h"

namespace mada::detail {

void ShardedMada::sum_across_ranks(Mada& optimizer, Communicator& ranks) {
  optimizer.core_->step.across_ranks = [&ranks](kernels::Reduction& r) {
    auto sums = torch::empty({static_cast<int64_t>(kCoefficientCount) + 1}, torch::kDouble);
    auto worst = torch::tensor({r.worst_ratio}, torch::kDouble);
    double* s = sums.data_ptr<double>();
    for (size_t k = 0; k < kCoefficientCount; ++k) s[k] = r.scaled_dot[k];
    s[kCoefficientCount] = r.sq_norm;
    std::vector<torch::Tensor> summed{sums}, largest{worst};
    ranks.all_reduce(summed, Communicator::Reduce::Sum);
    ranks.all_reduce(largest, Communicator::Reduce::Max);
    for (size_t k = 0; k < kCoefficientCount; ++k) r.scaled_dot[k] = s[k];
    r.sq_norm = s[kCoefficientCount];
    const double all_worst = worst.item<double>();
    if (all_worst > r.worst_ratio) r.worst_slot = -1;  // on another rank
    r.worst_ratio = all_worst;
  };
}

void ShardedMada::copy_hyper_state(const Mada& from, Mada& to) { to.core_->hyper = from.core_->hyper; }

}  // namespace mada::detail
