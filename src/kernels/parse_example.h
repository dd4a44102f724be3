// tf.Example parsing kernels: ParseExample (v1), ParseExampleV2,
// ParseSingleExample. Thin wrappers over example_parser.h. Stateless.
#pragma once

#include <memory>

#include "exec/op_kernel.h"

namespace stfs::kernels {

StatusOr<std::unique_ptr<OpKernel>> CreateParseExample(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateParseExampleV2(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateParseSingleExample(const KernelInit& init);

}  // namespace stfs::kernels
