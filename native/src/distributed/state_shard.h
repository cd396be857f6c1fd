// ZeRO stage 1 for MADA: the model's parameters laid end to end, cut into world_size equal
// chunks, and this rank's chunk as views of the parameters it overlaps (a parameter may be cut
// between ranks). The rank's optimizer runs on those views, so it keeps state for its chunk
// only; after each step the chunks are gathered back into every rank's parameters.
#pragma once

#include "communicator.h"

#include <mada/optimizer.h>

#include <torch/types.h>

#include <vector>

namespace mada::detail {

class StateShard {
 public:
  // params: the model's parameters, all float32.
  StateShard(std::vector<torch::Tensor> params, Communicator& ranks);

  // This rank's part of each parameter it overlaps, in order: views sharing their memory.
  const std::vector<torch::Tensor>& slices() const { return slices_; }
  // Whether slice i is part of a parameter of dim >= 2 (the weight-decay group).
  bool decayed(size_t i) const { return params_[plan_[i].param].dim() >= 2; }

  // Each slice's gradient becomes its part of its parameter's (averaged) gradient.
  void bind_gradients();
  // The slices' gradients undefined again (zero_grad cannot detach views in place).
  void release_gradients();
  // Every rank's updated chunk into every rank's parameters (an all-gather).
  void gather_parameters();
  // Collective: the state of every rank's sharded optimizer, put together on rank 0 into
  // *full, an optimizer of the same settings over the whole parameters (for a checkpoint);
  // full is null on the other ranks, which hold no more than their own state meanwhile.
  void gather_state(const Mada& sharded, Mada* full);
  // This rank's part of full's state into `sharded`, fresh over slices() (after a load).
  void scatter_state(const Mada& full, Mada& sharded) const;

 private:
  struct Slice {
    size_t param;
    int64_t start, length;  // within the parameter
  };
  // This rank's chunk of a flat buffer (chunk_ elements) from every rank, world * chunk_
  // elements: on every rank, or (to_root) on rank 0 only (undefined elsewhere).
  torch::Tensor gather(const torch::Tensor& mine, bool to_root = false);

  std::vector<torch::Tensor> params_;
  std::vector<int64_t> offsets_;  // each parameter's start in the flat order
  std::vector<Slice> plan_;
  std::vector<torch::Tensor> slices_;
  Communicator& ranks_;
  int64_t chunk_ = 0;
};

}  // namespace mada::detail
