// ModelRepository: the first version of the model manager. Given model
// configs and a loader function, it lists each model's version directories,
// selects versions by policy, loads them, tracks per-version state
// (LOADING -> AVAILABLE, or END with the load error) and serves lookups.
//
// Design for hot reload (a later issue): the serving state is an immutable
// snapshot (name -> ModelEntry) behind a shared_ptr that writers replace
// atomically (copy-on-write); readers take a reference and never block on a
// load. Version selection is the pure SelectVersions().
//
// Thread safety: all public methods are thread-safe. LoadAll blocks until
// every selected version has finished loading (successfully or not).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "repo/config.h"
#include "repo/model_provider.h"

namespace stfs {

// Loads one version. `version_dir` is the version directory (TensorFlow) or
// the model file (other platforms); `platform` is the config's platform.
using ModelLoader = std::function<StatusOr<std::shared_ptr<Model>>(
    const std::string& version_dir, const std::string& platform)>;

class ModelRepository final : public ModelProvider {
 public:
  explicit ModelRepository(ModelLoader loader);

  // Validates `configs` (error: nothing changes) and loads every selected
  // version. Individual load failures are logged and recorded in the version
  // status; the other models and versions are served normally.
  Status LoadAll(std::vector<ModelConfig> configs);

  StatusOr<ServableHandle> GetModel(std::string_view name, std::optional<int64_t> version,
                                    std::optional<std::string_view> label) const override;
  std::vector<ModelInfo> ListModels() const override;
  StatusOr<ModelInfo> GetModelInfo(std::string_view name) const override;

 private:
  struct VersionEntry {
    ModelVersionStatus status;
    std::shared_ptr<Model> model;  // set when AVAILABLE
  };
  struct ModelEntry {
    ModelConfig config;
    std::vector<VersionEntry> versions;  // ascending
    Status error;
  };
  using Snapshot = std::map<std::string, std::shared_ptr<const ModelEntry>, std::less<>>;

  std::shared_ptr<const Snapshot> Current() const;
  // Replaces one model's entry in a new snapshot.
  void Publish(const std::string& name, std::shared_ptr<const ModelEntry> entry);
  static ModelInfo ToInfo(const ModelEntry& entry);

  ModelLoader loader_;
  mutable std::mutex snapshot_mu_;  // guards the snapshot_ pointer only
  std::shared_ptr<const Snapshot> snapshot_;
  std::mutex write_mu_;  // serialises writers (LoadAll, later the poller)
};

}  // namespace stfs
