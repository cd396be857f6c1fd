// libmada's checkpoints, as files and as byte buffers: the kernel core's records inside its
// envelope (magic and CRC32), files written atomically. The optimizer's and the trainer's
// checkpoints are both this, so no checkpoint byte reaches libtorch's archive reader.
#pragma once

#include "kernels/src/io/records.h"

#include <memory>
#include <string>

namespace mada::detail {

// The envelope's magic.
inline constexpr const char* kCheckpointMagic = "MADACKP2";
// The earlier format's, whose libtorch archives are no longer read: refused by name.
inline constexpr const char* kEarlierCheckpointMagic = "MADACKP1";

std::string seal_checkpoint(kernels::RecordWriter& records);
// Atomic: a temporary file in the same folder, renamed over path.
void write_checkpoint(kernels::RecordWriter& records, const std::string& path);

// A checked checkpoint: envelope and records parsed (mada::Error(Checkpoint) saying what is
// wrong, naming the file; Io when it cannot be read).
class CheckpointReader {
 public:
  static CheckpointReader open(const std::string& path);
  // Reads data in place: it must outlive the reader.
  static CheckpointReader of_bytes(const char* data, size_t size);

  const kernels::RecordReader& records() const { return *records_; }

 private:
  CheckpointReader() = default;
  void parse(const char* data, size_t size);

  std::string bytes_;  // a file's contents; empty for borrowed bytes
  std::unique_ptr<kernels::RecordReader> records_;
};

}  // namespace mada::detail
