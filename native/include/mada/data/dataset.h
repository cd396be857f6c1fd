// What the trainer needs of data: seeded random training batches and a fixed evaluation split.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <string>

namespace mada {

struct Batch {
  torch::Tensor inputs;   // images [B, 1, H, W] float, or tokens [B, T] int64
  torch::Tensor targets;  // labels [B], or next tokens [B, T]
};

// Which rows of a drawn batch a process takes: part `index` of `count` equal parts (a rank of
// a data-parallel run takes its own part of the global batch).
struct BatchShard {
  int64_t index = 0;
  int64_t count = 1;
};

class Dataset {
 public:
  virtual ~Dataset() = default;
  // "images" or "text".
  virtual std::string kind() const = 0;
  // Classes (images) or vocabulary size (text).
  virtual int64_t classes() const = 0;
  virtual int64_t train_size() const = 0;
  virtual int64_t eval_size() const = 0;
  // A training batch drawn with replacement from a generator seeded by `seed` alone, so a run
  // that resumes at a step draws the batches it would have drawn. With a shard: rows
  // [index * batch_size, (index + 1) * batch_size) of the count * batch_size rows drawn so.
  virtual Batch train_batch(int64_t batch_size, uint64_t seed, BatchShard shard) const = 0;
  Batch train_batch(int64_t batch_size, uint64_t seed) const { return train_batch(batch_size, seed, BatchShard{}); }
  // Evaluation batch `index` of a fixed partition of the evaluation split (the last one may be
  // short); eval_batches() tells how many there are.
  virtual Batch eval_batch(int64_t index, int64_t batch_size) const = 0;
  int64_t eval_batches(int64_t batch_size) const { return (eval_size() + batch_size - 1) / batch_size; }
};

}  // namespace mada
