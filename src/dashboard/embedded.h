// The raw files of src/dashboard/static/, compiled in by embed_assets.cmake.
// Internal to stfs_dashboard; use FindAsset (assets.h).
#pragma once

#include <cstddef>

namespace stfs::dashboard_internal {

struct EmbeddedFile {
  const char* name;  // file name inside static/
  const char* data;
  size_t size;
  const char* sha1_prefix;  // 16 hex digits of the file's SHA-1
};

extern const EmbeddedFile kEmbeddedFiles[];
extern const size_t kEmbeddedFileCount;

}  // namespace stfs::dashboard_internal
