#include "graph/graph_def.h"

#include <algorithm>
#include <map>

#include "tensor/tensor_proto.h"

namespace stfs {
namespace {

StatusOr<DType> DTypeFromProtoEnum(int value) {
  if (!IsValidProtoDType(value)) return InvalidArgument("invalid dtype enum value ", value);
  return BaseDType(value);
}

StatusOr<FuncAttr> FuncFromProto(const tensorflow::NameAttrList& proto) {
  FuncAttr f;
  f.name = proto.name();
  auto attrs = std::make_shared<AttrMap>();
  RETURN_IF_ERROR(AttrMapFromProto(proto.attr(), attrs.get()));
  f.attrs = std::move(attrs);
  return f;
}

}  // namespace

StatusOr<AttrValue> AttrValueFromProto(const tensorflow::AttrValue& proto) {
  AttrValue v;
  using P = tensorflow::AttrValue;
  switch (proto.value_case()) {
    case P::kS: v.kind = AttrValue::Kind::kString; v.s = proto.s(); break;
    case P::kI: v.kind = AttrValue::Kind::kInt; v.i = proto.i(); break;
    case P::kF: v.kind = AttrValue::Kind::kFloat; v.f = proto.f(); break;
    case P::kB: v.kind = AttrValue::Kind::kBool; v.b = proto.b(); break;
    case P::kType: {
      v.kind = AttrValue::Kind::kType;
      ASSIGN_OR_RETURN(v.type, DTypeFromProtoEnum(proto.type()));
      break;
    }
    case P::kShape: {
      v.kind = AttrValue::Kind::kShape;
      ASSIGN_OR_RETURN(v.shape, PartialShapeFromProto(proto.shape()));
      break;
    }
    case P::kTensor: {
      v.kind = AttrValue::Kind::kTensor;
      ASSIGN_OR_RETURN(v.tensor, TensorFromProto(proto.tensor()));
      break;
    }
    case P::kFunc: {
      v.kind = AttrValue::Kind::kFunc;
      ASSIGN_OR_RETURN(v.func, FuncFromProto(proto.func()));
      break;
    }
    case P::kPlaceholder: v.kind = AttrValue::Kind::kPlaceholder; v.s = proto.placeholder(); break;
    case P::kList: {
      v.kind = AttrValue::Kind::kList;
      const auto& l = proto.list();
      v.list_s.assign(l.s().begin(), l.s().end());
      v.list_i.assign(l.i().begin(), l.i().end());
      v.list_f.assign(l.f().begin(), l.f().end());
      v.list_b.assign(l.b().begin(), l.b().end());
      for (int t : l.type()) {
        ASSIGN_OR_RETURN(DType dt, DTypeFromProtoEnum(t));
        v.list_type.push_back(dt);
      }
      for (const auto& s : l.shape()) {
        ASSIGN_OR_RETURN(PartialShape ps, PartialShapeFromProto(s));
        v.list_shape.push_back(std::move(ps));
      }
      for (const auto& t : l.tensor()) {
        ASSIGN_OR_RETURN(Tensor tensor, TensorFromProto(t));
        v.list_tensor.push_back(std::move(tensor));
      }
      for (const auto& f : l.func()) {
        ASSIGN_OR_RETURN(FuncAttr fa, FuncFromProto(f));
        v.list_func.push_back(std::move(fa));
      }
      break;
    }
    case P::VALUE_NOT_SET: v.kind = AttrValue::Kind::kNone; break;
  }
  return v;
}

Status AttrMapFromProto(const google::protobuf::Map<std::string, tensorflow::AttrValue>& attrs, AttrMap* out) {
  // Sorted so that errors are deterministic.
  std::vector<const std::string*> names;
  for (const auto& [name, value] : attrs) names.push_back(&name);
  std::sort(names.begin(), names.end(), [](auto* a, auto* b) { return *a < *b; });
  for (const std::string* name : names) {
    if (!name->empty() && (*name)[0] == '_') continue;  // hints
    auto v = AttrValueFromProto(attrs.at(*name));
    if (!v.ok()) return v.status().WithContext(StrCat("attribute '", *name, "'"));
    out->Set(*name, std::move(*v));
  }
  return Status::OK();
}

StatusOr<OpSchema> OpSchemaFromProto(const tensorflow::OpDef& def) {
  OpSchema s;
  s.name = def.name();
  s.is_stateful = def.is_stateful();
  auto convert_args = [&](const auto& args, std::vector<ArgSchema>* out) -> Status {
    for (const auto& a : args) {
      ArgSchema arg;
      arg.name = a.name();
      if (a.type() != 0) {
        ASSIGN_OR_RETURN(arg.type, DTypeFromProtoEnum(a.type()));
      }
      arg.type_attr = a.type_attr();
      arg.number_attr = a.number_attr();
      arg.type_list_attr = a.type_list_attr();
      arg.is_ref = a.is_ref();
      out->push_back(std::move(arg));
    }
    return Status::OK();
  };
  Status st = convert_args(def.input_arg(), &s.inputs);
  if (st.ok()) st = convert_args(def.output_arg(), &s.outputs);
  if (!st.ok()) return st.WithContext(StrCat("OpDef '", def.name(), "'"));
  for (const auto& a : def.attr()) {
    AttrSchema attr;
    attr.name = a.name();
    attr.type = a.type();
    if (a.has_default_value()) {
      auto v = AttrValueFromProto(a.default_value());
      if (!v.ok()) return v.status().WithContext(StrCat("OpDef '", def.name(), "' attr '", a.name(), "'"));
      attr.has_default = true;
      attr.default_value = std::move(*v);
    }
    s.attrs.push_back(std::move(attr));
  }
  return s;
}

StatusOr<std::unique_ptr<OpSchemaSet>> SchemasFromProto(const tensorflow::OpList* op_list,
                                                        const tensorflow::FunctionDefLibrary* library) {
  auto set = std::make_unique<OpSchemaSet>(&OpSchemaSet::Builtin());
  if (op_list) {
    for (const auto& def : op_list->op()) {
      ASSIGN_OR_RETURN(OpSchema s, OpSchemaFromProto(def));
      set->Add(std::move(s));
    }
  }
  if (library) {
    for (const auto& f : library->function()) {
      ASSIGN_OR_RETURN(OpSchema s, OpSchemaFromProto(f.signature()));
      set->Add(std::move(s));
    }
  }
  return set;
}

namespace {

struct ParsedInput {
  std::string_view node;
  int index = 0;
  bool control = false;
};

// Adds nodes (name, op, attrs) from NodeDefs; errors name the node.
Status AddProtoNodes(const google::protobuf::RepeatedPtrField<tensorflow::NodeDef>& defs, Graph* g) {
  g->nodes.reserve(g->nodes.size() + defs.size());
  for (const auto& def : defs) {
    Node node;
    node.name = def.name();
    node.op = def.op();
    if (node.name.empty()) return InvalidArgument("a node has an empty name (op '", def.op(), "')");
    if (node.op.empty()) return InvalidArgument("node '", node.name, "' has an empty op");
    Status st = AttrMapFromProto(def.attr(), &node.attrs);
    if (!st.ok()) return st.WithContext(StrCat("node '", node.name, "' (", node.op, ")"));
    if (node.op == "Const" && !node.attrs.Has("value")) {
      return InvalidArgument("node '", node.name, "' (Const) is a constant tensor but no value has been provided");
    }
    RETURN_IF_ERROR(g->AddNode(std::move(node)).status());
  }
  return Status::OK();
}

}  // namespace

StatusOr<std::shared_ptr<const Graph>> GraphFromProto(const tensorflow::GraphDef& graph_def,
                                                      const OpSchemaSet& schemas) {
  auto g = std::make_shared<Graph>();
  RETURN_IF_ERROR(AddProtoNodes(graph_def.node(), g.get()));
  const int n = static_cast<int>(g->nodes.size());
  // Resolve inputs; remember the largest output index used per node (the
  // arity of ops without a schema).
  std::vector<int> max_used(n, -1);
  for (int i = 0; i < n; ++i) {
    const auto& def = graph_def.node(i);
    Node& node = g->nodes[i];
    bool seen_control = false;
    for (const std::string& input : def.input()) {
      std::string_view s = input;
      if (!s.empty() && s[0] == '^') {
        int src = g->FindNode(s.substr(1));
        if (src < 0) return InvalidArgument("node '", node.name, "' (", node.op, "): control input '", s, "' names no node");
        node.control_inputs.push_back(src);
        seen_control = true;
        continue;
      }
      if (seen_control) {
        return InvalidArgument("node '", node.name, "' (", node.op, "): data input '", s, "' after a control input");
      }
      std::string_view src_name;
      int index = 0;
      if (!SplitTensorName(s, &src_name, &index)) {
        return InvalidArgument("node '", node.name, "' (", node.op, "): bad input '", s, "'");
      }
      int src = g->FindNode(src_name);
      if (src < 0) return InvalidArgument("node '", node.name, "' (", node.op, "): input '", s, "' names no node");
      node.inputs.push_back(Endpoint{src, index});
      max_used[src] = std::max(max_used[src], index);
    }
  }
  for (int i = 0; i < n; ++i) {
    Node& node = g->nodes[i];
    // Without a schema the arity is unknown: assume what consumers use (at least one).
    RETURN_IF_ERROR(TypeNode(schemas.Find(node.op), std::max(max_used[i] + 1, 1), &node));
  }
  for (const Node& node : g->nodes) {
    for (const Endpoint& e : node.inputs) {
      const Node& src = g->nodes[e.node];
      if (e.index >= src.num_outputs()) {
        return InvalidArgument("node '", node.name, "' (", node.op, ") reads output ", e.index, " of node '", src.name,
                               "' (", src.op, ") which has ", src.num_outputs(), " outputs");
      }
    }
  }
  return std::shared_ptr<const Graph>(std::move(g));
}

namespace {

Status SubstitutePlaceholders(const AttrMap* inst, AttrMap* attrs, const std::string& where) {
  std::vector<std::pair<std::string, AttrValue>> replaced;
  for (const auto& [name, v] : attrs->values()) {
    if (v.kind != AttrValue::Kind::kPlaceholder) continue;
    const AttrValue* bound = inst ? inst->Find(v.s) : nullptr;
    if (!bound) return InvalidArgument(where, ": attribute '", name, "' refers to unbound function attr '", v.s, "'");
    replaced.emplace_back(name, *bound);
  }
  for (auto& [name, v] : replaced) attrs->Set(name, std::move(v));
  return Status::OK();
}

}  // namespace

StatusOr<std::shared_ptr<const FunctionGraph>> FunctionGraphFromProto(const tensorflow::FunctionDef& fdef,
                                                                      const OpSchemaSet& schemas,
                                                                      const AttrMap* instantiation_attrs) {
  auto fg = std::make_shared<FunctionGraph>();
  const std::string fname = fdef.signature().name();
  auto ctx = [&](const std::string& what) { return StrCat("function '", fname, "': ", what); };
  ASSIGN_OR_RETURN(fg->signature, OpSchemaFromProto(fdef.signature()));
  fg->name = fname;
  AttrMap sig_attrs;
  if (instantiation_attrs) sig_attrs = *instantiation_attrs;
  ASSIGN_OR_RETURN(ArgLayout in_layout, ExpandArgs(fg->signature.inputs, sig_attrs));
  ASSIGN_OR_RETURN(ArgLayout out_layout, ExpandArgs(fg->signature.outputs, sig_attrs));
  Graph& g = fg->body;
  // One _Arg node per flattened input, named after the arg (suffixed for lists).
  std::map<std::string, std::vector<int>, std::less<>> arg_nodes;
  for (size_t a = 0; a < fg->signature.inputs.size(); ++a) {
    const ArgSchema& arg = fg->signature.inputs[a];
    for (int k = in_layout.arg_start[a]; k < in_layout.arg_start[a + 1]; ++k) {
      Node node;
      node.name = k == in_layout.arg_start[a] ? arg.name : StrCat(arg.name, "/_", k - in_layout.arg_start[a]);
      node.op = "_Arg";
      AttrValue index;
      index.kind = AttrValue::Kind::kInt;
      index.i = k;
      node.attrs.Set("index", index);
      AttrValue type;
      type.kind = AttrValue::Kind::kType;
      type.type = in_layout.types[k];
      node.attrs.Set("T", type);
      node.output_types = {in_layout.types[k]};
      node.output_is_ref = {false};
      node.has_schema = true;
      ASSIGN_OR_RETURN(int id, g.AddNode(std::move(node)));
      arg_nodes[arg.name].push_back(id);
      fg->arg_nodes.push_back(id);
    }
  }
  const int first_body = static_cast<int>(g.nodes.size());
  Status st = AddProtoNodes(fdef.node_def(), &g);
  if (!st.ok()) return st.WithContext(ctx("body"));
  // Type every body node first: "node:out_arg:i" needs the output layout.
  for (int i = first_body; i < static_cast<int>(g.nodes.size()); ++i) {
    Node& node = g.nodes[i];
    std::string where = StrCat("node '", node.name, "' (", node.op, ")");
    RETURN_IF_ERROR(SubstitutePlaceholders(instantiation_attrs, &node.attrs, ctx(where)));
    const OpSchema* schema = schemas.Find(node.op);
    if (!schema) return NotFound(ctx(StrCat(where, ": no op definition for '", node.op, "'")));
    // Inputs are resolved below; TypeNode checks counts, so fill them first.
    node.inputs.resize(fdef.node_def(i - first_body).input_size());
  }
  // Resolve a reference: "arg", "arg:i", "node:out_arg:i".
  auto resolve = [&](std::string_view ref, const std::string& where) -> StatusOr<Endpoint> {
    size_t c1 = ref.find(':');
    if (c1 == std::string_view::npos) {
      auto it = arg_nodes.find(ref);
      if (it == arg_nodes.end()) return InvalidArgument(ctx(where), ": '", ref, "' is not a function argument");
      return Endpoint{it->second[0], 0};
    }
    std::string_view name = ref.substr(0, c1);
    std::string_view rest = ref.substr(c1 + 1);
    size_t c2 = rest.find(':');
    if (c2 == std::string_view::npos) {  // "arg:i"
      auto it = arg_nodes.find(name);
      int k = std::atoi(std::string(rest).c_str());
      if (it == arg_nodes.end() || k < 0 || k >= static_cast<int>(it->second.size())) {
        return InvalidArgument(ctx(where), ": bad reference '", ref, "'");
      }
      return Endpoint{it->second[k], 0};
    }
    std::string_view out_arg = rest.substr(0, c2);
    int k = std::atoi(std::string(rest.substr(c2 + 1)).c_str());
    int src = g.FindNode(name);
    if (src < first_body) return InvalidArgument(ctx(where), ": '", ref, "' names no body node");
    const OpSchema* schema = schemas.Find(g.nodes[src].op);
    ASSIGN_OR_RETURN(ArgLayout layout, ExpandArgs(schema->outputs, g.nodes[src].attrs));
    for (size_t a = 0; a < schema->outputs.size(); ++a) {
      if (schema->outputs[a].name != out_arg) continue;
      int index = layout.arg_start[a] + k;
      if (k < 0 || index >= layout.arg_start[a + 1]) {
        return InvalidArgument(ctx(where), ": '", ref, "' is out of range for output arg '", out_arg, "'");
      }
      return Endpoint{src, index};
    }
    return InvalidArgument(ctx(where), ": op '", schema->name, "' has no output arg '", out_arg, "' ('", ref, "')");
  };
  for (int i = first_body; i < static_cast<int>(g.nodes.size()); ++i) {
    const auto& def = fdef.node_def(i - first_body);
    std::string where = StrCat("node '", def.name(), "' (", def.op(), ")");
    std::vector<Endpoint> inputs;
    for (const std::string& input : def.input()) {
      if (!input.empty() && input[0] == '^') {
        int src = g.FindNode(std::string_view(input).substr(1));
        if (src < 0) return InvalidArgument(ctx(where), ": control input '", input, "' names no node");
        g.nodes[i].control_inputs.push_back(src);
        continue;
      }
      ASSIGN_OR_RETURN(Endpoint e, resolve(input, where));
      inputs.push_back(e);
    }
    Node& node = g.nodes[i];
    node.inputs = std::move(inputs);
    RETURN_IF_ERROR(TypeNode(schemas.Find(node.op), 0, &node));
  }
  for (size_t a = 0; a < fg->signature.outputs.size(); ++a) {
    const ArgSchema& arg = fg->signature.outputs[a];
    auto it = fdef.ret().find(arg.name);
    if (it == fdef.ret().end()) return InvalidArgument(ctx(StrCat("no ret for output '", arg.name, "'")));
    ASSIGN_OR_RETURN(Endpoint e, resolve(it->second, StrCat("ret '", arg.name, "'")));
    fg->rets.push_back(e);
  }
  if (static_cast<int>(fg->rets.size()) != static_cast<int>(out_layout.types.size())) {
    return Unimplemented(ctx("list-valued function outputs are not supported"));
  }
  for (const auto& [name, node_name] : fdef.control_ret()) {
    int id = g.FindNode(node_name);
    if (id < 0) return InvalidArgument(ctx(StrCat("control_ret '", name, "' names no node '", node_name, "'")));
    fg->control_rets.push_back(id);
  }
  return std::shared_ptr<const FunctionGraph>(std::move(fg));
}

}  // namespace stfs
