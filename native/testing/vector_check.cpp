#include "vector_check.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mada::testing {

Tolerances read_tolerances(const std::string& path, const std::string& precision) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open the tolerance table " + path);
  try {
    const auto row = nlohmann::json::parse(in).at(precision);
    return Tolerances{row.at("x_relative").get<double>(), row.at("q_absolute").get<double>(),
                      row.at("h_relative_to_file_max").get<double>(), row.at("grad_norm_relative").get<double>()};
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
}

Tolerances required_tolerances(bool is_double) {
  return read_tolerances(MADA_TOLERANCE_TABLE, is_double ? "float64" : "float32");
}

VectorCheck::VectorCheck(const VectorFile& file, const Tolerances& tolerances) : file_(file), tol_(tolerances) {
  for (std::size_t k = 0; k < kCoefficientCount; ++k)
    for (const VectorStep& s : file.steps) h_scale_[k] = std::max(h_scale_[k], std::abs(s.hypergrad[k]));
}

std::string VectorCheck::check(int64_t t, const std::vector<std::vector<double>>& x, const Coefficients& q,
                               const Coefficients& h, double grad_norm) const {
  const VectorStep& expected = file_.steps.at(t - 1);
  std::ostringstream problems;
  problems.precision(9);
  if (!(std::abs(grad_norm - expected.grad_norm) <= tol_.grad_norm_relative * std::abs(expected.grad_norm)))
    problems << " grad_norm " << grad_norm << " != " << expected.grad_norm << ";";
  for (std::size_t k = 0; k < kCoefficientCount; ++k) {
    if (!(std::abs(q[k] - expected.q[k]) <= tol_.q_absolute))
      problems << " q." << kCoefficientNames[k] << " " << q[k] << " != " << expected.q[k] << ";";
    const double tol = tol_.h_relative_to_file_max * h_scale_[k];
    if (!(std::abs(h[k] - expected.hypergrad[k]) <= tol))
      problems << " h." << kCoefficientNames[k] << " " << h[k] << " != " << expected.hypergrad[k]
               << " (tolerance " << tol << ");";
  }
  if (x.size() != expected.x.size()) return "step " + std::to_string(t) + ": the run has another tensor count";
  double worst = 0.0, scale = 0.0;
  for (size_t i = 0; i < x.size(); ++i) {
    if (x[i].size() != expected.x[i].size())
      return "step " + std::to_string(t) + ": the file's x has the wrong size";
    for (size_t j = 0; j < x[i].size(); ++j) {
      worst = std::max(worst, std::abs(x[i][j] - expected.x[i][j]));
      scale = std::max(scale, std::abs(expected.x[i][j]));
    }
  }
  if (!(worst <= tol_.x_relative * scale)) problems << " x off by " << worst << " (max |x| " << scale << ");";
  const std::string found = problems.str();
  return found.empty() ? "" : "step " + std::to_string(t) + ":" + found;
}

}  // namespace mada::testing
