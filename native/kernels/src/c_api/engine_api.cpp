// mada_engine: the kernel core's Engine behind the C ABI.
#include "guard.h"
#include "options_c.h"

#include "../cpu/loop_table.h"
#include "../engine/engine.h"
#include "../io/files.h"

#include <mada/error.h>

#include <cstring>
#include <memory>

struct mada_engine {
  mada::kernels::Engine engine;
};

namespace {

using mada::ErrorKind;
using mada::fail;
using mada::c_api::guarded;
using mada::c_api::require_non_null;

// Runs body on the engine after checking the handle and the out-pointer.
template <typename Engine, typename Out, typename Body>
mada_status read(Engine* e, Out* out, Body&& body) {
  return guarded([&] {
    require_non_null(e, "engine");
    require_non_null(out, "out");
    *out = body(e->engine);
  });
}

template <typename Body>
mada_status change(mada_engine* e, Body&& body) {
  return guarded([&] {
    require_non_null(e, "engine");
    body(e->engine);
  });
}

}  // namespace

extern "C" {

mada_status mada_cpu_kernel(char* buffer, size_t capacity, size_t* length) noexcept {
  return guarded([&] {
    require_non_null(length, "length");
    const char* name = mada::kernels::active_loops().name;
    *length = std::strlen(name);
    mada::c_api::copy_truncated(name, *length, buffer, capacity);
  });
}

mada_status mada_engine_create(const mada_options* options, mada_engine** out) noexcept {
  return guarded([&] {
    require_non_null(options, "options");
    require_non_null(out, "out");
    *out = new mada_engine{mada::kernels::Engine(mada::c_api::from_c(*options))};
  });
}

void mada_engine_destroy(mada_engine* engine) noexcept { delete engine; }

mada_status mada_engine_add_group(mada_engine* engine, const int64_t* numels, size_t count, mada_dtype dtype,
                                  double lr, double weight_decay) noexcept {
  return change(engine, [&](mada::kernels::Engine& e) {
    const int type = mada::c_api::c_enum(dtype);
    if (type != MADA_DTYPE_FLOAT32 && type != MADA_DTYPE_FLOAT64)
      fail(ErrorKind::InvalidArgument, "unknown dtype " + std::to_string(type));
    e.add_group(numels, count, type == MADA_DTYPE_FLOAT64, lr, weight_decay);
  });
}

mada_status mada_engine_group_count(const mada_engine* engine, size_t* out) noexcept {
  return read(engine, out, [](const mada::kernels::Engine& e) { return e.group_count(); });
}

mada_status mada_engine_parameter_count(const mada_engine* engine, size_t* out) noexcept {
  return read(engine, out, [](const mada::kernels::Engine& e) { return e.parameter_count(); });
}

mada_status mada_engine_lr(const mada_engine* engine, size_t group, double* out) noexcept {
  return read(engine, out, [&](const mada::kernels::Engine& e) { return e.lr(group); });
}

mada_status mada_engine_set_lr(mada_engine* engine, size_t group, double lr) noexcept {
  return change(engine, [&](mada::kernels::Engine& e) { e.set_lr(group, lr); });
}

mada_status mada_engine_weight_decay(const mada_engine* engine, size_t group, double* out) noexcept {
  return read(engine, out, [&](const mada::kernels::Engine& e) { return e.weight_decay(group); });
}

mada_status mada_engine_set_weight_decay(mada_engine* engine, size_t group, double weight_decay) noexcept {
  return change(engine, [&](mada::kernels::Engine& e) { e.set_weight_decay(group, weight_decay); });
}

mada_status mada_engine_set_threads(mada_engine* engine, int32_t threads) noexcept {
  return change(engine, [&](mada::kernels::Engine& e) { e.set_threads(threads); });
}

mada_status mada_engine_step(mada_engine* engine, void* const* params, const void* const* grads, size_t count) noexcept {
  return change(engine, [&](mada::kernels::Engine& e) { e.step(params, grads, count); });
}

mada_status mada_engine_coefficients(const mada_engine* engine, mada_coefficients* out) noexcept {
  return read(engine, out, [](const mada::kernels::Engine& e) { return mada::c_api::to_c(e.hyper().q); });
}

mada_status mada_engine_set_coefficients(mada_engine* engine, const mada_coefficients* q) noexcept {
  return change(engine, [&](mada::kernels::Engine& e) {
    require_non_null(q, "q");
    e.set_coefficients(mada::c_api::from_c(*q));
  });
}

mada_status mada_engine_hypergradient(const mada_engine* engine, mada_coefficients* out) noexcept {
  return read(engine, out, [](const mada::kernels::Engine& e) { return mada::c_api::to_c(e.hyper().h); });
}

mada_status mada_engine_grad_norm(const mada_engine* engine, double* out) noexcept {
  return read(engine, out, [](const mada::kernels::Engine& e) { return e.hyper().grad_norm; });
}

mada_status mada_engine_step_count(const mada_engine* engine, int64_t* out) noexcept {
  return read(engine, out, [](const mada::kernels::Engine& e) { return e.hyper().t; });
}

mada_status mada_engine_skipped_steps(const mada_engine* engine, int64_t* out) noexcept {
  return read(engine, out, [](const mada::kernels::Engine& e) { return e.hyper().skipped; });
}

mada_status mada_engine_save_buffer(const mada_engine* engine, uint8_t* buffer, size_t capacity, size_t* size) noexcept {
  return guarded([&] {
    require_non_null(engine, "engine");
    require_non_null(size, "size");
    const std::string bytes = engine->engine.save();
    *size = bytes.size();
    if (buffer == nullptr) return;
    if (capacity < bytes.size())
      fail(ErrorKind::BufferTooSmall, "the engine state needs " + std::to_string(bytes.size()) +
                                          " bytes, the buffer holds " + std::to_string(capacity));
    std::memcpy(buffer, bytes.data(), bytes.size());
  });
}

mada_status mada_engine_load_buffer(mada_engine* engine, const uint8_t* data, size_t size) noexcept {
  return change(engine, [&](mada::kernels::Engine& e) {
    e.load(reinterpret_cast<const char*>(data), size);
  });
}

mada_status mada_engine_save(const mada_engine* engine, const char* path) noexcept {
  return guarded([&] {
    require_non_null(engine, "engine");
    require_non_null(path, "path");
    mada::kernels::write_file_atomically(path, engine->engine.save());
  });
}

mada_status mada_engine_load(mada_engine* engine, const char* path) noexcept {
  return change(engine, [&](mada::kernels::Engine& e) {
    require_non_null(path, "path");
    const std::string bytes = mada::kernels::read_file(path, e.max_saved_bytes(), "an engine state of this engine");
    try {
      e.load(bytes.data(), bytes.size());
    } catch (const mada::Error& error) {
      fail(error.kind(), "'" + std::string(path) + "': " + error.what());
    }
  });
}

}  // extern "C"
