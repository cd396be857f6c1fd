// The fused CUDA step against this GPU's memory bandwidth, on GPT-2-like lists of tensors.
//
//   build/bench/mada_cuda_step_benchmark [elements...] [--shapes FILE]
//
// For each size (default 10M, 100M, 1B parameters): milliseconds per step of MADA with the
// float32 state and with the compact state (bfloat16 derivatives), and the bytes floor: the
// bytes a step must move (112 or 88 per parameter) over the device-to-device copy bandwidth
// measured here. --shapes writes each list's tensor sizes, one list per line, for the fused
// AdamW timing that tools/gpu-check.sh takes from PyTorch on the same lists.
#include "kernels/src/cuda/cuda_step.h"

#include <mada/error.h>

#include <cuda_runtime.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace {

void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) {
    std::fprintf(stderr, "%s: %s\n", what, cudaGetErrorString(e));
    std::exit(1);
  }
}
#define CHECK(call) check((call), #call)

// GPT-2-like: per layer two norms, attention (3d x d, d x d), MLP (4d x d, d x 4d) and biases,
// repeated until `total` elements (the last tensor cut to fit). d = 768 below 500M, else 1600.
std::vector<int64_t> gpt_like(int64_t total) {
  const int64_t d = total < 500'000'000 ? 768 : 1600;
  const std::vector<int64_t> layer = {d, d, 3 * d * d, 3 * d, d * d, d, d, d, 4 * d * d, 4 * d, 4 * d * d, d};
  std::vector<int64_t> sizes;
  int64_t sum = 0;
  for (size_t i = 0; sum < total; ++i) {
    const int64_t n = std::min(layer[i % layer.size()], total - sum);
    sizes.push_back(n);
    sum += n;
  }
  return sizes;
}

__global__ void fill(float* x, int64_t n, float scale, unsigned seed) {
  for (int64_t i = blockIdx.x * int64_t{blockDim.x} + threadIdx.x; i < n; i += int64_t{gridDim.x} * blockDim.x) {
    unsigned h = static_cast<unsigned>(i) * 2654435761u ^ seed;
    h ^= h >> 13;
    h *= 0x5bd1e995u;
    h ^= h >> 15;
    x[i] = scale * (static_cast<float>(h & 0xFFFFFF) / 16777216.0f - 0.5f);
  }
}

int64_t round4(int64_t n) { return (n + 3) / 4 * 4; }

// Milliseconds per step, over `steps` steps after 3 of warm-up.
double time_mada(const std::vector<int64_t>& sizes, bool compact, int steps) {
  int64_t padded = 0;
  for (int64_t n : sizes) padded += round4(n);
  const int rows = 6 + 6;  // m v vbar n mL gprev, six derivative rows (float)
  float *p, *g, *state;
  int32_t* flags;
  CHECK(cudaMalloc(&p, padded * 4));
  CHECK(cudaMalloc(&g, padded * 4));
  CHECK(cudaMalloc(&state, padded * 4 * rows));
  CHECK(cudaMalloc(&flags, sizes.size() * 4));
  CHECK(cudaMemset(flags, 0, sizes.size() * 4));
  fill<<<1024, 256>>>(p, padded, 0.1f, 1);
  fill<<<1024, 256>>>(g, padded, 1.0f, 2);
  std::vector<mada::kernels::DeviceSlot> slots;
  int64_t at = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    mada::kernels::DeviceSlot s;
    const int64_t n = sizes[i];
    // Each state row is its own region of `padded` floats, so every row stays 16-byte aligned.
    s.p = p + at;
    s.g = g + at;
    float* row = state + at;
    s.m = row;
    s.v = row + padded;
    s.vbar = row + 2 * padded;
    s.n = row + 3 * padded;
    s.mL = row + 4 * padded;
    s.gprev = row + 5 * padded;
    s.d = state + 6 * padded + at * 6;  // six rows of n: 6n floats (compact uses half of it)
    s.initialized = flags + i;
    s.numel = n;
    slots.push_back(s);
    at += round4(n);
  }
  const auto options = mada::StepOptions::preset(mada::Preset::Mada, 1e-4).grad_clip(1.0).compact_state(compact);
  mada::kernels::CudaStep step(options);
  for (int i = 0; i < 3; ++i) step.step(slots, {1e-4}, {0.0}, nullptr);
  cudaEvent_t start, stop;
  CHECK(cudaEventCreate(&start));
  CHECK(cudaEventCreate(&stop));
  CHECK(cudaEventRecord(start));
  for (int i = 0; i < steps; ++i) step.step(slots, {1e-4}, {0.0}, nullptr);
  CHECK(cudaEventRecord(stop));
  CHECK(cudaEventSynchronize(stop));
  float ms = 0;
  CHECK(cudaEventElapsedTime(&ms, start, stop));
  if (step.state(nullptr).t != 3 + steps) {
    std::fprintf(stderr, "steps were dropped: the benchmark's gradients are out of range\n");
    std::exit(1);
  }
  cudaFree(p);
  cudaFree(g);
  cudaFree(state);
  cudaFree(flags);
  return ms / steps;
}

// Device-to-device copy bandwidth in bytes per second (read + write), over 1 GiB.
double copy_bandwidth() {
  const size_t bytes = size_t{1} << 30;
  void *a, *b;
  CHECK(cudaMalloc(&a, bytes));
  CHECK(cudaMalloc(&b, bytes));
  CHECK(cudaMemcpy(b, a, bytes, cudaMemcpyDeviceToDevice));
  cudaEvent_t start, stop;
  CHECK(cudaEventCreate(&start));
  CHECK(cudaEventCreate(&stop));
  CHECK(cudaEventRecord(start));
  for (int i = 0; i < 10; ++i) CHECK(cudaMemcpy(b, a, bytes, cudaMemcpyDeviceToDevice));
  CHECK(cudaEventRecord(stop));
  CHECK(cudaEventSynchronize(stop));
  float ms = 0;
  CHECK(cudaEventElapsedTime(&ms, start, stop));
  cudaFree(a);
  cudaFree(b);
  return 2.0 * bytes * 10 / (ms / 1e3);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int64_t> totals;
  std::string shapes_file;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--shapes" && i + 1 < argc) {
      shapes_file = argv[++i];
    } else {
      totals.push_back(std::stoll(a));
    }
  }
  if (totals.empty()) totals = {10'000'000, 100'000'000, 1'000'000'000};
  try {
    const double bandwidth = copy_bandwidth();
    std::printf("device-to-device copy: %.0f GB/s (read + write)\n", bandwidth / 1e9);
    std::printf("| parameters | tensors | MADA ms | floor ms | x floor | compact ms | floor ms | x floor |\n"
                "|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    std::ofstream shapes;
    if (!shapes_file.empty()) shapes.open(shapes_file);
    for (int64_t total : totals) {
      const auto sizes = gpt_like(total);
      if (shapes.is_open()) {
        for (size_t i = 0; i < sizes.size(); ++i) shapes << (i ? " " : "") << sizes[i];
        shapes << "\n";
      }
      const int steps = total >= 500'000'000 ? 5 : 20;
      const double full = time_mada(sizes, false, steps), compact = time_mada(sizes, true, steps);
      const double floor_full = 112.0 * total / bandwidth * 1e3, floor_compact = 88.0 * total / bandwidth * 1e3;
      std::printf("| %lld | %zu | %.3f | %.3f | %.2f | %.3f | %.3f | %.2f |\n", static_cast<long long>(total),
                  sizes.size(), full, floor_full, full / floor_full, compact, floor_compact, compact / floor_compact);
      std::fflush(stdout);
    }
  } catch (const mada::Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
