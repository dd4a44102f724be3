// Minimal leveled logging to stderr, thread-safe, with a process-wide level.
//   LOG(INFO) << "loaded model " << name;
//   CHECK(ptr != nullptr) << "context";   // programmer errors only: aborts
#pragma once

#include <sstream>
#include <string_view>

namespace stfs {

enum class LogLevel : int { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3, kFatal = 4 };

void SetLogLevel(LogLevel level);
LogLevel GetLogLevel();
// Parses "debug", "info", "warning"/"warn", "error" (case-insensitive); false if unknown.
bool ParseLogLevel(std::string_view text, LogLevel* level);

class LogMessage {
 public:
  LogMessage(LogLevel level, const char* file, int line);
  ~LogMessage();  // writes the line; aborts for kFatal
  std::ostream& stream() { return stream_; }

 private:
  LogLevel level_;
  std::ostringstream stream_;
};

// Swallows the stream when the level is disabled.
struct LogVoidify {
  void operator&(std::ostream&) {}
};

}  // namespace stfs

#define STFS_LOG_LEVEL_DEBUG ::stfs::LogLevel::kDebug
#define STFS_LOG_LEVEL_INFO ::stfs::LogLevel::kInfo
#define STFS_LOG_LEVEL_WARNING ::stfs::LogLevel::kWarning
#define STFS_LOG_LEVEL_ERROR ::stfs::LogLevel::kError
#define STFS_LOG_LEVEL_FATAL ::stfs::LogLevel::kFatal

#define LOG(severity)                                                        \
  (STFS_LOG_LEVEL_##severity < ::stfs::GetLogLevel())                        \
      ? (void)0                                                              \
      : ::stfs::LogVoidify() &                                               \
            ::stfs::LogMessage(STFS_LOG_LEVEL_##severity, __FILE__, __LINE__) \
                .stream()

#define CHECK(cond)                                                                  \
  (cond) ? (void)0                                                                   \
         : ::stfs::LogVoidify() &                                                    \
               ::stfs::LogMessage(::stfs::LogLevel::kFatal, __FILE__, __LINE__).stream() \
                   << "Check failed: " #cond " "
