// Whole files in and out, with errors that name the path. Writes are atomic: readers see the
// old file or the new one, never half of one.
#pragma once

#include <cstdint>
#include <string>

namespace mada::kernels {

// A temporary file in the folder of the file path names, written, fsynced and renamed over
// it. Throws mada::Error(Io) naming path and leaves no temporary behind when any part fails.
// A symbolic link is followed: the file it points to is replaced and the link stays, as
// editors and torch.save (which opens the path for writing) treat one.
void write_file_atomically(const std::string& path, const std::string& bytes);

// The bytes of a regular file of at most max_bytes; `what` names what it should hold, for the
// messages. mada::Error(Io) naming path when it is missing or unreadable, not a regular file
// (a directory, a device such as /dev/zero, a pipe or a socket: none is opened so that it
// blocks), or larger than max_bytes (larger than any valid content can be).
std::string read_file(const std::string& path, uint64_t max_bytes, const char* what);

}  // namespace mada::kernels
