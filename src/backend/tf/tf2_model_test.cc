// TF2 (object-based, function library) SavedModels on TfModel: the real
// models of /work/shared/models load, and a signature reaching an op without
// a kernel inside a function fails the load naming op, function and node.
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <set>
#include <map>
#include <filesystem>
#include <fstream>

#include "backend/tf/tf_model.h"
#include "proto/saved_model.pb.h"
#include "savedmodel/saved_model.h"

namespace stfs {
namespace {

std::string LatestVersion(const std::string& model) {
  std::string base = std::string(STFS_MODELS_DIR) + "/" + model;
  std::vector<VersionDir> versions = ListVersionDirs(base);
  return versions.empty() ? base : base + "/" + versions.back().name;
}

TEST(Tf2ModelTest, RealTf2ModelsLoad) {
  for (const char* name : {"tfserving/saved_model_half_plus_two_tf2_cpu", "tensorflow/VarsAndArithmeticObjectGraph",
                           "tensorflow/AssetModule", "tensorflow/x_plus_y_v2_debuginfo",
                           "tensorflow/non_chunked_model", "tensorflow/CyclicModule",
                           "keras/simple_model_from_auto_compile"}) {
    auto m = TfModel::Load(LatestVersion(name), {});
    EXPECT_TRUE(m.ok()) << name << ": " << m.status().ToString();
  }
}

TEST(Tf2ModelTest, HalfPlusTwoTf2Predicts) {
  auto m = TfModel::Load(LatestVersion("tfserving/saved_model_half_plus_two_tf2_cpu"), {});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  // y = 0.5 * x + 2 (the model's documented function).
  NamedTensors in = {{"x", Tensor::FromVector<float>({1, 2, 5}, Shape{3, 1})}};
  auto out = (*m)->Predict("serving_default", in, {});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->size(), 1u);
  const Tensor& y = (*out)[0].second;
  ASSERT_EQ(y.NumElements(), 3);
  EXPECT_FLOAT_EQ(y.data<float>()[0], 2.5f);
  EXPECT_FLOAT_EQ(y.data<float>()[1], 3.0f);
  EXPECT_FLOAT_EQ(y.data<float>()[2], 4.5f);
}

TEST(Tf2ModelTest, BertSignaturePlansCompileOnlyReachableFunctions) {
  const std::string dir = LatestVersion("tensorflow/bert1");
  auto start = std::chrono::steady_clock::now();
  auto m = TfModel::Load(dir, {});
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_LT(seconds, 1.0);
  // The library holds 92 functions; the serving signature reaches far fewer.
  auto saved = ReadSavedModel(dir);
  ASSERT_TRUE(saved.ok());
  const int library = saved->meta_graph->graph_def().library().function_size();
  const std::vector<std::string> compiled = (*m)->InstantiatedFunctions();
  EXPECT_GT(compiled.size(), 0u);
  EXPECT_LT(static_cast<int>(compiled.size()), library);
  // Every compiled function is reachable from the graph: walk the calls.
  std::set<std::string> reachable;
  std::vector<std::string> todo;
  std::map<std::string, const tensorflow::FunctionDef*> by_name;
  for (const auto& f : saved->meta_graph->graph_def().library().function()) by_name[f.signature().name()] = &f;
  auto visit_node = [&](const tensorflow::NodeDef& n) {
    if (by_name.count(n.op())) todo.push_back(n.op());
    for (const auto& [k, v] : n.attr()) {
      if (v.has_func()) todo.push_back(v.func().name());
      for (const auto& f : v.list().func()) todo.push_back(f.name());
    }
  };
  for (const auto& n : saved->meta_graph->graph_def().node()) visit_node(n);
  while (!todo.empty()) {
    std::string f = todo.back();
    todo.pop_back();
    if (!by_name.count(f) || !reachable.insert(f).second) continue;
    for (const auto& n : by_name[f]->node_def()) visit_node(n);
  }
  for (const std::string& name : compiled) {
    std::string base = name.substr(0, name.find('['));  // cache keys may carry attrs
    EXPECT_TRUE(reachable.count(base) || reachable.count(name)) << name << " is not reachable from the graph";
  }
}

// A TF2-style model: serving_default calls function 'outer' through
// StatefulPartitionedCall; 'outer' calls 'inner', whose node 'zz' uses
// ZeroOut, which has no kernel. 'unreached' also uses it but no signature calls it.
constexpr char kBadModel[] = R"pb(
  saved_model_schema_version: 1
  meta_graphs {
    meta_info_def { tags: "serve"
      stripped_op_list { op { name: "ZeroOut" input_arg { name: "to_zero" type: DT_INT32 }
                                output_arg { name: "zeroed" type: DT_INT32 } } } }
    graph_def {
      node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_INT32 } } }
      node { name: "call" op: "StatefulPartitionedCall" input: "x"
        attr { key: "Tin" value { list { type: DT_INT32 } } }
        attr { key: "Tout" value { list { type: DT_INT32 } } }
        attr { key: "f" value { func { name: "outer" } } } }
      node { name: "y" op: "Identity" input: "call" attr { key: "T" value { type: DT_INT32 } } }
      library {
        function { signature { name: "outer" input_arg { name: "a" type: DT_INT32 } output_arg { name: "b" type: DT_INT32 } }
                   node_def { name: "c" op: "inner" input: "a" } ret { key: "b" value: "c:y:0" } }
        function { signature { name: "inner" input_arg { name: "x" type: DT_INT32 } output_arg { name: "y" type: DT_INT32 } }
                   node_def { name: "zz" op: "ZeroOut" input: "x" } ret { key: "y" value: "zz:zeroed:0" } }
        function { signature { name: "unreached" input_arg { name: "x" type: DT_INT32 } output_arg { name: "y" type: DT_INT32 } }
                   node_def { name: "zz" op: "ZeroOut" input: "x" } ret { key: "y" value: "zz:zeroed:0" } }
      }
    }
    signature_def { key: "serving_default" value {
      inputs { key: "x" value { name: "x:0" dtype: DT_INT32 } }
      outputs { key: "y" value { name: "y:0" dtype: DT_INT32 } }
      method_name: "tensorflow/serving/predict" } }
  }
)pb";

std::string WriteModel(const std::string& text, const std::string& name) {
  tensorflow::SavedModel sm;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &sm));
  std::string dir = (std::filesystem::temp_directory_path() / ("stfs_tf2_" + name + std::to_string(getpid()))).string();
  std::filesystem::create_directories(dir);
  std::ofstream out(dir + "/saved_model.pb", std::ios::binary);
  sm.SerializeToOstream(&out);
  return dir;
}

TEST(Tf2ModelTest, MissingKernelInsideFunctionFailsLoadNamingOpFunctionNode) {
  std::string dir = WriteModel(kBadModel, "bad");
  auto m = TfModel::Load(dir, {});
  std::filesystem::remove_all(dir);
  ASSERT_FALSE(m.ok());
  const std::string msg = m.status().ToString();
  EXPECT_NE(msg.find("'ZeroOut'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("function 'inner'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("node 'zz'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("serving_default"), std::string::npos) << msg;
}

TEST(Tf2ModelTest, UnreachableFunctionsAreNotCompiled) {
  std::string text = kBadModel;
  // Call an identity function instead: the ZeroOut functions become unreachable.
  auto pos = text.find("func { name: \"outer\" }");
  text.replace(pos, std::string("func { name: \"outer\" }").size(), "func { name: \"ident\" }");
  text.insert(text.find("library {") + 9,
              "function { signature { name: \"ident\" input_arg { name: \"a\" type: DT_INT32 }"
              " output_arg { name: \"b\" type: DT_INT32 } } ret { key: \"b\" value: \"a\" } }");
  std::string dir = WriteModel(text, "lazy");
  auto m = TfModel::Load(dir, {});
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  auto out = (*m)->Predict("serving_default", {{"x", Tensor::Scalar<int32_t>(7)}}, {});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)[0].second.scalar<int32_t>(), 7);
}

}  // namespace
}  // namespace stfs
