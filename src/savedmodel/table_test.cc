#include <gtest/gtest.h>

#include <string>

#include "savedmodel/coding.h"
#include "savedmodel/crc32c.h"
#include "savedmodel/file_util.h"
#include "savedmodel/table_builder.h"
#include "savedmodel/table_reader.h"

namespace stfs {
namespace {

std::string Bytes(std::initializer_list<int> b) {
  std::string s;
  for (int x : b) s.push_back(static_cast<char>(x));
  return s;
}

TEST(ParseBlockTest, HandBuiltBlockWithPrefixCompression) {
  // "abc" -> "1" (restart), "abd" -> "22" sharing 2 bytes; restarts [0], n=1.
  std::string block = Bytes({0, 3, 1, 'a', 'b', 'c', '1', 2, 1, 2, 'd', '2', '2', 0, 0, 0, 0, 1, 0, 0, 0});
  std::vector<TableEntry> out;
  ASSERT_TRUE(ParseBlock(block, "test", &out).ok());
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].key, "abc");
  EXPECT_EQ(out[0].value, "1");
  EXPECT_EQ(out[1].key, "abd");
  EXPECT_EQ(out[1].value, "22");
}

TEST(ParseBlockTest, RejectsBadBlocks) {
  std::vector<TableEntry> out;
  EXPECT_FALSE(ParseBlock(Bytes({1, 0}), "short", &out).ok());
  // 1000 restarts claimed in an 8-byte block.
  EXPECT_FALSE(ParseBlock(Bytes({0, 0, 0, 0, 0xe8, 3, 0, 0}), "restarts", &out).ok());
  // First entry shares 2 bytes with a non-existent previous key.
  auto st = ParseBlock(Bytes({2, 1, 0, 'x', 0, 0, 0, 0, 1, 0, 0, 0}), "shared", &out);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("shares 2 key bytes"), std::string::npos) << st.message();
  // Value length runs past the entries.
  EXPECT_FALSE(ParseBlock(Bytes({0, 1, 9, 'k', 'v', 0, 0, 0, 0, 1, 0, 0, 0}), "value", &out).ok());
}

TEST(ShortKeysTest, SeparatorAndSuccessor) {
  EXPECT_EQ(ShortestSeparator("abcd", "abzz"), "abd");
  EXPECT_EQ(ShortestSeparator("abc", "abcd"), "abc");  // prefix: unchanged
  EXPECT_EQ(ShortestSeparator("ab1", "ab2"), "ab1");   // no room between
  EXPECT_EQ(ShortSuccessor("c2"), "d");                // as in the TF Serving file
  EXPECT_EQ(ShortSuccessor(std::string("\xff\xff" "a")), std::string("\xff\xff" "b"));
  EXPECT_EQ(ShortSuccessor(std::string("\xff")), std::string("\xff"));
}

// The annotated file from the reference: TF Serving half_plus_two_cpu, a
// Snappy-compressed data block holding keys "", a, a2, b, c, c2.
TEST(ParseTableTest, RealSnappyIndex) {
  const std::string path = std::string(STFS_MODELS_DIR) +
                           "/tfserving/saved_model_half_plus_two_cpu/00000123/variables/variables.index";
  auto file = ReadFileToString(path, 1 << 20);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  ASSERT_EQ(file->size(), 172u);
  // Footer: metaindex (92, 8), index (105, 14).
  std::string_view footer = std::string_view(*file).substr(172 - 48);
  BlockHandle meta, index;
  ASSERT_TRUE(DecodeBlockHandle(&footer, &meta));
  ASSERT_TRUE(DecodeBlockHandle(&footer, &index));
  EXPECT_EQ(meta.offset, 92u);
  EXPECT_EQ(meta.size, 8u);
  EXPECT_EQ(index.offset, 105u);
  EXPECT_EQ(index.size, 14u);
  EXPECT_EQ((*file)[87], '\x01');  // Snappy block type
  auto entries = ParseTable(*file, "variables.index");
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  std::vector<std::string> keys;
  for (const auto& e : *entries) keys.push_back(e.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"", "a", "a2", "b", "c", "c2"}));
}

TEST(TableBuilderTest, TinyTableHasHandDerivedLayout) {
  TableBuilder b;
  ASSERT_TRUE(b.Add("a", "x").ok());
  std::string f = b.Finish();
  // data block: 00 01 01 'a' 'x' + restart 0 + count 1 = 13 bytes, trailer 5.
  EXPECT_EQ(f.substr(0, 13), Bytes({0, 1, 1, 'a', 'x', 0, 0, 0, 0, 1, 0, 0, 0}));
  EXPECT_EQ(f[13], 0);  // uncompressed
  const uint32_t crc = crc32c::Unmask(coding::DecodeFixed32(f.data() + 14));
  EXPECT_EQ(crc, crc32c::Value(f.data(), 14));  // over contents + type byte
  // meta-index at 18: empty block (restart 0, count 1).
  EXPECT_EQ(f.substr(18, 8), Bytes({0, 0, 0, 0, 1, 0, 0, 0}));
  // index at 31: key ShortSuccessor("a") = "b" -> handle (0, 13).
  EXPECT_EQ(f.substr(31, 14), Bytes({0, 1, 2, 'b', 0, 13, 0, 0, 0, 0, 1, 0, 0, 0}));
  ASSERT_EQ(f.size(), 50u + 48u);
  EXPECT_EQ(f.substr(50, 4), Bytes({18, 8, 31, 14}));
  EXPECT_EQ(f.substr(90), Bytes({0x57, 0xfb, 0x80, 0x8b, 0x24, 0x75, 0x47, 0xdb}));
}

TEST(TableBuilderTest, ManyBlocksRoundTrip) {
  TableBuilder b(/*block_size=*/256, /*restart_interval=*/4);
  std::vector<TableEntry> want;
  for (int i = 0; i < 500; ++i) {
    char key[32];
    std::snprintf(key, sizeof(key), "layer%03d/kernel", i);
    want.push_back({key, std::string(i % 17, static_cast<char>('a' + i % 26))});
    ASSERT_TRUE(b.Add(want.back().key, want.back().value).ok());
  }
  EXPECT_FALSE(b.Add("a", "").ok());  // out of order
  std::string f = b.Finish();
  auto got = ParseTable(f, "mem");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ((*got)[i].key, want[i].key);
    EXPECT_EQ((*got)[i].value, want[i].value);
  }
}

TEST(ParseTableTest, CorruptionIsReported) {
  TableBuilder b;
  ASSERT_TRUE(b.Add("key1", "value1").ok());
  ASSERT_TRUE(b.Add("key2", "value2").ok());
  const std::string good = b.Finish();
  ASSERT_TRUE(ParseTable(good, "t").ok());

  std::string flipped = good;
  flipped[3] ^= 0x40;
  auto st = ParseTable(flipped, "variables.index");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.status().code(), Code::kDataLoss);
  EXPECT_NE(st.status().message().find("variables.index: data block at offset 0: crc mismatch"),
            std::string::npos) << st.status().message();

  std::string magic = good;
  magic[magic.size() - 1] ^= 1;
  st = ParseTable(magic, "t");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.status().message().find("not an sstable"), std::string::npos);

  EXPECT_FALSE(ParseTable(good.substr(0, 40), "t").ok());
  EXPECT_FALSE(ParseTable(good.substr(10), "t").ok());
  EXPECT_FALSE(ParseTable("", "t").ok());
  // A footer pointing past the end of the file.
  std::string far = good;
  far[good.size() - 48 + 2] = static_cast<char>(0x7f);
  EXPECT_FALSE(ParseTable(far, "t").ok());
}

TEST(ParseTableTest, EveryTruncationAndByteFlipFailsCleanly) {
  TableBuilder b;
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(b.Add("k" + std::to_string(100 + i), std::string(i, 'v')).ok());
  const std::string good = b.Finish();
  for (size_t n = 0; n < good.size(); ++n) EXPECT_FALSE(ParseTable(good.substr(0, n), "t").ok()) << n;
  for (size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] ^= 0x01;
    auto r = ParseTable(bad, "t");
    // Flips in the footer padding are harmless; everything else must be caught.
    if (r.ok()) {
      EXPECT_TRUE(i >= good.size() - 48 && i < good.size() - 8) << i;
    }
  }
}

}  // namespace
}  // namespace stfs
