// The trainer: one call per optimizer step (forward, backward, clip, step) and per evaluation,
// so a managed training loop costs nothing measurable.
#pragma once

#include <mada/data/dataset.h>
#include <mada/models/model.h>
#include <mada/training/distributed.h>
#include <mada/training/lr_schedule.h>
#include <mada/training/optimizer_kind.h>

#include <functional>
#include <memory>
#include <optional>

namespace mada {

namespace detail {
class Communicator;
class GradientBuckets;
class StateShard;
}  // namespace detail

struct TrainerOptions {
  OptimizerSettings optimizer;  // its lr is the peak of the schedule
  double min_lr_ratio = 0.1;    // the cosine ends at lr * min_lr_ratio
  int64_t warmup_steps = 0;
  int64_t total_steps = 1000;
  int64_t batch_size = 64;
  int64_t grad_accumulation = 1;  // micro-batches per step
  uint64_t seed = 0;              // batches of step s are a function of (seed, s) only
  // Data parallel: with world_size N each rank trains on its own batch_size rows of a global
  // batch of N * batch_size (the rows one process with that batch would draw), and the
  // gradients are averaged before every step, so all ranks take the same step.
  DistributedOptions distributed;

  void validate() const;
};

struct StepMetrics {
  int64_t step = 0;
  double loss = 0.0;       // mean over the step's micro-batches (and ranks)
  double lr = 0.0;
  double grad_norm = 0.0;  // before clipping
  std::optional<Coefficients> coefficients;   // MADA family only
  std::optional<Coefficients> hypergradient;  // MADA family only
};

struct EvalMetrics {
  double loss = 0.0;
  double accuracy = 0.0;  // top-1, per example (images) or per predicted character (text)
  int64_t examples = 0;
};

class Trainer {
 public:
  // Weight decay goes to parameters of dim >= 2 (matrices and kernels) only.
  Trainer(std::shared_ptr<Model> model, std::shared_ptr<const Dataset> dataset, TrainerOptions options);
  ~Trainer();

  StepMetrics step();
  // Mean loss and accuracy over the first max_batches evaluation batches (0: all of them).
  EvalMetrics evaluate(int64_t max_batches = 0);

  // Model, optimizer and step count; written atomically. load() checks the checkpoint against
  // this trainer's model and optimizer before changing anything. Data parallel, every rank
  // calls both: rank 0 writes the file, every rank reads it, and each returns only when all
  // have succeeded. A checkpoint holds no world size: any world size resumes from it.
  void save(const std::string& path) const;
  void load(const std::string& path);

  int64_t step_count() const { return step_; }
  int64_t rank() const;
  int64_t world_size() const;
  const TrainerOptions& options() const { return options_; }
  Model& model() { return *model_; }
  torch::optim::Optimizer& optimizer() { return *optimizer_; }

 private:
  torch::Tensor loss_of(const Batch& batch, torch::Tensor* correct);
  // The ranks' agreement on what must be the same everywhere (data parallel only): before
  // training, the options, model shapes and data sizes; during it, the step's results.
  void check_same_setup();
  void check_agreement(const StepMetrics& m);
  // An optimizer over the whole model, and the one this trainer steps with (sharded: over
  // this rank's slice).
  std::unique_ptr<torch::optim::Optimizer> whole_optimizer() const;
  std::unique_ptr<torch::optim::Optimizer> own_optimizer() const;
  // This process's part of save() and load(): load's checks all happen in read(), which
  // returns what changes the trainer once every rank has read the file, and what the ranks
  // compare first (each may have read its own copy of the file).
  struct Loaded {
    std::function<void()> commit;
    int64_t step = 0;
    double checksum = 0.0;  // of the model's floating-point tensors
  };
  void write(const std::string& path, const torch::optim::Optimizer& state) const;
  Loaded read(const std::string& path);

  std::shared_ptr<Model> model_;
  std::shared_ptr<const Dataset> dataset_;
  TrainerOptions options_;
  CosineSchedule schedule_;
  std::unique_ptr<torch::optim::Optimizer> optimizer_;
  std::unique_ptr<detail::Communicator> ranks_;      // data parallel only
  std::unique_ptr<detail::GradientBuckets> buckets_;  // data parallel only
  std::unique_ptr<detail::StateShard> shard_;         // sharded optimizer state only
  int64_t step_ = 0;
};

}  // namespace mada
