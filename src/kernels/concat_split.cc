#include "kernels/concat_split.h"

#include "kernels/array_util.h"

namespace stfs::kernels {
namespace {

// Concatenates `inputs` (same dtype, rank and dims except `axis`) along axis.
// `inserted_axis` = Pack: inputs are viewed with a size-1 dim at `axis`.
StatusOr<Tensor> ConcatAlong(const std::vector<const Tensor*>& inputs, int axis) {
  const Tensor& first = *inputs[0];
  const int rank = first.rank();
  int64_t total = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Tensor& t = *inputs[i];
    if (t.dtype() != first.dtype()) {
      return InvalidArgument("input ", i, " has dtype ", DTypeName(t.dtype()), " but input 0 has ",
                             DTypeName(first.dtype()));
    }
    if (t.rank() != rank) {
      return InvalidArgument("ConcatOp : Ranks of all input tensors should match: shape[0] = ",
                             first.shape().ToString(), " vs. shape[", i, "] = ", t.shape().ToString());
    }
    for (int d = 0; d < rank; ++d) {
      if (d != axis && t.dim(d) != first.dim(d)) {
        return InvalidArgument("ConcatOp : Dimension ", d,
                               " in both shapes must be equal: shape[0] = ", first.shape().ToString(),
                               " vs. shape[", i, "] = ", t.shape().ToString());
      }
    }
    total += t.dim(axis);
  }
  Shape out_shape = first.shape();
  out_shape.set_dim(axis, total);
  ASSIGN_OR_RETURN(Tensor out, Tensor::Create(first.dtype(), out_shape));
  if (out.NumElements() == 0) return out;
  int64_t outer = 1;
  for (int d = 0; d < axis; ++d) outer *= first.dim(d);
  int64_t inner = 1;
  for (int d = axis + 1; d < rank; ++d) inner *= first.dim(d);
  const int64_t out_row = total * inner;
  int64_t col = 0;
  for (const Tensor* t : inputs) {
    const int64_t chunk = t->dim(axis) * inner;
    for (int64_t o = 0; o < outer; ++o) CopyElements(*t, o * chunk, &out, o * out_row + col, chunk);
    col += chunk;
  }
  return out;
}

class ConcatOp : public OpKernel {
 public:
  explicit ConcatOp(bool axis_first) : axis_first_(axis_first) {}
  Status Init(const KernelInit&) { return Status::OK(); }
  Status Compute(OpContext* ctx) override {
    const int n = ctx->num_inputs() - 1;
    if (n < 1) return InvalidArgument("Concat needs at least one value input");
    const Tensor& axis_t = ctx->input(axis_first_ ? 0 : n);
    ASSIGN_OR_RETURN(int64_t axis, ReadIntScalar(axis_t, "concat axis"));
    std::vector<const Tensor*> values;
    for (int i = 0; i < n; ++i) values.push_back(&ctx->input(axis_first_ ? i + 1 : i));
    const int rank = values[0]->rank();
    if (rank == 0) {
      return InvalidArgument("Can't concatenate scalars (use tf.stack instead)");
    }
    ASSIGN_OR_RETURN(int ax, CanonicalAxis(axis, rank, "ConcatOp : axis"));
    if (n == 1) {
      ctx->set_output(0, *values[0]);
      return Status::OK();
    }
    ASSIGN_OR_RETURN(Tensor out, ConcatAlong(values, ax));
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }

 private:
  bool axis_first_;
};

class PackOp : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    axis_ = init.attrs.GetIntOr("axis", 0);
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    const int n = ctx->num_inputs();
    if (n < 1) return InvalidArgument("Pack needs at least one input");
    const Shape& s0 = ctx->input(0).shape();
    const int out_rank = s0.rank() + 1;
    if (axis_ < -out_rank || axis_ >= out_rank) {
      return InvalidArgument("axis = ", axis_, " not in [", -out_rank, ", ", out_rank, ")");
    }
    const int axis = static_cast<int>(axis_ < 0 ? axis_ + out_rank : axis_);
    std::vector<Tensor> views;
    views.reserve(n);
    for (int i = 0; i < n; ++i) {
      const Tensor& t = ctx->input(i);
      if (t.shape() != s0) {
        return InvalidArgument("Shapes of all inputs must match: values[0].shape = ", s0.ToString(),
                               " != values[", i, "].shape = ", t.shape().ToString());
      }
      Shape s = s0;
      s.InsertDim(axis, 1);
      ASSIGN_OR_RETURN(Tensor v, t.Reshaped(s));
      views.push_back(std::move(v));
    }
    std::vector<const Tensor*> ptrs;
    for (const Tensor& v : views) ptrs.push_back(&v);
    ASSIGN_OR_RETURN(Tensor out, ConcatAlong(ptrs, axis));
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }

 private:
  int64_t axis_ = 0;
};

// Writes slices [starts[i], starts[i] + sizes[i]) of `in` along `axis` to outputs.
Status SplitOutputs(OpContext* ctx, const Tensor& in, int axis, const std::vector<int64_t>& sizes,
                    bool drop_axis) {
  int64_t outer = 1;
  for (int d = 0; d < axis; ++d) outer *= in.dim(d);
  int64_t inner = 1;
  for (int d = axis + 1; d < in.rank(); ++d) inner *= in.dim(d);
  const int64_t in_row = in.dim(axis) * inner;
  int64_t start = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    Shape s = in.shape();
    if (drop_axis) {
      s.RemoveDim(axis);
    } else {
      s.set_dim(axis, sizes[i]);
    }
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(in.dtype(), s));
    const int64_t chunk = sizes[i] * inner;
    for (int64_t o = 0; o < outer && chunk > 0; ++o) {
      CopyElements(in, o * in_row + start * inner, &out, o * chunk, chunk);
    }
    start += sizes[i];
    ctx->set_output(static_cast<int>(i), std::move(out));
  }
  return Status::OK();
}

class UnpackOp : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    axis_ = init.attrs.GetIntOr("axis", 0);
    num_ = init.attrs.GetIntOr("num", init.num_outputs);
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    ASSIGN_OR_RETURN(int axis, CanonicalAxis(axis_, in.rank(), "Unpack axis"));
    if (in.dim(axis) != num_ || num_ != ctx->num_outputs()) {
      return InvalidArgument("Input shape axis ", axis, " must equal ", num_, ", got shape ",
                             in.shape().ToString());
    }
    return SplitOutputs(ctx, in, axis, std::vector<int64_t>(num_, 1), /*drop_axis=*/true);
  }

 private:
  int64_t axis_ = 0;
  int64_t num_ = 0;
};

class SplitOp : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    num_split_ = init.attrs.GetIntOr("num_split", init.num_outputs);
    if (num_split_ < 1) return InvalidArgument("num_split must be >= 1, got ", num_split_);
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(int64_t dim, ReadIntScalar(ctx->input(0), "split_dim"));
    const Tensor& in = ctx->input(1);
    ASSIGN_OR_RETURN(int axis, CanonicalAxis(dim, in.rank(), "split_dim"));
    if (num_split_ != ctx->num_outputs()) {
      return InvalidArgument("num_split ", num_split_, " != number of outputs ", ctx->num_outputs());
    }
    if (in.dim(axis) % num_split_ != 0) {
      return InvalidArgument("Number of ways to split should evenly divide the split dimension, but got split_dim ",
                             axis, " (size = ", in.dim(axis), ") and num_split ", num_split_);
    }
    return SplitOutputs(ctx, in, axis, std::vector<int64_t>(num_split_, in.dim(axis) / num_split_),
                        false);
  }

 private:
  int64_t num_split_ = 1;
};

class SplitVOp : public NoAttrKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    ASSIGN_OR_RETURN(std::vector<int64_t> sizes, ReadIntVector(ctx->input(1), "size_splits"));
    ASSIGN_OR_RETURN(int64_t dim, ReadIntScalar(ctx->input(2), "split_dim"));
    ASSIGN_OR_RETURN(int axis, CanonicalAxis(dim, in.rank(), "split_dim"));
    if (static_cast<int>(sizes.size()) != ctx->num_outputs()) {
      return InvalidArgument("size_splits has ", sizes.size(), " entries but the op has ",
                             ctx->num_outputs(), " outputs");
    }
    int unknown = -1;
    int64_t sum = 0;
    for (size_t i = 0; i < sizes.size(); ++i) {
      if (sizes[i] == -1) {
        if (unknown != -1) return InvalidArgument("There can only be one -1 in the input size_splits ", VecString(sizes));
        unknown = static_cast<int>(i);
      } else if (sizes[i] < 0) {
        return InvalidArgument("size_splits[", i, "] = ", sizes[i], " must be >= -1");
      } else {
        sum += sizes[i];
      }
    }
    const int64_t dim_size = in.dim(axis);
    if ((unknown == -1 && sum != dim_size) || (unknown != -1 && sum > dim_size)) {
      return InvalidArgument("Determined shape must either match input shape along split_dim exactly if fully specified, "
                             "or be less than the size of the input along split_dim if not fully specified. Got: ",
                             sum, " vs ", dim_size, " (size_splits ", VecString(sizes), ")");
    }
    if (unknown != -1) sizes[unknown] = dim_size - sum;
    return SplitOutputs(ctx, in, axis, sizes, false);
  }
};

}  // namespace

StatusOr<std::unique_ptr<OpKernel>> CreateConcatV2(const KernelInit&) { return std::unique_ptr<OpKernel>(new ConcatOp(false)); }
StatusOr<std::unique_ptr<OpKernel>> CreateConcat(const KernelInit&) { return std::unique_ptr<OpKernel>(new ConcatOp(true)); }
StatusOr<std::unique_ptr<OpKernel>> CreatePack(const KernelInit& init) { return MakeKernel<PackOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateUnpack(const KernelInit& init) { return MakeKernel<UnpackOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateSplit(const KernelInit& init) { return MakeKernel<SplitOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateSplitV(const KernelInit& init) { return MakeKernel<SplitVOp>(init); }

}  // namespace stfs::kernels
