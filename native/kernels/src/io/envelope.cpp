#include "envelope.h"

#include "crc32.h"

#include <mada/error.h>

#include <cstdint>
#include <cstring>

namespace mada::kernels {

namespace {

constexpr size_t kMagicSize = 8;
constexpr size_t kHeader = kMagicSize + 8 + 4 + 4;  // magic, length, crc32, reserved

void put_le(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

uint64_t get_le(const char* p, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= uint64_t(static_cast<uint8_t>(p[i])) << (8 * i);
  return v;
}

}  // namespace

std::string seal(const char* magic, const std::string& payload) {
  std::string bytes(magic, kMagicSize);
  bytes.reserve(kHeader + payload.size());
  put_le(bytes, payload.size(), 8);
  put_le(bytes, crc32(payload.data(), payload.size()), 4);
  put_le(bytes, 0, 4);
  return bytes + payload;
}

Payload unseal(const char* magic, const char* data, size_t size) {
  if (data == nullptr && size != 0) fail(ErrorKind::InvalidArgument, "checkpoint bytes are null");
  if (size < kHeader || std::memcmp(data, magic, kMagicSize) != 0)
    fail(ErrorKind::Checkpoint, "not a MADA checkpoint (no " + std::string(magic, kMagicSize) + " header)");
  const uint64_t length = get_le(data + kMagicSize, 8);
  if (length != size - kHeader)
    fail(ErrorKind::Checkpoint, "checkpoint is truncated or has trailing bytes: the header promises " +
                                    std::to_string(length) + " bytes, " + std::to_string(size - kHeader) +
                                    " follow it");
  if (get_le(data + kMagicSize + 8, 4) != crc32(data + kHeader, length))
    fail(ErrorKind::Checkpoint, "checkpoint is corrupt: its CRC32 does not match its contents");
  // Reserved for a later format, which will say what it means; today's writers leave it zero.
  if (get_le(data + kMagicSize + 12, 4) != 0)
    fail(ErrorKind::Checkpoint, "checkpoint is corrupt or of a later version: its reserved header bytes are not zero");
  return {data + kHeader, static_cast<size_t>(length)};
}

}  // namespace mada::kernels
