// The element loops of the CPU step, compiled once per instruction set (loops_*.cpp).
//
// Everything here lives in an anonymous namespace: each including file gets its own copies,
// built with its own flags, and the linker cannot swap an AVX2 copy in for the baseline one.
// Floating-point contraction is off in every build, so all variants compute the same bits.
#pragma once

#include "loop_table.h"

#include "../math/bfloat16.h"
#include "../math/hyper_step.h"
#include "../math/step_scalars.h"

#include <algorithm>
#include <cmath>
#include <type_traits>

namespace mada::kernels {
namespace {

// Lanes of independent accumulators: the sum order is fixed by the code, not by the
// compiler or the thread count, and the lane loop vectorises.
constexpr int kLanes = 8;

// Elements per tile when the derivatives are bfloat16: the loops below run on float tiles and
// the tiles are converted in loops of their own. In one loop the 2-byte type doubles GCC's
// vectorisation factor, which doubles every float vector and spills (measured here: the update
// then took twice as long; rounding inside the float loop instead was slower still).
constexpr int64_t kTile = 512;

// A float row to bfloat16 as to_bfloat16 rounds it. A variant with a conversion instruction
// defines its own store_bfloat16 of the same bits before it includes this file, and falls back
// on store_bfloat16_portable (loops_avx512.cpp).
void store_bfloat16_portable(const float* in, BFloat16* out, int64_t len) {
  for (int64_t i = 0; i < len; ++i) out[i] = to_bfloat16(in[i]);
}
#ifndef MADA_LOOPS_STORE_BFLOAT16
void store_bfloat16(const float* in, BFloat16* out, int64_t len) { store_bfloat16_portable(in, out, len); }
#endif

template <typename T, bool kWithDerivatives>
void accumulate(const int64_t count, const int64_t stride, const T* __restrict g, const T* __restrict d,
                double (&acc)[kNormPartial + 1][kLanes], double (&amax)[kLanes]) {
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
}

template <typename T, typename D, bool kWithDerivatives>
void reduce_elements(const int64_t count, const int64_t stride, const T* __restrict g,
                     const D* __restrict d, double* __restrict out) {
  double acc[kNormPartial + 1][kLanes] = {};
  double amax[kLanes] = {};
  if constexpr (std::is_same_v<D, T> || !kWithDerivatives) {
    accumulate<T, kWithDerivatives>(count, stride, g, reinterpret_cast<const T*>(d), acc, amax);
  } else {
    alignas(32) T tile[kNormPartial][kTile];
    for (int64_t start = 0; start < count; start += kTile) {
      const int64_t len = std::min(kTile, count - start);
      for (int k = 0; k < kNormPartial; ++k)
        for (int64_t i = 0; i < len; ++i) tile[k][i] = DerivativeStore<T, D>::load(d[k * stride + start + i]);
      accumulate<T, true>(len, kTile, g + start, &tile[0][0], acc, amax);
    }
  }
  for (int k = 0; k <= kNormPartial; ++k) {
    double sum = 0.0;
    for (int l = 0; l < kLanes; ++l) sum += acc[k][l];
    out[k] = sum;
  }
  out[kMaxAbsPartial] = *std::max_element(amax, amax + kLanes);
}

template <typename T, typename D, bool kWithDerivatives>
void reduce_range(const TensorSlot& s, int64_t begin, int64_t end, double* out) {
  const D* d = kWithDerivatives ? static_cast<const D*>(s.d) + begin : nullptr;
  reduce_elements<T, D, kWithDerivatives>(end - begin, s.numel, static_cast<const T*>(s.g) + begin, d, out);
}

template <typename T>
void reduce_typed(const TensorSlot& s, int64_t begin, int64_t end, double* out) {
  if (!s.has_state()) return reduce_range<T, T, false>(s, begin, end, out);
  s.compact ? reduce_range<T, BFloat16, true>(s, begin, end, out) : reduce_range<T, T, true>(s, begin, end, out);
}

// The element loop. Buffers arrive as restrict-qualified parameters (GCC ignores restrict on
// local pointers), so the compiler can prove they do not overlap and vectorise the loop; never
// inlined, because inlined into the tile loop below GCC no longer vectorised it.
template <typename T, bool kPaper, bool kFresh>
__attribute__((noinline)) void update_elements(const StepScalars<T> k, const T grad_scale, const int64_t count,
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

template <typename T, typename D, bool kPaper, bool kFresh>
void update_range(const StepScalars<T>& k, T grad_scale, const TensorSlot& s, int64_t begin,
                  int64_t end) {
  auto at = [begin](void* base, int64_t row, int64_t numel) {
    return base == nullptr ? nullptr : static_cast<T*>(base) + row * numel + begin;
  };
  auto d_at = [&s, begin](int64_t row) { return static_cast<D*>(s.d) + row * s.numel + begin; };
  const int64_t n = s.numel;
  T* const p = at(s.p, 0, n);
  const T* const g = static_cast<const T*>(s.g) + begin;
  T *const m = at(s.m, 0, n), *const v = at(s.v, 0, n), *const vbar = at(s.vbar, 0, n);
  T *const nn = at(s.n, 0, n), *const mL = at(s.mL, 0, n), *const gprev = at(s.gprev, 0, n);
  if constexpr (std::is_same_v<D, T>) {
    update_elements<T, kPaper, kFresh>(k, grad_scale, end - begin, p, g, m, v, vbar, nn, mL, gprev, d_at(0), d_at(1),
                                       d_at(2), d_at(3), d_at(4), d_at(5));
  } else {
    // Float tiles, converted in a loop of their own (see kTile).
    alignas(32) T tile[kCoefficientCount][kTile];
    for (int64_t start = 0; start < end - begin; start += kTile) {
      const int64_t len = std::min(kTile, end - begin - start);
      update_elements<T, kPaper, kFresh>(k, grad_scale, len, p + start, g + start, m + start, v + start,
                                         vbar + start, nn + start, mL + start,
                                         gprev == nullptr ? nullptr : gprev + start, tile[0], tile[1], tile[2],
                                         tile[3], tile[4], tile[5]);
      for (size_t q = 0; q < kCoefficientCount; ++q) {
        D* const out = d_at(static_cast<int64_t>(q)) + start;
        if constexpr (std::is_same_v<T, float> && std::is_same_v<D, BFloat16>) {
          store_bfloat16(tile[q], out, len);
        } else {
          for (int64_t i = 0; i < len; ++i) out[i] = DerivativeStore<T, D>::store(tile[q][i]);
        }
      }
    }
  }
}

template <typename T, typename D>
void update_stored(const StepScalars<T>& k, T scale, bool paper, const TensorSlot& s, int64_t begin,
                   int64_t end) {
  if (paper) {
    s.fresh ? update_range<T, D, true, true>(k, scale, s, begin, end)
            : update_range<T, D, true, false>(k, scale, s, begin, end);
  } else {
    s.fresh ? update_range<T, D, false, true>(k, scale, s, begin, end)
            : update_range<T, D, false, false>(k, scale, s, begin, end);
  }
}

template <typename T>
void update_block(const StepScalars<double>& base, double grad_scale, bool paper,
                  const TensorSlot& s, int64_t begin, int64_t end) {
  const StepScalars<T> k = cast_scalars<T>(base, s.lr, s.decay);
  const T scale = static_cast<T>(grad_scale);
  s.compact ? update_stored<T, BFloat16>(k, scale, paper, s, begin, end)
            : update_stored<T, T>(k, scale, paper, s, begin, end);
}

void reduce_block(const TensorSlot& s, int64_t begin, int64_t end, double* out) {
  s.is_double ? reduce_typed<double>(s, begin, end, out) : reduce_typed<float>(s, begin, end, out);
}

void update_slot_block(const StepScalars<double>& scalars, double grad_scale, bool paper, const TensorSlot& s,
                       int64_t begin, int64_t end) {
  s.is_double ? update_block<double>(scalars, grad_scale, paper, s, begin, end)
              : update_block<float>(scalars, grad_scale, paper, s, begin, end);
}

}  // namespace
}  // namespace mada::kernels
