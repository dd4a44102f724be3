#include "repo/config.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>
#include <simdjson.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "proto/model_server_config.pb.h"

namespace stfs {
namespace {

// Collects text-format parse errors instead of printing them to stderr.
class CollectingErrorPrinter : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (first_.empty()) first_ = StrCat("line ", line + 1, " column ", column + 1, ": ", message);
  }
  const std::string& first() const { return first_; }

 private:
  std::string first_;
};

bool IsLabelChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

std::string VersionPolicy::ToString() const {
  switch (kind) {
    case Kind::kLatest: return StrCat("latest(", num_versions, ")");
    case Kind::kAll: return "all";
    case Kind::kSpecific: {
      std::string s = "specific(";
      for (size_t i = 0; i < versions.size(); ++i) s += StrCat(i ? "," : "", versions[i]);
      return s + ")";
    }
  }
  return "?";
}

StatusOr<std::vector<ModelConfig>> ParseStfsJsonConfig(std::string_view text) {
  simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  simdjson::dom::element root;
  if (auto err = parser.parse(padded).get(root)) {
    return InvalidArgument("model config JSON is invalid: ", simdjson::error_message(err));
  }
  simdjson::dom::array list;
  if (root["model_config_list"].get(list)) {
    return InvalidArgument("model config JSON needs a \"model_config_list\" list");
  }
  std::vector<ModelConfig> configs;
  size_t index = 0;
  for (simdjson::dom::element entry : list) {
    const std::string where = StrCat("model_config_list[", index++, "]");
    if (!entry.is_object()) return InvalidArgument(where, " must be an object");
    ModelConfig c;
    std::string_view s;
    if (entry["name"].get(s)) return InvalidArgument(where, " needs a string \"name\"");
    c.name = std::string(s);
    if (entry["base_path"].get(s)) {
      return InvalidArgument(where, " (", c.name, ") needs a string \"base_path\"");
    }
    c.base_path = std::string(s);
    auto platform = entry["platform"];
    if (!platform.error()) {
      if (platform.get(s)) return InvalidArgument(where, " \"platform\" must be a string");
      c.platform = std::string(s);
    }
    std::string_view ops;
    if (!entry["custom_op_paths"].get(ops) && !ops.empty()) {
      return Unimplemented("model ", c.name, ": custom_op_paths (", ops,
                           ") is not supported: custom TensorFlow ops cannot be loaded");
    }
    configs.push_back(std::move(c));
  }
  return configs;
}

StatusOr<std::vector<ModelConfig>> ParseTfServingTextConfig(std::string_view text) {
  tensorflow::serving::ModelServerConfig proto;
  google::protobuf::TextFormat::Parser parser;
  CollectingErrorPrinter errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(std::string(text), &proto)) {
    return InvalidArgument("model config is not a valid text-format ModelServerConfig: ",
                           errors.first());
  }
  if (proto.has_custom_model_config()) {
    return Unimplemented("custom_model_config is not supported; use model_config_list");
  }
  std::vector<ModelConfig> configs;
  for (const auto& p : proto.model_config_list().config()) {
    ModelConfig c;
    c.name = p.name();
    c.base_path = p.base_path();
    if (!p.model_platform().empty()) c.platform = p.model_platform();
    const auto& policy = p.model_version_policy();
    switch (policy.policy_choice_case()) {
      case tensorflow::serving::FileSystemStoragePathSourceConfig::ServableVersionPolicy::kAll:
        c.version_policy.kind = VersionPolicy::Kind::kAll;
        break;
      case tensorflow::serving::FileSystemStoragePathSourceConfig::ServableVersionPolicy::kSpecific:
        c.version_policy.kind = VersionPolicy::Kind::kSpecific;
        c.version_policy.versions.assign(policy.specific().versions().begin(),
                                         policy.specific().versions().end());
        break;
      case tensorflow::serving::FileSystemStoragePathSourceConfig::ServableVersionPolicy::kLatest:
        c.version_policy.num_versions = policy.latest().num_versions();
        // TF Serving treats an unset (0) num_versions as 1.
        if (c.version_policy.num_versions == 0) c.version_policy.num_versions = 1;
        break;
      default:
        break;
    }
    for (const auto& [label, version] : p.version_labels()) c.version_labels[label] = version;
    configs.push_back(std::move(c));
  }
  return configs;
}

StatusOr<std::vector<ModelConfig>> LoadModelConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot open model config file ", path);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  size_t i = text.find_first_not_of(" \t\r\n");
  StatusOr<std::vector<ModelConfig>> configs =
      (i != std::string::npos && text[i] == '{') ? ParseStfsJsonConfig(text)
                                                 : ParseTfServingTextConfig(text);
  if (!configs.ok()) return configs.status().WithContext(StrCat("model config file ", path));
  return configs;
}

Status ValidateModelConfigs(const std::vector<ModelConfig>& configs) {
  std::set<std::string> names;
  for (const ModelConfig& c : configs) {
    if (c.name.empty()) return InvalidArgument("a model config has an empty name");
    if (c.name.find_first_of("/:") != std::string::npos) {
      return InvalidArgument("model name '", c.name, "' must not contain '/' or ':'");
    }
    if (!names.insert(c.name).second) return InvalidArgument("model name '", c.name, "' is configured twice");
    if (c.base_path.empty()) return InvalidArgument("model '", c.name, "' has an empty base_path");
    const VersionPolicy& p = c.version_policy;
    if (p.kind == VersionPolicy::Kind::kLatest && p.num_versions < 1) {
      return InvalidArgument("model '", c.name, "': latest num_versions must be >= 1");
    }
    if (p.kind == VersionPolicy::Kind::kSpecific && p.versions.empty()) {
      return InvalidArgument("model '", c.name, "': specific version policy lists no versions");
    }
    for (const auto& [label, version] : c.version_labels) {
      if (label.empty() || !std::all_of(label.begin(), label.end(), IsLabelChar)) {
        return InvalidArgument("model '", c.name, "': version label '", label,
                               "' must match [a-zA-Z0-9_]+");
      }
      if (version < 0) return InvalidArgument("model '", c.name, "': label '", label, "' points at negative version ", version);
      if (p.kind == VersionPolicy::Kind::kSpecific &&
          std::find(p.versions.begin(), p.versions.end(), version) == p.versions.end()) {
        return InvalidArgument("model '", c.name, "': label '", label, "' points at version ",
                               version, " which the version policy ", p.ToString(),
                               " does not serve");
      }
    }
  }
  return Status::OK();
}

}  // namespace stfs
