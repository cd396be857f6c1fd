// Every build of the CPU step's loops (baseline, AVX2, AVX-512) computes the same bits, with
// the full state and the compact one; and each variant's bfloat16 rounding is to_bfloat16's for
// every input, the inputs where a conversion instruction differs among them.
#include "kernels/src/cpu/cpu_features.h"
#include "kernels/src/cpu/loop_table.h"
#include "quadratic_problem.h"

#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <random>

namespace {

using mada::testing::QuadraticProblem;

struct Result {
  std::vector<torch::Tensor> params;
  mada::Coefficients q, h;
};

Result run(const mada::kernels::CpuLoops& kernels, torch::Dtype dtype, mada::Mode mode, bool compact) {
  mada::kernels::override_loops(&kernels);
  QuadraticProblem problem({{301, 67}, {67}, {5, 3, 2049}}, dtype, 91);
  Result r{problem.initial_params(), {}, {}};
  mada::Mada opt(r.params,
                 mada::MadaOptions::MADA(1e-2).mode(mode).grad_clip(40.0).weight_decay(0.01).compact_state(compact));
  for (int64_t t = 1; t <= 6; ++t) {
    problem.set_gradients(r.params, t);
    opt.step();
  }
  r.q = opt.coefficients();
  r.h = opt.hypergradient();
  mada::kernels::override_loops(nullptr);
  return r;
}

// The variants this processor and build can run, beside the baseline.
std::vector<const mada::kernels::CpuLoops*> wide_variants() {
  std::vector<const mada::kernels::CpuLoops*> v;
  for (const auto* table : {mada::kernels::avx2_loops(), mada::kernels::avx512_loops()})
    if (table != nullptr) v.push_back(table);
  return v;
}

TEST(CpuKernels, EveryVariantComputesTheBaselinesBits) {
  const auto variants = wide_variants();
  if (variants.empty()) GTEST_SKIP() << "this processor or build has neither AVX2 nor AVX-512";
  for (const auto* wide : variants) {
    for (auto dtype : {torch::kFloat, torch::kDouble}) {
      for (auto mode : {mada::Mode::Paper, mada::Mode::Reference}) {
        for (bool compact : {false, true}) {
          const Result base = run(mada::kernels::baseline_loops(), dtype, mode, compact);
          const Result other = run(*wide, dtype, mode, compact);
          const std::string what = std::string(wide->name) + (compact ? ", compact" : "");
          EXPECT_TRUE(mada::testing::all_equal(base.params, other.params)) << what;
          EXPECT_EQ(base.q, other.q) << what;
          EXPECT_EQ(base.h, other.h) << what;
        }
      }
    }
  }
}

float from_bits(uint32_t u) {
  float x;
  std::memcpy(&x, &u, sizeof x);
  return x;
}

// Denormals (which VCVTNEPS2BF16 flushes to zero), the edge of bfloat16's range (where it
// rounds to Inf and to_bfloat16 saturates), ties, zeros, Inf and NaNs of every kind, then random
// bit patterns; an odd length, so the remainder loops run too.
TEST(CpuKernels, EveryVariantRoundsToBfloat16AsTheBaselineDoes) {
  std::vector<float> in;
  for (uint32_t bits : {0x00000001u, 0x00000002u, 0x00007FFFu, 0x00008000u, 0x00018000u, 0x007FFFFFu, 0x00400000u,
                        0x80000001u, 0x807FFFFFu, 0x00000000u, 0x80000000u, 0x00800000u, 0x80800000u, 0x3F808000u,
                        0x3F818000u, 0x3F807FFFu, 0x7F7F0000u, 0x7F7F7FFFu, 0x7F7F8000u, 0x7F7FFFFFu, 0xFF7F8000u,
                        0xFF7FFFFFu, 0x7F800000u, 0xFF800000u, 0x7FC00000u, 0x7F800001u, 0x7FBFFFFFu, 0xFFC00001u,
                        0xFF800001u})
    for (int repeat = 0; repeat < 17; ++repeat) in.push_back(from_bits(bits));  // in every lane
  std::mt19937 random(5);
  while (in.size() < 200003) in.push_back(from_bits(static_cast<uint32_t>(random())));
  std::vector<mada::kernels::BFloat16> expected(in.size());
  for (size_t i = 0; i < in.size(); ++i) expected[i] = mada::kernels::to_bfloat16(in[i]);
  std::vector<const mada::kernels::CpuLoops*> all{&mada::kernels::baseline_loops()};
  for (const auto* table : wide_variants()) all.push_back(table);
  for (const auto* table : all) {
    std::vector<mada::kernels::BFloat16> out(in.size());
    table->store_bfloat16(in.data(), out.data(), static_cast<int64_t>(in.size()));
    size_t wrong = 0, first = 0;
    for (size_t i = 0; i < in.size(); ++i) {
      if (out[i].bits != expected[i].bits && wrong++ == 0) first = i;
    }
    uint32_t first_bits;
    std::memcpy(&first_bits, &in[first], sizeof first_bits);
    EXPECT_EQ(wrong, 0u) << table->name << ": first at input 0x" << std::hex << first_bits << " gave 0x"
                         << out[first].bits << ", to_bfloat16 0x" << expected[first].bits;
  }
}

// Where the processor has AVX-512, the step uses it unless told otherwise.
TEST(CpuKernels, TheWidestVariantIsChosen) {
  const auto& cpu = mada::kernels::cpu_features();
  if (std::getenv("MADA_CPU_KERNEL") != nullptr) GTEST_SKIP() << "MADA_CPU_KERNEL forces a variant";
  const std::string expected = cpu.avx512 ? "avx512" : cpu.avx2 ? "avx2" : "baseline";
  EXPECT_EQ(mada::kernels::active_loops().name, expected);
}

}  // namespace
