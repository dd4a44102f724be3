// HTTP Basic authentication (RFC 7617) used by the server. Internal to stfs_http
// but usable on its own (tests, other front ends).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stfs::http {

// Standard base64 (RFC 4648 "+/"; "-_" accepted too), padding optional,
// whitespace not allowed. nullopt on invalid input.
std::optional<std::string> Base64DecodeForAuth(std::string_view in);

// Compares without early exit on the first difference (length still leaks).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

class BasicAuth {
 public:
  BasicAuth(std::string user, std::string password, std::string realm,
            std::vector<std::string> exempt_paths);

  // True if this request may pass without credentials: GET/HEAD to an exempt path.
  bool IsExempt(std::string_view method, std::string_view path) const;

  // Checks an Authorization header value (nullptr = absent). Returns an empty
  // string when accepted, else the error message for the 401 body.
  std::string Check(const std::string* authorization) const;

  // Value for the WWW-Authenticate header:
  // Basic realm="<realm>", charset="UTF-8"
  const std::string& challenge() const { return challenge_; }

 private:
  std::string expected_;  // "user:password"
  std::string challenge_;
  std::vector<std::string> exempt_paths_;
};

}  // namespace stfs::http
