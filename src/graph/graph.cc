#include "graph/graph.h"

#include <charconv>

namespace stfs {

bool SplitTensorName(std::string_view tensor_name, std::string_view* node, int* index) {
  size_t colon = tensor_name.rfind(':');
  *node = tensor_name;
  *index = 0;
  if (colon == std::string_view::npos) return true;
  std::string_view suffix = tensor_name.substr(colon + 1);
  int value = 0;
  auto [ptr, ec] = std::from_chars(suffix.data(), suffix.data() + suffix.size(), value);
  if (suffix.empty() || ec != std::errc() || ptr != suffix.data() + suffix.size() || value < 0) {
    return false;
  }
  *node = tensor_name.substr(0, colon);
  *index = value;
  return true;
}

int Graph::FindNode(std::string_view name) const {
  auto it = by_name.find(std::string(name));
  return it == by_name.end() ? -1 : it->second;
}

StatusOr<Endpoint> Graph::ParseTensorName(std::string_view tensor_name) const {
  std::string_view node_name;
  int index = 0;
  if (!SplitTensorName(tensor_name, &node_name, &index)) {
    return InvalidArgument("bad tensor name '", tensor_name, "'");
  }
  int node = FindNode(node_name);
  if (node < 0) return NotFound("tensor '", tensor_name, "': no node named '", node_name, "' in the graph");
  if (index >= nodes[node].num_outputs()) {
    return NotFound("tensor '", tensor_name, "': node '", node_name, "' (", nodes[node].op, ") has ",
                    nodes[node].num_outputs(), " outputs");
  }
  return Endpoint{node, index};
}

std::string Graph::EndpointName(Endpoint e) const {
  if (e.node < 0 || e.node >= static_cast<int>(nodes.size())) return StrCat("<invalid:", e.node, ">");
  return StrCat(nodes[e.node].name, ":", e.index);
}

StatusOr<int> Graph::AddNode(Node node) {
  if (by_name.count(node.name)) return InvalidArgument("duplicate node name '", node.name, "'");
  int id = static_cast<int>(nodes.size());
  by_name.emplace(node.name, id);
  nodes.push_back(std::move(node));
  return id;
}

Status TypeNode(const OpSchema* schema, int num_outputs_if_unknown, Node* node) {
  if (!schema) {
    node->has_schema = false;
    node->output_types.assign(num_outputs_if_unknown, DType::kInvalid);
    node->output_is_ref.assign(num_outputs_if_unknown, false);
    node->input_types.assign(node->inputs.size(), DType::kInvalid);
    node->input_is_ref.assign(node->inputs.size(), false);
    return Status::OK();
  }
  FillDefaultAttrs(*schema, &node->attrs);
  // Also fill from the built-in table: graphs may predate newer attributes.
  if (const OpSchema* builtin = OpSchemaSet::Builtin().Find(node->op); builtin && builtin != schema) {
    FillDefaultAttrs(*builtin, &node->attrs);
  }
  auto context = [&] { return StrCat("node '", node->name, "' (", node->op, ")"); };
  auto in = ExpandArgs(schema->inputs, node->attrs);
  if (!in.ok()) return in.status().WithContext(context());
  auto out = ExpandArgs(schema->outputs, node->attrs);
  if (!out.ok()) return out.status().WithContext(context());
  if (in->types.size() != node->inputs.size()) {
    return InvalidArgument(context(), ": has ", node->inputs.size(), " data inputs but its op signature expects ",
                           in->types.size());
  }
  node->has_schema = true;
  node->is_stateful = schema->is_stateful;
  node->input_types = std::move(in->types);
  node->input_is_ref = std::move(in->is_ref);
  node->output_types = std::move(out->types);
  node->output_is_ref = std::move(out->is_ref);
  return Status::OK();
}

}  // namespace stfs
