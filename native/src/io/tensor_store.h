// Keyed tensors: the shape of every state libmada saves. Two stores hold them: libtorch's
// archives (the torch::optim::Optimizer interface, what torch::save uses) and the kernel core's
// records (libmada's own checkpoint files and buffers, which never reach libtorch's parser).
// The optimizer and the trainer write and read through these, so each layout has one owner.
#pragma once

#include <mada/error.h>

#include "kernels/src/io/records.h"

#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include <string>

namespace mada::detail {

class TensorWriter {
 public:
  virtual ~TensorWriter() = default;
  virtual void write(const std::string& key, const torch::Tensor& t) = 0;
};

class TensorReader {
 public:
  virtual ~TensorReader() = default;
  // The entry, in memory of its own, or an undefined tensor when there is none.
  virtual torch::Tensor find(const std::string& key) = 0;

  // An entry that must exist (Checkpoint error naming it otherwise).
  torch::Tensor read(const std::string& key);
  // ... and hold exactly numel values of dtype (returned contiguous, owning its memory).
  torch::Tensor read(const std::string& key, torch::ScalarType dtype, int64_t numel);
  // ... a single int64.
  int64_t read_int(const std::string& key);
};

class ArchiveWriter final : public TensorWriter {
 public:
  explicit ArchiveWriter(torch::serialize::OutputArchive& archive) : archive_(archive) {}
  void write(const std::string& key, const torch::Tensor& t) override;

 private:
  torch::serialize::OutputArchive& archive_;
};

class ArchiveReader final : public TensorReader {
 public:
  explicit ArchiveReader(torch::serialize::InputArchive& archive) : archive_(archive) {}
  torch::Tensor find(const std::string& key) override;

 private:
  torch::serialize::InputArchive& archive_;
};

// Keys are stored as prefix + key, so one file can hold several states (the trainer's model and
// its optimizer).
class RecordTensorWriter final : public TensorWriter {
 public:
  RecordTensorWriter(kernels::RecordWriter& records, std::string prefix = "")
      : records_(records), prefix_(std::move(prefix)) {}
  void write(const std::string& key, const torch::Tensor& t) override;

 private:
  kernels::RecordWriter& records_;
  std::string prefix_;
};

class RecordTensorReader final : public TensorReader {
 public:
  RecordTensorReader(const kernels::RecordReader& records, std::string prefix = "")
      : records_(records), prefix_(std::move(prefix)) {}
  torch::Tensor find(const std::string& key) override;

 private:
  const kernels::RecordReader& records_;
  std::string prefix_;
};

}  // namespace mada::detail
