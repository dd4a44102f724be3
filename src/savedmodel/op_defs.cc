#include "savedmodel/op_defs.h"

#include <google/protobuf/text_format.h>

#include <map>

#include "base/logging.h"

namespace stfs {
namespace {

// Text-format OpDefs, shortened with a few macros for recurring pieces.
#define T_ATTR "attr { name: 'T' type: 'type' } "
#define ARG(n, t) "name: '" n "' type_attr: '" t "' "
#define BINARY(op)                                                                         \
  "name: '" op "' input_arg { " ARG("x", "T") "} input_arg { " ARG("y", "T") "} output_arg { " \
  ARG("z", "T") "} " T_ATTR
#define UNARY(op, in, out) \
  "name: '" op "' input_arg { " ARG(in, "T") "} output_arg { " ARG(out, "T") "} " T_ATTR
#define DEFAULT_TYPE(name, t) "attr { name: '" name "' type: 'type' default_value { type: " t " } } "
#define DEFAULT_STR(name, v) "attr { name: '" name "' type: 'string' default_value { s: '" v "' } } "
#define DEFAULT_BOOL(name, v) "attr { name: '" name "' type: 'bool' default_value { b: " v " } } "
#define REDUCTION(op)                                                                            \
  "name: '" op "' input_arg { " ARG("input", "T") "} input_arg { " ARG("reduction_indices", "Tidx") \
  "} output_arg { " ARG("output", "T") "} " DEFAULT_BOOL("keep_dims", "false") T_ATTR             \
  DEFAULT_TYPE("Tidx", "DT_INT32")

const char* const kOpDefs[] = {
    "name: 'Placeholder' output_arg { " ARG("output", "dtype") "} attr { name: 'dtype' type: 'type' } "
    "attr { name: 'shape' type: 'shape' default_value { shape { unknown_rank: true } } }",
    "name: 'PlaceholderWithDefault' input_arg { " ARG("input", "dtype") "} output_arg { " ARG("output", "dtype")
    "} attr { name: 'dtype' type: 'type' } attr { name: 'shape' type: 'shape' }",
    "name: 'Const' output_arg { " ARG("output", "dtype") "} attr { name: 'value' type: 'tensor' } "
    "attr { name: 'dtype' type: 'type' }",
    UNARY("Identity", "input", "output"),
    "name: 'NoOp'",
    "name: 'VariableV2' output_arg { " ARG("ref", "dtype") "is_ref: true } attr { name: 'shape' type: 'shape' } "
    "attr { name: 'dtype' type: 'type' } " DEFAULT_STR("container", "") DEFAULT_STR("shared_name", "")
    "is_stateful: true",
    "name: 'Assign' input_arg { " ARG("ref", "T") "is_ref: true } input_arg { " ARG("value", "T") "} "
    "output_arg { " ARG("output_ref", "T") "is_ref: true } " T_ATTR DEFAULT_BOOL("validate_shape", "true")
    DEFAULT_BOOL("use_locking", "true") "allows_uninitialized_input: true",
    "name: 'RestoreV2' input_arg { name: 'prefix' type: DT_STRING } input_arg { name: 'tensor_names' type: "
    "DT_STRING } input_arg { name: 'shape_and_slices' type: DT_STRING } output_arg { name: 'tensors' "
    "type_list_attr: 'dtypes' } attr { name: 'dtypes' type: 'list(type)' has_minimum: true minimum: 1 } "
    "is_stateful: true",
    "name: 'SaveV2' input_arg { name: 'prefix' type: DT_STRING } input_arg { name: 'tensor_names' type: "
    "DT_STRING } input_arg { name: 'shape_and_slices' type: DT_STRING } input_arg { name: 'tensors' "
    "type_list_attr: 'dtypes' } attr { name: 'dtypes' type: 'list(type)' has_minimum: true minimum: 1 } "
    "is_stateful: true",
    BINARY("Add"), BINARY("AddV2"), BINARY("Sub"), BINARY("Mul"), BINARY("RealDiv"), BINARY("Maximum"),
    BINARY("Minimum"),
    UNARY("Relu", "features", "activations"), UNARY("Softmax", "logits", "softmax"), UNARY("Sigmoid", "x", "y"),
    UNARY("Tanh", "x", "y"), UNARY("Neg", "x", "y"), UNARY("Exp", "x", "y"), UNARY("Sqrt", "x", "y"),
    "name: 'MatMul' input_arg { " ARG("a", "T") "} input_arg { " ARG("b", "T") "} output_arg { " ARG("product", "T")
    "} " DEFAULT_BOOL("transpose_a", "false") DEFAULT_BOOL("transpose_b", "false") T_ATTR,
    "name: 'BiasAdd' input_arg { " ARG("value", "T") "} input_arg { " ARG("bias", "T") "} output_arg { "
    ARG("output", "T") "} " T_ATTR DEFAULT_STR("data_format", "NHWC"),
    "name: 'ArgMax' input_arg { " ARG("input", "T") "} input_arg { " ARG("dimension", "Tidx") "} output_arg { "
    ARG("output", "output_type") "} " T_ATTR DEFAULT_TYPE("Tidx", "DT_INT32") DEFAULT_TYPE("output_type", "DT_INT64"),
    "name: 'Conv2D' input_arg { " ARG("input", "T") "} input_arg { " ARG("filter", "T") "} output_arg { "
    ARG("output", "T") "} " T_ATTR "attr { name: 'strides' type: 'list(int)' } "
    DEFAULT_BOOL("use_cudnn_on_gpu", "true") "attr { name: 'padding' type: 'string' } "
    "attr { name: 'explicit_paddings' type: 'list(int)' default_value { list { } } } "
    DEFAULT_STR("data_format", "NHWC")
    "attr { name: 'dilations' type: 'list(int)' default_value { list { i: 1 i: 1 i: 1 i: 1 } } }",
    "name: 'MaxPool' input_arg { " ARG("input", "T") "} output_arg { " ARG("output", "T") "} "
    DEFAULT_TYPE("T", "DT_FLOAT") "attr { name: 'ksize' type: 'list(int)' has_minimum: true minimum: 4 } "
    "attr { name: 'strides' type: 'list(int)' has_minimum: true minimum: 4 } "
    "attr { name: 'padding' type: 'string' } "
    "attr { name: 'explicit_paddings' type: 'list(int)' default_value { list { } } } "
    DEFAULT_STR("data_format", "NHWC"),
    "name: 'Reshape' input_arg { " ARG("tensor", "T") "} input_arg { " ARG("shape", "Tshape") "} output_arg { "
    ARG("output", "T") "} " T_ATTR DEFAULT_TYPE("Tshape", "DT_INT32"),
    "name: 'ExpandDims' input_arg { " ARG("input", "T") "} input_arg { " ARG("dim", "Tdim") "} output_arg { "
    ARG("output", "T") "} " T_ATTR DEFAULT_TYPE("Tdim", "DT_INT32"),
    "name: 'Squeeze' input_arg { " ARG("input", "T") "} output_arg { " ARG("output", "T") "} " T_ATTR
    "attr { name: 'squeeze_dims' type: 'list(int)' default_value { list { } } has_minimum: true }",
    "name: 'Cast' input_arg { " ARG("x", "SrcT") "} output_arg { " ARG("y", "DstT") "} "
    "attr { name: 'SrcT' type: 'type' } attr { name: 'DstT' type: 'type' } " DEFAULT_BOOL("Truncate", "false"),
    "name: 'Shape' input_arg { " ARG("input", "T") "} output_arg { " ARG("output", "out_type") "} " T_ATTR
    DEFAULT_TYPE("out_type", "DT_INT32"),
    "name: 'Transpose' input_arg { " ARG("x", "T") "} input_arg { " ARG("perm", "Tperm") "} output_arg { "
    ARG("y", "T") "} " T_ATTR DEFAULT_TYPE("Tperm", "DT_INT32"),
    REDUCTION("Sum"), REDUCTION("Mean"), REDUCTION("Max"),
    "name: 'ConcatV2' input_arg { name: 'values' type_attr: 'T' number_attr: 'N' } input_arg { "
    ARG("axis", "Tidx") "} output_arg { " ARG("output", "T") "} "
    "attr { name: 'N' type: 'int' has_minimum: true minimum: 2 } " T_ATTR DEFAULT_TYPE("Tidx", "DT_INT32"),
    "name: 'Pack' input_arg { name: 'values' type_attr: 'T' number_attr: 'N' } output_arg { " ARG("output", "T")
    "} attr { name: 'N' type: 'int' has_minimum: true minimum: 1 } " T_ATTR
    "attr { name: 'axis' type: 'int' default_value { i: 0 } }",
    "name: 'DecodeBase64' input_arg { name: 'input' type: DT_STRING } output_arg { name: 'output' type: DT_STRING }",
    "name: 'DecodeJpeg' input_arg { name: 'contents' type: DT_STRING } output_arg { name: 'image' type: DT_UINT8 } "
    "attr { name: 'channels' type: 'int' default_value { i: 0 } } "
    "attr { name: 'ratio' type: 'int' default_value { i: 1 } } " DEFAULT_BOOL("fancy_upscaling", "true")
    DEFAULT_BOOL("try_recover_truncated", "false")
    "attr { name: 'acceptable_fraction' type: 'float' default_value { f: 1 } } " DEFAULT_STR("dct_method", ""),
    "name: 'DecodePng' input_arg { name: 'contents' type: DT_STRING } output_arg { " ARG("image", "dtype") "} "
    "attr { name: 'channels' type: 'int' default_value { i: 0 } } " DEFAULT_TYPE("dtype", "DT_UINT8"),
    "name: 'ResizeBilinear' input_arg { " ARG("images", "T") "} input_arg { name: 'size' type: DT_INT32 } "
    "output_arg { name: 'resized_images' type: DT_FLOAT } " T_ATTR DEFAULT_BOOL("align_corners", "false")
    DEFAULT_BOOL("half_pixel_centers", "false"),
    "name: 'ParseExample' input_arg { name: 'serialized' type: DT_STRING } input_arg { name: 'names' type: "
    "DT_STRING } input_arg { name: 'sparse_keys' type: DT_STRING number_attr: 'Nsparse' } input_arg { name: "
    "'dense_keys' type: DT_STRING number_attr: 'Ndense' } input_arg { name: 'dense_defaults' type_list_attr: "
    "'Tdense' } output_arg { name: 'sparse_indices' type: DT_INT64 number_attr: 'Nsparse' } output_arg { name: "
    "'sparse_values' type_list_attr: 'sparse_types' } output_arg { name: 'sparse_shapes' type: DT_INT64 "
    "number_attr: 'Nsparse' } output_arg { name: 'dense_values' type_list_attr: 'Tdense' } "
    "attr { name: 'Nsparse' type: 'int' has_minimum: true } attr { name: 'Ndense' type: 'int' has_minimum: true } "
    "attr { name: 'sparse_types' type: 'list(type)' has_minimum: true } "
    "attr { name: 'Tdense' type: 'list(type)' has_minimum: true } "
    "attr { name: 'dense_shapes' type: 'list(shape)' has_minimum: true }",
};

#undef T_ATTR
#undef ARG
#undef BINARY
#undef UNARY
#undef DEFAULT_TYPE
#undef DEFAULT_STR
#undef DEFAULT_BOOL
#undef REDUCTION

const std::map<std::string, tensorflow::OpDef>& Table() {
  static const auto* table = [] {
    auto* t = new std::map<std::string, tensorflow::OpDef>();
    for (const char* text : kOpDefs) {
      tensorflow::OpDef def;
      CHECK(google::protobuf::TextFormat::ParseFromString(text, &def)) << "bad built-in OpDef: " << text;
      (*t)[def.name()] = std::move(def);
    }
    return t;
  }();
  return *table;
}

}  // namespace

const tensorflow::OpDef* FindWriterOpDef(const std::string& op) {
  auto it = Table().find(op);
  return it == Table().end() ? nullptr : &it->second;
}

std::vector<std::string> WriterOpNames() {
  std::vector<std::string> names;
  for (const auto& [name, def] : Table()) names.push_back(name);
  return names;
}

}  // namespace stfs
