// Base64 codecs (independent of images).
//
// TensorFlow's DecodeBase64 / EncodeBase64 ops use the *web-safe* alphabet
// ('-' and '_' instead of '+' and '/'). DecodeBase64WebSafe reproduces TF's
// Base64Decode exactly:
//   * only the web-safe alphabet; '+', '/', whitespace, ... are invalid
//     ("Invalid character found in base64.");
//   * padding is optional, but '=' is only recognised in the final group when
//     the length is a multiple of 4 ("QQ==" ok, "QQ" ok, "QQ=" error);
//   * a length of 1 modulo 4 (after padding is removed) is an error;
//   * unused trailing bits are ignored.
// DecodeBase64Any is the lenient decoder for the HTTP API (JSON {"b64": ...}):
// accepts both alphabets, optional padding, and skips ASCII whitespace.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace stfs {

// TF DecodeBase64 semantics (web-safe alphabet only).
StatusOr<std::string> DecodeBase64WebSafe(std::string_view in);

// Standard ('+/') or web-safe ('-_') alphabet, optional '=' padding (at most
// two, only at the end), ASCII whitespace ignored anywhere.
StatusOr<std::string> DecodeBase64Any(std::string_view in);

// web_safe=true matches TF's EncodeBase64 (whose `pad` attr defaults to false).
std::string EncodeBase64(std::string_view in, bool web_safe, bool pad);

// Standard alphabet with '=' padding (RFC 4648 section 4): HTTP Basic auth,
// TF Serving's {"b64": ...} outputs, generated clients.
inline std::string EncodeStdBase64(std::string_view in) { return EncodeBase64(in, false, true); }

}  // namespace stfs
