// OpSchema: the argument layout and attributes of an op (TensorFlow's OpDef as
// plain C++), used to number a node's outputs, type its inputs and outputs,
// and fill attributes that the GraphDef omits.
//
// Sources, first match wins: the MetaGraph's stripped_op_list, the function
// library's signatures (a node's op may name a function), then a small
// built-in table (plumbing, state and control-flow ops) that also supplies
// defaults for attributes newer than the exporting TensorFlow.
//
// Thread safety: an OpSchemaSet is immutable after construction/Add calls and
// may then be read concurrently.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "graph/attr.h"
#include "tensor/dtype.h"

namespace stfs {

// One input_arg / output_arg of an OpDef.
struct ArgSchema {
  std::string name;
  DType type = DType::kInvalid;  // fixed type, when set
  std::string type_attr;         // "T": a type attr
  std::string number_attr;       // "N": repeat N times (with type or type_attr)
  std::string type_list_attr;    // "Tout": one tensor per listed type
  bool is_ref = false;
};

struct AttrSchema {
  std::string name;
  std::string type;  // "int", "list(type)", ...
  bool has_default = false;
  AttrValue default_value;
};

struct OpSchema {
  std::string name;
  std::vector<ArgSchema> inputs;
  std::vector<ArgSchema> outputs;
  std::vector<AttrSchema> attrs;
  bool is_stateful = false;
};

// Flattened tensors of an arg list for a node with `attrs`: dtypes, ref-ness,
// and for each arg the index of its first tensor (arg_start has args+1 entries).
struct ArgLayout {
  std::vector<DType> types;  // kInvalid where the type attr is missing
  std::vector<bool> is_ref;
  std::vector<int> arg_start;
};
// Errors name the attribute (number or list attr missing / negative).
StatusOr<ArgLayout> ExpandArgs(const std::vector<ArgSchema>& args, const AttrMap& attrs);

// Sets every attribute of `schema` that has a default and is absent in `attrs`.
void FillDefaultAttrs(const OpSchema& schema, AttrMap* attrs);

class OpSchemaSet {
 public:
  // `fallback` (may be null, must outlive this set) is consulted on a miss.
  explicit OpSchemaSet(const OpSchemaSet* fallback = nullptr) : fallback_(fallback) {}

  // Adds a schema; an existing entry with the same name is kept.
  void Add(OpSchema schema);
  const OpSchema* Find(std::string_view op) const;

  // The built-in table (immutable, process-wide).
  static const OpSchemaSet& Builtin();

 private:
  const OpSchemaSet* fallback_;
  std::map<std::string, std::shared_ptr<const OpSchema>, std::less<>> schemas_;
};

// Builds a schema from a compact spec, e.g.
//   ParseOpSpec("Switch", "data: T; pred: bool", "output_false: T; output_true: T", "T: type")
// Args: "name: T" | "name: N * T" | "name: Ref(T)" | "name: float" | "name: Tlist"
// (a list(type) attr). Attrs: "name: type [= default]" with defaults as ints,
// floats, true/false, 'strings', dtype names, [] (empty list) or "?" (unknown shape).
StatusOr<OpSchema> ParseOpSpec(std::string_view name, std::string_view inputs,
                               std::string_view outputs, std::string_view attrs,
                               bool is_stateful = false);

}  // namespace stfs
