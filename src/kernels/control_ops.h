// Plumbing and check kernels: Placeholder, PlaceholderWithDefault, Const,
// Identity (+ RefIdentity, IdentityN, Snapshot, StopGradient,
// PreventGradient), NoOp, Assert, Print, PrintV2.
// TF1 control flow (Switch, Merge, Enter, Exit, NextIteration, LoopCond,
// ControlTrigger) is executed natively by exec/executor.cc, not here.
#pragma once

#include "exec/op_kernel.h"

namespace stfs::kernels {

StatusOr<std::unique_ptr<OpKernel>> CreatePlaceholder(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreatePlaceholderWithDefault(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateConst(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateIdentity(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateRefIdentity(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateNoOp(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateAssert(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreatePrint(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreatePrintV2(const KernelInit& init);

}  // namespace stfs::kernels
