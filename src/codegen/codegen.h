// Example requests and client programs for a model signature: what
// `GET /v1/models/<name>/gen_json` and `.../gen_client` return, and what the
// dashboard shows.
//
// Example request (GenerateExampleRequest): a valid JSON request body whose
// values follow each input's dtype and shape:
//   - unknown dims (-1) become `unknown_dim` (default 1); an unknown rank is
//     treated as a 1-D input of `unknown_dim` elements; a scalar is a bare value;
//   - floating dtypes -> 1.0, integers -> 1, bool -> true, string -> "" (a JSON
//     string is valid for DT_STRING in both APIs). In the TF Serving flavor an
//     input whose alias ends in "_bytes" gets {"b64": ""}, TF Serving's
//     convention for binary strings;
//   - sparse inputs are left out (neither API can feed them); complex,
//     resource and variant inputs are Unimplemented (JSON cannot carry them);
//   - more than kMaxExampleElements values in total -> ResourceExhausted.
//   kTfServing: {"signature_name": ..., "inputs": {alias: value, ...}}  (columnar,
//               for POST /v1/models/<name>[/versions/<v>]:predict)
//   kOriginal:  {"model_name": ..., "model_version": ... (only if set),
//                "signature_name": ..., "data": {alias: value, ...}}  (POST /)
// The text is pure printable ASCII, one input per line. Characters inside JSON
// strings other than [A-Za-z0-9 _.,:;/+=@-] are written as \uXXXX escapes, so
// the body can be embedded verbatim in every language's raw-string form
// (it never contains ' ` $ # ) or a backslash outside an escape).
//
// Client programs (GenerateClient): a complete program that POSTs the example
// request to the server and prints the response body; exits non-zero on an
// HTTP error status. Languages: see SupportedLanguages(). All strings taken
// from the spec are escaped for the target language (and sanitised in
// comments), so a hostile model name cannot inject code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "tensor/signature.h"

namespace stfs {

enum class ApiFlavor { kTfServing, kOriginal };

// "tfserving" / "original" (what the dashboard and gen_* query strings use).
std::string_view ApiFlavorName(ApiFlavor flavor);
// Accepts "tfserving", "tf_serving", "tfs", "rest", "original", "stfs" (any
// case); empty -> kTfServing. Anything else -> InvalidArgument.
StatusOr<ApiFlavor> ParseApiFlavor(std::string_view name);

// Total number of example values above which generation fails.
constexpr int64_t kMaxExampleElements = int64_t{1} << 20;

struct ExampleOptions {
  std::string model_name = "default";  // kOriginal only ("model_name")
  std::optional<std::string> version;  // kOriginal only ("model_version")
  int64_t unknown_dim = 1;             // value used for -1 dims (>= 0)
};

StatusOr<std::string> GenerateExampleRequest(const SignatureInfo& sig, ApiFlavor flavor,
                                             const ExampleOptions& options = {});

struct ClientSpec {
  std::string model_name;              // required
  std::optional<std::string> version;  // digits -> /versions/<v>, else /labels/<v>
  SignatureInfo signature;
  ApiFlavor flavor = ApiFlavor::kTfServing;
  std::string base_url = "http://127.0.0.1:8500";  // http:// or https://, no path needed
  std::optional<std::string> username;  // basic auth when set (password may be empty)
  std::optional<std::string> password;
};

// Languages in display order: curl, python, go, javascript, java, cpp, rust,
// csharp, php, ruby. Aliases accepted by GenerateClient: bash -> curl,
// golang -> go, js/node -> javascript, c++ -> cpp, c# -> csharp.
std::vector<std::string> SupportedLanguages();

// The language's canonical name for `language` (alias resolved), or
// InvalidArgument listing the supported languages.
StatusOr<std::string> CanonicalLanguage(std::string_view language);

// Suggested file name for the generated program: "client.sh", "client.py",
// "main.go", "client.js", "Client.java", "client.cc", "main.rs", "Program.cs",
// "client.php", "client.rb". Empty for an unknown language.
std::string_view ClientFileName(std::string_view language);

// The URL the client POSTs to: base_url + "/v1/models/<name>[/versions/<v>]:predict"
// (kTfServing) or base_url + "/" (kOriginal). Model name and label are
// percent-encoded.
StatusOr<std::string> PredictUrl(const ClientSpec& spec);

StatusOr<std::string> GenerateClient(std::string_view language, const ClientSpec& spec);

}  // namespace stfs
