// TorchSharp's AdamW, op for op, in C++: the reference point for "AdamW from C#".
//
// TorchSharp-cpu 0.107.0, the only TorchSharp NuGet serves here, cannot load on Debian 12:
// its libLibTorchSharp.so needs GLIBCXX_3.4.32 (GCC 13's std::ios_base_library_init) and
// Debian 12's libstdc++ stops at GLIBCXX_3.4.30 (bench/TorchSharpAdamW probes this and records
// the loader's message). So this runs the libtorch calls TorchSharp's AdamW.step() makes for
// each parameter (src/TorchSharp/Optimizers/AdamW.cs), unfused, with its temporaries:
//
//   p.mul_(1 - lr * wd)
//   m.mul_(b1).add_(g, 1 - b1)
//   v.mul_(b2).addcmul_(g, g, 1 - b2)
//   denom = (v.sqrt() / sqrt(bc2)).add_(eps)      two temporaries per tensor per step
//   p.addcdiv_(m, denom, -lr / bc1)
//
// on the same parameter lists, thread counts and warm-up as BM_AdamWStep (lr 1e-4, weight
// decay 0, which TorchSharp still applies as a mul_ by 1). What it leaves out: from C# each of
// those calls also crosses P/Invoke and makes a managed Tensor wrapper, and TorchSharp brings
// its own libtorch (2.10) where this runs on the project's (Debian's 1.13).
//
// Traffic: 88 bytes per parameter per step, 22 float reads and writes (p 4, m 5, v 5, g 2, the
// sqrt temporary 2, the quotient 4), against 28 for a fused AdamW loop. libtorch's own C++
// AdamW (BM_AdamWStep) runs this same chain, except that it skips the mul_ when the weight
// decay is 0: 80 bytes. The two differ by that one pass.
#include "parameter_list.h"

#include <ATen/Parallel.h>
#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

namespace {

constexpr double kChainBytes = 88.0;

struct AdamChain {
  double lr = 1e-4, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0.0;
  std::vector<torch::Tensor> params, exp_avg, exp_avg_sq;
  int64_t step_count = 0;  // TorchSharp keeps one per parameter; they move together here

  explicit AdamChain(std::vector<torch::Tensor> p) : params(std::move(p)) {
    for (const auto& t : params) {
      exp_avg.push_back(torch::zeros_like(t));
      exp_avg_sq.push_back(torch::zeros_like(t));
    }
  }

  void step() {
    torch::NoGradGuard no_grad;
    ++step_count;
    const double bias_correction1 = 1 - std::pow(beta1, static_cast<double>(step_count));
    const double bias_correction2 = 1 - std::pow(beta2, static_cast<double>(step_count));
    for (size_t i = 0; i < params.size(); ++i) {
      torch::Tensor& p = params[i];
      const torch::Tensor& grad = p.grad();
      if (!grad.defined()) continue;
      p.mul_(1 - lr * weight_decay);
      exp_avg[i].mul_(beta1).add_(grad, 1 - beta1);
      exp_avg_sq[i].mul_(beta2).addcmul_(grad, grad, 1 - beta2);
      torch::Tensor denom = (exp_avg_sq[i].sqrt() / std::sqrt(bias_correction2)).add_(eps);
      p.addcdiv_(exp_avg[i], denom, -lr / bias_correction1);
    }
  }
};

void BM_TorchSharpAdamChain(benchmark::State& state) {
  at::set_num_threads(static_cast<int>(state.range(1)));
  auto params = mada::bench::gpt_like_parameters(state.range(0));
  mada::bench::fill_gradients(params);
  AdamChain opt(params);
  for (int i = 0; i < 3; ++i) opt.step();
  for (auto _ : state) opt.step();
  const auto elements = static_cast<double>(mada::bench::element_count(params));
  state.counters["elements"] = elements;
  state.counters["tensors"] = static_cast<double>(params.size());
  state.counters["bytes_per_second"] =
      benchmark::Counter(kChainBytes * elements, benchmark::Counter::kIsIterationInvariantRate);
}

// {elements, threads}, in the order of step_benchmark.cpp's sizes().
void chain_sizes(benchmark::internal::Benchmark* b) {
  for (int64_t n : {1'000'000, 10'000'000})
    for (int64_t threads : {1, 2}) b->Args({n, threads});
  b->ArgNames({"elements", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);
}

BENCHMARK(BM_TorchSharpAdamChain)->Apply(chain_sizes);

}  // namespace
