// The MADA update of one parameter element: the only place the spec's step 5 and 6 are written.
//
// The CPU loops (cpu/loops.h) and the CUDA kernel both call update_element(), so
// the CPU tests pin the exact arithmetic the GPU runs. No libtorch here: plain scalars only,
// so nvcc and any host compiler accept it.
#pragma once

#include <cmath>

#if defined(__CUDACC__) || defined(__HIPCC__)
#define MADA_HOST_DEVICE __host__ __device__ __forceinline__
#elif defined(__GNUC__)
// Always inlined: a call inside the CPU loop would stop it from vectorising.
#define MADA_HOST_DEVICE inline __attribute__((always_inline))
#else
#define MADA_HOST_DEVICE inline
#endif

namespace mada::kernels {

// Per-step scalars, computed once on the host (in double) and cast to the math type T.
// Divisions by per-step constants become multiplications by their reciprocals here, so the
// element loop divides only twice (by the denominator and by sqrt(vhat)).
template <typename T>
struct StepScalars {
  T beta1, beta2, beta3, rho, c, gamma;  // the projected coefficients of this update
  T lion_beta1, lion_beta2, eps;
  T t;            // update count, from 1
  T inv_t;        // 1 / t
  T inv_bias1;    // 1 / (1 - beta1^t)
  T inv_bias2;    // 1 / (1 - beta2^t)
  T dmhat_dm;     // t * beta1^(t-1) / (1 - beta1^t)^2: how mhat moves with beta1 through B1
  T dvhat_dmix;   // t * beta2^(t-1) / (1 - beta2^t)^2: how vhat moves with beta2 through B2
  T r_inv_bias2;  // r / (1 - beta2^t), r = d vmix / d v: rho + (1-rho)/t (paper) or rho (reference)
  T lr;           // alpha_t of the parameter's group
  T decay;        // alpha_t * weight decay of the parameter's group
};

// The step scalars (computed in double) in the math type T, with a group's lr and decay.
template <typename T>
MADA_HOST_DEVICE StepScalars<T> cast_scalars(const StepScalars<double>& s, double lr, double decay) {
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

// The element's optimizer state before (in) and after (out) the update.
template <typename T>
struct ElementState {
  T m, v, vbar, n, mL;
};

// d(direction)/d(q_k) for k = beta1, beta2, beta3, rho, c, gamma.
template <typename T>
struct ElementDerivatives {
  T d[6];
};

// sign with sign(0) = 0, branch-free so loops over it vectorise.
template <typename T>
MADA_HOST_DEVICE T sign_of(T x) {
  return static_cast<T>((x > T(0)) - (x < T(0)));
}

// The state an element starts from at its first update (spec, "State, per parameter element").
// gprev_old is the previous gradient the Adan terms see at that update.
template <typename T>
MADA_HOST_DEVICE ElementState<T> initial_state(T g, bool reference_mode, T& gprev_old) {
  gprev_old = reference_mode ? T(0) : g;
  return ElementState<T>{T(0), T(1e-15), T(1e-15), reference_mode ? g * g : T(0), T(0)};
}

// One update of one element. g is the (clipped) gradient, gprev_old the previous gradient as
// the mode defines it (0 in reference mode). Updates p and s in place and writes the
// derivatives of this update's direction for the next hypergradient.
template <typename T>
MADA_HOST_DEVICE void update_element(const StepScalars<T>& k, T g, T gprev_old, T& p,
                                     ElementState<T>& s, ElementDerivatives<T>& dd) {
#if !defined(__CUDA_ARCH__)
  using std::sqrt;
#endif
  const T one(1);
  const T m_old = s.m, v_old = s.v, vbar_old = s.vbar, n_old = s.n;

  const T dg = g - gprev_old;
  const T ghat = g + k.beta3 * dg;
  const T ghat2 = ghat * ghat;
  const T sgn = sign_of(ghat2 - v_old);
  const T yogi = v_old + ghat2 * sgn;  // the (1-c) branch of gt2
  const T gt2 = k.c * ghat2 + (one - k.c) * yogi;

  const T m = k.beta1 * m_old + (one - k.beta1) * g;
  const T v = k.beta2 * v_old + (one - k.beta2) * gt2;
  const T n = k.beta3 * n_old + (one - k.beta3) * dg;
  const T mL = k.lion_beta2 * s.mL + (one - k.lion_beta2) * g;
  const T u = k.lion_beta1 * mL + (one - k.lion_beta1) * g;
  // The spec's (v + (t-1) vbar_old) / t as a convex combination: (t-1) vbar_old overflowed for
  // a second moment within range once t grew (the engine-state fuzzer found it: Inf stored).
  const T vbar = k.inv_t * v + (one - k.inv_t) * vbar_old;

  const T mhat = m * k.inv_bias1;
  const T vmix = k.rho * v + (one - k.rho) * vbar;
  const T vhat = vmix * k.inv_bias2;
  const T root = sqrt(vhat);
  const T inv_den = one / (root + k.eps);
  const T num = mhat + k.beta3 * n;
  // vhat = 0 (a gradient that stayed 0 while denormals flush to zero): A = 0 and K = 0, not
  // 0 * inf (spec, "Edge cases"). Arithmetic with a 0/1 factor, neither branch nor select, so
  // the loop still vectorises; where vhat > 0 both lines compute exactly what they did before.
  const T live = static_cast<T>(vhat > T(0));
  const T A = num * inv_den * live;
  const T su = sign_of(u);
  const T direction = k.gamma * A + (one - k.gamma) * su;

  p = p - k.decay * p;
  p = p - k.lr * direction;
  s = ElementState<T>{m, v, vbar, n, mL};

  // Derivatives through this one update; earlier state counts as constant (spec step 6).
  // K = d(direction)/d(vhat) = -gamma * num / den^2 / (2 sqrt(vhat)).
  const T K = -k.gamma * A * inv_den * (T(0.5) / (root + (one - live)));
  const T yogi_weight = k.r_inv_bias2 * (one - k.beta2);  // r (1-beta2) / B2
  dd.d[0] = k.gamma * ((m_old - g) * k.inv_bias1 + m * k.dmhat_dm) * inv_den;
  // K first in each product: K * vmix stays near gamma * A * B2 while vmix * dvhat_dmix alone
  // can overflow (a large second moment at a small t), which would store Inf.
  dd.d[1] = K * (v_old - gt2) * k.r_inv_bias2 + K * vmix * k.dvhat_dmix;
  dd.d[2] = k.gamma * (n + k.beta3 * (n_old - dg)) * inv_den +
            K * yogi_weight * T(2) * ghat * (k.c + (one - k.c) * sgn) * dg;
  dd.d[3] = K * (v - vbar) * k.inv_bias2;
  dd.d[4] = K * yogi_weight * (ghat2 - yogi);
  dd.d[5] = A - su;
}

}  // namespace mada::kernels
