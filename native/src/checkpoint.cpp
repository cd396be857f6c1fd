// Checkpoint files and byte buffers: libtorch archives with atomic writes and typed errors.
#include <mada/optimizer.h>

#include "archive_io.h"
#include "atomic_file.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <unistd.h>

namespace mada {

namespace detail {

namespace {

// Every checkpoint is an envelope around libtorch's archive: magic, payload length and CRC32
// are checked before libtorch parses a byte. (libtorch checks no CRC, and a flipped byte in
// its pickle can make it allocate tens of GB before it fails.)
constexpr char kMagic[8] = {'M', 'A', 'D', 'A', 'C', 'K', 'P', '1'};
constexpr size_t kHeader = sizeof kMagic + 8 + 4 + 4;  // magic, length, crc32, reserved

void put_le(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

uint64_t get_le(const char* p, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= uint64_t(static_cast<uint8_t>(p[i])) << (8 * i);
  return v;
}

uint32_t crc_of(const char* data, size_t size) {
  uLong crc = crc32(0L, Z_NULL, 0);
  while (size > 0) {  // zlib takes uInt lengths
    const uInt chunk = static_cast<uInt>(std::min<size_t>(size, 1u << 30));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(data), chunk);
    data += chunk;
    size -= chunk;
  }
  return static_cast<uint32_t>(crc);
}

void write_file(const std::string& path, const std::string& bytes) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "wb"), std::fclose);
  if (!f) throw std::runtime_error(std::strerror(errno));
  if (std::fwrite(bytes.data(), 1, bytes.size(), f.get()) != bytes.size() || std::fflush(f.get()) != 0 ||
      ::fsync(::fileno(f.get())) != 0)
    throw std::runtime_error(std::strerror(errno));
}

}  // namespace

void save_archive(torch::serialize::OutputArchive& archive, const std::string& path) {
  const std::string bytes = save_archive_bytes(archive);
  write_atomically(path, [&](const std::string& tmp) { write_file(tmp, bytes); });
}

std::string save_archive_bytes(torch::serialize::OutputArchive& archive) {
  std::string payload;
  archive.save_to([&payload](const void* data, size_t size) {
    payload.append(static_cast<const char*>(data), size);
    return size;
  });
  std::string bytes(kMagic, sizeof kMagic);
  put_le(bytes, payload.size(), 8);
  put_le(bytes, crc_of(payload.data(), payload.size()), 4);
  put_le(bytes, 0, 4);
  return bytes + payload;
}

torch::serialize::InputArchive open_archive(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(ErrorKind::Io, "cannot open checkpoint '" + path + "'");
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) fail(ErrorKind::Io, "cannot read checkpoint '" + path + "'");
  try {
    return open_archive_bytes(bytes.data(), bytes.size());
  } catch (const Error& e) {
    fail(e.kind(), "'" + path + "': " + e.what());
  }
}

torch::serialize::InputArchive open_archive_bytes(const char* data, size_t size) {
  if (data == nullptr && size != 0) fail(ErrorKind::InvalidArgument, "checkpoint bytes are null");
  if (size < kHeader || std::memcmp(data, kMagic, sizeof kMagic) != 0)
    fail(ErrorKind::Checkpoint, "not a MADA checkpoint (no MADACKP1 header)");
  const uint64_t length = get_le(data + 8, 8);
  if (length != size - kHeader)
    fail(ErrorKind::Checkpoint, "checkpoint is truncated or has trailing bytes: the header promises " +
                                    std::to_string(length) + " bytes, " + std::to_string(size - kHeader) +
                                    " follow it");
  if (get_le(data + 16, 4) != crc_of(data + kHeader, length))
    fail(ErrorKind::Checkpoint, "checkpoint is corrupt: its CRC32 does not match its contents");
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(data + kHeader, length);
  } catch (const c10::Error& e) {
    fail(ErrorKind::Checkpoint, std::string("not a readable checkpoint: ") + e.what_without_backtrace());
  }
  return archive;
}

torch::Tensor read_entry(torch::serialize::InputArchive& archive, const std::string& key) {
  torch::Tensor t;
  if (!archive.try_read(key, t)) fail(ErrorKind::Checkpoint, "checkpoint has no entry '" + key + "'");
  return t;
}


torch::Tensor read_entry(torch::serialize::InputArchive& archive, const std::string& key, torch::ScalarType dtype,
                         int64_t numel) {
  torch::Tensor t = read_entry(archive, key);
  if (t.scalar_type() != dtype || t.numel() != numel) {
    std::ostringstream s;
    s << "checkpoint entry '" << key << "' holds " << t.numel() << " " << c10::toString(t.scalar_type())
      << " values; the reader needs " << numel << " " << c10::toString(dtype);
    fail(ErrorKind::Checkpoint, s.str());
  }
  return t.contiguous();
}

}  // namespace detail

void save_checkpoint(const Mada& optimizer, const std::string& path) {
  torch::serialize::OutputArchive archive;
  optimizer.save(archive);
  detail::save_archive(archive, path);
}

void load_checkpoint(Mada& optimizer, const std::string& path) {
  auto archive = detail::open_archive(path);
  detail::load_checked("'" + path + "'", [&] { optimizer.load(archive); });
}

std::string save_to_bytes(const Mada& optimizer) {
  torch::serialize::OutputArchive archive;
  optimizer.save(archive);
  return detail::save_archive_bytes(archive);
}

void load_from_bytes(Mada& optimizer, const char* data, size_t size) {
  auto archive = detail::open_archive_bytes(data, size);
  detail::load_checked("the buffer", [&] { optimizer.load(archive); });
}

}  // namespace mada
