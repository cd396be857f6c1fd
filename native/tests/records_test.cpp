// The checkpoints' record format (kernels/src/io/records.h): what is written reads back in place,
// and every damaged or hostile layout is a Checkpoint error before anything is allocated.
#include "kernels/src/io/byte_stream.h"
#include "kernels/src/io/records.h"

#include <mada/error.h>

#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <limits>

namespace {

using mada::ErrorKind;
using mada::kernels::ByteWriter;
using mada::kernels::RecordReader;
using mada::kernels::RecordType;
using mada::kernels::RecordWriter;

// One record written by hand, byte for byte as records.h documents it.
std::string raw_record(const std::string& name, uint8_t type, const std::vector<int64_t>& dims, size_t data_bytes) {
  ByteWriter w;
  w.put(static_cast<uint32_t>(name.size()));
  w.put_bytes(name.data(), name.size());
  w.put(type);
  w.put(static_cast<uint8_t>(dims.size()));
  for (int64_t d : dims) w.put(d);
  w.bytes().append(data_bytes, '\0');
  return w.bytes();
}

std::string payload(uint64_t count, const std::string& records, uint32_t format = 1) {
  ByteWriter w;
  w.put(format);
  w.put(count);
  return w.bytes() + records;
}

// Parsing must fail as a Checkpoint error whose message holds `says`.
void expect_refused(const std::string& bytes, const std::string& says) {
  try {
    RecordReader reader(bytes.data(), bytes.size());
    ADD_FAILURE() << "accepted; expected an error saying '" << says << "'";
  } catch (const mada::Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Checkpoint) << e.what();
    EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
  }
}

TEST(Records, WhatIsWrittenReadsBackWithItsTypeShapeAndBytes) {
  const std::vector<float> weights{1.5f, -2.0f, 3.25f, 0.0f, 7.0f, -0.5f};
  const std::vector<int64_t> counts{4, -9};
  const double scalar = 0.125;
  RecordWriter writer;
  writer.add("model.0", RecordType::F32, {2, 3}, weights.data());
  writer.add("steps", RecordType::I64, {2}, counts.data());
  writer.add("lr", RecordType::F64, {}, &scalar);
  writer.add("empty", RecordType::F32, {0, 5}, nullptr);
  const std::string bytes = writer.finish();

  const RecordReader reader(bytes.data(), bytes.size());
  const auto& w = reader.get("model.0", RecordType::F32, 6);
  EXPECT_EQ(w.shape, (std::vector<int64_t>{2, 3}));
  std::vector<float> read(6);
  std::memcpy(read.data(), w.data, w.bytes);
  EXPECT_EQ(read, weights);
  int64_t second = 0;
  std::memcpy(&second, reader.get("steps", RecordType::I64, 2).data + 8, 8);
  EXPECT_EQ(second, -9);
  const auto& lr = reader.get("lr");
  EXPECT_TRUE(lr.shape.empty());
  EXPECT_EQ(lr.numel, 1);
  EXPECT_EQ(reader.get("empty").numel, 0);
  EXPECT_EQ(reader.find("absent"), nullptr);
}

TEST(Records, AMissingOrMistypedEntryIsNamed) {
  const std::vector<float> v{1, 2, 3};
  RecordWriter writer;
  writer.add("v", RecordType::F32, {3}, v.data());
  const std::string bytes = writer.finish();
  const RecordReader reader(bytes.data(), bytes.size());
  for (auto read : {std::function<void()>([&] { reader.get("w"); }),
                    std::function<void()>([&] { reader.get("v", RecordType::F64, 3); }),
                    std::function<void()>([&] { reader.get("v", RecordType::F32, 4); })}) {
    try {
      read();
      ADD_FAILURE() << "read";
    } catch (const mada::Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Checkpoint);
      EXPECT_TRUE(std::string(e.what()).find("'v'") != std::string::npos ||
                  std::string(e.what()).find("'w'") != std::string::npos)
          << e.what();
    }
  }
}

TEST(Records, TheWriterRefusesWhatTheReaderWouldRefuse) {
  RecordWriter writer;
  const float x = 1;
  writer.add("x", RecordType::F32, {1}, &x);
  EXPECT_THROW(writer.add("x", RecordType::F32, {1}, &x), mada::Error);
  EXPECT_THROW(writer.add("", RecordType::F32, {1}, &x), mada::Error);
  EXPECT_THROW(writer.add("y", RecordType::F32, {-1}, &x), mada::Error);
  EXPECT_THROW(writer.add("z", RecordType::F32, std::vector<int64_t>(9, 1), &x), mada::Error);
}

TEST(Records, EveryTruncationIsRefused) {
  const std::vector<double> v{1, 2, 3, 4};
  RecordWriter writer;
  writer.add("a", RecordType::F64, {4}, v.data());
  writer.add("b", RecordType::F64, {2, 2}, v.data());
  const std::string bytes = writer.finish();
  for (size_t size = 0; size < bytes.size(); ++size) {
    try {
      RecordReader reader(bytes.data(), size);
      ADD_FAILURE() << "the first " << size << " bytes were accepted";
    } catch (const mada::Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::Checkpoint) << size << ": " << e.what();
    }
  }
}

TEST(Records, HostileLayoutsAreRefusedBeforeAnythingIsAllocated) {
  expect_refused(payload(1, raw_record("x", 1, {2}, 8)) + "!", "too many");
  expect_refused(payload(1, raw_record("x", 1, {2}, 8), 2), "format 2");
  expect_refused(payload(2, raw_record("x", 1, {2}, 8) + raw_record("x", 1, {2}, 8)), "'x' twice");
  expect_refused(payload(1, raw_record("x", 0, {2}, 8)), "unknown type 0");
  expect_refused(payload(1, raw_record("x", 9, {2}, 8)), "unknown type 9");
  expect_refused(payload(1, raw_record("x", 1, std::vector<int64_t>(9, 1), 4)), "more than 8 dimensions");
  expect_refused(payload(1, raw_record("", 1, {1}, 4)), "name of 0 bytes");
  // A name length far past the end: its bytes are not there.
  std::string long_name = payload(1, raw_record("x", 1, {1}, 4));
  const uint32_t huge = 1000;
  std::memcpy(&long_name[12], &huge, 4);
  expect_refused(long_name, "cut short in a record name");
  // Shapes whose size overflows or exceeds what follows, and negative ones.
  const int64_t big = std::numeric_limits<int64_t>::max();
  expect_refused(payload(1, raw_record("x", 1, {big}, 8)), "impossible shape");
  expect_refused(payload(1, raw_record("x", 1, {1 << 30, 1 << 30, 1 << 30}, 8)), "impossible shape");
  expect_refused(payload(1, raw_record("x", 1, {-1}, 8)), "impossible shape");
  expect_refused(payload(1, raw_record("x", 1, {3}, 8)), "needs 12 bytes, 8 are left");
  expect_refused(payload(1, raw_record("x", 2, {1 << 20}, 8)), "needs 8388608 bytes");
  // A record count no payload of this size can hold.
  expect_refused(payload(std::numeric_limits<uint64_t>::max(), raw_record("x", 1, {1}, 4)), "claims");
  expect_refused(payload(2, raw_record("x", 1, {1}, 4)), "cut short");
}

}  // namespace
