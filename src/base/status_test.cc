#include "base/status.h"

#include <gtest/gtest.h>

namespace stfs {
namespace {

StatusOr<int> ParsePositive(int v) {
  if (v <= 0) return InvalidArgument("value ", v, " is not positive");
  return v;
}

Status UseIt(int v, int* out) {
  ASSIGN_OR_RETURN(*out, ParsePositive(v));
  return Status::OK();
}

TEST(StatusTest, OkAndError) {
  EXPECT_TRUE(Status().ok());
  Status s = NotFound("model '", "m", "' not found");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.ToString(), "NOT_FOUND: model 'm' not found");
  EXPECT_EQ(s.WithContext("loading").message(), "loading: model 'm' not found");
}

TEST(StatusTest, StatusOrAndMacros) {
  int out = 0;
  EXPECT_TRUE(UseIt(5, &out).ok());
  EXPECT_EQ(out, 5);
  Status s = UseIt(-2, &out);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "value -2 is not positive");
}

}  // namespace
}  // namespace stfs
