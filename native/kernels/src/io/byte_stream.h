// Little-endian fixed-width values in and out of a byte string, for the kernel core's saved
// formats. The reader checks every length against the bytes that are there, so a damaged or
// hostile input ends in a Checkpoint error, never in a read past the end or a huge allocation.
#pragma once

#include <mada/error.h>

#include <cstring>
#include <string>
#include <type_traits>

namespace mada::kernels {

static_assert(sizeof(double) == 8 && sizeof(float) == 4, "the formats store IEEE floats");

class ByteWriter {
 public:
  template <typename T>
  void put(T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes_.append(reinterpret_cast<const char*>(&value), sizeof value);
  }
  void put_bytes(const void* data, size_t size) { bytes_.append(static_cast<const char*>(data), size); }
  std::string& bytes() { return bytes_; }

 private:
  std::string bytes_;
};

class ByteReader {
 public:
  // subject names the input in messages: "engine state", "checkpoint".
  ByteReader(const char* data, size_t size, std::string subject)
      : data_(data), left_(size), subject_(std::move(subject)) {}

  template <typename T>
  T get(const char* what) {
    static_assert(std::is_trivially_copyable_v<T>);
    T value;
    std::memcpy(&value, take(sizeof value, what), sizeof value);
    return value;
  }
  // The next size bytes, in place (unaligned: copy them out before reading values).
  const char* take(size_t size, const char* what) {
    if (size > left_) fail(ErrorKind::Checkpoint, subject_ + " is cut short in " + what);
    const char* p = data_;
    data_ += size;
    left_ -= size;
    return p;
  }
  size_t left() const { return left_; }
  // Checkpoint error unless every byte was read.
  void expect_end() const {
    if (left_ != 0) fail(ErrorKind::Checkpoint, subject_ + " has " + std::to_string(left_) + " bytes too many");
  }

 private:
  const char* data_;
  size_t left_;
  std::string subject_;
};

}  // namespace mada::kernels
