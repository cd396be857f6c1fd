#include "checkpoint_file.h"

#include <mada/error.h>

#include "kernels/src/io/envelope.h"
#include "kernels/src/io/files.h"

#include <cstring>

namespace mada::detail {

std::string seal_checkpoint(kernels::RecordWriter& records) {
  return kernels::seal(kCheckpointMagic, records.finish());
}

void write_checkpoint(kernels::RecordWriter& records, const std::string& path) {
  kernels::write_file_atomically(path, seal_checkpoint(records));
}

uint64_t max_checkpoint_bytes(uint64_t tensors, uint64_t elements) {
  // Each record: a name of a few dozen characters, its type, rank and shape; 8 bytes per element.
  constexpr uint64_t kRecord = 512, kElement = 8, kFixed = 64 * 1024, rows = 12;
  return kFixed + (rows + 1) * (tensors * kRecord + elements * kElement);
}

CheckpointReader CheckpointReader::open(const std::string& path, uint64_t max_bytes) {
  CheckpointReader reader;
  reader.bytes_ = kernels::read_file(path, max_bytes, "a checkpoint of this model and optimizer");
  try {
    reader.parse(reader.bytes_.data(), reader.bytes_.size());
  } catch (const Error& e) {
    fail(e.kind(), "'" + path + "': " + e.what());
  }
  return reader;
}

CheckpointReader CheckpointReader::of_bytes(const char* data, size_t size) {
  CheckpointReader reader;
  reader.parse(data, size);
  return reader;
}

void CheckpointReader::parse(const char* data, size_t size) {
  const size_t magic = std::strlen(kEarlierCheckpointMagic);
  if (data != nullptr && size >= magic && std::memcmp(data, kEarlierCheckpointMagic, magic) == 0)
    fail(ErrorKind::Checkpoint,
         std::string("this checkpoint is in the earlier format ") + kEarlierCheckpointMagic +
             " (libtorch archives), which this version no longer reads "
         "(libtorch's archive reader trusts the sizes in a file); train again from the start");
  const kernels::Payload payload = kernels::unseal(kCheckpointMagic, data, size);
  records_ = std::make_unique<kernels::RecordReader>(payload.data, payload.size);
}

}  // namespace mada::detail
