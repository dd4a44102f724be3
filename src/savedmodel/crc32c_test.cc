#include "savedmodel/crc32c.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace stfs::crc32c {
namespace {

// RFC 3720 (iSCSI) appendix B.4 test vectors.
TEST(Crc32cTest, Rfc3720Vectors) {
  std::vector<uint8_t> zeros(32, 0), ones(32, 0xff), asc(32), desc(32);
  for (int i = 0; i < 32; ++i) {
    asc[i] = static_cast<uint8_t>(i);
    desc[i] = static_cast<uint8_t>(31 - i);
  }
  EXPECT_EQ(Value(zeros.data(), zeros.size()), 0x8a9136aau);
  EXPECT_EQ(Value(ones.data(), ones.size()), 0x62a8ab43u);
  EXPECT_EQ(Value(asc.data(), asc.size()), 0x46dd794eu);
  EXPECT_EQ(Value(desc.data(), desc.size()), 0x113fdb5cu);
  EXPECT_EQ(ExtendPortable(0, zeros.data(), 32), 0x8a9136aau);
  EXPECT_EQ(ExtendPortable(0, ones.data(), 32), 0x62a8ab43u);
  EXPECT_EQ(ExtendPortable(0, asc.data(), 32), 0x46dd794eu);
  EXPECT_EQ(ExtendPortable(0, desc.data(), 32), 0x113fdb5cu);
}

// The well-known check value of CRC-32C: crc("123456789") = 0xe3069283.
TEST(Crc32cTest, CheckValue) {
  EXPECT_EQ(Value(std::string_view("123456789")), 0xe3069283u);
  EXPECT_EQ(Value(std::string_view("")), 0u);
}

TEST(Crc32cTest, ExtendEqualsWholeAndHardwareEqualsPortable) {
  std::string s;
  for (int i = 0; i < 1000; ++i) s.push_back(static_cast<char>(i * 7 + 3));
  for (size_t split : {0, 1, 7, 8, 9, 500, 999, 1000}) {
    uint32_t a = Extend(Value(s.data(), split), s.data() + split, s.size() - split);
    EXPECT_EQ(a, Value(s)) << split;
    // Unaligned starts and odd lengths through both implementations.
    EXPECT_EQ(Extend(0, s.data() + split / 3, s.size() - split),
              ExtendPortable(0, s.data() + split / 3, s.size() - split));
  }
}

TEST(Crc32cTest, MaskRoundTripsAndChangesValue) {
  for (uint32_t c : {0u, 1u, 0x8a9136aau, 0xffffffffu, 0x12345678u}) {
    EXPECT_NE(Mask(c), c);
    EXPECT_NE(Mask(Mask(c)), Mask(c));
    EXPECT_EQ(Unmask(Mask(c)), c);
  }
  // mask(0) = rotr(0,15) + delta = delta.
  EXPECT_EQ(Mask(0), 0xa282ead8u);
  // mask(1): rotate right 15 puts bit 0 at bit 17 -> 0x20000 + delta.
  EXPECT_EQ(Mask(1), 0x20000u + 0xa282ead8u);
}

}  // namespace
}  // namespace stfs::crc32c
