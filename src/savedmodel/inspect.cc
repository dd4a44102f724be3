#include "savedmodel/inspect.h"

#include <nlohmann/json.hpp>

#include <sstream>

#include "savedmodel/bundle_reader.h"
#include "savedmodel/file_util.h"
#include "savedmodel/reachability.h"
#include "savedmodel/saved_model.h"

namespace stfs {
namespace {

using nlohmann::json;

constexpr char kInitOpSignature[] = "__saved_model_init_op";

std::vector<std::string> SplitTags(const std::string& tag_set) {
  std::vector<std::string> tags;
  std::stringstream ss(tag_set);
  std::string t;
  while (std::getline(ss, t, ',')) {
    size_t b = t.find_first_not_of(" \t"), e = t.find_last_not_of(" \t");
    if (b != std::string::npos) tags.push_back(t.substr(b, e - b + 1));
  }
  return tags;
}

std::string DTypeString(const TensorInfo& t) {
  return StrCat(DTypeName(t.dtype), t.is_ref ? "_ref" : "");
}

json ShapeJson(const PartialShape& s) {
  if (s.unknown_rank()) return nullptr;
  return s.dims();
}

json TensorJson(const TensorInfo& t) {
  json j = {{"alias", t.alias}, {"tensor_name", t.tensor_name}, {"dtype", DTypeString(t)},
            {"shape", ShapeJson(t.shape)}};
  if (t.is_sparse) j["coo_sparse"] = true;
  return j;
}

// Everything shown for one version, gathered once for both output formats.
json InspectVersion(const std::string& export_dir, const std::string& tag_set, Status* error) {
  json v;
  v["export_dir"] = export_dir;
  const std::vector<std::string> tags = SplitTags(tag_set);
  auto loaded = tag_set == "serve" ? ReadSavedModel(export_dir) : ReadSavedModel(export_dir, tags);
  if (!loaded.ok()) {
    *error = loaded.status();
    v["error"] = loaded.status().ToString();
    return v;
  }
  const LoadedSavedModel& m = *loaded;
  v["model_file"] = m.model_file;
  v["tag_sets"] = m.available_tag_sets;
  v["tags"] = m.tags;
  json sigs = json::object();
  std::vector<std::string> outputs;
  for (const auto& [name, sig] : m.signatures) {
    json s = {{"method_name", sig.method_name}, {"inputs", json::array()}, {"outputs", json::array()}};
    for (const auto& t : sig.inputs) s["inputs"].push_back(TensorJson(t));
    for (const auto& t : sig.outputs) s["outputs"].push_back(TensorJson(t));
    if (!sig.defaults.empty()) {
      json d = json::object();
      for (const auto& [alias, t] : sig.defaults) d[alias] = t.DebugString(6);
      s["defaults"] = d;
    }
    sigs[name] = s;
    if (name != kInitOpSignature) {
      for (auto& n : SignatureOutputTensorNames(m.meta_graph->signature_def().at(name))) outputs.push_back(n);
    }
  }
  v["signatures"] = sigs;
  auto ops = ReachableOpTypes(m.meta_graph->graph_def(), outputs);
  v["op_types"] = std::vector<std::string>(ops.begin(), ops.end());
  json assets = json::array();
  for (const auto& a : m.assets) assets.push_back({{"tensor_name", a.tensor_name}, {"filename", a.filename}, {"path", a.path}});
  v["assets"] = assets;
  json vars = {{"prefix", m.variables_prefix}, {"entries", json::array()}};
  if (!m.variables_prefix.empty()) {
    auto reader = BundleReader::Open(m.variables_prefix);
    if (!reader.ok()) {
      vars["error"] = reader.status().ToString();
    } else {
      int64_t total = 0;
      for (const std::string& key : (*reader)->Keys()) {
        auto e = (*reader)->Entry(key);
        if (!e.ok()) continue;
        int64_t bytes = e->size;
        for (const TensorSlice& s : e->slices) {
          auto part = (*reader)->Entry(EncodeTensorNameSlice(key, s));
          if (part.ok()) bytes += part->size;
        }
        total += bytes;
        json entry = {{"key", key}, {"dtype", std::string(DTypeName(e->dtype))}, {"shape", e->shape.dims()},
                      {"bytes", bytes}};
        if (e->sliced) entry["slices"] = e->slices.size();
        vars["entries"].push_back(entry);
      }
      vars["total_bytes"] = total;
      vars["num_shards"] = (*reader)->num_shards();
    }
  }
  v["variables"] = vars;
  return v;
}

std::string ShapeText(const json& shape) {
  if (shape.is_null()) return "<unknown rank>";
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    int64_t d = shape[i].get<int64_t>();
    s += (i ? "," : "") + (d < 0 ? std::string("?") : std::to_string(d));
  }
  return s + "]";
}

std::string TagsText(const json& tags) {
  std::vector<std::string> t = tags.get<std::vector<std::string>>();
  return TagSetString(t);
}

void AppendText(const json& v, std::string* out) {
  std::string& o = *out;
  o += StrCat("Export dir: ", v["export_dir"].get<std::string>(), "\n");
  if (v.contains("error")) {
    o += StrCat("  ERROR: ", v["error"].get<std::string>(), "\n");
    return;
  }
  o += StrCat("Model file: ", v["model_file"].get<std::string>(), "\n");
  std::string sets;
  for (const auto& t : v["tag_sets"]) sets += (sets.empty() ? "" : ", ") + TagsText(t);
  o += StrCat("MetaGraph tag sets: ", sets, "\n");
  o += StrCat("Selected tag set: ", TagsText(v["tags"]), "\n");
  o += StrCat("Signatures (", v["signatures"].size(), "):\n");
  for (const auto& [name, s] : v["signatures"].items()) {
    o += StrCat("  signature '", name, "' (method: ", s["method_name"].get<std::string>(), ")\n");
    for (const char* dir : {"inputs", "outputs"}) {
      o += StrCat("    ", dir, ":", s[dir].empty() ? " (none)" : "", "\n");
      for (const auto& t : s[dir]) {
        o += StrCat("      ", t["alias"].get<std::string>(), ": dtype ", t["dtype"].get<std::string>(), " shape ",
                    ShapeText(t["shape"]), " name ", t["tensor_name"].get<std::string>(),
                    t.contains("coo_sparse") ? " (coo_sparse)" : "", "\n");
      }
    }
    if (s.contains("defaults")) {
      for (const auto& [alias, d] : s["defaults"].items()) {
        o += StrCat("    default ", alias, ": ", d.get<std::string>(), "\n");
      }
    }
  }
  std::string ops;
  for (const auto& op : v["op_types"]) ops += (ops.empty() ? "" : ", ") + op.get<std::string>();
  o += StrCat("Op types reachable from the signature outputs (", v["op_types"].size(), "): ", ops, "\n");
  if (!v["assets"].empty()) {
    o += "Assets:\n";
    for (const auto& a : v["assets"]) {
      o += StrCat("  ", a["filename"].get<std::string>(), " -> ", a["tensor_name"].get<std::string>(), "\n");
    }
  }
  const json& vars = v["variables"];
  if (vars["prefix"].get<std::string>().empty()) {
    o += "Variables: none (no variables/variables.index)\n";
  } else if (vars.contains("error")) {
    o += StrCat("Variables: ERROR: ", vars["error"].get<std::string>(), "\n");
  } else {
    o += StrCat("Variables (", vars["entries"].size(), " tensors, ", vars["total_bytes"].get<int64_t>(), " bytes, ",
                vars["num_shards"].get<int>(), " shard(s)):\n");
    for (const auto& e : vars["entries"]) {
      o += StrCat("  ", e["key"].get<std::string>(), ": ", e["dtype"].get<std::string>(), " ", ShapeText(e["shape"]),
                  " ", e["bytes"].get<int64_t>(), " bytes",
                  e.contains("slices") ? StrCat(" in ", e["slices"].get<size_t>(), " slices") : std::string(), "\n");
    }
  }
}

}  // namespace

StatusOr<std::string> InspectSavedModel(const std::string& dir, const std::string& tag_set, bool json_output) {
  json result;
  result["path"] = dir;
  json versions = json::array();
  Status first_error;
  int failed = 0;
  if (IsSavedModelDir(dir)) {
    Status err;
    json v = InspectVersion(dir, tag_set, &err);
    if (!err.ok()) return err;
    std::string base = dir;
    while (base.size() > 1 && base.back() == '/') base.pop_back();
    base = base.substr(base.find_last_of('/') == std::string::npos ? 0 : base.find_last_of('/') + 1);
    int64_t version;
    v["version"] = nullptr;
    if (ParseVersionName(base, &version)) v["version"] = version;
    versions.push_back(v);
  } else if (!IsDirectory(dir)) {
    return NotFound(dir, ": no such directory");
  } else {
    for (const VersionDir& d : ListVersionDirs(dir)) {
      const std::string vdir = JoinPath(dir, d.name);
      if (!IsSavedModelDir(vdir)) continue;
      Status err;
      json v = InspectVersion(vdir, tag_set, &err);
      if (!err.ok()) {
        ++failed;
        if (first_error.ok()) first_error = err;
      }
      v["version"] = d.version;
      versions.push_back(v);
    }
    if (versions.empty()) {
      return NotFound(dir, ": not a SavedModel directory (no saved_model.pb/.pbtxt) and no numeric version "
                      "subdirectory holds one");
    }
    if (failed == static_cast<int>(versions.size())) return first_error;
  }
  result["versions"] = versions;
  if (json_output) return result.dump(2) + "\n";

  std::string out;
  std::string list;
  for (const auto& v : versions) {
    list += (list.empty() ? "" : ", ") + (v["version"].is_null() ? std::string("(unversioned)")
                                                                  : std::to_string(v["version"].get<int64_t>()));
  }
  out += StrCat("SavedModel: ", dir, "\nVersions: ", list, "\n");
  for (const auto& v : versions) {
    out += StrCat("\n== Version ", v["version"].is_null() ? std::string("(unversioned)")
                                                           : std::to_string(v["version"].get<int64_t>()), "\n");
    AppendText(v, &out);
  }
  return out;
}

}  // namespace stfs
