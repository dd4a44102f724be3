// Function calls and functional control flow, run through
// OpContext::functions() (exec/function_runtime.h):
//   PartitionedCall, StatefulPartitionedCall (attr f), nodes whose op is a
//   library function name (kFunctionCallOp), While / StatelessWhile (cond,
//   body; loop variables T), If / StatelessIf (then_branch, else_branch),
//   Case / StatelessCase (branches; an out-of-range index runs the last).
// A cond / predicate tensor converts to bool like TensorFlow: a scalar is
// true when non-zero (bool: itself; string: non-empty), any other tensor is
// true when it has elements.
#pragma once

#include "exec/op_kernel.h"

namespace stfs::kernels {

StatusOr<std::unique_ptr<OpKernel>> CreatePartitionedCall(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateFunctionCall(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateWhile(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateIf(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateCase(const KernelInit& init);

// TensorFlow's truth value of a predicate tensor (see above).
StatusOr<bool> TensorToBool(const Tensor& t);

}  // namespace stfs::kernels
