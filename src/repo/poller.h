// FileSystemPoller: keeps a ModelRepository in step with its base paths by
// calling Poll() every `poll_wait_seconds` (TF Serving's
// --file_system_poll_wait_seconds), sooner when inotify reports a change in a
// base path (a version directory created, renamed or deleted), and every
// 250 ms while the repository has pending work (files settling, retries,
// loads, drains). Runs one thread; the destructor stops and joins it.
#pragma once

#include <atomic>
#include <thread>

#include "repo/repository.h"

namespace stfs {

class FileSystemPoller {
 public:
  // `poll_wait_seconds` > 0. `repo` must outlive the poller.
  FileSystemPoller(ModelRepository* repo, double poll_wait_seconds);
  ~FileSystemPoller();
  FileSystemPoller(const FileSystemPoller&) = delete;
  FileSystemPoller& operator=(const FileSystemPoller&) = delete;

  // Wakes the poller for an immediate scan (e.g. after a config reload).
  void Wake();

 private:
  void Run();

  ModelRepository* repo_;
  double poll_wait_seconds_;
  int inotify_fd_ = -1;
  int wake_fd_ = -1;  // eventfd: Wake() and the destructor
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace stfs
