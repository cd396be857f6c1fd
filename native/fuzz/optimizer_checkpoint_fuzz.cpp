// mada::load_from_bytes on any bytes: a mada::Error (the optimizer unchanged) or a state with
// nothing non-finite in it that steps again, leaving the parameters finite. Any other exception, crash, leak or undefined
// behaviour is a finding.
#include "fuzz_input.h"

#include <mada/optimizer.h>

#include <torch/torch.h>

#include <cmath>
#include <memory>

namespace {

struct Fixture {
  std::vector<torch::Tensor> params;
  std::unique_ptr<mada::Mada> opt;

  Fixture() {
    torch::manual_seed(3);
    params = {torch::randn({7, 3}), torch::randn({3})};
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(std::vector<torch::Tensor>{params[0]}, std::make_unique<mada::MadaOptions>(0.02));
    groups.emplace_back(std::vector<torch::Tensor>{params[1]}, std::make_unique<mada::MadaOptions>(0.01));
    opt = std::make_unique<mada::Mada>(std::move(groups), mada::MadaOptions::MADA(0.02));
    step();
    step();
    mada::fuzz::write_seed("optimizer_checkpoint", mada::fuzz::seed_from_checkpoint(mada::save_to_bytes(*opt)));
  }

  void step() {
    for (auto& p : params) p.mutable_grad() = p.detach() * 0.5 + 0.1;
    opt->step();
  }
};

bool all_finite(const mada::Mada& opt) {
  const auto q = opt.coefficients();
  for (double x : {q.beta1, q.beta2, q.beta3, q.rho, q.c, q.gamma})
    if (!std::isfinite(x)) return false;
  for (const auto& group : opt.param_groups())
    for (const auto& p : group.params())
      if (const mada::MadaParamState* s = opt.state_of(p))
        for (const auto* b : {&s->m, &s->v, &s->vbar, &s->n, &s->mL, &s->gprev, &s->d})
          if (b->defined() && !torch::isfinite(*b).all().item<bool>()) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture f;
  const std::string bytes = mada::fuzz::checkpoint_bytes(data, size);
  try {
    mada::load_from_bytes(*f.opt, bytes.data(), bytes.size());
  } catch (const mada::Error&) {
    return 0;
  }
  if (!all_finite(*f.opt)) __builtin_trap();  // nothing non-finite is ever stored
  try {
    f.step();
  } catch (const mada::Error&) {
  }
  // Whatever was loaded, a step never carries a parameter to NaN or Inf.
  for (const auto& p : f.params)
    if (!torch::isfinite(p).all().item<bool>()) __builtin_trap();
  return 0;
}
