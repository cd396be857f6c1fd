// libmada's side of the C ABI guard: the kernel core's guard (native/kernels/src/c_api), with
// libtorch's c10::Error turned into MADA_ERROR_INTERNAL with its message, without the C++
// backtrace.
#pragma once

#include <mada/mada.h>

#include "kernels/src/c_api/guard.h"

namespace mada::c_api {

// c10::Error first, then everything status_of_current_exception() knows. Only from a catch.
mada_status status_of_current_torch_exception() noexcept;

template <typename F>
mada_status guarded_torch(F&& body) noexcept {
  try {
    clear_last_error();
    body();
    return MADA_OK;
  } catch (...) {
    return status_of_current_torch_exception();
  }
}

}  // namespace mada::c_api
