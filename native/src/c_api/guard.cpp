#include "guard.h"

#include <c10/util/Exception.h>

namespace mada::c_api {

mada_status status_of_current_torch_exception() noexcept {
  try {
    throw;
  } catch (const c10::Error& e) {
    // Everything a caller can get wrong is checked before libtorch sees it (a mada::Error), so
    // a failure inside libtorch is ours to fix, not the caller's bad argument.
    set_last_error(std::string("internal error in libtorch: ") + e.what_without_backtrace());
    return MADA_ERROR_INTERNAL;
  } catch (...) {
    return status_of_current_exception();
  }
}

}  // namespace mada::c_api

extern "C" {

uint32_t mada_abi_version(void) noexcept { return MADA_ABI_VERSION; }

}  // extern "C"
