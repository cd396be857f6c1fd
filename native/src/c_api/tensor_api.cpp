#include "guard.h"
#include "handles.h"

#include <cstring>

using mada::ErrorKind;
using mada::fail;
using mada::c_api::guarded_torch;
using mada::c_api::require_non_null;

namespace {

void require_count(const mada_tensor* t, size_t count) {
  const auto numel = static_cast<size_t>(t->tensor.numel());
  if (count != numel)
    fail(ErrorKind::InvalidArgument, "count " + std::to_string(count) +
                                         " differs from the tensor's element count " + std::to_string(numel));
}

}  // namespace

extern "C" {

mada_status mada_tensor_create(const float* data, size_t count, const int64_t* shape, size_t ndim,
                               mada_tensor** out) noexcept {
  return guarded_torch([&] {
    require_non_null(out, "out");
    if (ndim > 0) require_non_null(shape, "shape");
    std::vector<int64_t> sizes(shape, shape + ndim);
    int64_t numel = 1;
    for (size_t i = 0; i < ndim; ++i) {
      if (sizes[i] < 0) fail(ErrorKind::InvalidArgument, "shape[" + std::to_string(i) + "] is negative");
      // A float tensor's bytes must fit an int64 (libtorch's limit) as well as its elements.
      if (__builtin_mul_overflow(numel, sizes[i], &numel) || numel > INT64_MAX / static_cast<int64_t>(sizeof(float)))
        fail(ErrorKind::InvalidArgument, "shape[" + std::to_string(i) + "] = " + std::to_string(sizes[i]) +
                                             " makes the tensor's size overflow");
    }
    if (static_cast<size_t>(numel) != count)
      fail(ErrorKind::InvalidArgument, "count " + std::to_string(count) + " differs from the shape's " +
                                           std::to_string(numel) + " elements");
    if (numel > 0) require_non_null(data, "data");
    auto handle = std::make_unique<mada_tensor>();
    handle->tensor = torch::empty(sizes, torch::kFloat);
    if (numel > 0) std::memcpy(handle->tensor.data_ptr<float>(), data, numel * sizeof(float));
    *out = handle.release();
  });
}

void mada_tensor_destroy(mada_tensor* tensor) noexcept { delete tensor; }

mada_status mada_tensor_numel(const mada_tensor* tensor, size_t* out) noexcept {
  return guarded_torch([&] {
    require_non_null(tensor, "tensor");
    require_non_null(out, "out");
    *out = static_cast<size_t>(tensor->tensor.numel());
  });
}

mada_status mada_tensor_shape(const mada_tensor* tensor, int64_t* shape, size_t capacity, size_t* ndim) noexcept {
  return guarded_torch([&] {
    require_non_null(tensor, "tensor");
    require_non_null(ndim, "ndim");
    const auto sizes = tensor->tensor.sizes();
    *ndim = sizes.size();
    if (shape == nullptr) return;
    if (capacity < sizes.size())
      fail(ErrorKind::BufferTooSmall, "shape buffer holds " + std::to_string(capacity) + " dimensions, the tensor has " +
                            std::to_string(sizes.size()));
    std::copy(sizes.begin(), sizes.end(), shape);
  });
}

mada_status mada_tensor_read(const mada_tensor* tensor, float* data, size_t count) noexcept {
  return guarded_torch([&] {
    require_non_null(tensor, "tensor");
    require_count(tensor, count);
    if (count > 0) require_non_null(data, "data");
    if (count > 0) std::memcpy(data, tensor->tensor.data_ptr<float>(), count * sizeof(float));
  });
}

mada_status mada_tensor_write(mada_tensor* tensor, const float* data, size_t count) noexcept {
  return guarded_torch([&] {
    require_non_null(tensor, "tensor");
    require_count(tensor, count);
    if (count > 0) require_non_null(data, "data");
    if (count > 0) std::memcpy(tensor->tensor.data_ptr<float>(), data, count * sizeof(float));
  });
}

}  // extern "C"
