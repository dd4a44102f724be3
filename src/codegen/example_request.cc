// GenerateExampleRequest and the flavor names (contract in codegen.h).
#include <algorithm>
#include <cctype>
#include <string>

#include "codegen/codegen.h"
#include "codegen/literals.h"

namespace stfs {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The JSON text of one element of `dtype`, or Unimplemented.
StatusOr<std::string> ExampleScalar(const TensorInfo& info, ApiFlavor flavor) {
  const DType dt = info.dtype;
  if (dt == DType::kBool) return std::string("true");
  if (dt == DType::kString) {
    // TF Serving decodes {"b64": ...} for binary inputs named "*_bytes".
    if (flavor == ApiFlavor::kTfServing && EndsWith(info.alias, "_bytes")) {
      return std::string("{\"b64\": \"\"}");
    }
    return std::string("\"\"");
  }
  if (DTypeIsFloating(dt)) return std::string("1.0");
  if (DTypeIsInteger(dt)) return std::string("1");
  return Unimplemented("input '", info.alias, "' has dtype ", DTypeName(dt),
                       ", which a JSON request cannot carry");
}

// Appends a nested list of `dims` (all known) filled with `scalar`.
void AppendNested(const std::vector<int64_t>& dims, size_t level, const std::string& scalar,
                  std::string* out) {
  if (level == dims.size()) {
    out->append(scalar);
    return;
  }
  out->push_back('[');
  for (int64_t i = 0; i < dims[level]; ++i) {
    if (i > 0) out->push_back(',');
    AppendNested(dims, level + 1, scalar, out);
  }
  out->push_back(']');
}

}  // namespace

std::string_view ApiFlavorName(ApiFlavor flavor) {
  return flavor == ApiFlavor::kOriginal ? "original" : "tfserving";
}

StatusOr<ApiFlavor> ParseApiFlavor(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower.empty() || lower == "tfserving" || lower == "tf_serving" || lower == "tfs" ||
      lower == "rest") {
    return ApiFlavor::kTfServing;
  }
  if (lower == "original" || lower == "stfs") return ApiFlavor::kOriginal;
  return InvalidArgument("unknown API flavor '", name, "'; expected 'tfserving' or 'original'");
}

StatusOr<std::string> GenerateExampleRequest(const SignatureInfo& sig, ApiFlavor flavor,
                                             const ExampleOptions& options) {
  if (options.unknown_dim < 0) {
    return InvalidArgument("unknown_dim must be >= 0, got ", options.unknown_dim);
  }
  std::string out = "{\n";
  if (flavor == ApiFlavor::kOriginal) {
    out += StrCat("  \"model_name\": ", JsonString(options.model_name), ",\n");
    if (options.version.has_value()) {
      out += StrCat("  \"model_version\": ", JsonString(*options.version), ",\n");
    }
  }
  const std::string& sig_name = sig.name.empty() ? std::string("serving_default") : sig.name;
  out += StrCat("  \"signature_name\": ", JsonString(sig_name), ",\n");
  out += flavor == ApiFlavor::kOriginal ? "  \"data\": {" : "  \"inputs\": {";

  int64_t total = 0;
  bool first = true;
  for (const TensorInfo& input : sig.inputs) {
    if (input.is_sparse) continue;  // not feedable as a dense JSON value
    ASSIGN_OR_RETURN(std::string scalar, ExampleScalar(input, flavor));
    std::vector<int64_t> dims;
    if (input.shape.unknown_rank()) {
      dims.push_back(options.unknown_dim);
    } else {
      dims = input.shape.dims();
      for (int64_t& d : dims) {
        if (d < 0) d = options.unknown_dim;
      }
    }
    int64_t count = 1;
    for (int64_t d : dims) {
      if (d != 0 && count > kMaxExampleElements / d) {
        count = kMaxExampleElements + 1;
        break;
      }
      count *= d;
    }
    total += count;
    if (total > kMaxExampleElements) {
      return ResourceExhausted("example request for signature '", sig_name, "' would hold more than ",
                               kMaxExampleElements, " values (input '", input.alias, "' has shape ",
                               input.shape.ToString(), ")");
    }
    out += first ? "\n" : ",\n";
    first = false;
    out += StrCat("    ", JsonString(input.alias), ": ");
    AppendNested(dims, 0, scalar, &out);
  }
  out += first ? "}\n}" : "\n  }\n}";
  return out;
}

}  // namespace stfs
