// Cross-entropy losses that serving graphs reach when a model exports its
// loss next to its predictions (e.g. BERT pretraining heads).
#pragma once

#include "exec/op_kernel.h"

namespace stfs::kernels {

// SparseSoftmaxCrossEntropyWithLogits(features [B,C], labels [B]) ->
// loss [B], backprop [B,C].
StatusOr<std::unique_ptr<OpKernel>> CreateSparseSoftmaxCrossEntropyWithLogits(const KernelInit& init);

}  // namespace stfs::kernels
