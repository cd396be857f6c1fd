// Checkpoint files and byte buffers around Mada::save / Mada::load.
#include <mada/optimizer.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <unistd.h>

namespace mada {

namespace {

// libtorch reports a corrupt archive as c10::Error; callers get one error kind for it.
template <typename F>
void load_archive(F&& open, Mada& optimizer, const std::string& what) {
  torch::serialize::InputArchive archive;
  try {
    open(archive);
  } catch (const c10::Error& e) {
    fail(ErrorKind::Checkpoint, what + " is not a readable MADA checkpoint: " + e.what_without_backtrace());
  }
  try {
    optimizer.load(archive);
  } catch (const Error&) {
    throw;
  } catch (const c10::Error& e) {
    fail(ErrorKind::Checkpoint, what + " is not a valid MADA checkpoint: " + e.what_without_backtrace());
  }
}

std::string temporary_path_for(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  return path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
}

}  // namespace

void save_checkpoint(const Mada& optimizer, const std::string& path) {
  torch::serialize::OutputArchive archive;
  optimizer.save(archive);
  const std::string tmp = temporary_path_for(path);
  try {
    archive.save_to(tmp);
  } catch (const c10::Error& e) {
    std::remove(tmp.c_str());
    fail(ErrorKind::Io, "cannot write checkpoint '" + tmp + "': " + e.what_without_backtrace());
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    fail(ErrorKind::Io, "cannot move checkpoint into place at '" + path + "'");
  }
}

void load_checkpoint(Mada& optimizer, const std::string& path) {
  if (!std::ifstream(path, std::ios::binary).good())
    fail(ErrorKind::Io, "cannot open checkpoint '" + path + "'");
  load_archive([&](torch::serialize::InputArchive& a) { a.load_from(path); }, optimizer,
               "'" + path + "'");
}

std::string save_to_bytes(const Mada& optimizer) {
  torch::serialize::OutputArchive archive;
  optimizer.save(archive);
  std::string bytes;
  archive.save_to([&bytes](const void* data, size_t size) {
    bytes.append(static_cast<const char*>(data), size);
    return size;
  });
  return bytes;
}

void load_from_bytes(Mada& optimizer, const char* data, size_t size) {
  if (data == nullptr && size != 0) fail(ErrorKind::InvalidArgument, "checkpoint bytes are null");
  load_archive([&](torch::serialize::InputArchive& a) { a.load_from(data, size); }, optimizer,
               "the buffer");
}

}  // namespace mada
