#include "engine.h"

#include "../cpu/loop_table.h"
#include "../cpu/thread_pool.h"
#include "../math/hyper_step.h"
#include "../step/range_limits.h"

#include <mada/error.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>

namespace mada::kernels {

namespace {

// m, v, vbar, n, mL, the six D rows, and gprev in paper mode.
constexpr size_t kRowsBeforeDerivatives = 5;  // m, v, vbar, n, mL
constexpr int kRowsWithoutGprev = static_cast<int>(kRowsBeforeDerivatives + kCoefficientCount);
constexpr size_t kAlignment = 64;  // a cache line, and enough for any vector load

}  // namespace

std::string Engine::parameter_name(size_t index) { return "parameter " + std::to_string(index); }

void Engine::FreeAligned::operator()(void* p) const { std::free(p); }

Engine::Engine(const StepOptions& options) : options_(options), threads_(default_thread_count()) {
  options_.validate();
  active_loops();  // a MADA_CPU_KERNEL naming no variant, or a missing one, is refused here
  hyper_.q = project(options_.q0(), options_);
}

int Engine::state_rows() const { return kRowsWithoutGprev + (options_.mode() == Mode::Paper ? 1 : 0); }

size_t Engine::derivative_bytes(const Parameter& p) const {
  const size_t bytes = kCoefficientCount * static_cast<size_t>(p.numel) * derivative_element_size(p);
  return (bytes + 7) / 8 * 8;  // gprev after the derivatives stays aligned for float64
}

void Engine::zero_padding(const Parameter& p) const {
  // The derivative rows follow m, v, vbar, n and mL (bind_state); their padding ends them.
  const size_t used = kCoefficientCount * static_cast<size_t>(p.numel) * derivative_element_size(p);
  char* derivatives = p.state.get() + kRowsBeforeDerivatives * static_cast<size_t>(p.numel) * element_size(p);
  std::memset(derivatives + used, 0, derivative_bytes(p) - used);
}

size_t Engine::max_saved_bytes() const {
  // The header and per-group fields of engine_state_io.cpp, generously, and every state.
  size_t bytes = 256 + groups_.size() * 64;
  for (const Parameter& p : params_) bytes += 64 + state_bytes(p);
  return bytes;
}

size_t Engine::state_bytes(const Parameter& p) const {
  const size_t other_rows = static_cast<size_t>(state_rows()) - kCoefficientCount;
  return other_rows * static_cast<size_t>(p.numel) * element_size(p) + derivative_bytes(p);
}

void Engine::add_group(const int64_t* numels, size_t count, bool is_double, double lr, double weight_decay) {
  // As mada::Mada and torch's optimizers: a group without parameters is a caller's mistake.
  if (count == 0) fail(ErrorKind::InvalidArgument, "a parameter group needs at least one parameter");
  if (numels == nullptr) fail(ErrorKind::InvalidArgument, "numels is NULL");
  check_group_scalars(options_, lr, weight_decay, is_double, groups_.size(), ErrorKind::InvalidArgument);
  const size_t elem = is_double ? 8 : 4;  // an upper bound of the bytes per state element
  const size_t rows = static_cast<size_t>(state_rows());
  for (size_t i = 0; i < count; ++i) {
    if (numels[i] <= 0)
      fail(ErrorKind::InvalidArgument, "element count " + std::to_string(numels[i]) + " of new parameter " +
                                           std::to_string(i) + " is not positive");
    if (static_cast<uint64_t>(numels[i]) > std::numeric_limits<size_t>::max() / (rows * elem))
      fail(ErrorKind::InvalidArgument, "new parameter " + std::to_string(i) + " is too large");
  }
  // Allocate all of the group's state before registering any of it (state_bytes reads the
  // group, so it is pushed first and popped again if anything fails).
  std::vector<Parameter> added;
  added.reserve(count);
  const size_t group = groups_.size();
  for (size_t i = 0; i < count; ++i) added.push_back(Parameter{group, numels[i], false, nullptr});
  groups_.push_back(Group{lr, weight_decay, is_double});
  try {
    params_.reserve(params_.size() + count);
    for (size_t i = 0; i < added.size(); ++i) {
      Parameter& p = added[i];
      const size_t rounded = (state_bytes(p) + kAlignment - 1) / kAlignment * kAlignment;
      void* memory = std::aligned_alloc(kAlignment, rounded);
      if (memory == nullptr)
        fail(ErrorKind::OutOfMemory, "out of memory: " + std::to_string(rounded) +
                                         " bytes of optimizer state for new parameter " + std::to_string(i) +
                                         " could not be allocated; nothing was added");
      p.state.reset(static_cast<char*>(memory));
      zero_padding(p);
    }
    ranges_.reserve(params_.size() + count);
    step_.slots.reserve(params_.size() + count);
    step_.group_lr.reserve(groups_.size());
  } catch (...) {
    groups_.pop_back();
    throw;
  }
  for (auto& p : added) params_.push_back(std::move(p));
}

double Engine::lr(size_t group) const {
  if (group >= groups_.size())
    fail(ErrorKind::InvalidArgument, "group " + std::to_string(group) + " does not exist (" +
                                         std::to_string(groups_.size()) + " groups)");
  return groups_[group].lr;
}

void Engine::set_lr(size_t group, double lr) {
  const double wd = weight_decay(group);  // checks the index
  check_group_scalars(options_, lr, wd, groups_[group].is_double, group, ErrorKind::InvalidArgument);
  groups_[group].lr = lr;
}

double Engine::weight_decay(size_t group) const {
  lr(group);  // checks the index
  return groups_[group].weight_decay;
}

void Engine::set_weight_decay(size_t group, double weight_decay) {
  check_group_scalars(options_, lr(group), weight_decay, groups_[group].is_double, group, ErrorKind::InvalidArgument);
  groups_[group].weight_decay = weight_decay;
}

void Engine::set_threads(int threads) {
  if (threads < 0) fail(ErrorKind::InvalidArgument, "threads = " + std::to_string(threads) + " (must be >= 0)");
  threads_ = threads == 0 ? default_thread_count() : threads;
}

void Engine::set_coefficients(const Coefficients& q) {
  for (std::size_t k = 0; k < kCoefficientCount; ++k) {
    if (!std::isfinite(q[k]))
      fail(ErrorKind::InvalidArgument, std::string("coefficient ") + kCoefficientNames[k] + " is not finite");
  }
  hyper_.q = project(q, options_);
}

void Engine::bind_state(TensorSlot& slot, const Parameter& p, const char* saved) const {
  char* base = const_cast<char*>(saved);  // slots are mutable; a checked load only reads
  const size_t row = static_cast<size_t>(p.numel) * element_size(p);
  void** rows[kRowsBeforeDerivatives] = {&slot.m, &slot.v, &slot.vbar, &slot.n, &slot.mL};
  for (size_t r = 0; r < std::size(rows); ++r) *rows[r] = base + r * row;
  slot.d = base + std::size(rows) * row;  // kCoefficientCount rows
  slot.compact = options_.compact_state();
  slot.gprev = options_.mode() == Mode::Paper ? base + std::size(rows) * row + derivative_bytes(p) : nullptr;
}

void Engine::check_step_input(void* const* params, const void* const* grads, size_t count) {
  if (count != params_.size())
    fail(ErrorKind::InvalidArgument, "step got " + std::to_string(count) + " parameters, the engine has " +
                                         std::to_string(params_.size()));
  if (count == 0) return;
  if (params == nullptr) fail(ErrorKind::InvalidArgument, "params is NULL");
  if (grads == nullptr) fail(ErrorKind::InvalidArgument, "grads is NULL");
  ranges_.clear();
  for (size_t i = 0; i < count; ++i) {
    if (params[i] == nullptr) fail(ErrorKind::InvalidArgument, parameter_name(i) + " is NULL");
    const size_t align = element_size(params_[i]);
    if (reinterpret_cast<uintptr_t>(params[i]) % align != 0 ||
        (grads[i] != nullptr && reinterpret_cast<uintptr_t>(grads[i]) % align != 0))
      fail(ErrorKind::InvalidArgument, parameter_name(i) + " or its gradient is not aligned to its element type");
    ranges_.add(params[i], static_cast<uint64_t>(params_[i].numel) * align, i);
  }
  ranges_.require_disjoint();
  for (size_t i = 0; i < count; ++i) {
    if (grads[i] == nullptr) continue;
    const auto other = ranges_.gradient_overlap(grads[i], static_cast<uint64_t>(params_[i].numel) * element_size(params_[i]), i);
    if (other >= 0)
      fail(ErrorKind::InvalidArgument, "the gradient of " + parameter_name(i) + " overlaps the memory of " +
                                           (static_cast<size_t>(other) == i ? "its own parameter, shifted"
                                                                            : parameter_name(static_cast<size_t>(other))) +
                                           "; a gradient must be a buffer of its own or exactly its parameter's");
  }
}

void Engine::step(void* const* params, const void* const* grads, size_t count) {
  check_step_input(params, grads, count);
  step_.slots.clear();
  step_.group_lr.clear();
  for (const Group& g : groups_) step_.group_lr.push_back(g.lr);
  for (size_t i = 0; i < count; ++i) {
    const Parameter& p = params_[i];
    if (grads[i] == nullptr && !p.has_state) continue;
    const Group& group = groups_[p.group];
    TensorSlot slot;
    slot.p = params[i];
    slot.g = grads[i];
    slot.numel = p.numel;
    slot.group = static_cast<int>(p.group);
    slot.is_double = group.is_double;
    slot.fresh = !p.has_state;
    slot.lr = group.lr;
    slot.decay = group.lr * group.weight_decay;
    bind_state(slot, p, p.state.get());
    step_.slots.push_back(slot);
  }
  const PoolParallel parallel(threads_);
  if (step_.begin(hyper_, options_, parallel) != CpuStep::Start::Update) return;
  step_.finish(hyper_, options_, parallel);
  for (size_t i = 0; i < count; ++i) {
    if (grads[i] != nullptr) params_[i].has_state = true;
  }
}

}  // namespace mada::kernels
