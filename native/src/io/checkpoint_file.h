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

// An upper bound of the size of a checkpoint of `tensors` tensors of `elements` elements in
// all, with any optimizer's state beside them (at most 12 rows per element, mada::Mada's): a
// file larger than this cannot be a valid checkpoint of them, and is refused before it is read.
uint64_t max_checkpoint_bytes(uint64_t tensors, uint64_t elements);
// Atomic: a temporary file in the same folder, renamed over path.
void write_checkpoint(kernels::RecordWriter& records, const std::string& path);

// A checked checkpoint: envelope and records parsed (mada::Error(Checkpoint) saying what is
// wrong, naming the file; Io when it cannot be read).
class CheckpointReader {
 public:
  // max_bytes: max_checkpoint_bytes of what the checkpoint must hold.
  static CheckpointReader open(const std::string& path, uint64_t max_bytes);
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
