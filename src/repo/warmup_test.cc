#include "repo/warmup.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "proto/prediction_log.pb.h"
#include "repo/testing/fake_model.h"
#include "savedmodel/crc32c.h"

namespace stfs {
namespace {

namespace fs = std::filesystem;

std::string Fixed(uint64_t v, int bytes) {
  std::string out;
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  return out;
}

// One TFRecord frame, built by hand from the format's definition.
std::string Frame(const std::string& data) {
  std::string len = Fixed(data.size(), 8);
  return len + Fixed(crc32c::Mask(crc32c::Value(len)), 4) + data +
         Fixed(crc32c::Mask(crc32c::Value(data)), 4);
}

std::string PredictLog(const std::string& alias, float x) {
  tensorflow::serving::PredictionLog log;
  auto* req = log.mutable_predict_log()->mutable_request();
  req->mutable_model_spec()->set_name("m");
  auto& t = (*req->mutable_inputs())[alias];
  t.set_dtype(tensorflow::DT_FLOAT);
  t.mutable_tensor_shape()->add_dim()->set_size(1);
  t.mutable_tensor_shape()->add_dim()->set_size(1);
  t.add_float_val(x);
  return log.SerializeAsString();
}

std::string RegressLog(float x) {
  tensorflow::serving::PredictionLog log;
  auto* req = log.mutable_regress_log()->mutable_request();
  req->mutable_model_spec()->set_signature_name("regress_x_to_y");
  auto* ex = req->mutable_input()->mutable_example_list()->add_examples();
  (*ex->mutable_features()->mutable_feature())["x"].mutable_float_list()->add_value(x);
  return log.SerializeAsString();
}

class WarmupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("stfs_warmup_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "assets.extra");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& bytes) {
    std::ofstream(dir_ / "assets.extra" / "tf_serving_warmup_requests", std::ios::binary) << bytes;
  }
  fs::path dir_;
};

TEST_F(WarmupTest, ReplaysPredictAndRegressRecords) {
  Write(Frame(PredictLog("x", 1)) + Frame(PredictLog("x", 2)) + Frame(RegressLog(3)));
  auto model = testing::MakeHalfPlusTwoModel();
  auto n = ReplayWarmup(dir_.string(), model);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 3);
  EXPECT_EQ(model->predict_calls(), 3);
}

TEST_F(WarmupTest, NoFileMeansNothingToReplay) {
  fs::remove_all(dir_ / "assets.extra");
  auto n = ReplayWarmup(dir_.string(), testing::MakeHalfPlusTwoModel());
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 0);
}

TEST_F(WarmupTest, CorruptedFramesFailWithTheRecordIndex) {
  std::string good = Frame(PredictLog("x", 1));
  std::string bad_data = Frame(PredictLog("x", 2));
  bad_data[14] ^= 0x40;  // a data byte: the data crc no longer matches
  Write(good + bad_data);
  auto n = ReplayWarmup(dir_.string(), testing::MakeHalfPlusTwoModel());
  EXPECT_EQ(n.status().code(), Code::kDataLoss);
  EXPECT_NE(n.status().message().find("record 1: corrupted data"), std::string::npos)
      << n.status().message();

  std::string bad_len = good;
  bad_len[0] ^= 0x01;
  Write(bad_len);
  EXPECT_NE(ReplayWarmup(dir_.string(), testing::MakeHalfPlusTwoModel())
                .status().message().find("record 0: corrupted length"),
            std::string::npos);

  Write(good.substr(0, good.size() - 2));  // truncated
  EXPECT_EQ(ReplayWarmup(dir_.string(), testing::MakeHalfPlusTwoModel()).status().code(),
            Code::kDataLoss);
  Write(Frame("not a proto \xff\xff"));
  EXPECT_FALSE(ReplayWarmup(dir_.string(), testing::MakeHalfPlusTwoModel()).ok());
}

TEST_F(WarmupTest, TooManyRecordsOrAFailingRequestFailTheLoad) {
  std::string many;
  const std::string one = Frame(PredictLog("x", 1));
  for (size_t i = 0; i < kMaxWarmupRecords + 1; ++i) many += one;
  Write(many);
  auto n = ReplayWarmup(dir_.string(), testing::MakeHalfPlusTwoModel());
  EXPECT_NE(n.status().message().find("more than 1000"), std::string::npos) << n.status().message();

  Write(Frame(PredictLog("wrong_alias", 1)));
  n = ReplayWarmup(dir_.string(), testing::MakeHalfPlusTwoModel());
  EXPECT_FALSE(n.ok());
  EXPECT_NE(n.status().message().find("warm-up request 0"), std::string::npos) << n.status().message();
}

TEST_F(WarmupTest, WithWarmupWrapsTheLoader) {
  Write(Frame(PredictLog("x", 1)) + Frame(PredictLog("x", 4)));
  std::shared_ptr<testing::FakeModel> made;
  ModelLoader loader = WithWarmup([&](const std::string&, const std::string&) -> StatusOr<std::shared_ptr<Model>> {
    made = testing::MakeHalfPlusTwoModel();
    return std::shared_ptr<Model>(made);
  });
  auto m = loader(dir_.string(), "tensorflow");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(made->predict_calls(), 2);
  Write("garbage!");
  EXPECT_FALSE(loader(dir_.string(), "tensorflow").ok());
}

}  // namespace
}  // namespace stfs
