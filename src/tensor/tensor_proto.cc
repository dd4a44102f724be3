#include "tensor/tensor_proto.h"

#include <cstring>
#include <string>

namespace stfs {
namespace {

std::string ProtoDTypeName(int v) {
  if (v > 0 && v < kDTypeCount) return std::string(DTypeEnumName(static_cast<DType>(v)));
  if (v > kRefDTypeOffset && v < kRefDTypeOffset + kDTypeCount) {
    return StrCat(DTypeEnumName(static_cast<DType>(v - kRefDTypeOffset)), "_REF");
  }
  return StrCat("DataType(", v, ")");
}

// Appends the typed values of `field` to out[0, n): repeats the last value
// when there are fewer, leaves the zero-initialised buffer when there are none.
template <typename T, typename Field, typename Conv>
Status FillFromField(const Field& field, int64_t n, T* out, const char* field_name,
                     const std::string& what, Conv conv) {
  const int64_t in_n = field.size();
  if (in_n > n) {
    return InvalidArgument(what, ": ", field_name, " holds ", in_n,
                           " values but the shape has only ", n, " elements");
  }
  if (in_n == 0) return Status::OK();
  for (int64_t i = 0; i < in_n; ++i) out[i] = conv(field.Get(static_cast<int>(i)));
  for (int64_t i = in_n; i < n; ++i) out[i] = out[in_n - 1];
  return Status::OK();
}

template <typename C, typename Field>
Status FillComplex(const Field& field, int64_t n, C* out, const char* field_name,
                   const std::string& what) {
  if (field.size() % 2 != 0) {
    return InvalidArgument(what, ": ", field_name, " has an odd number of values (",
                           field.size(), "); complex values are (real, imag) pairs");
  }
  const int64_t in_n = field.size() / 2;
  if (in_n > n) {
    return InvalidArgument(what, ": ", field_name, " holds ", in_n,
                           " complex values but the shape has only ", n, " elements");
  }
  if (in_n == 0) return Status::OK();
  for (int64_t i = 0; i < in_n; ++i) {
    out[i] = C(field.Get(static_cast<int>(2 * i)), field.Get(static_cast<int>(2 * i + 1)));
  }
  for (int64_t i = in_n; i < n; ++i) out[i] = out[in_n - 1];
  return Status::OK();
}

bool ReadVarint32(const char*& p, const char* end, uint32_t* v) {
  uint32_t result = 0;
  for (int shift = 0; shift <= 28 && p < end; shift += 7) {
    uint32_t byte = static_cast<uint8_t>(*p++);
    result |= (byte & 0x7f) << shift;
    if (!(byte & 0x80)) {
      *v = result;
      return true;
    }
  }
  return false;
}

// TensorFlow's string-list encoding of DT_STRING tensor_content: n varint32
// lengths, then the concatenated bytes, nothing more.
Status DecodeStringContent(const std::string& content, int64_t n, std::string* out,
                           const std::string& what) {
  const char* p = content.data();
  const char* end = p + content.size();
  std::vector<uint32_t> sizes(static_cast<size_t>(n));
  uint64_t total = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (!ReadVarint32(p, end, &sizes[i])) {
      return InvalidArgument(what, ": DT_STRING tensor_content is truncated in the length of element ", i);
    }
    total += sizes[i];
  }
  if (total != static_cast<uint64_t>(end - p)) {
    return InvalidArgument(what, ": DT_STRING tensor_content has ", end - p,
                           " bytes of string data but the lengths sum to ", total);
  }
  for (int64_t i = 0; i < n; ++i) {
    out[i].assign(p, sizes[i]);
    p += sizes[i];
  }
  return Status::OK();
}

StatusOr<std::vector<int64_t>> DimsFromProto(const tensorflow::TensorShapeProto& proto,
                                             bool allow_unknown) {
  if (proto.dim_size() > kMaxTensorRank) {
    return InvalidArgument("shape has rank ", proto.dim_size(), ", more than the maximum ",
                           kMaxTensorRank);
  }
  std::vector<int64_t> dims;
  dims.reserve(proto.dim_size());
  for (int i = 0; i < proto.dim_size(); ++i) {
    int64_t d = proto.dim(i).size();
    if (d < -1 || (d == -1 && !allow_unknown)) {
      return InvalidArgument("shape has negative dimension ", d, " at index ", i,
                             d == -1 && !allow_unknown ? " (a tensor shape must be fully defined)" : "");
    }
    dims.push_back(d);
  }
  return dims;
}

}  // namespace

StatusOr<PartialShape> PartialShapeFromProto(const tensorflow::TensorShapeProto& proto) {
  if (proto.unknown_rank()) {
    if (proto.dim_size() > 0) {
      return InvalidArgument("shape has unknown_rank set but also ", proto.dim_size(), " dims");
    }
    return PartialShape();
  }
  ASSIGN_OR_RETURN(std::vector<int64_t> dims, DimsFromProto(proto, /*allow_unknown=*/true));
  return PartialShape(std::move(dims));
}

StatusOr<Shape> ShapeFromProto(const tensorflow::TensorShapeProto& proto) {
  if (proto.unknown_rank()) return InvalidArgument("shape has unknown rank; a fully defined shape is required");
  ASSIGN_OR_RETURN(std::vector<int64_t> dims, DimsFromProto(proto, /*allow_unknown=*/false));
  return Shape::Create(std::move(dims));
}

void ShapeToProto(const Shape& shape, tensorflow::TensorShapeProto* proto) {
  proto->Clear();
  for (int64_t d : shape.dims()) proto->add_dim()->set_size(d);
}

void ShapeToProto(const PartialShape& shape, tensorflow::TensorShapeProto* proto) {
  proto->Clear();
  if (shape.unknown_rank()) {
    proto->set_unknown_rank(true);
    return;
  }
  for (int64_t d : shape.dims()) proto->add_dim()->set_size(d < 0 ? -1 : d);
}

StatusOr<Tensor> TensorFromProto(const tensorflow::TensorProto& proto) {
  const int raw_dtype = static_cast<int>(proto.dtype());
  if (raw_dtype <= 0 || raw_dtype >= kDTypeCount) {
    if (raw_dtype > kRefDTypeOffset && raw_dtype < kRefDTypeOffset + kDTypeCount) {
      return InvalidArgument("TensorProto has reference dtype ", ProtoDTypeName(raw_dtype),
                             "; a tensor value cannot have a reference type");
    }
    if (raw_dtype == 0) return InvalidArgument("TensorProto has dtype DT_INVALID");
    return Unimplemented("TensorProto has unsupported dtype ", ProtoDTypeName(raw_dtype));
  }
  const DType dtype = static_cast<DType>(raw_dtype);
  auto shape_or = ShapeFromProto(proto.tensor_shape());
  if (!shape_or.ok()) {
    return InvalidArgument("TensorProto of dtype ", DTypeEnumName(dtype), ": ",
                           shape_or.status().message());
  }
  Shape shape = std::move(shape_or).value();
  const int64_t n = shape.num_elements();
  const std::string what = StrCat("TensorProto ", DTypeName(dtype), shape.ToString());

  const size_t elem_size = DTypeSize(dtype);
  if (elem_size != 0 && n > kMaxProtoTensorBytes / static_cast<int64_t>(elem_size)) {
    return InvalidArgument(what, " would need ", n, " x ", elem_size,
                           " bytes, more than the limit of ", kMaxProtoTensorBytes, " bytes");
  }
  const std::string& content = proto.tensor_content();
  if (!content.empty() && DTypeIsPod(dtype)) {
    // Checked before allocating so a short blob cannot cause a big allocation.
    if (content.size() != static_cast<uint64_t>(n) * elem_size) {
      return InvalidArgument(what, ": tensor_content has ", content.size(), " bytes, expected ",
                             static_cast<uint64_t>(n) * elem_size);
    }
  }
  if (dtype == DType::kString && !content.empty() && static_cast<uint64_t>(n) > content.size()) {
    return InvalidArgument(what, ": tensor_content of ", content.size(),
                           " bytes cannot hold the lengths of ", n, " strings");
  }
  if (dtype == DType::kString && content.empty()) {
    // Repeating a long last string must not expand without bound either.
    const auto& sv = proto.string_val();
    uint64_t total = 0;
    for (const auto& str : sv) total += str.size();
    if (sv.size() > 0 && sv.size() < n) {
      const uint64_t last = sv.Get(sv.size() - 1).size();
      if (last > 0 && static_cast<uint64_t>(n - sv.size()) > (kMaxProtoTensorBytes - total) / last) {
        return InvalidArgument(what, ": repeating the last string_val (", last, " bytes) to ", n,
                               " elements exceeds the limit of ", kMaxProtoTensorBytes, " bytes");
      }
    }
  }
  ASSIGN_OR_RETURN(Tensor t, Tensor::Create(dtype, shape));
  if (n == 0) {
    // Values for an empty tensor are still "too many".
    int64_t vals = proto.float_val_size() + proto.double_val_size() + proto.int_val_size() +
                   proto.string_val_size() + proto.scomplex_val_size() + proto.int64_val_size() +
                   proto.bool_val_size() + proto.dcomplex_val_size() + proto.half_val_size() +
                   proto.resource_handle_val_size() + proto.variant_val_size() +
                   proto.uint32_val_size() + proto.uint64_val_size();
    if (vals > 0 || !content.empty()) {
      return InvalidArgument(what, " has no elements but the proto holds values");
    }
    return t;
  }

  if (!content.empty()) {
    if (dtype == DType::kString) {
      RETURN_IF_ERROR(DecodeStringContent(content, n, t.data<std::string>(), what));
      return t;
    }
    if (!DTypeIsPod(dtype)) {
      return Unimplemented(what, ": tensor_content is not supported for dtype ", DTypeName(dtype));
    }
    if (dtype == DType::kBool) {
      bool* out = t.data<bool>();
      for (int64_t i = 0; i < n; ++i) out[i] = content[i] != 0;  // normalise to 0/1
    } else {
      std::memcpy(t.raw_data(), content.data(), content.size());
    }
    return t;
  }

  auto same = [](auto v) { return v; };
  switch (dtype) {
    case DType::kFloat:
      RETURN_IF_ERROR(FillFromField(proto.float_val(), n, t.data<float>(), "float_val", what, same));
      break;
    case DType::kDouble:
      RETURN_IF_ERROR(FillFromField(proto.double_val(), n, t.data<double>(), "double_val", what, same));
      break;
    case DType::kInt32:
    case DType::kQInt32:
      RETURN_IF_ERROR(FillFromField(proto.int_val(), n, t.data<int32_t>(), "int_val", what, same));
      break;
    case DType::kInt16:
    case DType::kQInt16:
      RETURN_IF_ERROR(FillFromField(proto.int_val(), n, t.data<int16_t>(), "int_val", what,
                                    [](int32_t v) { return static_cast<int16_t>(v); }));
      break;
    case DType::kInt8:
    case DType::kQInt8:
      RETURN_IF_ERROR(FillFromField(proto.int_val(), n, t.data<int8_t>(), "int_val", what,
                                    [](int32_t v) { return static_cast<int8_t>(v); }));
      break;
    case DType::kUInt8:
    case DType::kQUInt8:
      RETURN_IF_ERROR(FillFromField(proto.int_val(), n, t.data<uint8_t>(), "int_val", what,
                                    [](int32_t v) { return static_cast<uint8_t>(v); }));
      break;
    case DType::kUInt16:
    case DType::kQUInt16:
      RETURN_IF_ERROR(FillFromField(proto.int_val(), n, t.data<uint16_t>(), "int_val", what,
                                    [](int32_t v) { return static_cast<uint16_t>(v); }));
      break;
    case DType::kInt64:
      RETURN_IF_ERROR(FillFromField(proto.int64_val(), n, t.data<int64_t>(), "int64_val", what, same));
      break;
    case DType::kUInt32:
      RETURN_IF_ERROR(FillFromField(proto.uint32_val(), n, t.data<uint32_t>(), "uint32_val", what, same));
      break;
    case DType::kUInt64:
      RETURN_IF_ERROR(FillFromField(proto.uint64_val(), n, t.data<uint64_t>(), "uint64_val", what, same));
      break;
    case DType::kBool:
      RETURN_IF_ERROR(FillFromField(proto.bool_val(), n, t.data<bool>(), "bool_val", what, same));
      break;
    case DType::kHalf:
      RETURN_IF_ERROR(FillFromField(proto.half_val(), n, t.data<Half>(), "half_val", what, [](int32_t v) {
        Half h;
        h.bits = static_cast<uint16_t>(v);
        return h;
      }));
      break;
    case DType::kBFloat16:
      RETURN_IF_ERROR(FillFromField(proto.half_val(), n, t.data<BFloat16>(), "half_val", what, [](int32_t v) {
        BFloat16 h;
        h.bits = static_cast<uint16_t>(v);
        return h;
      }));
      break;
    case DType::kComplex64:
      RETURN_IF_ERROR(FillComplex(proto.scomplex_val(), n, t.data<std::complex<float>>(), "scomplex_val", what));
      break;
    case DType::kComplex128:
      RETURN_IF_ERROR(FillComplex(proto.dcomplex_val(), n, t.data<std::complex<double>>(), "dcomplex_val", what));
      break;
    case DType::kString: {
      RETURN_IF_ERROR(FillFromField(proto.string_val(), n, t.data<std::string>(), "string_val", what,
                                    [](const std::string& s) { return s; }));
      break;
    }
    case DType::kResource:
      RETURN_IF_ERROR(FillFromField(proto.resource_handle_val(), n, t.data<ResourceHandle>(),
                                    "resource_handle_val", what,
                                    [](const tensorflow::ResourceHandleProto& r) {
                                      ResourceHandle h;
                                      h.container = r.container();
                                      h.name = r.name();
                                      h.device = r.device();
                                      h.maybe_type_name = r.maybe_type_name();
                                      return h;
                                    }));
      break;
    case DType::kVariant:
      if (proto.variant_val_size() > 0) {
        return Unimplemented(what, ": decoding DT_VARIANT values (variant_val) is not supported");
      }
      break;  // null variants
    case DType::kInvalid:
      return InvalidArgument("TensorProto has dtype DT_INVALID");
  }
  return t;
}

Status TensorToProto(const Tensor& t, tensorflow::TensorProto* proto, bool use_tensor_content) {
  proto->Clear();
  if (t.dtype() == DType::kInvalid) return InvalidArgument("cannot encode an uninitialized tensor");
  proto->set_dtype(static_cast<tensorflow::DataType>(t.dtype()));
  ShapeToProto(t.shape(), proto->mutable_tensor_shape());
  const int64_t n = t.NumElements();
  if (n == 0) return Status::OK();
  if (use_tensor_content && DTypeIsPod(t.dtype())) {
    proto->set_tensor_content(std::string(static_cast<const char*>(t.raw_data()), t.TotalBytes()));
    return Status::OK();
  }
  auto add_all = [&](auto* field, auto conv, auto* src) {
    field->Reserve(static_cast<int>(n));
    for (int64_t i = 0; i < n; ++i) field->Add(conv(src[i]));
  };
  auto same = [](auto v) { return v; };
  auto to_i32 = [](auto v) { return static_cast<int32_t>(v); };
  switch (t.dtype()) {
    case DType::kFloat: add_all(proto->mutable_float_val(), same, t.data<float>()); break;
    case DType::kDouble: add_all(proto->mutable_double_val(), same, t.data<double>()); break;
    case DType::kInt32: case DType::kQInt32: add_all(proto->mutable_int_val(), same, t.data<int32_t>()); break;
    case DType::kInt16: case DType::kQInt16: add_all(proto->mutable_int_val(), to_i32, t.data<int16_t>()); break;
    case DType::kInt8: case DType::kQInt8: add_all(proto->mutable_int_val(), to_i32, t.data<int8_t>()); break;
    case DType::kUInt8: case DType::kQUInt8: add_all(proto->mutable_int_val(), to_i32, t.data<uint8_t>()); break;
    case DType::kUInt16: case DType::kQUInt16: add_all(proto->mutable_int_val(), to_i32, t.data<uint16_t>()); break;
    case DType::kInt64: add_all(proto->mutable_int64_val(), same, t.data<int64_t>()); break;
    case DType::kUInt32: add_all(proto->mutable_uint32_val(), same, t.data<uint32_t>()); break;
    case DType::kUInt64: add_all(proto->mutable_uint64_val(), same, t.data<uint64_t>()); break;
    case DType::kBool: add_all(proto->mutable_bool_val(), same, t.data<bool>()); break;
    case DType::kHalf: add_all(proto->mutable_half_val(), [](Half h) { return static_cast<int32_t>(h.bits); }, t.data<Half>()); break;
    case DType::kBFloat16: add_all(proto->mutable_half_val(), [](BFloat16 h) { return static_cast<int32_t>(h.bits); }, t.data<BFloat16>()); break;
    case DType::kComplex64: {
      auto* f = proto->mutable_scomplex_val();
      for (const auto& c : t.flat<std::complex<float>>()) { f->Add(c.real()); f->Add(c.imag()); }
      break;
    }
    case DType::kComplex128: {
      auto* f = proto->mutable_dcomplex_val();
      for (const auto& c : t.flat<std::complex<double>>()) { f->Add(c.real()); f->Add(c.imag()); }
      break;
    }
    case DType::kString:
      for (const auto& s : t.flat<std::string>()) proto->add_string_val(s);
      break;
    case DType::kResource:
      for (const auto& h : t.flat<ResourceHandle>()) {
        auto* r = proto->add_resource_handle_val();
        r->set_container(h.container);
        r->set_name(h.name);
        r->set_device(h.device);
        r->set_maybe_type_name(h.maybe_type_name);
      }
      break;
    case DType::kVariant:
      return Unimplemented("encoding a DT_VARIANT tensor ", t.shape().ToString(), " as a TensorProto is not supported");
    case DType::kInvalid:
      break;
  }
  return Status::OK();
}

}  // namespace stfs
