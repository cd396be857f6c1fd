// Writing a file so that readers see the old file or the new one, never half of one.
#pragma once

#include <mada/error.h>

#include <atomic>
#include <cstdio>
#include <string>
#include <unistd.h>

namespace mada::detail {

// Calls write(temporary) for a temporary path in path's folder, then renames it over path.
// Throws mada::Error(Io) and leaves no temporary behind when either part fails.
template <typename Write>
void write_atomically(const std::string& path, Write&& write) {
  static std::atomic<unsigned> counter{0};
  const std::string tmp = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  try {
    write(tmp);
  } catch (const std::exception& e) {
    std::remove(tmp.c_str());
    fail(ErrorKind::Io, "cannot write '" + path + "': " + e.what());
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    fail(ErrorKind::Io, "cannot move the new file into place at '" + path + "'");
  }
}

}  // namespace mada::detail
