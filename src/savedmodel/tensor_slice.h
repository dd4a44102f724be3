// Tensor slices as TensorFlow's checkpoints describe them: one extent
// (start, length) per dimension, length -1 meaning "the whole dimension".
// Also the checkpoint key encoding of (tensor name, slice) used by
// partitioned variables (TensorFlow's EncodeTensorNameSlice, built on
// OrderedCode), and an N-d copy between slices of the same full tensor.
// All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "proto/tensor_slice.pb.h"
#include "tensor/shape.h"
#include "tensor/tensor.h"

namespace stfs {

struct SliceExtent {
  int64_t start = 0;
  int64_t length = -1;  // -1: full extent
  bool full() const { return length < 0; }
  bool operator==(const SliceExtent& o) const { return start == o.start && length == o.length; }
};
using TensorSlice = std::vector<SliceExtent>;

// "-:0,10" style slice strings ('-' = full dim; "start,length" otherwise).
StatusOr<TensorSlice> ParseSliceString(std::string_view s);
std::string SliceToString(const TensorSlice& slice);

// RestoreV2's shape_and_slice spec "d0 d1 ... <slice string>", e.g.
// "1000 1 0,1000:0,1". Validates that the slice fits the shape.
Status ParseShapeAndSlice(std::string_view spec, Shape* full_shape, TensorSlice* slice);

// Shape of `slice` taken from a tensor of `full` shape (rank and bounds checked).
StatusOr<Shape> SliceShape(const TensorSlice& slice, const Shape& full);
// Replaces full extents by [0, dim). Requires a slice valid for `full`.
TensorSlice ResolveSlice(const TensorSlice& slice, const Shape& full);
// Intersection of two resolved slices; false if they do not overlap.
bool IntersectSlices(const TensorSlice& a, const TensorSlice& b, TensorSlice* out);

TensorSlice SliceFromProto(const tensorflow::TensorSliceProto& proto);
void SliceToProto(const TensorSlice& slice, tensorflow::TensorSliceProto* proto);

// Checkpoint key of one stored slice of `name` (binary; starts with '\0').
std::string EncodeTensorNameSlice(std::string_view name, const TensorSlice& slice);
Status DecodeTensorNameSlice(std::string_view code, std::string* name, TensorSlice* slice);

// OrderedCode primitives (exposed for tests).
namespace ordered_code {
void WriteNumIncreasing(std::string* dest, uint64_t v);
void WriteSignedNumIncreasing(std::string* dest, int64_t v);
void WriteString(std::string* dest, std::string_view s);
bool ReadNumIncreasing(std::string_view* src, uint64_t* v);
bool ReadSignedNumIncreasing(std::string_view* src, int64_t* v);
bool ReadString(std::string_view* src, std::string* s);
}  // namespace ordered_code

// Copies the elements of `region` (resolved, in full-tensor coordinates) from
// `src`, which holds resolved slice `src_slice`, into `dst`, which holds
// resolved slice `dst_slice`. Both must contain the region and share dtype.
Status CopySliceRegion(const Tensor& src, const TensorSlice& src_slice, Tensor* dst,
                       const TensorSlice& dst_slice, const TensorSlice& region);

}  // namespace stfs
