#include <mada/models/gpt.h>

#include <mada/error.h>

#include <torch/nn/functional/activation.h>
#include <torch/nn/init.h>

#include <cmath>
#include <limits>

namespace mada {

// Pre-norm transformer block: x + attention(ln(x)), then x + mlp(ln(x)).
class Gpt::Block : public torch::nn::Module {
 public:
  Block(const GptOptions& o) : heads_(o.heads) {
    using namespace torch::nn;
    norm1_ = register_module("norm1", LayerNorm(LayerNormOptions({o.width})));
    qkv_ = register_module("qkv", Linear(o.width, 3 * o.width));
    proj_ = register_module("proj", Linear(o.width, o.width));
    norm2_ = register_module("norm2", LayerNorm(LayerNormOptions({o.width})));
    up_ = register_module("up", Linear(o.width, 4 * o.width));
    down_ = register_module("down", Linear(4 * o.width, o.width));
    // GPT-2's scaled init of the residual projections keeps deep stacks stable.
    const double scaled = 0.02 / std::sqrt(2.0 * static_cast<double>(o.layers));
    torch::NoGradGuard no_grad;
    for (auto* l : {&qkv_, &proj_, &up_, &down_}) {
      torch::nn::init::normal_((*l)->weight, 0.0, (l == &proj_ || l == &down_) ? scaled : 0.02);
      torch::nn::init::zeros_((*l)->bias);
    }
  }

  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& causal_mask) {
    const int64_t B = x.size(0), T = x.size(1), C = x.size(2), hd = C / heads_;
    auto qkv = qkv_->forward(norm1_->forward(x)).split(C, 2);
    auto shape = [&](const torch::Tensor& t) { return t.view({B, T, heads_, hd}).transpose(1, 2); };
    const auto q = shape(qkv[0]), k = shape(qkv[1]), v = shape(qkv[2]);
    auto att = torch::matmul(q, k.transpose(-2, -1)) / std::sqrt(static_cast<double>(hd));
    att = att.masked_fill(causal_mask.slice(0, 0, T).slice(1, 0, T), -std::numeric_limits<float>::infinity());
    const auto y = torch::matmul(torch::softmax(att, -1), v).transpose(1, 2).contiguous().view({B, T, C});
    const auto h = x + proj_->forward(y);
    return h + down_->forward(torch::gelu(up_->forward(norm2_->forward(h))));
  }

 private:
  int64_t heads_;
  torch::nn::LayerNorm norm1_{nullptr}, norm2_{nullptr};
  torch::nn::Linear qkv_{nullptr}, proj_{nullptr}, up_{nullptr}, down_{nullptr};
};

Gpt::Gpt(const GptOptions& o) : options_(o) {
  if (o.vocab < 1 || o.context < 1 || o.layers < 1 || o.heads < 1 || o.width < 1 || o.width % o.heads != 0)
    fail(ErrorKind::InvalidArgument, "GPT options need positive sizes and a width divisible by the heads");
  using namespace torch::nn;
  tokens_ = register_module("tokens", Embedding(o.vocab, o.width));
  positions_ = register_module("positions", Embedding(o.context, o.width));
  blocks_ = register_module("blocks", ModuleList());
  for (int64_t i = 0; i < o.layers; ++i) blocks_->push_back(std::make_shared<Block>(o));
  final_norm_ = register_module("final_norm", LayerNorm(LayerNormOptions({o.width})));
  torch::NoGradGuard no_grad;
  torch::nn::init::normal_(tokens_->weight, 0.0, 0.02);
  torch::nn::init::normal_(positions_->weight, 0.0, 0.02);
  causal_mask_ = register_buffer("causal_mask", torch::ones({o.context, o.context}, torch::kBool).triu(1));
}

torch::Tensor Gpt::forward(const torch::Tensor& inputs) {
  const int64_t T = inputs.size(1);
  if (inputs.dim() != 2 || T > options_.context)
    fail(ErrorKind::InvalidArgument, "GPT input must be [batch, time] with time <= context " +
                                         std::to_string(options_.context));
  const auto positions = torch::arange(T, torch::TensorOptions().dtype(torch::kLong).device(inputs.device()));
  auto x = tokens_->forward(inputs) + positions_->forward(positions);
  for (const auto& block : *blocks_) x = block->as<Block>()->forward(x, causal_mask_);
  // The output head shares the token embedding (weight tying, as in nanoGPT).
  return torch::matmul(final_norm_->forward(x), tokens_->weight.t());
}

}  // namespace mada
