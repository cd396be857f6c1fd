#include "files.h"

#include <mada/error.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mada::kernels {

namespace {

[[noreturn]] void io_error(const char* verb, const std::string& path, int err) {
  fail(ErrorKind::Io, std::string("cannot ") + verb + " '" + path + "': " + std::strerror(err));
}

// Closes the descriptor on every path out.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// Where a write to path lands: path itself, or, while it is a symbolic link, what it points
// to (a relative target is relative to the link's folder). A loop of links is an Io error.
std::string resolve_links(std::string path) {
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return path;
    std::string target(static_cast<size_t>(st.st_size > 0 ? st.st_size : 4096) + 1, '\0');
    const ssize_t n = ::readlink(path.c_str(), target.data(), target.size());
    if (n < 0) io_error("write", path, errno);
    target.resize(static_cast<size_t>(n));
    const size_t slash = path.rfind('/');
    path = target.front() == '/' || slash == std::string::npos ? target : path.substr(0, slash + 1) + target;
  }
  io_error("write", path, ELOOP);
}

}  // namespace

void write_file_atomically(const std::string& link_or_path, const std::string& bytes) {
  static std::atomic<unsigned> counter{0};
  const std::string path = resolve_links(link_or_path);
  const std::string tmp = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  int err = 0;
  {
    Fd f{::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)};
    if (f.fd < 0) io_error("write", link_or_path, errno);
    for (size_t done = 0; done < bytes.size() && err == 0;) {
      const ssize_t n = ::write(f.fd, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno != EINTR) err = errno;
      if (n > 0) done += static_cast<size_t>(n);
    }
    if (err == 0 && ::fsync(f.fd) != 0) err = errno;
  }
  if (err == 0 && std::rename(tmp.c_str(), path.c_str()) != 0) err = errno;
  if (err != 0) {
    std::remove(tmp.c_str());
    io_error("write", link_or_path, err);
  }
}

std::string read_file(const std::string& path, uint64_t max_bytes, const char* what) {
  // O_NONBLOCK: opening a pipe for reading would otherwise wait for a writer.
  Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
  if (f.fd < 0) io_error("open", path, errno);
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) io_error("read", path, errno);
  if (S_ISDIR(st.st_mode)) io_error("read", path, EISDIR);
  if (!S_ISREG(st.st_mode))
    fail(ErrorKind::Io, "cannot read '" + path + "': not a regular file (a device, pipe or socket), so not " + what);
  if (static_cast<uint64_t>(st.st_size) > max_bytes)
    fail(ErrorKind::Io, "cannot read '" + path + "': it holds " + std::to_string(st.st_size) +
                            " bytes, more than " + what + " can (at most " + std::to_string(max_bytes) + ")");
  const int flags = ::fcntl(f.fd, F_GETFL);
  if (flags >= 0) ::fcntl(f.fd, F_SETFL, flags & ~O_NONBLOCK);
  std::string bytes;
  bytes.reserve(static_cast<size_t>(st.st_size));
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(f.fd, buffer, sizeof buffer);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      io_error("read", path, errno);
    }
    bytes.append(buffer, static_cast<size_t>(n));
    if (bytes.size() > max_bytes)  // it grew while being read
      fail(ErrorKind::Io, "cannot read '" + path + "': it grew past " + std::to_string(max_bytes) + " bytes while being read");
  }
  return bytes;
}

}  // namespace mada::kernels
