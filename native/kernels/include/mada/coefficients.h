// The six learned coefficients q = (beta1, beta2, beta3, rho, c, gamma) of MADA.
#pragma once

#include <array>
#include <cstddef>

namespace mada {

enum class Coefficient : int { Beta1 = 0, Beta2, Beta3, Rho, C, Gamma };

inline constexpr std::size_t kCoefficientCount = 6;

// Names as the spec and the test vectors spell them, in index order.
inline constexpr std::array<const char*, kCoefficientCount> kCoefficientNames = {
    "beta1", "beta2", "beta3", "rho", "c", "gamma"};

// One double per coefficient. Plain aggregate so it maps 1:1 onto the C ABI struct.
struct Coefficients {
  double beta1 = 0, beta2 = 0, beta3 = 0, rho = 0, c = 0, gamma = 0;

  double& operator[](std::size_t k) { return this->*kMembers[k]; }
  double operator[](std::size_t k) const { return this->*kMembers[k]; }

  static constexpr double Coefficients::*kMembers[kCoefficientCount] = {
      &Coefficients::beta1, &Coefficients::beta2, &Coefficients::beta3,
      &Coefficients::rho,   &Coefficients::c,     &Coefficients::gamma};

  static Coefficients filled(double x) { return {x, x, x, x, x, x}; }
  bool operator==(const Coefficients& o) const {
    for (std::size_t k = 0; k < kCoefficientCount; ++k)
      if ((*this)[k] != o[k]) return false;
    return true;
  }
  bool operator!=(const Coefficients& o) const { return !(*this == o); }
};
static_assert(sizeof(Coefficients) == kCoefficientCount * sizeof(double),
              "Coefficients mirrors the C ABI's mada_coefficients");

// Bit mask over coefficients: bit k set means coefficient k learns.
using LearnMask = unsigned;
inline constexpr LearnMask kLearnNone = 0;
inline constexpr LearnMask kLearnAll = 0x3F;
inline constexpr LearnMask learn_bit(Coefficient k) { return 1u << static_cast<int>(k); }

}  // namespace mada
