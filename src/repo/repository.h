// ModelRepository: the model manager. Given model configs and a loader
// function, it lists each model's version directories, selects versions by
// policy, loads them on background load threads, tracks per-version state
// (START -> LOADING -> AVAILABLE -> UNLOADING -> END, or END with the load
// error) and serves lookups.
//
// Lifecycle (TF Serving's, availability-preserving):
//   * Poll() re-lists every base path. The policy picks the aspired versions.
//     A version found after a model's first scan is loaded only once its
//     files are stable (same sizes/mtimes for `settle_seconds`, and
//     saved_model.pb(txt) present for TensorFlow - or stable for 10 s without
//     it, so a broken version still reports its error).
//   * A loaded version is published (atomic swap of the serving snapshot)
//     only after the loader (which may replay warm-up requests) returned.
//   * An unaspired AVAILABLE version is unpublished only when an aspired
//     version is AVAILABLE (or nothing is aspired any more): a failed new
//     version keeps the old one serving. It stays UNLOADING until the last
//     request handle drops, which frees the model, then END.
//   * A failed load is retried `max_load_retries` times with a doubling
//     backoff starting at `retry_interval_seconds`; new files (a changed
//     fingerprint) reset the count.
//   * ApplyConfig() realises a whole new config: models added, removed,
//     changed policies; then waits for the in-flight loads and applies the
//     version labels, each of which must point at an AVAILABLE version
//     (unless allow_version_labels_for_unavailable_models, for new labels).
//
// The serving state is an immutable snapshot (name -> ModelEntry) behind a
// shared_ptr replaced atomically; readers never block on a load.
//
// Thread safety: all public methods are thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "repo/config.h"
#include "repo/model_provider.h"

namespace stfs {

// Loads one version. `version_dir` is the version directory (TensorFlow) or
// the model file (other platforms); `platform` is the config's platform.
using ModelLoader = std::function<StatusOr<std::shared_ptr<Model>>(
    const std::string& version_dir, const std::string& platform)>;

struct RepositoryOptions {
  int num_load_threads = 1;
  int max_load_retries = 5;
  double retry_interval_seconds = 1.0;
  double settle_seconds = 1.0;  // files unchanged this long before a load
  bool allow_version_labels_for_unavailable_models = false;
};

class ModelRepository final : public ModelProvider {
 public:
  explicit ModelRepository(ModelLoader loader, RepositoryOptions options = {});
  ~ModelRepository() override;  // waits for running loads; skips queued ones

  // Applies `configs` and blocks until every version found now has finished
  // loading (successfully or not). Invalid configs change nothing; label
  // errors are returned after the models were applied (FAILED_PRECONDITION).
  Status ApplyConfig(std::vector<ModelConfig> configs);
  // The first ApplyConfig (kept for the existing callers).
  Status LoadAll(std::vector<ModelConfig> configs) { return ApplyConfig(std::move(configs)); }

  // One re-scan of every model's base path; starts loads and unloads and
  // returns without waiting for them.
  void Poll();
  // True while some version waits for its files to settle, a retry or a
  // load (the poller then scans more often).
  bool HasPendingWork() const;
  // Blocks until no load is queued or running (tests).
  void WaitForLoads() const;
  // Base paths of the configured models (for file-system notification).
  std::vector<std::string> BasePaths() const;

  StatusOr<ServableHandle> GetModel(std::string_view name, std::optional<int64_t> version,
                                    std::optional<std::string_view> label) const override;
  std::vector<ModelInfo> ListModels() const override;
  StatusOr<ModelInfo> GetModelInfo(std::string_view name) const override;

 private:
  using Clock = std::chrono::steady_clock;
  // Published, immutable.
  struct VersionEntry {
    ModelVersionStatus status;
    std::shared_ptr<Model> model;  // set when AVAILABLE
  };
  struct ModelEntry {
    ModelConfig config;  // version_labels = the active labels
    std::vector<VersionEntry> versions;  // ascending
    Status error;
  };
  using Snapshot = std::map<std::string, std::shared_ptr<const ModelEntry>, std::less<>>;

  // Manager state, guarded by mu_.
  struct VersionState {
    std::string dir;
    ModelVersionState state = ModelVersionState::kStart;
    Status status;
    double load_seconds = 0;
    std::shared_ptr<Model> model;   // AVAILABLE
    std::weak_ptr<Model> draining;  // UNLOADING: alive while requests hold it
    bool aspired = false;
    bool on_disk = true;
    bool loading = false;           // queued or running
    uint64_t generation = 0;        // invalidates a load whose version was reset
    std::string fingerprint;
    Clock::time_point fingerprint_since;
    int failures = 0;
    Clock::time_point retry_at;
  };
  struct ModelState {
    ModelConfig config;
    std::map<int64_t, VersionState> versions;
    Status error;
    std::set<std::string> ignored_logged;  // non-version entries already logged
  };

  std::shared_ptr<const Snapshot> Current() const;
  static ModelInfo ToInfo(const ModelEntry& entry);

  // All below require mu_.
  void PublishLocked(const std::string& name);
  void UnpublishLocked(const std::string& name);
  // Scans one model and starts/finishes transitions. `immediate`: versions
  // load without waiting for their files to settle (first scan, new config).
  void ReconcileLocked(const std::string& name, ModelState& m, bool immediate);
  void UnloadUnaspiredLocked(const std::string& name, ModelState& m);
  void StartLoadLocked(const std::string& name, int64_t version, VersionState& v,
                       const std::string& platform);
  void FinishLoad(const std::string& name, int64_t version, uint64_t generation,
                  StatusOr<std::shared_ptr<Model>> result, double seconds);
  Status ApplyLabelsLocked(const std::vector<ModelConfig>& configs);
  void WorkerLoop();

  ModelLoader loader_;
  RepositoryOptions options_;

  mutable std::mutex snapshot_mu_;  // guards the snapshot_ pointer only
  std::shared_ptr<const Snapshot> snapshot_;

  mutable std::mutex mu_;
  mutable std::condition_variable loads_cv_;  // signalled when a load finishes
  std::map<std::string, ModelState> models_;
  uint64_t next_generation_ = 1;
  int loads_in_flight_ = 0;
  std::mutex apply_mu_;  // serialises ApplyConfig calls

  // Load threads.
  std::deque<std::function<void()>> tasks_;  // guarded by mu_
  std::condition_variable tasks_cv_;
  bool stopping_ = false;  // guarded by mu_
  std::vector<std::thread> workers_;
};

}  // namespace stfs
