// Checkpoint files and byte buffers: libtorch archives inside the kernel core's envelope,
// written atomically, with typed errors.
#include <mada/optimizer.h>

#include "archive_io.h"

#include "kernels/src/io/envelope.h"
#include "kernels/src/io/files.h"

#include <sstream>

namespace mada {

namespace detail {

namespace {
// The envelope's magic for a libtorch archive of mada::Mada or the trainer.
constexpr const char* kArchiveMagic = "MADACKP1";
}  // namespace

void save_archive(torch::serialize::OutputArchive& archive, const std::string& path) {
  kernels::write_file_atomically(path, save_archive_bytes(archive));
}

std::string save_archive_bytes(torch::serialize::OutputArchive& archive) {
  std::string payload;
  archive.save_to([&payload](const void* data, size_t size) {
    payload.append(static_cast<const char*>(data), size);
    return size;
  });
  return kernels::seal(kArchiveMagic, payload);
}

torch::serialize::InputArchive open_archive(const std::string& path) {
  const std::string bytes = kernels::read_file(path);
  try {
    return open_archive_bytes(bytes.data(), bytes.size());
  } catch (const Error& e) {
    fail(e.kind(), "'" + path + "': " + e.what());
  }
}

torch::serialize::InputArchive open_archive_bytes(const char* data, size_t size) {
  const kernels::Payload payload = kernels::unseal(kArchiveMagic, data, size);
  torch::serialize::InputArchive archive;
  load_checked("an archive of " + std::to_string(payload.size) + " bytes",
               [&] { archive.load_from(payload.data, payload.size); });
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
