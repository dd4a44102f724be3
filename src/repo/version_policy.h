// Version discovery and selection, kept pure so that the later file-system
// poller can reuse them: list the numeric children of a base path, then pick
// the versions a policy serves.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "repo/config.h"

namespace stfs {

struct VersionDirectory {
  int64_t version = 0;
  std::string path;  // base_path/<name as on disk>
  bool operator==(const VersionDirectory& o) const { return version == o.version && path == o.path; }
};

// Children of `base_path` whose names parse as a non-negative int64
// ("00000123" -> 123), ascending by version. Other entries are ignored; when
// two names give the same number the first in name order wins (a warning is
// logged). NOT_FOUND if base_path is not a readable directory. `ignored`
// (optional) receives the names of the other entries.
StatusOr<std::vector<VersionDirectory>> ListVersionDirectories(
    const std::string& base_path, std::vector<std::string>* ignored = nullptr);

// The versions `policy` serves from `available` (ascending input), ascending:
// latest(N) = the N largest, all = every one, specific = those present.
std::vector<VersionDirectory> SelectVersions(const VersionPolicy& policy,
                                       const std::vector<VersionDirectory>& available);

// Parses a version string the way TF Serving does (decimal int64, leading
// zeros allowed, no sign); false otherwise.
bool ParseVersionNumber(std::string_view text, int64_t* version);

// What a version directory holds now: relative path, size and mtime of every
// entry (at most 10000; deeper trees are cut off), so that two equal
// fingerprints taken apart in time mean no file changed in between.
// *has_saved_model: saved_model.pb or saved_model.pbtxt is present. A plain
// file (non-TensorFlow platforms) fingerprints as itself.
std::string VersionFingerprint(const std::string& path, bool* has_saved_model);

}  // namespace stfs
