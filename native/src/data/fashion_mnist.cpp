#include <mada/data/fashion_mnist.h>

#include <mada/error.h>

#include "seeded_generator.h"
#include "shard_rows.h"

#include <zlib.h>

#include <torch/torch.h>

#include <memory>

#include <sys/stat.h>

namespace mada {

namespace {

std::string read_maybe_gzipped(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))  // a device or pipe would be read forever
    fail(ErrorKind::Io, "cannot read '" + path + "': not a regular file, so not an IDX file");
  gzFile file = gzopen(path.c_str(), "rb");  // reads plain files unchanged too
  if (file == nullptr) fail(ErrorKind::Io, "cannot open " + path);
  std::unique_ptr<gzFile_s, int (*)(gzFile)> closer(file, gzclose);
  std::string bytes;
  char chunk[1 << 16];
  int n;
  while ((n = gzread(file, chunk, sizeof chunk)) > 0) bytes.append(chunk, n);
  if (n < 0) fail(ErrorKind::InvalidArgument, path + " is not a readable gzip file");
  return bytes;
}

uint32_t big_endian(const std::string& b, size_t at) {
  return (uint32_t(uint8_t(b[at])) << 24) | (uint32_t(uint8_t(b[at + 1])) << 16) |
         (uint32_t(uint8_t(b[at + 2])) << 8) | uint32_t(uint8_t(b[at + 3]));
}

// Mean and standard deviation of the Fashion-MNIST training pixels (in [0, 1]).
constexpr double kMean = 0.2860, kStd = 0.3530;

torch::Tensor normalise(const torch::Tensor& images) {
  return ((images.to(torch::kFloat) / 255.0 - kMean) / kStd).unsqueeze(1).contiguous();
}

}  // namespace

torch::Tensor read_idx(const std::string& path) {
  const std::string b = read_maybe_gzipped(path);
  if (b.size() < 8) fail(ErrorKind::InvalidArgument, path + " is too short for an IDX file");
  const uint32_t magic = big_endian(b, 0);
  if (magic != 0x0801 && magic != 0x0803)
    fail(ErrorKind::InvalidArgument, path + " is not an IDX file of unsigned bytes (magic " + std::to_string(magic) + ")");
  const size_t dims = magic & 0xFF;
  if (b.size() < 4 + 4 * dims) fail(ErrorKind::InvalidArgument, path + " is truncated in its header");
  std::vector<int64_t> shape;
  uint64_t count = 1;
  for (size_t d = 0; d < dims; ++d) {
    shape.push_back(big_endian(b, 4 + 4 * d));
    // A header that promises more bytes than any file holds is malformed, not a bug of ours.
    if (__builtin_mul_overflow(count, static_cast<uint64_t>(shape.back()), &count) || count > b.size())
      fail(ErrorKind::InvalidArgument, path + " is not a valid IDX file: its header promises " +
                                           "dimensions whose product exceeds the file's " + std::to_string(b.size()) +
                                           " bytes (dimension " + std::to_string(d) + " is " +
                                           std::to_string(shape.back()) + ")");
  }
  const size_t offset = 4 + 4 * dims;
  if (b.size() != offset + count)
    fail(ErrorKind::InvalidArgument, path + " holds " + std::to_string(b.size() - offset) +
                                         " data bytes, its header promises " + std::to_string(count));
  auto t = torch::empty(shape, torch::kUInt8);
  if (count > 0) std::memcpy(t.data_ptr<uint8_t>(), b.data() + offset, count);  // (no data pointer when empty)
  return t;
}

FashionMnist::FashionMnist(const std::string& directory, int64_t train_limit) {
  auto file = [&](const char* stem) {
    for (const char* suffix : {".gz", ""}) {
      const std::string path = directory + "/" + stem + suffix;
      if (std::unique_ptr<FILE, int (*)(FILE*)>(std::fopen(path.c_str(), "rb"), std::fclose)) return path;
    }
    fail(ErrorKind::Io, std::string("Fashion-MNIST file ") + stem + "[.gz] not found in " + directory +
                            " (Debian package dataset-fashion-mnist; ./build.sh setup installs it)");
  };
  auto images = [&](const char* stem) {
    auto t = read_idx(file(stem));
    if (t.dim() != 3 || t.size(1) != 28 || t.size(2) != 28)
      fail(ErrorKind::InvalidArgument, std::string(stem) + " does not hold 28x28 images");
    if (t.size(0) == 0) fail(ErrorKind::InvalidArgument, std::string(stem) + " holds no images");
    return t;
  };
  auto labels = [&](const char* stem, int64_t n) {
    auto t = read_idx(file(stem));
    if (t.dim() != 1 || t.size(0) != n)
      fail(ErrorKind::InvalidArgument, std::string(stem) + " does not hold one label per image");
    if (t.max().item<int64_t>() > 9) fail(ErrorKind::InvalidArgument, std::string(stem) + " has labels above 9");
    return t.to(torch::kLong);
  };
  auto train = images("train-images-idx3-ubyte");
  train_labels_ = labels("train-labels-idx1-ubyte", train.size(0));
  auto test = images("t10k-images-idx3-ubyte");
  test_labels_ = labels("t10k-labels-idx1-ubyte", test.size(0));
  if (train_limit > 0 && train_limit < train.size(0)) {
    train = train.slice(0, 0, train_limit);
    train_labels_ = train_labels_.slice(0, 0, train_limit).contiguous();
  }
  train_images_ = normalise(train);
  test_images_ = normalise(test);
}

Batch FashionMnist::train_batch(int64_t batch_size, uint64_t seed, BatchShard shard) const {
  const auto drawn = torch::randint(train_size(), {detail::shard_rows(batch_size, shard)},
                                    detail::seeded_generator(seed), torch::kLong);
  const auto index = drawn.narrow(0, shard.index * batch_size, batch_size);
  return {train_images_.index_select(0, index), train_labels_.index_select(0, index)};
}

Batch FashionMnist::eval_batch(int64_t index, int64_t batch_size) const {
  const int64_t begin = index * batch_size, end = std::min(begin + batch_size, eval_size());
  if (index < 0 || begin >= eval_size()) fail(ErrorKind::InvalidArgument, "evaluation batch index out of range");
  return {test_images_.slice(0, begin, end), test_labels_.slice(0, begin, end)};
}

}  // namespace mada
