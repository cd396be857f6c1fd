#include "records.h"

#include "byte_stream.h"

#include <mada/error.h>

#include <limits>

namespace mada::kernels {

namespace {

constexpr uint32_t kFormat = 1;
constexpr uint32_t kMaxNameLength = 1024;
constexpr uint8_t kMaxRank = 8;

bool known(uint8_t type) { return type >= 1 && type <= static_cast<uint8_t>(RecordType::Bool); }

}  // namespace

size_t element_size(RecordType type) {
  switch (type) {
    case RecordType::F64:
    case RecordType::I64: return 8;
    case RecordType::F32:
    case RecordType::I32: return 4;
    case RecordType::F16:
    case RecordType::BF16: return 2;
    case RecordType::U8:
    case RecordType::Bool: return 1;
  }
  return 0;
}

const char* type_name(RecordType type) {
  static const char* const names[] = {"", "float32", "float64", "float16", "bfloat16", "int64", "int32", "uint8", "bool"};
  return names[static_cast<uint8_t>(type)];
}

RecordWriter::RecordWriter() = default;

void RecordWriter::add(const std::string& name, RecordType type, const std::vector<int64_t>& shape, const void* data) {
  if (name.empty() || name.size() > kMaxNameLength)
    fail(ErrorKind::InvalidArgument, "record name '" + name + "' is empty or too long");
  if (names_.count(name) != 0)
    fail(ErrorKind::InvalidArgument, "record '" + name + "' is written twice");
  if (shape.size() > kMaxRank) fail(ErrorKind::InvalidArgument, "record '" + name + "' has more than 8 dimensions");
  size_t numel = 1;
  for (int64_t d : shape) {
    if (d < 0) fail(ErrorKind::InvalidArgument, "record '" + name + "' has a negative dimension");
    numel *= static_cast<size_t>(d);
  }
  ByteWriter w;
  w.put(static_cast<uint32_t>(name.size()));
  w.put_bytes(name.data(), name.size());
  w.put(static_cast<uint8_t>(type));
  w.put(static_cast<uint8_t>(shape.size()));
  for (int64_t d : shape) w.put(d);
  w.put_bytes(data, numel * element_size(type));
  bytes_ += w.bytes();
  names_.insert(name);
  ++count_;
}

std::string RecordWriter::finish() {
  ByteWriter header;
  header.put(kFormat);
  header.put(count_);
  std::string out = header.bytes() + bytes_;
  bytes_.clear();
  names_.clear();
  count_ = 0;
  return out;
}

RecordReader::RecordReader(const char* data, size_t size) {
  ByteReader r(data, size, "checkpoint");
  const uint32_t format = r.get<uint32_t>("its header");
  if (format != kFormat)
    fail(ErrorKind::Checkpoint, "checkpoint record format " + std::to_string(format) + " is not the supported format " +
                                    std::to_string(kFormat));
  const uint64_t count = r.get<uint64_t>("its header");
  // Each record takes at least 6 bytes, so a count larger than that allows is refused at once
  // (the loop would find it too, but only after reading that many records).
  if (count > r.left() / 6) fail(ErrorKind::Checkpoint, "checkpoint claims " + std::to_string(count) + " records in " +
                                                            std::to_string(r.left()) + " bytes");
  for (uint64_t i = 0; i < count; ++i) {
    const uint32_t length = r.get<uint32_t>("a record name");
    if (length == 0 || length > kMaxNameLength)
      fail(ErrorKind::Checkpoint, "checkpoint record " + std::to_string(i) + " has a name of " + std::to_string(length) +
                                      " bytes (1 to 1024 allowed)");
    std::string name(r.take(length, "a record name"), length);
    const uint8_t type = r.get<uint8_t>("a record header");
    if (!known(type))
      fail(ErrorKind::Checkpoint, "checkpoint record '" + name + "' has an unknown type " + std::to_string(type));
    const uint8_t rank = r.get<uint8_t>("a record header");
    if (rank > kMaxRank) fail(ErrorKind::Checkpoint, "checkpoint record '" + name + "' has more than 8 dimensions");
    Record record{static_cast<RecordType>(type), {}, 1, nullptr, 0};
    const size_t elem = element_size(record.type);
    for (uint8_t k = 0; k < rank; ++k) {
      const int64_t d = r.get<int64_t>("a record shape");
      // The bound keeps numel * elem from overflowing; the length check below then refuses
      // any shape larger than the bytes that follow.
      if (d < 0 || (d > 0 && static_cast<uint64_t>(record.numel) > (std::numeric_limits<uint64_t>::max() / 16) / elem /
                                                                         static_cast<uint64_t>(d)))
        fail(ErrorKind::Checkpoint, "checkpoint record '" + name + "' has an impossible shape");
      record.shape.push_back(d);
      record.numel *= d;
    }
    const uint64_t bytes = static_cast<uint64_t>(record.numel) * elem;
    if (bytes > r.left())
      fail(ErrorKind::Checkpoint, "checkpoint record '" + name + "' needs " + std::to_string(bytes) + " bytes, " +
                                      std::to_string(r.left()) + " are left");
    record.bytes = static_cast<size_t>(bytes);
    record.data = r.take(record.bytes, "record data");
    if (!records_.emplace(name, std::move(record)).second)
      fail(ErrorKind::Checkpoint, "checkpoint holds record '" + name + "' twice");
  }
  r.expect_end();
}

const Record* RecordReader::find(const std::string& name) const {
  auto it = records_.find(name);
  return it == records_.end() ? nullptr : &it->second;
}

const Record& RecordReader::get(const std::string& name) const {
  const Record* record = find(name);
  if (record == nullptr) fail(ErrorKind::Checkpoint, "checkpoint has no entry '" + name + "'");
  return *record;
}

const Record& RecordReader::get(const std::string& name, RecordType type, int64_t numel) const {
  const Record& record = get(name);
  if (record.type != type || record.numel != numel)
    fail(ErrorKind::Checkpoint, "checkpoint entry '" + name + "' holds " + std::to_string(record.numel) + " " +
                                    type_name(record.type) + " values; the reader needs " + std::to_string(numel) + " " +
                                    type_name(type));
  return record;
}

}  // namespace mada::kernels
