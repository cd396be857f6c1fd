#include <mada/data/char_corpus.h>

#include <mada/error.h>

#include "seeded_generator.h"
#include "shard_rows.h"

#include "kernels/src/io/files.h"

#include <torch/torch.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>
#include <unordered_map>

namespace mada {

namespace {

// The largest text file the corpus reader takes: 1 GiB (the King James Bible is 4.4 MB).
constexpr uint64_t kMaxCorpusBytes = uint64_t{1} << 30;

}  // namespace

std::vector<char32_t> decode_utf8(const std::string& bytes) {
  std::vector<char32_t> out;
  out.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size();) {
    const auto b0 = static_cast<uint8_t>(bytes[i]);
    const int length = b0 < 0x80 ? 1 : (b0 >> 5) == 0x6 ? 2 : (b0 >> 4) == 0xE ? 3 : (b0 >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || i + length > bytes.size())
      fail(ErrorKind::InvalidArgument, "text is not valid UTF-8 at byte " + std::to_string(i));
    char32_t cp = length == 1 ? b0 : b0 & (0x7F >> length);
    for (int k = 1; k < length; ++k) {
      const auto b = static_cast<uint8_t>(bytes[i + k]);
      if ((b & 0xC0) != 0x80) fail(ErrorKind::InvalidArgument, "text is not valid UTF-8 at byte " + std::to_string(i + k));
      cp = (cp << 6) | (b & 0x3F);
    }
    out.push_back(cp);
    i += length;
  }
  return out;
}

CharCorpus::CharCorpus(const std::string& path, int64_t context, double validation_fraction) : context_(context) {
  if (context < 1) fail(ErrorKind::InvalidArgument, "context must be positive");
  if (!(validation_fraction > 0.0 && validation_fraction < 1.0))
    fail(ErrorKind::InvalidArgument, "validation_fraction must lie in (0, 1)");
  // A directory, a device or a pipe is refused as Io naming it; so is a file above the limit,
  // which would need 8 bytes of tokens (and as much again in windows) per character.
  const std::string bytes = kernels::read_file(path, kMaxCorpusBytes, "a text corpus");
  std::vector<char32_t> text;
  try {
    text = decode_utf8(bytes);
  } catch (const Error& e) {
    fail(ErrorKind::InvalidArgument, path + ": " + e.what());
  }
  const auto n = static_cast<int64_t>(text.size());
  const auto held_out = static_cast<int64_t>(static_cast<double>(n) * validation_fraction);
  if (held_out < context + 1 || n - held_out < context + 1)
    fail(ErrorKind::InvalidArgument, path + " has " + std::to_string(n) +
                                         " characters: too few for a context of " + std::to_string(context));
  vocabulary_ = text;
  std::sort(vocabulary_.begin(), vocabulary_.end());
  vocabulary_.erase(std::unique(vocabulary_.begin(), vocabulary_.end()), vocabulary_.end());
  std::unordered_map<char32_t, int64_t> index;
  for (size_t i = 0; i < vocabulary_.size(); ++i) index[vocabulary_[i]] = static_cast<int64_t>(i);
  auto tokens = torch::empty({n}, torch::kLong);
  auto* t = tokens.data_ptr<int64_t>();
  for (int64_t i = 0; i < n; ++i) t[i] = index[text[i]];
  train_ = tokens.slice(0, 0, n - held_out).contiguous();
  validation_ = tokens.slice(0, n - held_out, n).contiguous();
}

int64_t CharCorpus::eval_size() const { return (validation_.numel() - 1) / context_; }

Batch CharCorpus::train_batch(int64_t batch_size, uint64_t seed, BatchShard shard) const {
  const auto drawn = torch::randint(train_.numel() - context_, {detail::shard_rows(batch_size, shard), 1},
                                    detail::seeded_generator(seed), torch::kLong);
  const auto starts = drawn.narrow(0, shard.index * batch_size, batch_size);
  const auto index = starts + torch::arange(context_ + 1, torch::kLong);  // [B, context + 1]
  const auto windows = train_.index({index});
  return {windows.slice(1, 0, context_), windows.slice(1, 1, context_ + 1)};
}

Batch CharCorpus::eval_batch(int64_t index, int64_t batch_size) const {
  const int64_t begin = index * batch_size, end = std::min(begin + batch_size, eval_size());
  if (index < 0 || begin >= eval_size()) fail(ErrorKind::InvalidArgument, "evaluation batch index out of range");
  const auto starts = torch::arange(begin, end, torch::kLong).unsqueeze(1) * context_;
  const auto windows = validation_.index({starts + torch::arange(context_ + 1, torch::kLong)});
  return {windows.slice(1, 0, context_), windows.slice(1, 1, context_ + 1)};
}

std::string CharCorpus::decode(const std::vector<int64_t>& tokens) const {
  std::string out;
  for (int64_t t : tokens) {
    if (t < 0 || t >= classes()) fail(ErrorKind::InvalidArgument, "token " + std::to_string(t) + " is not in the vocabulary");
    const char32_t cp = vocabulary_[t];
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

}  // namespace mada
