#include "guard.h"

#include <c10/util/Exception.h>

namespace mada::c_api {

mada_status status_of_current_torch_exception() noexcept {
  try {
    throw;
  } catch (const c10::Error& e) {
    // libtorch's checks reject what the caller passed (shapes, dtypes, sizes).
    set_last_error(e.what_without_backtrace());
    return MADA_ERROR_INVALID_ARGUMENT;
  } catch (...) {
    return status_of_current_exception();
  }
}

}  // namespace mada::c_api

extern "C" {

uint32_t mada_abi_version(void) { return MADA_ABI_VERSION; }

}  // extern "C"
