#include "kernels/shape_ops.h"

#include <algorithm>

#include "kernels/array_util.h"

namespace stfs::kernels {
namespace {

StatusOr<DType> OutType(const KernelInit& init) {
  DType t = init.attrs.GetTypeOr("out_type", DType::kInt32);
  if (t != DType::kInt32 && t != DType::kInt64) {
    return InvalidArgument("out_type must be int32 or int64, got ", DTypeName(t));
  }
  return t;
}

// Writes `values` into a new int32/int64 tensor of shape [values.size()] (or a
// scalar when scalar = true); int32 overflow is an error like TF.
StatusOr<Tensor> MakeIntTensor(DType dtype, std::span<const int64_t> values, bool scalar) {
  Shape shape = scalar ? Shape{} : Shape{static_cast<int64_t>(values.size())};
  ASSIGN_OR_RETURN(Tensor t, Tensor::Create(dtype, shape));
  for (size_t i = 0; i < values.size(); ++i) {
    if (dtype == DType::kInt32) {
      if (values[i] > INT32_MAX) {
        return InvalidArgument("value ", values[i], " does not fit in int32; use out_type=int64");
      }
      t.data<int32_t>()[i] = static_cast<int32_t>(values[i]);
    } else {
      t.data<int64_t>()[i] = values[i];
    }
  }
  return t;
}

class ShapeOp : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    ASSIGN_OR_RETURN(out_type_, OutType(init));
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    for (int i = 0; i < ctx->num_inputs() && i < ctx->num_outputs(); ++i) {
      ASSIGN_OR_RETURN(Tensor t, MakeIntTensor(out_type_, ctx->input(i).shape().dims(), false));
      ctx->set_output(i, std::move(t));
    }
    return Status::OK();
  }

 private:
  DType out_type_ = DType::kInt32;
};

class SizeOp : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    ASSIGN_OR_RETURN(out_type_, OutType(init));
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    const int64_t n = ctx->input(0).NumElements();
    ASSIGN_OR_RETURN(Tensor t, MakeIntTensor(out_type_, std::span<const int64_t>(&n, 1), true));
    ctx->set_output(0, std::move(t));
    return Status::OK();
  }

 private:
  DType out_type_ = DType::kInt32;
};

class RankOp : public NoAttrKernel {
 public:
  Status Compute(OpContext* ctx) override {
    ctx->set_output(0, Tensor::Scalar<int32_t>(ctx->input(0).rank()));
    return Status::OK();
  }
};

// TF's reshape size inference, including -1 with zero-sized dims.
StatusOr<Shape> ReshapeTarget(const Shape& in, const std::vector<int64_t>& sizes) {
  int unknown = -1;
  int64_t product = 1;
  bool sizes_has_zero = false;
  std::vector<int64_t> dims(sizes.size());
  for (size_t d = 0; d < sizes.size(); ++d) {
    const int64_t size = sizes[d];
    if (size == -1) {
      if (unknown != -1) {
        return InvalidArgument("only one input size may be -1, not both ", unknown, " and ", d);
      }
      unknown = static_cast<int>(d);
      dims[d] = 1;
    } else if (size < 0) {
      return InvalidArgument("size ", d, " must be non-negative, not ", size);
    } else {
      dims[d] = size;
      if (size == 0) {
        sizes_has_zero = true;
      } else {
        if (product > kMaxTensorElements / size) {
          return InvalidArgument("requested shape ", VecString(sizes), " has too many elements");
        }
        product *= size;
      }
    }
  }
  if (unknown != -1) {
    int64_t input_elems = 1;
    bool input_has_zero = false;
    for (int64_t d : in.dims()) {
      // A zero input dim is skipped when the request also has a zero dim, so the
      // other dims can still be inferred (TF does the same).
      if (d > 0 || !sizes_has_zero) {
        input_elems *= d;
      } else {
        input_has_zero = true;
      }
    }
    const int64_t missing = input_elems / product;
    if (!input_has_zero && product * missing != input_elems) {
      return InvalidArgument("Input to reshape is a tensor with ", input_elems,
                             " values, but the requested shape requires a multiple of ", product);
    }
    dims[unknown] = missing;
  }
  ASSIGN_OR_RETURN(Shape out, Shape::Create(dims));
  if (out.num_elements() != in.num_elements()) {
    return InvalidArgument("Input to reshape is a tensor with ", in.num_elements(),
                           " values, but the requested shape has ", out.num_elements(),
                           " (input shape ", in.ToString(), ", requested ", VecString(sizes), ")");
  }
  return out;
}

class ReshapeOp : public NoAttrKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const Tensor& shape_t = ctx->input(1);
    if (shape_t.rank() > 1) {
      return InvalidArgument("shape must be a vector, got ", shape_t.DTypeShapeString());
    }
    ASSIGN_OR_RETURN(std::vector<int64_t> sizes, ReadIntFlat(shape_t, "shape"));
    ASSIGN_OR_RETURN(Shape target, ReshapeTarget(ctx->input(0).shape(), sizes));
    ASSIGN_OR_RETURN(Tensor out, ctx->input(0).Reshaped(std::move(target)));
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }
};

class SqueezeOp : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    if (init.attrs.Has("squeeze_dims")) {
      ASSIGN_OR_RETURN(dims_, init.attrs.GetIntList("squeeze_dims"));
    }
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    const int rank = in.rank();
    std::vector<bool> drop(rank, false);
    for (int64_t d : dims_) {
      ASSIGN_OR_RETURN(int axis, CanonicalAxis(d, rank, "squeeze dim"));
      if (in.dim(axis) != 1) {
        return InvalidArgument("Can not squeeze dim[", axis, "], expected a dimension of 1, got ",
                               in.dim(axis), " (input shape ", in.shape().ToString(), ")");
      }
      drop[axis] = true;
    }
    std::vector<int64_t> out;
    for (int i = 0; i < rank; ++i) {
      const bool squeeze = dims_.empty() ? in.dim(i) == 1 : drop[i];
      if (!squeeze) out.push_back(in.dim(i));
    }
    ASSIGN_OR_RETURN(Tensor t, in.Reshaped(Shape(std::move(out))));
    ctx->set_output(0, std::move(t));
    return Status::OK();
  }

 private:
  std::vector<int64_t> dims_;
};

class ExpandDimsOp : public NoAttrKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    const Tensor& dim_t = ctx->input(1);
    RETURN_IF_ERROR(CheckIntDType(dim_t, "dim"));
    if (dim_t.NumElements() != 1) {
      return InvalidArgument("'dim' must be a tensor with a single value, got ",
                             dim_t.DTypeShapeString());
    }
    int64_t dim = IntAt(dim_t, 0);
    const int rank = in.rank();
    if (dim < -rank - 1 || dim > rank) {
      return InvalidArgument("Tried to expand dim index ", dim, " for tensor with ", rank,
                             " dimensions (expected [", -rank - 1, ", ", rank, "])");
    }
    if (dim < 0) dim += rank + 1;
    Shape shape = in.shape();
    shape.InsertDim(static_cast<int>(dim), 1);
    ASSIGN_OR_RETURN(Tensor t, in.Reshaped(std::move(shape)));
    ctx->set_output(0, std::move(t));
    return Status::OK();
  }
};

class EnsureShapeOp : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    ASSIGN_OR_RETURN(shape_, init.attrs.GetShape("shape"));
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    if (!shape_.IsCompatibleWith(in.shape())) {
      return InvalidArgument("Shape of tensor ", in.shape().ToString(),
                             " is not compatible with expected shape ", shape_.ToString(), ".");
    }
    ctx->set_output(0, in);
    return Status::OK();
  }

 private:
  PartialShape shape_;
};

}  // namespace

StatusOr<std::unique_ptr<OpKernel>> CreateShape(const KernelInit& init) { return MakeKernel<ShapeOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateShapeN(const KernelInit& init) { return MakeKernel<ShapeOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateSize(const KernelInit& init) { return MakeKernel<SizeOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateRank(const KernelInit& init) { return MakeKernel<RankOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateReshape(const KernelInit& init) { return MakeKernel<ReshapeOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateSqueeze(const KernelInit& init) { return MakeKernel<SqueezeOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateExpandDims(const KernelInit& init) { return MakeKernel<ExpandDimsOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateEnsureShape(const KernelInit& init) { return MakeKernel<EnsureShapeOp>(init); }

}  // namespace stfs::kernels
