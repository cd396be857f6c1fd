// Fashion-MNIST from its IDX files (gzip-compressed or not), as Debian's dataset-fashion-mnist
// installs them in /usr/share/datasets/fashion-mnist.
#pragma once

#include <mada/data/dataset.h>

namespace mada {

inline constexpr const char* kDefaultFashionMnistDir = "/usr/share/datasets/fashion-mnist";

class FashionMnist : public Dataset {
 public:
  // Reads train-* and t10k-* images and labels from `directory`. train_limit > 0 keeps only
  // the first train_limit training images. Throws mada::Error (Io or InvalidArgument) naming
  // the file that is missing or malformed.
  explicit FashionMnist(const std::string& directory = kDefaultFashionMnistDir, int64_t train_limit = 0);

  std::string kind() const override { return "images"; }
  int64_t classes() const override { return 10; }
  int64_t train_size() const override { return train_images_.size(0); }
  int64_t eval_size() const override { return test_images_.size(0); }
  using Dataset::train_batch;
  Batch train_batch(int64_t batch_size, uint64_t seed, BatchShard shard) const override;
  Batch eval_batch(int64_t index, int64_t batch_size) const override;

 private:
  torch::Tensor train_images_, train_labels_, test_images_, test_labels_;
};

// Reads one IDX file (magic 0x0801 labels or 0x0803 images), optionally gzip-compressed, as a
// uint8 tensor of its stated dimensions. Exposed for tests.
torch::Tensor read_idx(const std::string& path);

}  // namespace mada
