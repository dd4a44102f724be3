// Corpus test: every SavedModel under STFS_MODELS_DIR parses, and its
// signatures equal the "signatures (method): inputs -> outputs" column of
// the corpus README (parsed here from the markdown table).
#include "savedmodel/saved_model.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "savedmodel/file_util.h"

namespace stfs {
namespace {

namespace fs = std::filesystem;
const std::string kModels = STFS_MODELS_DIR;

std::string ReadText(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

// README rows: base folder ("stfs/deep_image_model/") -> signature entries,
// each "`name` (method): inputs &rarr; outputs".
std::map<std::string, std::vector<std::string>> ReadmeSignatures() {
  std::map<std::string, std::vector<std::string>> out;
  std::istringstream in(ReadText(kModels + "/README.md"));
  std::string line;
  const std::regex folder_re("^\\| `([^`]+/)` ");
  while (std::getline(in, line)) {
    std::smatch m;
    if (!std::regex_search(line, m, folder_re)) continue;
    std::string folder = m[1];
    // Last non-empty cell.
    std::string row = Trim(line);
    if (row.back() == '|') row.pop_back();
    std::string cell = Trim(row.substr(row.rfind('|') + 1));
    std::vector<std::string>& entries = out[folder];
    size_t pos = 0;
    while (pos <= cell.size()) {
      size_t br = cell.find("<br>", pos);
      std::string e = Trim(cell.substr(pos, br == std::string::npos ? std::string::npos : br - pos));
      // "tags []; `sig` ..." prefixes the empty-tag-set model's entry.
      if (e.rfind("tags ", 0) == 0 && e.find("; ") != std::string::npos) e = e.substr(e.find("; ") + 2);
      if (!e.empty()) entries.push_back(e);
      if (br == std::string::npos) break;
      pos = br + 4;
    }
  }
  return out;
}

std::string RenderTensor(const TensorInfo& t) {
  std::string shape = t.shape.unknown_rank() ? "?" : t.shape.ToString();
  return StrCat(t.alias, " ", DTypeName(t.dtype), t.is_ref ? "_ref" : "", shape);
}

std::string RenderList(const std::vector<TensorInfo>& list) {
  if (list.empty()) return "-";
  std::string s;
  for (size_t i = 0; i < list.size(); ++i) s += (i ? ", " : "") + RenderTensor(list[i]);
  return s;
}

std::string RenderSignature(const SignatureInfo& sig) {
  std::string method = sig.method_name;
  const std::string prefix = "tensorflow/serving/";
  if (method.rfind(prefix, 0) == 0) method = method.substr(prefix.size());
  return StrCat("`", sig.name, "` (", method, "): ", RenderList(sig.inputs), " &rarr; ", RenderList(sig.outputs));
}

// model_dir -> load_tags from cases.json.
std::map<std::string, std::vector<std::string>> CaseLoadTags() {
  std::map<std::string, std::vector<std::string>> out;
  auto cases = nlohmann::json::parse(ReadText(kModels + "/cases.json"));
  for (const auto& c : cases) {
    if (c.contains("load_tags") && c["load_tags"].is_array()) {
      out[c["model_dir"].get<std::string>()] = c["load_tags"].get<std::vector<std::string>>();
    }
  }
  return out;
}

struct CorpusModel {
  std::string version_dir;
  std::string base;  // relative, with trailing '/': "stfs/deep_image_model/"
};

std::vector<CorpusModel> FindSavedModels() {
  std::vector<CorpusModel> out;
  for (const auto& e : fs::recursive_directory_iterator(kModels)) {
    if (!e.is_directory() || !IsSavedModelDir(e.path().string())) continue;
    std::string rel = fs::relative(e.path().parent_path(), kModels).string() + "/";
    out.push_back({e.path().string(), rel});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.version_dir < b.version_dir; });
  return out;
}

TEST(SavedModelCorpusTest, EveryModelParsesWithReadmeSignatures) {
  const auto readme = ReadmeSignatures();
  ASSERT_GE(readme.size(), 40u);
  const auto load_tags = CaseLoadTags();
  const auto models = FindSavedModels();
  ASSERT_GE(models.size(), 45u);
  std::map<std::string, std::set<std::string>> seen;  // base -> rendered signatures over versions
  int checked = 0;
  for (const CorpusModel& m : models) {
    if (m.base.rfind("tensorflow/fuzz_generated/", 0) == 0) continue;  // negative tests below
    SCOPED_TRACE(m.version_dir);
    std::string model_dir = m.base.substr(0, m.base.size() - 1);
    auto lt = load_tags.find(model_dir);
    auto loaded = lt != load_tags.end() ? ReadSavedModel(m.version_dir, lt->second) : ReadSavedModel(m.version_dir);
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    ASSERT_NE(loaded->meta_graph, nullptr);
    EXPECT_EQ(loaded->variables_prefix.empty(), !FileExists(m.version_dir + "/variables/variables.index"));
    auto it = readme.find(m.base);
    ASSERT_NE(it, readme.end()) << "README has no row for " << m.base;
    const std::vector<std::string>& want = it->second;
    bool none_expected = want.size() == 1 && want[0] == "no serving signature";
    for (const auto& [name, sig] : loaded->signatures) {
      if (name == "__saved_model_init_op") continue;
      std::string r = RenderSignature(sig);
      EXPECT_FALSE(none_expected) << "unexpected signature " << r;
      if (!none_expected) {
        EXPECT_NE(std::find(want.begin(), want.end(), r), want.end()) << "signature not in README: " << r;
      }
      seen[m.base].insert(r);
    }
    ++checked;
  }
  // Every README entry is produced by some version of its model.
  for (const auto& [base, sigs] : seen) {
    for (const std::string& w : readme.at(base)) {
      EXPECT_TRUE(sigs.count(w)) << base << ": README signature not found: " << w;
    }
  }
  EXPECT_GE(checked, 42);
}

TEST(SavedModelTest, FuzzGeneratedModelsGiveClearErrors) {
  const std::string fuzz = kModels + "/tensorflow/fuzz_generated/";
  auto no_value = ReadSavedModel(fuzz + "const_with_no_value/1");
  ASSERT_FALSE(no_value.ok());
  EXPECT_NE(no_value.status().message().find("node 'Assign/value' (op Const) is a constant tensor but no value"),
            std::string::npos) << no_value.status().message();
  auto negative = ReadSavedModel(fuzz + "negative_shape/1");
  ASSERT_FALSE(negative.ok());
  EXPECT_NE(negative.status().message().find("node 'b/initial_value'"), std::string::npos)
      << negative.status().message();
  EXPECT_NE(negative.status().message().find("negative dimension -1"), std::string::npos)
      << negative.status().message();
  auto bad_attr = ReadSavedModel(fuzz + "bad_node_attr/1");
  ASSERT_FALSE(bad_attr.ok());
  EXPECT_NE(bad_attr.status().message().find("node 'RestoreV2/tensor_names'"), std::string::npos)
      << bad_attr.status().message();
}

TEST(SavedModelTest, TagSetSelection) {
  const std::string empty_tags = kModels + "/tensorflow/half_plus_two_empty_tags/00000123";
  auto by_default = ReadSavedModel(empty_tags);  // the only MetaGraph is used
  ASSERT_TRUE(by_default.ok()) << by_default.status().ToString();
  EXPECT_TRUE(by_default->tags.empty());
  EXPECT_TRUE(ReadSavedModel(empty_tags, {}).ok());
  auto serve = ReadSavedModel(empty_tags, {"serve"});
  ASSERT_FALSE(serve.ok());
  EXPECT_EQ(serve.status().code(), Code::kNotFound);
  EXPECT_NE(serve.status().message().find("available tag sets: []"), std::string::npos) << serve.status().message();

  const std::string hp2 = kModels + "/tensorflow/half_plus_two/00000123";
  auto train = ReadSavedModel(hp2, {"train"});
  ASSERT_FALSE(train.ok());
  EXPECT_NE(train.status().message().find("[train]; available tag sets: [serve]"), std::string::npos)
      << train.status().message();
  auto serve_set = ReadSavedModel(hp2, {"serve", "serve"});  // set equality
  EXPECT_TRUE(serve_set.ok());
  EXPECT_FALSE(ReadSavedModel(hp2, {"serve", "gpu"}).ok());  // not subset matching
}

TEST(SavedModelTest, AssetsAndVariables) {
  // TF1 half_plus_two: assets through the saved_model_assets collection.
  auto hp2 = ReadSavedModel(kModels + "/tensorflow/half_plus_two/00000123");
  ASSERT_TRUE(hp2.ok());
  ASSERT_EQ(hp2->assets.size(), 1u);
  EXPECT_EQ(hp2->assets[0].tensor_name, "Const:0");
  EXPECT_EQ(hp2->assets[0].filename, "foo.txt");
  EXPECT_EQ(hp2->assets[0].path, kModels + "/tensorflow/half_plus_two/00000123/assets/foo.txt");
  EXPECT_EQ(hp2->variables_prefix, kModels + "/tensorflow/half_plus_two/00000123/variables/variables");
  EXPECT_EQ(hp2->meta_graph->saver_def().restore_op_name(), "save/restore_all");
  // TF2: asset_file_def, signature defaults.
  auto tf2 = ReadSavedModel(kModels + "/tfserving/saved_model_half_plus_two_tf2_cpu/00000123");
  ASSERT_TRUE(tf2.ok()) << tf2.status().ToString();
  ASSERT_EQ(tf2->assets.size(), 1u);
  EXPECT_EQ(tf2->assets[0].tensor_name, "asset_path_initializer:0");
  const SignatureInfo& sd = tf2->signatures.at("serving_default");
  ASSERT_EQ(sd.defaults.count("x"), 1u);
  EXPECT_TRUE(TensorEquals(sd.defaults.at("x"), Tensor::FromVector<float>({0.0f})));
  EXPECT_EQ(tf2->signatures.at("__saved_model_init_op").outputs[0].tensor_name, "NoOp");
  // Graph-only model.
  auto simplest = ReadSavedModel(kModels + "/stfs/benchmark_simplest_model/1");
  ASSERT_TRUE(simplest.ok());
  EXPECT_TRUE(simplest->variables_prefix.empty());
  EXPECT_TRUE(simplest->assets.empty());
}

TEST(SavedModelTest, SignatureDetails) {
  auto counter = ReadSavedModel(kModels + "/tfserving/saved_model_counter/00000123");
  ASSERT_TRUE(counter.ok());
  const TensorInfo& out = counter->signatures.at("get_counter").outputs.at(0);
  EXPECT_EQ(out.dtype, DType::kFloat);
  EXPECT_TRUE(out.is_ref);
  auto tmpl = ReadSavedModel(kModels + "/stfs/tensorflow_template_application_model/2");
  ASSERT_TRUE(tmpl.ok());
  const SignatureInfo& s = tmpl->signatures.at("serving_default");
  ASSERT_EQ(s.inputs.size(), 2u);
  EXPECT_EQ(s.inputs[0].alias, "features");  // sorted by alias
  EXPECT_EQ(s.inputs[1].alias, "keys");
  EXPECT_EQ(s.method_name, "tensorflow/serving/predict");
  EXPECT_EQ(s.inputs[0].shape.ToString(), "[?,9]");
  // The pbtxt-only model reads the same as its binary twin.
  auto txt = ReadSavedModel(kModels + "/tensorflow/half_plus_two_pbtxt/00000123");
  ASSERT_TRUE(txt.ok()) << txt.status().ToString();
  EXPECT_NE(txt->model_file.find("saved_model.pbtxt"), std::string::npos);
  EXPECT_EQ(txt->signatures.size(), 6u);
}

TEST(SavedModelTest, Versions) {
  EXPECT_EQ(ListVersions(kModels + "/tfserving/saved_model_half_plus_two_2_versions"),
            (std::vector<int64_t>{123, 124}));
  auto dirs = ListVersionDirs(kModels + "/tfserving/saved_model_half_plus_two_2_versions");
  ASSERT_EQ(dirs.size(), 2u);
  EXPECT_EQ(dirs[0].name, "00000123");
  EXPECT_EQ(ListVersions(kModels + "/stfs/tensorflow_template_application_model"), (std::vector<int64_t>{1, 2}));
  // Non-numeric children (files, "_test_inputs"-like dirs) are ignored.
  fs::path tmp = fs::temp_directory_path() / ("stfs_versions_" + std::to_string(getpid()));
  fs::create_directories(tmp / "7");
  fs::create_directories(tmp / "0010");
  fs::create_directories(tmp / "abc");
  fs::create_directories(tmp / "-3");
  fs::create_directories(tmp / "99999999999999999999");  // beyond int64
  std::ofstream(tmp / "12") << "a file, not a version";
  EXPECT_EQ(ListVersions(tmp.string()), (std::vector<int64_t>{7, 10}));
  fs::remove_all(tmp);
  EXPECT_TRUE(ListVersions("/nonexistent").empty());
  EXPECT_TRUE(IsSavedModelDir(kModels + "/tensorflow/chunked_model/1"));
  EXPECT_FALSE(IsSavedModelDir(kModels + "/stfs/mxnet_mlp"));
}

TEST(SavedModelTest, MissingAndCorruptFiles) {
  auto missing = ReadSavedModel("/nonexistent/model/1");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  fs::path tmp = fs::temp_directory_path() / ("stfs_sm_" + std::to_string(getpid()));
  fs::create_directories(tmp);
  auto empty = ReadSavedModel(tmp.string());
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("no saved_model.pb"), std::string::npos);
  // Truncated binary.
  std::string pb = ReadText(kModels + "/tensorflow/half_plus_two/00000123/saved_model.pb");
  ASSERT_GT(pb.size(), 1000u);
  for (size_t cut : {pb.size() / 2, pb.size() - 1, size_t{3}}) {
    ASSERT_TRUE(WriteStringToFile((tmp / "saved_model.pb").string(), pb.substr(0, cut)).ok());
    auto r = ReadSavedModel(tmp.string());
    ASSERT_FALSE(r.ok()) << cut;
    EXPECT_EQ(r.status().code(), Code::kDataLoss) << r.status().ToString();
    EXPECT_NE(r.status().message().find("saved_model.pb"), std::string::npos);
  }
  fs::remove(tmp / "saved_model.pb");
  // Garbage text format.
  ASSERT_TRUE(WriteStringToFile((tmp / "saved_model.pbtxt").string(), "meta_graphs { graph_def { node { nme: 1 } }").ok());
  auto txt = ReadSavedModel(tmp.string());
  ASSERT_FALSE(txt.ok());
  EXPECT_NE(txt.status().message().find("line 1"), std::string::npos) << txt.status().message();
  ASSERT_TRUE(WriteStringToFile((tmp / "saved_model.pbtxt").string(), std::string(5000, '{')).ok());
  EXPECT_FALSE(ReadSavedModel(tmp.string()).ok());
  // Only the chunked format.
  fs::remove(tmp / "saved_model.pbtxt");
  ASSERT_TRUE(WriteStringToFile((tmp / "saved_model.cpb").string(), "x").ok());
  auto cpb = ReadSavedModel(tmp.string());
  ASSERT_FALSE(cpb.ok());
  EXPECT_EQ(cpb.status().code(), Code::kUnimplemented);
  fs::remove_all(tmp);
}

}  // namespace
}  // namespace stfs
