// Which op types a signature can execute: a backward walk over node inputs
// (data and "^control" inputs) from the signature's output tensors, descending
// into called functions (nodes whose op names a library function, and
// func-valued attrs such as `f`, `then_branch`, `body`, also inside lists).
// Inside a function the walk starts at its `ret` and `control_ret` values.
// Function names themselves are not reported as op types. Pure; thread-safe.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "proto/meta_graph.pb.h"

namespace stfs {

// `tensor_names` are graph tensors ("node:0", "node", "^node").
std::set<std::string> ReachableOpTypes(const tensorflow::GraphDef& graph,
                                       const std::vector<std::string>& tensor_names);

// All output tensor names of a SignatureDef (dense names, the three tensors
// of coo_sparse outputs, and composite components).
std::vector<std::string> SignatureOutputTensorNames(const tensorflow::SignatureDef& def);

}  // namespace stfs
