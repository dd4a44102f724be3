// TensorList ops (TF2 lists, e.g. from tf.while_loop accumulators and
// TensorArray in tf.function): a list is a DT_VARIANT scalar holding an
// immutable TensorListValue, so every "mutating" op (SetItem, PushBack,
// PopBack, ...) returns a new list and the input stays valid (value
// semantics; element tensors are shared, not copied).
//
// Ops: EmptyTensorList, TensorListReserve, TensorListFromTensor,
// TensorListGetItem, TensorListSetItem, TensorListStack, TensorListLength,
// TensorListPushBack, TensorListPopBack, TensorListGather, TensorListScatter,
// TensorListScatterV2, TensorListConcat, TensorListConcatV2, TensorListSplit,
// TensorListElementShape, TensorListResize.
// An element_shape input is int32/int64: -1 (scalar) = unknown rank, else a
// vector with -1 for unknown dims. Unset items read as zeros of the element
// shape, which must then be fully known.
#pragma once

#include <vector>

#include "exec/op_kernel.h"

namespace stfs::kernels {

class TensorListValue : public VariantValue {
 public:
  std::string TypeName() const override { return "tensorflow::TensorList"; }
  std::string DebugString() const override;

  DType element_dtype = DType::kInvalid;
  PartialShape element_shape;       // unknown rank by default
  std::vector<Tensor> items;        // !IsInitialized() = unset
  int64_t max_num_elements = -1;    // -1 = no limit
};

StatusOr<std::unique_ptr<OpKernel>> CreateTensorListOp(const KernelInit& init);

// The list held by a DT_VARIANT scalar (errors name `what`).
StatusOr<const TensorListValue*> GetTensorList(const Tensor& t, std::string_view what);
// A DT_VARIANT scalar holding `list`.
Tensor MakeTensorListTensor(std::shared_ptr<const TensorListValue> list);

}  // namespace stfs::kernels
