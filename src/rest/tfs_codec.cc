#include "base/base64.h"
#include "rest/tfs_codec.h"

#include <algorithm>

#include "proto/example.pb.h"

namespace stfs::rest {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

const TensorInfo* FindAlias(const std::vector<TensorInfo>& infos, std::string_view alias) {
  for (const TensorInfo& t : infos) {
    if (t.alias == alias) return &t;
  }
  return nullptr;
}

bool IsNamedObject(element e) { return e.type() == element_type::OBJECT && !IsJsonB64Object(e); }

std::string AliasList(const std::vector<TensorInfo>& infos) {
  std::string s;
  for (const TensorInfo& t : infos) s += StrCat(s.empty() ? "" : ", ", t.alias);
  return s.empty() ? "none" : s;
}

Status ParseRows(array instances, const JsonReadOptions& options, const SignatureInfo& sig,
                 NamedTensors* inputs) {
  if (instances.size() == 0) return InvalidArgument("'instances' is an empty list");
  thread_local std::vector<element> items;  // reused: no malloc per request
  items.assign(instances.begin(), instances.end());
  if (IsNamedObject(items[0])) {
    // Every item maps input names to values; all items have the same names.
    object first(items[0]);
    for (auto [key, value] : first) {
      const TensorInfo* info = FindAlias(sig.inputs, key);
      if (!info) {
        return InvalidArgument("input tensor alias not found in signature: ", key,
                               ". Inputs expected to be in the set {", AliasList(sig.inputs), "}.");
      }
      std::vector<element> rows;
      rows.reserve(items.size());
      for (size_t i = 0; i < items.size(); ++i) {
        if (!IsNamedObject(items[i])) {
          return InvalidArgument("Expecting object but got ", JsonTypeName(items[i]),
                                 " at 'instances'[", i, "]");
        }
        object o(items[i]);
        if (o.size() != first.size()) {
          return InvalidArgument("'instances'[", i, "] has ", o.size(), " keys, expected ",
                                 first.size(), " like 'instances'[0]");
        }
        element v;
        if (o[key].get(v)) {
          return InvalidArgument("'instances'[", i, "] is missing input '", key, "'");
        }
        rows.push_back(v);
      }
      auto t = JsonRowsToTensor(rows, info->dtype, options);
      if (!t.ok()) return t.status().WithContext(StrCat("input '", key, "'"));
      inputs->emplace_back(std::string(key), std::move(t).value());
    }
    return Status::OK();
  }
  if (sig.inputs.size() != 1) {
    return InvalidArgument("Expecting object but got ", JsonTypeName(items[0]),
                           ": signature '", sig.name, "' has ", sig.inputs.size(),
                           " inputs (", AliasList(sig.inputs),
                           "), so each instance must be an object keyed by input name");
  }
  const TensorInfo& info = sig.inputs[0];
  auto t = JsonRowsToTensor(items, info.dtype, options);
  if (!t.ok()) return t.status().WithContext(StrCat("input '", info.alias, "'"));
  inputs->emplace_back(info.alias, std::move(t).value());
  return Status::OK();
}

Status ParseColumns(element value, const JsonReadOptions& options, const SignatureInfo& sig,
                    NamedTensors* inputs) {
  if (IsNamedObject(value)) {
    for (auto [key, v] : object(value)) {
      const TensorInfo* info = FindAlias(sig.inputs, key);
      if (!info) {
        return InvalidArgument("input tensor alias not found in signature: ", key,
                               ". Inputs expected to be in the set {", AliasList(sig.inputs), "}.");
      }
      auto t = JsonToTensor(v, info->dtype, options);
      if (!t.ok()) return t.status().WithContext(StrCat("input '", key, "'"));
      inputs->emplace_back(std::string(key), std::move(t).value());
    }
    return Status::OK();
  }
  if (sig.inputs.size() != 1) {
    return InvalidArgument("Expecting object but got ", JsonTypeName(value), ": signature '",
                           sig.name, "' has ", sig.inputs.size(), " inputs (",
                           AliasList(sig.inputs), "), so 'inputs' must be an object keyed by input name");
  }
  const TensorInfo& info = sig.inputs[0];
  auto t = JsonToTensor(value, info.dtype, options);
  if (!t.ok()) return t.status().WithContext(StrCat("input '", info.alias, "'"));
  inputs->emplace_back(info.alias, std::move(t).value());
  return Status::OK();
}

// One JSON feature value -> tf.Feature (tfserving-api.md 2.5).
Status AddFeatureValue(element v, tensorflow::Feature* f, std::string_view name) {
  switch (v.type()) {
    case element_type::STRING: {
      if (f->has_float_list() || f->has_int64_list()) break;
      std::string_view s(v);
      f->mutable_bytes_list()->add_value(s.data(), s.size());
      return Status::OK();
    }
    case element_type::OBJECT: {
      if (!IsJsonB64Object(v) || f->has_float_list() || f->has_int64_list()) break;
      auto bytes = Base64DecodeLenient(std::string_view(v["b64"]));
      if (!bytes.ok()) return bytes.status().WithContext(StrCat("feature '", name, "'"));
      f->mutable_bytes_list()->add_value(*bytes);
      return Status::OK();
    }
    case element_type::DOUBLE:
      if (f->has_bytes_list()) break;
      if (f->has_int64_list()) {
        // Promote earlier integers of the same list to floats.
        tensorflow::Int64List ints = f->int64_list();
        for (int64_t i : ints.value()) f->mutable_float_list()->add_value(static_cast<float>(i));
      }
      f->mutable_float_list()->add_value(static_cast<float>(double(v)));
      return Status::OK();
    case element_type::INT64:
    case element_type::BOOL: {
      if (f->has_bytes_list()) break;
      int64_t i = v.type() == element_type::BOOL ? (bool(v) ? 1 : 0) : int64_t(v);
      if (f->has_float_list()) {
        f->mutable_float_list()->add_value(static_cast<float>(i));
      } else {
        f->mutable_int64_list()->add_value(i);
      }
      return Status::OK();
    }
    case element_type::UINT64:
      return InvalidArgument("feature '", name, "': value ", uint64_t(v),
                             " is too large: Only int64_t is supported");
    case element_type::NULL_VALUE:
      return InvalidArgument("feature '", name, "': null values are not supported");
    case element_type::ARRAY:
      return InvalidArgument("feature '", name, "': nested lists are not supported");
  }
  return InvalidArgument("feature '", name, "': values of one feature must all be numbers or all ",
                         "be strings / {\"b64\": ...}");
}

StatusOr<std::string> ExampleFromJson(element e, std::string_view what) {
  if (e.type() != element_type::OBJECT) {
    return InvalidArgument("Example must be JSON object but got JSON ", JsonTypeName(e), " (", what, ")");
  }
  tensorflow::Example ex;
  auto* features = ex.mutable_features()->mutable_feature();
  for (auto [key, value] : object(e)) {
    tensorflow::Feature& f = (*features)[std::string(key)];
    if (value.type() == element_type::ARRAY) {
      for (element item : array(value)) {
        RETURN_IF_ERROR(AddFeatureValue(item, &f, key).WithContext(std::string(what)));
      }
    } else {
      RETURN_IF_ERROR(AddFeatureValue(value, &f, key).WithContext(std::string(what)));
    }
  }
  return ex.SerializeAsString();
}

// {"dtype": ..., "tensor_shape": ..., "name": ...} as TF Serving prints a TensorInfo.
void WriteTensorInfo(const TensorInfo& info, std::string* out) {
  out->append("{\"dtype\": ");
  std::string dtype(DTypeEnumName(info.dtype));
  if (info.is_ref) dtype += "_REF";
  AppendJsonString(dtype, out);
  out->append(", \"tensor_shape\": {\"dim\": [");
  const PartialShape& shape = info.shape;
  if (!shape.unknown_rank()) {
    for (size_t i = 0; i < shape.dims().size(); ++i) {
      out->append(StrCat(i ? ", " : "", "{\"size\": \"", shape.dims()[i], "\", \"name\": \"\"}"));
    }
  }
  out->append(StrCat("], \"unknown_rank\": ", shape.unknown_rank() ? "true" : "false", "}"));
  if (info.is_sparse) {
    out->append(", \"coo_sparse\": {}");
  } else {
    out->append(", \"name\": ");
    AppendJsonString(info.tensor_name, out);
  }
  out->push_back('}');
}

// A signature default as proto3 JSON of its TensorProto (typed *_val fields).
void WriteTensorProtoJson(const Tensor& t, std::string* out) {
  out->append("{\"dtype\": ");
  AppendJsonString(DTypeEnumName(t.dtype()), out);
  out->append(", \"tensor_shape\": {\"dim\": [");
  for (int i = 0; i < t.rank(); ++i) {
    out->append(StrCat(i ? ", " : "", "{\"size\": \"", t.dim(i), "\", \"name\": \"\"}"));
  }
  out->append("], \"unknown_rank\": false}");
  std::string_view field;
  switch (t.dtype()) {
    case DType::kFloat: field = "float_val"; break;
    case DType::kDouble: field = "double_val"; break;
    case DType::kInt32: case DType::kInt16: case DType::kInt8: case DType::kUInt8: field = "int_val"; break;
    case DType::kInt64: field = "int64_val"; break;
    case DType::kBool: field = "bool_val"; break;
    case DType::kString: field = "string_val"; break;
    default: break;
  }
  if (!field.empty() && t.NumElements() > 0) {
    out->append(StrCat(", \"", field, "\": "));
    Tensor flat = *t.Reshaped(Shape{t.NumElements()});
    if (t.dtype() == DType::kInt64) {
      // proto3 JSON writes int64 as strings.
      out->push_back('[');
      for (int64_t i = 0; i < t.NumElements(); ++i) {
        out->append(StrCat(i ? ", " : "", "\"", t.flat<int64_t>()[i], "\""));
      }
      out->push_back(']');
    } else if (t.dtype() == DType::kString) {
      out->push_back('[');
      for (int64_t i = 0; i < t.NumElements(); ++i) {
        out->append(StrCat(i ? ", " : "", "\"", EncodeStdBase64(t.flat<std::string>()[i]), "\""));
      }
      out->push_back(']');
    } else {
      AppendTensorJson(flat, false, out);
    }
  }
  out->push_back('}');
}

}  // namespace

bool IsBytesAlias(std::string_view alias) {
  constexpr std::string_view kSuffix = "_bytes";
  return alias.size() >= kSuffix.size() && alias.substr(alias.size() - kSuffix.size()) == kSuffix;
}

Status ReadSignatureName(element root, std::string* name) {
  if (root.type() != element_type::OBJECT) {
    return InvalidArgument("Expecting object but got ", JsonTypeName(root),
                           " as the JSON request body");
  }
  element v;
  if (object(root)["signature_name"].get(v)) {
    name->clear();
    return Status::OK();
  }
  if (v.type() != element_type::STRING) {
    return InvalidArgument("'signature_name' key must be a string value.");
  }
  *name = std::string(std::string_view(v));
  return Status::OK();
}

Status ParsePredictBody(element root, const JsonReadOptions& options, const SignatureInfo& sig,
                        NamedTensors* inputs, PredictFormat* format) {
  object o(root);
  element instances, columns;
  const bool has_instances = !o["instances"].get(instances);
  const bool has_inputs = !o["inputs"].get(columns);
  if (has_instances && has_inputs) {
    return InvalidArgument("Not formatted correctly expecting only one of 'inputs' or 'instances' ",
                           "keys exists");
  }
  if (!has_instances && !has_inputs) return InvalidArgument("Missing 'inputs' or 'instances' key");
  if (has_instances) {
    *format = PredictFormat::kRow;
    if (instances.type() != element_type::ARRAY) {
      return InvalidArgument("Expecting 'instances' to be an list/array, got ", JsonTypeName(instances));
    }
    return ParseRows(array(instances), options, sig, inputs);
  }
  *format = PredictFormat::kColumnar;
  return ParseColumns(columns, options, sig, inputs);
}

Status WritePredictResponse(const NamedTensors& outputs, PredictFormat format, std::string* out) {
  for (const auto& [alias, t] : outputs) RETURN_IF_ERROR(CheckJsonWritable(t.dtype()).WithContext(StrCat("output '", alias, "'")));
  if (format == PredictFormat::kColumnar) {
    out->append("{\"outputs\": ");
    if (outputs.size() == 1) {
      AppendTensorJson(outputs[0].second, IsBytesAlias(outputs[0].first), out);
    } else {
      out->push_back('{');
      for (size_t i = 0; i < outputs.size(); ++i) {
        if (i) out->append(", ");
        AppendJsonString(outputs[i].first, out);
        out->append(": ");
        AppendTensorJson(outputs[i].second, IsBytesAlias(outputs[i].first), out);
      }
      out->push_back('}');
    }
    out->push_back('}');
    return Status::OK();
  }
  int64_t batch = -1;
  for (const auto& [alias, t] : outputs) {
    if (t.rank() == 0) {
      return InvalidArgument("Tensor name: ", alias, " has no shape information (it is a scalar; ",
                             "use the columnar \"inputs\" format to get it)");
    }
    if (batch >= 0 && t.dim(0) != batch) {
      return InvalidArgument("Tensor name: ", alias, " has inconsistent batch size: ", t.dim(0),
                             " expecting: ", batch);
    }
    batch = t.dim(0);
  }
  out->append("{\"predictions\": [");
  for (int64_t row = 0; row < std::max<int64_t>(batch, 0); ++row) {
    if (row) out->append(", ");
    if (outputs.size() == 1) {
      AppendTensorRowJson(outputs[0].second, row, IsBytesAlias(outputs[0].first), out);
      continue;
    }
    out->push_back('{');
    for (size_t i = 0; i < outputs.size(); ++i) {
      if (i) out->append(", ");
      AppendJsonString(outputs[i].first, out);
      out->append(": ");
      AppendTensorRowJson(outputs[i].second, row, IsBytesAlias(outputs[i].first), out);
    }
    out->push_back('}');
  }
  out->append("]}");
  return Status::OK();
}

Status ParseExamplesBody(element root, api::ExampleInput* input) {
  object o(root);
  element examples;
  if (o["examples"].get(examples)) return InvalidArgument("Missing 'examples' key");
  if (examples.type() != element_type::ARRAY) {
    return InvalidArgument("Expecting 'examples' to be an list/array, got ", JsonTypeName(examples));
  }
  element context;
  if (!o["context"].get(context)) {
    ASSIGN_OR_RETURN(input->context, ExampleFromJson(context, "'context'"));
  }
  size_t i = 0;
  for (element e : array(examples)) {
    ASSIGN_OR_RETURN(std::string bytes, ExampleFromJson(e, StrCat("'examples'[", i++, "]")));
    input->examples.push_back(std::move(bytes));
  }
  if (input->examples.empty()) return InvalidArgument("'examples' is an empty list");
  return Status::OK();
}

void WriteClassifyResponse(const api::ClassifyResponse& response, std::string* out) {
  out->append("{\"results\": [");
  for (size_t i = 0; i < response.classifications.size(); ++i) {
    if (i) out->append(", ");
    out->push_back('[');
    const auto& row = response.classifications[i];
    for (size_t c = 0; c < row.size(); ++c) {
      if (c) out->append(", ");
      out->push_back('[');
      AppendJsonString(row[c].label, out);
      out->append(", ");
      AppendJsonFloat(row[c].score, out);
      out->push_back(']');
    }
    out->push_back(']');
  }
  out->append("]}");
}

void WriteRegressResponse(const api::RegressResponse& response, std::string* out) {
  out->append("{\"results\": [");
  for (size_t i = 0; i < response.values.size(); ++i) {
    if (i) out->append(", ");
    AppendJsonFloat(response.values[i], out);
  }
  out->append("]}");
}

void WriteModelStatus(const std::vector<ModelVersionStatus>& versions, std::string* out) {
  std::vector<const ModelVersionStatus*> sorted;
  for (const auto& v : versions) sorted.push_back(&v);
  std::sort(sorted.begin(), sorted.end(),
            [](auto* a, auto* b) { return a->version > b->version; });
  out->append("{\"model_version_status\": [");
  for (size_t i = 0; i < sorted.size(); ++i) {
    const ModelVersionStatus& v = *sorted[i];
    if (i) out->append(", ");
    out->append(StrCat("{\"version\": \"", v.version, "\", \"state\": \"",
                       ModelVersionStateName(v.state), "\", \"status\": {\"error_code\": \"",
                       CodeName(v.status.code()), "\", \"error_message\": "));
    AppendJsonString(v.status.message(), out);
    out->append("}}");
  }
  out->append("]}");
}

void WriteModelMetadata(const api::MetadataResponse& response, std::string* out) {
  out->append("{\"model_spec\": {\"name\": ");
  AppendJsonString(response.spec.name, out);
  out->append(StrCat(", \"signature_name\": \"\", \"version\": \"", response.spec.version, "\"}, "));
  out->append("\"metadata\": {\"signature_def\": {\"signature_def\": {");
  bool first = true;
  for (const auto& [name, sig] : response.metadata().signatures) {
    if (!first) out->append(", ");
    first = false;
    AppendJsonString(name, out);
    out->append(": {\"inputs\": {");
    for (size_t i = 0; i < sig.inputs.size(); ++i) {
      if (i) out->append(", ");
      AppendJsonString(sig.inputs[i].alias, out);
      out->append(": ");
      WriteTensorInfo(sig.inputs[i], out);
    }
    out->append("}, \"outputs\": {");
    for (size_t i = 0; i < sig.outputs.size(); ++i) {
      if (i) out->append(", ");
      AppendJsonString(sig.outputs[i].alias, out);
      out->append(": ");
      WriteTensorInfo(sig.outputs[i], out);
    }
    out->append("}, \"method_name\": ");
    AppendJsonString(sig.method_name, out);
    // TF Serving's fixtures print no "defaults" for the TF2 init signature.
    if (name != "__saved_model_init_op") {
      out->append(", \"defaults\": {");
      bool first_default = true;
      for (const auto& [alias, t] : sig.defaults) {
        if (!first_default) out->append(", ");
        first_default = false;
        AppendJsonString(alias, out);
        out->append(": ");
        WriteTensorProtoJson(t, out);
      }
      out->push_back('}');
    }
    out->push_back('}');
  }
  out->append("}}}}");
}

}  // namespace stfs::rest
