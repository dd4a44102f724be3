// ModelProvider: how the core API (src/api) finds loaded models. The model
// repository (repository.h) implements it; tests may implement it directly.
//
// Thread safety: implementations must be safe to call from many request
// threads at once. Returned handles own a reference to the model, so a model
// that is unloaded meanwhile stays valid until the handle is dropped.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backend/model.h"
#include "base/status.h"

namespace stfs {

// TF Serving's ModelVersionStatus.State values (get_model_status.proto).
enum class ModelVersionState : int {
  kUnknown = 0,
  kStart = 10,
  kLoading = 20,
  kAvailable = 30,
  kUnloading = 40,
  kEnd = 50,
};
// "UNKNOWN", "START", "LOADING", "AVAILABLE", "UNLOADING", "END".
std::string_view ModelVersionStateName(ModelVersionState state);

struct ModelVersionStatus {
  int64_t version = 0;
  std::string directory;      // full path of the version directory (or model file)
  ModelVersionState state = ModelVersionState::kUnknown;
  Status status;              // load error (state kEnd) or OK
  double load_seconds = 0;    // wall time of the load (0 until finished)
};

struct ModelInfo {
  std::string name;
  std::string base_path;
  std::string platform;
  std::vector<ModelVersionStatus> versions;  // ascending by version
  std::map<std::string, int64_t> labels;     // version label -> version
  Status error;  // model-level problem (e.g. no version directories); OK otherwise
};

// A model version resolved for one request.
struct ServableHandle {
  std::string name;
  int64_t version = 0;
  std::shared_ptr<Model> model;  // never null in a returned handle
};

class ModelProvider {
 public:
  virtual ~ModelProvider() = default;

  // Resolves a servable. `version` and `label` are exclusive; with neither,
  // the numerically largest AVAILABLE version. Errors (TF Serving wording):
  //   NOT_FOUND "Servable not found for request: Latest(name)" / "Specific(name, 5)"
  //   INVALID_ARGUMENT "Unrecognized servable version label: x"
  virtual StatusOr<ServableHandle> GetModel(std::string_view name,
                                            std::optional<int64_t> version,
                                            std::optional<std::string_view> label) const = 0;

  // Every configured model, sorted by name.
  virtual std::vector<ModelInfo> ListModels() const = 0;
  // One model; NOT_FOUND "Could not find any versions of model <name>" if unknown.
  virtual StatusOr<ModelInfo> GetModelInfo(std::string_view name) const = 0;
};

}  // namespace stfs
