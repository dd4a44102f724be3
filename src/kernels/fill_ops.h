// Generating and rearranging kernels: Fill, Range, Tile, Transpose,
// ReverseV2, BroadcastTo, Where (1 input), Pad, PadV2, MirrorPad. Stateless.
#pragma once

#include <memory>

#include "exec/op_kernel.h"

namespace stfs::kernels {

StatusOr<std::unique_ptr<OpKernel>> CreateFill(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateRange(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateTile(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateTranspose(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateReverseV2(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateBroadcastTo(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreateWhere(const KernelInit& init);
StatusOr<std::unique_ptr<OpKernel>> CreatePad(const KernelInit& init);  // Pad and PadV2
StatusOr<std::unique_ptr<OpKernel>> CreateMirrorPad(const KernelInit& init);

}  // namespace stfs::kernels
