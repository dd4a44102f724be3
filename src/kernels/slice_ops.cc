#include "kernels/slice_ops.h"

#include <algorithm>

#include "kernels/array_util.h"

namespace stfs::kernels {
namespace {

// Builds offsets for GatherByOffsets from per-dim (begin, stride, size) over `in`.
std::vector<std::vector<int64_t>> RangeOffsets(const Shape& in, const std::vector<int64_t>& begin,
                                               const std::vector<int64_t>& stride,
                                               const std::vector<int64_t>& size) {
  const std::vector<int64_t> strides = Strides(in);
  std::vector<std::vector<int64_t>> offsets(in.rank());
  for (int d = 0; d < in.rank(); ++d) {
    offsets[d].resize(size[d]);
    for (int64_t j = 0; j < size[d]; ++j) offsets[d][j] = (begin[d] + j * stride[d]) * strides[d];
  }
  return offsets;
}

class SliceOp : public NoAttrKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    ASSIGN_OR_RETURN(std::vector<int64_t> begin, ReadIntVector(ctx->input(1), "begin"));
    ASSIGN_OR_RETURN(std::vector<int64_t> size, ReadIntVector(ctx->input(2), "size"));
    const int rank = in.rank();
    if (static_cast<int>(begin.size()) != rank || static_cast<int>(size.size()) != rank) {
      return InvalidArgument("Expected begin and size arguments to be 1-D tensors of size ", rank,
                             ", but got shapes ", ctx->input(1).shape().ToString(), " and ",
                             ctx->input(2).shape().ToString(), " instead.");
    }
    for (int d = 0; d < rank; ++d) {
      const int64_t dim = in.dim(d);
      if (size[d] == -1) size[d] = dim - begin[d];
      if (begin[d] < 0 || begin[d] > dim || size[d] < 0 || begin[d] + size[d] > dim) {
        return InvalidArgument("Expected begin[", d, "] in [0, ", dim, "] and size[", d, "] in [0, ",
                               dim - begin[d], "], but got begin ", begin[d], " and size ", size[d],
                               " (input shape ", in.shape().ToString(), ")");
      }
    }
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(in.dtype(), Shape(size)));
    GatherByOffsets(in, RangeOffsets(in.shape(), begin, std::vector<int64_t>(rank, 1), size), &out);
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }
};

constexpr int kNewAxis = -1;
constexpr int kShrinkAxis = -2;

class StridedSliceOp : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    begin_mask_ = init.attrs.GetIntOr("begin_mask", 0);
    end_mask_ = init.attrs.GetIntOr("end_mask", 0);
    ellipsis_mask_ = init.attrs.GetIntOr("ellipsis_mask", 0);
    new_axis_mask_ = init.attrs.GetIntOr("new_axis_mask", 0);
    shrink_mask_ = init.attrs.GetIntOr("shrink_axis_mask", 0);
    if (ellipsis_mask_ & (ellipsis_mask_ - 1)) {
      return InvalidArgument("Multiple ellipses in slice spec not allowed (ellipsis_mask = ",
                             ellipsis_mask_, ")");
    }
    return Status::OK();
  }

  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    const Tensor& b_t = ctx->input(1);
    const Tensor& e_t = ctx->input(2);
    const Tensor& s_t = ctx->input(3);
    if (b_t.rank() != 1 || e_t.shape() != b_t.shape() || s_t.shape() != b_t.shape()) {
      return InvalidArgument("Expected begin, end, and strides to be 1D equal size tensors, but got shapes ",
                             b_t.shape().ToString(), ", ", e_t.shape().ToString(), ", and ",
                             s_t.shape().ToString(), " instead.");
    }
    ASSIGN_OR_RETURN(std::vector<int64_t> sb, ReadIntVector(b_t, "begin"));
    ASSIGN_OR_RETURN(std::vector<int64_t> se, ReadIntVector(e_t, "end"));
    ASSIGN_OR_RETURN(std::vector<int64_t> ss, ReadIntVector(s_t, "strides"));
    int sparse_dims = static_cast<int>(sb.size());
    if (sparse_dims > 62) return InvalidArgument("too many slice dimensions: ", sparse_dims);
    int64_t ellipsis = ellipsis_mask_;
    // No ellipsis: an implicit one at the end keeps the remaining dims whole.
    if (ellipsis == 0) {
      ellipsis = int64_t{1} << sparse_dims;
      sb.push_back(0);
      se.push_back(0);
      ss.push_back(1);
      ++sparse_dims;
    }
    int ellipsis_pos = 0;
    while (!((ellipsis >> ellipsis_pos) & 1)) ++ellipsis_pos;
    int new_after_ellipsis = 0;
    for (int i = ellipsis_pos + 1; i < sparse_dims; ++i) {
      if ((new_axis_mask_ >> i) & 1) ++new_after_ellipsis;
    }

    // Sparse spec -> dense spec (one entry per input dim).
    const int rank = in.rank();
    std::vector<int64_t> db(rank, 0), de(rank, 0), ds(rank, 1);
    std::vector<bool> dbm(rank, false), dem(rank, false), dshrink(rank, false);
    std::vector<int> gather;  // final shape: input dim, kNewAxis or kShrinkAxis
    int full = 0;
    for (int i = 0; i < sparse_dims; ++i) {
      if ((ellipsis >> i) & 1) {
        const int next = std::min(rank - (sparse_dims - i) + 1 + new_after_ellipsis, rank);
        for (; full < next; ++full) {
          dbm[full] = dem[full] = true;
          gather.push_back(full);
        }
      } else if ((new_axis_mask_ >> i) & 1) {
        gather.push_back(kNewAxis);
      } else {
        if (full >= rank) {
          return InvalidArgument("Index out of range using input dim ", full, "; input has only ",
                                 rank, " dims");
        }
        db[full] = sb[i];
        de[full] = se[i];
        ds[full] = ss[i];
        dbm[full] = (begin_mask_ >> i) & 1;
        dem[full] = (end_mask_ >> i) & 1;
        if ((shrink_mask_ >> i) & 1) {
          dshrink[full] = true;
          gather.push_back(kShrinkAxis);
        } else {
          gather.push_back(full);
        }
        ++full;
      }
    }

    std::vector<int64_t> begin(rank), stride(rank), size(rank);
    for (int d = 0; d < rank; ++d) {
      const int64_t dim = in.dim(d);
      const int64_t st = ds[d];
      if (st == 0) return InvalidArgument("strides[", d, "] must be non-zero");
      if (dshrink[d]) {
        if (st <= 0) return InvalidArgument("only stride 1 allowed on non-range indexing.");
        const int64_t x = db[d] < 0 ? dim + db[d] : db[d];
        if (x < 0 || x >= dim) {
          return InvalidArgument("slice index ", db[d], " of dimension ", d, " out of bounds.");
        }
        begin[d] = x;
        stride[d] = 1;
        size[d] = 1;
        continue;
      }
      // Masked ends take the full range in the stride's direction; others wrap
      // negatives once and clamp.
      const int64_t lo = st > 0 ? 0 : -1, hi = st > 0 ? dim : dim - 1;
      auto canonical = [&](int64_t x, int c, bool masked) -> int64_t {
        if (masked) return (st > 0) == (c == 0) ? lo : hi;
        const int64_t fwd = x < 0 ? dim + x : x;
        return std::clamp(fwd, lo, hi);
      };
      const int64_t b = canonical(db[d], 0, dbm[d]);
      const int64_t e = canonical(de[d], 1, dem[d]);
      const int64_t len = e - b;
      int64_t n = 0;
      if (len != 0 && (len < 0) == (st < 0)) n = len / st + (len % st != 0 ? 1 : 0);
      begin[d] = b;
      stride[d] = st;
      size[d] = n;
    }
    std::vector<int64_t> final_dims;
    for (int g : gather) {
      if (g == kNewAxis) {
        final_dims.push_back(1);
      } else if (g >= 0) {
        final_dims.push_back(size[g]);
      }
    }
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(in.dtype(), Shape(size)));
    GatherByOffsets(in, RangeOffsets(in.shape(), begin, stride, size), &out);
    ASSIGN_OR_RETURN(Tensor shaped, out.Reshaped(Shape(final_dims)));
    ctx->set_output(0, std::move(shaped));
    return Status::OK();
  }

 private:
  int64_t begin_mask_ = 0, end_mask_ = 0, ellipsis_mask_ = 0, new_axis_mask_ = 0, shrink_mask_ = 0;
};

}  // namespace

StatusOr<std::unique_ptr<OpKernel>> CreateSlice(const KernelInit& init) { return MakeKernel<SliceOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateStridedSlice(const KernelInit& init) { return MakeKernel<StridedSliceOp>(init); }

}  // namespace stfs::kernels
