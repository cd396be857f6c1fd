// The C ABI: statuses and last-error messages instead of exceptions, NULL-safe destroys,
// caller-owned buffers with size queries, and the same numbers as the C++ API.
#include "../testing/vector_replay.h"
#include "kernels/src/c_api/options_c.h"
#include "src/c_api/guard.h"

#include <mada/mada.h>

#include <c10/util/Exception.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <thread>

namespace {

std::string last_error() {
  std::string s(mada_last_error(nullptr, 0), '\0');
  mada_last_error(s.data(), s.size() + 1);
  return s;
}

struct Tensor {
  explicit Tensor(const std::vector<float>& data, std::vector<int64_t> shape) {
    EXPECT_EQ(mada_tensor_create(data.data(), data.size(), shape.data(), shape.size(), &handle), MADA_OK) << last_error();
  }
  ~Tensor() { mada_tensor_destroy(handle); }
  std::vector<float> read() const {
    size_t n = 0;
    EXPECT_EQ(mada_tensor_numel(handle, &n), MADA_OK);
    std::vector<float> out(n);
    EXPECT_EQ(mada_tensor_read(handle, out.data(), n), MADA_OK);
    return out;
  }
  mada_tensor* handle = nullptr;
};

mada_optimizer* make_optimizer(mada_preset preset = MADA_PRESET_MADA) {
  mada_options o;
  EXPECT_EQ(mada_options_preset(preset, &o), MADA_OK);
  mada_optimizer* opt = nullptr;
  EXPECT_EQ(mada_optimizer_create(&o, &opt), MADA_OK) << last_error();
  return opt;
}

TEST(CApi, VersionAndNullSafeDestroys) {
  EXPECT_EQ(mada_abi_version(), static_cast<uint32_t>(MADA_ABI_VERSION));
  mada_tensor_destroy(nullptr);
  mada_optimizer_destroy(nullptr);
}

TEST(CApi, PresetsCarryTheCppDefaults) {
  mada_options o;
  ASSERT_EQ(mada_options_preset(MADA_PRESET_YOGI, &o), MADA_OK);
  EXPECT_EQ(o.q0.c, 0.0);
  EXPECT_EQ(o.learn, 0u);
  EXPECT_EQ(o.eps, 1e-6);
  EXPECT_EQ(o.upper.beta2, 0.99);
  ASSERT_EQ(mada_options_preset(MADA_PRESET_MADA, &o), MADA_OK);
  EXPECT_EQ(o.learn, 0x3Fu);
  EXPECT_EQ(o.hyper_lr.gamma, 0.1);
  EXPECT_EQ(mada_options_preset(static_cast<mada_preset>(42), &o), MADA_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(last_error().find("preset"), std::string::npos);
}

TEST(CApi, BadOptionsGiveAStatusAndAMessage) {
  mada_options o;
  ASSERT_EQ(mada_options_preset(MADA_PRESET_MADA, &o), MADA_OK);
  o.lower.beta1 = 0.5;
  o.upper.beta1 = 0.4;
  mada_optimizer* opt = reinterpret_cast<mada_optimizer*>(0x1);
  EXPECT_EQ(mada_optimizer_create(&o, &opt), MADA_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(opt, reinterpret_cast<mada_optimizer*>(0x1)) << "out must be untouched on failure";
  EXPECT_NE(last_error().find("beta1"), std::string::npos) << last_error();
  EXPECT_EQ(mada_options_validate(&o), MADA_ERROR_INVALID_ARGUMENT);
  o.upper.beta1 = 0.9;
  o.mode = static_cast<mada_mode>(7);
  EXPECT_EQ(mada_options_validate(&o), MADA_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(mada_optimizer_create(nullptr, &opt), MADA_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(last_error().find("options is NULL"), std::string::npos);
}

// mada_distributed_options: one process by default; a run of several needs a store, and its
// options are checked before anything is joined or created.
TEST(CApi, DistributedOptionsDefaultToOneProcessAndAreChecked) {
  mada_trainer_options o;
  ASSERT_EQ(mada_trainer_options_default(&o), MADA_OK);
  EXPECT_EQ(o.distributed.rank, 0);
  EXPECT_EQ(o.distributed.world_size, 1);
  EXPECT_EQ(o.distributed.store, nullptr);
  EXPECT_EQ(o.distributed.shard_state, 0);
  EXPECT_GT(o.distributed.timeout_seconds, 0.0);

  mada_dataset* data = nullptr;
  ASSERT_EQ(mada_dataset_create_fashion_mnist("/usr/share/datasets/fashion-mnist", 500, &data), MADA_OK) << last_error();
  mada_model_options mo{MADA_MODEL_MLP, 16, 0, 0, 1};
  mada_model* model = nullptr;
  ASSERT_EQ(mada_model_create(&mo, data, &model), MADA_OK) << last_error();
  struct Case {
    int64_t rank, world_size;
    const char* store;
    int32_t shard;
    mada_optimizer_kind optimizer;
    mada_status status;
    const char* message;
  };
  const Case cases[] = {
      {0, 2, nullptr, 0, MADA_OPTIMIZER_MADA, MADA_ERROR_INVALID_ARGUMENT, "neither file:PATH nor tcp://HOST:PORT"},
      {2, 2, "file:/tmp/x", 0, MADA_OPTIMIZER_MADA, MADA_ERROR_INVALID_ARGUMENT, "rank must lie in [0, world_size)"},
      {0, 2, "tcp://host:99999", 0, MADA_OPTIMIZER_MADA, MADA_ERROR_INVALID_ARGUMENT, "no valid port"},
      {0, 2, "file:/tmp/x", 1, MADA_OPTIMIZER_SGD, MADA_ERROR_UNSUPPORTED, "MADA family"},
      // Alone too: a run that shards nothing alone would fail only once scaled out.
      {0, 1, nullptr, 1, MADA_OPTIMIZER_AMSGRAD, MADA_ERROR_UNSUPPORTED, "MADA family"},
  };
  for (const Case& c : cases) {
    mada_trainer_options bad = o;
    bad.optimizer = c.optimizer;
    bad.distributed.rank = c.rank;
    bad.distributed.world_size = c.world_size;
    bad.distributed.store = c.store;
    bad.distributed.shard_state = c.shard;
    mada_trainer* trainer = nullptr;
    EXPECT_EQ(mada_trainer_create(model, data, &bad, &trainer), c.status) << c.message;
    EXPECT_EQ(trainer, nullptr);
    EXPECT_NE(last_error().find(c.message), std::string::npos) << last_error();
  }
  mada_model_destroy(model);
  mada_dataset_destroy(data);
}

TEST(CApi, TensorsCopyInAndOutWithShapeQueries) {
  Tensor t({1, 2, 3, 4, 5, 6}, {2, 3});
  size_t ndim = 0;
  ASSERT_EQ(mada_tensor_shape(t.handle, nullptr, 0, &ndim), MADA_OK);
  EXPECT_EQ(ndim, 2u);
  int64_t small[1];
  EXPECT_EQ(mada_tensor_shape(t.handle, small, 1, &ndim), MADA_ERROR_BUFFER_TOO_SMALL);
  int64_t shape[2];
  ASSERT_EQ(mada_tensor_shape(t.handle, shape, 2, &ndim), MADA_OK);
  EXPECT_EQ(shape[0], 2);
  EXPECT_EQ(shape[1], 3);
  EXPECT_EQ(t.read(), (std::vector<float>{1, 2, 3, 4, 5, 6}));
  const float fresh[6] = {6, 5, 4, 3, 2, 1};
  EXPECT_EQ(mada_tensor_write(t.handle, fresh, 5), MADA_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(t.read(), (std::vector<float>{1, 2, 3, 4, 5, 6}));
  ASSERT_EQ(mada_tensor_write(t.handle, fresh, 6), MADA_OK);
  EXPECT_EQ(t.read(), (std::vector<float>{6, 5, 4, 3, 2, 1}));
  const int64_t negative[] = {-1};
  mada_tensor* bad = nullptr;
  EXPECT_EQ(mada_tensor_create(fresh, 6, negative, 1, &bad), MADA_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(bad, nullptr);
}

TEST(CApi, BadStepsReturnStatusesAndChangeNothing) {
  mada_optimizer* opt = make_optimizer();
  Tensor w({1, 2, 3, 4}, {2, 2});
  Tensor b({0.5f}, {1});
  mada_tensor* group[] = {w.handle, b.handle};
  ASSERT_EQ(mada_optimizer_add_group(opt, group, 2, 0.1, 0.0), MADA_OK) << last_error();
  EXPECT_EQ(mada_optimizer_add_group(opt, group, 1, 0.1, 0.0), MADA_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(last_error().find("already"), std::string::npos);
  EXPECT_EQ(mada_optimizer_add_group(opt, group, 2, -0.1, 0.0), MADA_ERROR_INVALID_ARGUMENT);

  Tensor gw({1, 1, 1, 1}, {2, 2});
  Tensor wrong({1, 1, 1}, {3});
  Tensor nan({NAN}, {1});
  mada_tensor* one[] = {gw.handle};
  EXPECT_EQ(mada_optimizer_step(opt, one, 1), MADA_ERROR_INVALID_ARGUMENT);
  mada_tensor* shapes[] = {gw.handle, wrong.handle};
  EXPECT_EQ(mada_optimizer_step(opt, shapes, 2), MADA_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(last_error().find("shape"), std::string::npos) << last_error();
  mada_tensor* nans[] = {gw.handle, nan.handle};
  EXPECT_EQ(mada_optimizer_step(opt, nans, 2), MADA_ERROR_NON_FINITE);
  int64_t steps = -1;
  ASSERT_EQ(mada_optimizer_step_count(opt, &steps), MADA_OK);
  EXPECT_EQ(steps, 0);
  EXPECT_EQ(w.read(), (std::vector<float>{1, 2, 3, 4}));

  mada_tensor* only_w[] = {gw.handle, nullptr};  // b has no gradient this step
  ASSERT_EQ(mada_optimizer_step(opt, only_w, 2), MADA_OK) << last_error();
  ASSERT_EQ(mada_optimizer_step_count(opt, &steps), MADA_OK);
  EXPECT_EQ(steps, 1);
  EXPECT_NE(w.read(), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(b.read(), (std::vector<float>{0.5f}));

  EXPECT_EQ(mada_optimizer_set_lr(opt, 3, 0.1), MADA_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(mada_optimizer_set_lr(opt, 0, NAN), MADA_ERROR_INVALID_ARGUMENT);
  double lr = 0;
  ASSERT_EQ(mada_optimizer_lr(opt, 0, &lr), MADA_OK);
  EXPECT_EQ(lr, 0.1);
  EXPECT_EQ(mada_optimizer_step(nullptr, nullptr, 0), MADA_ERROR_INVALID_ARGUMENT);
  mada_optimizer_destroy(opt);
}

// A group's weight decay set after creation is the weight decay the step uses: the same bits
// as an optimizer made with it. A bad value is refused and changes nothing.
TEST(CApi, AGroupsWeightDecayCanBeReadAndSet) {
  std::vector<std::vector<float>> results;
  for (bool set_later : {false, true}) {
    mada_optimizer* opt = make_optimizer();
    Tensor w({1, -2, 3, 0.5f}, {4});
    Tensor g({0.3f, -0.2f, 0.1f, 0.4f}, {4});
    mada_tensor* params[] = {w.handle};
    ASSERT_EQ(mada_optimizer_add_group(opt, params, 1, 0.05, set_later ? 0.0 : 0.25), MADA_OK);
    if (set_later) {
      ASSERT_EQ(mada_optimizer_set_weight_decay(opt, 0, 0.25), MADA_OK) << last_error();
      EXPECT_EQ(mada_optimizer_set_weight_decay(opt, 0, -1.0), MADA_ERROR_INVALID_ARGUMENT);
      EXPECT_EQ(mada_optimizer_set_weight_decay(opt, 1, 0.1), MADA_ERROR_INVALID_ARGUMENT);
    }
    double wd = 0;
    ASSERT_EQ(mada_optimizer_weight_decay(opt, 0, &wd), MADA_OK);
    EXPECT_EQ(wd, 0.25);
    mada_tensor* grads[] = {g.handle};
    for (int t = 0; t < 3; ++t) ASSERT_EQ(mada_optimizer_step(opt, grads, 1), MADA_OK) << last_error();
    results.push_back(w.read());
    mada_optimizer_destroy(opt);
  }
  EXPECT_EQ(results[0], results[1]);
}

// A failure inside libtorch is an internal error with libtorch's message, not the caller's
// bad argument: the caller's mistakes are all checked before libtorch runs.
TEST(CApi, ALibtorchFailureIsAnInternalError) {
  const mada_status status = mada::c_api::guarded_torch([] { TORCH_CHECK(false, "tensor broke"); });
  EXPECT_EQ(status, MADA_ERROR_INTERNAL);
  EXPECT_NE(last_error().find("tensor broke"), std::string::npos) << last_error();
  EXPECT_EQ(last_error().find("Exception raised from"), std::string::npos) << "no C++ backtrace";
}

// Caller errors are named as such, never INTERNAL ("a bug: please report"); an allocation the
// machine cannot serve (a valid request) is MADA_ERROR_OUT_OF_MEMORY.
TEST(CApi, CallerErrorsAreNotReportedAsBugs) {
  float value = 0.0f;
  mada_tensor* t = nullptr;
  const int64_t overflowing[] = {int64_t{1} << 62, 4};
  EXPECT_EQ(mada_tensor_create(&value, 0, overflowing, 2, &t), MADA_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(last_error().find("overflow"), std::string::npos) << last_error();
  const int64_t terabytes[] = {int64_t{1} << 40};  // 4 TB of floats
  EXPECT_EQ(mada_tensor_create(&value, size_t{1} << 40, terabytes, 1, &t), MADA_ERROR_OUT_OF_MEMORY) << last_error();
  EXPECT_EQ(last_error().find("Exception raised from"), std::string::npos) << "no C++ backtrace";
  EXPECT_EQ(t, nullptr);

  mada_dataset* data = nullptr;
  ASSERT_EQ(mada_dataset_create_fashion_mnist("/usr/share/datasets/fashion-mnist", 500, &data), MADA_OK) << last_error();
  mada_model_options wide{MADA_MODEL_MLP, INT64_MAX - 1, 0, 0, 1};
  mada_model* model = nullptr;
  EXPECT_EQ(mada_model_create(&wide, data, &model), MADA_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(last_error().find("width = 9223372036854775806"), std::string::npos) << last_error();
  EXPECT_EQ(model, nullptr);
  // The trainer's loader reads regular files only, as every loader does.
  mada_model_options small{MADA_MODEL_MLP, 16, 0, 0, 1};
  ASSERT_EQ(mada_model_create(&small, data, &model), MADA_OK) << last_error();
  mada_trainer_options to;
  ASSERT_EQ(mada_trainer_options_default(&to), MADA_OK);
  mada_trainer* trainer = nullptr;
  ASSERT_EQ(mada_trainer_create(model, data, &to, &trainer), MADA_OK) << last_error();
  EXPECT_EQ(mada_trainer_load(trainer, "/dev/zero"), MADA_ERROR_IO);
  EXPECT_NE(last_error().find("'/dev/zero': not a regular file"), std::string::npos) << last_error();
  mada_trainer_destroy(trainer);
  mada_model_destroy(model);
  mada_dataset_destroy(data);

  const std::string dir = ::testing::TempDir();
  for (const std::string& path : {dir, std::string("/dev/zero")}) {
    mada_dataset* text = nullptr;
    EXPECT_EQ(mada_dataset_create_text(path.c_str(), 16, 0.1, &text), MADA_ERROR_IO) << path;
    EXPECT_NE(last_error().find(path), std::string::npos) << last_error();
    EXPECT_EQ(text, nullptr);
  }
}

// A value the step would refuse is refused where it is set or added, naming value and limit,
// and changes nothing; a C# or TorchSharp scheduler writing it gets the error at its write.
TEST(CApi, AnOptimizersLimitsAreCheckedWhereValuesEnter) {
  mada_optimizer* opt = make_optimizer();
  Tensor p({1, 2, 3}, {3});
  mada_tensor* params[] = {p.handle};
  ASSERT_EQ(mada_optimizer_add_group(opt, params, 1, 1e-2, 0.01), MADA_OK) << last_error();
  EXPECT_EQ(mada_optimizer_set_lr(opt, 0, 1e30), MADA_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(last_error().find("lr = 1e+30 is above"), std::string::npos) << last_error();
  EXPECT_EQ(mada_optimizer_set_weight_decay(opt, 0, 300.0), MADA_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(last_error().find("lr x weight_decay = 3 is above 2"), std::string::npos) << last_error();
  double lr = 0, wd = 0;
  ASSERT_EQ(mada_optimizer_lr(opt, 0, &lr), MADA_OK);
  ASSERT_EQ(mada_optimizer_weight_decay(opt, 0, &wd), MADA_OK);
  EXPECT_EQ(lr, 1e-2);
  EXPECT_EQ(wd, 0.01);
  Tensor q({1, 2}, {2});
  mada_tensor* more[] = {q.handle};
  EXPECT_EQ(mada_optimizer_add_group(opt, more, 1, 1e30, 0.0), MADA_ERROR_INVALID_ARGUMENT);
  size_t groups = 0;
  ASSERT_EQ(mada_optimizer_group_count(opt, &groups), MADA_OK);
  EXPECT_EQ(groups, 1u);
  mada_optimizer_destroy(opt);
}

TEST(CApi, BuffersReportTheSizeTheyNeedAndCorruptBuffersAreRefused) {
  mada_optimizer* opt = make_optimizer();
  Tensor w({1, 2, 3}, {3});
  mada_tensor* params[] = {w.handle};
  ASSERT_EQ(mada_optimizer_add_group(opt, params, 1, 0.05, 0.0), MADA_OK);
  Tensor g({0.3f, -0.2f, 0.1f}, {3});
  mada_tensor* grads[] = {g.handle};
  ASSERT_EQ(mada_optimizer_step(opt, grads, 1), MADA_OK);
  size_t size = 0;
  ASSERT_EQ(mada_optimizer_save_buffer(opt, nullptr, 0, &size), MADA_OK);
  ASSERT_GT(size, 100u);
  std::vector<uint8_t> small(size / 2);
  size_t needed = 0;
  EXPECT_EQ(mada_optimizer_save_buffer(opt, small.data(), small.size(), &needed), MADA_ERROR_BUFFER_TOO_SMALL);
  EXPECT_EQ(needed, size);
  std::vector<uint8_t> bytes(size);
  ASSERT_EQ(mada_optimizer_save_buffer(opt, bytes.data(), bytes.size(), &size), MADA_OK);
  EXPECT_EQ(mada_optimizer_load_buffer(opt, bytes.data(), bytes.size() / 2), MADA_ERROR_CHECKPOINT);
  EXPECT_EQ(mada_optimizer_load_buffer(opt, bytes.data(), bytes.size()), MADA_OK) << last_error();
  EXPECT_EQ(mada_optimizer_load(opt, "/nonexistent/ckpt.pt"), MADA_ERROR_IO);
  mada_optimizer_destroy(opt);
}

TEST(CApi, TheLastErrorIsPerThread) {
  mada_options o;
  ASSERT_EQ(mada_options_preset(MADA_PRESET_MADA, &o), MADA_OK);
  o.eps = -1;
  ASSERT_EQ(mada_options_validate(&o), MADA_ERROR_INVALID_ARGUMENT);
  std::string other;
  std::thread([&] { other = last_error(); }).join();
  EXPECT_EQ(other, "");
  EXPECT_NE(last_error().find("eps"), std::string::npos);
  char tiny[4];
  EXPECT_EQ(mada_last_error(tiny, sizeof tiny), last_error().size());
  EXPECT_EQ(std::string(tiny), last_error().substr(0, 3));
}

// The C ABI replays a vector file to the same numbers as the C++ API.
TEST(CApi, ReplaysAVectorFileLikeTheCppApi) {
  const auto file = mada::testing::read_vector_file(std::string(MADA_VECTOR_DIR) + "/mada_mid_gradclip.json");
  mada::testing::VectorReplay cpp(file);
  // The file's options with its first lr, through the one C++ -> C conversion.
  mada_options o = mada::c_api::to_c(file.options.step());
  mada_optimizer* opt = nullptr;
  ASSERT_EQ(mada_optimizer_create(&o, &opt), MADA_OK) << last_error();
  std::vector<std::unique_ptr<Tensor>> params;
  for (const auto& t : file.tensors) {
    params.push_back(std::make_unique<Tensor>(t.x0, t.shape));
    mada_tensor* group[] = {params.back()->handle};
    ASSERT_EQ(mada_optimizer_add_group(opt, group, 1, file.steps[0].lr, t.weight_decay), MADA_OK);
  }
  for (const auto& step : file.steps) {
    ASSERT_EQ(cpp.run_step(step.t), "");
    std::vector<std::unique_ptr<Tensor>> grads;
    std::vector<mada_tensor*> handles;
    for (size_t i = 0; i < params.size(); ++i) {
      const auto x = torch::tensor(params[i]->read()).reshape(file.tensors[i].shape);
      const auto g = mada::testing::quadratic_gradient(file.tensors[i], file.noise[step.t - 1][i], x).contiguous();
      grads.push_back(std::make_unique<Tensor>(std::vector<float>(g.data_ptr<float>(), g.data_ptr<float>() + g.numel()),
                                               file.tensors[i].shape));
      handles.push_back(grads.back()->handle);
      ASSERT_EQ(mada_optimizer_set_lr(opt, i, step.lr), MADA_OK);
    }
    ASSERT_EQ(mada_optimizer_step(opt, handles.data(), handles.size()), MADA_OK) << last_error();
    for (size_t i = 0; i < params.size(); ++i) {
      const auto expected = cpp.params()[i].reshape({-1});
      EXPECT_TRUE(torch::equal(torch::tensor(params[i]->read()), expected)) << "step " << step.t;
    }
    mada_coefficients q;
    ASSERT_EQ(mada_optimizer_coefficients(opt, &q), MADA_OK);
    EXPECT_EQ(q.beta2, cpp.optimizer().coefficients().beta2);
  }
  mada_optimizer_destroy(opt);
}

}  // namespace
