// The C ABI driven by a sequence of calls decoded from the fuzz input: create and destroy
// optimizers and tensors, add groups, step with odd gradients (wrong shapes, NULLs, NaN, huge
// values), set learning rates, save and load (intact or with a byte flipped), read the
// results, in any order. Every call must return a status; a crash, a leak, undefined
// behaviour or a non-finite coefficient is a finding.
#include "fuzz_input.h"

#include <mada/mada.h>

#include <cmath>
#include <vector>

namespace {

constexpr size_t kMaxTensors = 6;

// A float from the input: mostly small and ordinary, sometimes any bit pattern at all.
float element(mada::fuzz::Input& in) {
  const uint8_t how = in.byte();
  if (how < 224) return static_cast<float>(static_cast<int8_t>(in.byte())) / 16.0f;
  return in.value<float>();
}

struct Session {
  mada::fuzz::Input& in;
  mada_optimizer* opt = nullptr;
  std::vector<mada_tensor*> tensors;
  std::vector<uint8_t> saved;

  ~Session() {
    mada_optimizer_destroy(opt);
    for (mada_tensor* t : tensors) mada_tensor_destroy(t);
  }

  mada_tensor* pick() { return tensors.empty() ? nullptr : tensors[in.byte() % tensors.size()]; }

  void create_optimizer() {
    mada_options o;
    if (mada_options_preset(static_cast<mada_preset>(in.byte() % 9), &o) != MADA_OK) return;
    const uint8_t flags = in.byte();
    o.mode = (flags & 1) ? MADA_MODE_REFERENCE : MADA_MODE_PAPER;
    o.non_finite = (flags & 2) ? MADA_NON_FINITE_SKIP : MADA_NON_FINITE_ERROR;
    o.grad_clip = (flags >> 2) % 3 * 0.5;
    if (flags & 0x20) o.lr = in.value<double>();
    mada_optimizer* created = nullptr;
    if (mada_optimizer_create(&o, &created) == MADA_OK) {
      mada_optimizer_destroy(opt);
      opt = created;
    }
  }

  void create_tensor() {
    const size_t ndim = in.byte() % 3;
    int64_t shape[2] = {1 + in.byte() % 5, 1 + in.byte() % 5};
    size_t count = 1;
    for (size_t d = 0; d < ndim; ++d) count *= static_cast<size_t>(shape[d]);
    std::vector<float> values(count);
    for (float& v : values) v = element(in);
    mada_tensor* t = nullptr;
    if (mada_tensor_create(values.data(), count, shape, ndim, &t) != MADA_OK) return;
    if (tensors.size() == kMaxTensors) {
      mada_tensor_destroy(tensors.front());
      tensors.erase(tensors.begin());
    }
    tensors.push_back(t);
  }

  void add_group() {
    std::vector<mada_tensor*> group(in.byte() % 4);
    for (auto& t : group) t = pick();
    const double lr = (in.byte() & 1) ? in.value<double>() : 0.01;
    const double wd = (in.byte() & 1) ? in.value<double>() : 0.0;
    (void)mada_optimizer_add_group(opt, group.data(), group.size(), lr, wd);
  }

  void step() {
    size_t count = 0;
    if (mada_optimizer_parameter_count(opt, &count) != MADA_OK) count = 0;
    if (in.byte() % 8 == 0) count += 1;  // sometimes the wrong count
    std::vector<mada_tensor*> grads(count);
    for (auto& g : grads) g = (in.byte() % 5 == 0) ? nullptr : pick();
    (void)mada_optimizer_step(opt, grads.data(), grads.size());
  }

  void save() {
    size_t size = 0;
    if (mada_optimizer_save_buffer(opt, nullptr, 0, &size) != MADA_OK) return;
    saved.assign(size, 0);
    if (mada_optimizer_save_buffer(opt, saved.data(), saved.size(), &size) != MADA_OK) saved.clear();
  }

  void load() {
    std::vector<uint8_t> bytes = saved;
    if (!bytes.empty() && (in.byte() & 1)) bytes[in.value<uint16_t>() % bytes.size()] ^= 1 + in.byte() % 255;
    (void)mada_optimizer_load_buffer(opt, bytes.data(), bytes.size());
  }

  void read() {
    mada_coefficients q, h;
    int64_t n;
    double x;
    size_t groups = 0;
    if (mada_optimizer_coefficients(opt, &q) == MADA_OK) {
      for (double v : {q.beta1, q.beta2, q.beta3, q.rho, q.c, q.gamma})
        if (!std::isfinite(v)) __builtin_trap();  // nothing non-finite is ever stored
    }
    (void)mada_optimizer_hypergradient(opt, &h);
    (void)mada_optimizer_step_count(opt, &n);
    (void)mada_optimizer_skipped_steps(opt, &n);
    (void)mada_optimizer_grad_norm(opt, &x);
    (void)mada_optimizer_group_count(opt, &groups);
    (void)mada_optimizer_lr(opt, in.byte() % 4, &x);
    char message[64];
    (void)mada_last_error(message, sizeof message);
  }

  void run() {
    while (!in.empty()) {
      switch (in.byte() % 10) {
        case 0: create_optimizer(); break;
        case 1: create_tensor(); break;
        case 2: add_group(); break;
        case 3: step(); break;
        case 4: save(); break;
        case 5: load(); break;
        case 6: (void)mada_optimizer_set_lr(opt, in.byte() % 4, in.value<double>()); break;
        case 7:
          if (!tensors.empty()) {
            const size_t i = in.byte() % tensors.size();
            mada_tensor_destroy(tensors[i]);
            tensors.erase(tensors.begin() + static_cast<std::ptrdiff_t>(i));
          }
          break;
        case 8: read(); break;
        case 9:
          mada_optimizer_destroy(opt);
          opt = nullptr;
          break;
      }
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mada::fuzz::Input in(data, size);
  Session{in}.run();
  return 0;
}
