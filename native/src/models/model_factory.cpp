#include <mada/models/model_factory.h>

#include <mada/data/char_corpus.h>
#include <mada/error.h>
#include <mada/models/cnn.h>
#include <mada/models/gpt.h>
#include <mada/models/mlp.h>

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/core/Generator.h>

#include <mutex>
#include <string>

namespace mada {

namespace {

// The largest width, layer or head count a model takes: 2^20. Above it a size is a caller's
// mistake (a layer's element count would overflow before any allocation could be tried);
// below it, a model too large for the memory fails as out of memory.
constexpr int64_t kMaxModelSize = int64_t{1} << 20;

// A size given by the user, or the model's default when 0.
int64_t size_or(int64_t value, int64_t fallback, const char* name) {
  if (value < 0 || value > kMaxModelSize)
    fail(ErrorKind::InvalidArgument, std::string(name) + " = " + std::to_string(value) + " (must lie in [0, " +
                                         std::to_string(kMaxModelSize) + "]; 0 takes the default)");
  return value == 0 ? fallback : value;
}

// Seeds libtorch's default CPU generator for the duration of a model's construction and puts
// its state back afterwards, so making a model is not a process-wide side effect. The
// generator's own mutex is taken only around each state change: the layers' initialisers take
// it too while drawing, so holding it across construction would deadlock. Our own mutex keeps
// two models made at once from drawing from one another's seed.
class SeededGenerator {
 public:
  explicit SeededGenerator(uint64_t seed) : generator_(at::detail::getDefaultCPUGenerator()), building_(mutex()) {
    const std::lock_guard<std::mutex> lock(generator_.mutex());
    saved_ = generator_.get_state();
    generator_.set_current_seed(seed);
  }
  ~SeededGenerator() {
    const std::lock_guard<std::mutex> lock(generator_.mutex());
    generator_.set_state(saved_);
  }
  SeededGenerator(const SeededGenerator&) = delete;
  SeededGenerator& operator=(const SeededGenerator&) = delete;

 private:
  static std::mutex& mutex() {
    static std::mutex m;
    return m;
  }
  at::Generator generator_;
  std::lock_guard<std::mutex> building_;
  at::Tensor saved_;
};

std::shared_ptr<Model> make_image_model(const ModelSpec& spec, const Dataset& data) {
  if (data.kind() != "images")
    fail(ErrorKind::InvalidArgument, "MLP and CNN models need image data, the dataset is " + data.kind());
  if (spec.kind == ModelKind::Mlp) {
    MlpOptions o;
    const int64_t width = size_or(spec.width, o.hidden.front(), "width");
    o.hidden = {width, std::max<int64_t>(1, width / 2)};
    o.classes = data.classes();
    return std::make_shared<Mlp>(o);
  }
  CnnOptions o;
  o.width = size_or(spec.width, o.width, "width");
  o.classes = data.classes();
  return std::make_shared<Cnn>(o);
}

std::shared_ptr<Model> make_gpt(const ModelSpec& spec, const Dataset& data) {
  const auto* corpus = dynamic_cast<const CharCorpus*>(&data);
  if (corpus == nullptr) fail(ErrorKind::InvalidArgument, "a GPT model needs text data, the dataset is " + data.kind());
  auto o = GptOptions::Small(corpus->classes());
  o.context = corpus->context();
  o.width = size_or(spec.width, o.width, "width");
  o.layers = size_or(spec.layers, o.layers, "layers");
  o.heads = size_or(spec.heads, o.heads, "heads");
  return std::make_shared<Gpt>(o);
}

}  // namespace

std::shared_ptr<Model> make_model(const ModelSpec& spec, const Dataset& data) {
  const SeededGenerator seeded(spec.seed);
  switch (spec.kind) {
    case ModelKind::Mlp:
    case ModelKind::Cnn: return make_image_model(spec, data);
    case ModelKind::Gpt: return make_gpt(spec, data);
  }
  fail(ErrorKind::InvalidArgument, "unknown model kind " + std::to_string(static_cast<int>(spec.kind)));
}

}  // namespace mada
