// The CPU optimizer step against its peers and against this machine's memory bandwidth.
//
//   build/bench/mada_step_benchmark --benchmark_out=step.json --benchmark_out_format=json
//   python3 tools/bench_table.py step.json     # the table of docs/benchmarks.md
//
// Arguments: {elements, threads}. Every step benchmark warms up (state allocated, allocator
// primed) before timing, the same way for MADA and libtorch's AdamW.
#include "parameter_list.h"

#include <mada/mada_kernels.h>
#include <mada/optimizer.h>

#include <ATen/Parallel.h>
#include <benchmark/benchmark.h>

#include <fstream>
#include <memory>

namespace {

using mada::bench::element_count;
using mada::bench::fill_gradients;
using mada::bench::gpt_like_parameters;

// Bytes a MADA step moves per parameter (spec, "Memory and traffic"); a fused AdamW: 28.
constexpr double kMadaBytes = 112.0;
// With the compact state the six derivatives are read and written as bfloat16: 24 fewer.
constexpr double kMadaCompactBytes = 88.0;

void set_counters(benchmark::State& state, int64_t elements, double bytes_per_element) {
  state.counters["elements"] = static_cast<double>(elements);
  state.counters["bytes_per_second"] = benchmark::Counter(
      bytes_per_element * static_cast<double>(elements), benchmark::Counter::kIsIterationInvariantRate);
}

// Resident set size in bytes, from /proc/self/statm.
double resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

void mada_step(benchmark::State& state, bool compact) {
  at::set_num_threads(static_cast<int>(state.range(1)));
  auto params = gpt_like_parameters(state.range(0));
  fill_gradients(params);
  mada::Mada opt(params, mada::MadaOptions::MADA(1e-4).grad_clip(1.0).compact_state(compact));
  for (int i = 0; i < 3; ++i) opt.step();
  const double rss_before = resident_bytes();
  for (auto _ : state) opt.step();
  set_counters(state, element_count(params), compact ? kMadaCompactBytes : kMadaBytes);
  double state_bytes = 0;
  for (const auto& [key, s] : opt.state()) {
    const auto& ms = static_cast<const mada::MadaParamState&>(*s);
    for (const auto* t : {&ms.m, &ms.v, &ms.vbar, &ms.n, &ms.mL, &ms.gprev, &ms.d})
      if (t->defined()) state_bytes += static_cast<double>(t->nbytes());
  }
  state.counters["state_bytes_per_param"] = state_bytes / static_cast<double>(element_count(params));
  state.counters["rss_growth_bytes"] = resident_bytes() - rss_before;
}

void BM_MadaStep(benchmark::State& state) { mada_step(state, false); }
void BM_MadaCompactStep(benchmark::State& state) { mada_step(state, true); }

// The kernel core through its C ABI (mada_engine) on the same tensors' memory: what a
// TorchSharp or C user runs. Its own thread pool, `threads` wide.
void BM_EngineStep(benchmark::State& state) {
  auto params = gpt_like_parameters(state.range(0));
  fill_gradients(params);
  mada_options o{};
  if (mada_options_preset(MADA_PRESET_MADA, &o) != MADA_OK) state.SkipWithError("preset");
  o.lr = 1e-4;
  o.grad_clip = 1.0;
  mada_engine* engine = nullptr;
  if (mada_engine_create(&o, &engine) != MADA_OK) state.SkipWithError("create");
  std::vector<int64_t> numels;
  std::vector<void*> p;
  std::vector<const void*> g;
  for (auto& t : params) {
    numels.push_back(t.numel());
    p.push_back(t.data_ptr());
    g.push_back(t.grad().data_ptr());
  }
  if (mada_engine_add_group(engine, numels.data(), numels.size(), MADA_DTYPE_FLOAT32, 1e-4, 0.0) != MADA_OK ||
      mada_engine_set_threads(engine, static_cast<int32_t>(state.range(1))) != MADA_OK)
    state.SkipWithError("add_group");
  auto step = [&] {
    if (mada_engine_step(engine, p.data(), g.data(), p.size()) != MADA_OK) state.SkipWithError("step");
  };
  for (int i = 0; i < 3; ++i) step();
  for (auto _ : state) step();
  set_counters(state, element_count(params), kMadaBytes);
  mada_engine_destroy(engine);
}

void BM_AdamWStep(benchmark::State& state) {
  at::set_num_threads(static_cast<int>(state.range(1)));
  auto params = gpt_like_parameters(state.range(0));
  fill_gradients(params);
  torch::optim::AdamW opt(params, torch::optim::AdamWOptions(1e-4).weight_decay(0.0));
  for (int i = 0; i < 3; ++i) opt.step();
  for (auto _ : state) opt.step();
  // libtorch 1.13's AdamW is not fused: count time only, its traffic is not 28 B/param.
  state.counters["elements"] = static_cast<double>(element_count(params));
}

// The bytes floor: a multi-threaded copy of MADA's per-step byte count (half read, half
// written), so bytes_per_second is this run's memory bandwidth.
void BM_StreamCopy(benchmark::State& state) {
  at::set_num_threads(static_cast<int>(state.range(1)));
  const int64_t floats = state.range(0) * static_cast<int64_t>(kMadaBytes / 8);  // each copied float: 8 bytes moved
  auto src = torch::randn({floats});
  auto dst = torch::empty({floats});
  const float* s = src.data_ptr<float>();
  float* d = dst.data_ptr<float>();
  auto copy = [&] {
    at::parallel_for(0, floats, 1 << 16, [&](int64_t lo, int64_t hi) { std::memcpy(d + lo, s + lo, (hi - lo) * sizeof(float)); });
  };
  copy();
  for (auto _ : state) {
    copy();
    benchmark::ClobberMemory();
  }
  set_counters(state, state.range(0), kMadaBytes);
}

void sizes(benchmark::internal::Benchmark* b) {
  for (int64_t n : {1'000'000, 10'000'000, 100'000'000})
    for (int64_t threads : {1, 2}) b->Args({n, threads});
  b->ArgNames({"elements", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(1.0);
}

BENCHMARK(BM_StreamCopy)->Apply(sizes);
BENCHMARK(BM_MadaStep)->Apply(sizes);
BENCHMARK(BM_MadaCompactStep)->Apply(sizes);
BENCHMARK(BM_EngineStep)->Apply(sizes);
BENCHMARK(BM_AdamWStep)->Apply(sizes);

// Peak memory stays flat: 1000 steps allocate nothing per step.
void BM_MadaThousandStepsMemory(benchmark::State& state) {
  auto params = gpt_like_parameters(1'000'000);
  fill_gradients(params);
  mada::Mada opt(params, mada::MadaOptions::MADA(1e-4));
  for (int i = 0; i < 5; ++i) opt.step();
  const double before = resident_bytes();
  for (auto _ : state)
    for (int i = 0; i < 1000; ++i) opt.step();
  state.counters["rss_growth_bytes"] = resident_bytes() - before;
}
BENCHMARK(BM_MadaThousandStepsMemory)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
