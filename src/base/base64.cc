#include "base/base64.h"

#include <cstdint>

namespace stfs {
namespace {

constexpr char kStdChars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kWebSafeChars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Value 0..63 of a base64 digit, or -1.
int DigitValue(unsigned char c, bool allow_std, bool allow_web_safe) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (allow_web_safe && c == '-') return 62;
  if (allow_web_safe && c == '_') return 63;
  if (allow_std && c == '+') return 62;
  if (allow_std && c == '/') return 63;
  return -1;
}

bool IsSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Decodes a run of digits without padding (length % 4 != 1 checked by caller).
Status DecodeDigits(std::string_view digits, bool allow_std, bool allow_web_safe,
                    std::string* out) {
  out->clear();
  out->reserve(digits.size() / 4 * 3 + 3);
  uint32_t acc = 0;
  int n = 0;
  for (unsigned char c : digits) {
    const int v = DigitValue(c, allow_std, allow_web_safe);
    if (v < 0) return InvalidArgument("Invalid character found in base64.");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    if (++n == 4) {
      out->push_back(static_cast<char>(acc >> 16));
      out->push_back(static_cast<char>(acc >> 8));
      out->push_back(static_cast<char>(acc));
      acc = 0;
      n = 0;
    }
  }
  if (n == 1) return InvalidArgument("Base64 string length cannot be 1 modulo 4.");
  if (n == 2) {
    out->push_back(static_cast<char>(acc >> 4));
  } else if (n == 3) {
    out->push_back(static_cast<char>(acc >> 10));
    out->push_back(static_cast<char>(acc >> 2));
  }
  return Status::OK();
}

}  // namespace

StatusOr<std::string> DecodeBase64WebSafe(std::string_view in) {
  // Padding is only recognised in a final group of exactly four characters.
  if (!in.empty() && in.size() % 4 == 0) {
    const size_t n = in.size();
    if (in[n - 2] == '=' && in[n - 1] == '=') {
      in.remove_suffix(2);
    } else if (in[n - 1] == '=') {
      in.remove_suffix(1);
    }
  }
  std::string out;
  RETURN_IF_ERROR(DecodeDigits(in, /*allow_std=*/false, /*allow_web_safe=*/true, &out));
  return out;
}

StatusOr<std::string> DecodeBase64Any(std::string_view in) {
  std::string digits;
  digits.reserve(in.size());
  size_t pads = 0;
  for (unsigned char c : in) {
    if (IsSpace(c)) continue;
    if (c == '=') {
      ++pads;
      continue;
    }
    if (pads > 0) return InvalidArgument("base64: padding '=' is only allowed at the end");
    digits.push_back(static_cast<char>(c));
  }
  if (pads > 2) return InvalidArgument("base64: too much '=' padding");
  if (pads > 0 && (digits.size() + pads) % 4 != 0) {
    return InvalidArgument("base64: wrong amount of '=' padding");
  }
  std::string out;
  Status s = DecodeDigits(digits, /*allow_std=*/true, /*allow_web_safe=*/true, &out);
  if (!s.ok()) return s;
  return out;
}

std::string EncodeBase64(std::string_view in, bool web_safe, bool pad) {
  const char* chars = web_safe ? kWebSafeChars : kStdChars;
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const uint32_t v = (uint32_t{p[i]} << 16) | (uint32_t{p[i + 1]} << 8) | p[i + 2];
    out.push_back(chars[(v >> 18) & 63]);
    out.push_back(chars[(v >> 12) & 63]);
    out.push_back(chars[(v >> 6) & 63]);
    out.push_back(chars[v & 63]);
  }
  const size_t rest = in.size() - i;
  if (rest == 1) {
    const uint32_t v = uint32_t{p[i]} << 16;
    out.push_back(chars[(v >> 18) & 63]);
    out.push_back(chars[(v >> 12) & 63]);
    if (pad) out.append("==");
  } else if (rest == 2) {
    const uint32_t v = (uint32_t{p[i]} << 16) | (uint32_t{p[i + 1]} << 8);
    out.push_back(chars[(v >> 18) & 63]);
    out.push_back(chars[(v >> 12) & 63]);
    out.push_back(chars[(v >> 6) & 63]);
    if (pad) out.push_back('=');
  }
  return out;
}

}  // namespace stfs
