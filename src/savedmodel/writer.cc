#include "savedmodel/writer.h"

#include "savedmodel/op_defs.h"
#include "tensor/tensor_proto.h"

namespace stfs {

// ---- AttrArg ----

AttrArg::AttrArg(DType v) { value_.set_type(static_cast<tensorflow::DataType>(v)); }
AttrArg::AttrArg(int v) { value_.set_i(v); }
AttrArg::AttrArg(int64_t v) { value_.set_i(v); }
AttrArg::AttrArg(float v) { value_.set_f(v); }
AttrArg::AttrArg(double v) { value_.set_f(static_cast<float>(v)); }
AttrArg::AttrArg(bool v) { value_.set_b(v); }
AttrArg::AttrArg(const char* v) { value_.set_s(v); }
AttrArg::AttrArg(const char* s, size_t n) { value_.set_s(std::string(s, n)); }
AttrArg::AttrArg(const PartialShape& v) { ShapeToProto(v, value_.mutable_shape()); }
AttrArg::AttrArg(const Shape& v) { ShapeToProto(v, value_.mutable_shape()); }
AttrArg::AttrArg(const Tensor& v) {
  // Variant tensors cannot be encoded; the attr then holds only dtype/shape.
  TensorToProto(v, value_.mutable_tensor(), /*use_tensor_content=*/v.NumElements() > 1).IgnoreError();
}
AttrArg::AttrArg(std::initializer_list<int64_t> v) {
  auto* list = value_.mutable_list();
  for (int64_t i : v) list->add_i(i);
}
AttrArg::AttrArg(const std::vector<int64_t>& v) {
  auto* list = value_.mutable_list();
  for (int64_t i : v) list->add_i(i);
}
AttrArg::AttrArg(const std::vector<DType>& v) {
  auto* list = value_.mutable_list();
  for (DType t : v) list->add_type(static_cast<tensorflow::DataType>(t));
}
AttrArg::AttrArg(const std::vector<std::string>& v) {
  auto* list = value_.mutable_list();
  for (const auto& s : v) list->add_s(s);
}
AttrArg::AttrArg(const std::vector<PartialShape>& v) {
  auto* list = value_.mutable_list();
  for (const auto& s : v) ShapeToProto(s, list->add_shape());
}
AttrArg AttrArg::Func(const std::string& function_name) {
  tensorflow::AttrValue v;
  v.mutable_func()->set_name(function_name);
  return AttrArg(v);
}

// ---- GraphBuilder ----

GraphBuilder::GraphBuilder() {
  graph_.mutable_versions()->set_producer(27);  // a TF 1.x-era GraphDef
}

const tensorflow::OpDef* GraphBuilder::FindOpDef(const std::string& op) const {
  auto it = custom_ops_.find(op);
  if (it != custom_ops_.end()) return &it->second;
  return FindWriterOpDef(op);
}

void GraphBuilder::AddOpDef(const tensorflow::OpDef& def) { custom_ops_[def.name()] = def; }

std::string GraphBuilder::UniqueName(const std::string& base) {
  if (!name_counts_.count(base)) return base;  // OpNamed registers it
  for (int i = 1;; ++i) {
    std::string name = StrCat(base, "_", i);
    if (!name_counts_.count(name)) return name;
  }
}

std::vector<DType> GraphBuilder::OutputDTypes(const tensorflow::NodeDef& node) const {
  const tensorflow::OpDef* def = FindOpDef(node.op());
  std::vector<DType> out;
  if (!def) return out;
  auto attr = [&](const std::string& name) -> const tensorflow::AttrValue* {
    auto it = node.attr().find(name);
    return it == node.attr().end() ? nullptr : &it->second;
  };
  for (const auto& arg : def->output_arg()) {
    if (!arg.type_list_attr().empty()) {
      const auto* a = attr(arg.type_list_attr());
      if (!a) return {};
      for (int t : a->list().type()) out.push_back(BaseDType(t));
      continue;
    }
    DType t = DType::kInvalid;
    if (arg.type() != tensorflow::DT_INVALID) {
      t = BaseDType(arg.type());
    } else if (const auto* a = attr(arg.type_attr())) {
      t = BaseDType(a->type());
    }
    int64_t n = 1;
    if (!arg.number_attr().empty()) {
      const auto* a = attr(arg.number_attr());
      if (!a) return {};
      n = a->i();
    }
    for (int64_t i = 0; i < n; ++i) out.push_back(t);
  }
  return out;
}

Status GraphBuilder::CompleteNode(tensorflow::NodeDef* node, const std::vector<NodeOut>& inputs) const {
  const tensorflow::OpDef* def = FindOpDef(node->op());
  if (!def) return Status::OK();  // unknown op: written as given
  const std::string where = StrCat("node '", node->name(), "' (op ", node->op(), ")");
  auto* attrs = node->mutable_attr();
  int variadic = 0, fixed = 0;
  for (const auto& arg : def->input_arg()) {
    if (!arg.number_attr().empty() || !arg.type_list_attr().empty()) {
      ++variadic;
    } else {
      ++fixed;
    }
  }
  // Walk input args over the given inputs, inferring attrs as TF's builders do.
  size_t pos = 0;
  for (const auto& arg : def->input_arg()) {
    size_t count = 1;
    if (!arg.number_attr().empty() || !arg.type_list_attr().empty()) {
      const std::string& count_attr = !arg.number_attr().empty() ? arg.number_attr() : arg.type_list_attr();
      auto it = attrs->find(count_attr);
      if (it != attrs->end()) {
        count = !arg.number_attr().empty() ? static_cast<size_t>(std::max<int64_t>(0, it->second.i()))
                                           : static_cast<size_t>(it->second.list().type_size());
      } else if (variadic == 1 && inputs.size() >= static_cast<size_t>(fixed)) {
        count = inputs.size() - fixed;
        if (!arg.number_attr().empty()) {
          (*attrs)[arg.number_attr()].set_i(static_cast<int64_t>(count));
        } else {
          auto* list = (*attrs)[arg.type_list_attr()].mutable_list();
          for (size_t i = pos; i < pos + count && i < inputs.size(); ++i) {
            list->add_type(static_cast<tensorflow::DataType>(inputs[i].dtype));
          }
        }
      } else {
        return InvalidArgument(where, ": cannot infer attr '", count_attr, "'; pass it explicitly");
      }
    }
    if (!arg.type_attr().empty() && !attrs->count(arg.type_attr()) && pos < inputs.size() &&
        inputs[pos].dtype != DType::kInvalid) {
      (*attrs)[arg.type_attr()].set_type(static_cast<tensorflow::DataType>(inputs[pos].dtype));
    }
    pos += count;
  }
  if (pos != inputs.size()) {
    return InvalidArgument(where, ": expects ", pos, " inputs but got ", inputs.size());
  }
  for (const auto& a : def->attr()) {
    if (attrs->count(a.name())) continue;
    if (!a.has_default_value()) return InvalidArgument(where, ": missing attr '", a.name(), "' (", a.type(), ")");
    (*attrs)[a.name()] = a.default_value();
  }
  return Status::OK();
}

NodeOut GraphBuilder::OpNamed(const std::string& name, const std::string& op, const std::vector<NodeOut>& inputs,
                              const Attrs& attrs, const std::vector<std::string>& control_inputs) {
  NodeOut out;
  out.node = name;
  if (name.empty() || name_counts_.count(name)) {
    Fail(InvalidArgument("node name '", name, "' is empty or already used"));
    return out;
  }
  ++name_counts_[name];
  tensorflow::NodeDef* node = graph_.add_node();
  node->set_name(name);
  node->set_op(op);
  for (const NodeOut& in : inputs) node->add_input(in.index == 0 ? in.node : in.name());
  for (const std::string& c : control_inputs) node->add_input("^" + c);
  for (const auto& [k, v] : attrs) (*node->mutable_attr())[k] = v.value();
  Status s = CompleteNode(node, inputs);
  if (!s.ok()) Fail(s);
  std::vector<DType> types = OutputDTypes(*node);
  if (!types.empty()) out.dtype = types[0];
  const tensorflow::OpDef* def = FindOpDef(op);
  if (def && def->output_arg_size() > 0) out.is_ref = def->output_arg(0).is_ref();
  return out;
}

NodeOut GraphBuilder::Op(const std::string& op, const std::vector<NodeOut>& inputs, const Attrs& attrs) {
  return OpNamed(UniqueName(op), op, inputs, attrs);
}

NodeOut GraphBuilder::Output(const NodeOut& node, int index) const {
  NodeOut out;
  out.node = node.node;
  out.index = index;
  for (const auto& n : graph_.node()) {
    if (n.name() != node.node) continue;
    std::vector<DType> types = OutputDTypes(n);
    if (index >= 0 && index < static_cast<int>(types.size())) out.dtype = types[index];
  }
  return out;
}

NodeOut GraphBuilder::Placeholder(const std::string& name, DType dtype, const PartialShape& shape) {
  NodeOut out = OpNamed(name, "Placeholder", {}, {{"dtype", dtype}, {"shape", shape}});
  out.shape = shape;
  return out;
}

NodeOut GraphBuilder::Const(const std::string& name, const Tensor& value) {
  NodeOut out = OpNamed(name, "Const", {}, {{"value", value}, {"dtype", value.dtype()}});
  out.shape = PartialShape(value.shape().dims());
  return out;
}

NodeOut GraphBuilder::Variable(const std::string& name, const Tensor& value) {
  const PartialShape shape(value.shape().dims());
  NodeOut var = OpNamed(name, "VariableV2", {}, {{"dtype", value.dtype()}, {"shape", shape}});
  NodeOut init = Const(name + "/initial_value", value);
  OpNamed(name + "/Assign", "Assign", {var, init}, {{"T", value.dtype()}});
  NodeOut read = OpNamed(name + "/read", "Identity", {var}, {{"T", value.dtype()}});
  read.shape = shape;
  variables_.push_back({name, value});
  return read;
}

NodeOut GraphBuilder::Asset(const std::string& node_name, const std::string& filename, const std::string& contents) {
  NodeOut out = Const(node_name, Tensor::Scalar<std::string>(filename));
  assets_.push_back({node_name, filename, contents});
  return out;
}

void GraphBuilder::AddSignature(const std::string& name, const std::string& method_name,
                                const std::vector<std::pair<std::string, NodeOut>>& inputs,
                                const std::vector<std::pair<std::string, NodeOut>>& outputs) {
  tensorflow::SignatureDef sig;
  sig.set_method_name(method_name);
  auto fill = [](const NodeOut& n, tensorflow::TensorInfo* info) {
    info->set_name(n.name());
    info->set_dtype(static_cast<tensorflow::DataType>(static_cast<int>(n.dtype) + (n.is_ref ? kRefDTypeOffset : 0)));
    ShapeToProto(n.shape, info->mutable_tensor_shape());
  };
  for (const auto& [alias, n] : inputs) fill(n, &(*sig.mutable_inputs())[alias]);
  for (const auto& [alias, n] : outputs) fill(n, &(*sig.mutable_outputs())[alias]);
  if (signatures_.count(name)) Fail(AlreadyExists("signature '", name, "' was already added"));
  signatures_[name] = std::move(sig);
}

}  // namespace stfs
