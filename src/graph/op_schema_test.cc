#include "graph/op_schema.h"

#include <gtest/gtest.h>

namespace stfs {
namespace {

AttrValue IntAttr(int64_t v) {
  AttrValue a;
  a.kind = AttrValue::Kind::kInt;
  a.i = v;
  return a;
}
AttrValue TypeAttr(DType t) {
  AttrValue a;
  a.kind = AttrValue::Kind::kType;
  a.type = t;
  return a;
}

TEST(OpSchemaTest, ParseSpecAndExpandNumberAttr) {
  auto s = ParseOpSpec("Merge", "inputs: N * T", "output: T; value_index: int32", "T: type; N: int");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  AttrMap attrs;
  attrs.Set("T", TypeAttr(DType::kFloat));
  attrs.Set("N", IntAttr(3));
  auto in = ExpandArgs(s->inputs, attrs);
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(in->types, (std::vector<DType>{DType::kFloat, DType::kFloat, DType::kFloat}));
  auto out = ExpandArgs(s->outputs, attrs);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->types, (std::vector<DType>{DType::kFloat, DType::kInt32}));
  EXPECT_EQ(out->arg_start, (std::vector<int>{0, 1, 2}));
  AttrMap missing;
  EXPECT_FALSE(ExpandArgs(s->inputs, missing).ok());
  attrs.Set("N", IntAttr(-1));
  EXPECT_FALSE(ExpandArgs(s->inputs, attrs).ok());
}

TEST(OpSchemaTest, TypeListRefAndDefaults) {
  const OpSchema* restore = OpSchemaSet::Builtin().Find("RestoreV2");
  ASSERT_NE(restore, nullptr);
  AttrMap attrs;
  AttrValue list;
  list.kind = AttrValue::Kind::kList;
  list.list_type = {DType::kFloat, DType::kInt64};
  attrs.Set("dtypes", list);
  auto out = ExpandArgs(restore->outputs, attrs);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->types, (std::vector<DType>{DType::kFloat, DType::kInt64}));

  const OpSchema* assign = OpSchemaSet::Builtin().Find("Assign");
  ASSERT_NE(assign, nullptr);
  AttrMap a;
  a.Set("T", TypeAttr(DType::kDouble));
  auto in = ExpandArgs(assign->inputs, a);
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(in->is_ref, (std::vector<bool>{true, false}));
  FillDefaultAttrs(*assign, &a);
  EXPECT_TRUE(a.GetBoolOr("validate_shape", false));
  EXPECT_TRUE(a.GetBoolOr("use_locking", false));

  // Defaults for attributes newer than old graphs (deep_image_model, TF 1.8).
  const OpSchema* resize = OpSchemaSet::Builtin().Find("ResizeBilinear");
  ASSERT_NE(resize, nullptr);
  AttrMap r;
  FillDefaultAttrs(*resize, &r);
  ASSERT_TRUE(r.Has("half_pixel_centers"));
  EXPECT_FALSE(r.GetBoolOr("half_pixel_centers", true));
}

TEST(OpSchemaTest, BadSpecsAreErrors) {
  EXPECT_FALSE(ParseOpSpec("X", "a: NoSuchType", "", "").ok());
  EXPECT_FALSE(ParseOpSpec("X", "a T", "", "").ok());
  EXPECT_FALSE(ParseOpSpec("X", "", "", "s: string = unquoted").ok());
}

TEST(OpSchemaTest, FallbackLookup) {
  OpSchemaSet set(&OpSchemaSet::Builtin());
  auto mine = ParseOpSpec("Identity", "input: T; extra: T", "output: T", "T: type");
  ASSERT_TRUE(mine.ok());
  set.Add(*mine);
  EXPECT_EQ(set.Find("Identity")->inputs.size(), 2u);  // own entry wins
  EXPECT_NE(set.Find("NoOp"), nullptr);                // falls back
  EXPECT_EQ(set.Find("NotAnOp"), nullptr);
}

}  // namespace
}  // namespace stfs
