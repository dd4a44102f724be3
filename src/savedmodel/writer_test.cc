#include "savedmodel/writer.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "savedmodel/bundle_reader.h"
#include "savedmodel/bundle_writer.h"
#include "savedmodel/coding.h"
#include "savedmodel/crc32c.h"
#include "savedmodel/file_util.h"
#include "savedmodel/op_defs.h"
#include "savedmodel/reachability.h"
#include "savedmodel/saved_model.h"
#include "tensor/tensor_proto.h"

namespace stfs {
namespace {

namespace fs = std::filesystem;
const std::string kModels = STFS_MODELS_DIR;

class TempDir {
 public:
  TempDir() {
    path_ = (fs::temp_directory_path() / ("stfs_writer_" + std::to_string(getpid()) + "_" +
                                          std::to_string(counter_++))).string();
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  std::string path_;
};

const tensorflow::NodeDef* FindNode(const tensorflow::GraphDef& g, const std::string& name) {
  for (const auto& n : g.node()) {
    if (n.name() == name) return &n;
  }
  return nullptr;
}

// y = a * x + b with variables a = 0.5, b = 2 (half_plus_two).
TEST(WriterTest, HalfPlusTwoRoundTrip) {
  TempDir tmp;
  const std::string dir = tmp.path() + "/hp2/1";
  GraphBuilder b;
  NodeOut x = b.Placeholder("x", DType::kFloat, PartialShape({-1, 1}));
  NodeOut a = b.Variable("a", Tensor::Scalar(0.5f));
  NodeOut bias = b.Variable("b", Tensor::Scalar(2.0f));
  NodeOut ax = b.Op("Mul", {a, x});
  NodeOut y = b.OpNamed("y", "Add", {ax, bias});
  EXPECT_EQ(ax.node, "Mul");
  EXPECT_EQ(y.dtype, DType::kFloat);
  b.AddSignature("serving_default", "tensorflow/serving/predict", {{"x", x}},
                 {{"y", y.WithShape(PartialShape({-1, 1}))}});
  ASSERT_TRUE(b.WriteSavedModel(dir).ok()) << b.status().ToString();

  auto m = ReadSavedModel(dir);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->tags, std::vector<std::string>{"serve"});
  const SignatureInfo& sig = m->signatures.at("serving_default");
  EXPECT_EQ(sig.method_name, "tensorflow/serving/predict");
  ASSERT_EQ(sig.inputs.size(), 1u);
  EXPECT_EQ(sig.inputs[0].tensor_name, "x:0");
  EXPECT_EQ(sig.inputs[0].dtype, DType::kFloat);
  EXPECT_EQ(sig.inputs[0].shape.ToString(), "[?,1]");
  EXPECT_EQ(sig.outputs[0].tensor_name, "y:0");
  EXPECT_EQ(ReachableOpTypes(m->meta_graph->graph_def(), {"y:0"}),
            (std::set<std::string>{"Add", "Identity", "Mul", "Placeholder", "VariableV2"}));

  // Checkpoint values.
  ASSERT_EQ(m->variables_prefix, dir + "/variables/variables");
  auto reader = BundleReader::Open(m->variables_prefix);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->Keys(), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(TensorEquals(*(*reader)->Read("a"), Tensor::Scalar(0.5f)));
  EXPECT_TRUE(TensorEquals(*(*reader)->Read("b"), Tensor::Scalar(2.0f)));
  EXPECT_TRUE((*reader)->VerifyAll().ok());

  // The TF1 restore wiring.
  const auto& g = m->meta_graph->graph_def();
  const auto& saver = m->meta_graph->saver_def();
  EXPECT_EQ(saver.filename_tensor_name(), "save/Const:0");
  EXPECT_EQ(saver.restore_op_name(), "save/restore_all");
  EXPECT_EQ(saver.version(), tensorflow::SaverDef::V2);
  const auto* restore = FindNode(g, "save/RestoreV2");
  ASSERT_NE(restore, nullptr);
  EXPECT_EQ(restore->input(0), "save/Const");
  EXPECT_EQ(restore->attr().at("dtypes").list().type_size(), 2);
  auto names = TensorFromProto(FindNode(g, "save/RestoreV2/tensor_names")->attr().at("value").tensor());
  ASSERT_TRUE(names.ok());
  EXPECT_TRUE(TensorEquals(*names, Tensor::FromVector<std::string>({"a", "b"})));
  const auto* assign1 = FindNode(g, "save/Assign_1");
  ASSERT_NE(assign1, nullptr);
  EXPECT_EQ(assign1->input(0), "b");
  EXPECT_EQ(assign1->input(1), "save/RestoreV2:1");
  const auto* all = FindNode(g, "save/restore_all");
  ASSERT_NE(all, nullptr);
  EXPECT_EQ(std::vector<std::string>(all->input().begin(), all->input().end()),
            (std::vector<std::string>{"^save/Assign", "^save/Assign_1"}));
  // Default attrs were filled from the OpDef.
  EXPECT_TRUE(FindNode(g, "a/Assign")->attr().at("validate_shape").b());
  EXPECT_EQ(FindNode(g, "a")->attr().at("container").s(), "");

  // stripped_op_list has every op used, with argument layouts.
  std::set<std::string> listed;
  for (const auto& op : m->meta_graph->meta_info_def().stripped_op_list().op()) listed.insert(op.name());
  EXPECT_EQ(listed, (std::set<std::string>{"Add", "Assign", "Const", "Identity", "Mul", "NoOp", "Placeholder",
                                           "RestoreV2", "SaveV2", "VariableV2"}));
}

TEST(WriterTest, OpDefsHaveTensorFlowLayouts) {
  const auto* add = FindWriterOpDef("Add");
  ASSERT_NE(add, nullptr);
  ASSERT_EQ(add->input_arg_size(), 2);
  EXPECT_EQ(add->input_arg(0).type_attr(), "T");
  EXPECT_EQ(add->output_arg(0).name(), "z");
  const auto* restore = FindWriterOpDef("RestoreV2");
  ASSERT_NE(restore, nullptr);
  EXPECT_EQ(restore->output_arg(0).type_list_attr(), "dtypes");
  const auto* concat = FindWriterOpDef("ConcatV2");
  ASSERT_NE(concat, nullptr);
  EXPECT_EQ(concat->input_arg(0).number_attr(), "N");
  const auto* pe = FindWriterOpDef("ParseExample");
  ASSERT_NE(pe, nullptr);
  ASSERT_EQ(pe->output_arg_size(), 4);
  EXPECT_EQ(pe->output_arg(3).name(), "dense_values");
  const auto* resize = FindWriterOpDef("ResizeBilinear");
  ASSERT_NE(resize, nullptr);
  bool has_half_pixel = false;
  for (const auto& a : resize->attr()) {
    if (a.name() == "half_pixel_centers") has_half_pixel = !a.default_value().b();
  }
  EXPECT_TRUE(has_half_pixel);
  for (const char* op : {"Placeholder", "Const", "Identity", "VariableV2", "Assign", "NoOp", "Sub", "RealDiv",
                         "AddV2", "MatMul", "BiasAdd", "Relu", "Softmax", "ArgMax", "Conv2D", "MaxPool", "Reshape",
                         "DecodeJpeg", "DecodePng", "DecodeBase64", "ExpandDims", "Cast", "Squeeze"}) {
    EXPECT_NE(FindWriterOpDef(op), nullptr) << op;
  }
}

TEST(WriterTest, BuilderInfersAndValidates) {
  GraphBuilder b;
  NodeOut x = b.Placeholder("x", DType::kFloat, PartialShape({-1, 2}));
  NodeOut c = b.Const("c", Tensor::FromVector<float>({1, 2}));
  NodeOut axis = b.Const("axis", Tensor::Scalar<int32_t>(1));
  NodeOut cat = b.Op("ConcatV2", {x, x, axis});
  EXPECT_EQ(cat.dtype, DType::kFloat);
  const tensorflow::NodeDef* n = FindNode(b.graph(), "ConcatV2");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->attr().at("N").i(), 2);
  EXPECT_EQ(n->attr().at("T").type(), tensorflow::DT_FLOAT);
  EXPECT_EQ(n->attr().at("Tidx").type(), tensorflow::DT_INT32);
  NodeOut am = b.Op("ArgMax", {x, axis});
  EXPECT_EQ(am.dtype, DType::kInt64);  // output_type default
  NodeOut m2 = b.Op("Mul", {x, c});
  EXPECT_EQ(m2.node, "Mul");
  NodeOut m3 = b.Op("Mul", {x, c});
  EXPECT_EQ(m3.node, "Mul_1");
  NodeOut conv = b.Op("Conv2D", {x, c}, {{"strides", {1, 1, 1, 1}}, {"padding", "SAME"}});
  EXPECT_EQ(FindNode(b.graph(), conv.node)->attr().at("strides").list().i_size(), 4);
  EXPECT_EQ(FindNode(b.graph(), conv.node)->attr().at("data_format").s(), "NHWC");
  EXPECT_TRUE(b.status().ok()) << b.status().ToString();
  EXPECT_TRUE(b.BuildMetaGraph().ok());

  GraphBuilder bad;
  NodeOut y = bad.Placeholder("y", DType::kFloat, PartialShape());
  bad.Op("Conv2D", {y, y});  // no strides / padding
  ASSERT_FALSE(bad.status().ok());
  EXPECT_NE(bad.status().message().find("missing attr 'strides'"), std::string::npos) << bad.status().message();
  EXPECT_FALSE(bad.WriteSavedModel("/nonexistent/should/not/be/created").ok());

  GraphBuilder bad2;
  NodeOut z = bad2.Placeholder("z", DType::kFloat, PartialShape());
  bad2.Op("Add", {z});
  ASSERT_FALSE(bad2.status().ok());
  EXPECT_NE(bad2.status().message().find("expects 2 inputs but got 1"), std::string::npos);
  GraphBuilder bad3;
  bad3.Placeholder("p", DType::kFloat, PartialShape());
  bad3.Placeholder("p", DType::kFloat, PartialShape());
  EXPECT_FALSE(bad3.status().ok());
}

TEST(WriterTest, AssetsMainOpAndCustomOps) {
  TempDir tmp;
  GraphBuilder b;
  tensorflow::OpDef zero_out;
  zero_out.set_name("ZeroOut");
  auto* in = zero_out.add_input_arg();
  in->set_name("to_zero");
  in->set_type(tensorflow::DT_INT32);
  auto* out = zero_out.add_output_arg();
  out->set_name("zeroed");
  out->set_type(tensorflow::DT_INT32);
  b.AddOpDef(zero_out);
  NodeOut x = b.Placeholder("input", DType::kInt32, PartialShape({-1, 2}));
  NodeOut z = b.Op("ZeroOut", {x});
  EXPECT_EQ(z.dtype, DType::kInt32);
  b.Asset("vocab_path", "vocab.txt", "a\nb\n");
  b.OpNamed("init", "NoOp", {});
  b.SetMainOp("init");
  b.AddSignature("serving_default", "tensorflow/serving/predict", {{"input", x}}, {{"output", z}});
  ASSERT_TRUE(b.WriteSavedModel(tmp.path()).ok()) << b.status().ToString();
  auto m = ReadSavedModel(tmp.path());
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_TRUE(m->variables_prefix.empty());  // graph-only
  ASSERT_EQ(m->assets.size(), 1u);
  EXPECT_EQ(m->assets[0].tensor_name, "vocab_path:0");
  auto contents = ReadFileToString(m->assets[0].path, 100);
  ASSERT_TRUE(contents.ok());
  EXPECT_EQ(*contents, "a\nb\n");
  EXPECT_EQ(m->meta_graph->collection_def().at("saved_model_main_op").node_list().value(0), "init");
  bool listed = false;
  for (const auto& op : m->meta_graph->meta_info_def().stripped_op_list().op()) listed |= op.name() == "ZeroOut";
  EXPECT_TRUE(listed);
}

// TensorFlow wrote tensorflow/half_plus_two's bundle (a, b, c = 0.5, 2, 3,
// uncompressed): our writer must produce byte-identical files.
TEST(BundleWriterTest, ByteIdenticalToTensorFlow) {
  const std::string tf_prefix = kModels + "/tensorflow/half_plus_two/00000123/variables/variables";
  auto tf_index = ReadFileToString(tf_prefix + ".index", 1 << 20);
  auto tf_data = ReadFileToString(tf_prefix + ".data-00000-of-00001", 1 << 20);
  ASSERT_TRUE(tf_index.ok() && tf_data.ok());
  TempDir tmp;
  BundleWriter w(tmp.path() + "/variables");
  ASSERT_TRUE(w.Add("a", Tensor::Scalar(0.5f)).ok());
  ASSERT_TRUE(w.Add("b", Tensor::Scalar(2.0f)).ok());
  ASSERT_TRUE(w.Add("c", Tensor::Scalar(3.0f)).ok());
  ASSERT_TRUE(w.Finish().ok());
  auto ours_data = ReadFileToString(tmp.path() + "/variables.data-00000-of-00001", 1 << 20);
  auto ours_index = ReadFileToString(tmp.path() + "/variables.index", 1 << 20);
  ASSERT_TRUE(ours_data.ok() && ours_index.ok());
  EXPECT_EQ(*ours_data, *tf_data);
  EXPECT_EQ(*ours_index, *tf_index);
}

TEST(BundleWriterTest, StringLayoutIsHandDerived) {
  TempDir tmp;
  BundleWriter w(tmp.path() + "/s");
  ASSERT_TRUE(w.Add("s", Tensor::FromVector<std::string>({"ab", ""})).ok());
  ASSERT_TRUE(w.Finish().ok());
  auto data = ReadFileToString(tmp.path() + "/s.data-00000-of-00001", 1 << 20);
  ASSERT_TRUE(data.ok());
  // varint64 2, varint64 0, masked crc32c of the lengths as uint32 LE, "ab".
  ASSERT_EQ(data->size(), 8u);
  EXPECT_EQ(data->substr(0, 2), std::string("\x02\x00", 2));
  const char lengths[8] = {2, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(coding::DecodeFixed32(data->data() + 2), crc32c::Mask(crc32c::Value(lengths, 8)));
  EXPECT_EQ(data->substr(6), "ab");
}

TEST(BundleWriterTest, AllDtypesAndSlicesRoundTrip) {
  TempDir tmp;
  const std::string prefix = tmp.path() + "/ckpt";
  BundleWriter w(prefix);
  std::vector<std::pair<std::string, Tensor>> tensors = {
      {"f", Tensor::FromVector<float>({1.5f, -2.0f, 3.25f}, Shape{3, 1})},
      {"d", Tensor::FromVector<double>({1e300})},
      {"i8", Tensor::FromVector<int8_t>({-128, 127})},
      {"u16", Tensor::FromVector<uint16_t>({65535})},
      {"i64", Tensor::FromVector<int64_t>({INT64_MIN, INT64_MAX})},
      {"b", Tensor::FromVector<bool>({true, false, true})},
      {"c", Tensor::FromVector<std::complex<float>>({{1, -1}})},
      {"s", Tensor::FromVector<std::string>({"", std::string(300, 'x'), std::string("\0\xff", 2)})},
      {"empty", Tensor(DType::kFloat, Shape{0, 4})},
      {"empty_s", Tensor(DType::kString, Shape{0})},
      {"scalar", Tensor::Scalar<int32_t>(42)},
  };
  for (const auto& [k, t] : tensors) ASSERT_TRUE(w.Add(k, t).ok()) << k;
  EXPECT_FALSE(w.Add("f", tensors[0].second).ok());  // duplicate
  // A [4,3] partitioned variable saved as two row blocks: value 10*r + c.
  Tensor full(DType::kFloat, Shape{4, 3});
  for (int i = 0; i < 12; ++i) full.data<float>()[i] = static_cast<float>(10 * (i / 3) + i % 3);
  ASSERT_TRUE(w.AddSlice("part", Shape{4, 3}, {{0, 1}, {0, -1}}, full.SliceDim0(0, 1).DeepCopy()).ok());
  ASSERT_TRUE(w.AddSlice("part", Shape{4, 3}, {{1, 3}, {0, -1}}, full.SliceDim0(1, 4).DeepCopy()).ok());
  EXPECT_FALSE(w.AddSlice("part", Shape{4, 3}, {{2, 1}, {0, -1}}, full.SliceDim0(2, 3).DeepCopy()).ok());
  ASSERT_TRUE(w.Finish().ok());

  auto r = BundleReader::Open(prefix);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  for (const auto& [k, t] : tensors) {
    auto got = (*r)->Read(k);
    ASSERT_TRUE(got.ok()) << k << ": " << got.status().ToString();
    EXPECT_TRUE(TensorEquals(*got, t)) << k;
  }
  auto e = (*r)->Entry("part");
  ASSERT_TRUE(e.ok());
  EXPECT_TRUE(e->sliced);
  EXPECT_EQ(e->slices.size(), 2u);
  auto part = (*r)->Read("part");
  ASSERT_TRUE(part.ok()) << part.status().ToString();
  EXPECT_TRUE(TensorEquals(*part, full));
  // Rows 0..1 cross the boundary between the two stored slices; columns 1..2.
  auto cross = (*r)->ReadSlice("part", "4 3 0,2:1,2");
  ASSERT_TRUE(cross.ok()) << cross.status().ToString();
  EXPECT_TRUE(TensorEquals(*cross, Tensor::FromVector<float>({1, 2, 11, 12}, Shape{2, 2})));
  EXPECT_TRUE((*r)->VerifyAll().ok());
  // Keys hide the per-slice entries.
  auto keys = (*r)->Keys();
  EXPECT_EQ(std::count(keys.begin(), keys.end(), "part"), 1);
  EXPECT_EQ(keys.size(), tensors.size() + 1);
}

}  // namespace
}  // namespace stfs
