// A minimal protobuf wire-format reader over a byte range (no libprotobuf),
// for hot-path parsing of tf.Example. Never reads past the range; every
// method returns false on malformed input. Not thread-safe (a value type).
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace stfs::kernels::wire {

enum WireType : int { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

class Reader {
 public:
  explicit Reader(std::string_view data) : p_(data.data()), end_(data.data() + data.size()) {}

  bool AtEnd() const { return p_ >= end_; }

  bool ReadVarint(uint64_t* v) {
    if (p_ < end_ && !(static_cast<uint8_t>(*p_) & 0x80)) {  // one-byte fast path
      *v = static_cast<uint8_t>(*p_++);
      return true;
    }
    uint64_t result = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (p_ >= end_) return false;
      const uint8_t b = static_cast<uint8_t>(*p_++);
      if (shift < 64) result |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) {
        *v = result;
        return true;
      }
    }
    return false;  // more than 10 bytes
  }

  // Field number (> 0) and wire type of the next field.
  bool ReadTag(uint32_t* field, int* wire_type) {
    uint64_t tag;
    if (!ReadVarint(&tag) || tag > 0xffffffffu) return false;
    *field = static_cast<uint32_t>(tag >> 3);
    *wire_type = static_cast<int>(tag & 7);
    return *field != 0;
  }

  bool ReadBytes(std::string_view* out) {
    uint64_t n;
    if (!ReadVarint(&n) || n > static_cast<uint64_t>(end_ - p_)) return false;
    *out = std::string_view(p_, n);
    p_ += n;
    return true;
  }

  bool ReadFixed32(uint32_t* v) {
    if (end_ - p_ < 4) return false;
    std::memcpy(v, p_, 4);  // little-endian host (x86-64 / aarch64)
    p_ += 4;
    return true;
  }

  // Skips a field of the given wire type (groups are rejected).
  bool Skip(int wire_type) {
    uint64_t v;
    std::string_view s;
    switch (wire_type) {
      case kVarint: return ReadVarint(&v);
      case kFixed64:
        if (end_ - p_ < 8) return false;
        p_ += 8;
        return true;
      case kLengthDelimited: return ReadBytes(&s);
      case kFixed32:
        if (end_ - p_ < 4) return false;
        p_ += 4;
        return true;
      default: return false;
    }
  }

 private:
  const char* p_;
  const char* end_;
};

}  // namespace stfs::kernels::wire
