// DType: TensorFlow's DataType enum (same numeric values as types.proto, so
// conversion from protos is a cast), the C++ element type of each, and names.
//
// Element types: float, double, Half, BFloat16, int8..int64, uint8..uint64,
// bool, std::string (DT_STRING holds arbitrary bytes), std::complex<float/double>,
// ResourceHandle (DT_RESOURCE) and Variant (DT_VARIANT). Quantized types are
// stored as their integer carriers.
#pragma once

#include <complex>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

namespace stfs {

enum class DType : int {
  kInvalid = 0,
  kFloat = 1,
  kDouble = 2,
  kInt32 = 3,
  kUInt8 = 4,
  kInt16 = 5,
  kInt8 = 6,
  kString = 7,
  kComplex64 = 8,
  kInt64 = 9,
  kBool = 10,
  kQInt8 = 11,
  kQUInt8 = 12,
  kQInt32 = 13,
  kBFloat16 = 14,
  kQInt16 = 15,
  kQUInt16 = 16,
  kUInt16 = 17,
  kComplex128 = 18,
  kHalf = 19,
  kResource = 20,
  kVariant = 21,
  kUInt32 = 22,
  kUInt64 = 23,
};
constexpr int kDTypeCount = 24;   // values 0..23
constexpr int kRefDTypeOffset = 100;  // DT_FLOAT_REF = 101 etc. in protos

// "float", "int64", "string", ... as TensorFlow's DataTypeString prints them
// ("float_ref" style names for ref values are produced by DTypeProtoName).
std::string_view DTypeName(DType dtype);
// "DT_FLOAT", "DT_INT64", ...
std::string_view DTypeEnumName(DType dtype);
// Parses "float", "DT_FLOAT", "float32", "int64", ... ; kInvalid if unknown.
DType DTypeFromName(std::string_view name);
// True for 0 < value <= 23 (or its _REF variant, value+100).
bool IsValidProtoDType(int value);
// Strips a _REF offset: 101 -> kFloat. Returns kInvalid for unknown values.
DType BaseDType(int proto_value);

// Size in bytes of one element; 0 for types with no fixed size.
size_t DTypeSize(DType dtype);
// True for types whose elements are plain bytes (memcpy-able).
bool DTypeIsPod(DType dtype);
bool DTypeIsFloating(DType dtype);   // half, bfloat16, float, double
bool DTypeIsInteger(DType dtype);    // signed and unsigned, incl. quantized carriers
bool DTypeIsComplex(DType dtype);

// 16-bit floats, stored as raw bits; conversions round to nearest even.
struct Half {
  uint16_t bits = 0;
  Half() = default;
  explicit Half(float f);
  explicit operator float() const;
};
struct BFloat16 {
  uint16_t bits = 0;
  BFloat16() = default;
  explicit BFloat16(float f);
  explicit operator float() const;
};

// DT_RESOURCE element: names a resource (variable, table, ...) owned by a
// ResourceManager. The executor resolves it; kernels treat it as opaque.
struct ResourceHandle {
  std::string container;
  std::string name;
  std::string device;
  std::string maybe_type_name;  // e.g. "Var", "HashTable"
  bool operator==(const ResourceHandle& o) const {
    return container == o.container && name == o.name;
  }
};

// DT_VARIANT element: an immutable, shared polymorphic value (TensorList, ...).
class VariantValue {
 public:
  virtual ~VariantValue() = default;
  virtual std::string TypeName() const = 0;
  virtual std::string DebugString() const { return TypeName(); }
};
using Variant = std::shared_ptr<const VariantValue>;

// Maps C++ element types to DType at compile time: DTypeOf<float>::value == kFloat.
template <typename T> struct DTypeOf;
template <> struct DTypeOf<float> { static constexpr DType value = DType::kFloat; };
template <> struct DTypeOf<double> { static constexpr DType value = DType::kDouble; };
template <> struct DTypeOf<int32_t> { static constexpr DType value = DType::kInt32; };
template <> struct DTypeOf<uint8_t> { static constexpr DType value = DType::kUInt8; };
template <> struct DTypeOf<int16_t> { static constexpr DType value = DType::kInt16; };
template <> struct DTypeOf<int8_t> { static constexpr DType value = DType::kInt8; };
template <> struct DTypeOf<std::string> { static constexpr DType value = DType::kString; };
template <> struct DTypeOf<std::complex<float>> { static constexpr DType value = DType::kComplex64; };
template <> struct DTypeOf<int64_t> { static constexpr DType value = DType::kInt64; };
template <> struct DTypeOf<bool> { static constexpr DType value = DType::kBool; };
template <> struct DTypeOf<BFloat16> { static constexpr DType value = DType::kBFloat16; };
template <> struct DTypeOf<uint16_t> { static constexpr DType value = DType::kUInt16; };
template <> struct DTypeOf<std::complex<double>> { static constexpr DType value = DType::kComplex128; };
template <> struct DTypeOf<Half> { static constexpr DType value = DType::kHalf; };
template <> struct DTypeOf<ResourceHandle> { static constexpr DType value = DType::kResource; };
template <> struct DTypeOf<Variant> { static constexpr DType value = DType::kVariant; };
template <> struct DTypeOf<uint32_t> { static constexpr DType value = DType::kUInt32; };
template <> struct DTypeOf<uint64_t> { static constexpr DType value = DType::kUInt64; };

// True if a Tensor of `stored` may be accessed as C++ type T (quantized types
// are accessed through their carriers: qint8 as int8_t, quint8 as uint8_t, ...).
template <typename T>
constexpr bool DTypeAccessibleAs(DType stored) {
  constexpr DType want = DTypeOf<T>::value;
  if (stored == want) return true;
  if constexpr (want == DType::kInt8) return stored == DType::kQInt8;
  if constexpr (want == DType::kUInt8) return stored == DType::kQUInt8;
  if constexpr (want == DType::kInt32) return stored == DType::kQInt32;
  if constexpr (want == DType::kInt16) return stored == DType::kQInt16;
  if constexpr (want == DType::kUInt16) return stored == DType::kQUInt16;
  return false;
}

// Calls fn.template operator()<T>() with the C++ type of `dtype`, for every
// dtype (quantized types dispatch to their carriers). Returns false for kInvalid.
//   DispatchDType(t.dtype(), [&]<typename T>() { ... });
template <typename Fn>
bool DispatchDType(DType dtype, Fn&& fn) {
  switch (dtype) {
    case DType::kFloat: fn.template operator()<float>(); return true;
    case DType::kDouble: fn.template operator()<double>(); return true;
    case DType::kInt32: case DType::kQInt32: fn.template operator()<int32_t>(); return true;
    case DType::kUInt8: case DType::kQUInt8: fn.template operator()<uint8_t>(); return true;
    case DType::kInt16: case DType::kQInt16: fn.template operator()<int16_t>(); return true;
    case DType::kInt8: case DType::kQInt8: fn.template operator()<int8_t>(); return true;
    case DType::kString: fn.template operator()<std::string>(); return true;
    case DType::kComplex64: fn.template operator()<std::complex<float>>(); return true;
    case DType::kInt64: fn.template operator()<int64_t>(); return true;
    case DType::kBool: fn.template operator()<bool>(); return true;
    case DType::kBFloat16: fn.template operator()<BFloat16>(); return true;
    case DType::kUInt16: case DType::kQUInt16: fn.template operator()<uint16_t>(); return true;
    case DType::kComplex128: fn.template operator()<std::complex<double>>(); return true;
    case DType::kHalf: fn.template operator()<Half>(); return true;
    case DType::kResource: fn.template operator()<ResourceHandle>(); return true;
    case DType::kVariant: fn.template operator()<Variant>(); return true;
    case DType::kUInt32: fn.template operator()<uint32_t>(); return true;
    case DType::kUInt64: fn.template operator()<uint64_t>(); return true;
    case DType::kInvalid: return false;
  }
  return false;
}

}  // namespace stfs
