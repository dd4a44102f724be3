// Small HTTP helpers: percent-decoding, query/form parsing, JSON error bodies,
// status mapping. Pure functions, thread-safe, no allocation beyond results.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace stfs::http {

// Decodes %XX escapes (and '+' as space when plus_as_space). Invalid escapes
// ("%zz", a trailing "%") are kept literally.
std::string PercentDecode(std::string_view in, bool plus_as_space = false);
// Same, appending to *out (cleared first); lets callers reuse a buffer.
void PercentDecodeTo(std::string_view in, bool plus_as_space, std::string* out);

// "a=1&b=x+y&c" -> {{"a","1"},{"b","x y"},{"c",""}}; empty pieces skipped.
// For application/x-www-form-urlencoded bodies and query strings.
std::vector<std::pair<std::string, std::string>> ParseUrlEncodedForm(std::string_view body);

// First value of `key` in a raw query string, decoded; nullopt if absent.
std::optional<std::string> FindQueryParam(std::string_view query, std::string_view key);

// ASCII case-insensitive equality.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Appends `s` as JSON string contents (no quotes) to *out: escapes '"', '\\'
// and control characters; invalid UTF-8 bytes become U+FFFD.
void AppendJsonEscaped(std::string_view s, std::string* out);
// {"error": "<escaped message>"}
std::string JsonErrorBody(std::string_view message);

// "OK", "Not Found", ... ("Unknown" for unlisted codes).
std::string_view StatusReason(int status);

// Canonical code -> HTTP status per TF Serving (OK 200, INVALID_ARGUMENT 400,
// NOT_FOUND 404, UNAUTHENTICATED 401, UNAVAILABLE 503, INTERNAL 500, ...).
int HttpStatusForCode(Code code);

}  // namespace stfs::http
