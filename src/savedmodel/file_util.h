// Small filesystem helpers with Status errors (no exceptions escape).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

namespace stfs {

// Reads a whole regular file. Files larger than `max_bytes` are rejected
// before reading (RESOURCE_EXHAUSTED naming the file).
StatusOr<std::string> ReadFileToString(const std::string& path, uint64_t max_bytes);
// Writes (truncating) a file.
Status WriteStringToFile(const std::string& path, const std::string& contents);

bool FileExists(const std::string& path);  // regular file (following links)
bool IsDirectory(const std::string& path);
// Names (not paths) of the entries of a directory, sorted.
StatusOr<std::vector<std::string>> ListDirectory(const std::string& path);
// "a" + "b" -> "a/b" (no doubled separator).
std::string JoinPath(const std::string& a, const std::string& b);

}  // namespace stfs
