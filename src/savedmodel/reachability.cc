#include "savedmodel/reachability.h"

#include <map>
#include <string_view>

namespace stfs {
namespace {

// "^node", "node:1", "node:out:0" -> "node".
std::string NodeName(std::string_view input) {
  if (!input.empty() && input[0] == '^') input.remove_prefix(1);
  size_t colon = input.find(':');
  return std::string(input.substr(0, colon));
}

class Walker {
 public:
  explicit Walker(const tensorflow::GraphDef& graph) {
    for (const auto& fn : graph.library().function()) functions_[fn.signature().name()] = &fn;
  }

  // Walks `nodes` (one graph or function body) backwards from `starts`.
  void WalkNodes(const google::protobuf::RepeatedPtrField<tensorflow::NodeDef>& nodes,
                 const std::vector<std::string>& starts) {
    std::map<std::string, const tensorflow::NodeDef*> by_name;
    for (const auto& n : nodes) by_name[n.name()] = &n;
    std::set<std::string> visited;
    std::vector<std::string> stack;
    for (const auto& s : starts) stack.push_back(NodeName(s));
    while (!stack.empty()) {
      std::string name = std::move(stack.back());
      stack.pop_back();
      if (!visited.insert(name).second) continue;
      auto it = by_name.find(name);
      if (it == by_name.end()) continue;  // a function argument or a dangling name
      const tensorflow::NodeDef& node = *it->second;
      if (functions_.count(node.op())) {
        WalkFunction(node.op());
      } else {
        ops_.insert(node.op());
      }
      for (const auto& [attr_name, attr] : node.attr()) VisitAttr(attr);
      for (const auto& in : node.input()) stack.push_back(NodeName(in));
    }
  }

  void WalkFunction(const std::string& name) {
    auto it = functions_.find(name);
    if (it == functions_.end() || !walked_functions_.insert(name).second) return;
    const tensorflow::FunctionDef& fn = *it->second;
    std::vector<std::string> starts;
    for (const auto& [out, ref] : fn.ret()) starts.push_back(ref);
    for (const auto& [out, node] : fn.control_ret()) starts.push_back(node);
    WalkNodes(fn.node_def(), starts);
  }

  const std::set<std::string>& ops() const { return ops_; }

 private:
  void VisitAttr(const tensorflow::AttrValue& attr) {
    if (attr.value_case() == tensorflow::AttrValue::kFunc) {
      WalkFunction(attr.func().name());
    } else if (attr.value_case() == tensorflow::AttrValue::kList) {
      for (const auto& f : attr.list().func()) WalkFunction(f.name());
    }
  }

  std::map<std::string, const tensorflow::FunctionDef*> functions_;
  std::set<std::string> walked_functions_;
  std::set<std::string> ops_;
};

void AddTensorInfoNames(const tensorflow::TensorInfo& info, std::vector<std::string>* out) {
  switch (info.encoding_case()) {
    case tensorflow::TensorInfo::kName:
      out->push_back(info.name());
      break;
    case tensorflow::TensorInfo::kCooSparse:
      out->push_back(info.coo_sparse().values_tensor_name());
      out->push_back(info.coo_sparse().indices_tensor_name());
      out->push_back(info.coo_sparse().dense_shape_tensor_name());
      break;
    case tensorflow::TensorInfo::kCompositeTensor:
      for (const auto& c : info.composite_tensor().components()) AddTensorInfoNames(c, out);
      break;
    default:
      break;
  }
}

}  // namespace

std::vector<std::string> SignatureOutputTensorNames(const tensorflow::SignatureDef& def) {
  std::vector<std::string> names;
  for (const auto& [alias, info] : def.outputs()) AddTensorInfoNames(info, &names);
  return names;
}

std::set<std::string> ReachableOpTypes(const tensorflow::GraphDef& graph,
                                       const std::vector<std::string>& tensor_names) {
  Walker w(graph);
  w.WalkNodes(graph.node(), tensor_names);
  return w.ops();
}

}  // namespace stfs
