// What the fuzz targets share: reading typed values off the fuzz input, and sealing bytes in
// the checkpoint envelope so that the parsers behind the CRC see them too.
#pragma once

#include "kernels/src/io/envelope.h"
#include "src/io/checkpoint_file.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <unistd.h>

namespace mada::fuzz {

// Reads values off the front of the input; past its end every read gives zeros.
class Input {
 public:
  Input(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  bool empty() const { return pos_ >= size_; }
  uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  template <typename T>
  T value() {
    T v{};
    const size_t n = std::min(sizeof(T), size_ - std::min(pos_, size_));
    std::memcpy(&v, data_ + pos_, n);
    pos_ += n;
    return v;
  }
  // The rest of the input.
  std::string rest() {
    const size_t from = std::min(pos_, size_);
    pos_ = size_;
    return std::string(reinterpret_cast<const char*>(data_ + from), size_ - from);
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

// Checkpoint bytes from a fuzz input: the first byte chooses between the bytes as they are
// (the envelope's own checks) and the rest sealed with a correct length and CRC (the record
// parser and the entry checks behind them).
inline std::string checkpoint_bytes(const uint8_t* data, size_t size) {
  Input in(data, size);
  const bool seal = in.byte() & 1;
  std::string rest = in.rest();
  return seal ? kernels::seal(detail::kCheckpointMagic, rest) : rest;
}

// The inverse for seeds: a valid checkpoint as an input that reaches the record parser.
inline std::string seed_from_checkpoint(const std::string& checkpoint) {
  const kernels::Payload p = kernels::unseal(detail::kCheckpointMagic, checkpoint.data(), checkpoint.size());
  return std::string(1, '\x01') + std::string(p.data, p.size);
}

// With MADA_FUZZ_SEEDS=dir, a target writes its seed there once (./build.sh fuzz --seeds).
inline void write_seed(const std::string& name, const std::string& bytes) {
  if (const char* dir = std::getenv("MADA_FUZZ_SEEDS")) std::ofstream(std::string(dir) + "/" + name, std::ios::binary) << bytes;
}

// A scratch file for the loaders that read paths, in memory where the system has it.
inline std::string scratch_path(const char* name) {
  return std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp") + "/" + name + "." +
         std::to_string(::getpid());
}

}  // namespace mada::fuzz
