// Lookup tables end to end through the registered kernels: a handle op, an
// initializer and lookups sharing one ResourceManager (one model version).
#include "kernels/lookup_ops.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "kernels/kernel_tester.h"
#include "kernels/misc_test_util.h"

namespace stfs::kernels {
namespace {

using testing::ExpectTensorEq;
using testing::MakeAttr;
using testing::SharedRunner;

std::string WriteFile(const std::string& name, const std::string& content) {
  const std::string path = (std::filesystem::temp_directory_path() / ("kmisc_" + name)).string();
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

Tensor Str(const std::vector<std::string>& v, Shape s) { return Tensor::FromVector<std::string>(v, std::move(s)); }
Tensor Str(const std::vector<std::string>& v) { return Tensor::FromVector<std::string>(v); }

// HashTableV2 with the given dtypes; returns its handle.
Tensor MakeTable(SharedRunner& r, DType k, DType v, const std::string& shared_name = "t",
                 const std::string& op = "HashTableV2") {
  auto out = r.Run(op, {}, {{"key_dtype", MakeAttr(k)}, {"value_dtype", MakeAttr(v)},
                            {"shared_name", MakeAttr(shared_name)}});
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() ? out->at(0) : Tensor();
}

Status InitFromFile(SharedRunner& r, const Tensor& table, const std::string& path, int64_t key_index,
                    int64_t value_index, int64_t vocab_size = -1, const std::string& delimiter = "\t",
                    int64_t offset = 0) {
  return r.Run("InitializeTableFromTextFileV2", {table, Tensor::Scalar<std::string>(path)},
               {{"key_index", MakeAttr(key_index)}, {"value_index", MakeAttr(value_index)},
                {"vocab_size", MakeAttr(vocab_size)}, {"delimiter", MakeAttr(delimiter)},
                {"offset", MakeAttr(offset)}}, 0)
      .status();
}

TEST(LookupOpsTest, VocabularyFileWholeLineToLineNumber) {
  // The tf.Transform vocabulary layout: key = whole line (-2), value = line
  // number (-1), TensorFlow's TextFileIndex values.
  const std::string path = WriteFile("vocab1", "Cash\nCredit Card\r\nNo Charge\n");
  SharedRunner r;
  Tensor table = MakeTable(r, DType::kString, DType::kInt64);
  // Before initialization: size 0, find fails.
  auto size0 = r.Run("LookupTableSizeV2", {table});
  ASSERT_TRUE(size0.ok());
  EXPECT_EQ(size0->at(0).scalar<int64_t>(), 0);
  auto early = r.Run("LookupTableFindV2", {table, Str({"Cash"}), Tensor::Scalar<int64_t>(-1)});
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.status().code(), Code::kFailedPrecondition);

  ASSERT_TRUE(InitFromFile(r, table, path, -2, -1).ok());
  auto size = r.Run("LookupTableSizeV2", {table});
  ASSERT_TRUE(size.ok());
  ExpectTensorEq(size->at(0), Tensor::Scalar<int64_t>(3));
  // Keys of any shape; misses get the default; "\r" was stripped.
  auto found = r.Run("LookupTableFindV2",
                     {table, Str({"No Charge", "Dispute", "Cash", "Credit Card"}, Shape{2, 2}),
                      Tensor::Scalar<int64_t>(-1)});
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ExpectTensorEq(found->at(0), Tensor::FromVector<int64_t>({2, -1, 0, 1}, Shape{2, 2}));
  // Re-initializing (even from another file) is a no-op.
  const std::string other = WriteFile("vocab1b", "x\ny\n");
  ASSERT_TRUE(InitFromFile(r, table, other, -2, -1).ok());
  auto again = r.Run("LookupTableFindV2", {table, Str({"Cash", "x"}), Tensor::Scalar<int64_t>(-7)});
  ASSERT_TRUE(again.ok());
  ExpectTensorEq(again->at(0), Tensor::FromVector<int64_t>({0, -7}));
  std::remove(path.c_str());
  std::remove(other.c_str());
}

TEST(LookupOpsTest, ColumnsDelimiterVocabSizeOffset) {
  const std::string path = WriteFile("vocab2", "a,10,1.5\nb,20,2.5\nc,30,3.5\n");
  SharedRunner r;
  // key = column 1 (int64), value = column 0 (string), first 2 lines only.
  Tensor t1 = MakeTable(r, DType::kInt64, DType::kString, "t1");
  ASSERT_TRUE(InitFromFile(r, t1, path, 1, 0, 2, ",").ok());
  auto f1 = r.Run("LookupTableFindV2", {t1, Tensor::FromVector<int64_t>({20, 30, 10}), Tensor::Scalar<std::string>("?")});
  ASSERT_TRUE(f1.ok()) << f1.status().ToString();
  ExpectTensorEq(f1->at(0), Str({"b", "?", "a"}));
  // key = line number + offset 100, value = column 2 as float.
  Tensor t2 = MakeTable(r, DType::kInt64, DType::kFloat, "t2");
  ASSERT_TRUE(InitFromFile(r, t2, path, -1, 2, -1, ",", 100).ok());
  auto f2 = r.Run("LookupTableFindV2", {t2, Tensor::FromVector<int64_t>({102, 0, 100}), Tensor::Scalar<float>(0)});
  ASSERT_TRUE(f2.ok()) << f2.status().ToString();
  ExpectTensorEq(f2->at(0), Tensor::FromVector<float>({3.5f, 0.0f, 1.5f}));
  std::remove(path.c_str());
}

TEST(LookupOpsTest, TextFileErrorsNameFileAndLine) {
  const std::string path = WriteFile("vocab3", "a\t1\nb\n");
  SharedRunner r;
  Tensor t = MakeTable(r, DType::kString, DType::kInt64);
  Status s = InitFromFile(r, t, path, 0, 1);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find(path), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("line 2"), std::string::npos) << s.message();
  // A failed initialization leaves the table uninitialized.
  auto size = r.Run("LookupTableSizeV2", {t});
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(size->at(0).scalar<int64_t>(), 0);
  // Not a number.
  const std::string bad = WriteFile("vocab4", "a\tx\n");
  s = InitFromFile(r, t, bad, 0, 1);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("'x' in line 1"), std::string::npos) << s.message();
  // vocab_size larger than the file.
  s = InitFromFile(r, t, path, -2, -1, 5);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("expected 5 but got 2"), std::string::npos) << s.message();
  // Missing file.
  s = InitFromFile(r, t, path + ".missing", -2, -1);
  EXPECT_EQ(s.code(), Code::kNotFound);
  // Line number into a string column is a dtype error.
  Tensor ts = MakeTable(r, DType::kString, DType::kString, "ts");
  EXPECT_FALSE(InitFromFile(r, ts, path, -2, -1).ok());
  std::remove(path.c_str());
  std::remove(bad.c_str());
}

TEST(LookupOpsTest, InitializeTableAndImport) {
  SharedRunner r;
  Tensor t = MakeTable(r, DType::kInt64, DType::kDouble);
  auto init = r.Run("InitializeTableV2",
                    {t, Tensor::FromVector<int64_t>({5, 7}), Tensor::FromVector<double>({0.5, 0.75})}, {}, 0);
  ASSERT_TRUE(init.ok()) << init.status().ToString();
  auto f = r.Run("LookupTableFindV2", {t, Tensor::FromVector<int64_t>({7, 6}), Tensor::Scalar<double>(-1)});
  ASSERT_TRUE(f.ok());
  ExpectTensorEq(f->at(0), Tensor::FromVector<double>({0.75, -1}));
  // Import on an initialized static table is ignored; Insert is refused.
  ASSERT_TRUE(r.Run("LookupTableImportV2", {t, Tensor::FromVector<int64_t>({6}), Tensor::FromVector<double>({9})}, {}, 0)
                  .ok());
  EXPECT_EQ(r.Run("LookupTableSizeV2", {t})->at(0).scalar<int64_t>(), 2);
  EXPECT_FALSE(r.Run("LookupTableInsertV2", {t, Tensor::FromVector<int64_t>({6}), Tensor::FromVector<double>({9})}, {}, 0)
                   .ok());
  // Wrong key dtype and non-scalar default are errors.
  EXPECT_FALSE(r.Run("LookupTableFindV2", {t, Str({"7"}), Tensor::Scalar<double>(-1)}).ok());
  EXPECT_FALSE(r.Run("LookupTableFindV2", {t, Tensor::FromVector<int64_t>({7}), Tensor::FromVector<double>({1, 2})}).ok());

  // Import into a fresh table initializes it; conflicting duplicates fail.
  Tensor t2 = MakeTable(r, DType::kString, DType::kInt32, "t2");
  EXPECT_FALSE(r.Run("LookupTableImportV2", {t2, Str({"a", "a"}), Tensor::FromVector<int32_t>({1, 2})}, {}, 0).ok());
  ASSERT_TRUE(r.Run("LookupTableImportV2", {t2, Str({"a", "b", "a"}), Tensor::FromVector<int32_t>({1, 2, 1})}, {}, 0)
                  .ok());
  auto f2 = r.Run("LookupTableFindV2", {t2, Str({"b", "a", "z"}), Tensor::Scalar<int32_t>(0)});
  ASSERT_TRUE(f2.ok());
  ExpectTensorEq(f2->at(0), Tensor::FromVector<int32_t>({2, 1, 0}));
}

TEST(LookupOpsTest, MutableTableInsertRemoveExport) {
  SharedRunner r;
  Tensor t = MakeTable(r, DType::kString, DType::kInt64, "m", "MutableHashTableV2");
  // Usable without initialization.
  auto empty = r.Run("LookupTableFindV2", {t, Str({"a"}), Tensor::Scalar<int64_t>(-1)});
  ASSERT_TRUE(empty.ok());
  ExpectTensorEq(empty->at(0), Tensor::FromVector<int64_t>({-1}));
  ASSERT_TRUE(r.Run("LookupTableInsertV2", {t, Str({"a", "b"}), Tensor::FromVector<int64_t>({1, 2})}, {}, 0).ok());
  ASSERT_TRUE(r.Run("LookupTableInsertV2", {t, Str({"b"}), Tensor::FromVector<int64_t>({20})}, {}, 0).ok());
  auto f = r.Run("LookupTableFindV2", {t, Str({"b", "a", "c"}), Tensor::Scalar<int64_t>(-1)});
  ASSERT_TRUE(f.ok());
  ExpectTensorEq(f->at(0), Tensor::FromVector<int64_t>({20, 1, -1}));
  ASSERT_TRUE(r.Run("LookupTableRemoveV2", {t, Str({"a", "zz"})}, {}, 0).ok());
  auto ex = r.Run("LookupTableExportV2", {t}, {}, 2);
  ASSERT_TRUE(ex.ok());
  ExpectTensorEq(ex->at(0), Str({"b"}));
  ExpectTensorEq(ex->at(1), Tensor::FromVector<int64_t>({20}));
  // Import replaces the contents.
  ASSERT_TRUE(r.Run("LookupTableImportV2", {t, Str({"x"}), Tensor::FromVector<int64_t>({9})}, {}, 0).ok());
  EXPECT_EQ(r.Run("LookupTableSizeV2", {t})->at(0).scalar<int64_t>(), 1);
  // The same shared_name with another flavour or dtype is refused.
  auto clash = r.Run("HashTableV2", {}, {{"key_dtype", MakeAttr(DType::kString)}, {"value_dtype", MakeAttr(DType::kInt64)},
                                         {"shared_name", MakeAttr("m")}});
  EXPECT_FALSE(clash.ok());
}

TEST(LookupOpsTest, NodeNameWhenNoSharedNameAndBadDtypes) {
  SharedRunner r;
  auto h = r.Run("HashTableV2", {}, {{"key_dtype", MakeAttr(DType::kString)}, {"value_dtype", MakeAttr(DType::kInt64)},
                                     {"use_node_name_sharing", MakeAttr(true)}},
                 1, "my_table");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->at(0).scalar<ResourceHandle>().name, "my_table");
  EXPECT_FALSE(r.Run("HashTableV2", {}, {{"key_dtype", MakeAttr(DType::kFloat)}, {"value_dtype", MakeAttr(DType::kInt64)}})
                   .ok());
}

TEST(LookupOpsTest, ConcurrentFinds) {
  SharedRunner r;
  Tensor t = MakeTable(r, DType::kInt64, DType::kInt64);
  std::vector<int64_t> keys(1000), vals(1000);
  for (int i = 0; i < 1000; ++i) keys[i] = i, vals[i] = 3 * i;
  ASSERT_TRUE(r.Run("InitializeTableV2", {t, Tensor::FromVector<int64_t>(keys), Tensor::FromVector<int64_t>(vals)}, {}, 0)
                  .ok());
  std::vector<std::thread> threads;
  std::atomic<int> bad{0};
  for (int th = 0; th < 4; ++th) {
    threads.emplace_back([&] {
      for (int it = 0; it < 50; ++it) {
        auto f = r.Run("LookupTableFindV2", {t, Tensor::FromVector<int64_t>({999, 1, 5000}), Tensor::Scalar<int64_t>(-1)});
        if (!f.ok() || f->at(0).data<int64_t>()[0] != 2997 || f->at(0).data<int64_t>()[1] != 3 ||
            f->at(0).data<int64_t>()[2] != -1) {
          ++bad;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
}

}  // namespace
}  // namespace stfs::kernels
