// One program generator per language. Internal to stfs_codegen: codegen.cc
// validates the spec, builds the URL and body, and picks the generator.
#pragma once

#include <optional>
#include <string>

namespace stfs::codegen_internal {

// Everything a template needs, already validated. Strings are raw (not yet
// escaped); each generator escapes them for its language.
struct ClientParts {
  std::string url;         // full POST URL
  std::string body;        // example request JSON (see codegen.h for its alphabet)
  std::string model_name;  // for comments only
  std::string signature_name;
  std::optional<std::string> username;  // basic auth when set
  std::string password;
};

std::string CurlClient(const ClientParts& p);
std::string PythonClient(const ClientParts& p);
std::string GoClient(const ClientParts& p);
std::string JavaScriptClient(const ClientParts& p);
std::string JavaClient(const ClientParts& p);
std::string CppClient(const ClientParts& p);
std::string RustClient(const ClientParts& p);
std::string CSharpClient(const ClientParts& p);
std::string PhpClient(const ClientParts& p);
std::string RubyClient(const ClientParts& p);

}  // namespace stfs::codegen_internal
