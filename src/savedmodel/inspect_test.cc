#include "savedmodel/inspect.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "savedmodel/saved_model.h"

namespace stfs {
namespace {

namespace fs = std::filesystem;
const std::string kModels = STFS_MODELS_DIR;

// README section "Op types reachable from the serving signatures":
// "- `base/`: A, B, C" -> {base: [A, B, C]}.
std::map<std::string, std::vector<std::string>> ReadmeOpTypes() {
  std::ifstream f(kModels + "/README.md");
  std::string line;
  bool in_section = false;
  std::map<std::string, std::vector<std::string>> out;
  const std::regex row("^- `([^`]+/)`: (.*)$");
  while (std::getline(f, line)) {
    if (line.rfind("## ", 0) == 0) in_section = line.find("Op types reachable") != std::string::npos;
    std::smatch m;
    if (!in_section || !std::regex_match(line, m, row)) continue;
    std::vector<std::string> ops;
    std::string list = m[2];
    if (list != "(none)") {
      std::stringstream ss(list);
      std::string op;
      while (std::getline(ss, op, ',')) {
        op.erase(0, op.find_first_not_of(' '));
        ops.push_back(op);
      }
    }
    out[m[1]] = ops;
  }
  return out;
}

TEST(InspectTest, HalfPlusTwoText) {
  auto out = InspectSavedModel(kModels + "/tensorflow/half_plus_two");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const std::string& s = *out;
  EXPECT_NE(s.find("Versions: 123"), std::string::npos) << s;
  for (const char* sig : {"classify_x2_to_y3", "classify_x_to_y", "regress_x2_to_y3", "regress_x_to_y",
                          "regress_x_to_y2", "serving_default"}) {
    EXPECT_NE(s.find(StrCat("signature '", sig, "'")), std::string::npos) << sig;
  }
  EXPECT_NE(s.find("x: dtype float shape [?,1] name x:0"), std::string::npos) << s;
  EXPECT_NE(s.find("method: tensorflow/serving/classify"), std::string::npos);
  // README: Add, Const, Identity, Mul, ParseExample, Placeholder, Reshape, VariableV2.
  EXPECT_NE(s.find("Op types reachable from the signature outputs (8): Add, Const, Identity, Mul, ParseExample, "
                   "Placeholder, Reshape, VariableV2"),
            std::string::npos) << s;
  EXPECT_NE(s.find("foo.txt"), std::string::npos);
  // Checkpoint a=0.5, b=2, c=3 style scalars: 4 float32 scalars? Check keys are listed with dtype/shape.
  EXPECT_NE(s.find("  a: float [] 4 bytes"), std::string::npos) << s;
}

TEST(InspectTest, JsonAndOpTypesMatchReadmeForEveryModel) {
  const auto readme = ReadmeOpTypes();
  ASSERT_GE(readme.size(), 40u);
  int compared = 0;
  for (const auto& [base, want] : readme) {
    if (base.rfind("tensorflow/fuzz_generated/", 0) == 0) continue;  // not loadable by design
    SCOPED_TRACE(base);
    auto out = InspectSavedModel(kModels + "/" + base, "serve", /*json=*/true);
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    auto j = nlohmann::json::parse(*out);
    ASSERT_FALSE(j["versions"].empty());
    for (const auto& v : j["versions"]) {
      ASSERT_FALSE(v.contains("error")) << v["error"];
      EXPECT_EQ(v["op_types"].get<std::vector<std::string>>(), want);
    }
    ++compared;
  }
  EXPECT_GE(compared, 40);
}

TEST(InspectTest, JsonStructure) {
  auto out = InspectSavedModel(kModels + "/stfs/distributed_tensorflow_model/1", "serve", true);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  auto j = nlohmann::json::parse(*out);
  ASSERT_EQ(j["versions"].size(), 1u);
  const auto& v = j["versions"][0];
  EXPECT_EQ(v["version"], 1);
  EXPECT_EQ(v["tags"], nlohmann::json({"serve"}));
  const auto& sig = v["signatures"]["serving_default"];
  EXPECT_EQ(sig["method_name"], "tensorflow/serving/predict");
  EXPECT_EQ(sig["inputs"][0]["alias"], "features");
  EXPECT_EQ(sig["inputs"][0]["dtype"], "float");
  EXPECT_EQ(sig["inputs"][0]["shape"], nlohmann::json({-1, 1}));
  std::map<std::string, std::string> dtypes;
  for (const auto& e : v["variables"]["entries"]) dtypes[e["key"]] = e["dtype"];
  EXPECT_EQ(dtypes, (std::map<std::string, std::string>{{"bias", "float"}, {"global_step", "int32"},
                                                        {"weight", "float"}}));
  // Two versions under one base path.
  out = InspectSavedModel(kModels + "/tfserving/saved_model_half_plus_two_2_versions", "serve", true);
  ASSERT_TRUE(out.ok());
  j = nlohmann::json::parse(*out);
  ASSERT_EQ(j["versions"].size(), 2u);
  EXPECT_EQ(j["versions"][0]["version"], 123);
  EXPECT_EQ(j["versions"][1]["version"], 124);
}

TEST(InspectTest, TagSetsAndErrors) {
  auto empty = InspectSavedModel(kModels + "/tensorflow/half_plus_two_empty_tags", "", false);
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_NE(empty->find("Selected tag set: []"), std::string::npos);
  auto wrong = InspectSavedModel(kModels + "/tensorflow/half_plus_two/00000123", "train", false);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("available tag sets: [serve]"), std::string::npos);
  EXPECT_EQ(InspectSavedModel("/nonexistent").status().code(), Code::kNotFound);
  auto not_model = InspectSavedModel(kModels + "/stfs/mxnet_mlp");
  ASSERT_FALSE(not_model.ok());
  EXPECT_NE(not_model.status().message().find("not a SavedModel directory"), std::string::npos);
  auto fuzz = InspectSavedModel(kModels + "/tensorflow/fuzz_generated/const_with_no_value");
  ASSERT_FALSE(fuzz.ok());
  EXPECT_NE(fuzz.status().message().find("no value has been provided"), std::string::npos);
}

int RunCommand(std::vector<std::string> args, std::string* out, std::string* err) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  int rc = RunInspectCommand(static_cast<int>(argv.size()), argv.data());
  *out = testing::internal::GetCapturedStdout();
  *err = testing::internal::GetCapturedStderr();
  return rc;
}

TEST(InspectCommandTest, ExitCodesAndOutput) {
  std::string out, err;
  EXPECT_EQ(RunCommand({"stfs", "inspect", kModels + "/tfserving/matrix_half_plus_two", "--json"}, &out, &err), 0);
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["versions"][0]["op_types"], nlohmann::json({"Add", "Const", "Mul", "Placeholder"}));
  EXPECT_EQ(RunCommand({"stfs", "inspect", kModels + "/tfserving/matrix_half_plus_two/1", "--tag_set", "serve"},
                       &out, &err), 0);
  EXPECT_NE(out.find("signature 'serving_default'"), std::string::npos);
  EXPECT_EQ(RunCommand({"stfs", "inspect", "/nonexistent/dir"}, &out, &err), 1);
  EXPECT_NE(err.find("/nonexistent/dir"), std::string::npos);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(RunCommand({"stfs", "inspect"}, &out, &err), 2);
  EXPECT_NE(err.find("usage"), std::string::npos);
  EXPECT_EQ(RunCommand({"stfs", "inspect", "a", "--bogus"}, &out, &err), 2);
  EXPECT_EQ(RunCommand({"stfs", "inspect", "a", "--tag_set"}, &out, &err), 2);
}

}  // namespace
}  // namespace stfs
