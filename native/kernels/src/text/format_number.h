// A number as error messages show it.
#pragma once

#include <cmath>
#include <sstream>
#include <string>

namespace mada {

// Up to `digits` significant digits; NaN, Inf and -Inf spelled so, whatever the sign bit of a
// NaN (the C library prints "-nan" for one with it set, which reads as a negative number).
inline std::string format_number(double x, int digits = 6) {
  if (std::isnan(x)) return "NaN";
  if (std::isinf(x)) return x > 0 ? "Inf" : "-Inf";
  std::ostringstream s;
  s.precision(digits);
  s << x;
  return s.str();
}

}  // namespace mada
