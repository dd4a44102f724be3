// Conversion of TensorFlow protos (GraphDef, FunctionDef, OpDef, AttrValue)
// into the plain structs of graph.h / op_schema.h / attr.h. Runs once at
// model load; malformed input gives an error naming the node, op and
// attribute, never a crash.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "graph/attr.h"
#include "graph/graph.h"
#include "graph/op_schema.h"
#include "proto/attr_value.pb.h"
#include "proto/function.pb.h"
#include "proto/graph.pb.h"
#include "proto/op_def.pb.h"

namespace stfs {

// Errors name what is wrong inside the value; callers add the attribute name.
StatusOr<AttrValue> AttrValueFromProto(const tensorflow::AttrValue& proto);

// Converts every attribute except "_"-prefixed hints (_output_shapes, _class, ...).
Status AttrMapFromProto(const google::protobuf::Map<std::string, tensorflow::AttrValue>& attrs,
                        AttrMap* out);

StatusOr<OpSchema> OpSchemaFromProto(const tensorflow::OpDef& def);

// Schemas of a MetaGraph: `op_list` (stripped_op_list, may be null), then the
// signatures of `library`'s functions (may be null), then the built-in table.
StatusOr<std::unique_ptr<OpSchemaSet>> SchemasFromProto(const tensorflow::OpList* op_list,
                                                        const tensorflow::FunctionDefLibrary* library);

// Builds the typed Graph. `schemas` is only used during the call.
StatusOr<std::shared_ptr<const Graph>> GraphFromProto(const tensorflow::GraphDef& graph_def,
                                                      const OpSchemaSet& schemas);

// Builds a function body, substituting placeholder attributes from
// `instantiation_attrs` (the call site's attrs; may be null). Resolves
// "node:out_arg:i" inputs through each op's schema, so every op used in the
// body must have one (errors name the function, node and op).
StatusOr<std::shared_ptr<const FunctionGraph>> FunctionGraphFromProto(const tensorflow::FunctionDef& fdef,
                                                                      const OpSchemaSet& schemas,
                                                                      const AttrMap* instantiation_attrs);

}  // namespace stfs
