// JSON <-> Tensor conversion for the HTTP front ends (TF Serving REST and the
// original simple_tensorflow_serving API).
//
// Reading: JsonDocument parses a request body with simdjson (DOM) into a
// reusable parser; the JsonToTensor functions then walk a JSON value twice
// (shape inference, then fill) and write straight into one tensor buffer of
// the dtype the signature asks for. Rules follow TF Serving's json_tensor.cc:
//   * nested lists give the shape; every list at one level must have the
//     length of the first ("ragged list at [2]: expected 3 elements, got 2");
//   * float types take any number, plus NaN / Infinity / -Infinity tokens;
//   * integer types take integers that fit the dtype (integral doubles such as
//     2.0 are accepted too; 2.5 or out-of-range values are errors);
//   * bool takes true / false; string takes a JSON string (its UTF-8 bytes) or
//     {"b64": "..."} (standard or URL-safe alphabet, padding optional).
// NaN/Infinity: simdjson rejects these non-standard tokens, so when a parse
// fails the body is re-scanned, bare NaN / Infinity / -Infinity tokens outside
// strings are rewritten to private sentinel strings and the copy is parsed
// again; the float converters map the sentinels back. The fast path (no such
// tokens) pays nothing.
//
// Writing: AppendTensorJson writes nested lists with TF Serving's number
// formatting (shortest round-trip digits, %g-style layout, ".0" appended to
// integral floats, NaN / Infinity / -Infinity), strings as JSON strings when
// valid UTF-8 and as {"b64": "..."} otherwise (always for *_bytes aliases).
//
// Thread safety: a JsonDocument is used by one thread at a time; the free
// functions are thread-safe.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "base/status.h"
#include "tensor/tensor.h"

namespace stfs {

// How JSON values are read into tensors.
struct JsonReadOptions {
  // Set by JsonDocument when it rewrote NaN/Infinity tokens: float converters
  // then accept the sentinels, string converters reject them.
  bool non_finite_sentinels = false;
};

// A parsed JSON document. Reusing one object across requests reuses its
// buffers (no allocation in steady state). Values returned by root() stay
// valid until the next Parse or destruction.
class JsonDocument {
 public:
  JsonDocument() = default;
  JsonDocument(const JsonDocument&) = delete;
  JsonDocument& operator=(const JsonDocument&) = delete;

  // Errors (INVALID_ARGUMENT) use TF Serving's wording:
  // "JSON Parse error: The document is empty", "JSON Parse error: Invalid value ...".
  Status Parse(std::string_view text);

  simdjson::dom::element root() const { return root_; }
  const JsonReadOptions& read_options() const { return options_; }

 private:
  simdjson::dom::parser parser_;
  std::string buffer_;  // padded copy of the text handed to simdjson
  simdjson::dom::element root_;
  JsonReadOptions options_;
};

// Converts one JSON value (scalar or nested lists) to a tensor of `dtype`;
// the shape comes from the nesting (a scalar gives rank 0).
StatusOr<Tensor> JsonToTensor(simdjson::dom::element value, DType dtype,
                              const JsonReadOptions& options = {});

// Row format: stacks `rows` (each a scalar or nested list, all of one shape)
// into a tensor of shape [rows.size()] + row shape.
StatusOr<Tensor> JsonRowsToTensor(std::span<const simdjson::dom::element> rows, DType dtype,
                                  const JsonReadOptions& options = {});

// True for {"b64": "..."}: an object with exactly the key b64 (a value, not a
// named-input object).
bool IsJsonB64Object(simdjson::dom::element value);

// Short JSON type name for messages: "list", "object", "string", "number", ...
std::string_view JsonTypeName(simdjson::dom::element value);

// OK if tensors of `dtype` can be written as JSON (numbers, bool, string,
// complex); UNIMPLEMENTED otherwise (resource, variant).
Status CheckJsonWritable(DType dtype);

// Appends `tensor` as JSON: a bare value for rank 0, else nested lists.
// String elements are written as {"b64": ...} when bytes_as_b64 is set or
// when they are not valid UTF-8. Requires CheckJsonWritable(dtype).
void AppendTensorJson(const Tensor& tensor, bool bytes_as_b64, std::string* out);
// Appends element `index` of dim 0 (rank >= 1): what TF Serving writes for one
// row of the "predictions" list.
void AppendTensorRowJson(const Tensor& tensor, int64_t index, bool bytes_as_b64,
                         std::string* out);

// Scalars with the same formatting.
void AppendJsonFloat(float value, std::string* out);
void AppendJsonDouble(double value, std::string* out);
// A quoted JSON string with escapes (the bytes must be valid UTF-8; invalid
// sequences are replaced by U+FFFD).
void AppendJsonString(std::string_view value, std::string* out);

bool IsValidUtf8(std::string_view bytes);

// Standard or URL-safe alphabet, padding optional, no whitespace.
StatusOr<std::string> Base64DecodeLenient(std::string_view text);

}  // namespace stfs
