// Where C++ meets the C ABIs: every exported function runs its body through guarded(), which
// turns any exception into a status and this thread's last-error message. libmada layers its
// libtorch exceptions on top (native/src/c_api/guard.h).
#pragma once

#include <mada/mada_kernels.h>

#include <cstring>
#include <string>
#include <type_traits>

namespace mada::c_api {

void set_last_error(const std::string& message) noexcept;
void clear_last_error() noexcept;

// Maps the exception in flight (mada::Error, std::bad_alloc, any other) to a status and
// records its message. Call only from a catch.
mada_status status_of_current_exception() noexcept;

template <typename F>
mada_status guarded(F&& body) noexcept {
  try {
    clear_last_error();
    body();
    return MADA_OK;
  } catch (...) {
    return status_of_current_exception();
  }
}

// The value a caller put in a C enum, as its integer. Any int may arrive across the C ABI, and
// in C++ loading an enum object that holds a value outside its enumerators' range is undefined
// behaviour (UBSan reports it), so an enum is checked through this before it is used.
template <typename E>
int c_enum(const E& value) noexcept {
  static_assert(std::is_enum_v<E> && sizeof(E) == sizeof(int), "a C enum");
  int raw;
  std::memcpy(&raw, &value, sizeof raw);
  return raw;
}

// Copies text (length bytes) into a caller's buffer as the C ABI copies strings: truncated to
// capacity - 1 bytes and NUL-terminated; nothing when buffer is NULL or capacity is 0.
void copy_truncated(const char* text, size_t length, char* buffer, size_t capacity) noexcept;

// Throws mada::Error(InvalidArgument) naming the argument when p is null.
void require_non_null(const void* p, const char* argument);

}  // namespace mada::c_api
