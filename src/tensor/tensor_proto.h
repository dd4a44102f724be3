// Conversion between stfs::Tensor / Shape and tensorflow::TensorProto /
// TensorShapeProto with TensorFlow's exact decoding rules.
//
// Decoding (TensorFromProto):
//   - the shape is validated (known rank, no negative dims, at most 254 dims,
//     element count and byte size bounded) before anything is allocated;
//   - non-empty tensor_content is the raw little-endian row-major element bytes
//     and must have exactly NumElements * sizeof(T) bytes (DT_STRING: the
//     varint32-length-prefixed string list TensorFlow uses);
//   - otherwise the typed field of the dtype is used (half/bfloat16 bits in
//     half_val; int8/16/32, uint8/16 and quantized types in int_val;
//     (re, im) pairs in scomplex_val/dcomplex_val); fewer values than elements
//     repeat the LAST value, no values means zeros / empty strings, more
//     values than elements is an error;
//   - DT_VARIANT values and reference dtypes are rejected with a clear error.
// All functions are pure and thread-safe; errors never abort.
#pragma once

#include "base/status.h"
#include "proto/tensor.pb.h"
#include "proto/tensor_shape.pb.h"
#include "tensor/shape.h"
#include "tensor/tensor.h"

namespace stfs {

// Largest decoded tensor (element storage) a TensorProto may expand to via
// the repeat-last-value rule; bounds allocations driven by untrusted protos.
constexpr int64_t kMaxProtoTensorBytes = int64_t{4} << 30;
// TensorFlow's limit on the rank of a tensor.
constexpr int kMaxTensorRank = 254;

StatusOr<Tensor> TensorFromProto(const tensorflow::TensorProto& proto);

// Fills `proto` (cleared first). POD dtypes go to tensor_content when
// `use_tensor_content`, else to the typed fields; strings always use
// string_val. DT_VARIANT tensors with elements are not supported.
Status TensorToProto(const Tensor& t, tensorflow::TensorProto* proto,
                     bool use_tensor_content = false);

// unknown_rank -> PartialShape(); size -1 -> unknown dim; other negative
// sizes, unknown_rank with dims, or rank > 254 are errors.
StatusOr<PartialShape> PartialShapeFromProto(const tensorflow::TensorShapeProto& proto);
// Requires a fully defined shape (known rank, all dims >= 0, bounded count).
StatusOr<Shape> ShapeFromProto(const tensorflow::TensorShapeProto& proto);

void ShapeToProto(const Shape& shape, tensorflow::TensorShapeProto* proto);
void ShapeToProto(const PartialShape& shape, tensorflow::TensorShapeProto* proto);

}  // namespace stfs
