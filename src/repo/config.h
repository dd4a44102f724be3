// Model server configuration: which models to serve, where, and which
// versions. Two file formats are accepted:
//   * the original simple_tensorflow_serving JSON
//     {"model_config_list": [{"name", "base_path", "platform"}, ...]};
//   * TF Serving's text-format ModelServerConfig (model_config_list { config
//     { name base_path model_platform model_version_policy version_labels } }).
// Pure parsing; no file system access except LoadModelConfigFile.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace stfs {

struct VersionPolicy {
  enum class Kind { kLatest, kAll, kSpecific };
  Kind kind = Kind::kLatest;
  uint32_t num_versions = 1;      // kLatest (>= 1)
  std::vector<int64_t> versions;  // kSpecific
  // "latest(1)", "all", "specific(1,2)"
  std::string ToString() const;
};

struct ModelConfig {
  std::string name;
  std::string base_path;
  std::string platform = "tensorflow";
  VersionPolicy version_policy;
  std::map<std::string, int64_t> version_labels;
};

// Original STFS JSON. Extra keys (custom_op_paths, session_config) are
// accepted and ignored; a non-empty custom_op_paths is reported as an error
// (custom ops are not supported).
StatusOr<std::vector<ModelConfig>> ParseStfsJsonConfig(std::string_view text);
// TF Serving text-format ModelServerConfig.
StatusOr<std::vector<ModelConfig>> ParseTfServingTextConfig(std::string_view text);
// Reads `path` and parses it as JSON if its first non-space byte is '{',
// else as text format. Errors name the file.
StatusOr<std::vector<ModelConfig>> LoadModelConfigFile(const std::string& path);

// Names unique and non-empty, base_path non-empty, latest num_versions >= 1,
// specific versions non-empty, labels point at versions >= 0 and, for a
// specific policy, at listed versions.
Status ValidateModelConfigs(const std::vector<ModelConfig>& configs);

}  // namespace stfs
