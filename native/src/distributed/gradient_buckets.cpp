#include "gradient_buckets.h"

#include <torch/torch.h>

namespace mada::detail {

GradientBuckets::GradientBuckets(std::vector<torch::Tensor> params, int64_t bucket_bytes)
    : params_(std::move(params)) {
  std::vector<int64_t> sizes;  // elements per bucket
  for (size_t i = 0; i < params_.size(); ++i) {
    const torch::Tensor& p = params_[i];
    const int64_t bytes = p.numel() * static_cast<int64_t>(p.element_size());
    const bool fits = !buckets_.empty() && buckets_.back().flat.scalar_type() == p.scalar_type() &&
                      (sizes.back() + p.numel()) * static_cast<int64_t>(p.element_size()) <= bucket_bytes;
    if (!fits || bytes > bucket_bytes) {
      buckets_.push_back({torch::empty({0}, p.options()), {}, {}});
      sizes.push_back(0);
    }
    Bucket& b = buckets_.back();
    b.members.push_back(i);
    b.offsets.push_back(sizes.back());
    sizes.back() += p.numel();
  }
  for (size_t k = 0; k < buckets_.size(); ++k)
    buckets_[k].flat = torch::empty({sizes[k]}, buckets_[k].flat.options());
}

void GradientBuckets::average(Communicator& ranks, std::vector<torch::Tensor> sums) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> flats;
  for (Bucket& b : buckets_) {
    for (size_t j = 0; j < b.members.size(); ++j) {
      const torch::Tensor& p = params_[b.members[j]];
      torch::Tensor slice = b.flat.narrow(0, b.offsets[j], p.numel());
      if (p.grad().defined()) slice.copy_(p.grad().reshape({-1}));
      else slice.zero_();
    }
    flats.push_back(b.flat);
  }
  for (auto& s : sums) flats.push_back(s);
  ranks.all_reduce(flats, Communicator::Reduce::Sum);
  const double scale = 1.0 / static_cast<double>(ranks.size());
  for (Bucket& b : buckets_) {
    b.flat.mul_(scale);
    for (size_t j = 0; j < b.members.size(); ++j) {
      torch::Tensor& p = params_[b.members[j]];
      if (p.grad().defined()) p.mutable_grad().copy_(b.flat.narrow(0, b.offsets[j], p.numel()).view_as(p));
    }
  }
}

}  // namespace mada::detail
