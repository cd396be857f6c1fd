// One rank of a data-parallel test run, started by distributed_test.cpp: trains a small model
// and writes what the test compares (every step's loss, coefficients and gradient norm, and
// the final parameters' bytes), or fails the way a test asks (dies, hangs, disagrees).
//
//   mada_dp_worker --out FILE [--rank R --world-size N --store S] [--model mlp|gpt]
//                  [--batch B] [--steps K] [--optimizer mada|adamw] [--lr X] [--save-at K --save PATH]
//                  [--load PATH] [--die-at K] [--hang-at K] [--timeout SECONDS] [--folder DIR]
//                  [--shard 1] [--nudge-at K] [--width W]
#include <mada/data/char_corpus.h>
#include <mada/data/fashion_mnist.h>
#include <mada/models/gpt.h>
#include <mada/models/mlp.h>
#include <mada/optimizer.h>
#include <mada/training/trainer.h>

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <thread>

namespace {

std::shared_ptr<const mada::CharCorpus> fox_corpus(const std::string& folder) {
  std::string text;
  for (int i = 0; i < 300; ++i) text += "the quick brown fox jumps over the lazy dog. ";
  const std::string path = folder + "/fox.txt";
  std::ofstream(path) << text;
  return std::make_shared<const mada::CharCorpus>(path, 16);
}

int run(std::map<std::string, std::string> args) {
  auto get = [&](const std::string& k, const std::string& fallback) {
    auto it = args.find(k);
    return it == args.end() ? fallback : it->second;
  };
  const std::string out = get("out", "");
  const int64_t die_at = std::stoll(get("die-at", "0")), hang_at = std::stoll(get("hang-at", "0"));
  const int64_t nudge_at = std::stoll(get("nudge-at", "0"));
  const int64_t save_at = std::stoll(get("save-at", "0")), steps = std::stoll(get("steps", "6"));

  mada::TrainerOptions o;
  o.optimizer.kind = mada::optimizer_kind(get("optimizer", "mada"));
  o.optimizer.lr = std::stod(get("lr", "3e-3"));
  o.optimizer.weight_decay = 0.01;
  o.optimizer.grad_clip = 1.0;
  o.total_steps = 40;
  o.warmup_steps = 2;
  o.batch_size = std::stoll(get("batch", "32"));
  o.seed = 5;
  o.distributed.rank = std::stoll(get("rank", "0"));
  o.distributed.world_size = std::stoll(get("world-size", "1"));
  o.distributed.store = get("store", "");
  o.distributed.timeout_seconds = std::stod(get("timeout", "60"));
  o.distributed.check_every = 1;
  o.distributed.shard_state = get("shard", "0") == "1";

  std::shared_ptr<mada::Model> model;
  std::shared_ptr<const mada::Dataset> data;
  // Each rank seeds its model differently: the trainer must start all from rank 0's.
  torch::manual_seed(100 + static_cast<uint64_t>(o.distributed.rank));
  if (get("model", "mlp") == "gpt") {
    auto corpus = fox_corpus(get("folder", "."));
    model = std::make_shared<mada::Gpt>(mada::GptOptions{corpus->classes(), 16, 1, 2, std::stoll(get("width", "32"))});
    data = corpus;
  } else {
    model = std::make_shared<mada::Mlp>(mada::MlpOptions{28 * 28, {64, 32}, 10});
    data = std::make_shared<const mada::FashionMnist>(mada::kDefaultFashionMnistDir, 4000);
  }
  mada::Trainer trainer(model, data, o);
  if (args.count("load")) trainer.load(args["load"]);

  std::ofstream log(out + ".steps");
  log.precision(17);
  while (trainer.step_count() < steps) {
    const int64_t next = trainer.step_count() + 1;
    if (next == die_at) std::_Exit(9);
    if (next == hang_at) std::this_thread::sleep_for(std::chrono::hours(1));
    if (next == nudge_at) {  // a silent fault on this rank: one weight moved
      torch::NoGradGuard no_grad;
      trainer.model().parameters()[0].view({-1})[0].add_(1e-3);
    }
    const mada::StepMetrics m = trainer.step();
    log << m.step << ' ' << m.loss << ' ' << m.grad_norm;
    if (m.coefficients) for (size_t k = 0; k < mada::kCoefficientCount; ++k) log << ' ' << (*m.coefficients)[k];
    log << '\n';
    if (m.step == save_at) trainer.save(get("save", ""));
  }
  log.close();
  std::ofstream params(out + ".params", std::ios::binary);
  for (const auto& p : trainer.model().parameters()) {
    const auto t = p.contiguous();
    params.write(static_cast<const char*>(t.data_ptr()), static_cast<std::streamsize>(t.nbytes()));
  }
  int64_t state_bytes = 0;  // this rank's optimizer state
  for (const auto& entry : trainer.optimizer().state()) {
    if (!mada::is_mada_family(o.optimizer.kind)) break;
    const auto& s = static_cast<const mada::MadaParamState&>(*entry.second);
    for (const auto* t : {&s.m, &s.v, &s.vbar, &s.n, &s.mL, &s.gprev, &s.d})
      if (t->defined()) state_bytes += static_cast<int64_t>(t->nbytes());
  }
  std::ofstream(out + ".state") << state_bytes << '\n';
  const auto e = trainer.evaluate(8);
  std::ofstream(out + ".eval") << std::hexfloat << e.loss << ' ' << e.accuracy << ' ' << e.examples << '\n';
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  at::set_num_threads(1);  // the ranks share this machine's cores
  std::map<std::string, std::string> args;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string key = argv[i];
    if (key.rfind("--", 0) != 0) return 2;
    args[key.substr(2)] = argv[i + 1];
  }
  try {
    return run(args);
  } catch (const mada::Error& e) {
    std::cerr << "mada::Error(" << static_cast<int>(e.kind()) << "): " << e.what() << '\n';
    return 3;
  } catch (const std::exception& e) {
    std::cerr << "exception: " << e.what() << '\n';
    return 4;
  }
}
