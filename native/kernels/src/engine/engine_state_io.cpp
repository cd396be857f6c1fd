// The engine's saved state: a flat little-endian record inside the kernel core's envelope.
//
//   u32 format, u32 mode, u32 compact (format 2 on), i64 t, i64 skipped, f64 q[6], f64 h[6], f64 grad_norm,
//   u64 groups, per group: u32 is_double, f64 lr, f64 weight_decay, f64 prev_lr,
//   u64 parameters, per parameter: u64 group, i64 numel, u8 has_state, then its state rows.
#include "engine.h"

#include "../io/byte_stream.h"
#include "../io/envelope.h"
#include "../step/loaded_state.h"
#include "../step/range_limits.h"

#include <mada/error.h>

#include <cstring>

namespace mada::kernels {

namespace {

constexpr const char* kMagic = "MADAENG1";
constexpr uint32_t kFormat = 2;  // 2 added the compact-state flag; 1 is read as not compact

void put_coefficients(ByteWriter& w, const Coefficients& c) {
  for (std::size_t k = 0; k < kCoefficientCount; ++k) w.put(c[k]);
}

Coefficients get_coefficients(ByteReader& r, const char* what) {
  Coefficients c;
  for (std::size_t k = 0; k < kCoefficientCount; ++k) c[k] = r.get<double>(what);
  return c;
}

}  // namespace

std::string Engine::save() const {
  ByteWriter w;
  w.put(kFormat);
  w.put(static_cast<uint32_t>(options_.mode()));
  w.put(static_cast<uint32_t>(options_.compact_state()));
  w.put(hyper_.t);
  w.put(hyper_.skipped);
  put_coefficients(w, hyper_.q);
  put_coefficients(w, hyper_.h);
  w.put(hyper_.grad_norm);
  w.put(static_cast<uint64_t>(groups_.size()));
  for (size_t g = 0; g < groups_.size(); ++g) {
    w.put(static_cast<uint32_t>(groups_[g].is_double));
    w.put(groups_[g].lr);
    w.put(groups_[g].weight_decay);
    w.put(g < hyper_.prev_lr.size() ? hyper_.prev_lr[g] : 0.0);
  }
  w.put(static_cast<uint64_t>(params_.size()));
  for (const Parameter& p : params_) {
    w.put(static_cast<uint64_t>(p.group));
    w.put(p.numel);
    w.put(static_cast<uint8_t>(p.has_state));
    if (p.has_state) w.put_bytes(p.state.get(), state_bytes(p));
  }
  return seal(kMagic, w.bytes());
}

void Engine::load(const char* data, size_t size) {
  const Payload payload = unseal(kMagic, data, size);
  ByteReader r(payload.data, payload.size, "engine state");
  // Read and check everything into locals first: a bad state changes nothing.
  const uint32_t format = r.get<uint32_t>("the header");
  if (format != kFormat && format != 1)
    fail(ErrorKind::Checkpoint, "engine state format " + std::to_string(format) + " is not a supported format (1 or " +
                                    std::to_string(kFormat) + ")");
  const uint32_t mode = r.get<uint32_t>("the header");
  if (mode > 1) fail(ErrorKind::Checkpoint, "engine state is corrupt: its mode field holds " + std::to_string(mode) +
                                                ", neither paper (0) nor reference (1)");
  if (mode != static_cast<uint32_t>(options_.mode()))
    fail(ErrorKind::Checkpoint, std::string("engine state was saved in ") + (mode == 0 ? "paper" : "reference") +
                                    " mode, this engine runs in the other mode");
  const uint32_t compact = format >= 2 ? r.get<uint32_t>("the header") : 0;
  if (compact > 1 || (compact == 1) != options_.compact_state())
    fail(ErrorKind::Checkpoint, std::string("engine state keeps its derivatives in ") +
                                    (compact == 1 ? "bfloat16 (compact_state)" : compact == 0 ? "full precision" : "an unknown format") +
                                    ", this engine in " + (options_.compact_state() ? "bfloat16" : "full precision"));
  HyperState hyper;
  hyper.t = r.get<int64_t>("the step count");
  hyper.skipped = r.get<int64_t>("the step count");
  hyper.q = get_coefficients(r, "the coefficients");
  hyper.h = get_coefficients(r, "the hypergradient");
  hyper.grad_norm = r.get<double>("the gradient norm");
  const uint64_t groups = r.get<uint64_t>("the groups");
  if (groups != groups_.size())
    fail(ErrorKind::Checkpoint, "engine state has " + std::to_string(groups) + " parameter groups, this engine has " +
                                    std::to_string(groups_.size()));
  std::vector<Group> new_groups = {};
  new_groups.reserve(groups_.size());
  for (size_t g = 0; g < groups_.size(); ++g) {
    const bool is_double = r.get<uint32_t>("the groups") != 0;
    const double lr = r.get<double>("the groups"), wd = r.get<double>("the groups");
    const double prev = r.get<double>("the groups");
    if (is_double != groups_[g].is_double)
      fail(ErrorKind::Checkpoint, "group " + std::to_string(g) + " holds " + (is_double ? "float64" : "float32") +
                                      " parameters in the engine state, " + (groups_[g].is_double ? "float64" : "float32") +
                                      " in this engine");
    const std::string problem = loaded_group_problem(options_, lr, wd, prev, is_double);
    if (!problem.empty()) fail(ErrorKind::Checkpoint, "engine state group " + std::to_string(g) + ": " + problem);
    new_groups.push_back(Group{lr, wd, is_double});
    hyper.prev_lr.push_back(prev);
  }
  const uint64_t count = r.get<uint64_t>("the parameters");
  if (count != params_.size())
    fail(ErrorKind::Checkpoint, "engine state has " + std::to_string(count) + " parameters, this engine has " +
                                    std::to_string(params_.size()));
  std::vector<const char*> states(params_.size(), nullptr);
  for (size_t i = 0; i < params_.size(); ++i) {
    const uint64_t group = r.get<uint64_t>("the parameters");
    const int64_t numel = r.get<int64_t>("the parameters");
    const uint8_t has_state = r.get<uint8_t>("the parameters");
    if (group != params_[i].group || numel != params_[i].numel)
      fail(ErrorKind::Checkpoint, parameter_name(i) + " has " + std::to_string(params_[i].numel) + " elements in group " +
                                      std::to_string(params_[i].group) + ", the engine state's has " + std::to_string(numel) +
                                      " in group " + std::to_string(group));
    if (has_state > 1) fail(ErrorKind::Checkpoint, "engine state is corrupt at " + parameter_name(i));
    if (has_state) {
      states[i] = r.take(state_bytes(params_[i]), "the state buffers");
      TensorSlot saved;
      saved.numel = params_[i].numel;
      saved.is_double = groups_[params_[i].group].is_double;
      bind_state(saved, params_[i], states[i]);
      check_loaded_state(saved, options_.mode(), "engine state of " + parameter_name(i));
    }
  }
  r.expect_end();
  check_loaded_hyper(hyper, options_, hyper_.q);

  // Commit.
  for (size_t i = 0; i < params_.size(); ++i) {
    params_[i].has_state = states[i] != nullptr;
    if (states[i] != nullptr) {
      std::memcpy(params_[i].state.get(), states[i], state_bytes(params_[i]));
      zero_padding(params_[i]);  // whatever an earlier version left there
    }
  }
  groups_ = std::move(new_groups);
  hyper_ = std::move(hyper);
}

}  // namespace mada::kernels
