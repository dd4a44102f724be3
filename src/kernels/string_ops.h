// String kernels: StringToHashBucketFast (FarmHash Fingerprint64), AsString,
// StringJoin, Substr, StringSplit, StringSplitV2, StringToNumber,
// StringLength, DecodeBase64 / EncodeBase64 (web-safe). Stateless.
#pragma once

#include <memory>

#include "exec/op_kernel.h"

namespace stfs::kernels {

StatusOr<std::unique_ptr<OpKernel>> CreateStringToHashBucketFast(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateAsString(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateStringJoin(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateSubstr(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateStringSplit(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateStringSplitV2(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateStringToNumber(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateStringLength(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateDecodeBase64(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateEncodeBase64(const KernelInit& init);

}  // namespace stfs::kernels
