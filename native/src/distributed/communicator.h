// The ranks of a data-parallel run, on c10d's Gloo process group: the few collectives the
// trainer needs, each failing with a mada::Error that names this rank instead of hanging.
// Internal to libmada: c10d's headers stay out of the public ones.
#pragma once

#include <mada/training/distributed.h>

#include <torch/types.h>

#include <memory>
#include <vector>

namespace mada::detail {

class Communicator {
 public:
  enum class Reduce { Sum, Max };

  // Joins the run (blocks until every rank has joined or the timeout passes).
  explicit Communicator(const DistributedOptions& options);
  ~Communicator();

  int64_t rank() const { return rank_; }
  int64_t size() const { return size_; }

  // All tensors reduced in place, one collective each, all in flight together. Every rank gets
  // the same bytes: Gloo's ring reduces each piece once and passes the result on.
  void all_reduce(std::vector<torch::Tensor>& tensors, Reduce op);
  // Every rank's `mine` (the same size on all) into parts[r] of every rank.
  void all_gather(const torch::Tensor& mine, std::vector<torch::Tensor>& parts);
  // Every rank's `mine` (the same size on all) into parts[r] on rank 0; parts is ignored elsewhere.
  void gather(const torch::Tensor& mine, std::vector<torch::Tensor>& parts);
  // Rank 0's values into every rank's tensors.
  void broadcast(std::vector<torch::Tensor>& tensors);

 private:
  struct Group;
  std::unique_ptr<Group> group_;
  int64_t rank_ = 0, size_ = 1;
};

}  // namespace mada::detail
