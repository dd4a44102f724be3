#include "kernels/tensor_list_ops.h"

#include <algorithm>

#include "kernels/array_util.h"

namespace stfs::kernels {

std::string TensorListValue::DebugString() const {
  return StrCat("TensorList<", DTypeName(element_dtype), ">(", items.size(), " items, element_shape ",
                element_shape.ToString(), ")");
}

StatusOr<const TensorListValue*> GetTensorList(const Tensor& t, std::string_view what) {
  if (t.dtype() != DType::kVariant || t.NumElements() != 1) {
    return InvalidArgument(what, " must be a scalar variant (TensorList), got ", t.DTypeShapeString());
  }
  const auto* list = dynamic_cast<const TensorListValue*>(t.data<Variant>()[0].get());
  if (!list) return InvalidArgument(what, " does not hold a TensorList");
  return list;
}

Tensor MakeTensorListTensor(std::shared_ptr<const TensorListValue> list) {
  return Tensor::Scalar<Variant>(Variant(std::move(list)));
}

namespace {

StatusOr<PartialShape> ReadElementShape(const Tensor& t) {
  RETURN_IF_ERROR(CheckIntDType(t, "element_shape"));
  if (t.rank() == 0) {
    if (IntAt(t, 0) != -1) return InvalidArgument("a scalar element_shape must be -1, got ", IntAt(t, 0));
    return PartialShape();
  }
  ASSIGN_OR_RETURN(std::vector<int64_t> dims, ReadIntVector(t, "element_shape"));
  for (int64_t d : dims) {
    if (d < -1) return InvalidArgument("element_shape has a bad dimension ", d);
  }
  return PartialShape(std::move(dims));
}

StatusOr<PartialShape> Merge(const PartialShape& a, const PartialShape& b) {
  if (a.unknown_rank()) return b;
  if (b.unknown_rank()) return a;
  if (a.rank() != b.rank()) return InvalidArgument("element shapes ", a.ToString(), " and ", b.ToString(), " differ");
  std::vector<int64_t> dims = a.dims();
  for (size_t i = 0; i < dims.size(); ++i) {
    int64_t d = b.dims()[i];
    if (dims[i] == -1) dims[i] = d;
    else if (d != -1 && d != dims[i]) {
      return InvalidArgument("element shapes ", a.ToString(), " and ", b.ToString(), " differ");
    }
  }
  return PartialShape(std::move(dims));
}

PartialShape ToPartial(const Shape& s) { return PartialShape(s.dims()); }

Status CheckItem(const TensorListValue& list, const Tensor& item) {
  if (item.dtype() != list.element_dtype) {
    return InvalidArgument("item dtype ", DTypeName(item.dtype()), " does not match the list's ",
                           DTypeName(list.element_dtype));
  }
  if (!list.element_shape.IsCompatibleWith(item.shape())) {
    return InvalidArgument("item shape ", item.shape().ToString(), " is not compatible with the list's element shape ",
                           list.element_shape.ToString());
  }
  return Status::OK();
}

// Shape of the list's items: the first set item's, else `hint` merged with
// the list's element shape (must then be fully defined).
StatusOr<Shape> ItemShape(const TensorListValue& list, const std::vector<int64_t>& indices,
                          const PartialShape& hint) {
  for (int64_t i : indices) {
    if (list.items[i].IsInitialized()) return list.items[i].shape();
  }
  ASSIGN_OR_RETURN(PartialShape merged, Merge(list.element_shape, hint));
  if (!merged.IsFullyDefined()) {
    return InvalidArgument("cannot read unset items of a list whose element shape ", merged.ToString(),
                           " is not fully defined");
  }
  return Shape(merged.dims());
}

// Stacks items[indices] into [n, item shape...] (unset items are zeros).
StatusOr<Tensor> StackItems(const TensorListValue& list, const std::vector<int64_t>& indices,
                            const PartialShape& hint) {
  ASSIGN_OR_RETURN(Shape item_shape, ItemShape(list, indices, hint));
  std::vector<int64_t> dims = {static_cast<int64_t>(indices.size())};
  for (int64_t d : item_shape.dims()) dims.push_back(d);
  ASSIGN_OR_RETURN(Tensor out, Tensor::Create(list.element_dtype, Shape(dims)));
  int64_t n = 1;
  for (int64_t d : item_shape.dims()) n *= d;
  for (size_t k = 0; k < indices.size(); ++k) {
    const Tensor& item = list.items[indices[k]];
    if (!item.IsInitialized()) continue;
    if (item.shape() != item_shape) {
      return InvalidArgument("list items have different shapes: ", item.shape().ToString(), " vs ",
                             item_shape.ToString());
    }
    CopyElements(item, 0, &out, static_cast<int64_t>(k) * n, n);
  }
  return out;
}

StatusOr<Tensor> ItemAt(const TensorListValue& list, int64_t index, const PartialShape& hint) {
  if (list.items[index].IsInitialized()) return list.items[index];
  ASSIGN_OR_RETURN(Shape shape, ItemShape(list, {index}, hint));
  return Tensor::Create(list.element_dtype, shape);
}

// Rows [begin, end) of t along dim 0, as a tensor of its own.
StatusOr<Tensor> Rows(const Tensor& t, int64_t begin, int64_t end) {
  std::vector<int64_t> dims = t.shape().dim_vector();
  dims[0] = end - begin;
  ASSIGN_OR_RETURN(Tensor out, Tensor::Create(t.dtype(), Shape(dims)));
  int64_t row = t.dim(0) == 0 ? 0 : t.NumElements() / t.dim(0);
  CopyElements(t, begin * row, &out, 0, (end - begin) * row);
  return out;
}

StatusOr<Tensor> Row(const Tensor& t, int64_t i) {
  ASSIGN_OR_RETURN(Tensor r, Rows(t, i, i + 1));
  std::vector<int64_t> dims(t.shape().dims().begin() + 1, t.shape().dims().end());
  return r.Reshaped(Shape(dims));
}

PartialShape TailShape(const Shape& s) {
  return PartialShape(std::vector<int64_t>(s.dims().begin() + 1, s.dims().end()));
}

enum class ListOp {
  kEmpty, kReserve, kFromTensor, kGetItem, kSetItem, kStack, kLength, kPushBack, kPopBack, kGather,
  kScatter, kScatterV2, kConcat, kConcatV2, kSplit, kElementShape, kResize,
};

struct OpName {
  std::string_view name;
  ListOp op;
  int num_inputs;
};

constexpr OpName kOps[] = {
    {"EmptyTensorList", ListOp::kEmpty, 2},          {"TensorListReserve", ListOp::kReserve, 2},
    {"TensorListFromTensor", ListOp::kFromTensor, 2}, {"TensorListGetItem", ListOp::kGetItem, 3},
    {"TensorListSetItem", ListOp::kSetItem, 3},       {"TensorListStack", ListOp::kStack, 2},
    {"TensorListLength", ListOp::kLength, 1},         {"TensorListPushBack", ListOp::kPushBack, 2},
    {"TensorListPopBack", ListOp::kPopBack, 2},       {"TensorListGather", ListOp::kGather, 3},
    {"TensorListScatter", ListOp::kScatter, 3},       {"TensorListScatterV2", ListOp::kScatterV2, 4},
    {"TensorListConcat", ListOp::kConcat, 1},         {"TensorListConcatV2", ListOp::kConcatV2, 3},
    {"TensorListSplit", ListOp::kSplit, 3},           {"TensorListElementShape", ListOp::kElementShape, 1},
    {"TensorListResize", ListOp::kResize, 2},
};

// Bounds list sizes taken from inputs (a reserve of 2^40 items must fail, not allocate).
constexpr int64_t kMaxListSize = int64_t{1} << 28;

class TensorListKernel : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    for (const OpName& o : kOps) {
      if (o.name == init.op) {
        op_ = o.op;
        num_inputs_ = o.num_inputs;
      }
    }
    if (num_inputs_ < 0) return Unimplemented("no TensorList kernel for op ", init.op);
    element_dtype_ = init.attrs.GetTypeOr("element_dtype", DType::kInvalid);
    shape_type_ = init.attrs.GetTypeOr("shape_type", DType::kInt32);
    resize_ = init.attrs.GetBoolOr("resize_if_index_out_of_bounds", false);
    if (const AttrValue* s = init.attrs.Find("element_shape"); s && s->kind == AttrValue::Kind::kShape) {
      attr_shape_ = s->shape;
    }
    return Status::OK();
  }

  Status Compute(OpContext* ctx) override {
    if (ctx->num_inputs() < num_inputs_) return InvalidArgument("expected ", num_inputs_, " inputs");
    switch (op_) {
      case ListOp::kEmpty:
      case ListOp::kReserve: {
        auto list = std::make_shared<TensorListValue>();
        list->element_dtype = element_dtype_;
        ASSIGN_OR_RETURN(list->element_shape, ReadElementShape(ctx->input(0)));
        ASSIGN_OR_RETURN(int64_t n, ReadIntScalar(ctx->input(1), op_ == ListOp::kEmpty ? "max_num_elements"
                                                                                          : "num_elements"));
        if (n > kMaxListSize) return InvalidArgument("list size ", n, " is too large");
        if (op_ == ListOp::kEmpty) {
          list->max_num_elements = n;
        } else {
          if (n < 0) return InvalidArgument("num_elements must be >= 0, got ", n);
          list->items.resize(n);
        }
        return Out(ctx, 0, std::move(list));
      }
      case ListOp::kFromTensor: {
        const Tensor& t = ctx->input(0);
        if (t.rank() < 1) return InvalidArgument("tensor must have rank >= 1, got ", t.DTypeShapeString());
        auto list = std::make_shared<TensorListValue>();
        list->element_dtype = t.dtype();
        ASSIGN_OR_RETURN(PartialShape es, ReadElementShape(ctx->input(1)));
        ASSIGN_OR_RETURN(list->element_shape, Merge(es, TailShape(t.shape())));
        for (int64_t i = 0; i < t.dim(0); ++i) {
          ASSIGN_OR_RETURN(Tensor row, Row(t, i));
          list->items.push_back(std::move(row));
        }
        return Out(ctx, 0, std::move(list));
      }
      case ListOp::kGetItem: {
        ASSIGN_OR_RETURN(const TensorListValue* list, GetTensorList(ctx->input(0), "input_handle"));
        ASSIGN_OR_RETURN(int64_t i, ReadIntScalar(ctx->input(1), "index"));
        RETURN_IF_ERROR(CheckIndex(*list, i));
        ASSIGN_OR_RETURN(PartialShape hint, ReadElementShape(ctx->input(2)));
        ASSIGN_OR_RETURN(Tensor item, ItemAt(*list, i, hint));
        ctx->set_output(0, std::move(item));
        return Status::OK();
      }
      case ListOp::kSetItem: {
        ASSIGN_OR_RETURN(const TensorListValue* in, GetTensorList(ctx->input(0), "input_handle"));
        ASSIGN_OR_RETURN(int64_t i, ReadIntScalar(ctx->input(1), "index"));
        RETURN_IF_ERROR(CheckItem(*in, ctx->input(2)));
        auto list = std::make_shared<TensorListValue>(*in);
        if (resize_ && i >= static_cast<int64_t>(list->items.size()) && i < kMaxListSize) list->items.resize(i + 1);
        RETURN_IF_ERROR(CheckIndex(*list, i));
        list->items[i] = ctx->input(2);
        return Out(ctx, 0, std::move(list));
      }
      case ListOp::kStack:
      case ListOp::kGather: {
        ASSIGN_OR_RETURN(const TensorListValue* list, GetTensorList(ctx->input(0), "input_handle"));
        std::vector<int64_t> indices;
        int shape_input = 1;
        if (op_ == ListOp::kGather) {
          ASSIGN_OR_RETURN(indices, ReadIntFlat(ctx->input(1), "indices"));
          for (int64_t i : indices) RETURN_IF_ERROR(CheckIndex(*list, i));
          shape_input = 2;
        } else {
          for (size_t i = 0; i < list->items.size(); ++i) indices.push_back(static_cast<int64_t>(i));
        }
        ASSIGN_OR_RETURN(PartialShape hint, ReadElementShape(ctx->input(shape_input)));
        ASSIGN_OR_RETURN(Tensor out, StackItems(*list, indices, hint));
        ctx->set_output(0, std::move(out));
        return Status::OK();
      }
      case ListOp::kLength: {
        ASSIGN_OR_RETURN(const TensorListValue* list, GetTensorList(ctx->input(0), "input_handle"));
        ctx->set_output(0, Tensor::Scalar<int32_t>(static_cast<int32_t>(list->items.size())));
        return Status::OK();
      }
      case ListOp::kPushBack: {
        ASSIGN_OR_RETURN(const TensorListValue* in, GetTensorList(ctx->input(0), "input_handle"));
        RETURN_IF_ERROR(CheckItem(*in, ctx->input(1)));
        if (in->max_num_elements >= 0 && static_cast<int64_t>(in->items.size()) >= in->max_num_elements) {
          return InvalidArgument("list is full (max_num_elements ", in->max_num_elements, ")");
        }
        if (static_cast<int64_t>(in->items.size()) >= kMaxListSize) return InvalidArgument("list is too long");
        auto list = std::make_shared<TensorListValue>(*in);
        list->items.push_back(ctx->input(1));
        return Out(ctx, 0, std::move(list));
      }
      case ListOp::kPopBack: {
        ASSIGN_OR_RETURN(const TensorListValue* in, GetTensorList(ctx->input(0), "input_handle"));
        if (in->items.empty()) return OutOfRange("trying to pop from an empty list");
        ASSIGN_OR_RETURN(PartialShape hint, ReadElementShape(ctx->input(1)));
        ASSIGN_OR_RETURN(Tensor item, ItemAt(*in, static_cast<int64_t>(in->items.size()) - 1, hint));
        auto list = std::make_shared<TensorListValue>(*in);
        list->items.pop_back();
        RETURN_IF_ERROR(Out(ctx, 0, std::move(list)));
        ctx->set_output(1, std::move(item));
        return Status::OK();
      }
      case ListOp::kScatter:
      case ListOp::kScatterV2: {
        const Tensor& t = ctx->input(0);
        if (t.rank() < 1) return InvalidArgument("tensor must have rank >= 1, got ", t.DTypeShapeString());
        ASSIGN_OR_RETURN(std::vector<int64_t> indices, ReadIntFlat(ctx->input(1), "indices"));
        if (static_cast<int64_t>(indices.size()) != t.dim(0)) {
          return InvalidArgument("indices has ", indices.size(), " entries for ", t.dim(0), " rows");
        }
        auto list = std::make_shared<TensorListValue>();
        list->element_dtype = t.dtype();
        ASSIGN_OR_RETURN(PartialShape es, ReadElementShape(ctx->input(2)));
        ASSIGN_OR_RETURN(list->element_shape, Merge(es, TailShape(t.shape())));
        int64_t size = 0;
        for (int64_t i : indices) {
          if (i < 0 || i >= kMaxListSize) return InvalidArgument("index ", i, " is out of range");
          size = std::max(size, i + 1);
        }
        if (op_ == ListOp::kScatterV2) {
          ASSIGN_OR_RETURN(int64_t n, ReadIntScalar(ctx->input(3), "num_elements"));
          if (n > kMaxListSize) return InvalidArgument("num_elements ", n, " is too large");
          if (n >= 0 && n < size) return InvalidArgument("index ", size - 1, " >= num_elements ", n);
          if (n >= 0) size = n;
        }
        list->items.resize(size);
        for (size_t k = 0; k < indices.size(); ++k) {
          ASSIGN_OR_RETURN(list->items[indices[k]], Row(t, static_cast<int64_t>(k)));
        }
        return Out(ctx, 0, std::move(list));
      }
      case ListOp::kConcat:
      case ListOp::kConcatV2: return Concat(ctx);
      case ListOp::kSplit: {
        const Tensor& t = ctx->input(0);
        if (t.rank() < 1) return InvalidArgument("tensor must have rank >= 1, got ", t.DTypeShapeString());
        ASSIGN_OR_RETURN(PartialShape es, ReadElementShape(ctx->input(1)));
        ASSIGN_OR_RETURN(std::vector<int64_t> lengths, ReadIntFlat(ctx->input(2), "lengths"));
        auto list = std::make_shared<TensorListValue>();
        list->element_dtype = t.dtype();
        std::vector<int64_t> tail = TailShape(t.shape()).dims();
        tail.insert(tail.begin(), -1);
        ASSIGN_OR_RETURN(list->element_shape, Merge(es, PartialShape(tail)));
        int64_t begin = 0;
        for (int64_t len : lengths) {
          if (len < 0 || begin + len > t.dim(0)) {
            return InvalidArgument("lengths ", VecString(lengths), " do not split ", t.dim(0), " rows");
          }
          ASSIGN_OR_RETURN(Tensor piece, Rows(t, begin, begin + len));
          list->items.push_back(std::move(piece));
          begin += len;
        }
        if (begin != t.dim(0)) {
          return InvalidArgument("lengths ", VecString(lengths), " sum to ", begin, ", not ", t.dim(0));
        }
        return Out(ctx, 0, std::move(list));
      }
      case ListOp::kElementShape: {
        ASSIGN_OR_RETURN(const TensorListValue* list, GetTensorList(ctx->input(0), "input_handle"));
        const PartialShape& s = list->element_shape;
        std::vector<int64_t> dims = s.unknown_rank() ? std::vector<int64_t>{-1} : s.dims();
        Shape shape = s.unknown_rank() ? Shape{} : Shape{static_cast<int64_t>(dims.size())};
        if (shape_type_ == DType::kInt64) {
          ctx->set_output(0, Tensor::FromVector<int64_t>(dims, shape));
        } else {
          ctx->set_output(0, Tensor::FromVector<int32_t>(std::vector<int32_t>(dims.begin(), dims.end()), shape));
        }
        return Status::OK();
      }
      case ListOp::kResize: {
        ASSIGN_OR_RETURN(const TensorListValue* in, GetTensorList(ctx->input(0), "input_handle"));
        ASSIGN_OR_RETURN(int64_t n, ReadIntScalar(ctx->input(1), "size"));
        if (n < 0 || n > kMaxListSize) return InvalidArgument("size ", n, " is out of range");
        auto list = std::make_shared<TensorListValue>(*in);
        list->items.resize(n);
        return Out(ctx, 0, std::move(list));
      }
    }
    return Internal("unhandled TensorList op");
  }

 private:
  Status Out(OpContext* ctx, int i, std::shared_ptr<const TensorListValue> list) {
    ctx->set_output(i, MakeTensorListTensor(std::move(list)));
    return Status::OK();
  }

  static Status CheckIndex(const TensorListValue& list, int64_t i) {
    if (i < 0 || i >= static_cast<int64_t>(list.items.size())) {
      return InvalidArgument("index ", i, " is not in [0, ", list.items.size(), ")");
    }
    return Status::OK();
  }

  // Items joined along dim 0, plus each item's dim 0 (int64 lengths).
  Status Concat(OpContext* ctx) {
    ASSIGN_OR_RETURN(const TensorListValue* list, GetTensorList(ctx->input(0), "input_handle"));
    PartialShape hint = attr_shape_;
    if (op_ == ListOp::kConcatV2) {
      ASSIGN_OR_RETURN(hint, ReadElementShape(ctx->input(1)));
    }
    ASSIGN_OR_RETURN(PartialShape merged, Merge(list->element_shape, hint));
    std::vector<Tensor> items;
    std::vector<int64_t> lengths;
    std::vector<int64_t> tail;
    bool have_tail = false;
    for (const Tensor& item : list->items) {
      Tensor t = item;
      if (!t.IsInitialized()) {
        if (!merged.IsFullyDefined()) {
          return InvalidArgument("cannot concat unset items with element shape ", merged.ToString());
        }
        ASSIGN_OR_RETURN(t, Tensor::Create(list->element_dtype, Shape(merged.dims())));
      }
      if (t.rank() < 1) return InvalidArgument("concat needs items of rank >= 1, got ", t.DTypeShapeString());
      std::vector<int64_t> this_tail(t.shape().dims().begin() + 1, t.shape().dims().end());
      if (have_tail && this_tail != tail) return InvalidArgument("items differ past dim 0: ", t.DTypeShapeString());
      tail = this_tail;
      have_tail = true;
      lengths.push_back(t.dim(0));
      items.push_back(std::move(t));
    }
    if (!have_tail) {
      if (merged.unknown_rank() || merged.rank() < 1) {
        return InvalidArgument("cannot concat an empty list with element shape ", merged.ToString());
      }
      tail.assign(merged.dims().begin() + 1, merged.dims().end());
      for (int64_t d : tail) {
        if (d < 0) return InvalidArgument("cannot concat an empty list with element shape ", merged.ToString());
      }
    }
    int64_t rows = 0;
    for (int64_t l : lengths) rows += l;
    std::vector<int64_t> dims = tail;
    dims.insert(dims.begin(), rows);
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(list->element_dtype, Shape(dims)));
    int64_t offset = 0;
    for (const Tensor& t : items) {
      CopyElements(t, 0, &out, offset, t.NumElements());
      offset += t.NumElements();
    }
    ctx->set_output(0, std::move(out));
    ctx->set_output(1, Tensor::FromVector<int64_t>(lengths, Shape{static_cast<int64_t>(lengths.size())}));
    return Status::OK();
  }

  ListOp op_ = ListOp::kEmpty;
  int num_inputs_ = -1;
  DType element_dtype_ = DType::kInvalid;
  DType shape_type_ = DType::kInt32;
  bool resize_ = false;
  PartialShape attr_shape_;
};

}  // namespace

StatusOr<std::unique_ptr<OpKernel>> CreateTensorListOp(const KernelInit& init) {
  return MakeKernel<TensorListKernel>(init);
}

}  // namespace stfs::kernels
