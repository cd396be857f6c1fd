// The envelope around every saved optimizer state: 8-byte magic, payload length and CRC32,
// checked before anything parses the payload. (A parser fed a flipped byte can allocate
// tens of GB before it fails: libtorch's pickle reader did.)
#pragma once

#include <cstddef>
#include <string>

namespace mada::kernels {

struct Payload {
  const char* data;
  size_t size;
};

// magic: exactly 8 characters naming the payload's format, e.g. "MADACKP2".
std::string seal(const char* magic, const std::string& payload);

// The payload of an envelope with that magic; mada::Error(Checkpoint) saying what is wrong
// otherwise (InvalidArgument for a null buffer of non-zero size).
Payload unseal(const char* magic, const char* data, size_t size);

}  // namespace mada::kernels
