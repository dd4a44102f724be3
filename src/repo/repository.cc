#include "repo/repository.h"

#include <chrono>
#include <filesystem>

#include "base/logging.h"
#include "repo/version_policy.h"

namespace stfs {

std::string_view ModelVersionStateName(ModelVersionState state) {
  switch (state) {
    case ModelVersionState::kUnknown: return "UNKNOWN";
    case ModelVersionState::kStart: return "START";
    case ModelVersionState::kLoading: return "LOADING";
    case ModelVersionState::kAvailable: return "AVAILABLE";
    case ModelVersionState::kUnloading: return "UNLOADING";
    case ModelVersionState::kEnd: return "END";
  }
  return "UNKNOWN";
}

ModelRepository::ModelRepository(ModelLoader loader)
    : loader_(std::move(loader)), snapshot_(std::make_shared<const Snapshot>()) {}

std::shared_ptr<const ModelRepository::Snapshot> ModelRepository::Current() const {
  std::lock_guard<std::mutex> lock(snapshot_mu_);
  return snapshot_;
}

void ModelRepository::Publish(const std::string& name, std::shared_ptr<const ModelEntry> entry) {
  auto next = std::make_shared<Snapshot>(*Current());
  (*next)[name] = std::move(entry);
  std::lock_guard<std::mutex> lock(snapshot_mu_);
  snapshot_ = std::move(next);
}

namespace {

// Version directories for one config. Non-TensorFlow platforms name a model
// file (or prefix) rather than a directory of versions: that is version 1.
StatusOr<std::vector<VersionDirectory>> DiscoverVersions(const ModelConfig& c) {
  std::error_code ec;
  if (c.platform != "tensorflow" && !std::filesystem::is_directory(c.base_path, ec)) {
    return std::vector<VersionDirectory>{{1, c.base_path}};
  }
  ASSIGN_OR_RETURN(std::vector<VersionDirectory> all, ListVersionDirectories(c.base_path));
  if (all.empty()) {
    std::string hint;
    if (std::filesystem::exists(std::filesystem::path(c.base_path) / "saved_model.pb", ec) ||
        std::filesystem::exists(std::filesystem::path(c.base_path) / "saved_model.pbtxt", ec)) {
      hint = " (it holds a SavedModel directly: move it into a numeric version directory such as " +
             (std::filesystem::path(c.base_path) / "1").string() + ")";
    }
    return NotFound("no numeric version directories under model base path ", c.base_path, hint);
  }
  std::vector<VersionDirectory> selected = SelectVersions(c.version_policy, all);
  if (selected.empty()) {
    return NotFound("version policy ", c.version_policy.ToString(), " selects none of the ",
                    all.size(), " version directories under ", c.base_path);
  }
  return selected;
}

}  // namespace

Status ModelRepository::LoadAll(std::vector<ModelConfig> configs) {
  RETURN_IF_ERROR(ValidateModelConfigs(configs));
  std::lock_guard<std::mutex> write_lock(write_mu_);
  // Phase 1: publish every model with its versions in LOADING state, so the
  // status API shows them while loads run.
  std::vector<std::shared_ptr<ModelEntry>> entries;
  for (ModelConfig& c : configs) {
    auto entry = std::make_shared<ModelEntry>();
    entry->config = std::move(c);
    auto versions = DiscoverVersions(entry->config);
    if (!versions.ok()) {
      entry->error = versions.status();
      LOG(ERROR) << "model " << entry->config.name << ": " << entry->error.message();
    } else {
      for (const VersionDirectory& d : *versions) {
        VersionEntry v;
        v.status.version = d.version;
        v.status.directory = d.path;
        v.status.state = ModelVersionState::kLoading;
        entry->versions.push_back(std::move(v));
      }
    }
    Publish(entry->config.name, std::make_shared<const ModelEntry>(*entry));
    entries.push_back(std::move(entry));
  }
  // Phase 2: load each version and publish its outcome.
  for (auto& entry : entries) {
    for (VersionEntry& v : entry->versions) {
      const auto start = std::chrono::steady_clock::now();
      StatusOr<std::shared_ptr<Model>> model = loader_(v.status.directory, entry->config.platform);
      v.status.load_seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (model.ok() && *model == nullptr) model = Internal("the loader returned no model");
      if (model.ok()) {
        v.model = std::move(model).value();
        v.status.state = ModelVersionState::kAvailable;
        LOG(INFO) << "model " << entry->config.name << " version " << v.status.version
                  << " loaded from " << v.status.directory << " in " << v.status.load_seconds
                  << " s";
      } else {
        v.status.state = ModelVersionState::kEnd;
        v.status.status = model.status();
        LOG(ERROR) << "model " << entry->config.name << " version " << v.status.version
                   << " failed to load from " << v.status.directory << ": "
                   << model.status().ToString();
      }
      Publish(entry->config.name, std::make_shared<const ModelEntry>(*entry));
    }
  }
  return Status::OK();
}

StatusOr<ServableHandle> ModelRepository::GetModel(std::string_view name,
                                                   std::optional<int64_t> version,
                                                   std::optional<std::string_view> label) const {
  auto snapshot = Current();
  auto it = snapshot->find(name);
  if (it == snapshot->end()) {
    if (version) return NotFound("Servable not found for request: Specific(", name, ", ", *version, ")");
    return NotFound("Servable not found for request: Latest(", name, ")");
  }
  const ModelEntry& entry = *it->second;
  if (label) {
    auto l = entry.config.version_labels.find(std::string(*label));
    if (l == entry.config.version_labels.end()) {
      return InvalidArgument("Unrecognized servable version label: ", *label);
    }
    version = l->second;
  }
  const VersionEntry* chosen = nullptr;
  if (version) {
    for (const VersionEntry& v : entry.versions) {
      if (v.status.version == *version) chosen = &v;
    }
    if (!chosen || !chosen->model) {
      std::string detail;
      if (chosen && !chosen->status.status.ok()) {
        detail = StrCat("; the version failed to load: ", chosen->status.status.message());
      } else if (chosen) {
        detail = StrCat("; the version is ", ModelVersionStateName(chosen->status.state));
      }
      return NotFound("Servable not found for request: Specific(", name, ", ", *version, ")", detail);
    }
  } else {
    for (auto v = entry.versions.rbegin(); v != entry.versions.rend(); ++v) {
      if (v->model) {
        chosen = &*v;
        break;
      }
    }
    if (!chosen) {
      std::string detail;
      if (!entry.error.ok()) detail = StrCat("; ", entry.error.message());
      for (const VersionEntry& v : entry.versions) {
        if (!v.status.status.ok()) {
          detail += StrCat("; version ", v.status.version, " failed to load: ", v.status.status.message());
        } else {
          detail += StrCat("; version ", v.status.version, " is ", ModelVersionStateName(v.status.state));
        }
      }
      return NotFound("Servable not found for request: Latest(", name, ")", detail);
    }
  }
  return ServableHandle{entry.config.name, chosen->status.version, chosen->model};
}

ModelInfo ModelRepository::ToInfo(const ModelEntry& entry) {
  ModelInfo info;
  info.name = entry.config.name;
  info.base_path = entry.config.base_path;
  info.platform = entry.config.platform;
  info.labels = entry.config.version_labels;
  info.error = entry.error;
  for (const VersionEntry& v : entry.versions) info.versions.push_back(v.status);
  return info;
}

std::vector<ModelInfo> ModelRepository::ListModels() const {
  auto snapshot = Current();
  std::vector<ModelInfo> out;
  for (const auto& [name, entry] : *snapshot) out.push_back(ToInfo(*entry));
  return out;
}

StatusOr<ModelInfo> ModelRepository::GetModelInfo(std::string_view name) const {
  auto snapshot = Current();
  auto it = snapshot->find(name);
  if (it == snapshot->end()) return NotFound("Could not find any versions of model ", name);
  return ToInfo(*it->second);
}

}  // namespace stfs
