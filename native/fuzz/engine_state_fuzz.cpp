// mada_engine_load_buffer on any bytes, into an engine of each state layout (paper or reference
// mode, full or compact state; odd element counts, so the compact rows end in padding): a
// refusal that changes nothing, or a state that saves again byte for byte, loads into a twin,
// and steps without carrying a parameter to NaN or Inf. Any other outcome, crash, leak or
// undefined behaviour is a finding. Links the kernel core alone.
//
// Input: byte 0 picks the layout, byte 1 whether the rest is sealed in a valid envelope (the
// state parser and its checks) or taken as it is (the envelope's own checks).
#include "kernels/src/io/envelope.h"

#include <mada/mada_kernels.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

namespace {

constexpr const char* kMagic = "MADAENG1";
const int64_t kNumels[] = {5, 3};

struct Layout {
  mada_engine* engine = nullptr;
  std::vector<std::vector<float>> x{std::vector<float>(5, 0.5f), std::vector<float>(3, -0.25f)};

  Layout(mada_mode mode, bool compact) {
    mada_options o{};
    if (mada_options_preset(MADA_PRESET_MADA, &o) != MADA_OK) std::abort();
    o.mode = mode;
    o.compact_state = compact;
    engine = make(o);
    for (int t = 1; t <= 2; ++t) step(engine);
    write_seed(mode, compact);
  }

  static mada_engine* make(const mada_options& o) {
    mada_engine* e = nullptr;
    if (mada_engine_create(&o, &e) != MADA_OK || mada_engine_add_group(e, kNumels, 2, MADA_DTYPE_FLOAT32, 0.02, 0.01) != MADA_OK)
      std::abort();
    return e;
  }

  // A step with finite gradients from the same parameters every time (so an input's outcome
  // does not depend on the inputs before it); a refusal is fine, a parameter not finite
  // afterwards is not. (Over many steps an lr near its limit can still carry parameters past
  // the range: each step moves them by up to a quarter of it. That is divergence, not a
  // stored non-finite value.)
  void step(mada_engine* e) {
    x = {std::vector<float>(5, 0.5f), std::vector<float>(3, -0.25f)};
    std::vector<std::vector<float>> g = x;
    for (auto& row : g)
      for (float& v : row) v = 0.5f * v + 0.1f;
    void* params[] = {x[0].data(), x[1].data()};
    const void* grads[] = {g[0].data(), g[1].data()};
    if (mada_engine_step(e, params, grads, 2) != MADA_OK) return;
    for (const auto& row : x)
      for (float v : row)
        if (!std::isfinite(v)) __builtin_trap();
  }

  std::string saved() const {
    size_t size = 0;
    if (mada_engine_save_buffer(engine, nullptr, 0, &size) != MADA_OK) __builtin_trap();
    std::string bytes(size, '\0');
    if (mada_engine_save_buffer(engine, reinterpret_cast<uint8_t*>(bytes.data()), size, &size) != MADA_OK) __builtin_trap();
    return bytes;
  }

  // With MADA_FUZZ_SEEDS=dir, each layout's valid state as an input that reaches the parser.
  void write_seed(mada_mode mode, bool compact) const {
    const char* dir = std::getenv("MADA_FUZZ_SEEDS");
    if (dir == nullptr) return;
    const std::string bytes = saved();
    const auto payload = mada::kernels::unseal(kMagic, bytes.data(), bytes.size());
    const char head[2] = {static_cast<char>(mode * 2 + compact), 1};
    std::ofstream(std::string(dir) + "/engine_state_" + (mode ? "reference" : "paper") + (compact ? "_compact" : ""),
                  std::ios::binary)
        << std::string(head, 2) << std::string(payload.data, payload.size);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Layout layouts[] = {{MADA_MODE_PAPER, false}, {MADA_MODE_PAPER, true},
                             {MADA_MODE_REFERENCE, false}, {MADA_MODE_REFERENCE, true}};
  if (size < 2) return 0;
  Layout& l = layouts[data[0] % 4];
  std::string bytes(reinterpret_cast<const char*>(data + 2), size - 2);
  if (data[1] & 1) bytes = mada::kernels::seal(kMagic, bytes);
  const std::string before = l.saved();
  if (mada_engine_load_buffer(l.engine, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()) != MADA_OK) {
    if (l.saved() != before) __builtin_trap();  // a refused load changed something
    return 0;
  }
  // What the engine holds now is a state like any other: it saves the same bytes twice, and
  // a twin engine of the same options takes it.
  const std::string held = l.saved();
  if (held != l.saved()) __builtin_trap();
  mada_options o{};
  if (mada_options_preset(MADA_PRESET_MADA, &o) != MADA_OK) std::abort();
  o.mode = static_cast<mada_mode>((data[0] % 4) / 2);
  o.compact_state = data[0] % 2;
  mada_engine* twin = Layout::make(o);
  if (mada_engine_load_buffer(twin, reinterpret_cast<const uint8_t*>(held.data()), held.size()) != MADA_OK) __builtin_trap();
  mada_engine_destroy(twin);
  l.step(l.engine);
  return 0;
}
