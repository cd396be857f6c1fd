#include "guard.h"

#include <mada/error.h>

#include <cstring>
#include <new>

namespace mada::c_api {

namespace {
thread_local std::string last_error;
}

// Each ErrorKind is the mada_status of the same value.
static_assert(static_cast<int>(ErrorKind::InvalidArgument) == MADA_ERROR_INVALID_ARGUMENT);
static_assert(static_cast<int>(ErrorKind::NonFinite) == MADA_ERROR_NON_FINITE);
static_assert(static_cast<int>(ErrorKind::BufferTooSmall) == MADA_ERROR_BUFFER_TOO_SMALL);
static_assert(static_cast<int>(ErrorKind::Checkpoint) == MADA_ERROR_CHECKPOINT);
static_assert(static_cast<int>(ErrorKind::Io) == MADA_ERROR_IO);
static_assert(static_cast<int>(ErrorKind::Unsupported) == MADA_ERROR_UNSUPPORTED);
static_assert(static_cast<int>(ErrorKind::Distributed) == MADA_ERROR_DISTRIBUTED);
static_assert(static_cast<int>(ErrorKind::OutOfMemory) == MADA_ERROR_OUT_OF_MEMORY);

void set_last_error(const std::string& message) noexcept {
  try {
    last_error = message;
  } catch (...) {
    last_error.clear();  // out of memory for the message itself: leave it empty
  }
}

void clear_last_error() noexcept { last_error.clear(); }

mada_status status_of_current_exception() noexcept {
  try {
    throw;
  } catch (const mada::Error& e) {
    set_last_error(e.what());
    return static_cast<mada_status>(static_cast<int>(e.kind()));
  } catch (const std::bad_alloc&) {
    set_last_error("out of memory: an allocation failed, and nothing was changed");
    return MADA_ERROR_OUT_OF_MEMORY;
  } catch (const std::exception& e) {
    set_last_error(std::string("internal error: ") + e.what());
    return MADA_ERROR_INTERNAL;
  } catch (...) {
    set_last_error("internal error: unknown exception");
    return MADA_ERROR_INTERNAL;
  }
}

void copy_truncated(const char* text, size_t length, char* buffer, size_t capacity) noexcept {
  if (buffer == nullptr || capacity == 0) return;
  const size_t n = length < capacity - 1 ? length : capacity - 1;
  std::memcpy(buffer, text, n);
  buffer[n] = '\0';
}

void require_non_null(const void* p, const char* argument) {
  if (p == nullptr) fail(ErrorKind::InvalidArgument, std::string(argument) + " is NULL");
}

}  // namespace mada::c_api

extern "C" {

uint32_t mada_kernels_abi_version(void) noexcept { return MADA_KERNELS_ABI_VERSION; }

size_t mada_last_error(char* buffer, size_t capacity) noexcept {
  const std::string& message = mada::c_api::last_error;
  mada::c_api::copy_truncated(message.data(), message.size(), buffer, capacity);
  return message.size();
}

}  // extern "C"
