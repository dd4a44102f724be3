// Checkpoint and file kernels: RestoreV2 (tensor bundles through
// savedmodel/bundle_reader.h; opened readers are cached per prefix in the
// model's resources) and ReadFile (assets).
#pragma once

#include "exec/op_kernel.h"

namespace stfs::kernels {

StatusOr<std::unique_ptr<OpKernel>> CreateRestoreV2(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateReadFile(const KernelInit& init);

}  // namespace stfs::kernels
