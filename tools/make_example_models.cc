// Writes the project's example models (the run command's defaults) with our
// own SavedModel writer:
//   half_plus_two/1   y = 0.5 * x + 2 (predict) and the same over tf.Example (regress)
//   iris_mlp/1        a two-layer MLP classifying iris flowers from 4 measurements
//   color_cnn/1       a small CNN naming the dominant colour of a JPEG/PNG image (bytes in)
//   color_cnn_tensor/1  the same network taking a float [N,32,32,3] image tensor
// and models.config (TF Serving text format) listing them.
//
// The weights are chosen by hand so that each model's answer is known from
// its definition (see docs/example-models.md).
//
// Usage: make_example_models OUT_DIR
#include <google/protobuf/text_format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "savedmodel/writer.h"

namespace stfs {
namespace {

constexpr const char* kPredict = "tensorflow/serving/predict";
constexpr const char* kRegress = "tensorflow/serving/regress";

Status AddGatherV2OpDef(GraphBuilder& b) {
  tensorflow::OpDef def;
  const char* text =
      "name: 'GatherV2' input_arg { name: 'params' type_attr: 'Tparams' } "
      "input_arg { name: 'indices' type_attr: 'Tindices' } input_arg { name: 'axis' type_attr: 'Taxis' } "
      "output_arg { name: 'output' type_attr: 'Tparams' } "
      "attr { name: 'batch_dims' type: 'int' default_value { i: 0 } } "
      "attr { name: 'Tparams' type: 'type' } attr { name: 'Tindices' type: 'type' } "
      "attr { name: 'Taxis' type: 'type' }";
  if (!google::protobuf::TextFormat::ParseFromString(text, &def)) return Internal("bad GatherV2 OpDef");
  b.AddOpDef(def);
  return Status::OK();
}

// Output "class_name": labels[argmax(probabilities)].
NodeOut ClassNames(GraphBuilder& b, const NodeOut& class_id, const std::vector<std::string>& labels) {
  NodeOut table = b.Const("class_labels", Tensor::FromVector<std::string>(labels));
  NodeOut axis = b.Const("gather_axis", Tensor::Scalar<int32_t>(0));
  return b.OpNamed("class_name", "GatherV2", {table, class_id, axis},
                   {{"Tparams", DType::kString}, {"Tindices", DType::kInt64}, {"Taxis", DType::kInt32}});
}

Status WriteHalfPlusTwo(const std::string& dir) {
  GraphBuilder b;
  NodeOut a = b.Variable("a", Tensor::Scalar(0.5f));
  NodeOut c = b.Variable("b", Tensor::Scalar(2.0f));
  NodeOut x = b.Placeholder("x", DType::kFloat, PartialShape({-1, 1}));
  NodeOut y = b.OpNamed("y", "Add", {b.Op("Mul", {a, x}), c});
  b.AddSignature("serving_default", kPredict, {{"x", x}}, {{"y", y.WithShape(PartialShape({-1, 1}))}});

  // regress_x_to_y: serialized tf.Example with float feature "x" (required).
  NodeOut serialized = b.Placeholder("tf_example", DType::kString, PartialShape({-1}));
  NodeOut names = b.Const("parse/names", Tensor(DType::kString, Shape{0}));
  NodeOut key = b.Const("parse/key_x", Tensor::Scalar<std::string>("x"));
  NodeOut dflt = b.Const("parse/default_x", Tensor(DType::kFloat, Shape{0}));
  NodeOut parsed = b.OpNamed("parse", "ParseExample", {serialized, names, key, dflt},
                             {{"Nsparse", 0},
                              {"Ndense", 1},
                              {"sparse_types", std::vector<DType>{}},
                              {"Tdense", std::vector<DType>{DType::kFloat}},
                              {"dense_shapes", std::vector<PartialShape>{PartialShape({1})}}});
  NodeOut y2 = b.OpNamed("y_from_example", "Add", {b.Op("Mul", {a, parsed}), c});
  b.AddSignature("regress_x_to_y", kRegress, {{"inputs", serialized}},
                 {{"outputs", y2.WithShape(PartialShape({-1, 1}))}});
  return b.WriteSavedModel(dir);
}

// Iris: logits = W2 * relu(W1 * x + b1) + b2 with the hidden layer a
// pass-through of the four measurements (all positive) and the output layer
// encoding the classic rule: setosa when petal length < 2.5, virginica when
// petal width > 1.75, versicolor otherwise (its logit is the 0 reference).
Status WriteIrisMlp(const std::string& dir) {
  GraphBuilder b;
  RETURN_IF_ERROR(AddGatherV2OpDef(b));
  NodeOut x = b.Placeholder("features", DType::kFloat, PartialShape({-1, 4}));
  std::vector<float> w1(16, 0.0f);
  for (int i = 0; i < 4; ++i) w1[i * 4 + i] = 1.0f;
  NodeOut W1 = b.Variable("hidden/weights", Tensor::FromVector<float>(w1, Shape{4, 4}));
  NodeOut b1 = b.Variable("hidden/bias", Tensor::FromVector<float>({0, 0, 0, 0}));
  NodeOut h = b.OpNamed("hidden/relu", "Relu", {b.Op("BiasAdd", {b.Op("MatMul", {x, W1}), b1})});
  const float k = 4.0f;
  // rows: sepal_length, sepal_width, petal_length, petal_width; columns: setosa, versicolor, virginica
  NodeOut W2 = b.Variable("output/weights", Tensor::FromVector<float>({0, 0, 0,  //
                                                                        0, 0, 0,  //
                                                                        -k, 0, 0,  //
                                                                        0, 0, k},
                                                                       Shape{4, 3}));
  NodeOut b2 = b.Variable("output/bias", Tensor::FromVector<float>({2.5f * k, 0, -1.75f * k}));
  NodeOut logits = b.OpNamed("output/logits", "BiasAdd", {b.Op("MatMul", {h, W2}), b2});
  NodeOut probs = b.OpNamed("probabilities", "Softmax", {logits});
  NodeOut dim = b.Const("argmax/dimension", Tensor::Scalar<int32_t>(1));
  NodeOut class_id = b.OpNamed("class_id", "ArgMax", {probs, dim});
  NodeOut name = ClassNames(b, class_id, {"setosa", "versicolor", "virginica"});
  b.AddSignature("serving_default", kPredict, {{"features", x}},
                 {{"probabilities", probs.WithShape(PartialShape({-1, 3}))},
                  {"class_id", class_id.WithShape(PartialShape({-1}))},
                  {"class_name", name.WithShape(PartialShape({-1}))}});
  return b.WriteSavedModel(dir);
}

// Colour CNN on a [N,32,32,3] float image in [0,255]: a 3x3 SAME convolution
// whose filters copy each channel (centre tap 1), ReLU, 2x2 max pooling, the
// spatial mean, then logits = 0.1 * (c - mean over channels) per channel.
// The predicted class is the channel with the largest average intensity.
NodeOut ColorHead(GraphBuilder& b, const NodeOut& images) {
  std::vector<float> filt(3 * 3 * 3 * 3, 0.0f);  // HWIO
  for (int c = 0; c < 3; ++c) filt[((1 * 3 + 1) * 3 + c) * 3 + c] = 1.0f;
  NodeOut f = b.Variable("conv/filter", Tensor::FromVector<float>(filt, Shape{3, 3, 3, 3}));
  NodeOut conv = b.OpNamed("conv/conv2d", "Conv2D", {images, f},
                           {{"strides", {1, 1, 1, 1}}, {"padding", "SAME"}});
  NodeOut relu = b.OpNamed("conv/relu", "Relu", {conv});
  NodeOut pool = b.OpNamed("pool", "MaxPool", {relu},
                           {{"ksize", {1, 2, 2, 1}}, {"strides", {1, 2, 2, 1}}, {"padding", "VALID"}});
  NodeOut axes = b.Const("mean/axes", Tensor::FromVector<int32_t>({1, 2}));
  NodeOut mean = b.OpNamed("mean", "Mean", {pool, axes});
  const float t = 0.1f, o = -0.1f / 3.0f;
  NodeOut W = b.Variable("dense/weights", Tensor::FromVector<float>({t + o, o, o,  //
                                                                     o, t + o, o,  //
                                                                     o, o, t + o},
                                                                    Shape{3, 3}));
  NodeOut logits = b.OpNamed("dense/logits", "MatMul", {mean, W});
  return b.OpNamed("probabilities", "Softmax", {logits});
}

Status FinishColorModel(GraphBuilder& b, const std::string& input_alias, const NodeOut& input,
                        const NodeOut& images, const std::string& dir) {
  RETURN_IF_ERROR(AddGatherV2OpDef(b));
  NodeOut probs = ColorHead(b, images);
  NodeOut dim = b.Const("argmax/dimension", Tensor::Scalar<int32_t>(1));
  NodeOut class_id = b.OpNamed("class_id", "ArgMax", {probs, dim});
  NodeOut name = ClassNames(b, class_id, {"red", "green", "blue"});
  b.AddSignature("serving_default", kPredict, {{input_alias, input}},
                 {{"probabilities", probs.WithShape(PartialShape({-1, 3}))},
                  {"class_id", class_id.WithShape(PartialShape({-1}))},
                  {"class_name", name.WithShape(PartialShape({-1}))}});
  return b.WriteSavedModel(dir);
}

Status WriteColorCnn(const std::string& dir) {
  GraphBuilder b;
  // One encoded image (JPEG, PNG or GIF: DecodeJpeg sniffs the format like TensorFlow).
  NodeOut bytes = b.Placeholder("image_bytes", DType::kString, PartialShape::Scalar());
  NodeOut decoded = b.OpNamed("decode", "DecodeJpeg", {bytes}, {{"channels", 3}});
  NodeOut as_float = b.OpNamed("to_float", "Cast", {decoded}, {{"SrcT", DType::kUInt8}, {"DstT", DType::kFloat}});
  NodeOut batched = b.OpNamed("batch", "ExpandDims", {as_float, b.Const("batch/axis", Tensor::Scalar<int32_t>(0))});
  NodeOut size = b.Const("resize/size", Tensor::FromVector<int32_t>({32, 32}));
  NodeOut resized = b.OpNamed("resize", "ResizeBilinear", {batched, size}, {{"half_pixel_centers", true}});
  return FinishColorModel(b, "image_bytes", bytes, resized, dir);
}

Status WriteColorCnnTensor(const std::string& dir) {
  GraphBuilder b;
  NodeOut images = b.Placeholder("images", DType::kFloat, PartialShape({-1, 32, 32, 3}));
  return FinishColorModel(b, "images", images, images, dir);
}

Status WriteConfig(const std::string& out, const std::vector<std::string>& names) {
  std::ofstream f(out + "/models.config");
  f << "model_config_list {\n";
  for (const auto& n : names) {
    f << "  config {\n    name: \"" << n << "\"\n    base_path: \"" << out << "/" << n
      << "\"\n    model_platform: \"tensorflow\"\n  }\n";
  }
  f << "}\n";
  return f.good() ? Status::OK() : Internal("cannot write ", out, "/models.config");
}

Status Run(const std::string& out) {
  std::filesystem::create_directories(out);
  const std::string abs = std::filesystem::absolute(out).lexically_normal().string();
  struct Entry {
    const char* name;
    Status (*write)(const std::string&);
  };
  const Entry entries[] = {{"half_plus_two", WriteHalfPlusTwo},
                           {"iris_mlp", WriteIrisMlp},
                           {"color_cnn", WriteColorCnn},
                           {"color_cnn_tensor", WriteColorCnnTensor}};
  std::vector<std::string> names;
  for (const auto& e : entries) {
    const std::string dir = abs + "/" + e.name + "/1";
    std::filesystem::remove_all(dir);
    RETURN_IF_ERROR(e.write(dir).WithContext(StrCat("model ", e.name)));
    names.push_back(e.name);
  }
  return WriteConfig(abs, names);
}

}  // namespace
}  // namespace stfs

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  stfs::Status s = stfs::Run(argv[1]);
  if (!s.ok()) {
    std::fprintf(stderr, "make_example_models: %s\n", s.ToString().c_str());
    return 1;
  }
  return 0;
}
