#include "kernels/string_ops.h"

#include <farmhash.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "base/base64.h"
#include "kernels/array_util.h"

namespace stfs::kernels {
namespace {

Status CheckString(const Tensor& t, std::string_view what) {
  if (t.dtype() != DType::kString) return InvalidArgument(what, " must be a string tensor, got ", t.DTypeShapeString());
  return Status::OK();
}

class StringToHashBucketFastOp : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    ASSIGN_OR_RETURN(num_buckets_, init.attrs.GetInt("num_buckets"));
    if (num_buckets_ < 1) return InvalidArgument("num_buckets must be >= 1, got ", num_buckets_);
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    RETURN_IF_ERROR(CheckString(in, "input"));
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(DType::kInt64, in.shape()));
    const std::string* s = in.data<std::string>();
    int64_t* o = out.data<int64_t>();
    const uint64_t buckets = static_cast<uint64_t>(num_buckets_);
    for (int64_t i = 0; i < in.NumElements(); ++i) {
      o[i] = static_cast<int64_t>(util::Fingerprint64(s[i].data(), s[i].size()) % buckets);
    }
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }

 private:
  int64_t num_buckets_ = 1;
};

class AsStringOp : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    const AttrMap& a = init.attrs;
    dtype_ = init.input_dtypes.empty() ? a.GetTypeOr("T", DType::kInvalid) : init.input_dtypes[0];
    const int64_t precision = a.GetIntOr("precision", -1);
    const bool scientific = a.GetBoolOr("scientific", false);
    const bool shortest = a.GetBoolOr("shortest", false);
    const int64_t width = a.GetIntOr("width", -1);
    const std::string fill = a.GetStringOr("fill", "");
    if (shortest && scientific) return InvalidArgument("Cannot select both scientific and shortest notation");
    if (fill.size() > 1) return InvalidArgument("Fill string must be one or fewer characters");
    std::string spec = "%";
    if (!fill.empty()) {
      if (std::string_view(" +-0#").find(fill[0]) == std::string_view::npos) {
        return InvalidArgument("Fill argument not supported: \"", fill, "\"");
      }
      spec += fill;
    }
    if (width > -1) spec += std::to_string(width);
    if (precision > -1) spec += "." + std::to_string(precision);
    const bool floating = DTypeIsFloating(dtype_) || DTypeIsComplex(dtype_);
    if (precision > -1 && !floating) {
      return InvalidArgument("precision not supported for datatype ", DTypeName(dtype_));
    }
    switch (dtype_) {
      case DType::kInt8: case DType::kInt16: case DType::kInt32: case DType::kUInt8: case DType::kUInt16:
        format_ = spec + "d";
        break;
      case DType::kUInt32: format_ = spec + "u"; break;
      case DType::kInt64: format_ = spec + "lld"; break;
      case DType::kUInt64: format_ = spec + "llu"; break;
      case DType::kFloat: case DType::kDouble: case DType::kHalf: case DType::kBFloat16:
      case DType::kComplex64: case DType::kComplex128:
        format_ = spec + (shortest ? "g" : scientific ? "e" : "f");
        if (DTypeIsComplex(dtype_)) format_ = "(" + format_ + "," + format_ + ")";
        break;
      case DType::kBool: break;
      case DType::kString: format_ = spec + "s"; break;
      default: return InvalidArgument("AsString does not support dtype ", DTypeName(dtype_));
    }
    return Status::OK();
  }

  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    if (in.dtype() != dtype_) {
      return InvalidArgument("input dtype ", DTypeName(in.dtype()), " != declared ", DTypeName(dtype_));
    }
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(DType::kString, in.shape()));
    std::string* o = out.data<std::string>();
    const char* f = format_.c_str();
    DispatchDType(in.dtype(), [&]<typename T>() {
      const T* p = in.data<T>();
      for (int64_t i = 0; i < in.NumElements(); ++i) {
        if constexpr (std::is_same_v<T, bool>) {
          o[i] = p[i] ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::string>) {
          o[i] = Format(f, p[i].c_str());
        } else if constexpr (std::is_same_v<T, std::complex<float>> || std::is_same_v<T, std::complex<double>>) {
          o[i] = Format(f, static_cast<double>(p[i].real()), static_cast<double>(p[i].imag()));
        } else if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) {
          o[i] = Format(f, static_cast<double>(static_cast<float>(p[i])));
        } else if constexpr (std::is_floating_point_v<T>) {
          o[i] = Format(f, static_cast<double>(p[i]));
        } else if constexpr (std::is_same_v<T, int64_t>) {
          o[i] = Format(f, static_cast<long long>(p[i]));
        } else if constexpr (std::is_same_v<T, uint64_t>) {
          o[i] = Format(f, static_cast<unsigned long long>(p[i]));
        } else if constexpr (std::is_same_v<T, uint32_t>) {
          o[i] = Format(f, static_cast<unsigned>(p[i]));
        } else if constexpr (std::is_integral_v<T>) {
          o[i] = Format(f, static_cast<int>(p[i]));
        }
      }
    });
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }

 private:
  template <typename... A>
  static std::string Format(const char* f, A... args) {
    char buf[64];
    int n = std::snprintf(buf, sizeof(buf), f, args...);
    if (n < 0) return std::string();
    if (n < static_cast<int>(sizeof(buf))) return std::string(buf, n);
    std::string s(n + 1, '\0');  // wide outputs ("%400f", 1e300)
    std::snprintf(s.data(), s.size(), f, args...);
    s.resize(n);
    return s;
  }

  DType dtype_ = DType::kInvalid;
  std::string format_;
};

class StringJoinOp : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    separator_ = init.attrs.GetStringOr("separator", "");
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    const Tensor* shaped = nullptr;
    for (int i = 0; i < ctx->num_inputs(); ++i) {
      const Tensor& t = ctx->input(i);
      RETURN_IF_ERROR(CheckString(t, "StringJoin input"));
      if (t.rank() == 0) continue;
      if (shaped && t.shape() != shaped->shape()) {
        return InvalidArgument("Input shapes do not match: ", shaped->shape().ToString(), " vs. ",
                               t.shape().ToString());
      }
      shaped = &t;
    }
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(DType::kString, shaped ? shaped->shape() : Shape{}));
    std::string* o = out.data<std::string>();
    for (int64_t j = 0; j < out.NumElements(); ++j) {
      for (int i = 0; i < ctx->num_inputs(); ++i) {
        const Tensor& t = ctx->input(i);
        if (i > 0) o[j] += separator_;
        o[j] += t.data<std::string>()[t.rank() == 0 ? 0 : j];
      }
    }
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }

 private:
  std::string separator_;
};

class SubstrOp : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    const std::string unit = init.attrs.GetStringOr("unit", "BYTE");
    if (unit != "BYTE") return Unimplemented("Substr unit '", unit, "' is not supported (only BYTE)");
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    RETURN_IF_ERROR(CheckString(in, "input"));
    const Tensor& pos = ctx->input(1);
    const Tensor& len = ctx->input(2);
    RETURN_IF_ERROR(CheckIntDType(pos, "pos"));
    RETURN_IF_ERROR(CheckIntDType(len, "len"));
    for (const Tensor* t : {&pos, &len}) {
      if (t->rank() != 0 && t->shape() != in.shape()) {
        return InvalidArgument("pos and len must be scalars or have the input's shape ", in.shape().ToString(),
                               ", got ", t->shape().ToString());
      }
    }
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(DType::kString, in.shape()));
    for (int64_t i = 0; i < in.NumElements(); ++i) {
      const std::string& s = in.data<std::string>()[i];
      const int64_t size = static_cast<int64_t>(s.size());
      int64_t p = IntAt(pos, pos.rank() == 0 ? 0 : i);
      const int64_t l = IntAt(len, len.rank() == 0 ? 0 : i);
      if (p < -size || p > size) {
        return InvalidArgument("pos ", p, " out of range for string of length ", size, " at index ", i);
      }
      if (l < 0) return InvalidArgument("len ", l, " must be non-negative at index ", i);
      if (p < 0) p += size;
      out.data<std::string>()[i] = s.substr(p, std::min(l, size - p));
    }
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }
};

// Sparse [N, 2] result of splitting a string vector.
Status EmitSplit(OpContext* ctx, const std::vector<std::vector<std::string_view>>& tokens) {
  int64_t total = 0, max_len = 0;
  for (const auto& t : tokens) {
    total += static_cast<int64_t>(t.size());
    max_len = std::max<int64_t>(max_len, t.size());
  }
  ASSIGN_OR_RETURN(Tensor indices, Tensor::Create(DType::kInt64, Shape{total, 2}));
  ASSIGN_OR_RETURN(Tensor values, Tensor::Create(DType::kString, Shape{total}));
  int64_t k = 0;
  for (size_t row = 0; row < tokens.size(); ++row) {
    for (size_t j = 0; j < tokens[row].size(); ++j, ++k) {
      indices.data<int64_t>()[2 * k] = static_cast<int64_t>(row);
      indices.data<int64_t>()[2 * k + 1] = static_cast<int64_t>(j);
      values.data<std::string>()[k] = std::string(tokens[row][j]);
    }
  }
  ctx->set_output(0, std::move(indices));
  ctx->set_output(1, std::move(values));
  ctx->set_output(2, Tensor::FromVector<int64_t>({static_cast<int64_t>(tokens.size()), max_len}));
  return Status::OK();
}

class StringSplitOp : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    skip_empty_ = init.attrs.GetBoolOr("skip_empty", true);
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    const Tensor& delim = ctx->input(1);
    RETURN_IF_ERROR(CheckString(in, "input"));
    if (in.rank() != 1) return InvalidArgument("input must be a vector, got ", in.shape().ToString());
    if (delim.dtype() != DType::kString || delim.rank() != 0) {
      return InvalidArgument("delimiter must be a string scalar, got ", delim.DTypeShapeString());
    }
    const std::string& d = delim.scalar<std::string>();
    std::vector<std::vector<std::string_view>> tokens(in.NumElements());
    for (int64_t i = 0; i < in.NumElements(); ++i) {
      std::string_view s = in.data<std::string>()[i];
      if (d.empty()) {  // split into single bytes
        for (size_t j = 0; j < s.size(); ++j) tokens[i].push_back(s.substr(j, 1));
        continue;
      }
      size_t start = 0;
      for (size_t j = 0; j <= s.size(); ++j) {
        if (j == s.size() || d.find(s[j]) != std::string::npos) {  // any delimiter char
          if (!skip_empty_ || j > start) tokens[i].push_back(s.substr(start, j - start));
          start = j + 1;
        }
      }
    }
    return EmitSplit(ctx, tokens);
  }

 private:
  bool skip_empty_ = true;
};

class StringSplitV2Op : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    maxsplit_ = init.attrs.GetIntOr("maxsplit", -1);
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    const Tensor& sep_t = ctx->input(1);
    RETURN_IF_ERROR(CheckString(in, "input"));
    if (in.rank() != 1) return InvalidArgument("input must be a vector, got ", in.shape().ToString());
    if (sep_t.dtype() != DType::kString || sep_t.rank() != 0) {
      return InvalidArgument("sep must be a string scalar, got ", sep_t.DTypeShapeString());
    }
    const std::string& sep = sep_t.scalar<std::string>();
    std::vector<std::vector<std::string_view>> tokens(in.NumElements());
    for (int64_t i = 0; i < in.NumElements(); ++i) {
      std::string_view s = in.data<std::string>()[i];
      auto& out = tokens[i];
      if (sep.empty()) {  // Python str.split(): runs of whitespace, no empty tokens
        size_t j = 0;
        while (true) {
          while (j < s.size() && std::isspace(static_cast<unsigned char>(s[j]))) ++j;
          if (j >= s.size()) break;
          if (maxsplit_ >= 0 && static_cast<int64_t>(out.size()) == maxsplit_) {
            size_t end = s.size();
            while (end > j && std::isspace(static_cast<unsigned char>(s[end - 1]))) --end;
            out.push_back(s.substr(j, end - j));
            break;
          }
          size_t k = j;
          while (k < s.size() && !std::isspace(static_cast<unsigned char>(s[k]))) ++k;
          out.push_back(s.substr(j, k - j));
          j = k;
        }
        continue;
      }
      if (s.empty()) continue;  // TF: an empty string gives no tokens
      size_t start = 0;
      while (true) {
        size_t hit = (maxsplit_ >= 0 && static_cast<int64_t>(out.size()) == maxsplit_) ? std::string_view::npos
                                                                                       : s.find(sep, start);
        if (hit == std::string_view::npos) {
          out.push_back(s.substr(start));
          break;
        }
        out.push_back(s.substr(start, hit - start));
        start = hit + sep.size();
      }
    }
    return EmitSplit(ctx, tokens);
  }

 private:
  int64_t maxsplit_ = -1;
};

class StringToNumberOp : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    out_type_ = init.attrs.GetTypeOr("out_type", DType::kFloat);
    if (out_type_ != DType::kFloat && out_type_ != DType::kDouble && out_type_ != DType::kInt32 &&
        out_type_ != DType::kInt64) {
      return InvalidArgument("out_type must be float, double, int32 or int64, got ", DTypeName(out_type_));
    }
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    RETURN_IF_ERROR(CheckString(in, "string_tensor"));
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(out_type_, in.shape()));
    for (int64_t i = 0; i < in.NumElements(); ++i) {
      const std::string& s = in.data<std::string>()[i];
      const char* begin = s.c_str();
      char* end = nullptr;
      errno = 0;
      bool ok = !s.empty() && s.size() == std::strlen(begin);
      if (out_type_ == DType::kFloat || out_type_ == DType::kDouble) {
        const double v = ok ? std::strtod(begin, &end) : 0;
        ok = ok && end != begin;
        if (out_type_ == DType::kFloat) {
          out.data<float>()[i] = ok ? std::strtof(begin, &end) : 0;
        } else {
          out.data<double>()[i] = v;
        }
      } else {
        const long long v = ok ? std::strtoll(begin, &end, 10) : 0;
        ok = ok && end != begin && errno != ERANGE;
        if (out_type_ == DType::kInt32) {
          ok = ok && v >= INT32_MIN && v <= INT32_MAX;
          out.data<int32_t>()[i] = static_cast<int32_t>(v);
        } else {
          out.data<int64_t>()[i] = v;
        }
      }
      if (ok) {
        while (*end && std::isspace(static_cast<unsigned char>(*end))) ++end;
        ok = *end == '\0';
      }
      if (!ok) {
        return InvalidArgument("StringToNumberOp could not correctly convert string: ", s);
      }
    }
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }

 private:
  DType out_type_ = DType::kFloat;
};

class StringLengthOp : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    utf8_ = init.attrs.GetStringOr("unit", "BYTE") == "UTF8_CHAR";
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    RETURN_IF_ERROR(CheckString(in, "input"));
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(DType::kInt32, in.shape()));
    for (int64_t i = 0; i < in.NumElements(); ++i) {
      const std::string& s = in.data<std::string>()[i];
      int32_t n = static_cast<int32_t>(s.size());
      if (utf8_) {
        n = 0;
        for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // count lead bytes
      }
      out.data<int32_t>()[i] = n;
    }
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }

 private:
  bool utf8_ = false;
};

class Base64Op : public OpKernel {
 public:
  explicit Base64Op(bool decode) : decode_(decode) {}
  Status Init(const KernelInit& init) {
    pad_ = init.attrs.GetBoolOr("pad", false);
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    RETURN_IF_ERROR(CheckString(in, "input"));
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(DType::kString, in.shape()));
    for (int64_t i = 0; i < in.NumElements(); ++i) {
      const std::string& s = in.data<std::string>()[i];
      if (decode_) {
        auto decoded = DecodeBase64WebSafe(s);
        if (!decoded.ok()) return decoded.status().WithContext(StrCat("input[", i, "]"));
        out.data<std::string>()[i] = std::move(*decoded);
      } else {
        out.data<std::string>()[i] = EncodeBase64(s, /*web_safe=*/true, pad_);
      }
    }
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }

 private:
  bool decode_;
  bool pad_ = false;
};

}  // namespace

StatusOr<std::unique_ptr<OpKernel>> CreateStringToHashBucketFast(const KernelInit& init) { return MakeKernel<StringToHashBucketFastOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateAsString(const KernelInit& init) { return MakeKernel<AsStringOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateStringJoin(const KernelInit& init) { return MakeKernel<StringJoinOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateSubstr(const KernelInit& init) { return MakeKernel<SubstrOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateStringSplit(const KernelInit& init) { return MakeKernel<StringSplitOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateStringSplitV2(const KernelInit& init) { return MakeKernel<StringSplitV2Op>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateStringToNumber(const KernelInit& init) { return MakeKernel<StringToNumberOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateStringLength(const KernelInit& init) { return MakeKernel<StringLengthOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateDecodeBase64(const KernelInit& init) {
  auto k = std::make_unique<Base64Op>(true);
  RETURN_IF_ERROR(k->Init(init));
  return std::unique_ptr<OpKernel>(std::move(k));
}
StatusOr<std::unique_ptr<OpKernel>> CreateEncodeBase64(const KernelInit& init) {
  auto k = std::make_unique<Base64Op>(false);
  RETURN_IF_ERROR(k->Init(init));
  return std::unique_ptr<OpKernel>(std::move(k));
}

}  // namespace stfs::kernels
