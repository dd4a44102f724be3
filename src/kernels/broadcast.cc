#include "kernels/broadcast.h"

#include <algorithm>

namespace stfs::kernels {

bool ShapesBroadcast(const Shape& a, const Shape& b) {
  const int ra = a.rank(), rb = b.rank();
  for (int i = 0; i < std::min(ra, rb); ++i) {
    const int64_t da = a.dim(ra - 1 - i), db = b.dim(rb - 1 - i);
    if (da != db && da != 1 && db != 1) return false;
  }
  return true;
}

StatusOr<Shape> BroadcastShapes(const Shape& a, const Shape& b) {
  if (!ShapesBroadcast(a, b)) {
    return InvalidArgument("Incompatible shapes: ", a.ToString(), " vs. ", b.ToString());
  }
  const int ra = a.rank(), rb = b.rank(), r = std::max(ra, rb);
  std::vector<int64_t> dims(r);
  for (int i = 0; i < r; ++i) {
    const int64_t da = i < ra ? a.dim(ra - 1 - i) : 1;
    const int64_t db = i < rb ? b.dim(rb - 1 - i) : 1;
    dims[r - 1 - i] = da == 1 ? db : da;  // 0 wins over 1 as NumPy does
  }
  return Shape(std::move(dims));
}

StatusOr<BroadcastPlan> MakeBroadcastPlan(std::span<const Shape> shapes) {
  BroadcastPlan plan;
  if (shapes.empty()) return InvalidArgument("broadcast of no operands");
  Shape out = shapes[0];
  for (size_t j = 1; j < shapes.size(); ++j) {
    ASSIGN_OR_RETURN(out, BroadcastShapes(out, shapes[j]));
  }
  const size_t n = shapes.size();
  const int r = out.rank();
  // has[j][d]: operand j spans output dim d (otherwise it is broadcast along it).
  std::vector<int64_t> dims;
  std::vector<std::vector<bool>> has(n);
  for (int d = 0; d < r; ++d) {
    const int64_t od = out.dim(d);
    if (od == 1) continue;  // size-1 output dims contribute nothing
    std::vector<bool> h(n);
    for (size_t j = 0; j < n; ++j) {
      const int rj = shapes[j].rank();
      const int k = d - (r - rj);
      h[j] = k >= 0 && shapes[j].dim(k) == od;
    }
    bool merge = !dims.empty();
    for (size_t j = 0; merge && j < n; ++j) merge = has[j].back() == h[j];
    if (merge) {
      dims.back() *= od;
    } else {
      dims.push_back(od);
      for (size_t j = 0; j < n; ++j) has[j].push_back(h[j]);
    }
  }
  if (dims.empty()) {
    dims.push_back(1);
    for (size_t j = 0; j < n; ++j) has[j].push_back(false);
  }
  plan.strides.assign(n, std::vector<int64_t>(dims.size(), 0));
  for (size_t j = 0; j < n; ++j) {
    int64_t running = 1;
    for (int d = static_cast<int>(dims.size()) - 1; d >= 0; --d) {
      if (has[j][d]) {
        plan.strides[j][d] = running;
        running *= dims[d];
      }
    }
  }
  plan.dims = std::move(dims);
  plan.out_shape = std::move(out);
  return plan;
}

}  // namespace stfs::kernels
