// mada::Mada against an independent float64 implementation of the spec (shared/spec/MADA.md,
// "One update", paper mode), written here from the spec's text and not from the library:
// several groups with their own lr schedules and weight decays, a parameter without a gradient
// at some steps, a group added after the first update, global-norm clipping.
#include <mada/optimizer.h>

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace {

using mada::Coefficients;
using mada::MadaOptions;

constexpr int kK = 6;  // beta1, beta2, beta3, rho, c, gamma

double sign(double x) { return static_cast<double>((x > 0) - (x < 0)); }

// The spec's per-element state.
struct Element {
  double m = 0, v = 1e-15, vbar = 1e-15, n = 0, mL = 0, gprev = 0;
  std::array<double, kK> D{};
};

struct OracleTensor {
  std::vector<double> p;
  std::vector<Element> state;  // empty until the tensor's first update
  int group;
};

// MADA in paper mode, as the spec states it.
class SpecMada {
 public:
  explicit SpecMada(const MadaOptions& o) : o_(o) {
    for (int k = 0; k < kK; ++k) q_[k] = std::clamp(o.q0()[k], o.lower()[k], o.upper()[k]);
  }

  void add(std::vector<double> p, int group) { tensors_.push_back({std::move(p), {}, group}); }

  // grads[i]: the raw gradient of tensor i, or empty for none. lr[g], wd[g]: group g's.
  void step(const std::vector<std::vector<double>>& grads, const std::vector<double>& lr,
            const std::vector<double>& wd) {
    ++t_;
    const double t = static_cast<double>(t_);
    // 1-2. Hyper step from the previous update's derivatives and the raw gradient.
    if (t_ >= 2) {
      std::array<double, kK> h{};
      for (size_t i = 0; i < tensors_.size(); ++i) {
        if (grads[i].empty() || tensors_[i].state.empty()) continue;
        for (size_t e = 0; e < grads[i].size(); ++e)
          for (int k = 0; k < kK; ++k)
            h[k] -= prev_lr_[tensors_[i].group] * grads[i][e] * tensors_[i].state[e].D[k];
      }
      for (int k = 0; k < kK; ++k) {
        h_[k] = h[k];
        const double clipped = h[k] * std::min(1.0, 10.0 / (std::abs(h[k]) + 1e-6));
        q_[k] = std::clamp(q_[k] - o_.hyper_lr()[k] * clipped, o_.lower()[k], o_.upper()[k]);
      }
    }
    // 3. Global-norm clip over every gradient.
    double sq = 0;
    for (const auto& g : grads)
      for (double x : g) sq += x * x;
    const double scale = o_.grad_clip() > 0 ? std::min(1.0, o_.grad_clip() / (std::sqrt(sq) + 1e-6)) : 1.0;
    const double b1 = q_[0], b2 = q_[1], b3 = q_[2], rho = q_[3], c = q_[4], gamma = q_[5];
    const double B1 = 1 - std::pow(b1, t), B2 = 1 - std::pow(b2, t);
    const double r = rho + (1 - rho) / t;
    for (size_t i = 0; i < tensors_.size(); ++i) {
      OracleTensor& T = tensors_[i];
      if (grads[i].empty()) {
        // Not updated, moments kept, derivatives zero.
        for (auto& s : T.state) s.D.fill(0.0);
        continue;
      }
      if (T.state.empty()) {
        T.state.resize(T.p.size());
        for (size_t e = 0; e < T.p.size(); ++e) T.state[e].gprev = grads[i][e] * scale;
      }
      const double a = lr[T.group];
      for (size_t e = 0; e < T.p.size(); ++e) {
        Element& s = T.state[e];
        const double g = grads[i][e] * scale;
        const Element old = s;
        const double dg = g - old.gprev;
        const double ghat = g + b3 * dg;
        const double sg = sign(ghat * ghat - old.v);
        const double yogi = old.v + ghat * ghat * sg;
        const double gt2 = c * ghat * ghat + (1 - c) * yogi;
        s.m = b1 * old.m + (1 - b1) * g;
        s.v = b2 * old.v + (1 - b2) * gt2;
        s.n = b3 * old.n + (1 - b3) * dg;
        s.mL = o_.lion_beta2() * old.mL + (1 - o_.lion_beta2()) * g;
        const double u = o_.lion_beta1() * s.mL + (1 - o_.lion_beta1()) * g;
        s.vbar = (s.v + (t - 1) * old.vbar) / t;
        const double mhat = s.m / B1;
        const double vmix = rho * s.v + (1 - rho) * s.vbar;
        const double vhat = vmix / B2;
        const double den = std::sqrt(vhat) + o_.eps();
        const double A = (mhat + b3 * s.n) / den;
        T.p[e] -= a * wd[T.group] * T.p[e];                   // 4. decoupled weight decay
        T.p[e] -= a * (gamma * A + (1 - gamma) * sign(u));  // 5.
        s.gprev = g;
        // 6. Derivatives of this direction.
        const double K = -gamma * (mhat + b3 * s.n) / (den * den) / (2 * std::sqrt(vhat));
        s.D[0] = gamma * ((old.m - g) / B1 + s.m * t * std::pow(b1, t - 1) / (B1 * B1)) / den;
        s.D[1] = K * (r * (old.v - gt2) / B2 + vmix * t * std::pow(b2, t - 1) / (B2 * B2));
        s.D[2] = gamma * (s.n + b3 * (old.n - dg)) / den + K * r * (1 - b2) * 2 * ghat * (c + (1 - c) * sg) * dg / B2;
        s.D[3] = K * (s.v - s.vbar) / B2;
        s.D[4] = K * r * (1 - b2) * (ghat * ghat - yogi) / B2;
        s.D[5] = A - sign(u);
      }
    }
    prev_lr_ = lr;
  }

  const std::vector<double>& params(size_t i) const { return tensors_[i].p; }
  double q(int k) const { return q_[k]; }
  double h(int k) const { return h_[k]; }

 private:
  MadaOptions o_;
  std::vector<OracleTensor> tensors_;
  std::array<double, kK> q_{}, h_{};
  std::vector<double> prev_lr_;
  int64_t t_ = 0;
};

std::vector<double> values(const torch::Tensor& t) {
  const auto c = t.contiguous();
  return {c.data_ptr<double>(), c.data_ptr<double>() + c.numel()};
}

TEST(SpecOracle, SeveralGroupsSchedulesMissingGradientsAndALateGroupFollowTheSpec) {
  const MadaOptions o = MadaOptions::MADA(0.02).grad_clip(2.0);
  torch::manual_seed(17);
  std::vector<torch::Tensor> params = {torch::randn({5, 3}, torch::kDouble), torch::randn({4}, torch::kDouble),
                                       torch::randn({6}, torch::kDouble), torch::randn({3, 2}, torch::kDouble)};
  const std::vector<int> group_of = {0, 0, 1, 2};
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(std::vector<torch::Tensor>{params[0], params[1]}, std::make_unique<MadaOptions>(0.02));
  groups.emplace_back(std::vector<torch::Tensor>{params[2]}, std::make_unique<MadaOptions>(0.01));
  mada::Mada opt(std::move(groups), o);
  SpecMada spec(o);
  for (size_t i = 0; i < 3; ++i) spec.add(values(params[i]), group_of[i]);

  for (int64_t t = 1; t <= 14; ++t) {
    if (t == 2) {  // a group added after the first update, with its own weight decay
      opt.add_param_group(torch::optim::OptimizerParamGroup(
          {params[3]}, std::make_unique<MadaOptions>(MadaOptions(0.015).weight_decay(0.05))));
      spec.add(values(params[3]), 2);
    }
    const size_t live = t >= 2 ? 4 : 3;
    // Each group's own schedule and weight decay.
    std::vector<double> lr = {0.02 * (1.0 - t / 30.0), 0.01 + 0.001 * t, 0.015 * std::cos(t / 10.0)};
    std::vector<double> wd = {0.1, 0.0, 0.05};
    for (size_t g = 0; g < opt.param_groups().size(); ++g) {
      auto& go = static_cast<MadaOptions&>(opt.param_groups()[g].options());
      go.set_lr(lr[g]);
      go.weight_decay(wd[g]);
    }
    // Gradients of a quadratic with a drifting target; parameter 1 has none at steps 3, 4, 7.
    std::vector<std::vector<double>> grads(4);
    for (size_t i = 0; i < live; ++i) {
      if (i == 1 && (t == 3 || t == 4 || t == 7)) {
        params[i].mutable_grad() = torch::Tensor();
        continue;
      }
      const auto target = torch::sin(torch::arange(params[i].numel(), torch::kDouble) + t).reshape(params[i].sizes());
      params[i].mutable_grad() = (params[i].detach() - target) * (1.0 + 0.5 * i);
      grads[i] = values(params[i].grad());
    }
    opt.step();
    spec.step(grads, lr, wd);

    for (int k = 0; k < kK; ++k) {
      EXPECT_NEAR(opt.coefficients()[k], spec.q(k), 1e-10) << "q[" << k << "] at update " << t;
      EXPECT_NEAR(opt.hypergradient()[k], spec.h(k), 1e-9 * (1 + std::abs(spec.h(k)))) << "h[" << k << "] at " << t;
    }
    for (size_t i = 0; i < live; ++i) {
      const auto got = values(params[i]);
      for (size_t e = 0; e < got.size(); ++e)
        ASSERT_NEAR(got[e], spec.params(i)[e], 1e-10 * (1 + std::abs(spec.params(i)[e])))
            << "parameter " << i << " element " << e << " at update " << t;
    }
  }
  // The run exercised what it claims to: the coefficients moved.
  EXPECT_NE(opt.coefficients(), o.q0());
}

}  // namespace
