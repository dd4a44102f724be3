// Window geometry shared by Conv2D, DepthwiseConv2dNative and pooling
// (internal to the kernels-math family).
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "exec/op_kernel.h"

namespace stfs::kernels {

enum class Padding { kSame, kValid, kExplicit };

// Per spatial dim: output size and padding before (TF's formulas: SAME puts
// the odd padding pixel after).
struct Window1D {
  int64_t out = 0;
  int64_t pad_before = 0;
};

inline StatusOr<Window1D> ComputeWindow(int64_t in, int64_t k, int64_t stride, int64_t dilation, Padding p,
                                        int64_t explicit_before = 0, int64_t explicit_after = 0) {
  if (stride < 1 || dilation < 1 || k < 1) {
    return InvalidArgument("window size, stride and dilation must be >= 1, got ", k, ", ", stride, ", ", dilation);
  }
  const int64_t eff = (k - 1) * dilation + 1;
  Window1D w;
  switch (p) {
    case Padding::kSame: {
      w.out = (in + stride - 1) / stride;
      const int64_t total = std::max<int64_t>((w.out - 1) * stride + eff - in, 0);
      w.pad_before = total / 2;
      break;
    }
    case Padding::kValid:
      w.out = (in - eff + stride) / stride;
      break;
    case Padding::kExplicit:
      if (explicit_before < 0 || explicit_after < 0) return InvalidArgument("explicit padding must be >= 0");
      w.out = (in + explicit_before + explicit_after - eff + stride) / stride;
      w.pad_before = explicit_before;
      break;
  }
  if (w.out < 0) {
    return InvalidArgument("Computed output size would be negative: input ", in, ", effective window ", eff,
                           ", stride ", stride);
  }
  return w;
}

// Taps t in [*lo, *hi) of a k-tap window starting at input index `start`
// (tap t reads start + t*dilation) that fall inside [0, size); *lo == *hi when
// none do. Lets inner loops run without per-tap bounds checks.
inline void ValidTaps(int64_t start, int64_t k, int64_t dilation, int64_t size, int64_t* lo, int64_t* hi) {
  if (dilation == 1) {  // no division on the common path (called per output pixel)
    *hi = std::clamp<int64_t>(size - start, 0, k);
    *lo = std::min(std::max<int64_t>(-start, 0), *hi);
    return;
  }
  const int64_t first = start >= 0 ? 0 : (-start + dilation - 1) / dilation;
  const int64_t last = start < size ? std::min<int64_t>(k, (size - 1 - start) / dilation + 1) : 0;
  *lo = std::min(first, last);
  *hi = last;
}

inline StatusOr<Padding> ParsePadding(const KernelInit& init) {
  ASSIGN_OR_RETURN(std::string p, init.attrs.GetString("padding"));
  if (p == "SAME") return Padding::kSame;
  if (p == "VALID") return Padding::kValid;
  if (p == "EXPLICIT") return Padding::kExplicit;
  return InvalidArgument(init.op, ": unknown padding \"", p, "\"");
}

// A 4-element NHWC list attr (strides, ksize, dilations) with N and C == 1.
inline StatusOr<std::vector<int64_t>> Parse4(const KernelInit& init, const char* name, bool required) {
  std::vector<int64_t> v = {1, 1, 1, 1};
  if (init.attrs.Has(name)) {
    ASSIGN_OR_RETURN(v, init.attrs.GetIntList(name));
  } else if (required) {
    return InvalidArgument(init.op, " requires attr ", name);
  }
  if (v.size() != 4) return InvalidArgument(init.op, " attr ", name, " must have 4 elements, got ", v.size());
  if (v[0] != 1 || v[3] != 1) {
    return Unimplemented(init.op, " ", name, " on the batch or depth dimension must be 1");
  }
  for (int64_t x : v) {
    if (x < 1) return InvalidArgument(init.op, " attr ", name, " values must be >= 1");
  }
  return v;
}

inline Status RequireNhwc(const KernelInit& init) {
  const std::string f = init.attrs.GetStringOr("data_format", "NHWC");
  if (f != "NHWC") {
    return Unimplemented(init.op, " only supports the NHWC tensor format on the CPU, got data_format ", f);
  }
  return Status::OK();
}

}  // namespace stfs::kernels
