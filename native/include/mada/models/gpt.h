// A character-level GPT in the style of nanoGPT: token and position embeddings, pre-norm
// blocks of causal self-attention and a GELU MLP, a final LayerNorm and a tied output head.
#pragma once

#include <mada/models/model.h>

#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

namespace mada {

struct GptOptions {
  int64_t vocab = 128;
  int64_t context = 64;  // longest sequence (block size)
  int64_t layers = 2;
  int64_t heads = 4;
  int64_t width = 128;  // embedding size; a multiple of heads

  // Trains in minutes on two CPU cores (~0.4M parameters).
  static GptOptions Small(int64_t vocab) { return {vocab, 64, 2, 4, 128}; }
  // The paper's ~10M-parameter model (nanoGPT's shakespeare-char), for GPUs.
  static GptOptions Paper(int64_t vocab) { return {vocab, 256, 6, 6, 384}; }
};

class Gpt : public Model {
 public:
  explicit Gpt(const GptOptions& options);
  // inputs: [batch, time] token indices, time <= context.
  torch::Tensor forward(const torch::Tensor& inputs) override;
  std::string kind() const override { return "gpt"; }
  const GptOptions& options() const { return options_; }

 private:
  class Block;
  GptOptions options_;
  torch::nn::Embedding tokens_{nullptr}, positions_{nullptr};
  torch::nn::ModuleList blocks_{nullptr};
  torch::nn::LayerNorm final_norm_{nullptr};
  torch::Tensor causal_mask_;  // [context, context], true above the diagonal
};

}  // namespace mada
