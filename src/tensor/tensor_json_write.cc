// Writing half of tensor_json.h: tensors and scalars as JSON text, plus the
// UTF-8 and base64 helpers both halves use.
#include <charconv>
#include <cmath>
#include <complex>
#include <cstring>
#include <span>
#include <type_traits>

#include "base/base64.h"
#include "tensor/tensor_json.h"

namespace stfs {
namespace {

// TF Serving prints floats with "%.6g" when that round-trips, else with
// max_digits10 significant digits ("%.9g" / "%.17g"), then appends ".0" when
// the text has neither '.' nor 'e'. We keep that layout but take the digits
// from std::to_chars' shortest round-trip form, so no spurious digits appear.
template <typename F>
void AppendGeneral(F value, std::string* out) {
  if (std::isnan(value)) { out->append("NaN"); return; }
  if (std::isinf(value)) { out->append(value < 0 ? "-Infinity" : "Infinity"); return; }
  char sci[64];
  auto res = std::to_chars(sci, sci + sizeof(sci), value, std::chars_format::scientific);
  std::string_view s(sci, res.ptr - sci);  // "-d.ddde+XX"
  size_t pos = 0;
  bool negative = false;
  if (s[0] == '-') { negative = true; pos = 1; }
  const size_t e_pos = s.find('e');
  char digits[40];
  int ndigits = 0;
  for (size_t i = pos; i < e_pos; ++i) {
    if (s[i] != '.') digits[ndigits++] = s[i];
  }
  int exponent = 0;
  std::from_chars(s.data() + e_pos + (s[e_pos + 1] == '+' ? 2 : 1), s.data() + s.size(), exponent);
  const int precision = ndigits <= 6 ? 6 : (std::is_same_v<F, float> ? 9 : 17);
  if (exponent < -4 || exponent >= precision) {
    out->append(s);  // scientific, as %g prints it; already contains 'e'
    return;
  }
  if (negative) out->push_back('-');
  if (exponent < 0) {
    out->append("0.");
    out->append(static_cast<size_t>(-exponent - 1), '0');
    out->append(digits, ndigits);
    return;
  }
  const int int_digits = exponent + 1;
  if (ndigits <= int_digits) {
    out->append(digits, ndigits);
    out->append(static_cast<size_t>(int_digits - ndigits), '0');
    out->append(".0");
  } else {
    out->append(digits, int_digits);
    out->push_back('.');
    out->append(digits + int_digits, ndigits - int_digits);
  }
}

template <typename I>
void AppendInteger(I value, std::string* out) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof(buf), value);
  out->append(buf, res.ptr - buf);
}

void AppendB64Object(std::string_view bytes, std::string* out) {
  out->append("{\"b64\": \"");
  out->append(EncodeStdBase64(bytes));
  out->append("\"}");
}

template <typename T>
void AppendScalar(const T& v, bool bytes_as_b64, std::string* out) {
  if constexpr (std::is_same_v<T, float>) {
    AppendGeneral<float>(v, out);
  } else if constexpr (std::is_same_v<T, double>) {
    AppendGeneral<double>(v, out);
  } else if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) {
    AppendGeneral<float>(static_cast<float>(v), out);
  } else if constexpr (std::is_same_v<T, bool>) {
    out->append(v ? "true" : "false");
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (bytes_as_b64 || !IsValidUtf8(v)) {
      AppendB64Object(v, out);
    } else {
      AppendJsonString(v, out);
    }
  } else if constexpr (std::is_same_v<T, std::complex<float>> ||
                       std::is_same_v<T, std::complex<double>>) {
    out->push_back('[');
    AppendGeneral(v.real(), out);
    out->append(", ");
    AppendGeneral(v.imag(), out);
    out->push_back(']');
  } else if constexpr (std::is_integral_v<T>) {
    AppendInteger(v, out);
  } else {
    out->append("null");  // unreachable after CheckJsonWritable
  }
}

template <typename T>
void AppendNested(const T*& data, std::span<const int64_t> dims, size_t depth,
                  bool bytes_as_b64, std::string* out) {
  if (depth == dims.size()) {
    AppendScalar<T>(*data++, bytes_as_b64, out);
    return;
  }
  out->push_back('[');
  for (int64_t i = 0; i < dims[depth]; ++i) {
    if (i) out->append(", ");
    AppendNested<T>(data, dims, depth + 1, bytes_as_b64, out);
  }
  out->push_back(']');
}

// Writes `count` consecutive elements starting at `first` with `dims` nesting.
void AppendElements(const Tensor& t, int64_t first, std::span<const int64_t> dims,
                    bool bytes_as_b64, std::string* out) {
  DispatchDType(t.dtype(), [&]<typename T>() {
    if constexpr (std::is_same_v<T, ResourceHandle> || std::is_same_v<T, Variant>) {
      out->append("null");
    } else {
      const T* data = t.data<T>() + first;
      AppendNested<T>(data, dims, 0, bytes_as_b64, out);
    }
  });
}

constexpr char kB64Std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

Status CheckJsonWritable(DType dtype) {
  switch (dtype) {
    case DType::kResource:
    case DType::kVariant:
    case DType::kInvalid:
      return Unimplemented("tensors of type ", DTypeName(dtype), " cannot be written as JSON");
    default:
      return Status::OK();
  }
}

void AppendTensorJson(const Tensor& tensor, bool bytes_as_b64, std::string* out) {
  AppendElements(tensor, 0, tensor.shape().dims(), bytes_as_b64, out);
}

void AppendTensorRowJson(const Tensor& tensor, int64_t index, bool bytes_as_b64,
                         std::string* out) {
  const std::span<const int64_t> dims = std::span<const int64_t>(tensor.shape().dims()).subspan(1);
  int64_t row = 1;
  for (int64_t d : dims) row *= d;
  AppendElements(tensor, index * row, dims, bytes_as_b64, out);
}

void AppendJsonFloat(float value, std::string* out) { AppendGeneral<float>(value, out); }
void AppendJsonDouble(double value, std::string* out) { AppendGeneral<double>(value, out); }

void AppendJsonString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  const bool valid = IsValidUtf8(s);
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out->append("\\\""); continue;
      case '\\': out->append("\\\\"); continue;
      case '\n': out->append("\\n"); continue;
      case '\r': out->append("\\r"); continue;
      case '\t': out->append("\\t"); continue;
      case '\b': out->append("\\b"); continue;
      case '\f': out->append("\\f"); continue;
      default: break;
    }
    if (c < 0x20) {
      out->append("\\u00");
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 15]);
    } else if (c >= 0x80 && !valid) {
      out->append("\xEF\xBF\xBD");  // U+FFFD for each byte of a bad string
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
  out->push_back('"');
}

bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    // Fast path over ASCII.
    if (p[i] < 0x80) { ++i; continue; }
    unsigned c = p[i];
    int len;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; }
    else return false;
    if (i + len > n) return false;
    for (int k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += len;
  }
  return true;
}

StatusOr<std::string> Base64DecodeLenient(std::string_view in) {
  size_t n = in.size();
  size_t pad = 0;
  while (n > 0 && in[n - 1] == '=' && pad < 2) { --n; ++pad; }
  if (pad && in.size() % 4 != 0) return InvalidArgument("base64 padding is misplaced");
  if (n % 4 == 1) return InvalidArgument("base64 length ", n, " is invalid");
  std::string out;
  out.reserve(n / 4 * 3 + 2);
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = in[i];
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+' || c == '-') v = 62;
    else if (c == '/' || c == '_') v = 63;
    else return InvalidArgument("invalid base64 character at offset ", i);
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

}  // namespace stfs
