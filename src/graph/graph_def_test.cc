#include "graph/graph_def.h"

#include <gtest/gtest.h>

namespace stfs {
namespace {

tensorflow::NodeDef* AddNode(tensorflow::GraphDef* g, const std::string& name, const std::string& op,
                             std::vector<std::string> inputs) {
  auto* n = g->add_node();
  n->set_name(name);
  n->set_op(op);
  for (auto& i : inputs) n->add_input(i);
  return n;
}

void SetType(tensorflow::NodeDef* n, const std::string& attr, DType t) {
  (*n->mutable_attr())[attr].set_type(static_cast<tensorflow::DataType>(t));
}

TEST(GraphDefTest, BuildsTypedGraphWithDefaults) {
  tensorflow::GraphDef g;
  auto* x = AddNode(&g, "x", "Placeholder", {});
  SetType(x, "dtype", DType::kFloat);
  (*x->mutable_attr())["_output_shapes"].mutable_list();  // hint: dropped
  auto* v = AddNode(&g, "v", "VariableV2", {});
  SetType(v, "dtype", DType::kFloat);
  (*v->mutable_attr())["shape"].mutable_shape();
  auto* assign = AddNode(&g, "assign", "Assign", {"v", "x:0", "^x"});
  SetType(assign, "T", DType::kFloat);
  auto* m = AddNode(&g, "m", "Merge", {"x", "assign"});
  SetType(m, "T", DType::kFloat);
  (*m->mutable_attr())["N"].set_i(2);
  AddNode(&g, "custom", "SomeCustomOp", {"m:1"});
  auto schemas = SchemasFromProto(nullptr, nullptr);
  ASSERT_TRUE(schemas.ok());
  auto graph = GraphFromProto(g, **schemas);
  ASSERT_TRUE(graph.ok()) << graph.status().ToString();
  const Graph& gr = **graph;
  const Node& a = gr.nodes[gr.FindNode("assign")];
  EXPECT_EQ(a.inputs[0], (Endpoint{gr.FindNode("v"), 0}));
  EXPECT_EQ(a.control_inputs, std::vector<int>{gr.FindNode("x")});
  EXPECT_EQ(a.input_is_ref, (std::vector<bool>{true, false}));
  EXPECT_TRUE(a.output_is_ref[0]);
  EXPECT_TRUE(a.attrs.GetBoolOr("validate_shape", false));  // filled default
  EXPECT_FALSE(gr.nodes[gr.FindNode("x")].attrs.Has("_output_shapes"));
  EXPECT_EQ(gr.nodes[gr.FindNode("m")].output_types, (std::vector<DType>{DType::kFloat, DType::kInt32}));
  // Without a schema: untyped, one output (what consumers use, at least one).
  const Node& c = gr.nodes[gr.FindNode("custom")];
  EXPECT_FALSE(c.has_schema);
  EXPECT_EQ(c.num_outputs(), 1);
  auto e = gr.ParseTensorName("m:1");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->index, 1);
  EXPECT_FALSE(gr.ParseTensorName("m:2").ok());
  EXPECT_FALSE(gr.ParseTensorName("nope").ok());
}

TEST(GraphDefTest, MalformedGraphsAreErrors) {
  auto schemas = SchemasFromProto(nullptr, nullptr);
  ASSERT_TRUE(schemas.ok());
  {
    tensorflow::GraphDef g;
    AddNode(&g, "c", "Const", {});
    auto graph = GraphFromProto(g, **schemas);
    ASSERT_FALSE(graph.ok());
    EXPECT_EQ(graph.status().message(), "node 'c' (Const) is a constant tensor but no value has been provided");
  }
  {
    tensorflow::GraphDef g;
    AddNode(&g, "a", "NoOp", {"missing"});
    EXPECT_FALSE(GraphFromProto(g, **schemas).ok());
  }
  {
    tensorflow::GraphDef g;
    AddNode(&g, "a", "NoOp", {});
    AddNode(&g, "a", "NoOp", {});
    auto graph = GraphFromProto(g, **schemas);
    ASSERT_FALSE(graph.ok());
    EXPECT_NE(graph.status().message().find("duplicate node name 'a'"), std::string::npos);
  }
  {
    tensorflow::GraphDef g;  // Identity with two data inputs
    auto* x = AddNode(&g, "x", "Placeholder", {});
    SetType(x, "dtype", DType::kFloat);
    auto* i = AddNode(&g, "i", "Identity", {"x", "x"});
    SetType(i, "T", DType::kFloat);
    auto graph = GraphFromProto(g, **schemas);
    ASSERT_FALSE(graph.ok());
    EXPECT_NE(graph.status().message().find("node 'i' (Identity): has 2 data inputs"), std::string::npos);
  }
  {
    tensorflow::GraphDef g;  // a negative-shape tensor attribute
    auto* c = AddNode(&g, "c", "Const", {});
    SetType(c, "dtype", DType::kFloat);
    auto* t = (*c->mutable_attr())["value"].mutable_tensor();
    t->set_dtype(tensorflow::DT_FLOAT);
    t->mutable_tensor_shape()->add_dim()->set_size(-1);
    auto graph = GraphFromProto(g, **schemas);
    ASSERT_FALSE(graph.ok());
    EXPECT_NE(graph.status().message().find("node 'c' (Const): attribute 'value'"), std::string::npos)
        << graph.status().ToString();
  }
}

TEST(GraphDefTest, FunctionBodyResolvesOutputArgs) {
  tensorflow::FunctionDef f;
  auto* sig = f.mutable_signature();
  sig->set_name("f");
  auto* in = sig->add_input_arg();
  in->set_name("x");
  in->set_type(tensorflow::DT_FLOAT);
  auto* out = sig->add_output_arg();
  out->set_name("y");
  out->set_type(tensorflow::DT_FLOAT);
  auto* merge = f.add_node_def();
  merge->set_name("m");
  merge->set_op("Merge");
  merge->add_input("x");
  merge->add_input("x");
  (*merge->mutable_attr())["T"].set_type(tensorflow::DT_FLOAT);
  (*merge->mutable_attr())["N"].set_i(2);
  auto* id = f.add_node_def();
  id->set_name("id");
  id->set_op("Identity");
  id->add_input("m:output:0");
  (*id->mutable_attr())["T"].set_placeholder("T");
  auto* idx = f.add_node_def();
  idx->set_name("idx");
  idx->set_op("Identity");
  idx->add_input("m:value_index:0");
  (*idx->mutable_attr())["T"].set_type(tensorflow::DT_INT32);
  (*f.mutable_ret())["y"] = "id:output:0";
  auto schemas = SchemasFromProto(nullptr, nullptr);
  ASSERT_TRUE(schemas.ok());
  AttrMap inst;
  AttrValue t;
  t.kind = AttrValue::Kind::kType;
  t.type = DType::kFloat;
  inst.Set("T", t);
  auto fg = FunctionGraphFromProto(f, **schemas, &inst);
  ASSERT_TRUE(fg.ok()) << fg.status().ToString();
  const Graph& body = (*fg)->body;
  int m = body.FindNode("m");
  EXPECT_EQ(body.nodes[body.FindNode("idx")].inputs[0], (Endpoint{m, 1}));  // value_index = output 1
  EXPECT_EQ((*fg)->rets[0], (Endpoint{body.FindNode("id"), 0}));
  EXPECT_EQ(body.nodes[body.FindNode("id")].attrs.GetTypeOr("T", DType::kInvalid), DType::kFloat);
  EXPECT_EQ((*fg)->arg_nodes.size(), 1u);
  // Unbound placeholder attr is an error naming the function and node.
  auto unbound = FunctionGraphFromProto(f, **schemas, nullptr);
  ASSERT_FALSE(unbound.ok());
  EXPECT_NE(unbound.status().message().find("function 'f'"), std::string::npos);
  // Bad output arg name.
  (*f.mutable_ret())["y"] = "id:nope:0";
  EXPECT_FALSE(FunctionGraphFromProto(f, **schemas, &inst).ok());
}

}  // namespace
}  // namespace stfs
