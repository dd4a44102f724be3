// The kernel registry table. Keep each section sorted by op name; the
// table is sorted once at first use and a test checks for duplicates.
#include "kernels/registry.h"

#include <algorithm>
#include <vector>

// Family headers (each declares its factories).
// [families]
#include "kernels/control_ops.h"       // exec
#include "kernels/function_ops.h"      // exec
#include "kernels/tensor_list_ops.h"   // exec
#include "kernels/io_ops.h"            // exec
#include "kernels/state_ops.h"         // exec
#include "kernels/tensor_array_ops.h"  // exec
#include "kernels/bucketize_ops.h"  // kernels-array
#include "kernels/concat_split.h"  // kernels-array
#include "kernels/fill_ops.h"      // kernels-array
#include "kernels/gather_ops.h"    // kernels-array
#include "kernels/image_ops.h"     // kernels-array
#include "kernels/parse_example.h"  // kernels-array
#include "kernels/shape_ops.h"     // kernels-array
#include "kernels/slice_ops.h"     // kernels-array
#include "kernels/sparse_ops.h"    // kernels-array
#include "kernels/string_ops.h"    // kernels-array
#include "kernels/lookup_ops.h"       // kernels-misc
#include "kernels/random_ops.h"       // kernels-misc
#include "kernels/resource_gather.h"  // kernels-misc
#include "kernels/elementwise.h"  // kernels-math
#include "kernels/matmul.h"  // kernels-math
#include "kernels/nn_ops.h"  // kernels-math
#include "kernels/xent_ops.h"  // kernels-math
#include "kernels/reduction_ops.h"  // kernels-math

namespace stfs::kernels {
namespace {

const std::vector<KernelRegistration> kKernels = {
    // ---- math, nn, reductions, matmul, conv (kernels-math) ----
    {"Abs", CreateAbs},
    {"Add", CreateAdd},
    {"AddN", CreateAddN},
    {"AddV2", CreateAddV2},
    {"Cast", CreateCast},
    {"Ceil", CreateCeil},
    {"ClipByValue", CreateClipByValue},
    {"Cos", CreateCos},
    {"Div", CreateDiv},
    {"DivNoNan", CreateDivNoNan},
    {"Elu", CreateElu},
    {"Equal", CreateEqual},
    {"Erf", CreateErf},
    {"Exp", CreateExp},
    {"Expm1", CreateExpm1},
    {"Floor", CreateFloor},
    {"FloorDiv", CreateFloorDiv},
    {"FloorMod", CreateFloorMod},
    {"Greater", CreateGreater},
    {"GreaterEqual", CreateGreaterEqual},
    {"Inv", CreateReciprocal},
    {"IsFinite", CreateIsFinite},
    {"IsInf", CreateIsInf},
    {"IsNan", CreateIsNan},
    {"LeakyRelu", CreateLeakyRelu},
    {"Less", CreateLess},
    {"LessEqual", CreateLessEqual},
    {"Log", CreateLog},
    {"Log1p", CreateLog1p},
    {"LogicalAnd", CreateLogicalAnd},
    {"LogicalNot", CreateLogicalNot},
    {"LogicalOr", CreateLogicalOr},
    {"Maximum", CreateMaximum},
    {"Minimum", CreateMinimum},
    {"Mul", CreateMul},
    {"MulNoNan", CreateMulNoNan},
    {"Neg", CreateNeg},
    {"NotEqual", CreateNotEqual},
    {"OnesLike", CreateOnesLike},
    {"Pow", CreatePow},
    {"RealDiv", CreateRealDiv},
    {"Reciprocal", CreateReciprocal},
    {"Relu", CreateRelu},
    {"Relu6", CreateRelu6},
    {"Rint", CreateRint},
    {"Round", CreateRound},
    {"Rsqrt", CreateRsqrt},
    {"Select", CreateSelect},
    {"SelectV2", CreateSelectV2},
    {"Selu", CreateSelu},
    {"Sigmoid", CreateSigmoid},
    {"Sign", CreateSign},
    {"Sin", CreateSin},
    {"Softplus", CreateSoftplus},
    {"Softsign", CreateSoftsign},
    {"Sqrt", CreateSqrt},
    {"Square", CreateSquare},
    {"SquaredDifference", CreateSquaredDifference},
    {"Sub", CreateSub},
    {"Tanh", CreateTanh},
    {"TruncateDiv", CreateTruncateDiv},
    {"TruncateMod", CreateTruncateMod},
    {"ZerosLike", CreateZerosLike},
    {"All", CreateAll},
    {"Any", CreateAny},
    {"ArgMax", CreateArgMax},
    {"ArgMin", CreateArgMin},
    {"AvgPool", CreateAvgPool},
    {"BatchMatMul", CreateBatchMatMul},
    {"BatchMatMulV2", CreateBatchMatMulV2},
    {"BatchMatMulV3", CreateBatchMatMulV2},
    {"BiasAdd", CreateBiasAdd},
    {"BiasAddV1", CreateBiasAdd},
    {"Conv2D", CreateConv2D},
    {"Cumprod", CreateCumprod},
    {"Cumsum", CreateCumsum},
    {"DepthwiseConv2dNative", CreateDepthwiseConv2dNative},
    {"Einsum", CreateEinsum},
    {"EuclideanNorm", CreateEuclideanNorm},
    {"FusedBatchNorm", CreateFusedBatchNorm},
    {"FusedBatchNormV2", CreateFusedBatchNorm},
    {"FusedBatchNormV3", CreateFusedBatchNorm},
    {"InTopKV2", CreateInTopKV2},
    {"L2Loss", CreateL2Loss},
    {"LogSoftmax", CreateLogSoftmax},
    {"MatMul", CreateMatMul},
    {"Max", CreateMax},
    {"MaxPool", CreateMaxPool},
    {"MaxPoolV2", CreateMaxPoolV2},
    {"Mean", CreateMean},
    {"Min", CreateMin},
    {"Prod", CreateProd},
    {"Softmax", CreateSoftmax},
    {"SparseSoftmaxCrossEntropyWithLogits", CreateSparseSoftmaxCrossEntropyWithLogits},
    {"Sum", CreateSum},
    {"TopKV2", CreateTopKV2},
    // ---- end kernels-math ----

    // ---- array, shape, strings, parsing, sparse, images (kernels-array) ----
    {"AsString", CreateAsString},
    {"BoostedTreesBucketize", CreateBoostedTreesBucketize},
    {"BroadcastTo", CreateBroadcastTo},
    {"Bucketize", CreateBucketize},
    {"Concat", CreateConcat},
    {"ConcatV2", CreateConcatV2},
    {"DecodeAndCropJpeg", CreateDecodeAndCropJpeg},
    {"DecodeBase64", CreateDecodeBase64},
    {"DecodeBmp", CreateDecodeImage},
    {"DecodeGif", CreateDecodeImage},
    {"DecodeImage", CreateDecodeImage},
    {"DecodeJpeg", CreateDecodeImage},
    {"DecodePng", CreateDecodeImage},
    {"DecodeWebP", CreateDecodeImage},
    {"EncodeBase64", CreateEncodeBase64},
    {"EnsureShape", CreateEnsureShape},
    {"ExpandDims", CreateExpandDims},
    {"ExtractJpegShape", CreateExtractJpegShape},
    {"Fill", CreateFill},
    {"Gather", CreateGather},
    {"GatherNd", CreateGatherNd},
    {"GatherV2", CreateGatherV2},
    {"LowerBound", CreateLowerBound},
    {"MirrorPad", CreateMirrorPad},
    {"OneHot", CreateOneHot},
    {"Pack", CreatePack},
    {"Pad", CreatePad},
    {"PadV2", CreatePad},
    {"ParseExample", CreateParseExample},
    {"ParseExampleV2", CreateParseExampleV2},
    {"ParseSingleExample", CreateParseSingleExample},
    {"Range", CreateRange},
    {"Rank", CreateRank},
    {"Reshape", CreateReshape},
    {"ResizeBilinear", CreateResizeBilinear},
    {"ResizeNearestNeighbor", CreateResizeNearestNeighbor},
    {"ReverseV2", CreateReverseV2},
    {"ScatterNd", CreateScatterNd},
    {"SegmentSum", CreateSegmentSum},
    {"Shape", CreateShape},
    {"ShapeN", CreateShapeN},
    {"Size", CreateSize},
    {"Slice", CreateSlice},
    {"SparseFillEmptyRows", CreateSparseFillEmptyRows},
    {"SparseReshape", CreateSparseReshape},
    {"SparseSegmentMean", CreateSparseSegmentReduction},
    {"SparseSegmentMeanWithNumSegments", CreateSparseSegmentReduction},
    {"SparseSegmentSqrtN", CreateSparseSegmentReduction},
    {"SparseSegmentSqrtNWithNumSegments", CreateSparseSegmentReduction},
    {"SparseSegmentSum", CreateSparseSegmentReduction},
    {"SparseSegmentSumWithNumSegments", CreateSparseSegmentReduction},
    {"SparseToDense", CreateSparseToDense},
    {"Split", CreateSplit},
    {"SplitV", CreateSplitV},
    {"Squeeze", CreateSqueeze},
    {"StridedSlice", CreateStridedSlice},
    {"StringJoin", CreateStringJoin},
    {"StringLength", CreateStringLength},
    {"StringSplit", CreateStringSplit},
    {"StringSplitV2", CreateStringSplitV2},
    {"StringToHashBucketFast", CreateStringToHashBucketFast},
    {"StringToNumber", CreateStringToNumber},
    {"Substr", CreateSubstr},
    {"TensorScatterUpdate", CreateTensorScatterUpdate},
    {"Tile", CreateTile},
    {"Transpose", CreateTranspose},
    {"Unique", CreateUnique},
    {"Unpack", CreateUnpack},
    {"UnsortedSegmentSum", CreateUnsortedSegmentSum},
    {"UpperBound", CreateUpperBound},
    {"Where", CreateWhere},

    // ---- kernels-misc: lookup tables, random, resource gathers ----
    {"HashTableV2", CreateHashTableV2, true},
    {"InitializeTableFromTextFileV2", CreateInitializeTableFromTextFileV2, true},
    {"InitializeTableV2", CreateInitializeTableV2, true},
    {"LookupTableExportV2", CreateLookupTableExportV2, true},
    {"LookupTableFindV2", CreateLookupTableFindV2, true},
    {"LookupTableImportV2", CreateLookupTableImportV2, true},
    {"LookupTableInsertV2", CreateLookupTableInsertV2, true},
    {"LookupTableRemoveV2", CreateLookupTableRemoveV2, true},
    {"LookupTableSizeV2", CreateLookupTableSizeV2, true},
    {"MutableHashTableV2", CreateMutableHashTableV2, true},
    {"RandomStandardNormal", CreateRandomStandardNormal, true},
    {"RandomUniform", CreateRandomUniform, true},
    {"RandomUniformInt", CreateRandomUniformInt, true},
    {"ResourceGather", CreateResourceGather, true},
    {"ResourceGatherNd", CreateResourceGatherNd, true},
    {"TruncatedNormal", CreateTruncatedNormal, true},
    // ---- end kernels-misc ----

    // ---- state, control flow, functions, io (exec) ----
    // (Switch, Merge, Enter, Exit, NextIteration, LoopCond, ControlTrigger and
    // their Ref variants are executed natively by exec/executor.cc.)
    {"Assert", CreateAssert, true},
    {"Assign", CreateAssign, true},
    {"AssignAdd", CreateAssignAdd, true},
    {"AssignAddVariableOp", CreateAssignAddVariableOp, true},
    {"AssignSub", CreateAssignSub, true},
    {"AssignSubVariableOp", CreateAssignSubVariableOp, true},
    {"AssignVariableOp", CreateAssignVariableOp, true},
    {"Const", CreateConst},
    {"DestroyResourceOp", CreateDestroyResourceOp, true},
    {"Identity", CreateIdentity},
    {"IdentityN", CreateIdentity},
    {"IsVariableInitialized", CreateIsVariableInitialized, true},
    {"NoOp", CreateNoOp},
    {"Placeholder", CreatePlaceholder},
    {"PlaceholderWithDefault", CreatePlaceholderWithDefault},
    {"PreventGradient", CreateIdentity},
    {"Print", CreatePrint, true},
    {"PrintV2", CreatePrintV2, true},
    {"ReadFile", CreateReadFile},
    {"ReadVariableOp", CreateReadVariableOp, true},
    {"RefIdentity", CreateRefIdentity},
    {"RestoreV2", CreateRestoreV2, true},
    {"Snapshot", CreateIdentity},
    {"StopGradient", CreateIdentity},
    {"TensorArrayCloseV3", CreateTensorArrayCloseV3, true},
    {"TensorArrayConcatV3", CreateTensorArrayConcatV3, true},
    {"TensorArrayGatherV3", CreateTensorArrayGatherV3, true},
    {"TensorArrayReadV3", CreateTensorArrayReadV3, true},
    {"TensorArrayScatterV3", CreateTensorArrayScatterV3, true},
    {"TensorArraySizeV3", CreateTensorArraySizeV3, true},
    {"TensorArraySplitV3", CreateTensorArraySplitV3, true},
    {"TensorArrayV3", CreateTensorArrayV3, true},
    {"TensorArrayWriteV3", CreateTensorArrayWriteV3, true},
    {"VarHandleOp", CreateVarHandleOp, true},
    {"VarIsInitializedOp", CreateVarIsInitializedOp, true},
    {"Variable", CreateVariableV2, true},
    {"VariableV2", CreateVariableV2, true},
    // Function calls and functional control flow (kernels/function_ops.h).
    {"_StfsFunctionCall", CreateFunctionCall, true},
    {"Case", CreateCase, true},
    {"If", CreateIf, true},
    {"PartitionedCall", CreatePartitionedCall},
    {"StatefulPartitionedCall", CreatePartitionedCall, true},
    {"StatelessCase", CreateCase},
    {"StatelessIf", CreateIf},
    {"StatelessWhile", CreateWhile},
    {"While", CreateWhile, true},
    // TensorList (kernels/tensor_list_ops.h).
    {"EmptyTensorList", CreateTensorListOp},
    {"TensorListConcat", CreateTensorListOp},
    {"TensorListConcatV2", CreateTensorListOp},
    {"TensorListElementShape", CreateTensorListOp},
    {"TensorListFromTensor", CreateTensorListOp},
    {"TensorListGather", CreateTensorListOp},
    {"TensorListGetItem", CreateTensorListOp},
    {"TensorListLength", CreateTensorListOp},
    {"TensorListPopBack", CreateTensorListOp},
    {"TensorListPushBack", CreateTensorListOp},
    {"TensorListReserve", CreateTensorListOp},
    {"TensorListResize", CreateTensorListOp},
    {"TensorListScatter", CreateTensorListOp},
    {"TensorListScatterV2", CreateTensorListOp},
    {"TensorListSetItem", CreateTensorListOp},
    {"TensorListSplit", CreateTensorListOp},
    {"TensorListStack", CreateTensorListOp},
    // ---- end exec ----
};

std::vector<KernelRegistration> SortedTable() {
  std::vector<KernelRegistration> v;
  for (const auto& k : kKernels) v.push_back(k);
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.op < b.op; });
  return v;
}

const std::vector<KernelRegistration>& Table() {
  static const std::vector<KernelRegistration> table = SortedTable();
  return table;
}

}  // namespace

std::span<const KernelRegistration> AllKernels() { return Table(); }

const KernelRegistration* FindKernel(std::string_view op) {
  const auto& t = Table();
  auto it = std::lower_bound(t.begin(), t.end(), op,
                             [](const KernelRegistration& k, std::string_view o) { return k.op < o; });
  return it != t.end() && it->op == op ? &*it : nullptr;
}

}  // namespace stfs::kernels
