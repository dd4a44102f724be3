// NumPy-style broadcasting for elementwise kernels.
//
// BroadcastShapes() computes the result shape of two operands. BroadcastPlan
// describes how N operands map onto that result with adjacent compatible
// dimensions merged, so the common cases collapse to one long contiguous row
// ("same shape") or a row with a stride-0 operand ("scalar"). Kernels iterate
// the plan row by row with ForEachBroadcastRow and run a tight, vectorisable
// inner loop per row (innermost strides are always 0 or 1).
//
// Plain data; thread-compatible (build once per Compute, read from many shards).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "base/status.h"
#include "tensor/shape.h"

namespace stfs::kernels {

// The broadcast of a and b; InvalidArgument "Incompatible shapes: [2,3] vs. [4]".
StatusOr<Shape> BroadcastShapes(const Shape& a, const Shape& b);
// True if the shapes broadcast (no error allocation).
bool ShapesBroadcast(const Shape& a, const Shape& b);

struct BroadcastPlan {
  Shape out_shape;
  // Merged output dims; never empty ({1} for a single-element output).
  std::vector<int64_t> dims;
  // strides[j][d]: element stride of operand j along merged dim d (0 = broadcast).
  std::vector<std::vector<int64_t>> strides;

  int64_t inner() const { return dims.back(); }
  int64_t rows() const {
    int64_t r = 1;
    for (size_t d = 0; d + 1 < dims.size(); ++d) r *= dims[d];
    return r;
  }
};

// Plan for broadcasting all `shapes` together (any count >= 1).
StatusOr<BroadcastPlan> MakeBroadcastPlan(std::span<const Shape> shapes);

// Calls fn(offsets, out_offset) for rows [begin, end) of the plan, where
// offsets[j] is operand j's element offset at the start of the row and
// out_offset = row * plan.inner(). Each row has plan.inner() elements and operand
// j advances by plan.strides[j].back() (0 or 1) per element.
template <size_t N, typename Fn>
void ForEachBroadcastRow(const BroadcastPlan& plan, int64_t begin, int64_t end, Fn&& fn) {
  const int outer = static_cast<int>(plan.dims.size()) - 1;
  std::array<int64_t, N> off{};
  std::vector<int64_t> idx(outer > 0 ? outer : 1, 0);
  // Decompose `begin` into an index over the outer dims.
  int64_t r = begin;
  for (int d = outer - 1; d >= 0; --d) {
    idx[d] = r % plan.dims[d];
    r /= plan.dims[d];
    for (size_t j = 0; j < N; ++j) off[j] += idx[d] * plan.strides[j][d];
  }
  const int64_t inner = plan.inner();
  for (int64_t row = begin; row < end; ++row) {
    fn(off, row * inner);
    // Odometer increment over the outer dims.
    for (int d = outer - 1; d >= 0; --d) {
      for (size_t j = 0; j < N; ++j) off[j] += plan.strides[j][d];
      if (++idx[d] < plan.dims[d]) break;
      for (size_t j = 0; j < N; ++j) off[j] -= plan.strides[j][d] * plan.dims[d];
      idx[d] = 0;
    }
  }
}

}  // namespace stfs::kernels
