#include "server/reload.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>

#include "base/logging.h"
#include "repo/config.h"

namespace stfs::server {

RepositoryOptions RepositoryOptionsFromFlags(const ServerFlags& f) {
  RepositoryOptions o;
  o.num_load_threads = std::max(1, f.num_load_threads);
  o.max_load_retries = f.max_num_load_retries;
  o.retry_interval_seconds = static_cast<double>(f.load_retry_interval_micros) / 1e6;
  o.allow_version_labels_for_unavailable_models = f.allow_version_labels_for_unavailable_models;
  // New versions must look unchanged for one poll interval (at least 1 s).
  o.settle_seconds = std::max(1, f.file_system_poll_wait_seconds);
  return o;
}

StatusOr<std::string> ReadConfigText(const std::string& path) {
  constexpr size_t kMaxBytes = 16u << 20;
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read model config file ", path);
  // Read in chunks: this runs on every reload poll, and a config is a few KiB.
  std::string text;
  char chunk[16 << 10];
  while (in.read(chunk, sizeof(chunk)) || in.gcount() > 0) {
    text.append(chunk, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxBytes) return InvalidArgument("model config file ", path, " is over 16 MiB");
  }
  return text;
}

ConfigReloader::ConfigReloader(ModelRepository* repo, std::string path, std::string applied_text,
                               int poll_wait_seconds, FileSystemPoller* poller)
    : repo_(repo),
      path_(std::move(path)),
      applied_text_(std::move(applied_text)),
      poll_wait_seconds_(poll_wait_seconds),
      poller_(poller) {
  thread_ = std::thread([this] { Run(); });
}

ConfigReloader::~ConfigReloader() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void ConfigReloader::RequestReload() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    requested_ = true;
  }
  cv_.notify_all();
}

void ConfigReloader::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    if (poll_wait_seconds_ > 0) {
      cv_.wait_for(lock, std::chrono::seconds(poll_wait_seconds_), [this] { return stop_ || requested_; });
    } else {
      cv_.wait(lock, [this] { return stop_ || requested_; });
    }
    if (stop_) break;
    const bool force = requested_;
    requested_ = false;
    lock.unlock();
    ReloadIfChanged(force);
    lock.lock();
  }
}

void ConfigReloader::ReloadIfChanged(bool force) {
  auto text = ReadConfigText(path_);
  if (!text.ok()) {
    LOG(ERROR) << "config reload: " << text.status().message() << "; keeping the current config";
    return;
  }
  if (!force && *text == applied_text_) return;
  auto configs = LoadModelConfigFile(path_);
  if (!configs.ok()) {
    LOG(ERROR) << "config reload: " << configs.status().message() << "; keeping the current config";
    applied_text_ = *text;  // report a bad file once, not every poll
    return;
  }
  LOG(INFO) << "config reload: applying " << path_ << " (" << configs->size() << " model(s))"
            << (force ? " on request" : "");
  applied_text_ = *text;
  Status s = repo_->ApplyConfig(std::move(configs).value());
  if (!s.ok()) {
    LOG(ERROR) << "config reload: " << s.message();
  } else {
    LOG(INFO) << "config reload: done";
  }
  if (poller_) poller_->Wake();
}

}  // namespace stfs::server
