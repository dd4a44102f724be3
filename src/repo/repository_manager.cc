// ModelRepository's lifecycle half: config application, base-path scans,
// background loads and availability-preserving unloads (see repository.h).
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "base/logging.h"
#include "repo/repository.h"
#include "repo/version_policy.h"

namespace stfs {
namespace {

// Without saved_model.pb(txt) a directory is loaded anyway after this long,
// so that a broken version reports its error instead of waiting forever.
constexpr double kNoSavedModelGraceSeconds = 10;

double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// Every version directory of a model, before the policy. Non-TensorFlow
// platforms name a model file rather than a directory of versions: that is
// version 1.
StatusOr<std::vector<VersionDirectory>> ListAll(const ModelConfig& c,
                                                std::vector<std::string>* ignored) {
  std::error_code ec;
  if (c.platform != "tensorflow" && !std::filesystem::is_directory(c.base_path, ec)) {
    return std::vector<VersionDirectory>{{1, c.base_path}};
  }
  return ListVersionDirectories(c.base_path, ignored);
}

Status NoVersionsError(const ModelConfig& c) {
  std::error_code ec;
  const std::filesystem::path base(c.base_path);
  std::string hint;
  if (std::filesystem::exists(base / "saved_model.pb", ec) ||
      std::filesystem::exists(base / "saved_model.pbtxt", ec)) {
    hint = " (it holds a SavedModel directly: move it into a numeric version directory such as " +
           (base / "1").string() + ")";
  }
  return NotFound("no numeric version directories under model base path ", c.base_path, hint);
}

bool SamePolicy(const VersionPolicy& a, const VersionPolicy& b) {
  return a.kind == b.kind && a.num_versions == b.num_versions && a.versions == b.versions;
}

}  // namespace

ModelRepository::ModelRepository(ModelLoader loader, RepositoryOptions options)
    : loader_(std::move(loader)), options_(options), snapshot_(std::make_shared<const Snapshot>()) {
  const int n = std::max(1, options_.num_load_threads);
  for (int i = 0; i < n; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

ModelRepository::~ModelRepository() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    loads_in_flight_ -= static_cast<int>(tasks_.size());
    tasks_.clear();
  }
  tasks_cv_.notify_all();
  for (std::thread& t : workers_) t.join();
}

void ModelRepository::WorkerLoop() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      tasks_cv_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (stopping_) return;
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

void ModelRepository::PublishLocked(const std::string& name) {
  auto it = models_.find(name);
  if (it == models_.end()) return;
  const ModelState& m = it->second;
  auto entry = std::make_shared<ModelEntry>();
  entry->config = m.config;
  entry->error = m.error;
  for (const auto& [version, v] : m.versions) {
    VersionEntry e;
    e.status = {version, v.dir, v.state, v.status, v.load_seconds};
    if (v.state == ModelVersionState::kAvailable) e.model = v.model;
    entry->versions.push_back(std::move(e));
  }
  auto next = std::make_shared<Snapshot>(*Current());
  (*next)[name] = std::move(entry);
  std::shared_ptr<const Snapshot> old;  // released after snapshot_mu_
  std::lock_guard<std::mutex> lock(snapshot_mu_);
  old = std::move(snapshot_);
  snapshot_ = std::move(next);
}

void ModelRepository::UnpublishLocked(const std::string& name) {
  auto next = std::make_shared<Snapshot>(*Current());
  next->erase(name);
  std::shared_ptr<const Snapshot> old;
  std::lock_guard<std::mutex> lock(snapshot_mu_);
  old = std::move(snapshot_);
  snapshot_ = std::move(next);
}

void ModelRepository::ReconcileLocked(const std::string& name, ModelState& m, bool immediate) {
  const Clock::time_point now = Clock::now();
  std::vector<std::string> ignored;
  auto listing = ListAll(m.config, &ignored);
  for (const std::string& entry : ignored) {
    if (m.ignored_logged.size() < 1000 && m.ignored_logged.insert(entry).second) {
      LOG(INFO) << "model " << name << ": ignoring " << m.config.base_path << "/" << entry
                << " (not a numeric version directory)";
    }
  }
  Status error;
  if (!listing.ok()) {
    error = listing.status();  // keep serving what is loaded
  } else {
    const std::vector<VersionDirectory> aspired = SelectVersions(m.config.version_policy, *listing);
    if (listing->empty()) {
      error = NoVersionsError(m.config);
    } else if (aspired.empty()) {
      error = NotFound("version policy ", m.config.version_policy.ToString(), " selects none of the ",
                       listing->size(), " version directories under ", m.config.base_path);
    }
    std::set<int64_t> on_disk, wanted;
    for (const VersionDirectory& d : *listing) on_disk.insert(d.version);
    for (const VersionDirectory& d : aspired) {
      wanted.insert(d.version);
      auto [it, inserted] = m.versions.try_emplace(d.version);
      if (inserted || (!it->second.loading && it->second.state != ModelVersionState::kAvailable &&
                       it->second.state != ModelVersionState::kUnloading)) {
        it->second.dir = d.path;
      }
    }
    for (auto& [version, v] : m.versions) {
      v.aspired = wanted.count(version) > 0;
      v.on_disk = on_disk.count(version) > 0;
    }
  }
  if (error.message() != m.error.message()) {
    if (!error.ok()) LOG(ERROR) << "model " << name << ": " << error.message();
    m.error = error;
  }

  // Start the loads that are due.
  for (auto& [version, v] : m.versions) {
    if (!v.aspired || v.loading) continue;
    if (v.state != ModelVersionState::kStart && v.state != ModelVersionState::kEnd) continue;
    bool has_saved_model = false;
    std::string fp = VersionFingerprint(v.dir, &has_saved_model);
    if (m.config.platform != "tensorflow") has_saved_model = true;
    if (fp != v.fingerprint) {  // new or changed files: settle again, retry afresh
      v.fingerprint = std::move(fp);
      v.fingerprint_since = now;
      v.failures = 0;
      v.retry_at = now;
    }
    if (v.failures > options_.max_load_retries || now < v.retry_at) continue;
    const double stable = Seconds(now - v.fingerprint_since);
    const bool ready = immediate || v.failures > 0 ||
                       (stable >= options_.settle_seconds &&
                        (has_saved_model || stable >= kNoSavedModelGraceSeconds));
    if (ready) StartLoadLocked(name, version, v, m.config.platform);
  }
  UnloadUnaspiredLocked(name, m);
  PublishLocked(name);
}

void ModelRepository::UnloadUnaspiredLocked(const std::string& name, ModelState& m) {
  bool any_aspired = false, aspired_available = false;
  for (const auto& [version, v] : m.versions) {
    if (!v.aspired) continue;
    any_aspired = true;
    aspired_available |= v.state == ModelVersionState::kAvailable;
  }
  // Availability preserving: the old version goes only once a new one serves
  // (or when nothing is aspired any more, e.g. every directory was deleted).
  const bool may_unload = aspired_available || !any_aspired;
  for (auto it = m.versions.begin(); it != m.versions.end();) {
    VersionState& v = it->second;
    if (!v.aspired && v.state == ModelVersionState::kAvailable && may_unload) {
      LOG(INFO) << "model " << name << " version " << it->first
                << ": no longer aspired; unpublished, unloading once its requests finish";
      v.draining = v.model;
      v.model.reset();
      v.state = ModelVersionState::kUnloading;
    }
    if (v.state == ModelVersionState::kUnloading && v.draining.expired()) {
      LOG(INFO) << "model " << name << " version " << it->first << ": unloaded";
      v.state = ModelVersionState::kEnd;
      v.status = Status::OK();
    }
    const bool idle = !v.loading && (v.state == ModelVersionState::kStart ||
                                     v.state == ModelVersionState::kEnd);
    if (!v.aspired && idle && (!v.on_disk || v.state == ModelVersionState::kStart)) {
      it = m.versions.erase(it);
      continue;
    }
    ++it;
  }
}

void ModelRepository::StartLoadLocked(const std::string& name, int64_t version, VersionState& v,
                                      const std::string& platform) {
  v.loading = true;
  v.state = ModelVersionState::kLoading;
  v.generation = next_generation_++;
  ++loads_in_flight_;
  LOG(INFO) << "model " << name << " version " << version << ": loading from " << v.dir
            << (v.failures > 0 ? StrCat(" (retry ", v.failures, ")") : std::string());
  tasks_.push_back([this, name, version, gen = v.generation, dir = v.dir, platform] {
    const Clock::time_point start = Clock::now();
    StatusOr<std::shared_ptr<Model>> result = loader_(dir, platform);
    FinishLoad(name, version, gen, std::move(result), Seconds(Clock::now() - start));
  });
  tasks_cv_.notify_one();
}

void ModelRepository::FinishLoad(const std::string& name, int64_t version, uint64_t generation,
                                 StatusOr<std::shared_ptr<Model>> result, double seconds) {
  std::shared_ptr<Model> discard;  // destroyed after mu_ is released
  {
    std::lock_guard<std::mutex> lock(mu_);
    --loads_in_flight_;
    if (result.ok() && *result == nullptr) result = Internal("the loader returned no model");
    auto mit = models_.find(name);
    VersionState* v = nullptr;
    if (mit != models_.end()) {
      auto vit = mit->second.versions.find(version);
      if (vit != mit->second.versions.end() && vit->second.loading &&
          vit->second.generation == generation) {
        v = &vit->second;
      }
    }
    if (v == nullptr) {
      if (result.ok()) discard = std::move(result).value();
      LOG(INFO) << "model " << name << " version " << version
                << ": load finished after the model left the config; discarded";
    } else {
      v->loading = false;
      v->load_seconds = seconds;
      if (result.ok() && v->aspired) {
        v->model = std::move(result).value();
        v->state = ModelVersionState::kAvailable;
        v->status = Status::OK();
        v->failures = 0;
        LOG(INFO) << "model " << name << " version " << version << " loaded from " << v->dir
                  << " in " << seconds << " s; AVAILABLE";
      } else if (result.ok()) {
        discard = std::move(result).value();
        v->state = ModelVersionState::kEnd;
        v->status = Status::OK();
        LOG(INFO) << "model " << name << " version " << version
                  << ": loaded but no longer aspired; discarded";
      } else {
        v->state = ModelVersionState::kEnd;
        v->status = result.status();
        ++v->failures;
        const double backoff =
            options_.retry_interval_seconds * std::ldexp(1.0, std::min(v->failures - 1, 10));
        v->retry_at = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                         std::chrono::duration<double>(backoff));
        const bool give_up = v->failures > options_.max_load_retries;
        LOG(ERROR) << "model " << name << " version " << version << " failed to load from "
                   << v->dir << ": " << result.status().ToString()
                   << (give_up ? std::string("; giving up until its files change")
                               : StrCat("; retrying in ", backoff, " s"));
      }
      UnloadUnaspiredLocked(name, mit->second);
      PublishLocked(name);
    }
  }
  loads_cv_.notify_all();
}

void ModelRepository::Poll() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [name, m] : models_) ReconcileLocked(name, m, /*immediate=*/false);
}

bool ModelRepository::HasPendingWork() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (loads_in_flight_ > 0) return true;
  for (const auto& [name, m] : models_) {
    for (const auto& [version, v] : m.versions) {
      if (v.state == ModelVersionState::kUnloading) return true;
      if (!v.aspired) continue;
      if (v.state == ModelVersionState::kStart) return true;
      if (v.state == ModelVersionState::kEnd && v.failures > 0 &&
          v.failures <= options_.max_load_retries) {
        return true;
      }
    }
  }
  return false;
}

void ModelRepository::WaitForLoads() const {
  std::unique_lock<std::mutex> lock(mu_);
  loads_cv_.wait(lock, [this] { return loads_in_flight_ <= 0; });
}

std::vector<std::string> ModelRepository::BasePaths() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  for (const auto& [name, m] : models_) out.push_back(m.config.base_path);
  return out;
}

Status ModelRepository::ApplyConfig(std::vector<ModelConfig> configs) {
  RETURN_IF_ERROR(ValidateModelConfigs(configs));
  std::lock_guard<std::mutex> apply_lock(apply_mu_);
  std::vector<ModelState> removed;  // destroyed after mu_ is released
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::set<std::string> names;
    for (const ModelConfig& c : configs) names.insert(c.name);
    for (auto it = models_.begin(); it != models_.end();) {
      if (names.count(it->first)) {
        ++it;
        continue;
      }
      LOG(INFO) << "model " << it->first << " is no longer configured; unloading it";
      UnpublishLocked(it->first);
      removed.push_back(std::move(it->second));
      it = models_.erase(it);
    }
    for (const ModelConfig& c : configs) {
      auto it = models_.find(c.name);
      if (it != models_.end() && (it->second.config.base_path != c.base_path ||
                                  it->second.config.platform != c.platform)) {
        LOG(INFO) << "model " << c.name << ": base path or platform changed; reloading it";
        removed.push_back(std::move(it->second));
        models_.erase(it);
        it = models_.end();
      }
      if (it == models_.end()) {
        ModelState m;
        m.config = c;
        m.config.version_labels.clear();  // applied once the versions loaded
        it = models_.emplace(c.name, std::move(m)).first;
        ReconcileLocked(c.name, it->second, /*immediate=*/true);
        continue;
      }
      const bool policy_changed = !SamePolicy(it->second.config.version_policy, c.version_policy);
      std::map<std::string, int64_t> labels = std::move(it->second.config.version_labels);
      it->second.config = c;
      it->second.config.version_labels = std::move(labels);
      if (policy_changed) {
        LOG(INFO) << "model " << c.name << ": version policy is now " << c.version_policy.ToString();
      }
      ReconcileLocked(c.name, it->second, /*immediate=*/policy_changed);
    }
  }
  removed.clear();
  WaitForLoads();
  std::lock_guard<std::mutex> lock(mu_);
  return ApplyLabelsLocked(configs);
}

Status ModelRepository::ApplyLabelsLocked(const std::vector<ModelConfig>& configs) {
  std::string errors;
  for (const ModelConfig& c : configs) {
    auto mit = models_.find(c.name);
    if (mit == models_.end()) continue;
    const ModelState& m = mit->second;
    for (const auto& [label, version] : c.version_labels) {
      auto vit = m.versions.find(version);
      if (vit != m.versions.end() && vit->second.state == ModelVersionState::kAvailable) continue;
      auto old = m.config.version_labels.find(label);
      const bool is_new = old == m.config.version_labels.end();
      if (!is_new && old->second == version) continue;  // unchanged
      if (is_new && options_.allow_version_labels_for_unavailable_models) continue;
      if (!errors.empty()) errors += "; ";
      errors += StrCat("Request to assign label ", label, " to version ", version, " of model ",
                       c.name, ", which is not currently available for inference");
    }
  }
  if (!errors.empty()) {
    LOG(ERROR) << "version labels not applied: " << errors;
    return FailedPrecondition(errors);
  }
  for (const ModelConfig& c : configs) {
    auto mit = models_.find(c.name);
    if (mit == models_.end() || mit->second.config.version_labels == c.version_labels) continue;
    mit->second.config.version_labels = c.version_labels;
    PublishLocked(c.name);
  }
  return Status::OK();
}

}  // namespace stfs
