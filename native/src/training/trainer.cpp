#include <mada/training/trainer.h>

#include <mada/data/char_corpus.h>
#include <mada/models/gpt.h>

#include "optimizer_state_io.h"

#include "../distributed/communicator.h"
#include "../distributed/gradient_buckets.h"
#include "../distributed/sharded_mada.h"
#include "../distributed/state_shard.h"
#include "../io/checkpoint_file.h"

#include <torch/nn/functional/loss.h>
#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adamw.h>
#include <torch/optim/sgd.h>

#include <cmath>
#include <exception>
#include <functional>
#include <iomanip>
#include <limits>
#include <sstream>

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
  distributed.validate();
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
  // Refused at any world size: a run that shards nothing alone would fail only once scaled out.
  if (options_.distributed.shard_state && !is_mada_family(options_.optimizer.kind))
    fail(ErrorKind::Unsupported, "the sharded optimizer state (shard_state) is for the MADA family; " +
                                     name_of(options_.optimizer.kind) + " keeps its whole state on every rank");
  const bool sharded = options_.distributed.enabled() && options_.distributed.shard_state;
  if (options_.distributed.enabled()) {
    ranks_ = std::make_unique<detail::Communicator>(options_.distributed);
    check_same_setup();
    // Every rank starts from rank 0's model, whatever seed made the others'.
    torch::NoGradGuard no_grad;
    auto tensors = model_tensors(*model_);
    ranks_->broadcast(tensors);
    buckets_ = std::make_unique<detail::GradientBuckets>(model_->parameters());
    if (sharded) shard_ = std::make_unique<detail::StateShard>(model_->parameters(), *ranks_);
  }
  optimizer_ = own_optimizer();
}

std::unique_ptr<torch::optim::Optimizer> Trainer::whole_optimizer() const {
  std::vector<torch::Tensor> decayed, plain;
  for (auto& p : model_->parameters()) (p.dim() >= 2 ? decayed : plain).push_back(p);
  return make_optimizer(options_.optimizer, decayed, plain);
}

std::unique_ptr<torch::optim::Optimizer> Trainer::own_optimizer() const {
  if (!shard_) return whole_optimizer();
  std::vector<torch::Tensor> decayed, plain;
  for (size_t i = 0; i < shard_->slices().size(); ++i) (shard_->decayed(i) ? decayed : plain).push_back(shard_->slices()[i]);
  KeepGroups keep;  // the whole model's groups, with or without a slice of them here
  for (const auto& p : model_->parameters()) (p.dim() >= 2 ? keep.decayed : keep.plain) = true;
  auto optimizer = make_optimizer(options_.optimizer, decayed, plain, keep);
  detail::ShardedMada::sum_across_ranks(dynamic_cast<Mada&>(*optimizer), *ranks_);
  return optimizer;
}

Trainer::~Trainer() = default;

int64_t Trainer::rank() const { return ranks_ ? ranks_->rank() : 0; }
int64_t Trainer::world_size() const { return ranks_ ? ranks_->size() : 1; }

namespace {

using Named = std::vector<std::pair<std::string, double>>;

std::string number(double x) {
  std::ostringstream s;
  s << std::setprecision(17) << x;
  return s.str();
}

// mada::Error(Distributed) naming the first value the ranks do not all hold, with its range
// over the ranks (one all-reduce: the max of v and of -v).
void require_same(detail::Communicator& ranks, const Named& values, const std::string& when) {
  const int64_t n = static_cast<int64_t>(values.size());
  auto extremes = torch::empty({2 * n}, torch::kDouble);
  auto* e = extremes.data_ptr<double>();
  for (int64_t i = 0; i < n; ++i) e[i] = values[i].second, e[n + i] = -values[i].second;
  std::vector<torch::Tensor> all{extremes};
  ranks.all_reduce(all, detail::Communicator::Reduce::Max);
  for (int64_t i = 0; i < n; ++i) {
    if (e[i] != -e[n + i])
      fail(ErrorKind::Distributed, when + " the data-parallel ranks disagree on " + values[i].first + ": from " +
                                       number(-e[n + i]) + " to " + number(e[i]) + " (rank " +
                                       std::to_string(ranks.rank()) + " has " + number(values[i].second) +
                                       "); do all ranks run the same model, data and options?");
  }
}

// Ends a call every rank makes: each returns only when all succeeded. A rank that failed
// rethrows its own error; the others learn that one failed.
void settle(detail::Communicator* ranks, std::exception_ptr own, const std::string& what) {
  if (ranks != nullptr) {
    auto failed = torch::tensor({own ? 1.0 : 0.0}, torch::kDouble);
    std::vector<torch::Tensor> flag{failed};
    ranks->all_reduce(flag, detail::Communicator::Reduce::Max);
    if (!own && failed.item<double>() > 0)
      fail(ErrorKind::Distributed, "data-parallel rank " + std::to_string(ranks->rank()) + ": another rank failed to " + what);
  }
  if (own) std::rethrow_exception(own);
}

}  // namespace

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
  if (shard_) shard_->release_gradients();  // views of the model's, which libtorch cannot detach
  optimizer_->zero_grad();
  if (shard_) model_->zero_grad();
  model_->train();
  const int64_t micro_batches = options_.grad_accumulation;
  const BatchShard shard{rank(), world_size()};
  for (int64_t micro = 0; micro < micro_batches; ++micro) {
    const Batch batch = dataset_->train_batch(options_.batch_size, batch_seed(options_.seed, t, micro), shard);
    const auto loss = loss_of(batch, nullptr) / static_cast<double>(micro_batches);
    loss.backward();
    m.loss += loss.item<double>();
  }
  if (ranks_) {
    auto loss_sum = torch::tensor({m.loss}, torch::kDouble);
    buckets_->average(*ranks_, {loss_sum});
    m.loss = loss_sum.item<double>() / static_cast<double>(world_size());
    if (shard_) shard_->bind_gradients();
  }
  if (auto* mada = dynamic_cast<Mada*>(optimizer_.get())) {
    mada->step();  // MADA measures the raw norm and clips inside its step (spec step 3)
    if (shard_) shard_->gather_parameters();
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
  const int64_t every = options_.distributed.check_every;
  if (ranks_ && (t == 1 || (every > 0 && t % every == 0))) check_agreement(m);
  return m;
}

// The averaged gradient is the same bytes on every rank, and so are the hypergradient, the
// coefficients and the update: a difference means the ranks have drifted apart (another
// model or options on one rank, a broken reduction), and training on would be silently wrong.
void Trainer::check_agreement(const StepMetrics& m) {
  Named values;
  if (m.coefficients) {
    for (size_t k = 0; k < kCoefficientCount; ++k)
      values.emplace_back(std::string("coefficient ") + kCoefficientNames[k], (*m.coefficients)[k]);
  }
  values.emplace_back("the gradient norm", m.grad_norm);
  double checksum = 0.0;
  for (const auto& p : model_->parameters()) checksum += p.sum(torch::kDouble).item<double>();
  values.emplace_back("the parameter checksum", checksum);
  require_same(*ranks_, values, "at step " + std::to_string(m.step));
}

// What must be the same on every rank before they train together: the options, the model's
// shapes (rank 0's weights are broadcast into them) and the data's sizes.
void Trainer::check_same_setup() {
  const TrainerOptions& o = options_;
  Named values{{"batch_size", o.batch_size},
               {"grad_accumulation", o.grad_accumulation},
               {"total_steps", o.total_steps},
               {"warmup_steps", o.warmup_steps},
               {"lr", o.optimizer.lr},
               {"min_lr_ratio", o.min_lr_ratio},
               {"weight_decay", o.optimizer.weight_decay},
               {"grad_clip", o.optimizer.grad_clip},
               {"the optimizer", static_cast<double>(o.optimizer.kind)},
               {"the mode", static_cast<double>(o.optimizer.mode)},
               {"the seed's low half", static_cast<double>(o.seed & 0xFFFFFFFFu)},
               {"the seed's high half", static_cast<double>(o.seed >> 32)},
               {"shard_state", o.distributed.shard_state ? 1.0 : 0.0},
               {"check_every", static_cast<double>(o.distributed.check_every)},
               {"the training set's size", static_cast<double>(dataset_->train_size())},
               {"the data's classes", static_cast<double>(dataset_->classes())}};
  const auto tensors = model_tensors(*model_);
  values.emplace_back("the model's tensor count", static_cast<double>(tensors.size()));
  require_same(*ranks_, values, "before training");
  // Only now the same count on every rank: a collective of another size on one rank would
  // abort Gloo's worker thread instead of failing.
  Named sizes;
  for (size_t i = 0; i < tensors.size(); ++i)
    sizes.emplace_back("the size of model tensor " + std::to_string(i), static_cast<double>(tensors[i].numel()));
  require_same(*ranks_, sizes, "before training");
}

EvalMetrics Trainer::evaluate(int64_t max_batches) {
  torch::NoGradGuard no_grad;
  model_->eval();
  const int64_t batch = options_.batch_size;
  int64_t batches = dataset_->eval_batches(batch);
  if (max_batches > 0) batches = std::min(batches, max_batches);
  double loss_sum = 0.0;
  int64_t correct = 0, predictions = 0, examples = 0;
  for (int64_t i = rank(); i < batches; i += world_size()) {  // data parallel: every world_size-th
    const Batch b = dataset_->eval_batch(i, batch);
    torch::Tensor right;
    const double loss = loss_of(b, &right).item<double>();
    const int64_t n = b.targets.numel();
    loss_sum += loss * static_cast<double>(n);
    correct += right.item<int64_t>();
    predictions += n;
    examples += b.targets.size(0);
  }
  if (ranks_) {
    auto sums = torch::tensor({loss_sum, static_cast<double>(correct), static_cast<double>(predictions),
                               static_cast<double>(examples)}, torch::kDouble);
    std::vector<torch::Tensor> all{sums};
    ranks_->all_reduce(all, detail::Communicator::Reduce::Sum);
    const auto* s = sums.data_ptr<double>();
    loss_sum = s[0];
    correct = static_cast<int64_t>(s[1]);
    predictions = static_cast<int64_t>(s[2]);
    examples = static_cast<int64_t>(s[3]);
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
  // Sharded, the ranks first put the whole optimizer state together: a checkpoint is the same
  // whatever the world size, and any world size resumes from it.
  std::unique_ptr<torch::optim::Optimizer> whole;
  if (shard_) {
    if (rank() == 0) {
      whole = whole_optimizer();
      for (size_t g = 0; g < whole->param_groups().size(); ++g)  // the learning rates of the last step
        whole->param_groups()[g].options().set_lr(optimizer_->param_groups()[g].options().get_lr());
    }
    shard_->gather_state(dynamic_cast<const Mada&>(*optimizer_), whole ? &dynamic_cast<Mada&>(*whole) : nullptr);
  }
  std::exception_ptr error;
  if (rank() == 0) {
    try {
      write(path, whole ? *whole : *optimizer_);
    } catch (...) {
      error = std::current_exception();
    }
  }
  settle(ranks_.get(), error, "write the checkpoint '" + path + "'");
}

void Trainer::write(const std::string& path, const torch::optim::Optimizer& state) const {
  kernels::RecordWriter records;
  detail::RecordTensorWriter top(records), model(records, "model."), optimizer(records, "optimizer.");
  top.write("trainer_format", torch::tensor({kFormatVersion}, torch::kLong));
  top.write("trainer_step", torch::tensor({step_}, torch::kLong));
  top.write("trainer_optimizer", torch::tensor({static_cast<int64_t>(options_.optimizer.kind)}, torch::kLong));
  const auto tensors = model_tensors(*model_);
  top.write("model_tensor_count", torch::tensor({static_cast<int64_t>(tensors.size())}, torch::kLong));
  for (size_t i = 0; i < tensors.size(); ++i) model.write(std::to_string(i), tensors[i]);
  detail::save_optimizer_state(state, options_.optimizer.kind, optimizer);
  detail::write_checkpoint(records, path);
}

void Trainer::load(const std::string& path) {
  Loaded loaded;
  std::exception_ptr error;
  try {
    loaded = read(path);
  } catch (...) {
    error = std::current_exception();
  }
  settle(ranks_.get(), error, "load the checkpoint '" + path + "'");
  // Ranks that read different files (one path, several machines) would train on at different
  // steps, and their checks would then meet other collectives.
  if (ranks_)
    require_same(*ranks_, {{"the checkpoint's step", static_cast<double>(loaded.step)},
                           {"the checkpoint's model checksum", loaded.checksum}},
                 "after reading '" + path + "'");
  loaded.commit();
}

Trainer::Loaded Trainer::read(const std::string& path) {
  uint64_t tensors = 0, elements = 0;
  for (const auto& t : model_tensors(*model_)) ++tensors, elements += static_cast<uint64_t>(t.numel());
  const auto checkpoint =  // its errors name the path
      detail::CheckpointReader::open(path, detail::max_checkpoint_bytes(tensors, elements));
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
    // The optimizer state goes into a fresh optimizer first: a bad checkpoint leaves ours
    // intact. Sharded, this rank's part of it then goes into a fresh sharded optimizer.
    auto whole = whole_optimizer();
    detail::load_optimizer_state(*whole, options_.optimizer.kind, optimizer);
    // Shared only because std::function must be copyable.
    auto fresh = std::make_shared<std::unique_ptr<torch::optim::Optimizer>>(std::move(whole));
    if (shard_) {
      auto own = own_optimizer();
      shard_->scatter_state(dynamic_cast<const Mada&>(**fresh), dynamic_cast<Mada&>(*own));
      *fresh = std::move(own);
    }

    Loaded loaded;
    loaded.step = step;
    for (const auto& v : values)
      if (v.is_floating_point()) loaded.checksum += v.sum(torch::kDouble).item<double>();
    loaded.commit = [this, tensors, values, fresh, step]() mutable {
      torch::NoGradGuard no_grad;
      for (size_t i = 0; i < tensors.size(); ++i) tensors[i].copy_(values[i]);
      optimizer_ = std::move(*fresh);
      step_ = step;
    };
    return loaded;
  } catch (const Error& e) {
    fail(e.kind(), what + ": " + e.what());
  }
}

}  // namespace mada
