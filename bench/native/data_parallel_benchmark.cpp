// Data-parallel training on this machine (docs/benchmarks.md, "Data parallel"): one rank of a
// run, started once per rank by the command there. Prints this rank's median step time, the
// median time of the gradient all-reduce alone (the trainer's buckets, on the same model), and
// its optimizer state in bytes.
//
//   mada_data_parallel_benchmark --model cnn|gpt --batch B --threads T [--steps K]
//       [--rank R --world-size N --store S] [--shard 1] [--text FILE]
#include <mada/data/char_corpus.h>
#include <mada/data/fashion_mnist.h>
#include <mada/models/model_factory.h>
#include <mada/optimizer.h>
#include <mada/training/trainer.h>

#include "src/distributed/communicator.h"
#include "src/distributed/gradient_buckets.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

template <typename F>
double seconds(F&& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> a;
  for (int i = 1; i + 1 < argc; i += 2) a[std::string(argv[i]).substr(2)] = argv[i + 1];
  auto get = [&](const std::string& k, const std::string& d) { return a.count(k) ? a[k] : d; };
  at::set_num_threads(std::stoi(get("threads", "1")));
  const int steps = std::stoi(get("steps", "20"));

  mada::TrainerOptions o;
  o.optimizer.lr = 1e-3;
  o.total_steps = 1000;
  o.batch_size = std::stoll(get("batch", "64"));
  o.distributed.rank = std::stoll(get("rank", "0"));
  o.distributed.world_size = std::stoll(get("world-size", "1"));
  o.distributed.store = get("store", "");
  o.distributed.shard_state = get("shard", "0") == "1";
  o.distributed.check_every = 0;

  std::shared_ptr<const mada::Dataset> data;
  mada::ModelSpec spec;
  if (get("model", "cnn") == "gpt") {
    data = std::make_shared<const mada::CharCorpus>(get("text", "/root/.cache/mada/kjv.txt"), 64);
    spec.kind = mada::ModelKind::Gpt;
  } else {
    data = std::make_shared<const mada::FashionMnist>(mada::kDefaultFashionMnistDir, 10000);
    spec.kind = mada::ModelKind::Cnn;
  }
  auto model = mada::make_model(spec, *data);
  mada::Trainer trainer(model, data, o);
  for (int i = 0; i < 3; ++i) trainer.step();  // warm-up; the state now exists
  std::vector<double> step_times;
  for (int i = 0; i < steps; ++i) step_times.push_back(seconds([&] { trainer.step(); }));

  double reduce = 0.0;
  if (o.distributed.enabled()) {  // the same all-reduce the trainer makes, alone
    mada::DistributedOptions other = o.distributed;
    other.store += "-buckets";
    mada::detail::Communicator ranks(other);
    mada::detail::GradientBuckets buckets(model->parameters());
    std::vector<double> times;
    for (int i = 0; i < steps; ++i) times.push_back(seconds([&] { buckets.average(ranks); }));
    reduce = median(times);
  }
  int64_t state = 0;
  for (const auto& entry : trainer.optimizer().state()) {
    const auto& s = static_cast<const mada::MadaParamState&>(*entry.second);
    for (const auto* t : {&s.m, &s.v, &s.vbar, &s.n, &s.mL, &s.gprev, &s.d})
      if (t->defined()) state += static_cast<int64_t>(t->nbytes());
  }
  int64_t parameters = 0;
  for (const auto& p : model->parameters()) parameters += p.numel();
  std::printf("rank %lld of %lld: %s, %lld parameters, batch %lld: step %.1f ms, gradient all-reduce %.2f ms, "
              "optimizer state %.2f MB (%.1f bytes per parameter)\n",
              static_cast<long long>(o.distributed.rank), static_cast<long long>(o.distributed.world_size),
              get("model", "cnn").c_str(), static_cast<long long>(parameters), static_cast<long long>(o.batch_size),
              1e3 * median(step_times), 1e3 * reduce, state / 1e6, static_cast<double>(state) / parameters);
  return 0;
}
