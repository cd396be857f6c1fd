// The element loops of the CPU step, compiled once per instruction set (loops_*.cpp).
//
// Everything here lives in an anonymous namespace: each including file gets its own copies,
// built with its own flags, and the linker cannot swap an AVX2 copy in for the baseline one.
// Floating-point contraction is off in every build, so all variants compute the same bits.
#pragma once

#include "loop_table.h"

#include "../math/hyper_step.h"
#include "../math/step_scalars.h"

#include <algorithm>
#include <cmath>

namespace mada::kernels {
namespace {

// The step scalars in the loop's math type T, with the group's lr and decay.
template <typename T>
StepScalars<T> cast_scalars(const StepScalars<double>& s, double lr, double decay) {
  StepScalars<T> k;
  k.beta1 = T(s.beta1);
  k.beta2 = T(s.beta2);
  k.beta3 = T(s.beta3);
  k.rho = T(s.rho);
  k.c = T(s.c);
  k.gamma = T(s.gamma);
  k.lion_beta1 = T(s.lion_beta1);
  k.lion_beta2 = T(s.lion_beta2);
  k.eps = T(s.eps);
  k.t = T(s.t);
  k.inv_t = T(s.inv_t);
  k.inv_bias1 = T(s.inv_bias1);
  k.inv_bias2 = T(s.inv_bias2);
  k.dmhat_dm = T(s.dmhat_dm);
  k.dvhat_dmix = T(s.dvhat_dmix);
  k.r_inv_bias2 = T(s.r_inv_bias2);
  k.lr = T(lr);
  k.decay = T(decay);
  return k;
}

// Lanes of independent accumulators: the sum order is fixed by the code, not by the
// compiler or the thread count, and the lane loop vectorises.
constexpr int kLanes = 8;

template <typename T, bool kWithDerivatives>
void reduce_elements(const int64_t count, const int64_t stride, const T* __restrict g,
                     const T* __restrict d, double* __restrict out) {
  double acc[kNormPartial + 1][kLanes] = {};
  double amax[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= count; i += kLanes) {
    for (int l = 0; l < kLanes; ++l) {
      const double gi = static_cast<double>(g[i + l]);
      acc[kNormPartial][l] += gi * gi;
      amax[l] = std::max(amax[l], std::abs(gi));
      if (kWithDerivatives) {
        for (int k = 0; k < kNormPartial; ++k) acc[k][l] += gi * static_cast<double>(d[k * stride + i + l]);
      }
    }
  }
  for (int l = 0; i < count; ++i, ++l) {
    const double gi = static_cast<double>(g[i]);
    acc[kNormPartial][l] += gi * gi;
    amax[l] = std::max(amax[l], std::abs(gi));
    if (kWithDerivatives) {
      for (int k = 0; k < kNormPartial; ++k) acc[k][l] += gi * static_cast<double>(d[k * stride + i]);
    }
  }
  for (int k = 0; k <= kNormPartial; ++k) {
    double sum = 0.0;
    for (int l = 0; l < kLanes; ++l) sum += acc[k][l];
    out[k] = sum;
  }
  out[kMaxAbsPartial] = *std::max_element(amax, amax + kLanes);
}

template <typename T, bool kWithDerivatives>
void reduce_range(const TensorSlot& s, int64_t begin, int64_t end, double* out) {
  const T* d = kWithDerivatives ? static_cast<const T*>(s.d) + begin : nullptr;
  reduce_elements<T, kWithDerivatives>(end - begin, s.numel, static_cast<const T*>(s.g) + begin, d, out);
}

// The element loop. Buffers arrive as restrict-qualified parameters (GCC ignores restrict on
// local pointers), so the compiler can prove they do not overlap and vectorise the loop.
template <typename T, bool kPaper, bool kFresh>
void update_elements(const StepScalars<T> k, const T grad_scale, const int64_t count,
                     T* __restrict p, const T* __restrict g, T* __restrict m, T* __restrict v,
                     T* __restrict vbar, T* __restrict n, T* __restrict mL, T* __restrict gprev,
                     T* __restrict d0, T* __restrict d1, T* __restrict d2, T* __restrict d3,
                     T* __restrict d4, T* __restrict d5) {
  for (int64_t i = 0; i < count; ++i) {
    const T gi = g[i] * grad_scale;
    T gprev_old;
    ElementState<T> st;
    if (kFresh) {
      st = initial_state(gi, !kPaper, gprev_old);
    } else {
      st = ElementState<T>{m[i], v[i], vbar[i], n[i], mL[i]};
      gprev_old = kPaper ? gprev[i] : T(0);
    }
    T pi = p[i];
    ElementDerivatives<T> dd;
    update_element(k, gi, gprev_old, pi, st, dd);
    p[i] = pi;
    m[i] = st.m;
    v[i] = st.v;
    vbar[i] = st.vbar;
    n[i] = st.n;
    mL[i] = st.mL;
    if (kPaper) gprev[i] = gi;
    d0[i] = dd.d[0];
    d1[i] = dd.d[1];
    d2[i] = dd.d[2];
    d3[i] = dd.d[3];
    d4[i] = dd.d[4];
    d5[i] = dd.d[5];
  }
}

template <typename T, bool kPaper, bool kFresh>
void update_range(const StepScalars<T>& k, T grad_scale, const TensorSlot& s, int64_t begin,
                  int64_t end) {
  auto at = [begin](void* base, int64_t row, int64_t numel) {
    return base == nullptr ? nullptr : static_cast<T*>(base) + row * numel + begin;
  };
  const int64_t n = s.numel;
  update_elements<T, kPaper, kFresh>(
      k, grad_scale, end - begin, at(s.p, 0, n), static_cast<const T*>(s.g) + begin, at(s.m, 0, n),
      at(s.v, 0, n), at(s.vbar, 0, n), at(s.n, 0, n), at(s.mL, 0, n), at(s.gprev, 0, n),
      at(s.d, 0, n), at(s.d, 1, n), at(s.d, 2, n), at(s.d, 3, n), at(s.d, 4, n), at(s.d, 5, n));
}

template <typename T>
void update_block(const StepScalars<double>& base, double grad_scale, bool paper,
                  const TensorSlot& s, int64_t begin, int64_t end) {
  const StepScalars<T> k = cast_scalars<T>(base, s.lr, s.decay);
  const T scale = static_cast<T>(grad_scale);
  if (paper) {
    s.fresh ? update_range<T, true, true>(k, scale, s, begin, end)
            : update_range<T, true, false>(k, scale, s, begin, end);
  } else {
    s.fresh ? update_range<T, false, true>(k, scale, s, begin, end)
            : update_range<T, false, false>(k, scale, s, begin, end);
  }
}

void reduce_block(const TensorSlot& s, int64_t begin, int64_t end, double* out) {
  if (s.is_double) {
    s.has_state() ? reduce_range<double, true>(s, begin, end, out) : reduce_range<double, false>(s, begin, end, out);
  } else {
    s.has_state() ? reduce_range<float, true>(s, begin, end, out) : reduce_range<float, false>(s, begin, end, out);
  }
}

void update_slot_block(const StepScalars<double>& scalars, double grad_scale, bool paper, const TensorSlot& s,
                       int64_t begin, int64_t end) {
  s.is_double ? update_block<double>(scalars, grad_scale, paper, s, begin, end)
              : update_block<float>(scalars, grad_scale, paper, s, begin, end);
}

}  // namespace
}  // namespace mada::kernels
