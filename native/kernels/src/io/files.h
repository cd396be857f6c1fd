// Whole files in and out, with errors that name the path. Writes are atomic: readers see the
// old file or the new one, never half of one.
#pragma once

#include <string>

namespace mada::kernels {

// A temporary file in path's folder, written, fsynced and renamed over path. Throws
// mada::Error(Io) naming path and leaves no temporary behind when any part fails.
void write_file_atomically(const std::string& path, const std::string& bytes);

// The file's bytes; mada::Error(Io) naming path when it is missing, a directory or unreadable.
std::string read_file(const std::string& path);

}  // namespace mada::kernels
