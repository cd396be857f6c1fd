// The CUDA step against the CPU step, on the same problems: tensors of odd sizes in two
// groups, both modes, both state precisions. Built wherever nvcc is (./build.sh
// cuda-toolchain); every test skips where no CUDA device is present, so on a machine
// without a GPU this compiles and links the device code but runs none of it
// (tools/gpu-check.sh runs it on a GPU).
#include "kernels/src/cpu/cpu_step.h"
#include "kernels/src/cuda/cuda_step.h"
#include "kernels/src/math/bfloat16.h"

#include <mada/error.h>

#include <cuda_runtime.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

namespace {

using mada::Mode;
using mada::StepOptions;
using namespace mada::kernels;

#define CUDA_OK(call) ASSERT_EQ((call), cudaSuccess) << #call

// Odd sizes: a chunk and a bit, a vector tail of 1-3, a single element.
const std::vector<int64_t> kSizes = {1, 3, 1001, 65537, 200003};
constexpr int kRows = 5 + 6 + 1;  // m v vbar n mL, six D, gprev (as float rows)

// A deterministic gradient for element i of tensor s at update t, with some large and tiny values.
float gradient(size_t s, int64_t i, int64_t t) {
  const double x = std::sin(0.37 * static_cast<double>(i) + 1.3 * static_cast<double>(s) + 0.61 * t);
  return static_cast<float>(x * (i % 17 == 0 ? 30.0 : 1.0) * (i % 29 == 0 ? 1e-4 : 1.0));
}

// Host copies of a problem's parameters and full state, for the CPU and to compare.
struct HostTensor {
  std::vector<float> p, g, state;  // state: kRows rows of numel floats (D as float or as bf16 bits)
};

struct DeviceTensor {
  float* p = nullptr;
  float* g = nullptr;
  float* state = nullptr;
  int32_t* initialized = nullptr;
};

// One float32 parameter on the device with its gradient and state rows, for the tests below.
struct OneDeviceParameter {
  int64_t numel;
  float *p = nullptr, *g = nullptr, *state = nullptr;
  int32_t* initialized = nullptr;
  explicit OneDeviceParameter(int64_t n) : numel(n) {
    EXPECT_EQ(cudaMalloc(&p, n * 4), cudaSuccess);
    EXPECT_EQ(cudaMalloc(&g, n * 4), cudaSuccess);
    EXPECT_EQ(cudaMalloc(&state, kRows * n * 4), cudaSuccess);
    EXPECT_EQ(cudaMalloc(&initialized, 4), cudaSuccess);
    EXPECT_EQ(cudaMemset(initialized, 0, 4), cudaSuccess);
    EXPECT_EQ(cudaMemset(p, 0, n * 4), cudaSuccess);
  }
  ~OneDeviceParameter() {
    cudaFree(p);
    cudaFree(g);
    cudaFree(state);
    cudaFree(initialized);
  }
  DeviceSlot slot() const {
    return DeviceSlot{p, g, state, state + numel, state + 2 * numel, state + 3 * numel, state + 4 * numel,
                      state + 5 * numel, state + 6 * numel, initialized, numel, 0, DeviceType::Float32};
  }
  void set_gradient(const std::vector<float>& values) const {
    EXPECT_EQ(cudaMemcpy(g, values.data(), numel * 4, cudaMemcpyHostToDevice), cudaSuccess);
  }
  std::vector<float> parameter() const {
    std::vector<float> out(numel);
    EXPECT_EQ(cudaMemcpy(out.data(), p, numel * 4, cudaMemcpyDeviceToHost), cudaSuccess);
    return out;
  }
};

class CudaStepVsCpu : public ::testing::TestWithParam<std::tuple<Mode, bool>> {
 protected:
  void SetUp() override {
    if (!CudaStep::device_present()) GTEST_SKIP() << "no CUDA device";
  }
};

TEST_P(CudaStepVsCpu, EveryValueMatchesTheCpuStep) {
  const auto [mode, compact] = GetParam();
  const StepOptions o = StepOptions::preset(mada::Preset::Mada, 1e-2).mode(mode).grad_clip(50.0).compact_state(compact);
  const std::vector<double> lr = {1e-2, 3e-3}, decay = {1e-2 * 0.1, 0.0};
  const size_t n = kSizes.size();
  std::vector<HostTensor> host(n);
  std::vector<DeviceTensor> dev(n);
  for (size_t s = 0; s < n; ++s) {
    const int64_t numel = kSizes[s];
    host[s].p.resize(numel);
    host[s].g.resize(numel);
    host[s].state.assign(static_cast<size_t>(kRows * numel), 0.0f);
    for (int64_t i = 0; i < numel; ++i) host[s].p[i] = std::cos(0.1f * static_cast<float>(i + s));
    CUDA_OK(cudaMalloc(&dev[s].p, numel * sizeof(float)));
    CUDA_OK(cudaMalloc(&dev[s].g, numel * sizeof(float)));
    CUDA_OK(cudaMalloc(&dev[s].state, kRows * numel * sizeof(float)));
    CUDA_OK(cudaMalloc(&dev[s].initialized, sizeof(int32_t)));
    CUDA_OK(cudaMemset(dev[s].initialized, 0, sizeof(int32_t)));
    CUDA_OK(cudaMemcpy(dev[s].p, host[s].p.data(), numel * sizeof(float), cudaMemcpyHostToDevice));
  }
  // Rows: m v vbar n mL gprev, then D (6 rows of float, or of bfloat16 in the first 3 float rows' bytes).
  auto cpu_slot = [&](size_t s, bool fresh) {
    TensorSlot t;
    const int64_t numel = kSizes[s];
    float* base = host[s].state.data();
    t.p = host[s].p.data();
    t.g = host[s].g.data();
    t.m = base;
    t.v = base + numel;
    t.vbar = base + 2 * numel;
    t.n = base + 3 * numel;
    t.mL = base + 4 * numel;
    t.gprev = mode == Mode::Paper ? base + 5 * numel : nullptr;
    t.d = base + 6 * numel;
    t.compact = compact;
    t.numel = numel;
    t.group = static_cast<int>(s % 2);
    t.fresh = fresh;
    t.lr = lr[s % 2];
    t.decay = decay[s % 2];
    return t;
  };
  std::vector<DeviceSlot> slots(n);
  for (size_t s = 0; s < n; ++s) {
    const int64_t numel = kSizes[s];
    DeviceSlot& d = slots[s];
    d.p = dev[s].p;
    d.g = dev[s].g;
    d.m = dev[s].state;
    d.v = dev[s].state + numel;
    d.vbar = dev[s].state + 2 * numel;
    d.n = dev[s].state + 3 * numel;
    d.mL = dev[s].state + 4 * numel;
    d.gprev = mode == Mode::Paper ? dev[s].state + 5 * numel : nullptr;
    d.d = dev[s].state + 6 * numel;
    d.initialized = dev[s].initialized;
    d.numel = numel;
    d.group = static_cast<int32_t>(s % 2);
  }

  CpuStep cpu;
  HyperState cpu_state;
  cpu_state.q = project(o.q0(), o);
  const PoolParallel parallel(2);
  CudaStep cuda(o);
  for (int64_t t = 1; t <= 20; ++t) {
    cpu.slots.clear();
    cpu.group_lr = lr;
    for (size_t s = 0; s < n; ++s) {
      for (int64_t i = 0; i < kSizes[s]; ++i) host[s].g[i] = gradient(s, i, t);
      CUDA_OK(cudaMemcpy(dev[s].g, host[s].g.data(), kSizes[s] * sizeof(float), cudaMemcpyHostToDevice));
      cpu.slots.push_back(cpu_slot(s, t == 1));
    }
    ASSERT_EQ(cpu.begin(cpu_state, o, parallel), CpuStep::Start::Update);
    cpu.finish(cpu_state, o, parallel);
    cuda.step(slots, lr, decay, nullptr);
    const HyperState gpu_state = cuda.state(nullptr);
    ASSERT_EQ(gpu_state.t, cpu_state.t);
    for (size_t k = 0; k < 6; ++k) {
      EXPECT_NEAR(gpu_state.q[k], cpu_state.q[k], 1e-6 * std::abs(cpu_state.q[k])) << "t " << t << " q" << k;
      EXPECT_NEAR(gpu_state.h[k], cpu_state.h[k], 1e-6 * std::abs(cpu_state.h[k]) + 1e-30) << "t " << t << " h" << k;
    }
    EXPECT_NEAR(gpu_state.grad_norm, cpu_state.grad_norm, 1e-9 * cpu_state.grad_norm);
    // Every parameter and state value within 1e-6 relative (or 1e-12 absolute near zero).
    for (size_t s = 0; s < n; ++s) {
      const int64_t numel = kSizes[s];
      std::vector<float> p(numel), state(kRows * numel);
      CUDA_OK(cudaMemcpy(p.data(), dev[s].p, numel * sizeof(float), cudaMemcpyDeviceToHost));
      CUDA_OK(cudaMemcpy(state.data(), dev[s].state, kRows * numel * sizeof(float), cudaMemcpyDeviceToHost));
      auto close = [](float a, float b) { return std::abs(a - b) <= 1e-6f * std::abs(b) + 1e-12f; };
      int64_t bad = 0;
      for (int64_t i = 0; i < numel; ++i) bad += !close(p[i], host[s].p[i]);
      const int64_t used_rows = compact ? 6 * numel + 3 * numel : kRows * numel;  // bf16 D: 3 rows' bytes
      for (int64_t i = 0; i < used_rows; ++i) {
        if (compact && i >= 6 * numel) {
          uint16_t a[2], b[2];
          std::memcpy(a, &state[i], 4);
          std::memcpy(b, &host[s].state[i], 4);
          for (int h = 0; h < 2; ++h)
            bad += !close(to_float(BFloat16{a[h]}), to_float(BFloat16{b[h]})) &&
                   std::abs(static_cast<int>(a[h]) - static_cast<int>(b[h])) > 1;  // one bf16 step apart at most
        } else if (mode == Mode::Paper || i < 5 * numel || i >= 6 * numel) {
          bad += !close(state[i], host[s].state[i]);
        }
      }
      ASSERT_EQ(bad, 0) << "t " << t << ": tensor " << s << " of " << numel << " elements";
    }
  }
  for (auto& d : dev) {
    cudaFree(d.p);
    cudaFree(d.g);
    cudaFree(d.state);
    cudaFree(d.initialized);
  }
}

INSTANTIATE_TEST_SUITE_P(ModesAndPrecisions, CudaStepVsCpu,
                         ::testing::Combine(::testing::Values(Mode::Paper, Mode::Reference), ::testing::Bool()));

// A gradient holding NaN is found on the device: the update is dropped there (parameters and
// coefficients unchanged, the skipped count grows), and under the error policy a later step()
// reports it. No step synchronises, so "later" is the first step that sees the copied flag.
TEST(CudaStep, ANonFiniteGradientIsDroppedOnTheDeviceAndReported) {
  if (!CudaStep::device_present()) GTEST_SKIP() << "no CUDA device";
  const StepOptions o = StepOptions::preset(mada::Preset::Mada, 1e-2);
  const OneDeviceParameter x(1000);
  const DeviceSlot slot = x.slot();
  std::vector<float> grad(x.numel, 0.5f);
  x.set_gradient(grad);
  CudaStep cuda(o);
  cuda.step({slot}, {1e-2}, {0.0}, nullptr);
  cuda.step({slot}, {1e-2}, {0.0}, nullptr);
  const HyperState before = cuda.state(nullptr);
  const std::vector<float> p_before = x.parameter();
  grad[17] = NAN;
  x.set_gradient(grad);
  cuda.step({slot}, {1e-2}, {0.0}, nullptr);
  const HyperState after = cuda.state(nullptr);
  const std::vector<float> p_after = x.parameter();
  EXPECT_EQ(after.t, before.t);
  EXPECT_EQ(after.skipped, before.skipped + 1);
  EXPECT_EQ(after.q, before.q);
  EXPECT_EQ(p_after, p_before);
  // state() waited for the stream, so the flag's copy has landed: the next step reports it.
  try {
    cuda.step({slot}, {1e-2}, {0.0}, nullptr);
    ADD_FAILURE() << "the dropped step was not reported";
  } catch (const mada::Error& e) {
    EXPECT_EQ(e.kind(), mada::ErrorKind::NonFinite) << e.what();
  }
}

// Two runs give the same bits: the reduction has a fixed order and no float atomics.
TEST(CudaStep, TwoRunsGiveIdenticalBits) {
  if (!CudaStep::device_present()) GTEST_SKIP() << "no CUDA device";
  const StepOptions o = StepOptions::preset(mada::Preset::Mada, 1e-2);
  const int64_t numel = 300001;
  std::vector<std::vector<float>> results;
  std::vector<HyperState> states;
  for (int run = 0; run < 2; ++run) {
    const OneDeviceParameter x(numel);
    CudaStep cuda(o);
    std::vector<float> grad(numel);
    for (int64_t t = 1; t <= 10; ++t) {
      for (int64_t i = 0; i < numel; ++i) grad[i] = gradient(0, i, t);
      x.set_gradient(grad);
      cuda.step({x.slot()}, {1e-2}, {0.0}, nullptr);
    }
    results.push_back(x.parameter());
    states.push_back(cuda.state(nullptr));
  }
  EXPECT_EQ(std::memcmp(results[0].data(), results[1].data(), numel * 4), 0);
  EXPECT_EQ(states[0].h, states[1].h);
}

}  // namespace
