// Checkpoint files and byte buffers: libtorch archives with atomic writes and typed errors.
#include <mada/optimizer.h>

#include "archive_io.h"
#include "atomic_file.h"

#include <fstream>

namespace mada {

namespace detail {

void save_archive(torch::serialize::OutputArchive& archive, const std::string& path) {
  write_atomically(path, [&](const std::string& tmp) { archive.save_to(tmp); });
}

std::string save_archive_bytes(torch::serialize::OutputArchive& archive) {
  std::string bytes;
  archive.save_to([&bytes](const void* data, size_t size) {
    bytes.append(static_cast<const char*>(data), size);
    return size;
  });
  return bytes;
}

torch::serialize::InputArchive open_archive(const std::string& path) {
  if (!std::ifstream(path, std::ios::binary).good()) fail(ErrorKind::Io, "cannot open checkpoint '" + path + "'");
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path);
  } catch (const c10::Error& e) {
    fail(ErrorKind::Checkpoint, "'" + path + "' is not a readable checkpoint: " + e.what_without_backtrace());
  }
  return archive;
}

torch::serialize::InputArchive open_archive_bytes(const char* data, size_t size) {
  if (data == nullptr && size != 0) fail(ErrorKind::InvalidArgument, "checkpoint bytes are null");
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(data, size);
  } catch (const c10::Error& e) {
    fail(ErrorKind::Checkpoint, std::string("the buffer is not a readable checkpoint: ") + e.what_without_backtrace());
  }
  return archive;
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
