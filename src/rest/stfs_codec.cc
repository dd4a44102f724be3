#include "rest/stfs_codec.h"

#include <filesystem>

#include "rest/tfs_codec.h"

namespace stfs::rest {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

StatusOr<bool> ReadFlag(element v, std::string_view key) {
  if (v.type() == element_type::BOOL) return bool(v);
  if (v.type() == element_type::STRING) {
    std::string_view s(v);
    if (s == "true" || s == "True" || s == "1") return true;
    if (s == "false" || s == "False" || s == "0" || s.empty()) return false;
  }
  if (v.type() == element_type::INT64) return int64_t(v) != 0;
  return InvalidArgument("'", key, "' must be true or false");
}

std::string_view PlatformDisplayName(const std::string& platform) {
  if (platform == "tensorflow") return "TensorFlow";
  if (platform == "mxnet") return "MXNet";
  if (platform == "onnx") return "ONNX";
  if (platform == "pytorch_onnx") return "PyTorch_ONNX";
  if (platform == "h2o") return "H2o";
  if (platform == "scikitlearn") return "Scikit-learn";
  if (platform == "xgboost") return "XGBoost";
  if (platform == "pmml") return "PMML";
  if (platform == "spark") return "Spark";
  return platform;
}

void WriteSignatureEntries(const std::vector<TensorInfo>& infos, std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < infos.size(); ++i) {
    if (i) out->append(", ");
    out->append("{\"name\": ");
    AppendJsonString(infos[i].alias, out);
    out->append(StrCat(", \"dtype\": ", static_cast<int>(infos[i].dtype), ", \"shape\": "));
    if (infos[i].shape.unknown_rank()) {
      out->append("null");
    } else {
      out->push_back('[');
      for (size_t d = 0; d < infos[i].shape.dims().size(); ++d) {
        out->append(StrCat(d ? ", " : "", infos[i].shape.dims()[d]));
      }
      out->push_back(']');
    }
    out->push_back('}');
  }
  out->push_back(']');
}

}  // namespace

Status ReadStfsRequestHeader(element root, StfsRequestHeader* h) {
  if (root.type() != element_type::OBJECT) {
    return InvalidArgument("Invalid json data: expecting a JSON object with \"data\", got ",
                           JsonTypeName(root));
  }
  object o(root);
  element v;
  if (!o["model_name"].get(v)) {
    if (v.type() != element_type::STRING) return InvalidArgument("'model_name' must be a string");
    h->model_name = std::string(std::string_view(v));
  }
  if (!o["model_version"].get(v) && v.type() != element_type::NULL_VALUE) {
    int64_t version = -1;
    if (v.type() == element_type::INT64) {
      version = int64_t(v);
    } else if (v.type() == element_type::STRING) {
      std::string_view s(v);
      int64_t parsed = 0;
      bool ok = !s.empty() && s.size() <= 18;
      for (char c : s) {
        if (c < '0' || c > '9') ok = false;
        else parsed = parsed * 10 + (c - '0');
      }
      if (ok) version = parsed;
    }
    if (version < 0) {
      return InvalidArgument("'model_version' must be a version number, got ",
                             simdjson::to_string(v));
    }
    h->model_version = version;
  }
  if (!o["signature_name"].get(v)) {
    if (v.type() != element_type::STRING) {
      return InvalidArgument("'signature_name' key must be a string value.");
    }
    h->signature_name = std::string(std::string_view(v));
  }
  if (!o["base64_decode"].get(v)) {
    ASSIGN_OR_RETURN(h->base64_decode, ReadFlag(v, "base64_decode"));
  }
  if (!o["run_profile"].get(v)) {
    ASSIGN_OR_RETURN(h->run_profile, ReadFlag(v, "run_profile"));
  }
  if (!o["preprocess"].get(v) || !o["postprocess"].get(v)) {
    return InvalidArgument("'preprocess' / 'postprocess' are not supported: they ran Python ",
                           "functions stored in the model, which this server cannot execute");
  }
  return Status::OK();
}

Status ParseStfsData(element root, const JsonReadOptions& options, const SignatureInfo& sig,
                     bool base64_decode, NamedTensors* inputs) {
  element data;
  if (object(root)["data"].get(data)) return InvalidArgument("Missing 'data' key in the request");
  if (data.type() != element_type::OBJECT) {
    return InvalidArgument("'data' must be an object mapping input names to values, got ",
                           JsonTypeName(data));
  }
  object d(data);
  for (const TensorInfo& info : sig.inputs) {
    element v;
    if (d[info.alias].get(v)) continue;  // api::Predict reports missing inputs
    auto t = JsonToTensor(v, info.dtype, options);
    if (!t.ok()) return t.status().WithContext(StrCat("input '", info.alias, "'"));
    if (base64_decode && info.dtype == DType::kString && info.tensor_name == "input_example_tensor:0") {
      for (std::string& s : t->flat<std::string>()) {
        auto decoded = Base64DecodeLenient(s);
        if (!decoded.ok()) {
          return decoded.status().WithContext(StrCat("input '", info.alias, "' (base64_decode)"));
        }
        s = std::move(decoded).value();
      }
    }
    inputs->emplace_back(info.alias, std::move(t).value());
  }
  return Status::OK();
}

Status WriteStfsResponse(const NamedTensors& outputs, std::string* out) {
  out->push_back('{');
  for (size_t i = 0; i < outputs.size(); ++i) {
    RETURN_IF_ERROR(CheckJsonWritable(outputs[i].second.dtype()));
    if (i) out->append(", ");
    AppendJsonString(outputs[i].first, out);
    out->append(": ");
    AppendTensorJson(outputs[i].second, IsBytesAlias(outputs[i].first), out);
  }
  out->push_back('}');
  return Status::OK();
}

void WriteStfsModelDetail(const ModelInfo& info, const ModelMetadata* metadata, std::string* out) {
  out->append("{\"model_name\": ");
  AppendJsonString(info.name, out);
  out->append(", \"model_base_path\": ");
  AppendJsonString(info.base_path, out);
  out->append(", \"model_version_list\": [");
  bool first = true;
  for (const ModelVersionStatus& v : info.versions) {
    if (v.state != ModelVersionState::kAvailable) continue;
    if (!first) out->append(", ");
    first = false;
    // The original lists directory names ("00000123"), as strings.
    AppendJsonString(std::filesystem::path(v.directory).filename().string(), out);
  }
  out->append("], \"model_signature\": {");
  if (metadata) {
    auto sig = api::ResolveSignature(*metadata, "");
    if (sig.ok()) {
      out->append("\"inputs\": ");
      WriteSignatureEntries((*sig)->inputs, out);
      out->append(", \"outputs\": ");
      WriteSignatureEntries((*sig)->outputs, out);
    }
  }
  out->append("}, \"platform\": ");
  AppendJsonString(PlatformDisplayName(info.platform), out);
  // Extension: per-version state, so load failures are visible here too.
  out->append(", \"versions\": [");
  for (size_t i = 0; i < info.versions.size(); ++i) {
    const ModelVersionStatus& v = info.versions[i];
    if (i) out->append(", ");
    out->append(StrCat("{\"version\": ", v.version, ", \"state\": \"",
                       ModelVersionStateName(v.state), "\", \"error\": "));
    AppendJsonString(v.status.message(), out);
    out->push_back('}');
  }
  out->append("]}");
}

}  // namespace stfs::rest
