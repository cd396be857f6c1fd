#include "guard.h"

#include <c10/util/Exception.h>

namespace mada::c_api {

mada_status status_of_current_torch_exception() noexcept {
  try {
    throw;
  } catch (const c10::Error& e) {
    // libtorch's CPU allocator reports a failed allocation as a plain c10::Error (1.13; 2.x
    // derives c10::OutOfMemoryError from it): the request was valid, the memory was not there.
    const std::string message = e.what_without_backtrace();
    if (message.find("can't allocate memory") != std::string::npos) {
      set_last_error("out of memory: " + message);
      return MADA_ERROR_OUT_OF_MEMORY;
    }
    // Everything a caller can get wrong is checked before libtorch sees it (a mada::Error), so
    // a failure inside libtorch is ours to fix, not the caller's bad argument.
    set_last_error("internal error in libtorch: " + message);
    return MADA_ERROR_INTERNAL;
  } catch (...) {
    return status_of_current_exception();
  }
}

}  // namespace mada::c_api

extern "C" {

uint32_t mada_abi_version(void) noexcept { return MADA_ABI_VERSION; }

}  // extern "C"
