// Variable kernels. Ref variables (VariableV2/Variable, Assign, AssignAdd,
// AssignSub, IsVariableInitialized) and resource variables (VarHandleOp,
// ReadVariableOp, Assign*VariableOp, VarIsInitializedOp, DestroyResourceOp).
//
// Variables are Var resources in OpContext::resources() (one store per model
// version): ref variables keyed by (container, shared_name or node name),
// resource variables by the handle's (container, name). Updates replace the
// variable's buffer unless it is exclusively owned (copy-on-write), so values
// read earlier (ReadVariableOp outputs, `x/read` snapshots) never change.
#pragma once

#include "exec/op_kernel.h"

namespace stfs::kernels {

StatusOr<std::unique_ptr<OpKernel>> CreateVariableV2(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateAssign(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateAssignAdd(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateAssignSub(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateIsVariableInitialized(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateVarHandleOp(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateReadVariableOp(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateAssignVariableOp(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateAssignAddVariableOp(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateAssignSubVariableOp(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateVarIsInitializedOp(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateDestroyResourceOp(const KernelInit& init);

}  // namespace stfs::kernels
