// Language table, URL building and spec validation for GenerateClient.
#include <algorithm>
#include <cctype>

#include "codegen/client_templates.h"
#include "codegen/codegen.h"
#include "codegen/literals.h"

namespace stfs {
namespace {

using codegen_internal::ClientParts;

struct Language {
  std::string_view name;
  std::string_view file_name;
  std::string (*generate)(const ClientParts&);
};

constexpr Language kLanguages[] = {
    {"curl", "client.sh", codegen_internal::CurlClient},
    {"python", "client.py", codegen_internal::PythonClient},
    {"go", "main.go", codegen_internal::GoClient},
    {"javascript", "client.js", codegen_internal::JavaScriptClient},
    {"java", "Client.java", codegen_internal::JavaClient},
    {"cpp", "client.cc", codegen_internal::CppClient},
    {"rust", "main.rs", codegen_internal::RustClient},
    {"csharp", "Program.cs", codegen_internal::CSharpClient},
    {"php", "client.php", codegen_internal::PhpClient},
    {"ruby", "client.rb", codegen_internal::RubyClient},
};

struct Alias {
  std::string_view alias;
  std::string_view name;
};
constexpr Alias kAliases[] = {
    {"bash", "curl"}, {"sh", "curl"},         {"shell", "curl"},      {"golang", "go"},
    {"js", "javascript"}, {"node", "javascript"}, {"nodejs", "javascript"}, {"c++", "cpp"},
    {"cxx", "cpp"},   {"c#", "csharp"},       {"cs", "csharp"},       {"dotnet", "csharp"},
    {"py", "python"}, {"python3", "python"},  {"rb", "ruby"},         {"rs", "rust"},
};

const Language* FindLanguage(std::string_view language) {
  std::string lower(language);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const Alias& a : kAliases) {
    if (lower == a.alias) lower = a.name;
  }
  for (const Language& l : kLanguages) {
    if (lower == l.name) return &l;
  }
  return nullptr;
}

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Status ValidateBaseUrl(std::string_view url) {
  if (!url.starts_with("http://") && !url.starts_with("https://")) {
    return InvalidArgument("base_url must start with http:// or https://, got '", url, "'");
  }
  for (unsigned char c : url) {
    if (c <= 0x20 || c >= 0x7F || c == '"' || c == '\'' || c == '\\' || c == '`' || c == '<' ||
        c == '>') {
      return InvalidArgument("base_url contains a character not allowed in a URL: '", url, "'");
    }
  }
  return Status::OK();
}

}  // namespace

std::vector<std::string> SupportedLanguages() {
  std::vector<std::string> names;
  for (const Language& l : kLanguages) names.emplace_back(l.name);
  return names;
}

StatusOr<std::string> CanonicalLanguage(std::string_view language) {
  if (const Language* l = FindLanguage(language)) return std::string(l->name);
  std::string list;
  for (const Language& l : kLanguages) list += StrCat(list.empty() ? "" : ", ", l.name);
  return InvalidArgument("unsupported client language '", language, "'; supported: ", list);
}

std::string_view ClientFileName(std::string_view language) {
  const Language* l = FindLanguage(language);
  return l ? l->file_name : std::string_view();
}

StatusOr<std::string> PredictUrl(const ClientSpec& spec) {
  RETURN_IF_ERROR(ValidateBaseUrl(spec.base_url));
  if (spec.model_name.empty()) return InvalidArgument("model name is empty");
  std::string base = spec.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (spec.flavor == ApiFlavor::kOriginal) return base + "/";
  std::string url = StrCat(base, "/v1/models/", codegen_internal::PercentEncode(spec.model_name));
  if (spec.version.has_value() && !spec.version->empty()) {
    url += IsDigits(*spec.version)
               ? StrCat("/versions/", *spec.version)
               : StrCat("/labels/", codegen_internal::PercentEncode(*spec.version));
  }
  return url + ":predict";
}

StatusOr<std::string> GenerateClient(std::string_view language, const ClientSpec& spec) {
  const Language* lang = FindLanguage(language);
  if (lang == nullptr) return CanonicalLanguage(language).status();
  ClientParts parts;
  ASSIGN_OR_RETURN(parts.url, PredictUrl(spec));
  ExampleOptions options;
  options.model_name = spec.model_name;
  options.version = spec.version;
  if (options.version.has_value() && options.version->empty()) options.version.reset();
  ASSIGN_OR_RETURN(parts.body, GenerateExampleRequest(spec.signature, spec.flavor, options));
  parts.model_name = spec.model_name;
  parts.signature_name = spec.signature.name.empty() ? "serving_default" : spec.signature.name;
  parts.username = spec.username;
  parts.password = spec.password.value_or("");
  if (!parts.username.has_value() && spec.password.has_value()) {
    return InvalidArgument("basic auth password given without a user name");
  }
  return lang->generate(parts);
}

}  // namespace stfs
