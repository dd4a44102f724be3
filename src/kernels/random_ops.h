// Random kernels: RandomUniform, RandomStandardNormal, TruncatedNormal,
// RandomUniformInt. Output shape from the int32/int64 `shape` input.
//
// NOT bit-compatible with TensorFlow's Philox streams: in served graphs these
// ops only appear in variable initializers whose values the checkpoint
// restore overrides, so only shape, dtype and range matter. Determinism: with
// seed or seed2 != 0, the n-th run of a kernel instance yields the same values
// as the n-th run of any other instance with the same seeds (an atomic run
// counter is mixed into the seed, so concurrent runs need no lock); with both
// 0 the seed is drawn from std::random_device at kernel creation.
#pragma once

#include <memory>

#include "exec/op_kernel.h"

namespace stfs::kernels {

StatusOr<std::unique_ptr<OpKernel>> CreateRandomUniform(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateRandomStandardNormal(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateTruncatedNormal(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateRandomUniformInt(const KernelInit& init);

}  // namespace stfs::kernels
