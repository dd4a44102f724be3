// StrCat: concatenate anything streamable into a std::string.
#pragma once

#include <sstream>
#include <string>
#include <string_view>

namespace stfs {

namespace strcat_internal {
inline void Append(std::string& out, std::string_view s) { out.append(s); }
inline void Append(std::string& out, const std::string& s) { out.append(s); }
inline void Append(std::string& out, const char* s) { out.append(s ? s : "(null)"); }
inline void Append(std::string& out, char c) { out.push_back(c); }
inline void Append(std::string& out, bool b) { out.append(b ? "true" : "false"); }
template <typename T>
void Append(std::string& out, const T& v) {
  if constexpr (std::is_integral_v<T>) {
    out.append(std::to_string(v));
  } else {
    std::ostringstream os;
    os << v;
    out.append(os.str());
  }
}
}  // namespace strcat_internal

template <typename... Args>
std::string StrCat(const Args&... args) {
  std::string out;
  (strcat_internal::Append(out, args), ...);
  return out;
}

}  // namespace stfs
