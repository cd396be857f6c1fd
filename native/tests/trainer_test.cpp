// The trainer: a short run lowers the loss for every optimizer; resume equals an uninterrupted
// run; bad options and bad checkpoints are clear errors that change nothing.
#include <mada/data/char_corpus.h>
#include <mada/data/fashion_mnist.h>
#include <mada/models/cnn.h>
#include <mada/models/gpt.h>
#include <mada/models/mlp.h>
#include <mada/models/model_factory.h>
#include <mada/training/trainer.h>

#include "damaged_checkpoint.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <torch/torch.h>

#include <fstream>

namespace {

using mada::OptimizerKind;

std::shared_ptr<const mada::Dataset> fashion() {
  static auto data = std::make_shared<const mada::FashionMnist>(mada::kDefaultFashionMnistDir, 4000);
  return data;
}

std::shared_ptr<mada::Model> small_mlp(uint64_t seed) {
  torch::manual_seed(seed);
  return std::make_shared<mada::Mlp>(mada::MlpOptions{28 * 28, {64, 32}, 10});
}

mada::TrainerOptions options_for(OptimizerKind kind, double lr) {
  mada::TrainerOptions o;
  o.optimizer.kind = kind;
  o.optimizer.lr = lr;
  o.optimizer.weight_decay = 0.01;
  o.optimizer.grad_clip = 1.0;
  o.total_steps = 40;
  o.warmup_steps = 4;
  o.batch_size = 64;
  o.seed = 5;
  return o;
}

double learning_rate_of(OptimizerKind kind) {
  switch (kind) {
    case OptimizerKind::Sgd: return 0.05;
    case OptimizerKind::Lion: return 1e-3;
    default: return 3e-3;
  }
}

TEST(Trainer, AShortRunLowersTheLossForEveryOptimizer) {
  for (const auto& name : mada::optimizer_names()) {
    const auto kind = mada::optimizer_kind(name);
    mada::Trainer trainer(small_mlp(1), fashion(), options_for(kind, learning_rate_of(kind)));
    const double before = trainer.evaluate(10).loss;
    for (int i = 0; i < 40; ++i) trainer.step();
    const auto after = trainer.evaluate(10);
    EXPECT_LT(after.loss, 0.8 * before) << name;
    EXPECT_GT(after.accuracy, 0.5) << name;
  }
}

TEST(Trainer, MadaCoefficientsAreReportedAndTheScheduleIsFollowed) {
  auto o = options_for(OptimizerKind::Mada, 1e-2);
  mada::Trainer trainer(small_mlp(2), fashion(), o);
  const mada::MadaOptions preset = mada::MadaOptions::MADA();
  mada::StepMetrics m;
  mada::Coefficients previous = preset.q0();
  for (int i = 0; i < 40; ++i) {
    m = trainer.step();
    ASSERT_TRUE(m.coefficients.has_value() && m.hypergradient.has_value());
    EXPECT_DOUBLE_EQ(m.lr, (mada::CosineSchedule{1e-2, 1e-3, 4, 40}.at(m.step)));
    // The reported coefficients are the spec's hyper step from the reported hypergradient
    // (steps 1-2: clip to 10, descend, clamp), so a hyper step of the wrong sign fails here.
    for (std::size_t k = 0; k < mada::kCoefficientCount; ++k) {
      const double h = (*m.hypergradient)[k];
      const double expected = m.step < 2 ? previous[k]
                                         : std::clamp(previous[k] - preset.hyper_lr()[k] * h *
                                                                        std::min(1.0, 10.0 / (std::abs(h) + 1e-6)),
                                                      preset.lower()[k], preset.upper()[k]);
      EXPECT_NEAR((*m.coefficients)[k], expected, 1e-12) << "coefficient " << k << " at step " << m.step;
    }
    previous = *m.coefficients;
  }
  EXPECT_DOUBLE_EQ(m.lr, 1e-3);
  EXPECT_NE(*m.coefficients, mada::MadaOptions::MADA().q0());
  EXPECT_EQ(trainer.step_count(), 40);
}

TEST(Trainer, GradientAccumulationAveragesMicroBatches) {
  auto o = options_for(OptimizerKind::Adam, 1e-3);
  o.grad_accumulation = 3;
  mada::Trainer trainer(small_mlp(3), fashion(), o);
  const auto m = trainer.step();
  EXPECT_GT(m.loss, 1.5);  // ~ln(10) at the start: a mean, not a sum of three
  EXPECT_LT(m.loss, 3.5);
}

class Resume : public ::testing::TestWithParam<OptimizerKind> {};

TEST_P(Resume, EqualsAnUninterruptedRun) {
  const auto o = options_for(GetParam(), learning_rate_of(GetParam()));
  mada::Trainer straight(small_mlp(4), fashion(), o);
  for (int i = 0; i < 12; ++i) straight.step();

  const std::string path = ::testing::TempDir() + "/trainer_resume.pt";
  {
    mada::Trainer first(small_mlp(4), fashion(), o);
    for (int i = 0; i < 5; ++i) first.step();
    first.save(path);
  }
  mada::Trainer resumed(small_mlp(99), fashion(), o);  // other initial weights: load replaces them
  resumed.load(path);
  EXPECT_EQ(resumed.step_count(), 5);
  mada::StepMetrics last;
  for (int i = 0; i < 7; ++i) last = resumed.step();
  const auto a = straight.model().parameters(), b = resumed.model().parameters();
  for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(torch::equal(a[i], b[i])) << "parameter " << i;
  EXPECT_EQ(last.step, 12);
}

INSTANTIATE_TEST_SUITE_P(Optimizers, Resume,
                         ::testing::Values(OptimizerKind::Mada, OptimizerKind::AmsGrad, OptimizerKind::Sgd),
                         [](const auto& info) { return mada::name_of(info.param); });

TEST(Trainer, BadOptionsAndMismatchedDataAreClearErrors) {
  auto o = options_for(OptimizerKind::Mada, 1e-3);
  o.batch_size = 0;
  EXPECT_THROW(mada::Trainer(small_mlp(5), fashion(), o), mada::Error);
  o = options_for(OptimizerKind::Mada, -1.0);
  EXPECT_THROW(mada::Trainer(small_mlp(5), fashion(), o), mada::Error);
  o = options_for(OptimizerKind::Mada, 1e-3);
  o.warmup_steps = 40;
  EXPECT_THROW(mada::Trainer(small_mlp(5), fashion(), o), mada::Error);
  auto gpt = std::make_shared<mada::Gpt>(mada::GptOptions{10, 8, 1, 2, 16});
  EXPECT_THROW(mada::Trainer(gpt, fashion(), options_for(OptimizerKind::Mada, 1e-3)), mada::Error);
  EXPECT_THROW(mada::optimizer_kind("adamax"), mada::Error);
}

TEST(Trainer, ABadCheckpointChangesNothing) {
  const auto o = options_for(OptimizerKind::Mada, 1e-3);
  mada::Trainer trainer(small_mlp(6), fashion(), o);
  trainer.step();
  const auto before = trainer.model().parameters()[0].clone();
  const std::string corrupt = ::testing::TempDir() + "/trainer_corrupt.pt";
  std::ofstream(corrupt, std::ios::binary) << "not a checkpoint";
  EXPECT_THROW(trainer.load(corrupt), mada::Error);
  // A checkpoint of another model (a wider MLP).
  torch::manual_seed(1);
  mada::Trainer wide(std::make_shared<mada::Mlp>(mada::MlpOptions{28 * 28, {65, 32}, 10}), fashion(), o);
  const std::string other = ::testing::TempDir() + "/trainer_other.pt";
  wide.save(other);
  try {
    trainer.load(other);
    ADD_FAILURE() << "another model's checkpoint loaded";
  } catch (const mada::Error& e) {
    EXPECT_EQ(e.kind(), mada::ErrorKind::Checkpoint) << e.what();
  }
  EXPECT_TRUE(torch::equal(trainer.model().parameters()[0], before));
  EXPECT_EQ(trainer.step_count(), 1);
}

// Well-formed checkpoints holding values no run can produce are refused by name, for the
// model and for each optimizer family's state, and change nothing.
TEST(Trainer, ImpossibleValuesInACheckpointAreRefused) {
  using mada::testing::with_value;
  const float nan = std::nanf("");
  struct Case {
    OptimizerKind kind;
    std::string entry;
    float value;
    std::string says;
  };
  const Case cases[] = {{OptimizerKind::Mada, "model.0", nan, "model tensor 0"},
                        {OptimizerKind::Mada, "optimizer.state_1_v", -1.0f, "parameter 1"},
                        {OptimizerKind::AmsGrad, "optimizer.adamw_0_exp_avg", INFINITY, "adamw_0_exp_avg"},
                        {OptimizerKind::AmsGrad, "optimizer.adamw_2_max_exp_avg_sq", -1.0f, "adamw_2_max_exp_avg_sq"},
                        {OptimizerKind::Sgd, "optimizer.sgd_3_momentum_buffer", nan, "sgd_3_momentum_buffer"}};
  for (const Case& c : cases) {
    const auto o = options_for(c.kind, learning_rate_of(c.kind));
    mada::Trainer trainer(small_mlp(7), fashion(), o);
    for (int i = 0; i < 2; ++i) trainer.step();
    const std::string path = ::testing::TempDir() + "/trainer_damaged.pt";
    trainer.save(path);
    mada::testing::write_file(path, with_value(mada::testing::file_bytes(path), c.entry, 1, c.value));
    const auto before = trainer.model().parameters()[0].clone();
    try {
      trainer.load(path);
      ADD_FAILURE() << c.entry << " accepted";
    } catch (const mada::Error& e) {
      EXPECT_EQ(e.kind(), mada::ErrorKind::Checkpoint) << e.what();
      EXPECT_NE(std::string(e.what()).find(c.says), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
    EXPECT_TRUE(torch::equal(trainer.model().parameters()[0], before)) << c.entry;
    EXPECT_EQ(trainer.step_count(), 2) << c.entry;
  }
}

TEST(Trainer, TheCnnAndTheGptTrain) {
  torch::manual_seed(7);
  mada::Trainer cnn(std::make_shared<mada::Cnn>(mada::CnnOptions{1, 28, 10, 8}), fashion(),
                    options_for(OptimizerKind::Mada, 3e-3));
  const double cnn_before = cnn.evaluate(4).loss;
  for (int i = 0; i < 15; ++i) cnn.step();
  EXPECT_LT(cnn.evaluate(4).loss, cnn_before);

  std::string text;
  for (int i = 0; i < 300; ++i) text += "the quick brown fox jumps over the lazy dog. ";
  const std::string path = ::testing::TempDir() + "/gpt_corpus.txt";
  std::ofstream(path) << text;
  auto corpus = std::make_shared<const mada::CharCorpus>(path, 16);
  torch::manual_seed(8);
  auto o = options_for(OptimizerKind::Mada, 3e-3);
  o.batch_size = 16;
  mada::Trainer gpt(std::make_shared<mada::Gpt>(mada::GptOptions{corpus->classes(), 16, 1, 2, 32}), corpus, o);
  const double gpt_before = gpt.evaluate(4).loss;
  for (int i = 0; i < 40; ++i) gpt.step();
  EXPECT_LT(gpt.evaluate(4).loss, 0.8 * gpt_before);
}

std::shared_ptr<const mada::CharCorpus> corpus_of(const std::string& name, const std::string& sentence, int64_t context) {
  std::string text;
  for (int i = 0; i < 300; ++i) text += sentence;
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return std::make_shared<const mada::CharCorpus>(path, context);
}

// A GPT made for one corpus is refused by a trainer of another (before, it failed only at the
// first step, inside libtorch), naming what does not fit.
TEST(Trainer, AGptMadeForAnotherCorpusIsRefused) {
  const auto fox = corpus_of("fox.txt", "the quick brown fox jumps over the lazy dog. ", 16);
  const auto abc = corpus_of("abc.txt", "abc cab ", 16);
  const auto o = options_for(OptimizerKind::Mada, 1e-3);
  auto for_abc = mada::make_model({mada::ModelKind::Gpt, 16, 1, 2, 3}, *abc);
  try {
    mada::Trainer trainer(for_abc, fox, o);
    ADD_FAILURE() << "a GPT of another vocabulary was accepted";
  } catch (const mada::Error& e) {
    EXPECT_EQ(e.kind(), mada::ErrorKind::InvalidArgument);
    EXPECT_NE(std::string(e.what()).find("vocabulary"), std::string::npos) << e.what();
  }
  const auto fox_long = corpus_of("fox_long.txt", "the quick brown fox jumps over the lazy dog. ", 32);
  auto short_context = mada::make_model({mada::ModelKind::Gpt, 16, 1, 2, 3}, *fox);
  EXPECT_THROW(mada::Trainer(short_context, fox_long, o), mada::Error);
  EXPECT_NO_THROW(mada::Trainer(short_context, fox, o));
}

// make_model draws the weights from its seed alone and leaves the global generator as it was:
// the same seed gives the same weights whatever ran before, and the caller's random stream
// goes on unchanged.
TEST(ModelFactory, TheSeedDecidesTheWeightsAndTheGlobalGeneratorIsLeftAlone) {
  torch::manual_seed(123);
  const auto expected_next = torch::rand({4});
  torch::manual_seed(123);
  auto first = mada::make_model({mada::ModelKind::Mlp, 16, 0, 0, 9}, *fashion());
  EXPECT_TRUE(torch::equal(torch::rand({4}), expected_next)) << "make_model moved the global generator";
  torch::manual_seed(456);
  auto second = mada::make_model({mada::ModelKind::Mlp, 16, 0, 0, 9}, *fashion());
  auto other_seed = mada::make_model({mada::ModelKind::Mlp, 16, 0, 0, 10}, *fashion());
  ASSERT_EQ(first->parameters().size(), second->parameters().size());
  for (size_t i = 0; i < first->parameters().size(); ++i)
    EXPECT_TRUE(torch::equal(first->parameters()[i], second->parameters()[i])) << i;
  EXPECT_FALSE(torch::equal(first->parameters()[0], other_seed->parameters()[0]));
  // Sizes left at 0 take the model's own defaults; bad ones are refused.
  EXPECT_EQ(mada::make_model({mada::ModelKind::Mlp, 0, 0, 0, 1}, *fashion())->parameter_count(),
            mada::Mlp(mada::MlpOptions{}).parameter_count());
  EXPECT_THROW(mada::make_model({mada::ModelKind::Cnn, -1, 0, 0, 1}, *fashion()), mada::Error);
  EXPECT_THROW(mada::make_model({mada::ModelKind::Gpt, 0, 0, 0, 1}, *fashion()), mada::Error);
}

}  // namespace
