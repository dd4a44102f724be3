// CRC32C (Castagnoli polynomial 0x1EDC6F41, reflected 0x82F63B78), as used by
// LevelDB tables and TensorFlow tensor bundles, plus the LevelDB "mask".
//
// Uses the SSE4.2 crc32 instruction when the CPU has it (checked once at run
// time), else a slicing-by-8 table. All functions are pure and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace stfs::crc32c {

// Returns the CRC32C of data[0,n) appended to a stream whose CRC so far is
// `init_crc` (0 for a fresh stream).
uint32_t Extend(uint32_t init_crc, const void* data, size_t n);

inline uint32_t Value(const void* data, size_t n) { return Extend(0, data, n); }
inline uint32_t Value(std::string_view s) { return Extend(0, s.data(), s.size()); }

// Stored CRCs are masked so that CRCs of data that embed CRCs stay well spread.
constexpr uint32_t kMaskDelta = 0xa282ead8u;
inline uint32_t Mask(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + kMaskDelta; }
inline uint32_t Unmask(uint32_t masked) {
  uint32_t rot = masked - kMaskDelta;
  return (rot >> 17) | (rot << 15);
}

// Exposed for tests: force the portable path regardless of the CPU.
uint32_t ExtendPortable(uint32_t init_crc, const void* data, size_t n);
// True if Extend uses the SSE4.2 instruction on this machine.
bool UsesHardware();

}  // namespace stfs::crc32c
