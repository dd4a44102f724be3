#include "tensor/tensor_json.h"

#include <charconv>
#include <cmath>
#include <cctype>
#include <cstring>
#include <limits>
#include <span>
#include <type_traits>
#include <vector>

namespace stfs {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

// Sentinels that replace bare NaN / Infinity / -Infinity tokens in the
// fallback parse. They start with a NUL byte, which no sane string input does.
constexpr std::string_view kNanSentinel("\0stfs:NaN", 9);
constexpr std::string_view kInfSentinel("\0stfs:Inf", 9);
constexpr std::string_view kNegInfSentinel("\0stfs:-Inf", 10);

// ---------------------------------------------------------------------------
// Parsing.

bool IsJsonSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// Copies `text` into *out replacing NaN / Infinity / -Infinity tokens outside
// strings by sentinel strings. Returns false if there was none to replace.
bool RewriteNonFinite(std::string_view text, std::string* out) {
  out->clear();
  out->reserve(text.size() + 64);
  bool in_string = false, replaced = false;
  auto token_at = [&](size_t i, std::string_view tok) {
    if (text.compare(i, tok.size(), tok) != 0) return false;
    size_t end = i + tok.size();
    // Must not run into more identifier characters ("NaNx").
    return end == text.size() || !std::isalnum(static_cast<unsigned char>(text[end]));
  };
  auto put_sentinel = [&](std::string_view s) {
    out->append("\"\\u0000");
    out->append(s.substr(1));
    out->push_back('"');
    replaced = true;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      out->push_back(c);
      if (c == '\\' && i + 1 < text.size()) {
        out->push_back(text[++i]);
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == 'N' && token_at(i, "NaN")) {
      put_sentinel(kNanSentinel);
      i += 2;
      continue;
    } else if (c == 'I' && token_at(i, "Infinity")) {
      put_sentinel(kInfSentinel);
      i += 7;
      continue;
    } else if (c == '-' && token_at(i, "-Infinity")) {
      put_sentinel(kNegInfSentinel);
      i += 8;
      continue;
    }
    out->push_back(c);
  }
  return replaced;
}

std::string Abbrev(element v) {
  std::string s = simdjson::to_string(v);
  if (s.size() > 64) s = s.substr(0, 61) + "...";
  // Sentinels print as "\u0000stfs:NaN"; show the original token.
  return s;
}

std::string PathString(const std::vector<int64_t>& path) {
  std::string s;
  for (int64_t i : path) s += StrCat("[", i, "]");
  return s.empty() ? "top level" : s;
}

Status NotOfType(element v, DType dtype) {
  return InvalidArgument("JSON Value: ", Abbrev(v), " not of expected type: ", DTypeName(dtype));
}

// ---------------------------------------------------------------------------
// Scalar conversion.

Status ReadDouble(element v, DType dtype, const JsonReadOptions& opts, double* out) {
  switch (v.type()) {
    case element_type::INT64: *out = static_cast<double>(int64_t(v)); return Status::OK();
    case element_type::UINT64: *out = static_cast<double>(uint64_t(v)); return Status::OK();
    case element_type::DOUBLE: *out = double(v); return Status::OK();
    case element_type::STRING:
      if (opts.non_finite_sentinels) {
        std::string_view s(v);
        if (s == kNanSentinel) { *out = std::numeric_limits<double>::quiet_NaN(); return Status::OK(); }
        if (s == kInfSentinel) { *out = std::numeric_limits<double>::infinity(); return Status::OK(); }
        if (s == kNegInfSentinel) { *out = -std::numeric_limits<double>::infinity(); return Status::OK(); }
      }
      return NotOfType(v, dtype);
    default:
      return NotOfType(v, dtype);
  }
}

float DoubleToFloat(double d) {
  // Values at or beyond FLT_MAX + half an ulp round to infinity (and the
  // plain cast would be undefined behaviour).
  constexpr double kLimit = 3.4028235677973366e38;  // FLT_MAX + 2^103
  if (d >= kLimit) return std::numeric_limits<float>::infinity();
  if (d <= -kLimit) return -std::numeric_limits<float>::infinity();
  return static_cast<float>(d);
}

template <typename T>
Status ReadInteger(element v, DType dtype, T* out) {
  using L = std::numeric_limits<T>;
  switch (v.type()) {
    case element_type::INT64: {
      int64_t i = int64_t(v);
      if constexpr (std::is_signed_v<T>) {
        if (i < static_cast<int64_t>(L::min()) || i > static_cast<int64_t>(L::max())) break;
      } else {
        if (i < 0 || static_cast<uint64_t>(i) > static_cast<uint64_t>(L::max())) break;
      }
      *out = static_cast<T>(i);
      return Status::OK();
    }
    case element_type::UINT64: {
      uint64_t u = uint64_t(v);
      if (u > static_cast<uint64_t>(L::max())) break;
      *out = static_cast<T>(u);
      return Status::OK();
    }
    case element_type::DOUBLE: {
      double d = double(v);
      if (std::trunc(d) != d) return NotOfType(v, dtype);  // also NaN/inf
      // 2^63 / 2^64 bounds are exact doubles; compare before casting.
      const double lo = static_cast<double>(L::min());
      const double hi_excl = std::is_signed_v<T> ? -lo : 2.0 * (static_cast<double>(L::max() / 2) + 1);
      if (d < lo || d >= hi_excl) break;
      *out = static_cast<T>(d);
      return Status::OK();
    }
    default:
      return NotOfType(v, dtype);
  }
  return InvalidArgument("JSON Value: ", Abbrev(v), " is out of range for ", DTypeName(dtype));
}

Status ReadString(element v, const JsonReadOptions& opts, std::string* out) {
  if (v.type() == element_type::STRING) {
    std::string_view s(v);
    if (opts.non_finite_sentinels && !s.empty() && s[0] == '\0' &&
        (s == kNanSentinel || s == kInfSentinel || s == kNegInfSentinel)) {
      return InvalidArgument("JSON Value: non-finite number token not of expected type: string");
    }
    out->assign(s.data(), s.size());
    return Status::OK();
  }
  if (IsJsonB64Object(v)) {
    std::string_view text(v["b64"]);
    auto decoded = Base64DecodeLenient(text);
    if (!decoded.ok()) {
      return InvalidArgument("JSON Value: ", Abbrev(v), " has invalid base64 in \"b64\": ",
                             decoded.status().message());
    }
    *out = std::move(decoded).value();
    return Status::OK();
  }
  return NotOfType(v, DType::kString);
}

template <typename T>
Status ReadScalar(element v, DType dtype, const JsonReadOptions& opts, T* out) {
  if constexpr (std::is_same_v<T, float> || std::is_same_v<T, Half> ||
                std::is_same_v<T, BFloat16>) {
    double d;
    RETURN_IF_ERROR(ReadDouble(v, dtype, opts, &d));
    *out = T(DoubleToFloat(d));
    return Status::OK();
  } else if constexpr (std::is_same_v<T, double>) {
    return ReadDouble(v, dtype, opts, out);
  } else if constexpr (std::is_same_v<T, bool>) {
    if (v.type() != element_type::BOOL) return NotOfType(v, dtype);
    *out = bool(v);
    return Status::OK();
  } else if constexpr (std::is_same_v<T, std::string>) {
    return ReadString(v, opts, out);
  } else if constexpr (std::is_integral_v<T>) {
    return ReadInteger<T>(v, dtype, out);
  } else {
    return Unimplemented("Conversion of JSON Value: ", Abbrev(v), " to type ", DTypeName(dtype),
                         " is not supported");
  }
}

bool ReadableDType(DType d) {
  switch (d) {
    case DType::kFloat: case DType::kDouble: case DType::kHalf: case DType::kBFloat16:
    case DType::kInt8: case DType::kInt16: case DType::kInt32: case DType::kInt64:
    case DType::kUInt8: case DType::kUInt16: case DType::kUInt32: case DType::kUInt64:
    case DType::kBool: case DType::kString:
      return true;
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------
// Shapes.

void InferDims(element v, std::vector<int64_t>* dims) {
  while (v.type() == element_type::ARRAY) {
    array a(v);
    dims->push_back(static_cast<int64_t>(a.size()));
    if (a.size() == 0) break;
    v = *a.begin();
  }
}

// Checks that `v` has exactly the nesting `dims[depth..]`.
Status CheckDims(element v, std::span<const int64_t> dims, size_t depth,
                 std::vector<int64_t>* path) {
  if (depth == dims.size()) {
    if (v.type() == element_type::ARRAY) {
      return InvalidArgument("ragged list at ", PathString(*path),
                             ": expected a value, got a list of ", array(v).size(),
                             " elements");
    }
    return Status::OK();
  }
  if (v.type() != element_type::ARRAY) {
    return InvalidArgument("ragged list at ", PathString(*path), ": expected ", dims[depth],
                           " elements, got ", JsonTypeName(v));
  }
  array a(v);
  if (static_cast<int64_t>(a.size()) != dims[depth]) {
    return InvalidArgument("ragged list at ", PathString(*path), ": expected ", dims[depth],
                           " elements, got ", a.size());
  }
  if (depth + 1 == dims.size()) {
    // Leaves: only need to know that none is a list.
    int64_t i = 0;
    for (element c : a) {
      if (c.type() == element_type::ARRAY) {
        path->push_back(i);
        Status s = CheckDims(c, dims, depth + 1, path);
        path->pop_back();
        return s;
      }
      ++i;
    }
    return Status::OK();
  }
  int64_t i = 0;
  for (element c : a) {
    path->push_back(i++);
    Status s = CheckDims(c, dims, depth + 1, path);
    path->pop_back();
    RETURN_IF_ERROR(s);
  }
  return Status::OK();
}

// Writes the leaves of `v` (already checked against dims) in row-major order.
template <typename T>
Status FillValues(element v, int depth, int leaf_depth, DType dtype, const JsonReadOptions& opts,
                  T*& out) {
  if (depth == leaf_depth) return ReadScalar<T>(v, dtype, opts, out++);
  for (element c : array(v)) RETURN_IF_ERROR(FillValues<T>(c, depth + 1, leaf_depth, dtype, opts, out));
  return Status::OK();
}

StatusOr<Tensor> BuildTensor(std::span<const element> rows, bool stacked, DType dtype,
                             const JsonReadOptions& opts) {
  if (!ReadableDType(dtype)) {
    return Unimplemented("Conversion of JSON values to type ", DTypeName(dtype),
                         " is not supported");
  }
  // dims = [rows.size() if stacked] + the dims of one row, in one vector.
  std::vector<int64_t> dims;
  dims.reserve(4);
  if (stacked) dims.push_back(static_cast<int64_t>(rows.size()));
  const size_t row_offset = dims.size();
  if (!rows.empty()) InferDims(rows[0], &dims);
  const std::span<const int64_t> row_dims = std::span<const int64_t>(dims).subspan(row_offset);
  thread_local std::vector<int64_t> path;  // error locations only; reused (no malloc per request)
  path.clear();
  for (size_t i = 0; i < rows.size(); ++i) {
    if (stacked) path.assign(1, static_cast<int64_t>(i));
    RETURN_IF_ERROR(CheckDims(rows[i], row_dims, 0, &path));
  }
  const int leaf = static_cast<int>(row_dims.size());
  ASSIGN_OR_RETURN(Tensor t, Tensor::Create(dtype, Shape(std::move(dims))));
  Status status;
  DispatchDType(dtype, [&]<typename T>() {
    if constexpr (std::is_same_v<T, ResourceHandle> || std::is_same_v<T, Variant>) {
      status = Unimplemented("Conversion of JSON values to type ", DTypeName(dtype));
    } else {
      T* out = t.data<T>();
      for (const element& r : rows) {
        status = FillValues<T>(r, 0, leaf, dtype, opts, out);
        if (!status.ok()) return;
      }
    }
  });
  RETURN_IF_ERROR(status);
  return t;
}

}  // namespace

Status JsonDocument::Parse(std::string_view text) {
  options_ = JsonReadOptions{};
  size_t first = 0;
  while (first < text.size() && IsJsonSpace(text[first])) ++first;
  if (first == text.size()) return InvalidArgument("JSON Parse error: The document is empty");
  auto parse = [&](std::string_view t) {
    buffer_.resize(t.size() + simdjson::SIMDJSON_PADDING);
    std::memcpy(buffer_.data(), t.data(), t.size());
    std::memset(buffer_.data() + t.size(), 0, simdjson::SIMDJSON_PADDING);
    return parser_.parse(buffer_.data(), t.size(), false).get(root_);
  };
  simdjson::error_code err = parse(text);
  if (err) {
    std::string rewritten;
    if (RewriteNonFinite(text, &rewritten)) {
      err = parse(rewritten);
      if (!err) options_.non_finite_sentinels = true;
    }
  }
  if (err) {
    return InvalidArgument("JSON Parse error: Invalid value (", simdjson::error_message(err), ")");
  }
  return Status::OK();
}

StatusOr<Tensor> JsonToTensor(element value, DType dtype, const JsonReadOptions& options) {
  return BuildTensor(std::span<const element>(&value, 1), /*stacked=*/false, dtype, options);
}

StatusOr<Tensor> JsonRowsToTensor(std::span<const element> rows, DType dtype,
                                  const JsonReadOptions& options) {
  return BuildTensor(rows, /*stacked=*/true, dtype, options);
}

bool IsJsonB64Object(element value) {
  if (value.type() != element_type::OBJECT) return false;
  object o(value);
  if (o.size() != 1) return false;
  auto kv = *o.begin();
  return kv.key == "b64" && kv.value.type() == element_type::STRING;
}

std::string_view JsonTypeName(element value) {
  switch (value.type()) {
    case element_type::ARRAY: return "list";
    case element_type::OBJECT: return "object";
    case element_type::INT64:
    case element_type::UINT64: return "integer";
    case element_type::DOUBLE: return "number";
    case element_type::STRING: return "string";
    case element_type::BOOL: return "bool";
    case element_type::NULL_VALUE: return "null";
  }
  return "value";
}

}  // namespace stfs
