// CRC-32 (ISO-HDLC, the polynomial of zlib and PNG), so the kernel core needs no zlib and its
// checksums equal those checkpoints written with zlib.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mada::kernels {

uint32_t crc32(const char* data, size_t size);

}  // namespace mada::kernels
