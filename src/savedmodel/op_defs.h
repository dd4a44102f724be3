// OpDefs of the ops the SavedModel writer emits, as TensorFlow defines them
// (argument layout, attrs and their defaults; no docs, no allowed_values).
// Used to fill meta_info_def.stripped_op_list and default attrs. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "proto/op_def.pb.h"

namespace stfs {

// nullptr if the op is not in the table.
const tensorflow::OpDef* FindWriterOpDef(const std::string& op);
// Names of all ops in the table, sorted.
std::vector<std::string> WriterOpNames();

}  // namespace stfs
