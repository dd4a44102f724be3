#include "codegen/literals.h"

#include <cstdint>
#include <cstdio>

namespace stfs::codegen_internal {
namespace {

constexpr char32_t kReplacement = 0xFFFD;
constexpr std::string_view kReplacementUtf8 = "\xEF\xBF\xBD";

// Decodes one UTF-8 sequence at s[*i]; advances *i. Returns false (and the
// single byte in *cp) for an invalid or overlong sequence.
bool NextCodePoint(std::string_view s, size_t* i, char32_t* cp) {
  const auto b0 = static_cast<unsigned char>(s[*i]);
  int len = 0;
  char32_t v = 0;
  if (b0 < 0x80) {
    *cp = b0;
    ++*i;
    return true;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2, v = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, v = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, v = b0 & 0x07;
  }
  bool ok = len > 0 && *i + len <= s.size();
  for (int k = 1; ok && k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[*i + k]);
    ok = (b & 0xC0) == 0x80;
    v = (v << 6) | (b & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (ok && (v < kMin[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))) ok = false;
  if (!ok) {
    *cp = b0;
    ++*i;
    return false;
  }
  *cp = v;
  *i += len;
  return true;
}

std::string Hex(unsigned v, int width) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%0*X", width, v);
  return buf;
}

// \uXXXX, as a UTF-16 surrogate pair above U+FFFF (JSON, Java, C#).
std::string Utf16Escape(char32_t cp) {
  if (cp < 0x10000) return "\\u" + Hex(cp, 4);
  cp -= 0x10000;
  return "\\u" + Hex(0xD800 + (cp >> 10), 4) + "\\u" + Hex(0xDC00 + (cp & 0x3FF), 4);
}

bool IsJsonPlain(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == ' ' || c == '_' || c == '.' || c == ',' || c == ':' || c == ';' || c == '/' ||
         c == '+' || c == '=' || c == '@' || c == '-';
}

// Escape for a control character (< 0x20 or 0x7F) other than \n \r \t.
std::string ControlEscape(unsigned char c, LiteralStyle style) {
  switch (style) {
    case LiteralStyle::kCpp:
    case LiteralStyle::kJava: {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\%03o", c);
      return buf;
    }
    case LiteralStyle::kCSharp: return "\\u" + Hex(c, 4);
    case LiteralStyle::kRust: return "\\u{" + Hex(c, 2) + "}";
    default: return "\\x" + Hex(c, 2);  // Python, JavaScript, Go
  }
}

std::string QuoteEscaped(std::string_view s, LiteralStyle style) {
  const bool single = style == LiteralStyle::kPython || style == LiteralStyle::kJavaScript;
  const char quote = single ? '\'' : '"';
  std::string out(1, quote);
  size_t i = 0;
  while (i < s.size()) {
    const size_t start = i;
    char32_t cp;
    const bool valid = NextCodePoint(s, &i, &cp);
    if (!valid) {
      // Raw bytes are representable only in Go and C++ strings.
      if (style == LiteralStyle::kGo) out += "\\x" + Hex(cp, 2);
      else if (style == LiteralStyle::kCpp) out += ControlEscape(static_cast<unsigned char>(cp), style);
      else if (style == LiteralStyle::kRust) out += "\\u{FFFD}";
      else if (style == LiteralStyle::kJava || style == LiteralStyle::kCSharp) out += "\\uFFFD";
      else out += "\\ufffd";  // Python, JavaScript
      continue;
    }
    if (cp == '\\') out += "\\\\";
    else if (cp == static_cast<char32_t>(quote)) out += std::string("\\") + quote;
    else if (cp == '\n') out += "\\n";
    else if (cp == '\r') out += "\\r";
    else if (cp == '\t') out += "\\t";
    else if (cp < 0x20 || cp == 0x7F) out += ControlEscape(static_cast<unsigned char>(cp), style);
    else if (cp >= 0x80 && (style == LiteralStyle::kJava || style == LiteralStyle::kCSharp)) {
      out += Utf16Escape(cp);  // Java reads sources in the platform charset before JDK 18
    } else {
      out.append(s.substr(start, i - start));
    }
  }
  out.push_back(quote);
  return out;
}

}  // namespace

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  size_t i = 0;
  while (i < s.size()) {
    char32_t cp;
    if (!NextCodePoint(s, &i, &cp)) cp = kReplacement;
    if (IsJsonPlain(cp)) out.push_back(static_cast<char>(cp));
    else out += Utf16Escape(cp);
  }
  out.push_back('"');
  return out;
}

std::string PercentEncode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += "%" + Hex(c, 2);
    }
  }
  return out;
}

std::string CommentSafe(std::string_view s) {
  std::string out;
  for (char c : s) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      std::string_view(" _.,:;/+=@()-").find(c) != std::string_view::npos;
    out.push_back(keep ? c : '_');
  }
  return out;
}

std::string QuoteLiteral(std::string_view s, LiteralStyle style) {
  if (style == LiteralStyle::kShell) {
    std::string out = "'";
    for (char c : s) {
      if (c == '\'') out += "'\\''";
      else if (c != '\0') out.push_back(c);  // bash strings cannot hold NUL
    }
    return out + "'";
  }
  if (style == LiteralStyle::kSingleRaw) {
    std::string out = "'";
    size_t i = 0;
    while (i < s.size()) {
      const size_t start = i;
      char32_t cp;
      if (!NextCodePoint(s, &i, &cp)) {
        out += kReplacementUtf8;  // Ruby rejects invalid UTF-8 in sources
        continue;
      }
      if (cp == '\\' || cp == '\'') out.push_back('\\');
      out.append(s.substr(start, i - start));
    }
    return out + "'";
  }
  return QuoteEscaped(s, style);
}

}  // namespace stfs::codegen_internal
