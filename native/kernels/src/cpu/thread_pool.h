// A small pool of worker threads for the CPU step, so the kernel core needs no ATen.
//
// Work is split into fixed contiguous ranges, one per thread, and every caller of the step
// reduces per-block partial sums in block order: results never depend on the thread count.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace mada::kernels {

// How a step spreads its blocks over threads: run(n, task, body) calls task(body, begin, end)
// over ranges covering [0, n) and returns when all are done. The engine runs on ThreadPool;
// mada::Mada on ATen's own pool, so a libtorch process keeps one set of worker threads.
class Parallel {
 public:
  using Task = void (*)(void* body, int64_t begin, int64_t end);
  virtual void run(int64_t n, Task task, void* body) const = 0;

  template <typename Body>
  void parallel_for(int64_t n, Body&& body) const {
    run(n, [](void* b, int64_t begin, int64_t end) { (*static_cast<std::remove_reference_t<Body>*>(b))(begin, end); },
        &body);
  }

 protected:
  ~Parallel() = default;
};

class ThreadPool {
 public:
  // The process's pool (workers start on first use and grow to the largest count asked for).
  static ThreadPool& shared();

  // Calls body(begin, end) on up to `threads` threads (the caller's among them) over [0, n),
  // one contiguous range each; returns when all have finished. body must not throw.
  // Allocates nothing once the pool has grown to `threads`.
  template <typename Body>
  void parallel_for(int64_t n, int threads, Body&& body) {
    run(n, threads, [](void* b, int64_t begin, int64_t end) { (*static_cast<Body*>(b))(begin, end); }, &body);
  }

  ~ThreadPool();

 private:
  using Task = void (*)(void* body, int64_t begin, int64_t end);
  void run(int64_t n, int threads, Task task, void* body);
  void work(int index);

  std::mutex call_;  // one parallel_for at a time
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> workers_;
  // The job in flight, read by workers under mutex_.
  uint64_t generation_ = 0;
  Task task_ = nullptr;
  void* body_ = nullptr;
  int64_t n_ = 0;
  int parts_ = 0;
  int pending_ = 0;
  bool stopping_ = false;
};

// Default thread count of the kernel core: MADA_NUM_THREADS if set, else the hardware's.
int default_thread_count();

// Parallel on the shared ThreadPool with a fixed thread count.
class PoolParallel final : public Parallel {
 public:
  explicit PoolParallel(int threads) : threads_(threads) {}
  void run(int64_t n, Task task, void* body) const override;

 private:
  int threads_;
};

}  // namespace mada::kernels
