// Gradients averaged across ranks in a few large all-reduces instead of one per tensor, as
// PyTorch's DDP does: the parameters laid end to end in flat buckets of at most kBucketBytes,
// one per dtype run, all buckets in flight at once.
#pragma once

#include "communicator.h"

#include <torch/types.h>

#include <vector>

namespace mada::detail {

class GradientBuckets {
 public:
  static constexpr int64_t kBucketBytes = 25ll << 20;  // DDP's default bucket_cap_mb

  explicit GradientBuckets(std::vector<torch::Tensor> params, int64_t bucket_bytes = kBucketBytes);

  // Every parameter's gradient becomes its mean over the ranks (a missing gradient counts as
  // zeros and stays missing: every rank runs the same model, so all miss the same ones). The
  // tensors in sums travel in the same round and come back summed over the ranks.
  void average(Communicator& ranks, std::vector<torch::Tensor> sums = {});

  size_t bucket_count() const { return buckets_.size(); }

 private:
  struct Bucket {
    torch::Tensor flat;
    std::vector<size_t> members;   // indices into params_
    std::vector<int64_t> offsets;  // where each member starts in flat
  };
  std::vector<torch::Tensor> params_;
  std::vector<Bucket> buckets_;
};

}  // namespace mada::detail
