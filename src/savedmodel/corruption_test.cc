// Hand-corrupted bundles and models: every case must give a clear error,
// never a crash, hang or unbounded allocation.
#include <gtest/gtest.h>

#include <filesystem>

#include "proto/tensor_bundle.pb.h"
#include "savedmodel/bundle_reader.h"
#include "savedmodel/bundle_writer.h"
#include "savedmodel/file_util.h"
#include "savedmodel/inspect.h"
#include "savedmodel/saved_model.h"
#include "savedmodel/table_builder.h"

namespace stfs {
namespace {

namespace fs = std::filesystem;
const std::string kModels = STFS_MODELS_DIR;

class CorruptionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("stfs_corrupt_" + std::to_string(getpid()))).string();
    fs::create_directories(dir_);
    prefix_ = dir_ + "/variables";
    BundleWriter w(prefix_);
    ASSERT_TRUE(w.Add("floats", Tensor::FromVector<float>({1, 2, 3, 4})).ok());
    ASSERT_TRUE(w.Add("strings", Tensor::FromVector<std::string>({"hello", "world!"})).ok());
    ASSERT_TRUE(w.Add("step", Tensor::Scalar<int64_t>(7)).ok());
    ASSERT_TRUE(w.Finish().ok());
    index_ = *ReadFileToString(prefix_ + ".index", 1 << 20);
    data_ = *ReadFileToString(prefix_ + ".data-00000-of-00001", 1 << 20);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void WriteIndex(const std::string& s) { ASSERT_TRUE(WriteStringToFile(prefix_ + ".index", s).ok()); }
  void WriteData(const std::string& s) {
    ASSERT_TRUE(WriteStringToFile(prefix_ + ".data-00000-of-00001", s).ok());
  }
  // An index holding the header and the given entries.
  std::string MakeIndex(const std::vector<std::pair<std::string, tensorflow::BundleEntryProto>>& entries,
                        int num_shards = 1) {
    tensorflow::BundleHeaderProto h;
    h.set_num_shards(num_shards);
    h.mutable_version()->set_producer(1);
    TableBuilder t;
    EXPECT_TRUE(t.Add("", h.SerializeAsString()).ok());
    for (const auto& [k, e] : entries) EXPECT_TRUE(t.Add(k, e.SerializeAsString()).ok());
    return t.Finish();
  }

  std::string dir_, prefix_, index_, data_;
};

TEST_F(CorruptionTest, TruncatedIndex) {
  for (size_t n : {size_t{0}, size_t{10}, size_t{47}, index_.size() / 2, index_.size() - 1}) {
    WriteIndex(index_.substr(0, n));
    auto r = BundleReader::Open(prefix_);
    ASSERT_FALSE(r.ok()) << n;
    EXPECT_EQ(r.status().code(), Code::kDataLoss) << r.status().ToString();
    EXPECT_NE(r.status().message().find("variables.index"), std::string::npos) << r.status().message();
  }
}

TEST_F(CorruptionTest, FlippedIndexByteIsCrcError) {
  std::string bad = index_;
  bad[5] ^= 0x10;  // inside the first data block
  WriteIndex(bad);
  auto r = BundleReader::Open(prefix_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("variables.index: data block at offset 0: crc mismatch"), std::string::npos)
      << r.status().message();
}

TEST_F(CorruptionTest, EveryIndexByteFlipIsCaughtOrHarmless) {
  for (size_t i = 0; i < index_.size(); ++i) {
    std::string bad = index_;
    bad[i] ^= 0x01;
    WriteIndex(bad);
    auto r = BundleReader::Open(prefix_);
    if (r.ok()) {
      // Only the zero padding of the footer may change without effect.
      EXPECT_TRUE(i >= index_.size() - 48 && i < index_.size() - 8) << i;
      EXPECT_TRUE((*r)->VerifyAll().ok());
    }
  }
}

TEST_F(CorruptionTest, FlippedDataByteIsCrcError) {
  for (size_t i = 0; i < data_.size(); ++i) {
    std::string bad = data_;
    bad[i] ^= 0x04;
    WriteData(bad);
    auto r = BundleReader::Open(prefix_);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    Status st = (*r)->VerifyAll();
    ASSERT_FALSE(st.ok()) << "flip at " << i << " not detected";
    EXPECT_EQ(st.code(), Code::kDataLoss);
    EXPECT_NE(st.message().find("variables.data-00000-of-00001: key '"), std::string::npos) << st.message();
  }
  std::string bad = data_;
  bad[0] ^= 1;  // first float of "floats"
  WriteData(bad);
  auto r = BundleReader::Open(prefix_);
  ASSERT_TRUE(r.ok());
  auto t = (*r)->Read("floats");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("key 'floats' at offset 0: crc mismatch"), std::string::npos)
      << t.status().message();
  EXPECT_TRUE((*r)->Read("step").ok());  // other entries are unaffected
}

TEST_F(CorruptionTest, TruncatedOrMissingData) {
  WriteData(data_.substr(0, data_.size() - 3));
  auto r = BundleReader::Open(prefix_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("extends past the end"), std::string::npos) << r.status().message();
  fs::remove(prefix_ + ".data-00000-of-00001");
  r = BundleReader::Open(prefix_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
}

TEST_F(CorruptionTest, BadMagic) {
  std::string bad = index_;
  bad[bad.size() - 1] = 0;
  WriteIndex(bad);
  auto r = BundleReader::Open(prefix_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not an sstable"), std::string::npos);
}

TEST_F(CorruptionTest, AbsurdEntries) {
  tensorflow::BundleEntryProto e;
  e.set_dtype(tensorflow::DT_FLOAT);
  e.mutable_shape()->add_dim()->set_size(int64_t{1} << 62);
  e.mutable_shape()->add_dim()->set_size(4);
  e.set_size(16);
  WriteIndex(MakeIndex({{"huge", e}}));
  auto r = BundleReader::Open(prefix_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("key 'huge': bad shape"), std::string::npos) << r.status().message();

  // Big but valid shape whose size does not match: rejected before allocating.
  e.mutable_shape()->Clear();
  e.mutable_shape()->add_dim()->set_size(int64_t{1} << 38);
  WriteIndex(MakeIndex({{"big", e}}));
  r = BundleReader::Open(prefix_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto t = (*r)->Read("big");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("entry has 16 bytes but float[274877906944] needs"), std::string::npos)
      << t.status().message();

  // A string entry claiming 2^40 elements in 16 bytes.
  e.set_dtype(tensorflow::DT_STRING);
  e.mutable_shape()->Clear();
  e.mutable_shape()->add_dim()->set_size(int64_t{1} << 40);
  WriteIndex(MakeIndex({{"strs", e}}));
  r = BundleReader::Open(prefix_);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE((*r)->Read("strs").ok());

  // Negative dims, bad dtype, bad shard, offset beyond the file.
  tensorflow::BundleEntryProto neg;
  neg.set_dtype(tensorflow::DT_FLOAT);
  neg.mutable_shape()->add_dim()->set_size(-5);
  WriteIndex(MakeIndex({{"neg", neg}}));
  EXPECT_FALSE(BundleReader::Open(prefix_).ok());
  tensorflow::BundleEntryProto bad_type;
  bad_type.set_dtype(static_cast<tensorflow::DataType>(77));
  WriteIndex(MakeIndex({{"t", bad_type}}));
  EXPECT_FALSE(BundleReader::Open(prefix_).ok());
  tensorflow::BundleEntryProto shard;
  shard.set_dtype(tensorflow::DT_FLOAT);
  shard.set_shard_id(3);
  WriteIndex(MakeIndex({{"s", shard}}));
  EXPECT_FALSE(BundleReader::Open(prefix_).ok());
  tensorflow::BundleEntryProto far;
  far.set_dtype(tensorflow::DT_FLOAT);
  far.set_offset(int64_t{1} << 60);
  far.set_size(4);
  far.mutable_shape()->add_dim()->set_size(1);
  WriteIndex(MakeIndex({{"far", far}}));
  EXPECT_FALSE(BundleReader::Open(prefix_).ok());
  WriteIndex(MakeIndex({}, /*num_shards=*/0));
  EXPECT_FALSE(BundleReader::Open(prefix_).ok());
  WriteIndex(MakeIndex({}, /*num_shards=*/1 << 30));
  EXPECT_FALSE(BundleReader::Open(prefix_).ok());
  // Garbage entry bytes.
  TableBuilder tb;
  tensorflow::BundleHeaderProto h;
  h.set_num_shards(1);
  ASSERT_TRUE(tb.Add("", h.SerializeAsString()).ok());
  ASSERT_TRUE(tb.Add("x", std::string("\xff\xff\xff\xff", 4)).ok());
  WriteIndex(tb.Finish());
  r = BundleReader::Open(prefix_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("key 'x': entry is not a valid BundleEntryProto"), std::string::npos);
  // No header.
  TableBuilder nh;
  ASSERT_TRUE(nh.Add("a", "").ok());
  WriteIndex(nh.Finish());
  EXPECT_FALSE(BundleReader::Open(prefix_).ok());
}

TEST_F(CorruptionTest, SliceEntriesMustExist) {
  tensorflow::BundleEntryProto full;
  full.set_dtype(tensorflow::DT_FLOAT);
  full.mutable_shape()->add_dim()->set_size(4);
  full.add_slices()->add_extent();  // the whole tensor, but no slice entry
  WriteIndex(MakeIndex({{"p", full}}));
  auto r = BundleReader::Open(prefix_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("the entry for slice - is missing"), std::string::npos) << r.status().message();
}

TEST_F(CorruptionTest, CorruptModelsViaInspect) {
  // A SavedModel whose bundle is corrupt still inspects, reporting the error.
  const std::string model = dir_ + "/model";
  fs::create_directories(model + "/variables");
  fs::copy_file(kModels + "/tensorflow/half_plus_two/00000123/saved_model.pb", model + "/saved_model.pb");
  std::string bad = index_;
  bad[3] ^= 0x20;
  ASSERT_TRUE(WriteStringToFile(model + "/variables/variables.index", bad).ok());
  auto out = InspectSavedModel(model);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_NE(out->find("Variables: ERROR: DATA_LOSS"), std::string::npos) << *out;
  // A truncated saved_model.pb is a clear error.
  std::string pb = *ReadFileToString(model + "/saved_model.pb", 1 << 24);
  ASSERT_TRUE(WriteStringToFile(model + "/saved_model.pb", pb.substr(0, pb.size() / 3)).ok());
  auto trunc = InspectSavedModel(model);
  ASSERT_FALSE(trunc.ok());
  EXPECT_EQ(trunc.status().code(), Code::kDataLoss);
}

}  // namespace
}  // namespace stfs
