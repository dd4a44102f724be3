#include "repo/repository.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "repo/testing/fake_model.h"
#include "repo/version_policy.h"

namespace stfs {
namespace {

ModelConfig Cfg(std::string name, std::string base_path, std::string platform = "tensorflow") {
  ModelConfig c;
  c.name = std::move(name);
  c.base_path = std::move(base_path);
  c.platform = std::move(platform);
  return c;
}

namespace fs = std::filesystem;

class RepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("stfs_repo_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  std::string MakeModel(const std::string& name, std::vector<std::string> versions,
                        std::vector<std::string> broken = {}) {
    fs::path base = root_ / name;
    for (auto& v : versions) fs::create_directories(base / v);
    for (auto& v : broken) std::ofstream(base / v / "broken") << "x";
    return base.string();
  }

  // Loader: a version directory holding "broken" fails; others load a
  // half-plus-b model with b = the version number.
  ModelLoader Loader() {
    return [this](const std::string& dir, const std::string& platform)
               -> StatusOr<std::shared_ptr<Model>> {
      ++loads_;
      if (platform != "tensorflow") return Unimplemented("platform ", platform, " is not supported");
      if (fs::exists(fs::path(dir) / "broken")) return InvalidArgument("corrupt model in ", dir);
      int64_t v = 0;
      ParseVersionNumber(fs::path(dir).filename().string(), &v);
      return std::shared_ptr<Model>(testing::MakeHalfPlusTwoModel(static_cast<float>(v)));
    };
  }

  fs::path root_;
  int loads_ = 0;
};

TEST(VersionPolicyTest, SelectsByPolicy) {
  std::vector<VersionDirectory> avail = {{1, "/m/1"}, {3, "/m/003"}, {10, "/m/10"}};
  VersionPolicy latest;
  EXPECT_EQ(SelectVersions(latest, avail), (std::vector<VersionDirectory>{{10, "/m/10"}}));
  latest.num_versions = 2;
  EXPECT_EQ(SelectVersions(latest, avail), (std::vector<VersionDirectory>{{3, "/m/003"}, {10, "/m/10"}}));
  latest.num_versions = 5;
  EXPECT_EQ(SelectVersions(latest, avail).size(), 3u);
  VersionPolicy all;
  all.kind = VersionPolicy::Kind::kAll;
  EXPECT_EQ(SelectVersions(all, avail), avail);
  VersionPolicy specific{VersionPolicy::Kind::kSpecific, 1, {1, 10, 99}};
  EXPECT_EQ(SelectVersions(specific, avail), (std::vector<VersionDirectory>{{1, "/m/1"}, {10, "/m/10"}}));
}

TEST(VersionPolicyTest, ParsesVersionNumbers) {
  int64_t v;
  EXPECT_TRUE(ParseVersionNumber("00000123", &v));
  EXPECT_EQ(v, 123);
  EXPECT_TRUE(ParseVersionNumber("0", &v));
  EXPECT_EQ(v, 0);
  EXPECT_FALSE(ParseVersionNumber("-1", &v));
  EXPECT_FALSE(ParseVersionNumber("1a", &v));
  EXPECT_FALSE(ParseVersionNumber("", &v));
  EXPECT_FALSE(ParseVersionNumber("99999999999999999999", &v));
}

TEST_F(RepositoryTest, ListsNumericVersionsOnly) {
  std::string base = MakeModel("m", {"1", "00000123", "tmp", "2"});
  std::ofstream(fs::path(base) / "5") << "a file, not a version";
  auto dirs = ListVersionDirectories(base);
  ASSERT_TRUE(dirs.ok());
  ASSERT_EQ(dirs->size(), 3u);
  EXPECT_EQ((*dirs)[0].version, 1);
  EXPECT_EQ((*dirs)[2].version, 123);
  EXPECT_EQ((*dirs)[2].path, base + "/00000123");
  EXPECT_EQ(ListVersionDirectories((root_ / "nope").string()).status().code(), Code::kNotFound);
}

TEST_F(RepositoryTest, LatestIsNumericallyLargest) {
  // "9" sorts after "10" as a string; the numeric rule must pick 10.
  std::string base = MakeModel("m", {"9", "10"});
  ModelRepository repo(Loader());
  ModelConfig c = Cfg("m", base);
  c.version_policy.kind = VersionPolicy::Kind::kAll;
  ASSERT_TRUE(repo.LoadAll({c}).ok());
  auto h = repo.GetModel("m", std::nullopt, std::nullopt);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->version, 10);
  auto v9 = repo.GetModel("m", 9, std::nullopt);
  ASSERT_TRUE(v9.ok());
  EXPECT_EQ(v9->version, 9);
  // The model for version 9 computes 0.5 x + 9.
  NamedTensors in = {{"x", Tensor::FromVector<float>({2.0f}, Shape{1, 1})}};
  auto out = v9->model->Predict("serving_default", in, {});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ((*out)[0].second.flat<float>()[0], 10.0f);
}

TEST_F(RepositoryTest, DefaultPolicyLoadsOnlyLatest) {
  std::string base = MakeModel("m", {"1", "2", "3"});
  ModelRepository repo(Loader());
  ASSERT_TRUE(repo.LoadAll({Cfg("m", base)}).ok());
  EXPECT_EQ(loads_, 1);
  auto info = repo.GetModelInfo("m");
  ASSERT_TRUE(info.ok());
  ASSERT_EQ(info->versions.size(), 1u);
  EXPECT_EQ(info->versions[0].version, 3);
  EXPECT_EQ(info->versions[0].state, ModelVersionState::kAvailable);
  auto missing = repo.GetModel("m", 1, std::nullopt);
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_NE(missing.status().message().find("Specific(m, 1)"), std::string::npos);
}

TEST_F(RepositoryTest, LabelsResolve) {
  std::string base = MakeModel("m", {"1", "2"});
  ModelRepository repo(Loader());
  ModelConfig c = Cfg("m", base);
  c.version_policy = {VersionPolicy::Kind::kSpecific, 1, {1, 2}};
  c.version_labels = {{"stable", 1}, {"canary", 2}};
  ASSERT_TRUE(repo.LoadAll({c}).ok());
  EXPECT_EQ(repo.GetModel("m", std::nullopt, "stable")->version, 1);
  EXPECT_EQ(repo.GetModel("m", std::nullopt, "canary")->version, 2);
  auto bad = repo.GetModel("m", std::nullopt, "nope");
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("Unrecognized servable version label"), std::string::npos);
}

TEST_F(RepositoryTest, FailedLoadKeepsOthersServing) {
  std::string good = MakeModel("good", {"1"});
  std::string bad = MakeModel("bad", {"7"}, {"7"});
  ModelRepository repo(Loader());
  ASSERT_TRUE(repo.LoadAll({Cfg("bad", bad), Cfg("good", good)}).ok());
  EXPECT_TRUE(repo.GetModel("good", std::nullopt, std::nullopt).ok());
  auto b = repo.GetModel("bad", std::nullopt, std::nullopt);
  EXPECT_EQ(b.status().code(), Code::kNotFound);
  EXPECT_NE(b.status().message().find("corrupt model in"), std::string::npos) << b.status().message();
  auto info = repo.GetModelInfo("bad");
  ASSERT_TRUE(info.ok());
  ASSERT_EQ(info->versions.size(), 1u);
  EXPECT_EQ(info->versions[0].state, ModelVersionState::kEnd);
  EXPECT_EQ(info->versions[0].status.code(), Code::kInvalidArgument);
  auto list = repo.ListModels();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].name, "bad");
  EXPECT_EQ(list[1].name, "good");
}

TEST_F(RepositoryTest, FailedLatestFallsBackToOlderAvailable) {
  std::string base = MakeModel("m", {"1", "2"}, {"2"});
  ModelRepository repo(Loader());
  ModelConfig c = Cfg("m", base);
  c.version_policy.kind = VersionPolicy::Kind::kAll;
  ASSERT_TRUE(repo.LoadAll({c}).ok());
  EXPECT_EQ(repo.GetModel("m", std::nullopt, std::nullopt)->version, 1);
}

TEST_F(RepositoryTest, MissingBasePathAndNoVersionsAreModelErrors) {
  fs::create_directories(root_ / "flat");
  std::ofstream(root_ / "flat" / "saved_model.pb") << "x";
  ModelRepository repo(Loader());
  ASSERT_TRUE(repo.LoadAll({Cfg("gone", (root_ / "gone").string()),
                            Cfg("flat", (root_ / "flat").string())})
                  .ok());
  auto flat = repo.GetModelInfo("flat");
  ASSERT_TRUE(flat.ok());
  EXPECT_NE(flat->error.message().find("numeric version directory"), std::string::npos)
      << flat->error.message();
  EXPECT_FALSE(repo.GetModelInfo("gone")->error.ok());
  EXPECT_EQ(repo.GetModelInfo("unknown").status().code(), Code::kNotFound);
  auto latest = repo.GetModel("unknown", std::nullopt, std::nullopt);
  EXPECT_EQ(latest.status().message(), "Servable not found for request: Latest(unknown)");
}

TEST_F(RepositoryTest, InvalidConfigLoadsNothing) {
  ModelRepository repo(Loader());
  EXPECT_FALSE(repo.LoadAll({Cfg("a", "/x"), Cfg("a", "/y")}).ok());
  EXPECT_TRUE(repo.ListModels().empty());
  EXPECT_EQ(loads_, 0);
}

TEST_F(RepositoryTest, OtherPlatformsUseTheFileAsVersionOne) {
  std::ofstream(root_ / "model.bst") << "x";
  ModelRepository repo(Loader());
  ModelConfig c = Cfg("xgb", (root_ / "model.bst").string(), "xgboost");
  ASSERT_TRUE(repo.LoadAll({c}).ok());
  auto info = repo.GetModelInfo("xgb");
  ASSERT_EQ(info->versions.size(), 1u);
  EXPECT_EQ(info->versions[0].version, 1);
  EXPECT_EQ(info->versions[0].status.code(), Code::kUnimplemented);
}

}  // namespace
}  // namespace stfs
