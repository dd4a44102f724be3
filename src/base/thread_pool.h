// ThreadPool: a fixed set of workers shared by kernels for intra-op work.
//
// ParallelFor splits [0, n) into contiguous shards and runs them on the pool
// and on the calling thread, returning when all are done. Shards never nest
// deadlock-prone: a ParallelFor issued from a worker runs inline.
// Thread-safe; destruction joins the workers (pending tasks still run).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace stfs {

class ThreadPool {
 public:
  explicit ThreadPool(int num_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int num_threads() const { return static_cast<int>(workers_.size()); }

  // Runs fn on some worker, later.
  void Schedule(std::function<void()> fn);

  // Calls fn(begin, end) over shards covering [0, n). cost_per_unit is a rough
  // count of cycles per element; small totals run inline on the caller.
  // Small totals cost one call, with no std::function built (tiny tensors in
  // serving graphs hit this path for every op).
  template <class F>
  void ParallelFor(int64_t n, int64_t cost_per_unit, F&& fn) {
    if (n <= 0) return;
    if (RunsInline(n, cost_per_unit)) {
      fn(int64_t{0}, n);
      return;
    }
    ParallelForSharded(n, cost_per_unit, std::function<void(int64_t, int64_t)>(std::forward<F>(fn)));
  }

  // True on a thread owned by any ThreadPool.
  static bool InWorkerThread();

  // Process-wide pool sized to the machine (hardware_concurrency), created on first use.
  static ThreadPool* Default();

 private:
  // Below this total cost (n * cost_per_unit), threading costs more than it saves.
  static constexpr int64_t kMinCostPerShard = 20000;
  bool RunsInline(int64_t n, int64_t cost_per_unit) const {
    const int64_t total_cost = n * (cost_per_unit > 1 ? cost_per_unit : 1);
    return total_cost < 2 * kMinCostPerShard || num_threads() == 0 || InWorkerThread();
  }
  void ParallelForSharded(int64_t n, int64_t cost_per_unit,
                          const std::function<void(int64_t begin, int64_t end)>& fn);
  void WorkerLoop();

  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
};

}  // namespace stfs
