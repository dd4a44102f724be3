// Little-endian fixed-width and varint encodings used by LevelDB tables and
// tensor bundles. Decoders take a [p, end) range, never read past `end`, and
// return false on truncated or over-long input.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace stfs::coding {

inline uint32_t DecodeFixed32(const char* p) {
  const auto* b = reinterpret_cast<const uint8_t*>(p);
  return uint32_t{b[0]} | (uint32_t{b[1]} << 8) | (uint32_t{b[2]} << 16) | (uint32_t{b[3]} << 24);
}
inline uint64_t DecodeFixed64(const char* p) {
  return uint64_t{DecodeFixed32(p)} | (uint64_t{DecodeFixed32(p + 4)} << 32);
}
inline void PutFixed32(std::string* out, uint32_t v) {
  char b[4] = {static_cast<char>(v), static_cast<char>(v >> 8), static_cast<char>(v >> 16),
               static_cast<char>(v >> 24)};
  out->append(b, 4);
}
inline void PutFixed64(std::string* out, uint64_t v) {
  PutFixed32(out, static_cast<uint32_t>(v));
  PutFixed32(out, static_cast<uint32_t>(v >> 32));
}

inline void PutVarint64(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}
inline void PutVarint32(std::string* out, uint32_t v) { PutVarint64(out, v); }

// Advances *p past the varint on success.
inline bool GetVarint64(const char** p, const char* end, uint64_t* v) {
  uint64_t result = 0;
  const char* q = *p;
  for (int shift = 0; shift <= 63 && q < end; shift += 7) {
    uint64_t byte = static_cast<uint8_t>(*q++);
    if (shift == 63 && byte > 1) return false;  // more than 64 bits
    result |= (byte & 0x7f) << shift;
    if (!(byte & 0x80)) {
      *v = result;
      *p = q;
      return true;
    }
  }
  return false;
}
inline bool GetVarint32(const char** p, const char* end, uint32_t* v) {
  uint64_t r;
  const char* q = *p;
  if (!GetVarint64(&q, end, &r) || r > UINT32_MAX || q - *p > 5) return false;
  *v = static_cast<uint32_t>(r);
  *p = q;
  return true;
}

}  // namespace stfs::coding
