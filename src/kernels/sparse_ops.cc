#include "kernels/sparse_ops.h"

#include <cmath>
#include <type_traits>
#include <unordered_map>

#include "kernels/array_util.h"

namespace stfs::kernels {
namespace {

class SparseFillEmptyRowsOp : public NoAttrKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const Tensor& indices = ctx->input(0);
    const Tensor& values = ctx->input(1);
    const Tensor& dense_shape = ctx->input(2);
    const Tensor& def = ctx->input(3);
    if (indices.dtype() != DType::kInt64 || indices.rank() != 2) {
      return InvalidArgument("indices must be an int64 matrix, got ", indices.DTypeShapeString());
    }
    const int64_t n = indices.dim(0), rank = indices.dim(1);
    if (values.rank() != 1 || values.dim(0) != n) {
      return InvalidArgument("values must be a vector of ", n, " elements, got ", values.DTypeShapeString());
    }
    ASSIGN_OR_RETURN(std::vector<int64_t> shape, ReadIntVector(dense_shape, "dense_shape"));
    if (static_cast<int64_t>(shape.size()) != rank || rank < 1) {
      return InvalidArgument("dense_shape must have ", rank, " elements, got ", VecString(shape));
    }
    if (def.NumElements() != 1 || def.dtype() != values.dtype()) {
      return InvalidArgument("default_value must be a scalar of dtype ", DTypeName(values.dtype()), ", got ",
                             def.DTypeShapeString());
    }
    const int64_t rows = shape[0];
    if (rows < 0 || rows > kMaxTensorElements) return InvalidArgument("invalid dense_shape ", VecString(shape));
    const int64_t* ind = indices.data<int64_t>();
    std::vector<int64_t> count(rows, 0);
    for (int64_t i = 0; i < n; ++i) {
      const int64_t r = ind[i * rank];
      if (r < 0 || r >= rows) {
        return InvalidArgument("indices(", i, ", 0) is invalid: ", r, " >= ", rows);
      }
      ++count[r];
    }
    // Output row r starts at offset[r]; an empty row takes one slot.
    std::vector<int64_t> offset(rows + 1, 0);
    ASSIGN_OR_RETURN(Tensor empty, Tensor::Create(DType::kBool, Shape{rows}));
    for (int64_t r = 0; r < rows; ++r) {
      empty.data<bool>()[r] = count[r] == 0;
      offset[r + 1] = offset[r] + std::max<int64_t>(count[r], 1);
    }
    const int64_t total = offset[rows];
    ASSIGN_OR_RETURN(Tensor out_ind, Tensor::Create(DType::kInt64, Shape{total, rank}));
    ASSIGN_OR_RETURN(Tensor out_val, Tensor::Create(values.dtype(), Shape{total}));
    ASSIGN_OR_RETURN(Tensor reverse, Tensor::Create(DType::kInt64, Shape{n}));
    std::vector<int64_t> filled(rows, 0);
    int64_t* oi = out_ind.data<int64_t>();
    for (int64_t i = 0; i < n; ++i) {  // stable: keeps input order within a row
      const int64_t r = ind[i * rank];
      const int64_t pos = offset[r] + filled[r]++;
      std::copy_n(ind + i * rank, rank, oi + pos * rank);
      CopyElements(values, i, &out_val, pos, 1);
      reverse.data<int64_t>()[i] = pos;
    }
    for (int64_t r = 0; r < rows; ++r) {
      if (count[r] != 0) continue;
      const int64_t pos = offset[r];
      std::fill_n(oi + pos * rank, rank, 0);
      oi[pos * rank] = r;
      CopyElements(def, 0, &out_val, pos, 1);
    }
    ctx->set_output(0, std::move(out_ind));
    ctx->set_output(1, std::move(out_val));
    ctx->set_output(2, std::move(empty));
    ctx->set_output(3, std::move(reverse));
    return Status::OK();
  }
};

class SparseReshapeOp : public NoAttrKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const Tensor& indices = ctx->input(0);
    if (indices.dtype() != DType::kInt64 || indices.rank() != 2) {
      return InvalidArgument("input_indices must be an int64 matrix, got ", indices.DTypeShapeString());
    }
    ASSIGN_OR_RETURN(std::vector<int64_t> in_shape, ReadIntVector(ctx->input(1), "input_shape"));
    ASSIGN_OR_RETURN(std::vector<int64_t> out_shape, ReadIntVector(ctx->input(2), "new_shape"));
    const int64_t n = indices.dim(0), in_rank = indices.dim(1);
    if (static_cast<int64_t>(in_shape.size()) != in_rank) {
      return InvalidArgument("input_shape has ", in_shape.size(), " entries but indices have rank ", in_rank);
    }
    int64_t dense = 1;
    for (int64_t d : in_shape) {
      if (d < 0 || (d > 0 && dense > kMaxTensorElements / d)) return InvalidArgument("invalid input_shape ", VecString(in_shape));
      dense *= d;
    }
    int unknown = -1;
    int64_t product = 1;
    for (size_t i = 0; i < out_shape.size(); ++i) {
      if (out_shape[i] == -1) {
        if (unknown != -1) return InvalidArgument("only one output dimension may be -1, not both ", unknown, " and ", i);
        unknown = static_cast<int>(i);
      } else if (out_shape[i] < 0) {
        return InvalidArgument("size ", i, " must be non-negative, not ", out_shape[i]);
      } else {
        if (out_shape[i] > 0 && product > kMaxTensorElements / out_shape[i]) return InvalidArgument("new_shape too large");
        product *= out_shape[i];
      }
    }
    if (unknown != -1) {
      if (product == 0 || dense % product != 0) {
        return InvalidArgument("Input to reshape is a SparseTensor with ", dense,
                               " dense values, but the requested shape requires a multiple of ", product);
      }
      out_shape[unknown] = dense / product;
      product = dense;
    }
    if (product != dense) {
      return InvalidArgument("Input to reshape is a tensor with ", dense, " dense values, but the requested shape has ",
                             product, " (new_shape ", VecString(out_shape), ")");
    }
    const int64_t out_rank = static_cast<int64_t>(out_shape.size());
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(DType::kInt64, Shape{n, out_rank}));
    const std::vector<int64_t> in_strides = Strides(Shape(in_shape));
    const std::vector<int64_t> out_strides = Strides(Shape(out_shape));
    const int64_t* in = indices.data<int64_t>();
    int64_t* o = out.data<int64_t>();
    for (int64_t i = 0; i < n; ++i) {
      int64_t linear = 0;
      for (int64_t d = 0; d < in_rank; ++d) {
        const int64_t v = in[i * in_rank + d];
        if (v < 0 || v >= in_shape[d]) {
          return InvalidArgument("input index ", i, " = ", v, " is out of bounds for dim ", d);
        }
        linear += v * in_strides[d];
      }
      for (int64_t d = 0; d < out_rank; ++d) {
        o[i * out_rank + d] = linear / out_strides[d];
        linear %= out_strides[d];
      }
    }
    ctx->set_output(0, std::move(out));
    ctx->set_output(1, Tensor::FromVector<int64_t>(out_shape));
    return Status::OK();
  }
};

enum class Reduce { kSum, kMean, kSqrtN };

// Sums rows of data into segments; T must be arithmetic.
template <typename T>
void AddRow(const T* src, T* dst, int64_t inner) {
  for (int64_t q = 0; q < inner; ++q) dst[q] += src[q];
}

Status CheckNumeric(DType dt, bool float_only) {
  const bool ok = float_only ? (dt == DType::kFloat || dt == DType::kDouble)
                             : (dt == DType::kFloat || dt == DType::kDouble || dt == DType::kInt32 ||
                                dt == DType::kInt64 || dt == DType::kInt16 || dt == DType::kInt8 ||
                                dt == DType::kUInt8 || dt == DType::kUInt16);
  if (!ok) return InvalidArgument("unsupported data dtype ", DTypeName(dt));
  return Status::OK();
}

// data rows gathered by `rows` (or identity) into segments `ids`.
template <typename T>
void Accumulate(const Tensor& data, const std::vector<int64_t>& rows, const std::vector<int64_t>& ids,
                int64_t inner, Tensor* out) {
  const T* d = data.data<T>();
  T* o = out->data<T>();
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] < 0) continue;
    AddRow(d + rows[i] * inner, o + ids[i] * inner, inner);
  }
}

Status SegmentReduce(OpContext* ctx, const Tensor& data, const std::vector<int64_t>& rows,
                     const std::vector<int64_t>& ids, int64_t num_segments, int leading_dims, Reduce op) {
  std::vector<int64_t> dims = {num_segments};
  int64_t inner = 1;
  for (int d = leading_dims; d < data.rank(); ++d) {
    dims.push_back(data.dim(d));
    inner *= data.dim(d);
  }
  ASSIGN_OR_RETURN(Shape shape, Shape::Create(dims));
  ASSIGN_OR_RETURN(Tensor out, Tensor::Create(data.dtype(), shape));
  std::vector<int64_t> counts(num_segments, 0);
  for (int64_t id : ids) {
    if (id >= 0) ++counts[id];
  }
  DispatchDType(data.dtype(), [&]<typename T>() {
    if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
      Accumulate<T>(data, rows, ids, inner, &out);
      if (op == Reduce::kSum) return;
      T* o = out.data<T>();
      for (int64_t s = 0; s < num_segments; ++s) {
        if (counts[s] == 0) continue;
        const double div = op == Reduce::kMean ? static_cast<double>(counts[s]) : std::sqrt(static_cast<double>(counts[s]));
        for (int64_t q = 0; q < inner; ++q) o[s * inner + q] = static_cast<T>(o[s * inner + q] / static_cast<T>(div));
      }
    }
  });
  ctx->set_output(0, std::move(out));
  return Status::OK();
}

class SparseSegmentReductionOp : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    std::string_view op = init.op;
    with_num_segments_ = op.ends_with("WithNumSegments");
    op_ = op.starts_with("SparseSegmentMean") ? Reduce::kMean
          : op.starts_with("SparseSegmentSqrtN") ? Reduce::kSqrtN : Reduce::kSum;
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    const Tensor& data = ctx->input(0);
    RETURN_IF_ERROR(CheckNumeric(data.dtype(), op_ != Reduce::kSum));
    if (data.rank() < 1) return InvalidArgument("data must be at least 1-D");
    ASSIGN_OR_RETURN(std::vector<int64_t> rows, ReadIntVector(ctx->input(1), "indices"));
    ASSIGN_OR_RETURN(std::vector<int64_t> ids, ReadIntVector(ctx->input(2), "segment_ids"));
    if (rows.size() != ids.size()) {
      return InvalidArgument("segment_ids and indices should have same size, got ", ids.size(), " and ", rows.size());
    }
    int64_t num = ids.empty() ? 0 : ids.back() + 1;
    if (with_num_segments_) {
      ASSIGN_OR_RETURN(num, ReadIntScalar(ctx->input(3), "num_segments"));
      if (num < 0) return InvalidArgument("num_segments must be non-negative, got ", num);
    }
    for (size_t i = 0; i < ids.size(); ++i) {
      if (ids[i] < 0 || ids[i] >= num) {
        return InvalidArgument("segment_ids[", i, "] = ", ids[i], " is out of range [0, ", num, ")");
      }
      if (i > 0 && ids[i] < ids[i - 1]) return InvalidArgument("segment ids are not increasing");
      if (rows[i] < 0 || rows[i] >= data.dim(0)) {
        return InvalidArgument("Bad: indices[", i, "] == ", rows[i], " out of range [0, ", data.dim(0), ")");
      }
    }
    return SegmentReduce(ctx, data, rows, ids, num, 1, op_);
  }

 private:
  bool with_num_segments_ = false;
  Reduce op_ = Reduce::kSum;
};

class SegmentSumOp : public OpKernel {
 public:
  explicit SegmentSumOp(bool sorted) : sorted_(sorted) {}
  Status Init(const KernelInit&) { return Status::OK(); }
  Status Compute(OpContext* ctx) override {
    const Tensor& data = ctx->input(0);
    const Tensor& seg = ctx->input(1);
    RETURN_IF_ERROR(CheckNumeric(data.dtype(), false));
    ASSIGN_OR_RETURN(std::vector<int64_t> ids, ReadIntFlat(seg, "segment_ids"));
    if (seg.rank() > data.rank()) {
      return InvalidArgument("segment_ids shape ", seg.shape().ToString(), " is not a prefix of data shape ",
                             data.shape().ToString());
    }
    for (int d = 0; d < seg.rank(); ++d) {
      if (seg.dim(d) != data.dim(d)) {
        return InvalidArgument("segment_ids.shape ", seg.shape().ToString(), " must be a prefix of data.shape ",
                               data.shape().ToString());
      }
    }
    int64_t num = 0;
    if (sorted_) {
      if (seg.rank() != 1) return InvalidArgument("segment_ids should be a vector");
      num = ids.empty() ? 0 : ids.back() + 1;
      for (size_t i = 0; i < ids.size(); ++i) {
        if (ids[i] < 0) return InvalidArgument("segment ids must be >= 0, got ", ids[i]);
        if (i > 0 && ids[i] < ids[i - 1]) return InvalidArgument("segment ids are not increasing");
      }
    } else {
      ASSIGN_OR_RETURN(num, ReadIntScalar(ctx->input(2), "num_segments"));
      if (num < 0) return InvalidArgument("num_segments must be non-negative, got ", num);
      for (size_t i = 0; i < ids.size(); ++i) {
        // Negative ids are dropped (TF CPU); ids past the end are errors.
        if (ids[i] >= num) {
          return InvalidArgument("segment_ids[", i, "] = ", ids[i], " is out of range [0, ", num, ")");
        }
      }
    }
    std::vector<int64_t> rows(ids.size());
    for (size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<int64_t>(i);
    return SegmentReduce(ctx, data, rows, ids, num, seg.rank(), Reduce::kSum);
  }

 private:
  bool sorted_;
};

class SparseToDenseOp : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    validate_ = init.attrs.GetBoolOr("validate_indices", true);
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    const Tensor& indices = ctx->input(0);
    RETURN_IF_ERROR(CheckIntDType(indices, "sparse_indices"));
    ASSIGN_OR_RETURN(std::vector<int64_t> dims, ReadIntVector(ctx->input(1), "output_shape"));
    const Tensor& values = ctx->input(2);
    const Tensor& def = ctx->input(3);
    if (indices.rank() > 2) return InvalidArgument("sparse_indices should be a scalar, vector, or matrix");
    const int64_t n = indices.rank() == 0 ? 1 : indices.dim(0);
    const int64_t r = indices.rank() == 2 ? indices.dim(1) : 1;
    if (r != static_cast<int64_t>(dims.size())) {
      return InvalidArgument("output_shape has ", dims.size(), " entries but sparse_indices have ", r, " columns");
    }
    if (!(values.rank() == 0 || (values.rank() == 1 && values.dim(0) == n))) {
      return InvalidArgument("sparse_values has incorrect shape ", values.shape().ToString(), ", should be [] or [", n, "]");
    }
    if (def.NumElements() != 1 || def.dtype() != values.dtype()) {
      return InvalidArgument("default_value should be a scalar of dtype ", DTypeName(values.dtype()));
    }
    for (int64_t d : dims) {
      if (d < 0) return InvalidArgument("output_shape must be non-negative, got ", VecString(dims));
    }
    ASSIGN_OR_RETURN(Shape shape, Shape::Create(dims));
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(values.dtype(), shape));
    std::vector<std::vector<int64_t>> zeros(shape.rank());
    for (int d = 0; d < shape.rank(); ++d) zeros[d].assign(shape.dim(d), 0);
    GatherByOffsets(def, zeros, &out);
    const std::vector<int64_t> strides = Strides(shape);
    std::vector<int64_t> prev, cur(r);
    for (int64_t i = 0; i < n; ++i) {
      int64_t off = 0;
      bool in_bounds = true;
      for (int64_t d = 0; d < r; ++d) {
        cur[d] = IntAt(indices, i * r + d);
        in_bounds = in_bounds && cur[d] >= 0 && cur[d] < dims[d];
        off += cur[d] * (d < static_cast<int64_t>(strides.size()) ? strides[d] : 0);
      }
      if (!in_bounds) return InvalidArgument("indices[", i, "] = ", VecString(cur), " is out of bounds: need 0 <= index < ", VecString(dims));
      if (validate_ && i > 0) {
        if (cur == prev) return InvalidArgument("indices[", i, "] = ", VecString(cur), " is repeated");
        if (cur < prev) return InvalidArgument("indices[", i, "] = ", VecString(cur), " is out of order");
      }
      prev = cur;
      CopyElements(values, values.rank() == 0 ? 0 : i, &out, off, 1);
    }
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }

 private:
  bool validate_ = true;
};

class UniqueOp : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    out_idx_ = init.attrs.GetTypeOr("out_idx", DType::kInt32);
    if (out_idx_ != DType::kInt32 && out_idx_ != DType::kInt64) {
      return InvalidArgument("out_idx must be int32 or int64, got ", DTypeName(out_idx_));
    }
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    const Tensor& x = ctx->input(0);
    if (x.rank() != 1) return InvalidArgument("unique expects a 1D vector, got ", x.DTypeShapeString());
    const int64_t n = x.NumElements();
    ASSIGN_OR_RETURN(Tensor idx, Tensor::Create(out_idx_, Shape{n}));
    std::vector<int64_t> firsts;  // input position of each unique value
    Status status;
    DispatchDType(x.dtype(), [&]<typename T>() {
      if constexpr (std::is_arithmetic_v<T> || std::is_same_v<T, std::string>) {
        std::unordered_map<T, int64_t> seen;
        seen.reserve(n);
        const T* p = x.data<T>();
        for (int64_t i = 0; i < n; ++i) {
          auto [it, inserted] = seen.emplace(p[i], static_cast<int64_t>(firsts.size()));
          if (inserted) firsts.push_back(i);
          if (out_idx_ == DType::kInt32) {
            idx.data<int32_t>()[i] = static_cast<int32_t>(it->second);
          } else {
            idx.data<int64_t>()[i] = it->second;
          }
        }
      } else {
        status = InvalidArgument("Unique does not support dtype ", DTypeName(x.dtype()));
      }
    });
    RETURN_IF_ERROR(status);
    ASSIGN_OR_RETURN(Tensor y, Tensor::Create(x.dtype(), Shape{static_cast<int64_t>(firsts.size())}));
    for (size_t j = 0; j < firsts.size(); ++j) CopyElements(x, firsts[j], &y, j, 1);
    ctx->set_output(0, std::move(y));
    ctx->set_output(1, std::move(idx));
    return Status::OK();
  }

 private:
  DType out_idx_ = DType::kInt32;
};

}  // namespace

StatusOr<std::unique_ptr<OpKernel>> CreateSparseFillEmptyRows(const KernelInit& init) { return MakeKernel<SparseFillEmptyRowsOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateSparseReshape(const KernelInit& init) { return MakeKernel<SparseReshapeOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateSparseSegmentReduction(const KernelInit& init) { return MakeKernel<SparseSegmentReductionOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateSparseToDense(const KernelInit& init) { return MakeKernel<SparseToDenseOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateUnique(const KernelInit& init) { return MakeKernel<UniqueOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateUnsortedSegmentSum(const KernelInit&) { return std::unique_ptr<OpKernel>(new SegmentSumOp(false)); }
StatusOr<std::unique_ptr<OpKernel>> CreateSegmentSum(const KernelInit&) { return std::unique_ptr<OpKernel>(new SegmentSumOp(true)); }

}  // namespace stfs::kernels
