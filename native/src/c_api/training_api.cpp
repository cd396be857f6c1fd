#include "guard.h"
#include "handles.h"

#include <mada/data/char_corpus.h>
#include <mada/data/fashion_mnist.h>
#include <mada/models/cnn.h>
#include <mada/models/gpt.h>
#include <mada/models/mlp.h>

using mada::ErrorKind;
using mada::fail;
using mada::c_api::guarded_torch;
using mada::c_api::require_non_null;

namespace {

int64_t or_default(int64_t value, int64_t fallback, const char* name) {
  if (value < 0) fail(ErrorKind::InvalidArgument, std::string(name) + " must not be negative");
  return value == 0 ? fallback : value;
}

std::shared_ptr<mada::Model> build_model(const mada_model_options& o, const mada::Dataset& data) {
  torch::manual_seed(o.seed);
  const bool text = data.kind() == "text";
  switch (o.kind) {
    case MADA_MODEL_MLP:
    case MADA_MODEL_CNN:
      if (text) fail(ErrorKind::InvalidArgument, "MLP and CNN models need image data, the dataset is text");
      if (o.kind == MADA_MODEL_MLP) {
        const int64_t w = or_default(o.width, 256, "width");
        return std::make_shared<mada::Mlp>(mada::MlpOptions{28 * 28, {w, std::max<int64_t>(1, w / 2)}, data.classes()});
      }
      return std::make_shared<mada::Cnn>(mada::CnnOptions{1, 28, data.classes(), or_default(o.width, 32, "width")});
    case MADA_MODEL_GPT: {
      const auto* corpus = dynamic_cast<const mada::CharCorpus*>(&data);
      if (corpus == nullptr) fail(ErrorKind::InvalidArgument, "a GPT model needs text data, the dataset is images");
      auto g = mada::GptOptions::Small(corpus->classes());
      g.context = corpus->context();
      g.width = or_default(o.width, g.width, "width");
      g.layers = or_default(o.layers, g.layers, "layers");
      g.heads = or_default(o.heads, g.heads, "heads");
      return std::make_shared<mada::Gpt>(g);
    }
  }
  fail(ErrorKind::InvalidArgument, "unknown model kind " + std::to_string(static_cast<int>(o.kind)));
}

mada::TrainerOptions to_trainer_options(const mada_trainer_options& o) {
  if (o.optimizer < MADA_OPTIMIZER_MADA || o.optimizer > MADA_OPTIMIZER_SGD)
    fail(ErrorKind::InvalidArgument, "unknown optimizer kind " + std::to_string(static_cast<int>(o.optimizer)));
  if (o.mode != MADA_MODE_PAPER && o.mode != MADA_MODE_REFERENCE)
    fail(ErrorKind::InvalidArgument, "unknown mode " + std::to_string(static_cast<int>(o.mode)));
  mada::TrainerOptions t;
  t.optimizer.kind = static_cast<mada::OptimizerKind>(o.optimizer);
  t.optimizer.lr = o.lr;
  t.optimizer.weight_decay = o.weight_decay;
  t.optimizer.grad_clip = o.grad_clip;
  t.optimizer.mode = static_cast<mada::Mode>(o.mode);
  if (o.has_q0) t.optimizer.q0 = mada::c_api::from_c(o.q0);
  t.min_lr_ratio = o.min_lr_ratio;
  t.warmup_steps = o.warmup_steps;
  t.total_steps = o.total_steps;
  t.batch_size = o.batch_size;
  t.grad_accumulation = o.grad_accumulation;
  t.seed = o.seed;
  t.validate();
  return t;
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
    handle->model = build_model(*options, *dataset->dataset);
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
    const mada::TrainerOptions t;
    mada_trainer_options o{};
    o.optimizer = static_cast<mada_optimizer_kind>(t.optimizer.kind);
    o.lr = t.optimizer.lr;
    o.min_lr_ratio = t.min_lr_ratio;
    o.weight_decay = t.optimizer.weight_decay;
    o.grad_clip = t.optimizer.grad_clip;
    o.warmup_steps = t.warmup_steps;
    o.total_steps = t.total_steps;
    o.batch_size = t.batch_size;
    o.grad_accumulation = t.grad_accumulation;
    o.seed = t.seed;
    o.has_q0 = 0;
    o.q0 = mada::c_api::to_c(mada::adam_point());
    o.mode = static_cast<mada_mode>(t.optimizer.mode);
    *out = o;
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
    handle->trainer = std::make_unique<mada::Trainer>(model->model, dataset->dataset, to_trainer_options(*options));
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
