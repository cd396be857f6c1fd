// The data loaders on small files the tests write: IDX (plain and gzip) and UTF-8 text.
#include <mada/data/char_corpus.h>
#include <mada/data/fashion_mnist.h>
#include <mada/error.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <unistd.h>
#include <torch/torch.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;

std::string idx_bytes(uint32_t magic, const std::vector<uint32_t>& dims, const std::vector<uint8_t>& data) {
  std::string b;
  auto put = [&](uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) b += static_cast<char>((v >> s) & 0xFF);
  };
  put(magic);
  for (uint32_t d : dims) put(d);
  b.append(data.begin(), data.end());
  return b;
}

void write_file(const std::string& path, const std::string& bytes, bool gzip) {
  if (gzip) {
    gzFile f = gzopen(path.c_str(), "wb");
    gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(f);
  } else {
    std::ofstream(path, std::ios::binary) << bytes;
  }
}

std::string fresh_dir(const std::string& name) {
  const std::string dir = ::testing::TempDir() + "/" + name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// n images whose pixels all equal their label * 20, labels 0..9 repeating.
void write_mnist(const std::string& dir, const std::string& prefix, uint32_t n, bool gzip) {
  std::vector<uint8_t> pixels, labels;
  for (uint32_t i = 0; i < n; ++i) {
    labels.push_back(static_cast<uint8_t>(i % 10));
    pixels.insert(pixels.end(), 28 * 28, static_cast<uint8_t>((i % 10) * 20));
  }
  const std::string suffix = gzip ? ".gz" : "";
  write_file(dir + "/" + prefix + "-images-idx3-ubyte" + suffix, idx_bytes(0x0803, {n, 28, 28}, pixels), gzip);
  write_file(dir + "/" + prefix + "-labels-idx1-ubyte" + suffix, idx_bytes(0x0801, {n}, labels), gzip);
}

TEST(FashionMnistFiles, LoadsGzipAndPlainIdx) {
  for (bool gzip : {true, false}) {
    const std::string dir = fresh_dir(gzip ? "mnist_gz" : "mnist_plain");
    write_mnist(dir, "train", 30, gzip);
    write_mnist(dir, "t10k", 12, gzip);
    mada::FashionMnist data(dir);
    EXPECT_EQ(data.train_size(), 30);
    EXPECT_EQ(data.eval_size(), 12);
    EXPECT_EQ(data.eval_batches(5), 3);
    const auto last = data.eval_batch(2, 5);
    EXPECT_EQ(last.targets.size(0), 2);  // the short last batch
    EXPECT_EQ(last.inputs.sizes(), (std::vector<int64_t>{2, 1, 28, 28}));
    // Pixels of an image encode its label: the loader kept images and labels together.
    const auto batch = data.train_batch(16, 7);
    const auto pixel = batch.inputs.select(1, 0).select(1, 3).select(1, 3);
    const auto expected = ((batch.targets.to(torch::kFloat) * 20 / 255.0) - 0.2860) / 0.3530;
    EXPECT_TRUE(torch::allclose(pixel, expected, 1e-5, 1e-5));
    EXPECT_TRUE(torch::equal(batch.targets, data.train_batch(16, 7).targets)) << "same seed, same batch";
    EXPECT_EQ(mada::FashionMnist(dir, 10).train_size(), 10);
  }
}

TEST(FashionMnistFiles, MissingAndMalformedFilesAreClearErrors) {
  const std::string dir = fresh_dir("mnist_bad");
  try {
    mada::FashionMnist data(dir);
    ADD_FAILURE() << "an empty folder loaded";
  } catch (const mada::Error& e) {
    EXPECT_EQ(e.kind(), mada::ErrorKind::Io);
    EXPECT_NE(std::string(e.what()).find("train-images-idx3-ubyte"), std::string::npos) << e.what();
  }
  write_mnist(dir, "train", 5, false);
  write_mnist(dir, "t10k", 5, false);
  write_file(dir + "/t10k-labels-idx1-ubyte", idx_bytes(0x0801, {9}, std::vector<uint8_t>(9, 1)), false);
  EXPECT_THROW(mada::FashionMnist{dir}, mada::Error);  // label count differs from image count
  write_file(dir + "/t10k-labels-idx1-ubyte", idx_bytes(0x0901, {5}, std::vector<uint8_t>(5, 1)), false);
  EXPECT_THROW(mada::FashionMnist{dir}, mada::Error);  // bad magic
  write_file(dir + "/t10k-labels-idx1-ubyte", idx_bytes(0x0801, {5}, std::vector<uint8_t>(3, 1)), false);
  EXPECT_THROW(mada::FashionMnist{dir}, mada::Error);  // truncated
  // Files holding 0 images: a clear error of ours, not libtorch's "max(): Expected reduction dim".
  write_mnist(dir, "t10k", 0, false);
  try {
    mada::FashionMnist data(dir);
    ADD_FAILURE() << "a test set of 0 images loaded";
  } catch (const mada::Error& e) {
    EXPECT_EQ(e.kind(), mada::ErrorKind::InvalidArgument);
    EXPECT_NE(std::string(e.what()).find("t10k-images-idx3-ubyte holds no images"), std::string::npos) << e.what();
  }
}

std::string write_text(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST(CharCorpusFiles, TokenisesUtf8AndHoldsOutTheTail) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "héllo wörld ∑ ";
  const std::string path = write_text("corpus.txt", text);
  mada::CharCorpus corpus(path, 8, 0.25);
  EXPECT_EQ(corpus.classes(), 10);  // h é l o ' ' w ö r d ∑
  EXPECT_EQ(corpus.train_size() + (40 * 14 - corpus.train_size()), 40 * 14);
  EXPECT_EQ(corpus.train_size(), 40 * 14 - 140);
  const auto batch = corpus.train_batch(4, 3);
  EXPECT_EQ(batch.inputs.sizes(), (std::vector<int64_t>{4, 8}));
  EXPECT_TRUE(torch::equal(batch.inputs.slice(1, 1, 8), batch.targets.slice(1, 0, 7))) << "targets are the next characters";
  std::vector<int64_t> row(batch.inputs[0].data_ptr<int64_t>(), batch.inputs[0].data_ptr<int64_t>() + 8);
  EXPECT_NE(text.find(corpus.decode(row)), std::string::npos) << "a window decodes to a piece of the text";
  EXPECT_EQ(corpus.eval_size(), (140 - 1) / 8);
}

TEST(CharCorpusFiles, BadTextIsAClearError) {
  EXPECT_THROW(mada::CharCorpus(write_text("bad_utf8.txt", std::string(100, 'a') + "\xC3\x28" + std::string(100, 'b')), 8),
               mada::Error);
  EXPECT_THROW(mada::CharCorpus(write_text("short.txt", "abc"), 8), mada::Error);
  EXPECT_THROW(mada::CharCorpus(::testing::TempDir() + "/no_such_corpus.txt", 8), mada::Error);
}

// What is not a regular file is an Io error naming it (a directory was INTERNAL, /dev/zero was
// read until memory ran out), and so is a file larger than the reader takes.
TEST(CharCorpusFiles, WhatIsNotATextFileIsAnIoErrorNamingIt) {
  for (const std::string path : {::testing::TempDir(), std::string("/dev/zero")}) {
    try {
      mada::CharCorpus corpus(path, 8);
      ADD_FAILURE() << path << " loaded";
    } catch (const mada::Error& e) {
      EXPECT_EQ(e.kind(), mada::ErrorKind::Io) << e.what();
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
  }
  const std::string large = write_text("large_corpus.txt", "abc");
  ASSERT_EQ(::truncate(large.c_str(), (int64_t{1} << 30) + 1), 0);  // sparse: no disk used
  try {
    mada::CharCorpus corpus(large, 8);
    ADD_FAILURE() << "a corpus above 1 GiB loaded";
  } catch (const mada::Error& e) {
    EXPECT_EQ(e.kind(), mada::ErrorKind::Io) << e.what();
    EXPECT_NE(std::string(e.what()).find("holds 1073741825 bytes"), std::string::npos) << e.what();
  }
  std::remove(large.c_str());
}

// An IDX header whose dimensions multiply past the file (or past 64 bits) is a malformed file,
// not an internal error; /dev/zero is no IDX file and is not read.
TEST(FashionMnistFiles, AHeaderPromisingMoreThanTheFileIsRefused) {
  const std::string dir = fresh_dir("mnist_overflow");
  // 2^22 x 2^21 x 2^21 wraps to 0 in 64 bits: the size check alone passed an empty file, and
  // libtorch then failed to make the tensor.
  for (const std::vector<uint32_t>& dims : {std::vector<uint32_t>{1u << 22, 1u << 21, 1u << 21},
                                            std::vector<uint32_t>{0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF}}) {
    write_file(dir + "/huge-idx3-ubyte", idx_bytes(0x0803, dims, {}), false);
    try {
      mada::read_idx(dir + "/huge-idx3-ubyte");
      ADD_FAILURE() << "an overflowing header loaded";
    } catch (const mada::Error& e) {
      EXPECT_EQ(e.kind(), mada::ErrorKind::InvalidArgument) << e.what();
      EXPECT_NE(std::string(e.what()).find("header promises"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(mada::read_idx("/dev/zero"), mada::Error);
}

}  // namespace
