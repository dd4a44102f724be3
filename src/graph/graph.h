// Graph: a TensorFlow graph (or function body) as plain structs, with inputs
// resolved to node indices and each node's inputs and outputs typed from its
// OpSchema. Built once at load (graph_def.h) or directly in tests; immutable
// afterwards and shared (shared_ptr<const Graph>) by every plan made from it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "graph/attr.h"
#include "graph/op_schema.h"
#include "tensor/dtype.h"

namespace stfs {

// Output `index` of node `node` ("node:index" in GraphDef syntax).
struct Endpoint {
  int node = -1;
  int index = 0;
  bool operator==(const Endpoint& o) const { return node == o.node && index == o.index; }
};

struct Node {
  std::string name;
  std::string op;
  AttrMap attrs;                    // defaults filled; "_" hint attributes dropped
  std::vector<Endpoint> inputs;     // data inputs, in order
  std::vector<int> control_inputs;  // "^node"
  // From the schema; kInvalid where unknown (op without a schema).
  std::vector<DType> input_types;
  std::vector<bool> input_is_ref;
  std::vector<DType> output_types;
  std::vector<bool> output_is_ref;
  bool has_schema = false;
  bool is_stateful = false;

  int num_outputs() const { return static_cast<int>(output_types.size()); }
};

struct Graph {
  std::vector<Node> nodes;
  std::unordered_map<std::string, int> by_name;

  // Index of the node named `name`, or -1.
  int FindNode(std::string_view name) const;
  // Parses "node", "node:3" (not "^node"); NotFound / InvalidArgument naming the tensor.
  StatusOr<Endpoint> ParseTensorName(std::string_view tensor_name) const;
  // "node:3" for messages.
  std::string EndpointName(Endpoint e) const;

  // Appends a node (name must be new) and returns its index; types of its
  // outputs/inputs are left to the caller (see TypeNode).
  StatusOr<int> AddNode(Node node);
};

// Fills input/output types and ref flags of `node` from `schema` (which may be
// null: the node then keeps `num_outputs` untyped outputs), after filling
// default attributes. Errors name the node and op.
Status TypeNode(const OpSchema* schema, int num_outputs_if_unknown, Node* node);

// Splits "name:3" into ("name", 3); "name" gives index 0. False if the suffix
// is not a non-negative integer (then the whole string is the name).
bool SplitTensorName(std::string_view tensor_name, std::string_view* node, int* index);

// A function body as a graph: arguments are "_Arg" nodes (attr "index"),
// results are endpoints in output-arg order.
struct FunctionGraph {
  std::string name;
  OpSchema signature;
  Graph body;
  std::vector<int> arg_nodes;       // per flattened input
  std::vector<Endpoint> rets;       // per flattened output
  std::vector<int> control_rets;    // nodes that must run
};

}  // namespace stfs
