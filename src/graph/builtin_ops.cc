// The built-in OpDef table: ops the executor itself and the state / control /
// io kernels rely on, written in ParseOpSpec syntax from TensorFlow's
// REGISTER_OP declarations. Real graphs normally carry these OpDefs in
// stripped_op_list; this table is the fallback and supplies defaults for
// attributes newer than the exporting TensorFlow version.
#include "base/logging.h"
#include "graph/op_schema.h"

namespace stfs {
namespace {

struct BuiltinSpec {
  const char* name;
  const char* inputs;
  const char* outputs;
  const char* attrs;
  bool stateful;
};

constexpr const char* kCallAttrs =
    "Tin: list(type); Tout: list(type); f: func; config: string = ''; "
    "config_proto: string = ''; executor_type: string = ''";

const BuiltinSpec kSpecs[] = {
    // Plumbing.
    {"NoOp", "", "", "", false},
    {"Const", "", "output: dtype", "value: tensor; dtype: type", false},
    {"Placeholder", "", "output: dtype", "dtype: type; shape: shape = ?", false},
    {"PlaceholderWithDefault", "input: dtype", "output: dtype", "dtype: type; shape: shape", false},
    {"Identity", "input: T", "output: T", "T: type", false},
    {"RefIdentity", "input: Ref(T)", "output: Ref(T)", "T: type", false},
    {"IdentityN", "input: T", "output: T", "T: list(type)", false},
    {"Snapshot", "input: T", "output: T", "T: type", false},
    {"StopGradient", "input: T", "output: T", "T: type", false},
    {"PreventGradient", "input: T", "output: T", "T: type; message: string = ''", false},
    {"_Arg", "", "output: T", "T: type; index: int", false},
    {"_Retval", "input: T", "", "T: type; index: int", false},
    // TF1 control flow.
    {"Switch", "data: T; pred: bool", "output_false: T; output_true: T", "T: type", false},
    {"RefSwitch", "data: Ref(T); pred: bool", "output_false: Ref(T); output_true: Ref(T)", "T: type", false},
    {"Merge", "inputs: N * T", "output: T; value_index: int32", "T: type; N: int", false},
    {"RefMerge", "inputs: Ref(N * T)", "output: Ref(T); value_index: int32", "T: type; N: int", false},
    {"Enter", "data: T", "output: T",
     "T: type; frame_name: string; is_constant: bool = false; parallel_iterations: int = 10", false},
    {"RefEnter", "data: Ref(T)", "output: Ref(T)",
     "T: type; frame_name: string; is_constant: bool = false; parallel_iterations: int = 10", false},
    {"Exit", "data: T", "output: T", "T: type", false},
    {"RefExit", "data: Ref(T)", "output: Ref(T)", "T: type", false},
    {"NextIteration", "data: T", "output: T", "T: type", false},
    {"RefNextIteration", "data: Ref(T)", "output: Ref(T)", "T: type", false},
    {"LoopCond", "input: bool", "output: bool", "", false},
    {"ControlTrigger", "", "", "", false},
    // Ref variables.
    {"VariableV2", "", "ref: Ref(dtype)",
     "shape: shape; dtype: type; container: string = ''; shared_name: string = ''", true},
    {"Variable", "", "ref: Ref(dtype)",
     "shape: shape; dtype: type; container: string = ''; shared_name: string = ''", true},
    {"Assign", "ref: Ref(T); value: T", "output_ref: Ref(T)",
     "T: type; validate_shape: bool = true; use_locking: bool = true", false},
    {"AssignAdd", "ref: Ref(T); value: T", "output_ref: Ref(T)", "T: type; use_locking: bool = false", false},
    {"AssignSub", "ref: Ref(T); value: T", "output_ref: Ref(T)", "T: type; use_locking: bool = false", false},
    {"IsVariableInitialized", "ref: Ref(dtype)", "is_initialized: bool", "dtype: type", true},
    // Resource variables.
    {"VarHandleOp", "", "resource: resource",
     "container: string = ''; shared_name: string = ''; debug_name: string = ''; dtype: type; "
     "shape: shape; allowed_devices: list(string) = []",
     true},
    {"ReadVariableOp", "resource: resource", "value: dtype", "dtype: type", true},
    {"AssignVariableOp", "resource: resource; value: dtype", "", "dtype: type; validate_shape: bool = false", true},
    {"AssignAddVariableOp", "resource: resource; value: dtype", "", "dtype: type", true},
    {"AssignSubVariableOp", "resource: resource; value: dtype", "", "dtype: type", true},
    {"VarIsInitializedOp", "resource: resource", "is_initialized: bool", "", true},
    {"DestroyResourceOp", "resource: resource", "", "ignore_lookup_error: bool = true", true},
    // Comparisons and parsing: function bodies of TF2 exports reference ops
    // that stripped_op_list may omit (it lists only the top-level graph's ops).
    {"Less", "x: T; y: T", "z: bool", "T: type", false},
    {"LessEqual", "x: T; y: T", "z: bool", "T: type", false},
    {"Greater", "x: T; y: T", "z: bool", "T: type", false},
    {"GreaterEqual", "x: T; y: T", "z: bool", "T: type", false},
    {"Equal", "x: T; y: T", "z: bool", "T: type; incompatible_shape_error: bool = true", false},
    {"NotEqual", "x: T; y: T", "z: bool", "T: type; incompatible_shape_error: bool = true", false},
    {"ParseExampleV2",
     "serialized: string; names: string; sparse_keys: string; dense_keys: string; ragged_keys: string; "
     "dense_defaults: Tdense",
     "sparse_indices: num_sparse * int64; sparse_values: sparse_types; sparse_shapes: num_sparse * int64; "
     "dense_values: Tdense; ragged_values: ragged_value_types; ragged_row_splits: ragged_split_types",
     "Tdense: list(type); num_sparse: int; sparse_types: list(type); ragged_value_types: list(type); "
     "ragged_split_types: list(type); dense_shapes: list(shape)",
     false},
    // Checkpoints and files.
    {"RestoreV2", "prefix: string; tensor_names: string; shape_and_slices: string", "tensors: dtypes",
     "dtypes: list(type)", true},
    {"SaveV2", "prefix: string; tensor_names: string; shape_and_slices: string; tensors: dtypes", "",
     "dtypes: list(type)", true},
    {"ReadFile", "filename: string", "contents: string", "", false},
    // TensorArray (V3).
    {"TensorArrayV3", "size: int32", "handle: resource; flow: float",
     "dtype: type; element_shape: shape = ?; dynamic_size: bool = false; clear_after_read: bool = true; "
     "identical_element_shapes: bool = false; tensor_array_name: string = ''",
     true},
    {"TensorArrayReadV3", "handle: resource; index: int32; flow_in: float", "value: dtype", "dtype: type", true},
    {"TensorArrayWriteV3", "handle: resource; index: int32; value: T; flow_in: float", "flow_out: float",
     "T: type", true},
    {"TensorArrayGatherV3", "handle: resource; indices: int32; flow_in: float", "value: dtype",
     "dtype: type; element_shape: shape = ?", true},
    {"TensorArrayScatterV3", "handle: resource; indices: int32; value: T; flow_in: float", "flow_out: float",
     "T: type", true},
    {"TensorArraySizeV3", "handle: resource; flow_in: float", "size: int32", "", true},
    {"TensorArrayConcatV3", "handle: resource; flow_in: float", "value: dtype; lengths: int64",
     "dtype: type; element_shape_except0: shape = ?", true},
    {"TensorArraySplitV3", "handle: resource; value: T; lengths: int64; flow_in: float", "flow_out: float",
     "T: type", true},
    {"TensorArrayCloseV3", "handle: resource", "", "", true},
    // Checks and logging.
    {"Assert", "condition: bool; data: T", "", "T: list(type); summarize: int = 3", true},
    {"Print", "input: T; data: U", "output: T",
     "T: type; U: list(type); message: string = ''; first_n: int = -1; summarize: int = 3", true},
    {"PrintV2", "input: string", "", "output_stream: string = 'stderr'; end: string = ''", true},
    // Function calls and functional control flow.
    {"PartitionedCall", "args: Tin", "output: Tout", kCallAttrs, false},
    {"StatefulPartitionedCall", "args: Tin", "output: Tout", kCallAttrs, true},
    {"While", "input: T", "output: T",
     "T: list(type); cond: func; body: func; output_shapes: list(shape) = []; parallel_iterations: int = 10",
     true},
    {"StatelessWhile", "input: T", "output: T",
     "T: list(type); cond: func; body: func; output_shapes: list(shape) = []; parallel_iterations: int = 10",
     false},
    {"If", "cond: Tcond; input: Tin", "output: Tout",
     "Tcond: type; Tin: list(type); Tout: list(type); then_branch: func; else_branch: func; "
     "output_shapes: list(shape) = []",
     true},
    {"StatelessIf", "cond: Tcond; input: Tin", "output: Tout",
     "Tcond: type; Tin: list(type); Tout: list(type); then_branch: func; else_branch: func; "
     "output_shapes: list(shape) = []",
     false},
    {"Case", "branch_index: int32; input: Tin", "output: Tout",
     "Tin: list(type); Tout: list(type); branches: list(func); output_shapes: list(shape) = []", true},
    {"StatelessCase", "branch_index: int32; input: Tin", "output: Tout",
     "Tin: list(type); Tout: list(type); branches: list(func); output_shapes: list(shape) = []", false},
    // Attributes added after TF 1.x exports (defaults matter for old graphs).
    {"ResizeBilinear", "images: T; size: int32", "resized_images: float",
     "T: type; align_corners: bool = false; half_pixel_centers: bool = false", false},
    {"ResizeNearestNeighbor", "images: T; size: int32", "resized_images: T",
     "T: type; align_corners: bool = false; half_pixel_centers: bool = false", false},
};

OpSchemaSet* BuildBuiltin() {
  auto* set = new OpSchemaSet();
  for (const BuiltinSpec& s : kSpecs) {
    auto schema = ParseOpSpec(s.name, s.inputs, s.outputs, s.attrs, s.stateful);
    CHECK(schema.ok()) << "bad builtin op spec: " << schema.status().ToString();
    set->Add(std::move(*schema));
  }
  return set;
}

}  // namespace

const OpSchemaSet& OpSchemaSet::Builtin() {
  static const OpSchemaSet* set = BuildBuiltin();
  return *set;
}

}  // namespace stfs
