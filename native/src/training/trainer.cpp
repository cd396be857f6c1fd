#include <mada/training/trainer.h>

#include <mada/data/char_corpus.h>
#include <mada/models/gpt.h>

#include "optimizer_state_io.h"

#include "../io/checkpoint_file.h"

#include <torch/nn/functional/loss.h>
#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adamw.h>
#include <torch/optim/sgd.h>

#include <cmath>
#include <limits>

namespace mada {

namespace {

constexpr int64_t kFormatVersion = 1;

// splitmix64: well-mixed, independent seeds for every (run seed, step, micro-batch).
uint64_t mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

uint64_t batch_seed(uint64_t seed, int64_t step, int64_t micro) {
  return mix(mix(mix(seed) ^ static_cast<uint64_t>(step)) ^ static_cast<uint64_t>(micro));
}

void require(bool ok, const std::string& what) {
  if (!ok) fail(ErrorKind::InvalidArgument, "invalid trainer option: " + what);
}

std::vector<torch::Tensor> model_tensors(Model& model) {
  std::vector<torch::Tensor> all = model.parameters();
  for (auto& b : model.buffers()) all.push_back(b);
  return all;
}

}  // namespace

void TrainerOptions::validate() const {
  require(std::isfinite(optimizer.lr) && optimizer.lr >= 0, "lr must be finite and >= 0");
  require(std::isfinite(optimizer.weight_decay) && optimizer.weight_decay >= 0, "weight_decay must be finite and >= 0");
  require(std::isfinite(optimizer.grad_clip) && optimizer.grad_clip >= 0, "grad_clip must be finite and >= 0");
  require(min_lr_ratio >= 0 && min_lr_ratio <= 1, "min_lr_ratio must lie in [0, 1]");
  require(total_steps >= 1, "total_steps must be >= 1");
  require(warmup_steps >= 0 && warmup_steps < total_steps, "warmup_steps must lie in [0, total_steps)");
  require(batch_size >= 1, "batch_size must be >= 1");
  require(grad_accumulation >= 1, "grad_accumulation must be >= 1");
}

namespace {

// A GPT made for another corpus would fail only at its first step (an index out of range
// deep in libtorch): its vocabulary must be the corpus's and its windows must fit.
void check_fits(const Gpt& gpt, const Dataset& data) {
  const auto* text = dynamic_cast<const CharCorpus*>(&data);
  if (text == nullptr) return;  // another kind of text data: its own checks apply
  const CharCorpus& corpus = *text;
  if (gpt.options().vocab != corpus.classes())
    fail(ErrorKind::InvalidArgument, "the GPT model has a vocabulary of " + std::to_string(gpt.options().vocab) +
                                         " characters, the corpus " + std::to_string(corpus.classes()) +
                                         ": make the model for this corpus");
  if (gpt.options().context < corpus.context())
    fail(ErrorKind::InvalidArgument, "the GPT model's context is " + std::to_string(gpt.options().context) +
                                         " characters, the corpus's windows " + std::to_string(corpus.context()));
}

}  // namespace

Trainer::Trainer(std::shared_ptr<Model> model, std::shared_ptr<const Dataset> dataset, TrainerOptions options)
    : model_(std::move(model)), dataset_(std::move(dataset)), options_(std::move(options)) {
  if (!model_ || !dataset_) fail(ErrorKind::InvalidArgument, "a trainer needs a model and a dataset");
  options_.validate();
  const bool text_model = model_->kind() == "gpt";
  if (text_model != (dataset_->kind() == "text"))
    fail(ErrorKind::InvalidArgument, "a " + model_->kind() + " model cannot train on " + dataset_->kind() + " data");
  if (const auto* gpt = dynamic_cast<const Gpt*>(model_.get())) check_fits(*gpt, *dataset_);
  schedule_ = CosineSchedule{options_.optimizer.lr, options_.optimizer.lr * options_.min_lr_ratio,
                             options_.warmup_steps, options_.total_steps};
  std::vector<torch::Tensor> decayed, plain;
  for (auto& p : model_->parameters()) (p.dim() >= 2 ? decayed : plain).push_back(p);
  optimizer_ = make_optimizer(options_.optimizer, decayed, plain);
}

Trainer::~Trainer() = default;

torch::Tensor Trainer::loss_of(const Batch& batch, torch::Tensor* correct) {
  const auto logits = model_->forward(batch.inputs);
  const auto flat = logits.reshape({-1, logits.size(-1)});
  const auto targets = batch.targets.reshape({-1});
  if (correct != nullptr) *correct = (flat.argmax(1) == targets).sum();
  return torch::nn::functional::cross_entropy(flat, targets);
}

StepMetrics Trainer::step() {
  const int64_t t = step_ + 1;
  StepMetrics m;
  m.step = t;
  m.lr = schedule_.at(t);
  for (auto& group : optimizer_->param_groups()) group.options().set_lr(m.lr);
  optimizer_->zero_grad();
  model_->train();
  const int64_t micro_batches = options_.grad_accumulation;
  for (int64_t micro = 0; micro < micro_batches; ++micro) {
    const Batch batch = dataset_->train_batch(options_.batch_size, batch_seed(options_.seed, t, micro));
    const auto loss = loss_of(batch, nullptr) / static_cast<double>(micro_batches);
    loss.backward();
    m.loss += loss.item<double>();
  }
  if (auto* mada = dynamic_cast<Mada*>(optimizer_.get())) {
    mada->step();  // MADA measures the raw norm and clips inside its step (spec step 3)
    m.grad_norm = mada->grad_norm();
    m.coefficients = mada->coefficients();
    m.hypergradient = mada->hypergradient();
  } else {
    const double clip = options_.optimizer.grad_clip;
    m.grad_norm = torch::nn::utils::clip_grad_norm_(model_->parameters(),
                                                    clip > 0 ? clip : std::numeric_limits<double>::infinity());
    if (!std::isfinite(m.grad_norm))
      fail(ErrorKind::NonFinite, "the gradient holds NaN or Inf at step " + std::to_string(t));
    optimizer_->step();
  }
  step_ = t;
  return m;
}

EvalMetrics Trainer::evaluate(int64_t max_batches) {
  torch::NoGradGuard no_grad;
  model_->eval();
  const int64_t batch = options_.batch_size;
  int64_t batches = dataset_->eval_batches(batch);
  if (max_batches > 0) batches = std::min(batches, max_batches);
  double loss_sum = 0.0;
  int64_t correct = 0, predictions = 0, examples = 0;
  for (int64_t i = 0; i < batches; ++i) {
    const Batch b = dataset_->eval_batch(i, batch);
    torch::Tensor right;
    const double loss = loss_of(b, &right).item<double>();
    const int64_t n = b.targets.numel();
    loss_sum += loss * static_cast<double>(n);
    correct += right.item<int64_t>();
    predictions += n;
    examples += b.targets.size(0);
  }
  EvalMetrics e;
  e.examples = examples;
  if (predictions > 0) {
    e.loss = loss_sum / static_cast<double>(predictions);
    e.accuracy = static_cast<double>(correct) / static_cast<double>(predictions);
  }
  return e;
}

// One checkpoint file in libmada's format: the trainer's scalars at the top level, the model's
// tensors under "model.", the optimizer's state under "optimizer.".
void Trainer::save(const std::string& path) const {
  kernels::RecordWriter records;
  detail::RecordTensorWriter top(records), model(records, "model."), optimizer(records, "optimizer.");
  top.write("trainer_format", torch::tensor({kFormatVersion}, torch::kLong));
  top.write("trainer_step", torch::tensor({step_}, torch::kLong));
  top.write("trainer_optimizer", torch::tensor({static_cast<int64_t>(options_.optimizer.kind)}, torch::kLong));
  const auto tensors = model_tensors(*model_);
  top.write("model_tensor_count", torch::tensor({static_cast<int64_t>(tensors.size())}, torch::kLong));
  for (size_t i = 0; i < tensors.size(); ++i) model.write(std::to_string(i), tensors[i]);
  detail::save_optimizer_state(*optimizer_, options_.optimizer.kind, optimizer);
  detail::write_checkpoint(records, path);
}

void Trainer::load(const std::string& path) {
  const auto checkpoint = detail::CheckpointReader::open(path);  // its errors name the path
  const std::string what = "'" + path + "'";
  try {
    detail::RecordTensorReader top(checkpoint.records()), model(checkpoint.records(), "model."),
        optimizer(checkpoint.records(), "optimizer.");
    if (top.read_int("trainer_format") != kFormatVersion)
      fail(ErrorKind::Checkpoint, "it has an unsupported trainer checkpoint format");
    if (top.read_int("trainer_optimizer") != static_cast<int64_t>(options_.optimizer.kind))
      fail(ErrorKind::Checkpoint, "it was written by a trainer with another optimizer");
    const int64_t step = top.read_int("trainer_step");
    if (step < 0) fail(ErrorKind::Checkpoint, "its step count is negative");
    auto tensors = model_tensors(*model_);
    if (top.read_int("model_tensor_count") != static_cast<int64_t>(tensors.size()))
      fail(ErrorKind::Checkpoint, "it holds another model (tensor count differs)");
    std::vector<torch::Tensor> values;
    for (size_t i = 0; i < tensors.size(); ++i) {
      const torch::Tensor t = model.read(std::to_string(i));
      if (t.sizes() != tensors[i].sizes() || t.scalar_type() != tensors[i].scalar_type())
        fail(ErrorKind::Checkpoint, "it holds another model (tensor " + std::to_string(i) + " differs in shape)");
      if (t.is_floating_point() && !torch::isfinite(t).all().item<bool>())
        fail(ErrorKind::Checkpoint, "model tensor " + std::to_string(i) + " holds a value that is not finite");
      values.push_back(t);
    }
    // The optimizer state goes into a fresh optimizer first: a bad checkpoint leaves ours intact.
    std::vector<torch::Tensor> decayed, plain;
    for (auto& p : model_->parameters()) (p.dim() >= 2 ? decayed : plain).push_back(p);
    auto fresh = make_optimizer(options_.optimizer, decayed, plain);
    detail::load_optimizer_state(*fresh, options_.optimizer.kind, optimizer);

    torch::NoGradGuard no_grad;
    for (size_t i = 0; i < tensors.size(); ++i) tensors[i].copy_(values[i]);
    optimizer_ = std::move(fresh);
    step_ = step;
  } catch (const Error& e) {
    fail(e.kind(), what + ": " + e.what());
  }
}

}  // namespace mada
