// TensorArray V3 kernels (TF1 tf.TensorArray, map_fn / while_loop): the array
// is a per-run resource in OpContext::step_resources(), created by each
// execution of TensorArrayV3 and named by its DT_RESOURCE handle. Flow
// tensors carry no data; they only order operations in the graph.
#pragma once

#include "exec/op_kernel.h"

namespace stfs::kernels {

StatusOr<std::unique_ptr<OpKernel>> CreateTensorArrayV3(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateTensorArrayReadV3(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateTensorArrayWriteV3(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateTensorArrayGatherV3(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateTensorArrayScatterV3(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateTensorArraySizeV3(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateTensorArrayConcatV3(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateTensorArraySplitV3(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateTensorArrayCloseV3(const KernelInit& init);

}  // namespace stfs::kernels
