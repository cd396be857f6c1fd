// Where the ranks of a run meet, parsed from DistributedOptions::store: "file:PATH" or
// "tcp://HOST:PORT".
#pragma once

#include <cstdint>
#include <string>

namespace mada::detail {

struct StoreAddress {
  enum class Kind { File, Tcp };
  Kind kind = Kind::File;
  std::string path;  // File
  std::string host;  // Tcp
  uint16_t port = 0;  // Tcp

  // mada::Error(InvalidArgument) saying what form is expected.
  static StoreAddress parse(const std::string& store);
  // One machine: a file store, or a TCP store on a loopback address.
  bool local() const;
};

}  // namespace mada::detail
