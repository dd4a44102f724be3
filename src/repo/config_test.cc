#include "repo/config.h"

#include <gtest/gtest.h>

#include <fstream>

namespace stfs {
namespace {

ModelConfig Cfg(std::string name, std::string base_path, std::string platform = "tensorflow") {
  ModelConfig c;
  c.name = std::move(name);
  c.base_path = std::move(base_path);
  c.platform = std::move(platform);
  return c;
}

TEST(ConfigTest, ParsesOriginalJson) {
  auto c = ParseStfsJsonConfig(R"({"model_config_list": [
      {"name": "default", "base_path": "./models/a/", "platform": "tensorflow"},
      {"name": "b", "base_path": "/m/b", "session_config": {"allow_growth": true}}]})");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->size(), 2u);
  EXPECT_EQ((*c)[0].name, "default");
  EXPECT_EQ((*c)[0].base_path, "./models/a/");
  EXPECT_EQ((*c)[1].platform, "tensorflow");  // default
  EXPECT_EQ((*c)[1].version_policy.kind, VersionPolicy::Kind::kLatest);
  EXPECT_EQ((*c)[1].version_policy.num_versions, 1u);
}

TEST(ConfigTest, OriginalJsonErrors) {
  EXPECT_FALSE(ParseStfsJsonConfig("{").ok());
  EXPECT_FALSE(ParseStfsJsonConfig(R"({"models": []})").ok());
  EXPECT_FALSE(ParseStfsJsonConfig(R"({"model_config_list": [{"name": "a"}]})").ok());
  auto ops = ParseStfsJsonConfig(
      R"({"model_config_list": [{"name": "a", "base_path": "/x", "custom_op_paths": "/ops"}]})");
  EXPECT_EQ(ops.status().code(), Code::kUnimplemented);
}

TEST(ConfigTest, ParsesTfServingTextWithPolicyAndLabels) {
  auto c = ParseTfServingTextConfig(R"(
    model_config_list {
      config {
        name: 'my_first_model'
        base_path: '/models/my_first_model/'
        model_platform: 'tensorflow'
        model_version_policy { specific { versions: 42 versions: 43 } }
        version_labels { key: 'stable' value: 42 }
        version_labels { key: 'canary' value: 43 }
      }
      config: { name: "second", base_path: "/models/second", model_version_policy: { all: {} } },
      config { name: "third" base_path: "/m3" model_version_policy { latest { num_versions: 2 } } }
    })");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->size(), 3u);
  EXPECT_EQ((*c)[0].version_policy.kind, VersionPolicy::Kind::kSpecific);
  EXPECT_EQ((*c)[0].version_policy.versions, (std::vector<int64_t>{42, 43}));
  EXPECT_EQ((*c)[0].version_labels.at("stable"), 42);
  EXPECT_EQ((*c)[0].version_labels.at("canary"), 43);
  EXPECT_EQ((*c)[1].version_policy.kind, VersionPolicy::Kind::kAll);
  EXPECT_EQ((*c)[2].version_policy.num_versions, 2u);
  EXPECT_TRUE(ValidateModelConfigs(*c).ok());
}

TEST(ConfigTest, TfServingFixtures) {
  std::string dir = std::string(STFS_MODELS_DIR) + "/tfserving/_fixtures/";
  auto good = LoadModelConfigFile(dir + "good_model_config.txt");
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  ASSERT_EQ(good->size(), 2u);
  EXPECT_EQ((*good)[1].name, "half_plus_three");
  EXPECT_EQ((*good)[1].base_path, "${TEST_HALF_PLUS_THREE_DIR}");
  auto bad = LoadModelConfigFile(dir + "bad_model_config.txt");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("bad_model_config.txt"), std::string::npos);
  EXPECT_EQ(LoadModelConfigFile(dir + "missing.txt").status().code(), Code::kNotFound);
  auto stfs = LoadModelConfigFile(std::string(STFS_MODELS_DIR) +
                                  "/stfs/_test_inputs/examples_model_config_file.json");
  ASSERT_TRUE(stfs.ok()) << stfs.status().ToString();
  EXPECT_EQ(stfs->size(), 9u);
  EXPECT_EQ((*stfs)[3].platform, "mxnet");
}

TEST(ConfigTest, Validation) {
  ModelConfig a = Cfg("a", "/a");
  ModelConfig dup = Cfg("a", "/b");
  EXPECT_FALSE(ValidateModelConfigs({a, dup}).ok());
  ModelConfig no_path = Cfg("b", "");
  EXPECT_FALSE(ValidateModelConfigs({no_path}).ok());
  ModelConfig bad_label = Cfg("c", "/c");
  bad_label.version_labels["bad-label"] = 1;
  EXPECT_FALSE(ValidateModelConfigs({bad_label}).ok());
  ModelConfig label_outside = Cfg("d", "/d");
  label_outside.version_policy.kind = VersionPolicy::Kind::kSpecific;
  label_outside.version_policy.versions = {1};
  label_outside.version_labels["stable"] = 2;
  EXPECT_FALSE(ValidateModelConfigs({label_outside}).ok());
  ModelConfig slash = Cfg("x/y", "/d");
  EXPECT_FALSE(ValidateModelConfigs({slash}).ok());
}

}  // namespace
}  // namespace stfs
