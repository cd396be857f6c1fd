// Named, typed arrays in one payload: the format of the checkpoints libmada writes (the
// optimizer's and the trainer's, model weights included). It exists so that no checkpoint byte
// ever reaches libtorch's archive reader, which trusts the sizes it reads (docs/reliability.md):
// here every name, shape and length is checked against the bytes present before anything is
// allocated, and the arrays are handed out in place.
//
//   u32 format, u64 count, then per record: u32 name length, name, u8 type, u8 rank,
//   i64 dims[rank], the elements (little-endian, packed, no padding).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace mada::kernels {

enum class RecordType : uint8_t { F32 = 1, F64 = 2, F16 = 3, BF16 = 4, I64 = 5, I32 = 6, U8 = 7, Bool = 8 };

size_t element_size(RecordType type);
const char* type_name(RecordType type);

struct Record {
  RecordType type;
  std::vector<int64_t> shape;
  int64_t numel;
  const char* data;  // numel elements, in the reader's input (unaligned: copy them out)
  size_t bytes;
};

class RecordWriter {
 public:
  RecordWriter();
  // data: numel(shape) elements of type. Names must be unique (InvalidArgument otherwise).
  void add(const std::string& name, RecordType type, const std::vector<int64_t>& shape, const void* data);
  // The payload; the writer is empty afterwards.
  std::string finish();

 private:
  std::string bytes_;
  std::set<std::string> names_;
  uint64_t count_ = 0;
};

class RecordReader {
 public:
  // Parses and checks the whole payload (Checkpoint error saying what is wrong); keeps pointers
  // into data, which must outlive the reader.
  RecordReader(const char* data, size_t size);

  // The record, or null.
  const Record* find(const std::string& name) const;
  // The record; Checkpoint error naming it when it is missing.
  const Record& get(const std::string& name) const;
  // ... and it must hold exactly numel elements of type.
  const Record& get(const std::string& name, RecordType type, int64_t numel) const;

 private:
  std::map<std::string, Record> records_;
};

}  // namespace mada::kernels
