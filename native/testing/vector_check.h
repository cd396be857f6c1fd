// Checking one update of a run against a vector file, with the required tolerances of
// FORMAT.md, read from tests/vector-tolerances.json (the table both test suites share).
#pragma once

#include "vector_file.h"

#include <string>
#include <vector>

namespace mada::testing {

struct Tolerances {
  double x_relative = 0;              // max |diff| / max |expected| over a step's parameters
  double q_absolute = 0;
  double h_relative_to_file_max = 0;  // times that coefficient's largest |h| in the file
  double grad_norm_relative = 0;
};

// The row "float32" or "float64" of the table at path. Throws std::runtime_error.
Tolerances read_tolerances(const std::string& path, const std::string& precision);

// The table's row for a replay in float64 (is_double) or float32.
Tolerances required_tolerances(bool is_double);

class VectorCheck {
 public:
  VectorCheck(const VectorFile& file, const Tolerances& tolerances);

  // "" when update t matches the file, else what does not. x: per tensor, after the update.
  std::string check(int64_t t, const std::vector<std::vector<double>>& x, const Coefficients& q,
                    const Coefficients& h, double grad_norm) const;

 private:
  const VectorFile& file_;
  Tolerances tol_;
  Coefficients h_scale_;  // largest |h_k| in the file, per coefficient
};

}  // namespace mada::testing
