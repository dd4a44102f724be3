// Factories for the elementwise math kernels (kernels-math family):
// binary arithmetic with NumPy broadcasting, unary math and activations,
// comparisons and logical ops, Select/SelectV2/ClipByValue, Cast,
// ZerosLike/OnesLike. Semantics follow TensorFlow's CPU kernels; see
// /work/shared/reference/ops.md. Kernels are stateless and thread-safe.
#pragma once

#include <memory>

#include "exec/op_kernel.h"

namespace stfs::kernels {

using KernelOr = StatusOr<std::unique_ptr<OpKernel>>;

// cwise_binary.cc
KernelOr CreateAdd(const KernelInit& init);       // Add (numeric + string concat)
KernelOr CreateAddV2(const KernelInit& init);
KernelOr CreateSub(const KernelInit& init);
KernelOr CreateMul(const KernelInit& init);
KernelOr CreateDiv(const KernelInit& init);       // ints: C truncation, /0 error
KernelOr CreateRealDiv(const KernelInit& init);
KernelOr CreateFloorDiv(const KernelInit& init);
KernelOr CreateFloorMod(const KernelInit& init);
KernelOr CreateTruncateDiv(const KernelInit& init);
KernelOr CreateTruncateMod(const KernelInit& init);
KernelOr CreateDivNoNan(const KernelInit& init);
KernelOr CreateMulNoNan(const KernelInit& init);
KernelOr CreateMaximum(const KernelInit& init);
KernelOr CreateMinimum(const KernelInit& init);
KernelOr CreatePow(const KernelInit& init);
KernelOr CreateSquaredDifference(const KernelInit& init);
KernelOr CreateAddN(const KernelInit& init);

// cwise_unary.cc
KernelOr CreateNeg(const KernelInit& init);
KernelOr CreateAbs(const KernelInit& init);
KernelOr CreateSquare(const KernelInit& init);
KernelOr CreateSqrt(const KernelInit& init);
KernelOr CreateRsqrt(const KernelInit& init);
KernelOr CreateExp(const KernelInit& init);
KernelOr CreateExpm1(const KernelInit& init);
KernelOr CreateLog(const KernelInit& init);
KernelOr CreateLog1p(const KernelInit& init);
KernelOr CreateSin(const KernelInit& init);
KernelOr CreateCos(const KernelInit& init);
KernelOr CreateTanh(const KernelInit& init);
KernelOr CreateSigmoid(const KernelInit& init);
KernelOr CreateRelu(const KernelInit& init);
KernelOr CreateRelu6(const KernelInit& init);
KernelOr CreateElu(const KernelInit& init);
KernelOr CreateSelu(const KernelInit& init);
KernelOr CreateLeakyRelu(const KernelInit& init);  // attr alpha (default 0.2)
KernelOr CreateSoftplus(const KernelInit& init);
KernelOr CreateSoftsign(const KernelInit& init);
KernelOr CreateErf(const KernelInit& init);
KernelOr CreateFloor(const KernelInit& init);
KernelOr CreateCeil(const KernelInit& init);
KernelOr CreateRound(const KernelInit& init);      // half to even
KernelOr CreateRint(const KernelInit& init);
KernelOr CreateSign(const KernelInit& init);
KernelOr CreateReciprocal(const KernelInit& init); // also "Inv"
KernelOr CreateIsNan(const KernelInit& init);
KernelOr CreateIsInf(const KernelInit& init);
KernelOr CreateIsFinite(const KernelInit& init);

// compare_ops.cc
KernelOr CreateEqual(const KernelInit& init);      // attr incompatible_shape_error
KernelOr CreateNotEqual(const KernelInit& init);
KernelOr CreateLess(const KernelInit& init);
KernelOr CreateLessEqual(const KernelInit& init);
KernelOr CreateGreater(const KernelInit& init);
KernelOr CreateGreaterEqual(const KernelInit& init);
KernelOr CreateLogicalAnd(const KernelInit& init);
KernelOr CreateLogicalOr(const KernelInit& init);
KernelOr CreateLogicalNot(const KernelInit& init);

// select_ops.cc
KernelOr CreateSelect(const KernelInit& init);     // v1: same shape or dim-0 vector cond
KernelOr CreateSelectV2(const KernelInit& init);   // full broadcasting
KernelOr CreateClipByValue(const KernelInit& init);

// cast_op.cc
KernelOr CreateCast(const KernelInit& init);       // SrcT, DstT, Truncate
KernelOr CreateZerosLike(const KernelInit& init);
KernelOr CreateOnesLike(const KernelInit& init);

}  // namespace stfs::kernels
