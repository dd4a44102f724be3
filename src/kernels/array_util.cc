#include "kernels/array_util.h"

#include <algorithm>
#include <cstring>

namespace stfs::kernels {

Status CheckIntDType(const Tensor& t, std::string_view what) {
  if (t.dtype() != DType::kInt32 && t.dtype() != DType::kInt64) {
    return InvalidArgument(what, " must be int32 or int64, got ", t.DTypeShapeString());
  }
  return Status::OK();
}

StatusOr<std::vector<int64_t>> ReadIntFlat(const Tensor& t, std::string_view what) {
  RETURN_IF_ERROR(CheckIntDType(t, what));
  std::vector<int64_t> v(t.NumElements());
  for (int64_t i = 0; i < t.NumElements(); ++i) v[i] = IntAt(t, i);
  return v;
}

StatusOr<std::vector<int64_t>> ReadIntVector(const Tensor& t, std::string_view what) {
  if (t.rank() > 1) {
    return InvalidArgument(what, " must be a vector, got shape ", t.shape().ToString());
  }
  return ReadIntFlat(t, what);
}

StatusOr<int64_t> ReadIntScalar(const Tensor& t, std::string_view what) {
  RETURN_IF_ERROR(CheckIntDType(t, what));
  if (t.NumElements() != 1) {
    return InvalidArgument(what, " must be a scalar, got shape ", t.shape().ToString());
  }
  return IntAt(t, 0);
}

StatusOr<int> CanonicalAxis(int64_t axis, int rank, std::string_view what) {
  if (axis < -rank || axis >= rank) {
    return InvalidArgument(what, " ", axis, " is out of range for a tensor of rank ", rank,
                           " (expected [", -rank, ", ", rank, "))");
  }
  return static_cast<int>(axis < 0 ? axis + rank : axis);
}

void CopyElements(const Tensor& src, int64_t src_index, Tensor* dst, int64_t dst_index,
                  int64_t n) {
  if (n <= 0) return;
  if (DTypeIsPod(src.dtype())) {
    const size_t size = DTypeSize(src.dtype());
    std::memcpy(static_cast<char*>(dst->raw_data()) + dst_index * size,
                static_cast<const char*>(src.raw_data()) + src_index * size, n * size);
    return;
  }
  DispatchDType(src.dtype(), [&]<typename T>() {
    std::copy_n(src.data<T>() + src_index, n, dst->data<T>() + dst_index);
  });
}

std::vector<int64_t> Strides(const Shape& shape) {
  std::vector<int64_t> s(shape.rank());
  int64_t acc = 1;
  for (int i = shape.rank() - 1; i >= 0; --i) {
    s[i] = acc;
    acc *= shape.dim(i);
  }
  return s;
}

std::string VecString(const std::vector<int64_t>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += StrCat(i ? "," : "", v[i]);
  return s + "]";
}

namespace {

template <typename T>
void GatherTyped(const T* in, const std::vector<std::vector<int64_t>>& offsets, int64_t n,
                 T* out) {
  const int rank = static_cast<int>(offsets.size());
  if (rank == 0) {
    out[0] = in[0];
    return;
  }
  const std::vector<int64_t>& last = offsets[rank - 1];
  const int64_t row = static_cast<int64_t>(last.size());
  bool contiguous = true;
  for (int64_t j = 1; j < row && contiguous; ++j) contiguous = last[j] == last[0] + j;
  std::vector<int64_t> idx(rank, 0);
  int64_t base = 0;  // sum over k < rank-1 of offsets[k][idx[k]]
  for (int k = 0; k + 1 < rank; ++k) base += offsets[k][0];
  for (int64_t done = 0; done < n; done += row) {
    const T* src = in + base;
    if (contiguous) {
      std::copy_n(src + last[0], row, out);
    } else {
      for (int64_t j = 0; j < row; ++j) out[j] = src[last[j]];
    }
    out += row;
    // Advance the odometer over the outer dims.
    for (int k = rank - 2; k >= 0; --k) {
      base -= offsets[k][idx[k]];
      if (++idx[k] < static_cast<int64_t>(offsets[k].size())) {
        base += offsets[k][idx[k]];
        break;
      }
      idx[k] = 0;
      base += offsets[k][0];
    }
  }
}

}  // namespace

void GatherByOffsets(const Tensor& in, const std::vector<std::vector<int64_t>>& offsets,
                     Tensor* out) {
  if (out->NumElements() == 0) return;
  const int64_t n = out->NumElements();
  const DType dt = in.dtype();
  if (DTypeIsPod(dt)) {
    // Copy by element width so one instantiation serves every POD dtype.
    switch (DTypeSize(dt)) {
      case 1: GatherTyped(static_cast<const uint8_t*>(in.raw_data()), offsets, n, static_cast<uint8_t*>(out->raw_data())); return;
      case 2: GatherTyped(static_cast<const uint16_t*>(in.raw_data()), offsets, n, static_cast<uint16_t*>(out->raw_data())); return;
      case 4: GatherTyped(static_cast<const uint32_t*>(in.raw_data()), offsets, n, static_cast<uint32_t*>(out->raw_data())); return;
      case 8: GatherTyped(static_cast<const uint64_t*>(in.raw_data()), offsets, n, static_cast<uint64_t*>(out->raw_data())); return;
      default: break;
    }
  }
  DispatchDType(dt, [&]<typename T>() { GatherTyped(in.data<T>(), offsets, n, out->data<T>()); });
}

}  // namespace stfs::kernels
