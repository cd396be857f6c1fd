// Checkpoints that are well-formed but hold values no update can produce: what a buggy or
// hostile writer could make. Shared by the optimizer's and the trainer's checkpoint tests.
#pragma once

#include "kernels/src/io/envelope.h"
#include "kernels/src/io/records.h"
#include "src/io/checkpoint_file.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>

namespace mada::testing {

// The checkpoint bytes with element `index` (of type T) of entry `name` replaced by value and the
// envelope resealed.
template <typename T>
std::string with_value(const std::string& checkpoint, const std::string& name, size_t index, T value) {
  const auto payload = kernels::unseal(detail::kCheckpointMagic, checkpoint.data(), checkpoint.size());
  std::string records(payload.data, payload.size);
  const kernels::RecordReader reader(records.data(), records.size());
  const auto& record = reader.get(name);
  EXPECT_LT(index * sizeof(T), record.bytes) << name;
  const size_t offset = static_cast<size_t>(record.data - records.data()) + index * sizeof(T);
  std::memcpy(&records[offset], &value, sizeof(T));
  return kernels::seal(detail::kCheckpointMagic, records);
}

inline std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

}  // namespace mada::testing
