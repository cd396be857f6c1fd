// The smallest C++ use of MADA: fit a noisy quadratic and watch the coefficients move.
// Build: linked against the `mada` CMake target (see README, "Use from C++").
#include <mada/optimizer.h>

#include <torch/torch.h>

#include <cstdio>

int main() {
  torch::manual_seed(0);
  const auto target = torch::randn({64, 32});
  auto w = torch::zeros({64, 32}, torch::requires_grad());
  mada::Mada opt({w}, mada::MadaOptions::MADA(3e-2));

  std::printf("%5s %12s %8s %8s %8s %8s %8s %8s\n", "step", "mse", "beta1", "beta2", "beta3",
              "rho", "c", "gamma");
  for (int step = 1; step <= 300; ++step) {
    opt.zero_grad();
    const auto error = (w - target).pow(2).mean();
    const auto loss = error + 1e-2 * torch::randn({}) * w.sum();  // a noisy gradient
    loss.backward();
    opt.step();
    if (step % 50 == 0 || step == 1) {
      const auto& q = opt.coefficients();
      std::printf("%5d %12.6f %8.4f %8.4f %8.4f %8.4f %8.4f %8.4f\n", step, error.item<double>(),
                  q.beta1, q.beta2, q.beta3, q.rho, q.c, q.gamma);
    }
  }
  return 0;
}
