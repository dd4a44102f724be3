// Helpers shared by the array / shape / string / parsing kernel families
// (kernels-array): reading index tensors, dtype-generic element copies, and a
// factory template. Stateless free functions; thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "exec/op_kernel.h"

namespace stfs::kernels {

// Factory for kernels with a default constructor and `Status Init(const KernelInit&)`.
template <typename K>
StatusOr<std::unique_ptr<OpKernel>> MakeKernel(const KernelInit& init) {
  auto kernel = std::make_unique<K>();
  RETURN_IF_ERROR(kernel->Init(init));
  return std::unique_ptr<OpKernel>(std::move(kernel));
}

// Base for kernels without attributes.
class NoAttrKernel : public OpKernel {
 public:
  Status Init(const KernelInit&) { return Status::OK(); }
};

// Values of an int32 / int64 tensor of rank <= 1 as int64 ("what" names the
// input in errors: "shape must be a vector of int32 or int64, got float[2]").
StatusOr<std::vector<int64_t>> ReadIntVector(const Tensor& t, std::string_view what);
// Same, but any rank (flattened).
StatusOr<std::vector<int64_t>> ReadIntFlat(const Tensor& t, std::string_view what);
// A scalar (or one-element) int32 / int64 tensor.
StatusOr<int64_t> ReadIntScalar(const Tensor& t, std::string_view what);
// Value i of an int32 / int64 tensor (caller checked the dtype).
inline int64_t IntAt(const Tensor& t, int64_t i) {
  return t.dtype() == DType::kInt32 ? t.data<int32_t>()[i] : t.data<int64_t>()[i];
}
// InvalidArgument unless t is int32 or int64.
Status CheckIntDType(const Tensor& t, std::string_view what);

// Canonicalises axis in [-rank, rank) to [0, rank), or returns an error
// naming `what`.
StatusOr<int> CanonicalAxis(int64_t axis, int rank, std::string_view what);

// Copies n elements of any dtype (element-wise for strings / variants).
void CopyElements(const Tensor& src, int64_t src_index, Tensor* dst, int64_t dst_index,
                  int64_t n);

// out (already allocated, same dtype as in) gets, at multi-index (i_0..i_{r-1}),
// the element of `in` at flat offset sum_k offsets[k][i_k]; offsets[k] has
// out.dim(k) entries. One routine for Slice, StridedSlice, Transpose, Tile,
// BroadcastTo, ReverseV2 and MirrorPad.
void GatherByOffsets(const Tensor& in, const std::vector<std::vector<int64_t>>& offsets,
                     Tensor* out);

// Row-major strides of a shape (in elements).
std::vector<int64_t> Strides(const Shape& shape);

// "[1,2,3]" for error messages.
std::string VecString(const std::vector<int64_t>& v);

}  // namespace stfs::kernels
