#include "kernels/fill_ops.h"

#include <cmath>
#include <type_traits>

#include "kernels/array_util.h"

namespace stfs::kernels {
namespace {

StatusOr<Shape> ShapeFromTensor(const Tensor& t, std::string_view what) {
  ASSIGN_OR_RETURN(std::vector<int64_t> dims, ReadIntVector(t, what));
  for (int64_t d : dims) {
    if (d < 0) return InvalidArgument(what, " must be non-negative, got ", VecString(dims));
  }
  return Shape::Create(std::move(dims));
}

class FillOp : public NoAttrKernel {
 public:
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(Shape shape, ShapeFromTensor(ctx->input(0), "dims"));
    const Tensor& value = ctx->input(1);
    if (value.rank() != 0) {
      return InvalidArgument("value must be a scalar, got shape ", value.shape().ToString());
    }
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(value.dtype(), std::move(shape)));
    // Broadcast the scalar by gathering offset 0 for every element.
    std::vector<std::vector<int64_t>> offsets;
    for (int d = 0; d < out.rank(); ++d) offsets.emplace_back(out.dim(d), 0);
    Tensor flat_value = value;
    GatherByOffsets(flat_value, offsets, &out);
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }
};

class RangeOp : public NoAttrKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const Tensor& start_t = ctx->input(0);
    const DType dt = start_t.dtype();
    for (int i = 0; i < 3; ++i) {
      if (ctx->input(i).NumElements() != 1 || ctx->input(i).dtype() != dt) {
        return InvalidArgument("start, limit and delta must be scalars of one dtype, got input ", i,
                               " ", ctx->input(i).DTypeShapeString());
      }
    }
    Status status;
    bool ok = DispatchDType(dt, [&]<typename T>() {
      if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
        const T start = ctx->input(0).data<T>()[0];
        const T limit = ctx->input(1).data<T>()[0];
        const T delta = ctx->input(2).data<T>()[0];
        if (delta == 0) { status = InvalidArgument("Requires delta != 0: ", delta); return; }
        if (delta > 0 && start > limit) {
          status = InvalidArgument("Requires start <= limit when delta > 0: ", start, "/", limit);
          return;
        }
        if (delta < 0 && start < limit) {
          status = InvalidArgument("Requires start >= limit when delta < 0: ", start, "/", limit);
          return;
        }
        double size_d;
        if constexpr (std::is_integral_v<T>) {
          const long double span = std::abs(static_cast<long double>(limit) - start);
          const long double step = std::abs(static_cast<long double>(delta));
          size_d = static_cast<double>(std::ceil(span / step));
        } else {
          size_d = std::ceil(std::abs((static_cast<double>(limit) - start) / delta));
        }
        if (!(size_d <= static_cast<double>(kMaxTensorElements))) {
          status = InvalidArgument("Requires the range size to be at most 2^40, got ", size_d);
          return;
        }
        auto out = Tensor::Create(dt, Shape{static_cast<int64_t>(size_d)});
        if (!out.ok()) { status = out.status(); return; }
        T* o = out->template data<T>();
        T v = start;
        for (int64_t i = 0; i < out->NumElements(); ++i) {
          o[i] = v;
          v += delta;  // accumulate like TF (matters for floats)
        }
        ctx->set_output(0, std::move(*out));
      } else {
        status = InvalidArgument("Range does not support dtype ", DTypeName(dt));
      }
    });
    if (!ok) return InvalidArgument("Range: invalid dtype");
    return status;
  }
};

class TileOp : public NoAttrKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    ASSIGN_OR_RETURN(std::vector<int64_t> mult, ReadIntVector(ctx->input(1), "multiples"));
    if (static_cast<int>(mult.size()) != in.rank()) {
      return InvalidArgument("Expected multiples argument to be a vector of length ", in.rank(),
                             " but got length ", mult.size());
    }
    std::vector<int64_t> dims(in.rank());
    for (int d = 0; d < in.rank(); ++d) {
      if (mult[d] < 0) return InvalidArgument("Expected multiples[", d, "] >= 0, but got ", mult[d]);
      if (in.dim(d) != 0 && mult[d] > kMaxTensorElements / in.dim(d)) {
        return InvalidArgument("Tile output is too large: multiples ", VecString(mult));
      }
      dims[d] = in.dim(d) * mult[d];
    }
    ASSIGN_OR_RETURN(Shape shape, Shape::Create(dims));
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(in.dtype(), std::move(shape)));
    if (out.NumElements() > 0) {
      const std::vector<int64_t> strides = Strides(in.shape());
      std::vector<std::vector<int64_t>> offsets(in.rank());
      for (int d = 0; d < in.rank(); ++d) {
        offsets[d].resize(dims[d]);
        for (int64_t j = 0; j < dims[d]; ++j) offsets[d][j] = (j % in.dim(d)) * strides[d];
      }
      GatherByOffsets(in, offsets, &out);
    }
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }
};

class TransposeOp : public NoAttrKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    ASSIGN_OR_RETURN(std::vector<int64_t> perm, ReadIntVector(ctx->input(1), "perm"));
    const int rank = in.rank();
    if (static_cast<int>(perm.size()) != rank) {
      return InvalidArgument("transpose expects a vector of size ", rank,
                             ". But input(1) is a vector of size ", perm.size());
    }
    std::vector<bool> seen(rank, false);
    for (int64_t p : perm) {
      if (p < 0 || p >= rank || seen[p]) {
        return InvalidArgument("perm ", VecString(perm), " is not a permutation of [0, ", rank, ")");
      }
      seen[p] = true;
    }
    const std::vector<int64_t> strides = Strides(in.shape());
    std::vector<int64_t> dims(rank);
    std::vector<std::vector<int64_t>> offsets(rank);
    for (int d = 0; d < rank; ++d) {
      dims[d] = in.dim(perm[d]);
      offsets[d].resize(dims[d]);
      for (int64_t j = 0; j < dims[d]; ++j) offsets[d][j] = j * strides[perm[d]];
    }
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(in.dtype(), Shape(dims)));
    GatherByOffsets(in, offsets, &out);
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }
};

class ReverseV2Op : public NoAttrKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    ASSIGN_OR_RETURN(std::vector<int64_t> axes, ReadIntVector(ctx->input(1), "axis"));
    const int rank = in.rank();
    std::vector<bool> rev(rank, false);
    for (int64_t a : axes) {
      ASSIGN_OR_RETURN(int ax, CanonicalAxis(a, rank, "reverse axis"));
      if (rev[ax]) return InvalidArgument("axis ", ax, " specified more than once.");
      rev[ax] = true;
    }
    const std::vector<int64_t> strides = Strides(in.shape());
    std::vector<std::vector<int64_t>> offsets(rank);
    for (int d = 0; d < rank; ++d) {
      const int64_t n = in.dim(d);
      offsets[d].resize(n);
      for (int64_t j = 0; j < n; ++j) offsets[d][j] = (rev[d] ? n - 1 - j : j) * strides[d];
    }
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(in.dtype(), in.shape()));
    GatherByOffsets(in, offsets, &out);
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }
};

class BroadcastToOp : public NoAttrKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    ASSIGN_OR_RETURN(Shape shape, ShapeFromTensor(ctx->input(1), "shape"));
    const int rank = shape.rank();
    if (in.rank() > rank) {
      return InvalidArgument("Unable to broadcast tensor of shape ", in.shape().ToString(),
                             " to tensor of shape ", shape.ToString());
    }
    const std::vector<int64_t> strides = Strides(in.shape());
    std::vector<std::vector<int64_t>> offsets(rank);
    const int lead = rank - in.rank();
    for (int d = 0; d < rank; ++d) {
      const int64_t n = shape.dim(d);
      int64_t in_dim = 1, stride = 0;
      if (d >= lead) {
        in_dim = in.dim(d - lead);
        stride = strides[d - lead];
      }
      if (in_dim != n && in_dim != 1) {
        return InvalidArgument("Unable to broadcast tensor of shape ", in.shape().ToString(),
                               " to tensor of shape ", shape.ToString());
      }
      offsets[d].resize(n);
      for (int64_t j = 0; j < n; ++j) offsets[d][j] = in_dim == 1 ? 0 : j * stride;
    }
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(in.dtype(), shape));
    GatherByOffsets(in, offsets, &out);
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }
};

class WhereOp : public NoAttrKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    std::vector<int64_t> hits;
    Status status;
    DispatchDType(in.dtype(), [&]<typename T>() {
      if constexpr (std::is_arithmetic_v<T>) {
        const T* p = in.data<T>();
        for (int64_t i = 0; i < in.NumElements(); ++i) {
          if (p[i] != T(0)) hits.push_back(i);
        }
      } else if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) {
        const T* p = in.data<T>();
        for (int64_t i = 0; i < in.NumElements(); ++i) {
          if (static_cast<float>(p[i]) != 0.0f) hits.push_back(i);
        }
      } else if constexpr (std::is_same_v<T, std::complex<float>> || std::is_same_v<T, std::complex<double>>) {
        const T* p = in.data<T>();
        for (int64_t i = 0; i < in.NumElements(); ++i) {
          if (p[i] != T(0)) hits.push_back(i);
        }
      } else {
        status = InvalidArgument("Where does not support dtype ", DTypeName(in.dtype()));
      }
    });
    RETURN_IF_ERROR(status);
    const int rank = in.rank();
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(DType::kInt64, Shape{static_cast<int64_t>(hits.size()), rank}));
    int64_t* o = out.data<int64_t>();
    for (int64_t flat : hits) {
      for (int d = rank - 1; d >= 0; --d) {
        o[d] = flat % in.dim(d);
        flat /= in.dim(d);
      }
      o += rank;
    }
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }
};

// paddings: [rank, 2] int32/int64.
StatusOr<std::vector<int64_t>> ReadPaddings(const Tensor& p, int rank) {
  if (p.rank() != 2 || p.dim(0) != rank || p.dim(1) != 2) {
    return InvalidArgument("paddings must be a matrix with 2 columns and ", rank,
                           " rows (the input rank), got shape ", p.shape().ToString());
  }
  ASSIGN_OR_RETURN(std::vector<int64_t> v, ReadIntFlat(p, "paddings"));
  for (int64_t x : v) {
    if (x < 0) return InvalidArgument("Paddings must be non-negative, got ", VecString(v));
  }
  return v;
}

class PadOp : public NoAttrKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    const int rank = in.rank();
    ASSIGN_OR_RETURN(std::vector<int64_t> pad, ReadPaddings(ctx->input(1), rank));
    Tensor fill;
    if (ctx->num_inputs() > 2) {
      fill = ctx->input(2);
      if (fill.NumElements() != 1 || fill.dtype() != in.dtype()) {
        return InvalidArgument("constant_values must be a scalar of dtype ", DTypeName(in.dtype()),
                               ", got ", fill.DTypeShapeString());
      }
    } else {
      ASSIGN_OR_RETURN(fill, Tensor::Create(in.dtype(), Shape{}));  // zero / empty string
    }
    std::vector<int64_t> dims(rank);
    for (int d = 0; d < rank; ++d) dims[d] = pad[2 * d] + in.dim(d) + pad[2 * d + 1];
    ASSIGN_OR_RETURN(Shape shape, Shape::Create(dims));
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(in.dtype(), shape));
    // Fill everything with the constant, then copy the input rows inside.
    std::vector<std::vector<int64_t>> zeros(rank);
    for (int d = 0; d < rank; ++d) zeros[d].assign(dims[d], 0);
    GatherByOffsets(fill, zeros, &out);
    if (in.NumElements() > 0) {
      const std::vector<int64_t> out_strides = Strides(out.shape());
      const int64_t row = rank == 0 ? 1 : in.dim(rank - 1);
      const int64_t rows = in.NumElements() / row;
      std::vector<int64_t> idx(rank, 0);
      for (int64_t r = 0; r < rows; ++r) {
        int64_t off = rank == 0 ? 0 : pad[2 * (rank - 1)];
        for (int d = 0; d + 1 < rank; ++d) off += (idx[d] + pad[2 * d]) * out_strides[d];
        CopyElements(in, r * row, &out, off, row);
        for (int d = rank - 2; d >= 0; --d) {
          if (++idx[d] < in.dim(d)) break;
          idx[d] = 0;
        }
      }
    }
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }
};

class MirrorPadOp : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    ASSIGN_OR_RETURN(std::string mode, init.attrs.GetString("mode"));
    if (mode == "REFLECT") {
      reflect_ = true;
    } else if (mode != "SYMMETRIC") {
      return InvalidArgument("mode must be REFLECT or SYMMETRIC, got '", mode, "'");
    }
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    const int rank = in.rank();
    ASSIGN_OR_RETURN(std::vector<int64_t> pad, ReadPaddings(ctx->input(1), rank));
    const int64_t shift = reflect_ ? 1 : 0;  // REFLECT excludes the edge
    const std::vector<int64_t> strides = Strides(in.shape());
    std::vector<int64_t> dims(rank);
    std::vector<std::vector<int64_t>> offsets(rank);
    for (int d = 0; d < rank; ++d) {
      const int64_t n = in.dim(d), before = pad[2 * d], after = pad[2 * d + 1];
      if (before > n - shift || after > n - shift) {
        return InvalidArgument("paddings must be no greater than the dimension size (minus 1 for REFLECT): ",
                               before, ", ", after, " greater than ", n - shift, " for dim ", d);
      }
      dims[d] = before + n + after;
      offsets[d].resize(dims[d]);
      for (int64_t j = 0; j < dims[d]; ++j) {
        int64_t s = j - before;
        if (s < 0) s = -s - 1 + shift;
        if (s >= n) s = 2 * n - s - 1 - shift;
        offsets[d][j] = s * strides[d];
      }
    }
    ASSIGN_OR_RETURN(Shape shape, Shape::Create(dims));
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(in.dtype(), shape));
    GatherByOffsets(in, offsets, &out);
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }

 private:
  bool reflect_ = false;
};

}  // namespace

StatusOr<std::unique_ptr<OpKernel>> CreateFill(const KernelInit& init) { return MakeKernel<FillOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateRange(const KernelInit& init) { return MakeKernel<RangeOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateTile(const KernelInit& init) { return MakeKernel<TileOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateTranspose(const KernelInit& init) { return MakeKernel<TransposeOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateReverseV2(const KernelInit& init) { return MakeKernel<ReverseV2Op>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateBroadcastTo(const KernelInit& init) { return MakeKernel<BroadcastToOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateWhere(const KernelInit& init) { return MakeKernel<WhereOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreatePad(const KernelInit& init) { return MakeKernel<PadOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateMirrorPad(const KernelInit& init) { return MakeKernel<MirrorPadOp>(init); }

}  // namespace stfs::kernels
