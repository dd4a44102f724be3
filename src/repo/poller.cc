#include "repo/poller.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>

#include "base/logging.h"

namespace stfs {

FileSystemPoller::FileSystemPoller(ModelRepository* repo, double poll_wait_seconds)
    : repo_(repo), poll_wait_seconds_(poll_wait_seconds) {
  inotify_fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd_ < 0) LOG(WARNING) << "inotify unavailable; polling base paths only";
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  thread_ = std::thread([this] { Run(); });
}

FileSystemPoller::~FileSystemPoller() {
  stop_ = true;
  Wake();
  thread_.join();
  if (inotify_fd_ >= 0) close(inotify_fd_);
  if (wake_fd_ >= 0) close(wake_fd_);
}

void FileSystemPoller::Wake() {
  if (wake_fd_ < 0) return;
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = write(wake_fd_, &one, sizeof(one));
}

void FileSystemPoller::Run() {
  using Clock = std::chrono::steady_clock;
  std::map<std::string, int> watches;  // base path -> watch descriptor
  Clock::time_point next_scan = Clock::now();
  while (!stop_) {
    // Watch the current base paths (models come and go with config reloads).
    if (inotify_fd_ >= 0) {
      std::vector<std::string> paths = repo_->BasePaths();
      for (auto it = watches.begin(); it != watches.end();) {
        if (std::find(paths.begin(), paths.end(), it->first) == paths.end()) {
          inotify_rm_watch(inotify_fd_, it->second);
          it = watches.erase(it);
        } else {
          ++it;
        }
      }
      for (const std::string& p : paths) {
        if (watches.count(p)) continue;
        int wd = inotify_add_watch(inotify_fd_, p.c_str(),
                                   IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM |
                                       IN_CLOSE_WRITE | IN_DELETE_SELF | IN_MOVE_SELF);
        if (wd >= 0) watches[p] = wd;  // else: missing now; retried next round
      }
    }
    const double wait = repo_->HasPendingWork() ? std::min(0.25, poll_wait_seconds_)
                                                : poll_wait_seconds_;
    const Clock::time_point now = Clock::now();
    next_scan = std::min(next_scan, now + std::chrono::duration_cast<Clock::duration>(
                                              std::chrono::duration<double>(wait)));
    const int timeout_ms = static_cast<int>(
        std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::milliseconds>(next_scan - now).count()));
    pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {inotify_fd_, POLLIN, 0}};
    int ready = ::poll(fds, inotify_fd_ >= 0 ? 2 : 1, timeout_ms);
    if (stop_) break;
    if (ready > 0) {
      char buf[4096];
      if (fds[0].revents & POLLIN) {
        [[maybe_unused]] ssize_t n = read(wake_fd_, buf, sizeof(uint64_t));
      }
      if (inotify_fd_ >= 0 && (fds[1].revents & POLLIN)) {
        while (read(inotify_fd_, buf, sizeof(buf)) > 0) {
        }
        // A deleted/moved base path loses its watch: re-add every path next
        // round (re-adding a live watch returns the same descriptor).
        watches.clear();
      }
    } else if (Clock::now() < next_scan) {
      continue;
    }
    repo_->Poll();
    next_scan = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(poll_wait_seconds_));
  }
}

}  // namespace stfs
