// Hot-reload lifecycle of ModelRepository: polling, settling, availability-
// preserving transitions, retries, unloading after the last handle, config
// changes and label rules. Fake models in a temp dir; real time with short
// settle/retry intervals.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "repo/poller.h"
#include "repo/repository.h"
#include "repo/version_policy.h"

namespace stfs {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::atomic<int> g_alive{0};
std::atomic<int> g_destroyed{0};

// Counts constructions and destructions so tests can see the memory freed.
class CountedModel : public Model {
 public:
  explicit CountedModel(int64_t version) : version_(version) { ++g_alive; }
  ~CountedModel() override {
    --g_alive;
    ++g_destroyed;
  }
  const ModelMetadata& metadata() const override { return metadata_; }
  StatusOr<NamedTensors> Predict(const std::string&, const NamedTensors&,
                                 const std::vector<std::string>&) override {
    return NamedTensors{};
  }
  int64_t version() const { return version_; }

 private:
  int64_t version_;
  ModelMetadata metadata_;
};

class LifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("stfs_lifecycle_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "m");
    g_alive = 0;
    g_destroyed = 0;
  }
  void TearDown() override { fs::remove_all(root_); }

  // A complete version: saved_model.pb plus a variables file.
  void AddVersion(int64_t v, bool broken = false) {
    fs::path tmp = root_ / ("tmp_" + std::to_string(v));
    fs::create_directories(tmp / "variables");
    std::ofstream(tmp / "saved_model.pb") << "pb";
    std::ofstream(tmp / "variables" / "variables.data") << "data";
    if (broken) std::ofstream(tmp / "broken") << "x";
    fs::rename(tmp, root_ / "m" / std::to_string(v));
  }

  // Loader: "broken" fails; otherwise a CountedModel of the version number.
  ModelLoader Loader() {
    return [this](const std::string& dir, const std::string&) -> StatusOr<std::shared_ptr<Model>> {
      ++loads_;
      if (fs::exists(fs::path(dir) / "broken")) return InvalidArgument("corrupt model in ", dir);
      int64_t v = 0;
      ParseVersionNumber(fs::path(dir).filename().string(), &v);
      return std::shared_ptr<Model>(std::make_shared<CountedModel>(v));
    };
  }

  RepositoryOptions FastOptions() {
    RepositoryOptions o;
    o.settle_seconds = 0.2;
    o.retry_interval_seconds = 0.05;
    o.max_load_retries = 2;
    return o;
  }

  ModelConfig Cfg() {
    ModelConfig c;
    c.name = "m";
    c.base_path = (root_ / "m").string();
    return c;
  }

  // Polls until pred() holds or ~5 s pass.
  template <typename Pred>
  bool PollUntil(ModelRepository& repo, Pred pred) {
    for (int i = 0; i < 100; ++i) {
      repo.Poll();
      repo.WaitForLoads();
      if (pred()) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  std::vector<std::pair<int64_t, ModelVersionState>> States(const ModelRepository& repo) {
    std::vector<std::pair<int64_t, ModelVersionState>> out;
    StatusOr<ModelInfo> info = repo.GetModelInfo("m");  // kept alive for the loop
    if (!info.ok()) return out;
    for (const ModelVersionStatus& v : info->versions) out.emplace_back(v.version, v.state);
    return out;
  }
  int64_t Latest(const ModelRepository& repo) {
    auto h = repo.GetModel("m", std::nullopt, std::nullopt);
    return h.ok() ? h->version : -1;
  }

  fs::path root_;
  std::atomic<int> loads_{0};
};

using S = ModelVersionState;

TEST_F(LifecycleTest, NewVersionReplacesOldAfterSettling) {
  AddVersion(1);
  ModelRepository repo(Loader(), FastOptions());
  ASSERT_TRUE(repo.ApplyConfig({Cfg()}).ok());
  EXPECT_EQ(Latest(repo), 1);
  AddVersion(2);
  repo.Poll();  // first sighting: not loaded before the files settle
  repo.WaitForLoads();
  EXPECT_EQ(Latest(repo), 1);
  EXPECT_EQ(States(repo), (std::vector<std::pair<int64_t, S>>{{1, S::kAvailable}, {2, S::kStart}}));
  ASSERT_TRUE(PollUntil(repo, [&] { return Latest(repo) == 2; }));
  // Version 1 had no handles: unpublished and freed; it stays END while its
  // directory exists.
  ASSERT_TRUE(PollUntil(repo, [&] { return g_alive == 1; }));
  EXPECT_EQ(States(repo), (std::vector<std::pair<int64_t, S>>{{1, S::kEnd}, {2, S::kAvailable}}));
  fs::remove_all(root_ / "m" / "1");
  ASSERT_TRUE(PollUntil(repo, [&] { return States(repo).size() == 1; }));
  EXPECT_EQ(loads_, 2);
}

TEST_F(LifecycleTest, HalfWrittenVersionWaitsUntilStable) {
  AddVersion(1);
  ModelRepository repo(Loader(), FastOptions());
  ASSERT_TRUE(repo.ApplyConfig({Cfg()}).ok());
  fs::path v2 = root_ / "m" / "2";
  fs::create_directories(v2);  // empty at first: not stable-and-complete
  repo.Poll();
  std::this_thread::sleep_for(300ms);
  repo.Poll();
  repo.WaitForLoads();
  EXPECT_EQ(loads_, 1);
  EXPECT_EQ(States(repo), (std::vector<std::pair<int64_t, S>>{{1, S::kAvailable}, {2, S::kStart}}));
  fs::create_directories(v2 / "variables");
  // Files keep changing every 50 ms (< settle 0.2 s): never loaded meanwhile;
  // saved_model.pb is written last.
  for (int i = 0; i < 10; ++i) {
    std::ofstream(v2 / "variables" / "variables.data", std::ios::app) << "chunk" << i;
    repo.Poll();
    repo.WaitForLoads();
    EXPECT_EQ(Latest(repo), 1);
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(loads_, 1);
  // Stable now but no saved_model.pb yet: still waiting (grace is 10 s).
  std::this_thread::sleep_for(300ms);
  repo.Poll();
  repo.WaitForLoads();
  EXPECT_EQ(loads_, 1);
  std::ofstream(v2 / "saved_model.pb") << "pb";
  ASSERT_TRUE(PollUntil(repo, [&] { return Latest(repo) == 2; }));
  EXPECT_EQ(loads_, 2);
}

TEST_F(LifecycleTest, CorruptedVersionKeepsPreviousServingWithError) {
  AddVersion(1);
  ModelRepository repo(Loader(), FastOptions());
  ASSERT_TRUE(repo.ApplyConfig({Cfg()}).ok());
  AddVersion(2, /*broken=*/true);
  // 1 try + 2 retries, then it gives up.
  ASSERT_TRUE(PollUntil(repo, [&] { return loads_ == 4 && !repo.HasPendingWork(); }));
  for (int i = 0; i < 5; ++i) repo.Poll();
  repo.WaitForLoads();
  EXPECT_EQ(loads_, 4);
  EXPECT_EQ(Latest(repo), 1);
  auto info = repo.GetModelInfo("m");
  ASSERT_EQ(info->versions.size(), 2u);
  EXPECT_EQ(info->versions[0].state, S::kAvailable);
  EXPECT_EQ(info->versions[1].state, S::kEnd);
  EXPECT_NE(info->versions[1].status.message().find("corrupt model in"), std::string::npos);
  // Fixed files (a new fingerprint) are loaded again.
  fs::remove(root_ / "m" / "2" / "broken");
  ASSERT_TRUE(PollUntil(repo, [&] { return Latest(repo) == 2; }));
}

TEST_F(LifecycleTest, UnloadedModelIsFreedAfterTheLastHandle) {
  AddVersion(1);
  ModelRepository repo(Loader(), FastOptions());
  ASSERT_TRUE(repo.ApplyConfig({Cfg()}).ok());
  auto handle = repo.GetModel("m", 1, std::nullopt);
  ASSERT_TRUE(handle.ok());
  AddVersion(2);
  ASSERT_TRUE(PollUntil(repo, [&] { return Latest(repo) == 2; }));
  repo.Poll();
  // Version 1 is unpublished but a request still holds it.
  EXPECT_EQ(repo.GetModel("m", 1, std::nullopt).status().code(), Code::kNotFound);
  EXPECT_EQ(States(repo), (std::vector<std::pair<int64_t, S>>{{1, S::kUnloading}, {2, S::kAvailable}}));
  EXPECT_EQ(g_alive, 2);
  EXPECT_EQ(static_cast<CountedModel*>(handle->model.get())->version(), 1);
  handle->model.reset();  // drop the last reference
  EXPECT_EQ(g_alive, 1);
  EXPECT_EQ(g_destroyed, 1);
  repo.Poll();
  EXPECT_EQ(States(repo), (std::vector<std::pair<int64_t, S>>{{1, S::kEnd}, {2, S::kAvailable}}));
}

TEST_F(LifecycleTest, PolicyTransitionsAndModelRemoval) {
  AddVersion(1);
  AddVersion(2);
  AddVersion(3);
  ModelRepository repo(Loader(), FastOptions());
  ModelConfig c = Cfg();
  ASSERT_TRUE(repo.ApplyConfig({c}).ok());
  EXPECT_EQ(loads_, 1);
  c.version_policy.kind = VersionPolicy::Kind::kAll;
  ASSERT_TRUE(repo.ApplyConfig({c}).ok());
  EXPECT_EQ(loads_, 3);
  EXPECT_TRUE(repo.GetModel("m", 1, std::nullopt).ok());
  c.version_policy.kind = VersionPolicy::Kind::kSpecific;
  c.version_policy.versions = {2};
  ASSERT_TRUE(repo.ApplyConfig({c}).ok());
  repo.Poll();
  EXPECT_EQ(Latest(repo), 2);
  EXPECT_FALSE(repo.GetModel("m", 3, std::nullopt).ok());
  EXPECT_EQ(g_alive, 1);
  // Deleting the served version's directory unloads it (nothing aspired).
  fs::remove_all(root_ / "m" / "2");
  repo.Poll();
  EXPECT_EQ(Latest(repo), -1);
  EXPECT_EQ(g_alive, 0);
  // Removing the model from the config unloads everything.
  c.version_policy = VersionPolicy();
  ASSERT_TRUE(repo.ApplyConfig({c}).ok());
  EXPECT_EQ(Latest(repo), 3);
  ASSERT_TRUE(repo.ApplyConfig({}).ok());
  EXPECT_EQ(repo.GetModelInfo("m").status().code(), Code::kNotFound);
  EXPECT_EQ(g_alive, 0);
}

TEST_F(LifecycleTest, LabelsMustPointAtAvailableVersions) {
  AddVersion(1);
  AddVersion(2, /*broken=*/true);
  ModelConfig c = Cfg();
  c.version_policy.kind = VersionPolicy::Kind::kAll;
  c.version_labels = {{"stable", 1}};
  ModelRepository repo(Loader(), FastOptions());
  ASSERT_TRUE(repo.ApplyConfig({c}).ok());
  EXPECT_EQ(repo.GetModel("m", std::nullopt, "stable")->version, 1);
  c.version_labels = {{"stable", 1}, {"canary", 2}, {"next", 7}};
  Status s = repo.ApplyConfig({c});
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_NE(s.message().find("label canary to version 2 of model m"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("label next to version 7"), std::string::npos) << s.message();
  // Rejected as a whole: no label changed.
  EXPECT_EQ(repo.GetModel("m", std::nullopt, "canary").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(repo.GetModelInfo("m")->labels.size(), 1u);
}

TEST_F(LifecycleTest, NewLabelsMayPointAtUnavailableVersionsWhenAllowed) {
  AddVersion(1);
  ModelConfig c = Cfg();
  c.version_labels = {{"stable", 1}};
  RepositoryOptions o = FastOptions();
  o.allow_version_labels_for_unavailable_models = true;
  ModelRepository repo(Loader(), o);
  ASSERT_TRUE(repo.ApplyConfig({c}).ok());
  c.version_labels = {{"stable", 1}, {"canary", 5}};
  ASSERT_TRUE(repo.ApplyConfig({c}).ok());
  EXPECT_EQ(repo.GetModel("m", std::nullopt, "canary").status().code(), Code::kNotFound);
  // Moving an existing label to an unavailable version is still refused.
  c.version_labels = {{"stable", 5}, {"canary", 5}};
  EXPECT_EQ(repo.ApplyConfig({c}).code(), Code::kFailedPrecondition);
  EXPECT_EQ(repo.GetModel("m", std::nullopt, "stable")->version, 1);
}

TEST_F(LifecycleTest, PollerPicksUpVersionsByItself) {
  AddVersion(1);
  ModelRepository repo(Loader(), FastOptions());
  ASSERT_TRUE(repo.ApplyConfig({Cfg()}).ok());
  FileSystemPoller poller(&repo, 0.1);
  AddVersion(2);
  bool seen = false;
  for (int i = 0; i < 100 && !seen; ++i) {
    std::this_thread::sleep_for(50ms);
    seen = Latest(repo) == 2;
  }
  EXPECT_TRUE(seen);
}

}  // namespace
}  // namespace stfs
