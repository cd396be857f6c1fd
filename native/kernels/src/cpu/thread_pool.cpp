#include "thread_pool.h"

#include <algorithm>
#include <cstdlib>

namespace mada::kernels {

namespace {
// Range `part` of `parts` equal contiguous ranges over [0, n).
int64_t boundary(int64_t n, int parts, int part) { return n * part / parts; }
}  // namespace

ThreadPool& ThreadPool::shared() {
  static ThreadPool pool;
  return pool;
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& w : workers_) w.join();
}

void ThreadPool::run(int64_t n, int threads, Task task, void* body) {
  if (n <= 0) return;
  const int parts = static_cast<int>(std::min<int64_t>(std::max(threads, 1), n));
  if (parts == 1) {
    task(body, 0, n);
    return;
  }
  std::lock_guard<std::mutex> call(call_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    while (static_cast<int>(workers_.size()) < parts - 1) {
      const int index = static_cast<int>(workers_.size()) + 1;  // part 0 is the caller's
      workers_.emplace_back([this, index] { work(index); });
    }
    task_ = task;
    body_ = body;
    n_ = n;
    parts_ = parts;
    pending_ = parts - 1;
    ++generation_;
  }
  wake_.notify_all();
  task(body, 0, boundary(n, parts, 1));
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, [this] { return pending_ == 0; });
}

void ThreadPool::work(int index) {
  uint64_t seen = 0;
  for (;;) {
    Task task;
    void* body;
    int64_t n;
    int parts;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
      if (index >= parts_) continue;  // this job needs fewer threads
      task = task_;
      body = body_;
      n = n_;
      parts = parts_;
    }
    task(body, boundary(n, parts, index), boundary(n, parts, index + 1));
    std::lock_guard<std::mutex> lock(mutex_);
    if (--pending_ == 0) done_.notify_one();
  }
}

void PoolParallel::run(int64_t n, Task task, void* body) const {
  ThreadPool::shared().parallel_for(n, threads_, [&](int64_t begin, int64_t end) { task(body, begin, end); });
}

int default_thread_count() {
  if (const char* env = std::getenv("MADA_NUM_THREADS")) {
    const int n = std::atoi(env);
    if (n > 0) return n;
  }
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace mada::kernels
