// Gathers from resource variables: ResourceGather (rows of the variable at
// `indices`, with batch_dims; GatherV2 semantics on axis = batch_dims) and
// ResourceGatherNd (GatherNd semantics). The variable is the Var resource
// named by the handle (see state_ops.h); its value is snapshotted under the
// variable's shared lock, so concurrent assignments never tear a gather.
// Out-of-range indices are errors (CPU semantics).
#pragma once

#include <memory>

#include "exec/op_kernel.h"

namespace stfs::kernels {

StatusOr<std::unique_ptr<OpKernel>> CreateResourceGather(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateResourceGatherNd(const KernelInit& init);

}  // namespace stfs::kernels
