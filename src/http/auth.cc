#include "http/auth.h"

#include <cstdint>
#include <utility>

#include "http/util.h"

namespace stfs::http {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

}  // namespace

std::optional<std::string> Base64DecodeForAuth(std::string_view in) {
  // Strip up to two '=' of padding; the rest must be alphabet characters.
  size_t len = in.size();
  if (len % 4 == 0 && len >= 1 && in[len - 1] == '=') --len;
  if (len % 4 == 3 && len >= 1 && in[len - 1] == '=') --len;
  if (len % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(len * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < len; ++i) {
    int v = Base64Value(in[i]);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  // Walk the expected length regardless of where (or whether) they differ.
  volatile unsigned char diff = a.size() == b.size() ? 0 : 1;
  size_t n = b.size();
  for (size_t i = 0; i < n; ++i) {
    unsigned char ca = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    diff = diff | (ca ^ static_cast<unsigned char>(b[i]));
  }
  return diff == 0;
}

BasicAuth::BasicAuth(std::string user, std::string password, std::string realm,
                     std::vector<std::string> exempt_paths)
    : expected_(user + ":" + password), exempt_paths_(std::move(exempt_paths)) {
  std::string escaped;
  for (char c : realm) {
    if (c == '"' || c == '\\') escaped.push_back('\\');
    if (c != '\r' && c != '\n') escaped.push_back(c);
  }
  challenge_ = "Basic realm=\"" + escaped + "\", charset=\"UTF-8\"";
}

bool BasicAuth::IsExempt(std::string_view method, std::string_view path) const {
  if (method != "GET" && method != "HEAD") return false;
  for (const std::string& p : exempt_paths_)
    if (p == path) return true;
  return false;
}

std::string BasicAuth::Check(const std::string* authorization) const {
  if (authorization == nullptr) {
    return "authentication required: send HTTP Basic credentials "
           "(Authorization: Basic base64(user:password))";
  }
  std::string_view v = *authorization;
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  size_t sp = v.find_first_of(" \t");
  if (sp == std::string_view::npos || !EqualsIgnoreCase(v.substr(0, sp), "Basic")) {
    return "unsupported Authorization scheme: expected Basic";
  }
  v.remove_prefix(sp);
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  std::optional<std::string> decoded = Base64DecodeForAuth(v);
  if (!decoded || decoded->find(':') == std::string::npos) {
    return "malformed Basic credentials: expected base64(user:password)";
  }
  if (!ConstantTimeEquals(*decoded, expected_)) return "invalid user name or password";
  return std::string();
}

}  // namespace stfs::http
