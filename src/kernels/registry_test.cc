#include "kernels/registry.h"

#include <gtest/gtest.h>

#include <set>

namespace stfs::kernels {
namespace {

TEST(RegistryTest, OpsAreUniqueAndFindable) {
  std::set<std::string_view> seen;
  for (const auto& k : AllKernels()) {
    EXPECT_TRUE(seen.insert(k.op).second) << "duplicate registry row for " << k.op;
    EXPECT_NE(k.create, nullptr) << k.op;
    EXPECT_EQ(FindKernel(k.op), &k);
  }
  EXPECT_EQ(FindKernel("NoSuchOpAnywhere"), nullptr);
}

}  // namespace
}  // namespace stfs::kernels
