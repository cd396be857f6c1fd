// The one exception type of the C++ API. Its kind maps 1:1 onto the C ABI's mada_status.
#pragma once

#include <stdexcept>
#include <string>

namespace mada {

enum class ErrorKind : int {
  InvalidArgument = 1,  // bad option, shape, dtype, index
  NonFinite = 2,        // a gradient held NaN or Inf
  BufferTooSmall = 3,   // a caller's buffer cannot hold the result (C ABI)
  Checkpoint = 4,       // corrupt checkpoint, or one of another parameter list or mode
  Io = 5,               // a file could not be read or written
  Unsupported = 6,      // valid, but not in this build (e.g. CUDA tensors without CUDA)
  Distributed = 8,      // a data-parallel peer stopped, timed out, or disagrees with this rank
  OutOfMemory = 9,      // an allocation failed: the request was valid, the memory is not there
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

[[noreturn]] inline void fail(ErrorKind kind, const std::string& message) {
  throw Error(kind, message);
}

}  // namespace mada
