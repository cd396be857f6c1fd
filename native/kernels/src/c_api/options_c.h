// The C ABI's option structs and the C++ options: the one conversion both C ABIs use.
#pragma once

#include <mada/mada_kernels.h>
#include <mada/step_options.h>

namespace mada::c_api {

Coefficients from_c(const mada_coefficients& c);
mada_coefficients to_c(const Coefficients& c);

// Converts and validates (mada::Error(InvalidArgument) naming a bad field or enum value).
StepOptions from_c(const mada_options& o);
mada_options to_c(const StepOptions& o);

}  // namespace mada::c_api
