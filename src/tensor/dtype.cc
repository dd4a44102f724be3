#include "tensor/dtype.h"

#include <array>
#include <cctype>
#include <string>

namespace stfs {
namespace {

struct DTypeInfo {
  std::string_view name;       // DataTypeString
  std::string_view enum_name;  // DT_*
  size_t size;
  bool pod;
};

// Indexed by the DType value; static_assert keeps it in step with the enum.
constexpr std::array<DTypeInfo, kDTypeCount> kInfo = {{
    {"invalid", "DT_INVALID", 0, false},
    {"float", "DT_FLOAT", 4, true},
    {"double", "DT_DOUBLE", 8, true},
    {"int32", "DT_INT32", 4, true},
    {"uint8", "DT_UINT8", 1, true},
    {"int16", "DT_INT16", 2, true},
    {"int8", "DT_INT8", 1, true},
    {"string", "DT_STRING", sizeof(std::string), false},
    {"complex64", "DT_COMPLEX64", 8, true},
    {"int64", "DT_INT64", 8, true},
    {"bool", "DT_BOOL", 1, true},
    {"qint8", "DT_QINT8", 1, true},
    {"quint8", "DT_QUINT8", 1, true},
    {"qint32", "DT_QINT32", 4, true},
    {"bfloat16", "DT_BFLOAT16", 2, true},
    {"qint16", "DT_QINT16", 2, true},
    {"quint16", "DT_QUINT16", 2, true},
    {"uint16", "DT_UINT16", 2, true},
    {"complex128", "DT_COMPLEX128", 16, true},
    {"half", "DT_HALF", 2, true},
    {"resource", "DT_RESOURCE", sizeof(ResourceHandle), false},
    {"variant", "DT_VARIANT", sizeof(Variant), false},
    {"uint32", "DT_UINT32", 4, true},
    {"uint64", "DT_UINT64", 8, true},
}};
static_assert(kInfo.size() == static_cast<size_t>(DType::kUInt64) + 1);

const DTypeInfo& Info(DType d) {
  int v = static_cast<int>(d);
  if (v < 0 || v >= kDTypeCount) return kInfo[0];
  return kInfo[v];
}

}  // namespace

std::string_view DTypeName(DType dtype) { return Info(dtype).name; }
std::string_view DTypeEnumName(DType dtype) { return Info(dtype).enum_name; }
size_t DTypeSize(DType dtype) { return Info(dtype).size; }
bool DTypeIsPod(DType dtype) { return Info(dtype).pod; }

DType DTypeFromName(std::string_view name) {
  std::string n(name);
  for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (n.rfind("dt_", 0) == 0) n = n.substr(3);
  if (n == "float32") n = "float";
  if (n == "float64") n = "double";
  if (n == "float16") n = "half";
  for (int i = 1; i < kDTypeCount; ++i) {
    if (kInfo[i].name == n) return static_cast<DType>(i);
  }
  return DType::kInvalid;
}

bool IsValidProtoDType(int value) {
  if (value > kRefDTypeOffset) value -= kRefDTypeOffset;
  return value > 0 && value < kDTypeCount;
}

DType BaseDType(int proto_value) {
  if (!IsValidProtoDType(proto_value)) return DType::kInvalid;
  if (proto_value > kRefDTypeOffset) proto_value -= kRefDTypeOffset;
  return static_cast<DType>(proto_value);
}

bool DTypeIsFloating(DType d) {
  return d == DType::kFloat || d == DType::kDouble || d == DType::kHalf || d == DType::kBFloat16;
}
bool DTypeIsInteger(DType d) {
  switch (d) {
    case DType::kInt8: case DType::kInt16: case DType::kInt32: case DType::kInt64:
    case DType::kUInt8: case DType::kUInt16: case DType::kUInt32: case DType::kUInt64:
    case DType::kQInt8: case DType::kQUInt8: case DType::kQInt16: case DType::kQUInt16:
    case DType::kQInt32:
      return true;
    default:
      return false;
  }
}
bool DTypeIsComplex(DType d) { return d == DType::kComplex64 || d == DType::kComplex128; }

// IEEE half: round-to-nearest-even conversion.
Half::Half(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const uint32_t sign = (x >> 16) & 0x8000u;
  uint32_t abs = x & 0x7fffffffu;
  if (abs >= 0x7f800000u) {  // Inf or NaN
    bits = static_cast<uint16_t>(sign | 0x7c00u | (abs > 0x7f800000u ? 0x200u : 0));
    return;
  }
  if (abs >= 0x477ff000u) {  // overflows to Inf after rounding
    bits = static_cast<uint16_t>(sign | 0x7c00u);
    return;
  }
  if (abs < 0x38800000u) {  // subnormal or zero in half
    float af;
    std::memcpy(&af, &abs, 4);
    // Scale so the half subnormal unit (2^-24) becomes 1, rounding to nearest even.
    float scaled = af * 16777216.0f;
    uint32_t m = static_cast<uint32_t>(scaled);
    float rem = scaled - static_cast<float>(m);
    if (rem > 0.5f || (rem == 0.5f && (m & 1u))) ++m;
    bits = static_cast<uint16_t>(sign | m);
    return;
  }
  uint32_t mant_odd = (abs >> 13) & 1u;
  abs += 0xc8000fffu + mant_odd;  // rebias exponent (-112 << 23) and round
  bits = static_cast<uint16_t>(sign | (abs >> 13));
}

Half::operator float() const {
  const uint32_t sign = (bits & 0x8000u) << 16;
  uint32_t exp = (bits >> 10) & 0x1fu;
  uint32_t mant = bits & 0x3ffu;
  uint32_t out;
  if (exp == 0) {
    if (mant == 0) {
      out = sign;
    } else {  // subnormal: normalise
      int e = -1;
      do { ++e; mant <<= 1; } while ((mant & 0x400u) == 0);
      mant &= 0x3ffu;
      out = sign | (static_cast<uint32_t>(112 - e) << 23) | (mant << 13);
    }
  } else if (exp == 31) {
    out = sign | 0x7f800000u | (mant << 13);
  } else {
    out = sign | ((exp + 112) << 23) | (mant << 13);
  }
  float f;
  std::memcpy(&f, &out, 4);
  return f;
}

BFloat16::BFloat16(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  if ((x & 0x7fffffffu) > 0x7f800000u) {  // NaN stays a quiet NaN
    bits = static_cast<uint16_t>((x >> 16) | 0x40u);
    return;
  }
  uint32_t lsb = (x >> 16) & 1u;
  x += 0x7fffu + lsb;
  bits = static_cast<uint16_t>(x >> 16);
}

BFloat16::operator float() const {
  uint32_t x = static_cast<uint32_t>(bits) << 16;
  float f;
  std::memcpy(&f, &x, 4);
  return f;
}

}  // namespace stfs
