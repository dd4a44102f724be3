// A small SavedModel writer for tests and the project's example models:
// a GraphDef builder with TensorFlow's node/attr conventions, TF1 ref
// variables with the save/restore subgraph TensorFlow 1.x writes, and
// WriteSavedModel, which produces saved_model.pb, variables/ (tensor bundle)
// and assets/.
//
//   GraphBuilder b;
//   NodeOut x = b.Placeholder("x", DType::kFloat, PartialShape({-1, 1}));
//   NodeOut a = b.Variable("a", Tensor::Scalar(0.5f));
//   NodeOut y = b.Op("Mul", {a, x});               // T inferred from inputs
//   b.AddSignature("serving_default", "tensorflow/serving/predict",
//                  {{"x", x}}, {{"y", y.WithShape(PartialShape({-1, 1}))}});
//   Status s = b.WriteSavedModel("/tmp/model/1");
//
// Attrs missing from a node are inferred where TensorFlow's builders do
// (type attrs from input dtypes, list lengths from input counts) and
// otherwise filled with OpDef defaults; a missing attr without default or a
// wrong input count is an error reported by WriteSavedModel (the first error
// sticks). Ops come from the built-in table (op_defs.h) or AddOpDef; ops
// without an OpDef are written as given. Not thread-safe.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "proto/graph.pb.h"
#include "proto/meta_graph.pb.h"
#include "proto/op_def.pb.h"
#include "tensor/shape.h"
#include "tensor/tensor.h"

namespace stfs {

// One output of a node in the graph being built.
struct NodeOut {
  std::string node;
  int index = 0;
  DType dtype = DType::kInvalid;  // kInvalid when not known to the builder
  PartialShape shape;             // unknown rank when not known
  bool is_ref = false;

  std::string name() const { return node + ":" + std::to_string(index); }
  NodeOut WithShape(PartialShape s) const {
    NodeOut o = *this;
    o.shape = std::move(s);
    return o;
  }
};

// An AttrValue built from a C++ value.
class AttrArg {
 public:
  AttrArg(DType v);                        // NOLINT(runtime/explicit): brace-initialised attr lists
  AttrArg(int v);                          // NOLINT
  AttrArg(int64_t v);                      // NOLINT
  AttrArg(float v);                        // NOLINT
  AttrArg(double v);                       // NOLINT
  AttrArg(bool v);                         // NOLINT
  AttrArg(const char* v);                  // NOLINT
  // Template so that a braced list of ints never converts to a string.
  template <typename S, typename = std::enable_if_t<std::is_same_v<S, std::string>>>
  AttrArg(const S& v) : AttrArg(v.c_str(), v.size()) {}  // NOLINT
  AttrArg(const PartialShape& v);          // NOLINT
  AttrArg(const Shape& v);                 // NOLINT
  AttrArg(const Tensor& v);                // NOLINT
  AttrArg(std::initializer_list<int64_t> v);  // NOLINT: list(int), e.g. strides
  AttrArg(const std::vector<int64_t>& v);  // NOLINT
  AttrArg(const std::vector<DType>& v);    // NOLINT
  AttrArg(const std::vector<std::string>& v);  // NOLINT
  AttrArg(const std::vector<PartialShape>& v);  // NOLINT
  AttrArg(const tensorflow::AttrValue& v) : value_(v) {}  // NOLINT
  static AttrArg Func(const std::string& function_name);

  const tensorflow::AttrValue& value() const { return value_; }

 private:
  AttrArg(const char* s, size_t n);
  tensorflow::AttrValue value_;
};
using Attrs = std::vector<std::pair<std::string, AttrArg>>;

class GraphBuilder {
 public:
  GraphBuilder();

  NodeOut Placeholder(const std::string& name, DType dtype, const PartialShape& shape);
  NodeOut Const(const std::string& name, const Tensor& value);
  // Node named after its op ("Mul", "Mul_1", ...).
  NodeOut Op(const std::string& op, const std::vector<NodeOut>& inputs, const Attrs& attrs = {});
  NodeOut OpNamed(const std::string& name, const std::string& op, const std::vector<NodeOut>& inputs,
                  const Attrs& attrs = {}, const std::vector<std::string>& control_inputs = {});
  // Output `index` of `node` (dtype from its OpDef when known).
  NodeOut Output(const NodeOut& node, int index) const;

  // A TF1 ref variable: VariableV2 `name` with `name/initial_value`,
  // `name/Assign` and `name/read`; saved in the checkpoint under key `name`
  // and restored by the save/ subgraph. Returns `name/read:0`.
  NodeOut Variable(const std::string& name, const Tensor& value);

  // A string Const `node_name` naming an asset file written to
  // assets/<filename>; listed in asset_file_def so loaders feed its path.
  NodeOut Asset(const std::string& node_name, const std::string& filename, const std::string& contents);
  // Node run after restore (collection saved_model_main_op).
  void SetMainOp(const std::string& node_name) { main_op_ = node_name; }

  void AddSignature(const std::string& name, const std::string& method_name,
                    const std::vector<std::pair<std::string, NodeOut>>& inputs,
                    const std::vector<std::pair<std::string, NodeOut>>& outputs);
  // Makes a custom op known (argument layout and attr defaults).
  void AddOpDef(const tensorflow::OpDef& def);

  const tensorflow::GraphDef& graph() const { return graph_; }
  const Status& status() const { return status_; }

  // Builds the MetaGraphDef (with save/restore subgraph, saver_def,
  // stripped_op_list, signatures, assets) without writing anything.
  StatusOr<tensorflow::MetaGraphDef> BuildMetaGraph(const std::vector<std::string>& tags = {"serve"}) const;
  // Writes <export_dir>/saved_model.pb, variables/variables.{index,data-*}
  // (only if there are variables) and assets/. Creates export_dir.
  Status WriteSavedModel(const std::string& export_dir, const std::vector<std::string>& tags = {"serve"}) const;

 private:
  struct VariableRecord {
    std::string name;
    Tensor value;
  };
  struct AssetRecord {
    std::string node, filename, contents;
  };

  const tensorflow::OpDef* FindOpDef(const std::string& op) const;
  std::string UniqueName(const std::string& base);
  // Output dtypes of a finished node, flattened over output args; empty if unknown.
  std::vector<DType> OutputDTypes(const tensorflow::NodeDef& node) const;
  Status CompleteNode(tensorflow::NodeDef* node, const std::vector<NodeOut>& inputs) const;
  void Fail(const Status& s) {
    if (status_.ok()) status_ = s;
  }

  tensorflow::GraphDef graph_;
  std::map<std::string, int> name_counts_;
  std::map<std::string, tensorflow::OpDef> custom_ops_;
  std::map<std::string, tensorflow::SignatureDef> signatures_;
  std::vector<VariableRecord> variables_;
  std::vector<AssetRecord> assets_;
  std::string main_op_;
  Status status_;
};

}  // namespace stfs
