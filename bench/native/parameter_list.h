// A GPT-2-like parameter list of about `total` float32 elements: an embedding, then blocks of
// LayerNorm vectors, attention and MLP matrices and their biases (many tensors, mixed sizes).
#pragma once

#include <torch/torch.h>

#include <vector>

namespace mada::bench {

inline std::vector<torch::Tensor> gpt_like_parameters(int64_t total) {
  const int64_t width = total <= 2'000'000 ? 128 : total <= 20'000'000 ? 384 : 768;
  const int64_t w = width;
  std::vector<std::vector<int64_t>> shapes = {{8192, w}, {1024, w}};
  int64_t count = 8192 * w + 1024 * w;
  const std::vector<std::vector<int64_t>> block = {{w},     {w},         {3 * w, w}, {3 * w}, {w, w}, {w},
                                                   {w},     {w},         {4 * w, w}, {4 * w}, {w, 4 * w}, {w}};
  while (count < total) {
    for (const auto& s : block) {
      shapes.push_back(s);
      count += s.size() == 1 ? s[0] : s[0] * s[1];
    }
  }
  torch::manual_seed(0);
  std::vector<torch::Tensor> params;
  for (const auto& s : shapes) params.push_back(torch::randn(s) * 0.02);
  return params;
}

inline int64_t element_count(const std::vector<torch::Tensor>& ts) {
  int64_t n = 0;
  for (const auto& t : ts) n += t.numel();
  return n;
}

inline void fill_gradients(std::vector<torch::Tensor>& params) {
  for (auto& p : params) p.mutable_grad() = torch::randn_like(p) * 1e-2;
}

}  // namespace mada::bench
