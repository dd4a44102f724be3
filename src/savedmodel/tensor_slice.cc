#include "savedmodel/tensor_slice.h"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace stfs {
namespace {

bool ParseInt64(std::string_view s, int64_t* v) {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
  return ec == std::errc() && ptr == s.data() + s.size();
}

std::vector<std::string_view> Split(std::string_view s, char sep, bool skip_empty) {
  std::vector<std::string_view> out;
  size_t begin = 0;
  while (true) {
    size_t pos = s.find(sep, begin);
    std::string_view part = s.substr(begin, pos == std::string_view::npos ? std::string_view::npos : pos - begin);
    if (!(skip_empty && part.empty())) out.push_back(part);
    if (pos == std::string_view::npos) break;
    begin = pos + 1;
  }
  return out;
}

}  // namespace

StatusOr<TensorSlice> ParseSliceString(std::string_view s) {
  TensorSlice slice;
  for (std::string_view item : Split(s, ':', /*skip_empty=*/true)) {
    if (item == "-") {
      slice.push_back({0, -1});
      continue;
    }
    size_t comma = item.find(',');
    int64_t start, length;
    if (comma == std::string_view::npos || !ParseInt64(item.substr(0, comma), &start) ||
        !ParseInt64(item.substr(comma + 1), &length)) {
      return InvalidArgument("slice '", s, "': expected '-' or 'start,length' but got '", item, "'");
    }
    if (start < 0 || length <= 0) {
      return InvalidArgument("slice '", s, "': expected a non-negative start and a positive length, got ",
                             start, ",", length);
    }
    slice.push_back({start, length});
  }
  if (slice.size() > 254) return InvalidArgument("slice '", s.substr(0, 64), "...' has too many dimensions");
  return slice;
}

std::string SliceToString(const TensorSlice& slice) {
  std::string out;
  for (size_t d = 0; d < slice.size(); ++d) {
    if (d) out += ':';
    out += slice[d].full() ? std::string("-") : StrCat(slice[d].start, ",", slice[d].length);
  }
  return out;
}

StatusOr<Shape> SliceShape(const TensorSlice& slice, const Shape& full) {
  if (static_cast<int>(slice.size()) != full.rank()) {
    return InvalidArgument("slice '", SliceToString(slice), "' has rank ", slice.size(),
                           " but the tensor shape ", full.ToString(), " has rank ", full.rank());
  }
  std::vector<int64_t> dims;
  for (int d = 0; d < full.rank(); ++d) {
    const SliceExtent& e = slice[d];
    if (e.full()) {
      dims.push_back(full.dim(d));
      continue;
    }
    if (e.start < 0 || e.length < 0 || e.start > full.dim(d) || e.length > full.dim(d) - e.start) {
      return InvalidArgument("slice '", SliceToString(slice), "' is out of bounds in dimension ", d,
                             " of shape ", full.ToString());
    }
    dims.push_back(e.length);
  }
  return Shape(std::move(dims));
}

Status ParseShapeAndSlice(std::string_view spec, Shape* full_shape, TensorSlice* slice) {
  std::vector<std::string_view> parts = Split(spec, ' ', /*skip_empty=*/false);
  if (parts.size() < 2) {
    return InvalidArgument("shape_and_slice spec '", spec,
                           "' needs the full shape's dimensions followed by a slice");
  }
  ASSIGN_OR_RETURN(*slice, ParseSliceString(parts.back()));
  std::vector<int64_t> dims;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    int64_t d;
    if (!ParseInt64(parts[i], &d) || d < 0) {
      return InvalidArgument("shape_and_slice spec '", spec, "': bad dimension '", parts[i], "'");
    }
    dims.push_back(d);
  }
  auto shape = Shape::Create(std::move(dims));
  if (!shape.ok()) return shape.status().WithContext(StrCat("shape_and_slice spec '", spec, "'"));
  *full_shape = std::move(shape).value();
  auto sliced = SliceShape(*slice, *full_shape);
  if (!sliced.ok()) return sliced.status().WithContext(StrCat("shape_and_slice spec '", spec, "'"));
  return Status::OK();
}

TensorSlice ResolveSlice(const TensorSlice& slice, const Shape& full) {
  TensorSlice out = slice;
  for (size_t d = 0; d < out.size() && static_cast<int>(d) < full.rank(); ++d) {
    if (out[d].full()) out[d] = {0, full.dim(static_cast<int>(d))};
  }
  return out;
}

bool IntersectSlices(const TensorSlice& a, const TensorSlice& b, TensorSlice* out) {
  if (a.size() != b.size()) return false;
  out->resize(a.size());
  for (size_t d = 0; d < a.size(); ++d) {
    const int64_t start = std::max(a[d].start, b[d].start);
    const int64_t end = std::min(a[d].start + a[d].length, b[d].start + b[d].length);
    if (end <= start) return false;
    (*out)[d] = {start, end - start};
  }
  return true;
}

TensorSlice SliceFromProto(const tensorflow::TensorSliceProto& proto) {
  TensorSlice slice;
  for (const auto& e : proto.extent()) {
    slice.push_back({e.start(), e.has_length_case() == tensorflow::TensorSliceProto::Extent::kLength
                                    ? e.length()
                                    : int64_t{-1}});
  }
  return slice;
}

void SliceToProto(const TensorSlice& slice, tensorflow::TensorSliceProto* proto) {
  proto->Clear();
  for (const SliceExtent& e : slice) {
    auto* x = proto->add_extent();
    if (!e.full()) {  // full extents are recorded as empty, as TensorFlow does
      x->set_start(e.start);
      x->set_length(e.length);
    }
  }
}

namespace ordered_code {

void WriteNumIncreasing(std::string* dest, uint64_t v) {
  char buf[8];
  int len = 0;
  for (; v > 0; v >>= 8) buf[7 - len++] = static_cast<char>(v & 0xff);
  dest->push_back(static_cast<char>(len));
  dest->append(buf + 8 - len, len);
}

bool ReadNumIncreasing(std::string_view* src, uint64_t* v) {
  if (src->empty()) return false;
  const size_t len = static_cast<uint8_t>((*src)[0]);
  if (len > 8 || len + 1 > src->size()) return false;
  uint64_t x = 0;
  for (size_t i = 0; i < len; ++i) x = (x << 8) | static_cast<uint8_t>((*src)[1 + i]);
  *v = x;
  src->remove_prefix(len + 1);
  return true;
}

// Signed format: the value as big-endian two's complement in `len` bytes, whose
// top `len` bits (sign and size bits, all equal to the sign) are inverted, so
// byte order matches numeric order. 1 byte covers [-64, 64), n bytes
// [-2^(7n-1), 2^(7n-1)), at most 10 bytes.
void WriteSignedNumIncreasing(std::string* dest, int64_t v) {
  const uint64_t x = v < 0 ? ~static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  const int bits = x == 0 ? 0 : 64 - __builtin_clzll(x);
  const int len = (bits + 1 + 6) / 7;
  unsigned char buf[10];
  buf[0] = buf[1] = v < 0 ? 0xff : 0x00;
  for (int i = 0; i < 8; ++i) buf[2 + i] = static_cast<unsigned char>(static_cast<uint64_t>(v) >> (56 - 8 * i));
  unsigned char* begin = buf + 10 - len;
  for (int bit = 0; bit < len; ++bit) begin[bit / 8] ^= static_cast<unsigned char>(0x80 >> (bit % 8));
  dest->append(reinterpret_cast<const char*>(begin), len);
}

bool ReadSignedNumIncreasing(std::string_view* src, int64_t* v) {
  if (src->empty()) return false;
  const bool negative = !(static_cast<uint8_t>((*src)[0]) & 0x80);
  const unsigned char flip = negative ? 0xff : 0x00;
  // Count leading bits equal to the sign bit: that is the length.
  int len = 0;
  for (size_t i = 0; i < 2 && i < src->size(); ++i) {
    const unsigned char b = static_cast<unsigned char>((*src)[i]) ^ flip;
    int ones = b == 0xff ? 8 : __builtin_clz(static_cast<unsigned>(static_cast<unsigned char>(~b)) << 24);
    len += ones;
    if (ones < 8) break;
  }
  if (len < 1 || len > 10 || src->size() < static_cast<size_t>(len)) return false;
  unsigned char buf[10];
  std::memcpy(buf, src->data(), len);
  for (int bit = 0; bit < len; ++bit) buf[bit / 8] ^= static_cast<unsigned char>(0x80 >> (bit % 8));
  uint64_t x = negative ? ~uint64_t{0} : 0;
  for (int i = std::max(0, len - 8); i < len; ++i) x = (x << 8) | buf[i];
  *v = static_cast<int64_t>(x);
  src->remove_prefix(len);
  return true;
}

void WriteString(std::string* dest, std::string_view s) {
  for (char c : s) {
    if (c == '\0') {
      dest->append("\x00\xff", 2);
    } else if (c == '\xff') {
      dest->append("\xff\x00", 2);
    } else {
      dest->push_back(c);
    }
  }
  dest->append("\x00\x01", 2);
}

bool ReadString(std::string_view* src, std::string* s) {
  s->clear();
  size_t i = 0;
  while (i + 1 < src->size()) {
    const char c = (*src)[i];
    if (c == '\0' || c == '\xff') {
      const char next = (*src)[i + 1];
      if (c == '\0' && next == '\x01') {
        src->remove_prefix(i + 2);
        return true;
      }
      if (c == '\0' && next == '\xff') {
        s->push_back('\0');
      } else if (c == '\xff' && next == '\x00') {
        s->push_back('\xff');
      } else {
        return false;
      }
      i += 2;
    } else {
      s->push_back(c);
      ++i;
    }
  }
  return false;
}

}  // namespace ordered_code

std::string EncodeTensorNameSlice(std::string_view name, const TensorSlice& slice) {
  std::string out;
  ordered_code::WriteNumIncreasing(&out, 0);
  ordered_code::WriteString(&out, name);
  ordered_code::WriteNumIncreasing(&out, slice.size());
  for (const SliceExtent& e : slice) {
    ordered_code::WriteSignedNumIncreasing(&out, e.full() ? 0 : e.start);
    ordered_code::WriteSignedNumIncreasing(&out, e.full() ? -1 : e.length);
  }
  return out;
}

Status DecodeTensorNameSlice(std::string_view code, std::string* name, TensorSlice* slice) {
  std::string_view src = code;
  uint64_t x;
  if (!ordered_code::ReadNumIncreasing(&src, &x) || x != 0) {
    return InvalidArgument("slice key does not start with the number 0");
  }
  if (!ordered_code::ReadString(&src, name)) return InvalidArgument("slice key: bad tensor name");
  if (!ordered_code::ReadNumIncreasing(&src, &x) || x == 0 || x > 254) {
    return InvalidArgument("slice key for '", *name, "': bad rank");
  }
  slice->clear();
  for (uint64_t d = 0; d < x; ++d) {
    int64_t start, length;
    if (!ordered_code::ReadSignedNumIncreasing(&src, &start) ||
        !ordered_code::ReadSignedNumIncreasing(&src, &length)) {
      return InvalidArgument("slice key for '", *name, "': bad extent in dimension ", d);
    }
    slice->push_back(length >= 0 ? SliceExtent{start, length} : SliceExtent{0, -1});
  }
  if (!src.empty()) return InvalidArgument("slice key for '", *name, "': trailing bytes");
  return Status::OK();
}

Status CopySliceRegion(const Tensor& src, const TensorSlice& src_slice, Tensor* dst,
                       const TensorSlice& dst_slice, const TensorSlice& region) {
  const int r = static_cast<int>(region.size());
  if (src.dtype() != dst->dtype() || src.rank() != r || dst->rank() != r ||
      static_cast<int>(src_slice.size()) != r || static_cast<int>(dst_slice.size()) != r) {
    return Internal("CopySliceRegion: mismatched dtypes or ranks");
  }
  for (int d = 0; d < r; ++d) {
    const SliceExtent &g = region[d], &s = src_slice[d], &t = dst_slice[d];
    if (src.dim(d) != s.length || dst->dim(d) != t.length || g.start < s.start ||
        g.start + g.length > s.start + s.length || g.start < t.start ||
        g.start + g.length > t.start + t.length) {
      return Internal("CopySliceRegion: region ", SliceToString(region), " is not inside ",
                      SliceToString(src_slice), " and ", SliceToString(dst_slice));
    }
    if (g.length == 0) return Status::OK();
  }
  Status status;
  DispatchDType(src.dtype(), [&]<typename T>() {
    const T* in = src.data<T>();
    T* out = dst->data<T>();
    if (r == 0) {
      out[0] = in[0];
      return;
    }
    std::vector<int64_t> src_stride(r, 1), dst_stride(r, 1);
    for (int d = r - 2; d >= 0; --d) {
      src_stride[d] = src_stride[d + 1] * src_slice[d + 1].length;
      dst_stride[d] = dst_stride[d + 1] * dst_slice[d + 1].length;
    }
    const int64_t run = region[r - 1].length;
    std::vector<int64_t> idx(r, 0);  // position within the region, last dim unused
    while (true) {
      int64_t so = 0, doff = 0;
      for (int d = 0; d < r; ++d) {
        const int64_t full = region[d].start + (d == r - 1 ? 0 : idx[d]);
        so += (full - src_slice[d].start) * src_stride[d];
        doff += (full - dst_slice[d].start) * dst_stride[d];
      }
      if constexpr (std::is_trivially_copyable_v<T>) {
        std::memcpy(out + doff, in + so, static_cast<size_t>(run) * sizeof(T));
      } else {
        for (int64_t i = 0; i < run; ++i) out[doff + i] = in[so + i];
      }
      int d = r - 2;
      for (; d >= 0; --d) {
        if (++idx[d] < region[d].length) break;
        idx[d] = 0;
      }
      if (d < 0) break;
    }
  });
  return status;
}

}  // namespace stfs
