#include "guard.h"
#include "handles.h"

#include <mada/data/char_corpus.h>
#include <mada/data/fashion_mnist.h>
#include <mada/models/model_factory.h>
#include <mada/optimizer.h>
#include <mada/training/optimizer_kind.h>
#include <mada/training/trainer.h>

using mada::ErrorKind;
using mada::fail;
using mada::c_api::guarded_torch;
using mada::c_api::require_non_null;

namespace {

// The C enum is the C++ enum's twin, value for value.
static_assert(static_cast<int>(mada::ModelKind::Mlp) == MADA_MODEL_MLP);
static_assert(static_cast<int>(mada::ModelKind::Cnn) == MADA_MODEL_CNN);
static_assert(static_cast<int>(mada::ModelKind::Gpt) == MADA_MODEL_GPT);

mada::ModelSpec from_c(const mada_model_options& o) {
  // Any int is a valid ModelKind (fixed underlying type); make_model refuses an unknown one.
  return mada::ModelSpec{static_cast<mada::ModelKind>(mada::c_api::c_enum(o.kind)), o.width, o.layers, o.heads, o.seed};
}

static_assert(static_cast<int>(mada::OptimizerKind::Mada) == MADA_OPTIMIZER_MADA);
static_assert(static_cast<int>(mada::OptimizerKind::HyperAdam) == MADA_OPTIMIZER_HYPER_ADAM);
static_assert(static_cast<int>(mada::OptimizerKind::Adam) == MADA_OPTIMIZER_ADAM);
static_assert(static_cast<int>(mada::OptimizerKind::AdamW) == MADA_OPTIMIZER_ADAMW);
static_assert(static_cast<int>(mada::OptimizerKind::AVGrad) == MADA_OPTIMIZER_AVGRAD);
static_assert(static_cast<int>(mada::OptimizerKind::Yogi) == MADA_OPTIMIZER_YOGI);
static_assert(static_cast<int>(mada::OptimizerKind::Adan) == MADA_OPTIMIZER_ADAN);
static_assert(static_cast<int>(mada::OptimizerKind::Lion) == MADA_OPTIMIZER_LION);
static_assert(static_cast<int>(mada::OptimizerKind::AmsGrad) == MADA_OPTIMIZER_AMSGRAD);
static_assert(static_cast<int>(mada::OptimizerKind::Sgd) == MADA_OPTIMIZER_SGD);

// Each plain field of mada_trainer_options and where mada::TrainerOptions keeps it: the one
// list both conversions below are made from (the enums and q0 need a conversion of their own).
#define MADA_TRAINER_C_FIELDS(X)                                                             \
  X(lr, optimizer.lr) X(weight_decay, optimizer.weight_decay) X(grad_clip, optimizer.grad_clip) \
  X(min_lr_ratio, min_lr_ratio) X(warmup_steps, warmup_steps) X(total_steps, total_steps)      \
  X(batch_size, batch_size) X(grad_accumulation, grad_accumulation) X(seed, seed)

mada::TrainerOptions from_c(const mada_trainer_options& o) {
  const int optimizer = mada::c_api::c_enum(o.optimizer), mode = mada::c_api::c_enum(o.mode);
  if (optimizer < MADA_OPTIMIZER_MADA || optimizer > MADA_OPTIMIZER_SGD)
    fail(ErrorKind::InvalidArgument, "unknown optimizer kind " + std::to_string(optimizer));
  if (mode != MADA_MODE_PAPER && mode != MADA_MODE_REFERENCE)
    fail(ErrorKind::InvalidArgument, "unknown mode " + std::to_string(mode));
  mada::TrainerOptions t;
#define MADA_FROM_C(c_field, cpp_field) t.cpp_field = o.c_field;
  MADA_TRAINER_C_FIELDS(MADA_FROM_C)
#undef MADA_FROM_C
  t.optimizer.kind = static_cast<mada::OptimizerKind>(o.optimizer);
  t.optimizer.mode = static_cast<mada::Mode>(o.mode);
  if (o.has_q0) t.optimizer.q0 = mada::c_api::from_c(o.q0);
  const mada_distributed_options& d = o.distributed;
  t.distributed = {d.rank, d.world_size, d.store != nullptr ? d.store : "", d.timeout_seconds, d.check_every,
                   d.shard_state != 0};
  t.validate();
  return t;
}

mada_trainer_options to_c(const mada::TrainerOptions& t) {
  mada_trainer_options o{};
#define MADA_TO_C(c_field, cpp_field) o.c_field = t.cpp_field;
  MADA_TRAINER_C_FIELDS(MADA_TO_C)
#undef MADA_TO_C
  o.optimizer = static_cast<mada_optimizer_kind>(t.optimizer.kind);
  o.mode = static_cast<mada_mode>(t.optimizer.mode);
  o.has_q0 = t.optimizer.q0.has_value();
  o.q0 = mada::c_api::to_c(t.optimizer.q0.value_or(mada::adam_point()));
  const mada::DistributedOptions& d = t.distributed;
  o.distributed = {d.rank, d.world_size, nullptr, d.timeout_seconds, d.check_every, d.shard_state ? 1 : 0};
  return o;
}

// The trainer's optimizer as MADA, or an error naming what it is instead (a C++ helper: outside
// extern "C", so not a symbol of the C ABI).
const mada::Mada& mada_of(const mada_trainer* trainer) {
  require_non_null(trainer, "trainer");
  const auto* mada = dynamic_cast<const mada::Mada*>(&trainer->trainer->optimizer());
  if (mada == nullptr)
    fail(ErrorKind::InvalidArgument, "the trainer's optimizer (" + mada::name_of(trainer->trainer->options().optimizer.kind) +
                                         ") is not of the MADA family and has no coefficients");
  return *mada;
}

}  // namespace

extern "C" {

mada_status mada_dataset_create_fashion_mnist(const char* directory, int64_t train_limit, mada_dataset** out) noexcept {
  return guarded_torch([&] {
    require_non_null(out, "out");
    if (train_limit < 0) fail(ErrorKind::InvalidArgument, "train_limit must not be negative");
    auto handle = std::make_unique<mada_dataset>();
    handle->dataset = std::make_shared<mada::FashionMnist>(directory ? directory : mada::kDefaultFashionMnistDir, train_limit);
    *out = handle.release();
  });
}

mada_status mada_dataset_create_text(const char* path, int64_t context, double validation_fraction, mada_dataset** out) noexcept {
  return guarded_torch([&] {
    require_non_null(path, "path");
    require_non_null(out, "out");
    auto handle = std::make_unique<mada_dataset>();
    handle->dataset = std::make_shared<mada::CharCorpus>(path, context, validation_fraction);
    *out = handle.release();
  });
}

void mada_dataset_destroy(mada_dataset* dataset) noexcept { delete dataset; }

mada_status mada_dataset_describe(const mada_dataset* dataset, mada_dataset_info* out) noexcept {
  return guarded_torch([&] {
    require_non_null(dataset, "dataset");
    require_non_null(out, "out");
    const auto& d = *dataset->dataset;
    const auto* corpus = dynamic_cast<const mada::CharCorpus*>(&d);
    *out = mada_dataset_info{corpus != nullptr, d.classes(), d.train_size(), d.eval_size(),
                             corpus != nullptr ? corpus->context() : 0};
  });
}

mada_status mada_model_create(const mada_model_options* options, const mada_dataset* dataset, mada_model** out) noexcept {
  return guarded_torch([&] {
    require_non_null(options, "options");
    require_non_null(dataset, "dataset");
    require_non_null(out, "out");
    auto handle = std::make_unique<mada_model>();
    handle->model = mada::make_model(from_c(*options), *dataset->dataset);
    *out = handle.release();
  });
}

void mada_model_destroy(mada_model* model) noexcept { delete model; }

mada_status mada_model_parameter_count(const mada_model* model, int64_t* out) noexcept {
  return guarded_torch([&] {
    require_non_null(model, "model");
    require_non_null(out, "out");
    *out = model->model->parameter_count();
  });
}

mada_status mada_trainer_options_default(mada_trainer_options* out) noexcept {
  return guarded_torch([&] {
    require_non_null(out, "out");
    *out = to_c(mada::TrainerOptions{});
  });
}

mada_status mada_trainer_create(mada_model* model, const mada_dataset* dataset, const mada_trainer_options* options,
                                mada_trainer** out) noexcept {
  return guarded_torch([&] {
    require_non_null(model, "model");
    require_non_null(dataset, "dataset");
    require_non_null(options, "options");
    require_non_null(out, "out");
    auto handle = std::make_unique<mada_trainer>();
    handle->trainer = std::make_unique<mada::Trainer>(model->model, dataset->dataset, from_c(*options));
    *out = handle.release();
  });
}

void mada_trainer_destroy(mada_trainer* trainer) noexcept { delete trainer; }

mada_status mada_trainer_step(mada_trainer* trainer, mada_step_metrics* out) noexcept {
  return guarded_torch([&] {
    require_non_null(trainer, "trainer");
    require_non_null(out, "out");
    const mada::StepMetrics m = trainer->trainer->step();
    mada_step_metrics r{};
    r.step = m.step;
    r.loss = m.loss;
    r.lr = m.lr;
    r.grad_norm = m.grad_norm;
    r.has_coefficients = m.coefficients.has_value();
    if (m.coefficients) r.coefficients = mada::c_api::to_c(*m.coefficients);
    if (m.hypergradient) r.hypergradient = mada::c_api::to_c(*m.hypergradient);
    *out = r;
  });
}

mada_status mada_trainer_step_count(const mada_trainer* trainer, int64_t* out) noexcept {
  return guarded_torch([&] {
    require_non_null(trainer, "trainer");
    require_non_null(out, "out");
    *out = trainer->trainer->step_count();
  });
}

mada_status mada_trainer_coefficients(const mada_trainer* trainer, mada_coefficients* out) noexcept {
  return guarded_torch([&] {
    require_non_null(out, "out");
    *out = mada::c_api::to_c(mada_of(trainer).coefficients());
  });
}

mada_status mada_trainer_hypergradient(const mada_trainer* trainer, mada_coefficients* out) noexcept {
  return guarded_torch([&] {
    require_non_null(out, "out");
    *out = mada::c_api::to_c(mada_of(trainer).hypergradient());
  });
}

mada_status mada_trainer_evaluate(mada_trainer* trainer, int64_t max_batches, mada_eval_metrics* out) noexcept {
  return guarded_torch([&] {
    require_non_null(trainer, "trainer");
    require_non_null(out, "out");
    if (max_batches < 0) fail(ErrorKind::InvalidArgument, "max_batches must not be negative");
    const mada::EvalMetrics e = trainer->trainer->evaluate(max_batches);
    *out = mada_eval_metrics{e.loss, e.accuracy, e.examples};
  });
}

mada_status mada_trainer_save(const mada_trainer* trainer, const char* path) noexcept {
  return guarded_torch([&] {
    require_non_null(trainer, "trainer");
    require_non_null(path, "path");
    trainer->trainer->save(path);
  });
}

mada_status mada_trainer_load(mada_trainer* trainer, const char* path) noexcept {
  return guarded_torch([&] {
    require_non_null(trainer, "trainer");
    require_non_null(path, "path");
    trainer->trainer->load(path);
  });
}

}  // extern "C"
