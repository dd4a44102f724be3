#include "kernels/tensor_array_ops.h"

#include <atomic>
#include <cstring>
#include <mutex>

namespace stfs::kernels {
namespace {

// Bounds dynamic growth and requested sizes (each slot costs a Tensor).
constexpr int64_t kMaxTensorArraySize = int64_t{1} << 26;

class TensorArray : public ResourceBase {
 public:
  TensorArray(std::string name, DType dtype, PartialShape element_shape, bool dynamic_size, bool clear_after_read,
              bool identical_shapes, int64_t size)
      : name_(std::move(name)),
        dtype_(dtype),
        element_shape_(std::move(element_shape)),
        dynamic_size_(dynamic_size),
        clear_after_read_(clear_after_read),
        identical_shapes_(identical_shapes),
        slots_(size) {}
  std::string DebugString() const override { return StrCat("TensorArray(", name_, ")"); }

  DType dtype() const { return dtype_; }
  const PartialShape& element_shape() const { return element_shape_; }

  int64_t Size() {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<int64_t>(slots_.size());
  }

  Status Write(int64_t index, Tensor value) {
    std::lock_guard<std::mutex> lock(mu_);
    RETURN_IF_ERROR(CheckOpen());
    if (value.dtype() != dtype_) {
      return InvalidArgument("TensorArray ", name_, ": could not write to TensorArray index ", index,
                             " because the value dtype is ", DTypeName(value.dtype()),
                             " but TensorArray dtype is ", DTypeName(dtype_));
    }
    if (index < 0) return InvalidArgument("TensorArray ", name_, ": index ", index, " is negative");
    if (index >= static_cast<int64_t>(slots_.size())) {
      if (!dynamic_size_) {
        return InvalidArgument("TensorArray ", name_, ": Tried to write to index ", index,
                               " but array is not resizeable and size is: ", slots_.size());
      }
      if (index >= kMaxTensorArraySize) return ResourceExhausted("TensorArray ", name_, ": index ", index, " too large");
      slots_.resize(index + 1);
    }
    if (!element_shape_.IsCompatibleWith(value.shape())) {
      return InvalidArgument("TensorArray ", name_, ": Could not write to TensorArray index ", index,
                             " because the value shape is ", value.shape().ToString(),
                             " which is incompatible with the TensorArray's inferred element shape: ",
                             element_shape_.ToString());
    }
    if (identical_shapes_ && !element_shape_.IsFullyDefined()) element_shape_ = PartialShape(value.shape().dims());
    Slot& s = slots_[index];
    if (s.written) {
      return InvalidArgument("TensorArray ", name_, ": Could not write to TensorArray index ", index,
                             " because it has already been written to.");
    }
    s.value = std::move(value);
    s.written = true;
    return Status::OK();
  }

  StatusOr<Tensor> Read(int64_t index) {
    std::lock_guard<std::mutex> lock(mu_);
    return ReadLocked(index);
  }

  StatusOr<std::vector<Tensor>> ReadMany(const std::vector<int64_t>& indices) {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<Tensor> out;
    for (int64_t i : indices) {
      ASSIGN_OR_RETURN(Tensor t, ReadLocked(i));
      out.push_back(std::move(t));
    }
    return out;
  }

  void Close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    slots_.clear();
  }

 private:
  struct Slot {
    Tensor value;
    bool written = false;
    bool cleared = false;
  };

  Status CheckOpen() const {
    if (closed_) return InvalidArgument("TensorArray ", name_, " has already been closed.");
    return Status::OK();
  }

  StatusOr<Tensor> ReadLocked(int64_t index) {
    RETURN_IF_ERROR(CheckOpen());
    if (index < 0 || index >= static_cast<int64_t>(slots_.size())) {
      return InvalidArgument("TensorArray ", name_, ": Tried to read from index ", index, " but array size is: ",
                             slots_.size());
    }
    Slot& s = slots_[index];
    if (s.cleared) {
      return InvalidArgument("TensorArray ", name_, ": Could not read index ", index,
                             " twice because it was cleared after a previous read "
                             "(perhaps try setting clear_after_read = false?)");
    }
    if (!s.written) {
      // An unwritten element reads as zeros when its shape is known.
      if (!element_shape_.IsFullyDefined()) {
        return InvalidArgument("TensorArray ", name_, ": Could not read from TensorArray index ", index,
                               " because it has not yet been written to.");
      }
      return Tensor::Create(dtype_, Shape(element_shape_.dims()));
    }
    Tensor t = s.value;
    if (clear_after_read_) {
      s.value = Tensor();
      s.cleared = true;
    }
    return t;
  }

  std::mutex mu_;
  std::string name_;
  DType dtype_;
  PartialShape element_shape_;
  bool dynamic_size_;
  bool clear_after_read_;
  bool identical_shapes_;
  bool closed_ = false;
  std::vector<Slot> slots_;
};

StatusOr<std::shared_ptr<TensorArray>> GetArray(OpContext* ctx) {
  const Tensor& h = ctx->input(0);
  if (h.dtype() != DType::kResource || h.NumElements() != 1) {
    return InvalidArgument("expected a scalar TensorArray handle, got ", h.DTypeShapeString());
  }
  const ResourceHandle& handle = h.data<ResourceHandle>()[0];
  return ctx->step_resources()->Lookup<TensorArray>(handle.container, handle.name);
}

StatusOr<int64_t> ScalarIndex(const Tensor& t, const char* what) {
  if (t.NumElements() != 1 || t.rank() != 0) return InvalidArgument(what, " must be a scalar, got ", t.DTypeShapeString());
  if (t.dtype() == DType::kInt32) return static_cast<int64_t>(t.scalar<int32_t>());
  if (t.dtype() == DType::kInt64) return t.scalar<int64_t>();
  return InvalidArgument(what, " must be int32, got ", DTypeName(t.dtype()));
}

StatusOr<std::vector<int64_t>> IndexVector(const Tensor& t) {
  if (t.rank() != 1) return InvalidArgument("indices must be a vector, got ", t.DTypeShapeString());
  std::vector<int64_t> out;
  if (t.dtype() == DType::kInt32) {
    for (int32_t v : t.flat<int32_t>()) out.push_back(v);
  } else if (t.dtype() == DType::kInt64) {
    for (int64_t v : t.flat<int64_t>()) out.push_back(v);
  } else {
    return InvalidArgument("indices must be int32, got ", DTypeName(t.dtype()));
  }
  return out;
}

Tensor Flow() { return Tensor::Scalar<float>(0.0f); }

// Copies rows [row, row + n) of `src` (dim-0 slices) into a new tensor.
Tensor CopyRows(const Tensor& src, int64_t begin, int64_t end) { return src.SliceDim0(begin, end).DeepCopy(); }

// Stacks/concatenates `parts` along dim 0 into `out` (element-wise copy).
void CopyInto(const std::vector<Tensor>& parts, Tensor* out) {
  int64_t offset = 0;
  for (const Tensor& p : parts) {
    const int64_t n = p.NumElements();
    if (DTypeIsPod(p.dtype())) {
      std::memcpy(static_cast<char*>(out->raw_data()) + offset * DTypeSize(p.dtype()), p.raw_data(),
                  n * DTypeSize(p.dtype()));
    } else {
      DispatchDType(p.dtype(), [&]<typename T>() {
        for (int64_t i = 0; i < n; ++i) out->data<T>()[offset + i] = p.data<T>()[i];
      });
    }
    offset += n;
  }
}

std::atomic<int64_t> next_array_id{0};

class TensorArrayV3Op : public OpKernel {
 public:
  TensorArrayV3Op(DType dtype, PartialShape element_shape, bool dynamic, bool clear, bool identical, std::string name)
      : dtype_(dtype), element_shape_(std::move(element_shape)), dynamic_(dynamic), clear_(clear),
        identical_(identical), name_(std::move(name)) {}
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(int64_t size, ScalarIndex(ctx->input(0), "size"));
    if (size < 0 || size > kMaxTensorArraySize) return InvalidArgument("TensorArray size ", size, " is out of range");
    std::string name = StrCat(name_, "_", next_array_id.fetch_add(1));
    auto array = std::make_shared<TensorArray>(name, dtype_, element_shape_, dynamic_, clear_, identical_, size);
    RETURN_IF_ERROR(ctx->step_resources()
                        ->LookupOrCreate<TensorArray>("_tensor_arrays", name,
                                                      [&]() -> StatusOr<std::shared_ptr<TensorArray>> { return array; })
                        .status());
    Tensor handle(DType::kResource, Shape{});
    handle.data<ResourceHandle>()[0] = ResourceHandle{"_tensor_arrays", name, "", "TensorArray"};
    ctx->set_output(0, std::move(handle));
    ctx->set_output(1, Flow());
    return Status::OK();
  }

 private:
  DType dtype_;
  PartialShape element_shape_;
  bool dynamic_, clear_, identical_;
  std::string name_;
};

class ReadOp : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(auto array, GetArray(ctx));
    ASSIGN_OR_RETURN(int64_t index, ScalarIndex(ctx->input(1), "index"));
    ASSIGN_OR_RETURN(Tensor t, array->Read(index));
    ctx->set_output(0, std::move(t));
    return Status::OK();
  }
};

class WriteOp : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(auto array, GetArray(ctx));
    ASSIGN_OR_RETURN(int64_t index, ScalarIndex(ctx->input(1), "index"));
    RETURN_IF_ERROR(array->Write(index, ctx->release_input(2)));
    ctx->set_output(0, Flow());
    return Status::OK();
  }
};

// Stacks elements of identical shape into [n] + element shape.
Status Stack(const std::vector<Tensor>& elems, DType dtype, const PartialShape& fallback_shape, Tensor* out) {
  Shape elem;
  if (!elems.empty()) {
    elem = elems[0].shape();
    for (size_t i = 1; i < elems.size(); ++i) {
      if (elems[i].shape() != elem) {
        return InvalidArgument("TensorArray has inconsistent shapes: element 0 is ", elem.ToString(), " but element ",
                               i, " is ", elems[i].shape().ToString());
      }
    }
  } else if (fallback_shape.IsFullyDefined()) {
    elem = Shape(fallback_shape.dims());
  } else {
    return InvalidArgument("TensorArray is empty and its element shape is not fully defined: ",
                           fallback_shape.ToString());
  }
  Shape shape = elem;
  shape.InsertDim(0, static_cast<int64_t>(elems.size()));
  ASSIGN_OR_RETURN(*out, Tensor::Create(dtype, shape));
  CopyInto(elems, out);
  return Status::OK();
}

class GatherOp : public OpKernel {
 public:
  explicit GatherOp(PartialShape element_shape) : element_shape_(std::move(element_shape)) {}
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(auto array, GetArray(ctx));
    ASSIGN_OR_RETURN(std::vector<int64_t> indices, IndexVector(ctx->input(1)));
    ASSIGN_OR_RETURN(std::vector<Tensor> elems, array->ReadMany(indices));
    PartialShape shape = element_shape_.unknown_rank() ? array->element_shape() : element_shape_;
    Tensor out;
    RETURN_IF_ERROR(Stack(elems, array->dtype(), shape, &out));
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }

 private:
  PartialShape element_shape_;
};

class ScatterOp : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(auto array, GetArray(ctx));
    ASSIGN_OR_RETURN(std::vector<int64_t> indices, IndexVector(ctx->input(1)));
    const Tensor& value = ctx->input(2);
    if (value.rank() < 1 || value.dim(0) != static_cast<int64_t>(indices.size())) {
      return InvalidArgument("value ", value.DTypeShapeString(), " must have dim 0 equal to the number of indices (",
                             indices.size(), ")");
    }
    for (size_t i = 0; i < indices.size(); ++i) {
      Tensor row = CopyRows(value, i, i + 1);
      Shape s = row.shape();
      s.RemoveDim(0);
      ASSIGN_OR_RETURN(Tensor elem, row.Reshaped(s));
      RETURN_IF_ERROR(array->Write(indices[i], std::move(elem)));
    }
    ctx->set_output(0, Flow());
    return Status::OK();
  }
};

class SizeOp : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(auto array, GetArray(ctx));
    ctx->set_output(0, Tensor::Scalar<int32_t>(static_cast<int32_t>(array->Size())));
    return Status::OK();
  }
};

class ConcatOp : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(auto array, GetArray(ctx));
    std::vector<int64_t> all(array->Size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int64_t>(i);
    ASSIGN_OR_RETURN(std::vector<Tensor> elems, array->ReadMany(all));
    Tensor lengths(DType::kInt64, Shape{static_cast<int64_t>(elems.size())});
    Shape shape;
    int64_t rows = 0;
    for (size_t i = 0; i < elems.size(); ++i) {
      if (elems[i].rank() < 1) return InvalidArgument("TensorArray concat needs elements of rank >= 1");
      Shape rest = elems[i].shape();
      rest.RemoveDim(0);
      if (i == 0) {
        shape = rest;
      } else if (rest != shape) {
        return InvalidArgument("TensorArray concat: element ", i, " has shape ", elems[i].shape().ToString(),
                               " incompatible with element 0");
      }
      lengths.data<int64_t>()[i] = elems[i].dim(0);
      rows += elems[i].dim(0);
    }
    shape.InsertDim(0, rows);
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(array->dtype(), shape));
    CopyInto(elems, &out);
    ctx->set_output(0, std::move(out));
    ctx->set_output(1, std::move(lengths));
    return Status::OK();
  }
};

class SplitOp : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(auto array, GetArray(ctx));
    const Tensor& value = ctx->input(1);
    const Tensor& lengths = ctx->input(2);
    if (lengths.dtype() != DType::kInt64 || lengths.rank() != 1) return InvalidArgument("lengths must be an int64 vector");
    if (value.rank() < 1) return InvalidArgument("value must have rank >= 1");
    int64_t total = 0;
    for (int64_t l : lengths.flat<int64_t>()) {
      if (l < 0) return InvalidArgument("negative length ", l);
      total += l;
    }
    if (total != value.dim(0)) {
      return InvalidArgument("lengths sum to ", total, " but value has ", value.dim(0), " rows");
    }
    int64_t row = 0;
    for (int64_t i = 0; i < lengths.NumElements(); ++i) {
      int64_t l = lengths.data<int64_t>()[i];
      RETURN_IF_ERROR(array->Write(i, CopyRows(value, row, row + l)));
      row += l;
    }
    ctx->set_output(0, Flow());
    return Status::OK();
  }
};

class CloseOp : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(auto array, GetArray(ctx));
    array->Close();
    return Status::OK();
  }
};

template <typename K>
StatusOr<std::unique_ptr<OpKernel>> Make() {
  return std::unique_ptr<OpKernel>(new K());
}

PartialShape ShapeAttr(const AttrMap& attrs, const char* name) {
  const AttrValue* v = attrs.Find(name);
  return v && v->kind == AttrValue::Kind::kShape ? v->shape : PartialShape();
}

}  // namespace

StatusOr<std::unique_ptr<OpKernel>> CreateTensorArrayV3(const KernelInit& init) {
  ASSIGN_OR_RETURN(DType dtype, init.attrs.GetType("dtype"));
  std::string name = init.attrs.GetStringOr("tensor_array_name", "");
  if (name.empty()) name = std::string(init.node_name);
  return std::unique_ptr<OpKernel>(new TensorArrayV3Op(
      dtype, ShapeAttr(init.attrs, "element_shape"), init.attrs.GetBoolOr("dynamic_size", false),
      init.attrs.GetBoolOr("clear_after_read", true), init.attrs.GetBoolOr("identical_element_shapes", false), name));
}
StatusOr<std::unique_ptr<OpKernel>> CreateTensorArrayReadV3(const KernelInit&) { return Make<ReadOp>(); }
StatusOr<std::unique_ptr<OpKernel>> CreateTensorArrayWriteV3(const KernelInit&) { return Make<WriteOp>(); }
StatusOr<std::unique_ptr<OpKernel>> CreateTensorArrayGatherV3(const KernelInit& init) {
  return std::unique_ptr<OpKernel>(new GatherOp(ShapeAttr(init.attrs, "element_shape")));
}
StatusOr<std::unique_ptr<OpKernel>> CreateTensorArrayScatterV3(const KernelInit&) { return Make<ScatterOp>(); }
StatusOr<std::unique_ptr<OpKernel>> CreateTensorArraySizeV3(const KernelInit&) { return Make<SizeOp>(); }
StatusOr<std::unique_ptr<OpKernel>> CreateTensorArrayConcatV3(const KernelInit&) { return Make<ConcatOp>(); }
StatusOr<std::unique_ptr<OpKernel>> CreateTensorArraySplitV3(const KernelInit&) { return Make<SplitOp>(); }
StatusOr<std::unique_ptr<OpKernel>> CreateTensorArrayCloseV3(const KernelInit&) { return Make<CloseOp>(); }

}  // namespace stfs::kernels
