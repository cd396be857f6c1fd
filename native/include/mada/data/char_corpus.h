// A character corpus from any UTF-8 text file: every code point is a token, the vocabulary is
// the set of code points seen, and the tail of the file is held out for validation.
#pragma once

#include <mada/data/dataset.h>

#include <vector>

namespace mada {

class CharCorpus : public Dataset {
 public:
  // Throws mada::Error: Io when the file cannot be read, InvalidArgument when it is not valid
  // UTF-8 or too short for the context.
  CharCorpus(const std::string& path, int64_t context, double validation_fraction = 0.1);

  std::string kind() const override { return "text"; }
  int64_t classes() const override { return static_cast<int64_t>(vocabulary_.size()); }
  int64_t train_size() const override { return train_.numel(); }
  int64_t eval_size() const override;  // non-overlapping windows of the validation text
  using Dataset::train_batch;
  Batch train_batch(int64_t batch_size, uint64_t seed, BatchShard shard) const override;
  Batch eval_batch(int64_t index, int64_t batch_size) const override;

  int64_t context() const { return context_; }
  // Code points in token order, and decoding of tokens back to UTF-8.
  const std::vector<char32_t>& vocabulary() const { return vocabulary_; }
  std::string decode(const std::vector<int64_t>& tokens) const;

 private:
  int64_t context_;
  std::vector<char32_t> vocabulary_;
  torch::Tensor train_, validation_;  // int64 tokens
};

// Decodes UTF-8; throws mada::Error(InvalidArgument) at the first malformed byte.
std::vector<char32_t> decode_utf8(const std::string& bytes);

}  // namespace mada
