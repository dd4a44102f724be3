#include "dashboard/assets.h"

#include <algorithm>
#include <string>
#include <vector>

#include "dashboard/embedded.h"

namespace stfs {
namespace {

using dashboard_internal::kEmbeddedFileCount;
using dashboard_internal::kEmbeddedFiles;

std::string_view ContentType(std::string_view name) {
  struct Entry {
    std::string_view ext, type;
  };
  static constexpr Entry kTypes[] = {
      {".html", "text/html; charset=utf-8"},  {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},    {".svg", "image/svg+xml"},
      {".json", "application/json"},          {".png", "image/png"},
      {".ico", "image/x-icon"},               {".txt", "text/plain; charset=utf-8"},
  };
  for (const Entry& e : kTypes) {
    if (name.ends_with(e.ext)) return e.type;
  }
  return "application/octet-stream";
}

struct Table {
  std::vector<std::string> paths;  // owns the strings Asset::path points into
  std::vector<std::string> etags;
  std::vector<Asset> assets;
};

const Table& GetTable() {
  static const Table* table = [] {
    auto* t = new Table;
    t->paths.reserve(kEmbeddedFileCount);
    t->etags.reserve(kEmbeddedFileCount);
    for (size_t i = 0; i < kEmbeddedFileCount; ++i) {
      const auto& f = kEmbeddedFiles[i];
      const std::string_view name = f.name;
      t->paths.push_back(name == "index.html" ? "/" : "/dashboard/" + std::string(name));
      t->etags.push_back("\"" + std::string(f.sha1_prefix) + "\"");
    }
    for (size_t i = 0; i < kEmbeddedFileCount; ++i) {
      const auto& f = kEmbeddedFiles[i];
      t->assets.push_back(
          {t->paths[i], ContentType(f.name), std::string_view(f.data, f.size), t->etags[i]});
    }
    std::sort(t->assets.begin(), t->assets.end(),
              [](const Asset& a, const Asset& b) { return a.path < b.path; });
    return t;
  }();
  return *table;
}

}  // namespace

const Asset* FindAsset(std::string_view path) {
  path = path.substr(0, path.find_first_of("?#"));
  if (path == "/index.html" || path == "/dashboard" || path == "/dashboard/" ||
      path == "/dashboard/index.html") {
    path = "/";
  }
  const auto& assets = GetTable().assets;
  auto it = std::lower_bound(assets.begin(), assets.end(), path,
                             [](const Asset& a, std::string_view p) { return a.path < p; });
  return it != assets.end() && it->path == path ? &*it : nullptr;
}

std::span<const Asset> AllAssets() { return GetTable().assets; }

}  // namespace stfs
