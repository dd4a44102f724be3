#include "base/thread_pool.h"

#include <algorithm>
#include <atomic>
#include <latch>

namespace stfs {
namespace {
thread_local bool t_in_worker = false;
}

ThreadPool::ThreadPool(int num_threads) {
  num_threads = std::max(1, num_threads);
  workers_.reserve(num_threads);
  for (int i = 0; i < num_threads; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& w : workers_) w.join();
}

void ThreadPool::Schedule(std::function<void()> fn) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    tasks_.push_back(std::move(fn));
  }
  cv_.notify_one();
}

void ThreadPool::WorkerLoop() {
  t_in_worker = true;
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // stopping and drained
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

bool ThreadPool::InWorkerThread() { return t_in_worker; }

void ThreadPool::ParallelForSharded(int64_t n, int64_t cost_per_unit,
                                    const std::function<void(int64_t, int64_t)>& fn) {
  const int64_t total_cost = n * std::max<int64_t>(cost_per_unit, 1);
  int64_t max_shards = std::min<int64_t>(num_threads() + 1, total_cost / kMinCostPerShard);
  if (max_shards <= 1 || t_in_worker) {
    fn(0, n);
    return;
  }
  const int64_t shards = std::min(max_shards, n);
  const int64_t block = (n + shards - 1) / shards;
  const int64_t num_blocks = (n + block - 1) / block;
  std::latch done(num_blocks - 1);
  for (int64_t b = 1; b < num_blocks; ++b) {
    const int64_t begin = b * block, end = std::min(n, begin + block);
    Schedule([&fn, &done, begin, end] {
      fn(begin, end);
      done.count_down();
    });
  }
  fn(0, std::min(n, block));
  done.wait();
}

ThreadPool* ThreadPool::Default() {
  static ThreadPool* pool = new ThreadPool(
      static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  return pool;
}

}  // namespace stfs
