// Text escaping for generated code: JSON strings, URL path segments, string
// literals of each target language, and comment-safe text. Input strings are
// treated as UTF-8; invalid bytes are escaped byte by byte where a language
// allows it and replaced by U+FFFD where it cannot hold raw bytes.
#pragma once

#include <string>
#include <string_view>

namespace stfs::codegen_internal {

// A JSON string literal (with quotes) in printable ASCII: characters other than
// [A-Za-z0-9 _.,:;/+=@-] become \uXXXX (surrogate pairs above U+FFFF).
std::string JsonString(std::string_view s);

// Percent-encodes everything except RFC 3986 unreserved characters.
std::string PercentEncode(std::string_view s);


// Keeps [A-Za-z0-9 _.,:;/+=@()-]; everything else becomes '_'. For names shown
// in generated comments, where a newline would end the comment.
std::string CommentSafe(std::string_view s);

enum class LiteralStyle {
  kShell,       // '...' (bash): no escapes inside, ' written as '\''
  kSingleRaw,   // '...' (PHP, Ruby): only \\ and \' are escapes
  kPython,      // '...' with \\ \' \n \r \t \xHH
  kJavaScript,  // '...' with \\ \' \n \r \t \xHH
  kGo,          // "..." with \\ \" \n \r \t \xHH
  kCpp,         // "..." with \\ \" \n \r \t \ooo
  kJava,        // "..." with \\ \" \n \r \t \ooo, non-ASCII as \uXXXX
  kCSharp,      // "..." with \\ \" \n \r \t, other controls and non-ASCII as \uXXXX
  kRust,        // "..." with \\ \" \n \r \t, other controls as \u{XX}
};

// The complete literal, quotes included.
std::string QuoteLiteral(std::string_view s, LiteralStyle style);

}  // namespace stfs::codegen_internal

namespace stfs {
using codegen_internal::JsonString;  // used by example_request.cc
}  // namespace stfs
