#include "repo/repository.h"


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

std::shared_ptr<const ModelRepository::Snapshot> ModelRepository::Current() const {
  std::lock_guard<std::mutex> lock(snapshot_mu_);
  return snapshot_;
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
