#include "repo/version_policy.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <system_error>

#include "base/logging.h"

namespace stfs {

bool ParseVersionNumber(std::string_view text, int64_t* version) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  size_t first = text.find_first_not_of('0');
  if (first == std::string_view::npos) {
    *version = 0;
    return true;
  }
  auto [ptr, ec] = std::from_chars(text.data() + first, text.data() + text.size(), *version);
  return ec == std::errc() && ptr == text.data() + text.size();
}

StatusOr<std::vector<VersionDirectory>> ListVersionDirectories(const std::string& base_path,
                                                               std::vector<std::string>* ignored) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(base_path, ec)) {
    return NotFound("model base path ", base_path, " is not a directory",
                    ec ? StrCat(" (", ec.message(), ")") : std::string());
  }
  std::vector<std::pair<std::string, int64_t>> found;
  fs::directory_iterator it(base_path, ec), end;
  if (ec) return NotFound("cannot list model base path ", base_path, ": ", ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec) return NotFound("cannot list model base path ", base_path, ": ", ec.message());
    std::error_code dir_ec;
    const std::string name = it->path().filename().string();
    int64_t v;
    if (it->is_directory(dir_ec) && ParseVersionNumber(name, &v)) {
      found.emplace_back(name, v);
    } else if (ignored) {
      ignored->push_back(name);
    }
  }
  std::sort(found.begin(), found.end());  // name order: deterministic duplicate choice
  std::vector<VersionDirectory> out;
  for (const auto& [name, v] : found) {
    auto dup = std::find_if(out.begin(), out.end(), [&](const VersionDirectory& d) { return d.version == v; });
    if (dup != out.end()) {
      LOG(WARNING) << "model base path " << base_path << ": directories " << dup->path << " and "
                   << name << " both give version " << v << "; using the first";
      continue;
    }
    out.push_back({v, (fs::path(base_path) / name).string()});
  }
  std::sort(out.begin(), out.end(), [](const VersionDirectory& a, const VersionDirectory& b) { return a.version < b.version; });
  return out;
}

std::vector<VersionDirectory> SelectVersions(const VersionPolicy& policy,
                                       const std::vector<VersionDirectory>& available) {
  std::vector<VersionDirectory> out;
  switch (policy.kind) {
    case VersionPolicy::Kind::kAll:
      out = available;
      break;
    case VersionPolicy::Kind::kLatest: {
      size_t n = std::min<size_t>(std::max<uint32_t>(policy.num_versions, 1), available.size());
      out.assign(available.end() - n, available.end());
      break;
    }
    case VersionPolicy::Kind::kSpecific:
      for (const VersionDirectory& d : available) {
        if (std::find(policy.versions.begin(), policy.versions.end(), d.version) != policy.versions.end()) {
          out.push_back(d);
        }
      }
      break;
  }
  return out;
}

std::string VersionFingerprint(const std::string& path, bool* has_saved_model) {
  namespace fs = std::filesystem;
  *has_saved_model = false;
  std::string fp;
  auto add = [&fp](const fs::path& rel, const fs::directory_entry& e) {
    std::error_code ec;
    const bool is_file = e.is_regular_file(ec);
    const uintmax_t size = is_file ? e.file_size(ec) : 0;
    const auto mtime = e.last_write_time(ec).time_since_epoch().count();
    fp += StrCat(rel.string(), '|', is_file ? size : 0, '|', static_cast<int64_t>(mtime), '\n');
  };
  std::error_code ec;
  fs::directory_entry self(path, ec);
  if (ec || !self.exists(ec)) return "missing";
  if (!self.is_directory(ec)) {
    add(fs::path("."), self);
    *has_saved_model = true;
    return fp;
  }
  fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
  std::vector<std::string> lines;
  for (int n = 0; !ec && it != end && n < 10000; it.increment(ec), ++n) {
    const fs::path rel = it->path().lexically_relative(path);
    if (rel == "saved_model.pb" || rel == "saved_model.pbtxt") *has_saved_model = true;
    fp.clear();
    add(rel, *it);
    lines.push_back(std::move(fp));
  }
  std::sort(lines.begin(), lines.end());  // iteration order is unspecified
  fp = "dir\n";  // never empty: an empty directory differs from "not seen yet"
  for (const std::string& l : lines) fp += l;
  if (ec) fp += StrCat("error:", ec.message());
  return fp;
}

}  // namespace stfs
