// Online model lifecycle for the server binary: repository options from the
// flags, and ConfigReloader, which re-reads --model_config_file when its
// content changes (every --model_config_file_poll_wait_seconds) or when
// RequestReload() is called (SIGHUP) and applies it to the repository:
// added models load, removed ones unload, policies and labels change.
// A config that fails to parse or validate is logged and changes nothing;
// the previous config keeps serving.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "repo/poller.h"
#include "repo/repository.h"
#include "server/flags.h"

namespace stfs::server {

RepositoryOptions RepositoryOptionsFromFlags(const ServerFlags& flags);

class ConfigReloader {
 public:
  // `applied_text`: the file content already applied at startup.
  // `poll_wait_seconds` 0: only RequestReload(). `poller` (nullable) is
  // woken after each reload so new base paths are watched at once.
  ConfigReloader(ModelRepository* repo, std::string path, std::string applied_text,
                 int poll_wait_seconds, FileSystemPoller* poller);
  ~ConfigReloader();
  ConfigReloader(const ConfigReloader&) = delete;
  ConfigReloader& operator=(const ConfigReloader&) = delete;

  // Asynchronous: the reloader thread re-reads and applies the file even if
  // its content did not change.
  void RequestReload();

 private:
  void Run();
  void ReloadIfChanged(bool force);

  ModelRepository* repo_;
  std::string path_;
  std::string applied_text_;
  int poll_wait_seconds_;
  FileSystemPoller* poller_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool requested_ = false;
  bool stop_ = false;
  std::thread thread_;
};

// The bytes of `path` (at most 16 MiB), or an error naming it.
StatusOr<std::string> ReadConfigText(const std::string& path);

}  // namespace stfs::server
