// How much the compact state (the six derivative buffers in bfloat16) changes MADA, on real
// training runs: the CNN on Fashion-MNIST and the GPT on a text corpus.
//
//   build/bench/mada_compact_state_accuracy cnn 469            [seed]
//   build/bench/mada_compact_state_accuracy gpt 600 corpus.txt [seed]
//
// Two measurements, both printed as tables:
// 1. Along one run with the full-precision state, before every step the hypergradient sums
//    sum(g * D_k) are taken twice from the same buffers: as stored, and with D rounded to
//    bfloat16 by libtorch's own conversion (an oracle independent of ours). Their relative
//    difference, per coefficient, is the error the compact state adds to one hypergradient.
// 2. The same run again with compact_state on (same weights, same batches): final losses and
//    coefficients side by side.
#include <mada/data/char_corpus.h>
#include <mada/data/fashion_mnist.h>
#include <mada/models/model_factory.h>
#include <mada/optimizer.h>

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace {

constexpr double kPi = 3.14159265358979323846;

struct RunResult {
  double train_loss = 0;  // mean over the last 50 steps
  double eval_loss = 0;
  mada::Coefficients q;
  std::vector<std::array<double, 6>> rel_error;  // per step with state: |h_bf16 - h| / |h|
  std::vector<std::array<double, 6>> h;          // the full-precision sums
  std::vector<std::array<double, 6>> diff;
};

torch::Tensor loss_of(mada::Model& model, const mada::Batch& b) {
  torch::Tensor logits = model.forward(b.inputs);
  return torch::nn::functional::cross_entropy(logits.reshape({-1, logits.size(-1)}), b.targets.reshape({-1}));
}

RunResult train(const mada::Dataset& data, mada::ModelKind kind, int64_t steps, uint64_t seed, bool compact,
                bool measure) {
  mada::ModelSpec spec;
  spec.kind = kind;
  spec.seed = seed;
  auto model = mada::make_model(spec, data);
  const int64_t batch = kind == mada::ModelKind::Gpt ? 64 : 128;
  mada::Mada opt(model->parameters(), mada::MadaOptions::MADA(1e-3).compact_state(compact));
  RunResult r;
  double tail = 0;
  for (int64_t step = 0; step < steps; ++step) {
    // Cosine from 1e-3 to 1e-4, as the results in docs/results.md.
    const double lr = 1e-4 + 0.5 * (1e-3 - 1e-4) * (1 + std::cos(kPi * static_cast<double>(step) / steps));
    for (auto& group : opt.param_groups()) static_cast<mada::MadaOptions&>(group.options()).lr(lr);
    model->train();
    opt.zero_grad();
    torch::Tensor loss = loss_of(*model, data.train_batch(batch, seed * 1000003 + static_cast<uint64_t>(step)));
    loss.backward();
    if (step >= steps - 50) tail += loss.item<double>();
    if (measure && opt.step_count() > 0) {
      std::array<double, 6> exact{}, rounded{};
      torch::NoGradGuard no_grad;
      for (const auto& p : model->parameters()) {
        auto it = opt.state().find(mada::state_key(p));
        if (it == opt.state().end() || !p.grad().defined()) continue;
        const auto& s = static_cast<const mada::MadaParamState&>(*it->second);
        const torch::Tensor g = p.grad().reshape({1, -1}).to(torch::kDouble);
        const torch::Tensor d = s.d.to(torch::kDouble);
        const torch::Tensor d16 = s.d.to(torch::kBFloat16).to(torch::kDouble);
        const torch::Tensor e = (d * g).sum(1), b = (d16 * g).sum(1);
        for (int k = 0; k < 6; ++k) {
          exact[k] += e[k].item<double>();
          rounded[k] += b[k].item<double>();
        }
      }
      std::array<double, 6> rel{}, diff{};
      for (int k = 0; k < 6; ++k) {
        diff[k] = rounded[k] - exact[k];
        rel[k] = std::abs(diff[k]) / std::max(std::abs(exact[k]), 1e-300);
      }
      r.rel_error.push_back(rel);
      r.h.push_back(exact);
      r.diff.push_back(diff);
    }
    opt.step();
  }
  r.train_loss = tail / static_cast<double>(std::min<int64_t>(50, steps));
  model->eval();
  torch::NoGradGuard no_grad;
  double total = 0;
  int64_t count = 0;
  const int64_t eval_batch = 500, batches = std::min<int64_t>(data.eval_batches(eval_batch), 20);
  for (int64_t i = 0; i < batches; ++i) {
    const mada::Batch b = data.eval_batch(i, eval_batch);
    total += loss_of(*model, b).item<double>() * static_cast<double>(b.targets.size(0));
    count += b.targets.size(0);
  }
  r.eval_loss = total / static_cast<double>(count);
  r.q = opt.coefficients();
  return r;
}

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(q * static_cast<double>(v.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s cnn|gpt steps [corpus.txt] [seed]\n", argv[0]);
    return 2;
  }
  const std::string model = argv[1];
  const int64_t steps = std::stoll(argv[2]);
  const bool gpt = model == "gpt";
  const int seed_arg = gpt ? 4 : 3;
  const uint64_t seed = argc > seed_arg ? std::stoull(argv[seed_arg]) : 0;
  torch::manual_seed(0);
  at::set_num_threads(2);
  std::unique_ptr<mada::Dataset> data;
  if (gpt) {
    data = std::make_unique<mada::CharCorpus>(argc > 3 ? argv[3] : "kjv.txt", 64);
  } else {
    data = std::make_unique<mada::FashionMnist>();
  }
  const auto kind = gpt ? mada::ModelKind::Gpt : mada::ModelKind::Cnn;
  const RunResult full = train(*data, kind, steps, seed, false, true);
  const RunResult compact = train(*data, kind, steps, seed, true, false);

  std::printf("%s, %lld steps, seed %llu: the hypergradient sums sum(g D_k) with D rounded to bfloat16\n",
              model.c_str(), static_cast<long long>(steps), static_cast<unsigned long long>(seed));
  std::printf("| coefficient | median rel. error | 90th pct | max | max abs. diff / rms(h) |\n|---|---:|---:|---:|---:|\n");
  for (int k = 0; k < 6; ++k) {
    std::vector<double> rel;
    double sq = 0, worst = 0;
    for (size_t i = 0; i < full.rel_error.size(); ++i) {
      rel.push_back(full.rel_error[i][k]);
      sq += full.h[i][k] * full.h[i][k];
      worst = std::max(worst, std::abs(full.diff[i][k]));
    }
    const double rms = std::sqrt(sq / static_cast<double>(std::max<size_t>(1, rel.size())));
    std::printf("| %s | %.2e | %.2e | %.2e | %.2e |\n", mada::kCoefficientNames[k], quantile(rel, 0.5),
                quantile(rel, 0.9), quantile(rel, 1.0), worst / rms);
  }
  std::printf("\n| state | train loss (last 50) | eval loss | beta1 | beta2 | beta3 | rho | c | gamma |\n"
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const auto* r : {&full, &compact}) {
    std::printf("| %s | %.4f | %.4f |", r == &full ? "float32" : "compact (bf16 D)", r->train_loss, r->eval_loss);
    for (int k = 0; k < 6; ++k) std::printf(" %.4f |", r->q[k]);
    std::printf("\n");
  }
  return 0;
}
