#include "store_address.h"

#include <mada/error.h>

#include <cstdlib>

namespace mada::detail {

namespace {
constexpr const char* kFilePrefix = "file:";
constexpr const char* kTcpPrefix = "tcp://";

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }
}  // namespace

StoreAddress StoreAddress::parse(const std::string& store) {
  StoreAddress a;
  if (starts_with(store, kFilePrefix)) {
    a.kind = Kind::File;
    a.path = store.substr(std::string(kFilePrefix).size());
    if (a.path.empty()) fail(ErrorKind::InvalidArgument, "the store 'file:' names no file");
    return a;
  }
  if (!starts_with(store, kTcpPrefix))
    fail(ErrorKind::InvalidArgument, "the store '" + store + "' is neither file:PATH nor tcp://HOST:PORT");
  a.kind = Kind::Tcp;
  const std::string rest = store.substr(std::string(kTcpPrefix).size());
  const auto colon = rest.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size())
    fail(ErrorKind::InvalidArgument, "the store '" + store + "' is not tcp://HOST:PORT");
  a.host = rest.substr(0, colon);
  const std::string port = rest.substr(colon + 1);
  char* end = nullptr;
  const long value = std::strtol(port.c_str(), &end, 10);
  if (*end != '\0' || value < 1 || value > 65535)
    fail(ErrorKind::InvalidArgument, "the store '" + store + "' has no valid port (1-65535)");
  a.port = static_cast<uint16_t>(value);
  return a;
}

bool StoreAddress::local() const {
  return kind == Kind::File || host == "localhost" || host == "::1" || starts_with(host, "127.");
}

}  // namespace mada::detail
