// The fused CUDA step (cuda_step.h). Three launches per step on the caller's stream:
//   reduce_chunks  one block per chunk of kChunk elements of any tensor: the six dots
//                  sum(g D_k), sum(g^2) and max|g|, reduced in a fixed tree order into the
//                  chunk's slots of `partials` (no float atomics: two runs give the same bits);
//   hyper          one block: sums the chunks in a fixed order, checks the gradient's range,
//                  and does the hyper step and the step scalars in double (hyper_rule.h);
//   update_chunks  one block per chunk: update_element (element_update.h) on every element,
//                  16-byte loads and stores where every buffer of the chunk is aligned.
#include "cuda_step.h"

#include "../math/bfloat16.h"
#include "../math/element_update.h"
#include "../math/hyper_rule.h"
#include "../math/hyper_step.h"
#include "../step/memory_ranges.h"
#include "../step/range_limits.h"

#include <mada/error.h>

#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace mada::kernels {

namespace {

constexpr int kThreads = 256;
constexpr int64_t kChunk = int64_t{1} << 16;  // fixed: the reduction order does not depend on the device
constexpr int kDots = static_cast<int>(kCoefficientCount);
constexpr int kNorm = kDots;        // sum(g^2)
constexpr int kMaxAbs = kDots + 1;  // max |g|
constexpr int kPartials = kDots + 2;
constexpr int kVec = 4;

void check(cudaError_t status, const char* what) {
  if (status != cudaSuccess)
    fail(ErrorKind::Unsupported, std::string("CUDA error in ") + what + ": " + cudaGetErrorString(status));
}
#define MADA_CUDA(call) check((call), #call)

struct Chunk {
  int32_t slot;
  int32_t count;
  int64_t begin;
};

// What the device keeps between steps, and the scalars the hyper kernel hands to pass 2.
struct DeviceHyper {
  double q[kCoefficientCount];
  double h[kCoefficientCount];
  long long t;
  long long skipped;
  double grad_norm;
  double grad_scale;
  double prev_lr[kMaxDeviceGroups];
  StepScalars<double> scalars;
  int apply;   // this step's pass 2 runs
  int status;  // 1: a step was dropped as out of range since the host last looked
};

// Per-group rates of this step, passed by value.
struct GroupRates {
  int count;
  double lr[kMaxDeviceGroups];
  double decay[kMaxDeviceGroups];
};

// Loads and stores of a parameter or gradient element type, as float.
template <typename P>
struct Element;
template <>
struct Element<float> {
  static __device__ __forceinline__ float load(float x) { return x; }
  static __device__ __forceinline__ float store(float x) { return x; }
};
template <>
struct Element<BFloat16> {
  static __device__ __forceinline__ float load(BFloat16 x) { return to_float(x); }
  static __device__ __forceinline__ BFloat16 store(float x) { return to_bfloat16(x); }
};
template <>
struct Element<__half> {
  static __device__ __forceinline__ float load(__half x) { return __half2float(x); }
  static __device__ __forceinline__ __half store(float x) { return __float2half_rn(x); }
};

// kVec consecutive elements, loaded or stored with one instruction when aligned.
template <typename T>
struct alignas(sizeof(T) * kVec) Pack {
  T v[kVec];
};

template <typename T>
__device__ __forceinline__ Pack<T> load_pack(const T* src) {
  return *reinterpret_cast<const Pack<T>*>(src);
}
template <typename T>
__device__ __forceinline__ void store_pack(T* dst, const Pack<T>& x) {
  *reinterpret_cast<Pack<T>*>(dst) = x;
}

__device__ __forceinline__ bool aligned(const void* p, int bytes) {
  return reinterpret_cast<uintptr_t>(p) % static_cast<uintptr_t>(bytes * kVec) == 0;
}

// Sums (or, for kMaxAbs, maxes) each thread's kPartials values over the block in a fixed tree
// order; thread 0 ends with the block's values in sh[k][0].
__device__ void block_reduce(double (&acc)[kPartials], double (*sh)[kThreads]) {
  const int tid = threadIdx.x;
  for (int k = 0; k < kPartials; ++k) sh[k][tid] = acc[k];
  __syncthreads();
  for (int stride = kThreads / 2; stride > 0; stride /= 2) {
    if (tid < stride) {
      for (int k = 0; k < kPartials; ++k)
        sh[k][tid] = k == kMaxAbs ? fmax(sh[k][tid], sh[k][tid + stride]) : sh[k][tid] + sh[k][tid + stride];
    }
    __syncthreads();
  }
}

template <typename P, typename D>
__device__ void reduce_elements(const DeviceSlot& s, const Chunk& c, bool with_d, double (&acc)[kPartials]) {
  const P* g = static_cast<const P*>(s.g);
  const D* d = static_cast<const D*>(s.d);
  for (int64_t i = c.begin + threadIdx.x; i < c.begin + c.count; i += kThreads) {
    const double gi = Element<P>::load(g[i]);
    acc[kNorm] += gi * gi;
    acc[kMaxAbs] = fmax(acc[kMaxAbs], fabs(gi));
    if (with_d) {
      for (int k = 0; k < kDots; ++k) acc[k] += gi * static_cast<double>(DerivativeStore<float, D>::load(d[k * s.numel + i]));
    }
  }
}

template <typename D>
__device__ void reduce_typed(const DeviceSlot& s, const Chunk& c, bool with_d, double (&acc)[kPartials]) {
  switch (s.type) {
    case DeviceType::Float32: return reduce_elements<float, D>(s, c, with_d, acc);
    case DeviceType::BFloat16: return reduce_elements<BFloat16, D>(s, c, with_d, acc);
    case DeviceType::Float16: return reduce_elements<__half, D>(s, c, with_d, acc);
  }
}

__global__ void reduce_chunks(const DeviceSlot* slots, const Chunk* chunks, bool compact, double* partials) {
  __shared__ double sh[kPartials][kThreads];
  const Chunk c = chunks[blockIdx.x];
  const DeviceSlot s = slots[c.slot];
  double acc[kPartials] = {};
  if (s.g != nullptr) {
    const bool with_d = *s.initialized != 0;
    compact ? reduce_typed<BFloat16>(s, c, with_d, acc) : reduce_typed<float>(s, c, with_d, acc);
  }
  block_reduce(acc, sh);
  if (threadIdx.x < kPartials) partials[int64_t{blockIdx.x} * kPartials + threadIdx.x] = sh[threadIdx.x][0];
}

__global__ void hyper(const DeviceSlot* slots, int slot_count, const Chunk* chunks, int chunk_count,
                      const double* partials, const HyperRule rule, const GroupRates rates, double grad_clip,
                      double gradient_limit, DeviceHyper* state, int* fresh) {
  __shared__ double sh[kPartials][kThreads];
  double acc[kPartials] = {};
  for (int c = threadIdx.x; c < chunk_count; c += kThreads) {
    const DeviceSlot& s = slots[chunks[c].slot];
    if (s.g == nullptr) continue;
    const double* part = partials + int64_t{c} * kPartials;
    if (*s.initialized != 0) {
      const double alpha = state->prev_lr[s.group];
      for (int k = 0; k < kDots; ++k) acc[k] += alpha * part[k];
    }
    acc[kNorm] += part[kNorm];
    acc[kMaxAbs] = fmax(acc[kMaxAbs], part[kMaxAbs]);
  }
  block_reduce(acc, sh);
  if (threadIdx.x == 0) {
    bool in_range = isfinite(sh[kNorm][0]) && sh[kMaxAbs][0] <= gradient_limit;
    for (int k = 0; k < kDots; ++k) in_range = in_range && isfinite(sh[k][0]);
    if (!in_range) {
      state->apply = 0;
      state->skipped += 1;
      state->status = 1;
    } else {
      double h[kCoefficientCount];
      for (int k = 0; k < kDots; ++k) h[k] = -sh[k][0];
      if (state->t >= 1) hyper_update(rule, h, state->q);
      for (int k = 0; k < kDots; ++k) state->h[k] = h[k];
      state->t += 1;
      state->grad_norm = sqrt(sh[kNorm][0]);
      const double ratio = grad_clip / (state->grad_norm + 1e-6);
      state->grad_scale = grad_clip > 0.0 ? (ratio < 1.0 ? ratio : 1.0) : 1.0;
      state->scalars = scalars_of(rule, state->q, state->t);
      for (int g = 0; g < rates.count; ++g) state->prev_lr[g] = rates.lr[g];
      state->apply = 1;
    }
  }
  __syncthreads();
  const bool apply = state->apply != 0;
  for (int i = threadIdx.x; i < slot_count; i += kThreads) {
    fresh[i] = *slots[i].initialized == 0;
    if (apply && slots[i].g != nullptr) *slots[i].initialized = 1;
  }
}

// The buffers of one slot as typed pointers.
template <typename P, typename D>
struct Buffers {
  P* p;
  const P* g;
  float *m, *v, *vbar, *n, *mL, *gprev;
  D* d[kDots];
  __device__ explicit Buffers(const DeviceSlot& s)
      : p(static_cast<P*>(s.p)), g(static_cast<const P*>(s.g)), m(s.m), v(s.v), vbar(s.vbar), n(s.n), mL(s.mL),
        gprev(s.gprev) {
    for (int k = 0; k < kDots; ++k) d[k] = static_cast<D*>(s.d) + k * s.numel;
  }
  __device__ bool aligned_at(int64_t i, bool paper) const {
    bool ok = aligned(p + i, sizeof(P)) && aligned(g + i, sizeof(P)) && aligned(m + i, 4) && aligned(v + i, 4) &&
              aligned(vbar + i, 4) && aligned(n + i, 4) && aligned(mL + i, 4) && (!paper || aligned(gprev + i, 4));
    for (int k = 0; k < kDots; ++k) ok = ok && aligned(d[k] + i, sizeof(D));
    return ok;
  }
};

// One element: the same body as the CPU's update_elements (cpu/loops.h).
template <typename P, typename D, bool kPaper, bool kFresh>
__device__ __forceinline__ void update_value(const StepScalars<float>& k, float scale, P& p, P g, float& m, float& v,
                                             float& vbar, float& n, float& mL, float& gprev, D (&d)[kDots]) {
  const float gi = Element<P>::load(g) * scale;
  float gprev_old;
  ElementState<float> st;
  if (kFresh) {
    st = initial_state(gi, !kPaper, gprev_old);
  } else {
    st = ElementState<float>{m, v, vbar, n, mL};
    gprev_old = kPaper ? gprev : 0.0f;
  }
  float pi = Element<P>::load(p);
  ElementDerivatives<float> dd;
  update_element(k, gi, gprev_old, pi, st, dd);
  p = Element<P>::store(pi);
  m = st.m;
  v = st.v;
  vbar = st.vbar;
  n = st.n;
  mL = st.mL;
  if (kPaper) gprev = gi;
  for (int j = 0; j < kDots; ++j) d[j] = DerivativeStore<float, D>::store(dd.d[j]);
}

template <typename P, typename D, bool kPaper, bool kFresh>
__device__ void update_chunk(const StepScalars<float>& k, float scale, const DeviceSlot& s, const Chunk& c) {
  const Buffers<P, D> b(s);
  const int64_t end = c.begin + c.count;
  int64_t scalar_from = c.begin;
  if (b.aligned_at(c.begin, kPaper)) {
    const int64_t vec_end = c.begin + c.count / kVec * kVec;
    for (int64_t i = c.begin + int64_t{threadIdx.x} * kVec; i < vec_end; i += int64_t{kThreads} * kVec) {
      Pack<P> p = load_pack(b.p + i), g = load_pack(b.g + i);
      Pack<float> m = load_pack(b.m + i), v = load_pack(b.v + i), vbar = load_pack(b.vbar + i),
                  n = load_pack(b.n + i), mL = load_pack(b.mL + i), gprev{};
      if (kPaper && !kFresh) gprev = load_pack(b.gprev + i);
      Pack<D> d[kDots];
      for (int j = 0; j < kVec; ++j) {
        D dj[kDots];
        update_value<P, D, kPaper, kFresh>(k, scale, p.v[j], g.v[j], m.v[j], v.v[j], vbar.v[j], n.v[j], mL.v[j],
                                           gprev.v[j], dj);
        for (int q = 0; q < kDots; ++q) d[q].v[j] = dj[q];
      }
      store_pack(b.p + i, p);
      store_pack(b.m + i, m);
      store_pack(b.v + i, v);
      store_pack(b.vbar + i, vbar);
      store_pack(b.n + i, n);
      store_pack(b.mL + i, mL);
      if (kPaper) store_pack(b.gprev + i, gprev);
      for (int q = 0; q < kDots; ++q) store_pack(b.d[q] + i, d[q]);
    }
    scalar_from = vec_end;
  }
  for (int64_t i = scalar_from + threadIdx.x; i < end; i += kThreads) {
    float unused = 0.0f;
    float& gprev = kPaper ? b.gprev[i] : unused;
    D dj[kDots];
    update_value<P, D, kPaper, kFresh>(k, scale, b.p[i], b.g[i], b.m[i], b.v[i], b.vbar[i], b.n[i], b.mL[i], gprev,
                                       dj);
    for (int q = 0; q < kDots; ++q) b.d[q][i] = dj[q];
  }
}

template <typename P, typename D>
__device__ void update_typed(const StepScalars<float>& k, float scale, bool paper, bool fresh, const DeviceSlot& s,
                             const Chunk& c) {
  if (paper) {
    fresh ? update_chunk<P, D, true, true>(k, scale, s, c) : update_chunk<P, D, true, false>(k, scale, s, c);
  } else {
    fresh ? update_chunk<P, D, false, true>(k, scale, s, c) : update_chunk<P, D, false, false>(k, scale, s, c);
  }
}

template <typename D>
__device__ void update_stored(const StepScalars<float>& k, float scale, bool paper, bool fresh, const DeviceSlot& s,
                              const Chunk& c) {
  switch (s.type) {
    case DeviceType::Float32: return update_typed<float, D>(k, scale, paper, fresh, s, c);
    case DeviceType::BFloat16: return update_typed<BFloat16, D>(k, scale, paper, fresh, s, c);
    case DeviceType::Float16: return update_typed<__half, D>(k, scale, paper, fresh, s, c);
  }
}

// A parameter without a gradient did not move: its derivatives are zero for the next step.
template <typename D>
__device__ void zero_derivatives(const DeviceSlot& s, const Chunk& c) {
  D* d = static_cast<D*>(s.d);
  for (int k = 0; k < kDots; ++k)
    for (int64_t i = c.begin + threadIdx.x; i < c.begin + c.count; i += kThreads) d[k * s.numel + i] = D{};
}

// At least 2 blocks per multiprocessor: 120 registers, no spills (sm_90, nvcc 11.8). Without
// the bound the 24 type combinations in one kernel took 146 and left 1 block per SM.
__global__ void __launch_bounds__(kThreads, 2) update_chunks(const DeviceSlot* slots, const Chunk* chunks, const int* fresh,
                              const DeviceHyper* state, const GroupRates rates, bool paper, bool compact) {
  if (state->apply == 0) return;
  const Chunk c = chunks[blockIdx.x];
  const DeviceSlot s = slots[c.slot];
  if (s.g == nullptr) {
    if (!fresh[c.slot]) compact ? zero_derivatives<BFloat16>(s, c) : zero_derivatives<float>(s, c);
    return;
  }
  const StepScalars<float> k = cast_scalars<float>(state->scalars, rates.lr[s.group], rates.decay[s.group]);
  const float scale = static_cast<float>(state->grad_scale);
  const bool is_fresh = fresh[c.slot] != 0;
  compact ? update_stored<BFloat16>(k, scale, paper, is_fresh, s, c)
          : update_stored<float>(k, scale, paper, is_fresh, s, c);
}

int element_bytes(DeviceType t) { return t == DeviceType::Float32 ? 4 : 2; }

template <typename T>
void ensure_capacity(T*& buffer, size_t& capacity, size_t needed) {
  if (needed <= capacity) return;
  if (buffer != nullptr) MADA_CUDA(cudaFree(buffer));
  buffer = nullptr;
  capacity = 0;
  MADA_CUDA(cudaMalloc(&buffer, std::max<size_t>(needed, 1) * sizeof(T)));
  capacity = needed;
}

}  // namespace

struct CudaStep::Impl {
  StepOptions options;
  HyperRule rule;
  DeviceHyper* state = nullptr;  // device
  DeviceSlot* slots = nullptr;
  size_t slot_capacity = 0;
  Chunk* chunks = nullptr;
  size_t chunk_capacity = 0;
  double* partials = nullptr;
  size_t partial_capacity = 0;
  int* fresh = nullptr;
  size_t fresh_capacity = 0;
  int* status_host = nullptr;  // pinned: the device's status flag, copied after each step
  cudaEvent_t status_copied = nullptr;
  bool status_pending = false;
  int group_count = 0;
  std::vector<DeviceSlot> uploaded;  // the slot table on the device, as last uploaded
  std::vector<Chunk> plan;
  MemoryRanges ranges;

  ~Impl() {
    cudaFree(state);
    cudaFree(slots);
    cudaFree(chunks);
    cudaFree(partials);
    cudaFree(fresh);
    cudaFreeHost(status_host);
    if (status_copied != nullptr) cudaEventDestroy(status_copied);
  }

  // Under the error policy, the first step that finds an earlier one dropped throws. The
  // check never waits: a copy not yet landed is looked at by a later step.
  void check_status(cudaStream_t stream) {
    if (!status_pending || cudaEventQuery(status_copied) != cudaSuccess) return;
    status_pending = false;
    if (*status_host == 0) return;
    MADA_CUDA(cudaMemsetAsync(&state->status, 0, sizeof(int), stream));
    if (options.non_finite() == NonFinitePolicy::Error)
      fail(ErrorKind::NonFinite,
           "MADA step refused on the device: a gradient held NaN or Inf or exceeded the range its float32 second "
           "moment can hold; that update was dropped and changed nothing but the skipped count (set non_finite to "
           "skip to drop such steps silently)");
  }
};

bool CudaStep::device_present() {
  int count = 0;
  return cudaGetDeviceCount(&count) == cudaSuccess && count > 0;
}

CudaStep::CudaStep(const StepOptions& options) : impl_(std::make_unique<Impl>()) {
  options.validate();
  if (!device_present()) fail(ErrorKind::Unsupported, "the CUDA step needs a CUDA device, and this process sees none");
  impl_->options = options;
  impl_->rule = hyper_rule(options);
  MADA_CUDA(cudaMalloc(&impl_->state, sizeof(DeviceHyper)));
  MADA_CUDA(cudaMallocHost(&impl_->status_host, sizeof(int)));
  MADA_CUDA(cudaEventCreateWithFlags(&impl_->status_copied, cudaEventDisableTiming));
  set_state(HyperState{project(options.q0(), options), Coefficients{}, 0, 0, 0.0, {}}, nullptr);
}

CudaStep::~CudaStep() = default;

void CudaStep::step(const std::vector<DeviceSlot>& slots, const std::vector<double>& lr,
                    const std::vector<double>& decay, void* stream_handle) {
  Impl& s = *impl_;
  const auto stream = static_cast<cudaStream_t>(stream_handle);
  s.check_status(stream);
  // Everything the host can check, before anything is queued.
  if (lr.size() != decay.size() || lr.empty() || lr.size() > static_cast<size_t>(kMaxDeviceGroups))
    fail(ErrorKind::InvalidArgument, "the CUDA step takes 1 to " + std::to_string(kMaxDeviceGroups) +
                                         " parameter groups, with one lr and one decay each");
  const bool paper = s.options.mode() == Mode::Paper;
  const bool compact = s.options.compact_state();
  for (size_t g = 0; g < lr.size(); ++g) {
    const std::string problem = lr_and_decay_problem(s.options, lr[g], decay[g], false);
    if (!problem.empty()) fail(ErrorKind::InvalidArgument, "group " + std::to_string(g) + ": " + problem);
  }
  s.ranges.clear();
  for (size_t i = 0; i < slots.size(); ++i) {
    const DeviceSlot& x = slots[i];
    const std::string name = "device parameter " + std::to_string(i);
    if (x.numel <= 0 || x.p == nullptr || x.m == nullptr || x.v == nullptr || x.vbar == nullptr || x.n == nullptr ||
        x.mL == nullptr || x.d == nullptr || x.initialized == nullptr || (paper && x.gprev == nullptr))
      fail(ErrorKind::InvalidArgument, name + " lacks a buffer or has no elements");
    if (x.group < 0 || static_cast<size_t>(x.group) >= lr.size())
      fail(ErrorKind::InvalidArgument, name + " names group " + std::to_string(x.group) + " of " +
                                           std::to_string(lr.size()));
    const auto bytes = static_cast<uintptr_t>(element_bytes(x.type));
    if (reinterpret_cast<uintptr_t>(x.p) % bytes != 0 || reinterpret_cast<uintptr_t>(x.g) % bytes != 0)
      fail(ErrorKind::InvalidArgument, name + " or its gradient is not aligned to its element type");
    s.ranges.add(x.p, static_cast<uint64_t>(x.numel) * bytes, i);
  }
  s.ranges.require_disjoint();
  for (size_t i = 0; i < slots.size(); ++i) {
    const DeviceSlot& x = slots[i];
    if (x.g != nullptr &&
        s.ranges.gradient_overlap(x.g, static_cast<uint64_t>(x.numel) * element_bytes(x.type), i) >= 0)
      fail(ErrorKind::InvalidArgument, "the gradient of device parameter " + std::to_string(i) +
                                           " overlaps another parameter's memory, or its own shifted");
  }
  if (slots.empty()) return;

  // The slot table and the chunk plan go to the device only when they change.
  const bool same = slots.size() == s.uploaded.size() &&
                    std::memcmp(slots.data(), s.uploaded.data(), slots.size() * sizeof(DeviceSlot)) == 0;
  if (!same) {
    s.plan.clear();
    for (size_t i = 0; i < slots.size(); ++i)
      for (int64_t b = 0; b < slots[i].numel; b += kChunk)
        s.plan.push_back(Chunk{static_cast<int32_t>(i), static_cast<int32_t>(std::min(kChunk, slots[i].numel - b)), b});
    if (s.plan.size() > static_cast<size_t>(INT32_MAX)) fail(ErrorKind::InvalidArgument, "too many elements");
    ensure_capacity(s.slots, s.slot_capacity, slots.size());
    ensure_capacity(s.fresh, s.fresh_capacity, slots.size());
    ensure_capacity(s.chunks, s.chunk_capacity, s.plan.size());
    ensure_capacity(s.partials, s.partial_capacity, s.plan.size() * kPartials);
    MADA_CUDA(cudaMemcpyAsync(s.slots, slots.data(), slots.size() * sizeof(DeviceSlot), cudaMemcpyHostToDevice, stream));
    MADA_CUDA(cudaMemcpyAsync(s.chunks, s.plan.data(), s.plan.size() * sizeof(Chunk), cudaMemcpyHostToDevice, stream));
    s.uploaded = slots;
  }
  GroupRates rates{};
  rates.count = static_cast<int>(lr.size());
  for (size_t g = 0; g < lr.size(); ++g) {
    rates.lr[g] = lr[g];
    rates.decay[g] = decay[g];
  }
  s.group_count = std::max(s.group_count, rates.count);
  const auto chunk_count = static_cast<unsigned>(s.plan.size());
  reduce_chunks<<<chunk_count, kThreads, 0, stream>>>(s.slots, s.chunks, compact, s.partials);
  MADA_CUDA(cudaGetLastError());
  hyper<<<1, kThreads, 0, stream>>>(s.slots, static_cast<int>(slots.size()), s.chunks, static_cast<int>(chunk_count),
                                    s.partials, s.rule, rates, s.options.grad_clip(), gradient_limit(false), s.state,
                                    s.fresh);
  MADA_CUDA(cudaGetLastError());
  update_chunks<<<chunk_count, kThreads, 0, stream>>>(s.slots, s.chunks, s.fresh, s.state, rates, paper, compact);
  MADA_CUDA(cudaGetLastError());
  if (!s.status_pending) {
    MADA_CUDA(cudaMemcpyAsync(s.status_host, &s.state->status, sizeof(int), cudaMemcpyDeviceToHost, stream));
    MADA_CUDA(cudaEventRecord(s.status_copied, stream));
    s.status_pending = true;
  }
}

HyperState CudaStep::state(void* stream_handle) {
  const auto stream = static_cast<cudaStream_t>(stream_handle);
  DeviceHyper host{};
  MADA_CUDA(cudaMemcpyAsync(&host, impl_->state, sizeof host, cudaMemcpyDeviceToHost, stream));
  MADA_CUDA(cudaStreamSynchronize(stream));
  HyperState out;
  for (std::size_t k = 0; k < kCoefficientCount; ++k) {
    out.q[k] = host.q[k];
    out.h[k] = host.h[k];
  }
  out.t = host.t;
  out.skipped = host.skipped;
  out.grad_norm = host.grad_norm;
  out.prev_lr.assign(host.prev_lr, host.prev_lr + impl_->group_count);
  return out;
}

void CudaStep::set_state(const HyperState& in, void* stream_handle) {
  if (in.prev_lr.size() > static_cast<size_t>(kMaxDeviceGroups))
    fail(ErrorKind::InvalidArgument, "the CUDA step takes at most " + std::to_string(kMaxDeviceGroups) + " groups");
  const auto stream = static_cast<cudaStream_t>(stream_handle);
  DeviceHyper host{};
  for (std::size_t k = 0; k < kCoefficientCount; ++k) {
    host.q[k] = in.q[k];
    host.h[k] = in.h[k];
  }
  host.t = in.t;
  host.skipped = in.skipped;
  host.grad_norm = in.grad_norm;
  std::copy(in.prev_lr.begin(), in.prev_lr.end(), host.prev_lr);
  impl_->group_count = static_cast<int>(in.prev_lr.size());
  MADA_CUDA(cudaMemcpyAsync(impl_->state, &host, sizeof host, cudaMemcpyHostToDevice, stream));
  MADA_CUDA(cudaStreamSynchronize(stream));  // `host` lives on this stack frame
}

}  // namespace mada::kernels
