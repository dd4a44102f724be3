#include "savedmodel/bundle_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

namespace stfs {
namespace {

namespace fs = std::filesystem;
const std::string kModels = STFS_MODELS_DIR;

std::vector<std::string> AllIndexPrefixes() {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(kModels)) {
    const std::string p = e.path().string();
    if (e.is_regular_file() && p.size() > 6 && p.substr(p.size() - 6) == ".index") {
      out.push_back(p.substr(0, p.size() - 6));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(BundleReaderCorpusTest, EveryIndexOpensAndVerifies) {
  auto prefixes = AllIndexPrefixes();
  ASSERT_GE(prefixes.size(), 30u);
  for (const std::string& prefix : prefixes) {
    auto r = BundleReader::Open(prefix);
    ASSERT_TRUE(r.ok()) << prefix << ": " << r.status().ToString();
    EXPECT_FALSE((*r)->Keys().empty()) << prefix;
    Status st = (*r)->VerifyAll();
    EXPECT_TRUE(st.ok()) << prefix << ": " << st.ToString();
  }
}

TEST(BundleReaderTest, DistributedModelKnownValues) {
  auto r = BundleReader::Open(kModels + "/stfs/distributed_tensorflow_model/1/variables/variables");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)->Keys(), (std::vector<std::string>{"bias", "global_step", "weight"}));
  auto w = (*r)->Read("weight");
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  ASSERT_EQ(w->dtype(), DType::kFloat);
  ASSERT_EQ(w->NumElements(), 1);
  EXPECT_NEAR(w->flat<float>()[0], 2.0448492f, 1e-6);
  auto b = (*r)->Read("bias");
  ASSERT_TRUE(b.ok());
  EXPECT_NEAR(b->flat<float>()[0], 9.9987545f, 1e-6);
  auto g = (*r)->Read("global_step");
  ASSERT_TRUE(g.ok());
  // The model creates it as tf.Variable(0, name="global_step"): int32.
  ASSERT_EQ(g->dtype(), DType::kInt32);
  EXPECT_EQ(g->flat<int32_t>()[0], 15578);
  auto info = (*r)->Entry("global_step");
  ASSERT_TRUE(info.ok());
  EXPECT_FALSE(info->sliced);
  EXPECT_EQ(info->size, 4);
  auto missing = (*r)->Read("nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
}

TEST(BundleReaderTest, HalfPlusTwoSnappyValues) {
  // Data shard holds 0.5, 0.5, 2.0, 3.0, 3.0 for a, a2, b, c, c2 (reference 4.1).
  auto r = BundleReader::Open(kModels + "/tfserving/saved_model_half_plus_two_cpu/00000123/variables/variables");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)->Keys(), (std::vector<std::string>{"a", "a2", "b", "c", "c2"}));
  const std::vector<std::pair<std::string, float>> want = {{"a", 0.5f}, {"a2", 0.5f}, {"b", 2.0f},
                                                           {"c", 3.0f}, {"c2", 3.0f}};
  for (const auto& [key, value] : want) {
    auto t = (*r)->Read(key);
    ASSERT_TRUE(t.ok()) << key;
    EXPECT_EQ(t->scalar<float>(), value) << key;
  }
}

// TensorFlow's StringTensorsOldFormat test: varint32-era string lengths.
TEST(BundleReaderTest, OldStringTensors) {
  auto r = BundleReader::Open(kModels + "/tensorflow/old_string_tensors/foo");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)->Keys(), (std::vector<std::string>{"floats", "scalar", "string_tensor", "strs"}));
  auto empty = (*r)->Read("string_tensor");
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_TRUE(TensorEquals(*empty, Tensor::FromVector<std::string>({""})));
  auto scalar = (*r)->Read("scalar");
  ASSERT_TRUE(scalar.ok());
  EXPECT_TRUE(TensorEquals(*scalar, Tensor::FromVector<std::string>({"hello"})));
  auto strs = (*r)->Read("strs");
  ASSERT_TRUE(strs.ok()) << strs.status().ToString();
  EXPECT_TRUE(TensorEquals(*strs, Tensor::FromVector<std::string>({"hello", "", "x01", std::string(1024, 'c')})));
  auto floats = (*r)->Read("floats");
  ASSERT_TRUE(floats.ok());
  EXPECT_EQ(floats->shape(), Shape({2, 3}));
  for (float f : floats->flat<float>()) EXPECT_EQ(f, 16.18f);
  EXPECT_TRUE((*r)->VerifyAll().ok());
}

TEST(BundleReaderTest, TwoShardBundle) {
  auto r = BundleReader::Open(kModels + "/tensorflow/tftrt_2.0_saved_model/1/variables/variables");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)->num_shards(), 2);
  std::set<int> shards;
  for (const std::string& key : (*r)->Keys()) {
    auto e = (*r)->Entry(key);
    ASSERT_TRUE(e.ok());
    shards.insert(e->shard_id);
    auto t = (*r)->Read(key);
    EXPECT_TRUE(t.ok()) << key << ": " << t.status().ToString();
  }
  EXPECT_EQ(shards, (std::set<int>{0, 1}));  // data in both shard files
  // The object graph is a serialized proto in a scalar string.
  auto og = (*r)->Read("_CHECKPOINTABLE_OBJECT_GRAPH");
  ASSERT_TRUE(og.ok()) << og.status().ToString();
  EXPECT_EQ(og->dtype(), DType::kString);
  EXPECT_EQ(og->NumElements(), 1);
}

TEST(BundleReaderTest, EstimatorPartitionedVariableSlices) {
  auto r = BundleReader::Open(kModels + "/stfs/tensorflow_estimator_model/1533527330/variables/variables");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto e = (*r)->Entry("linear/a/weights");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->shape, Shape({1000, 1}));
  auto full = (*r)->Read("linear/a/weights");
  ASSERT_TRUE(full.ok());
  // The restore spec the graph uses covers the whole tensor.
  auto whole = (*r)->ReadSlice("linear/a/weights", "1000 1 0,1000:0,1");
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  EXPECT_TRUE(TensorEquals(*full, *whole));
  auto part = (*r)->ReadSlice("linear/a/weights", "1000 1 250,500:-");
  ASSERT_TRUE(part.ok()) << part.status().ToString();
  ASSERT_EQ(part->shape(), Shape({500, 1}));
  for (int i = 0; i < 500; ++i) ASSERT_EQ(part->flat<float>()[i], full->flat<float>()[250 + i]) << i;
  // Spec shape must match the stored shape; slices must be in bounds.
  EXPECT_FALSE((*r)->ReadSlice("linear/a/weights", "999 1 0,10:-").ok());
  EXPECT_FALSE((*r)->ReadSlice("linear/a/weights", "1000 1 990,20:-").ok());
  EXPECT_FALSE((*r)->ReadSlice("linear/a/weights", "garbage").ok());
}

TEST(BundleReaderTest, ConcurrentReads) {
  auto r = BundleReader::Open(kModels + "/stfs/deep_image_model/1/variables/variables");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const BundleReader* reader = r->get();
  std::vector<Tensor> expected;
  for (const auto& k : reader->Keys()) {
    auto t = reader->Read(k);
    ASSERT_TRUE(t.ok());
    expected.push_back(*t);
  }
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto keys = reader->Keys();
      for (size_t j = 0; j < keys.size(); ++j) {
        auto t = reader->Read(keys[j]);
        if (!t.ok() || !TensorEquals(*t, expected[j])) failures++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(BundleReaderTest, MissingBundle) {
  auto r = BundleReader::Open("/nonexistent/variables/variables");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_NE(r.status().message().find("variables.index"), std::string::npos);
}

}  // namespace
}  // namespace stfs
