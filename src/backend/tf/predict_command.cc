#include "backend/tf/predict_command.h"

#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "backend/tf/tf_model.h"
#include "base/base64.h"
#include "savedmodel/saved_model.h"

namespace stfs {
namespace {

using Json = nlohmann::json;

constexpr int kMaxJsonDepth = 64;

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, sep)) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// Infers the shape from the first element at each level; Fill checks the rest.
Status InferShape(const Json& j, std::vector<int64_t>* dims, int depth) {
  if (depth > kMaxJsonDepth) return InvalidArgument("JSON value nests deeper than ", kMaxJsonDepth);
  if (!j.is_array()) return Status::OK();
  dims->push_back(static_cast<int64_t>(j.size()));
  if (!j.empty()) return InferShape(j[0], dims, depth + 1);
  return Status::OK();
}

StatusOr<std::string> LeafBytes(const Json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_object() && j.size() == 1 && j.contains("b64") && j["b64"].is_string()) {
    return DecodeBase64Any(j["b64"].get<std::string>());
  }
  return InvalidArgument("expected a string or {\"b64\": ...}, got ", j.dump());
}

Status Fill(const Json& j, const std::vector<int64_t>& dims, size_t level, Tensor* out, int64_t* pos) {
  if (level < dims.size()) {
    if (!j.is_array() || static_cast<int64_t>(j.size()) != dims[level]) {
      return InvalidArgument("JSON value is not rectangular: expected a list of ", dims[level], " at depth ", level);
    }
    for (const Json& e : j) RETURN_IF_ERROR(Fill(e, dims, level + 1, out, pos));
    return Status::OK();
  }
  if (j.is_array()) return InvalidArgument("JSON value is not rectangular (extra nesting)");
  const int64_t i = (*pos)++;
  Status status;
  bool ok = DispatchDType(out->dtype(), [&]<typename T>() {
    if constexpr (std::is_same_v<T, std::string>) {
      auto bytes = LeafBytes(j);
      if (!bytes.ok()) {
        status = bytes.status();
      } else {
        out->data<std::string>()[i] = std::move(*bytes);
      }
    } else if constexpr (std::is_same_v<T, bool>) {
      if (!j.is_boolean()) {
        status = InvalidArgument("expected a bool, got ", j.dump());
      } else {
        out->data<bool>()[i] = j.get<bool>();
      }
    } else if constexpr (std::is_integral_v<T>) {
      if (!j.is_number_integer()) {
        status = InvalidArgument("expected an integer, got ", j.dump());
      } else {
        out->data<T>()[i] = static_cast<T>(j.get<int64_t>());
      }
    } else if constexpr (std::is_floating_point_v<T>) {
      if (!j.is_number()) {
        status = InvalidArgument("expected a number, got ", j.dump());
      } else {
        out->data<T>()[i] = static_cast<T>(j.get<double>());
      }
    } else if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) {
      if (!j.is_number()) {
        status = InvalidArgument("expected a number, got ", j.dump());
      } else {
        out->data<T>()[i] = T(static_cast<float>(j.get<double>()));
      }
    } else {
      status = InvalidArgument("dtype ", DTypeName(out->dtype()), " cannot be given as JSON");
    }
  });
  if (!ok) return InvalidArgument("invalid dtype");
  return status;
}

bool IsUtf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = s[i];
    const int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
    if (n < 0) return false;
    for (int k = 1; k <= n; ++k) {
      if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n + 1;
  }
  return true;
}

Json Element(const Tensor& t, int64_t i) {
  Json v;
  DispatchDType(t.dtype(), [&]<typename T>() {
    const T& x = t.data<T>()[i];
    if constexpr (std::is_same_v<T, std::string>) {
      v = IsUtf8(x) ? Json(x) : Json{{"b64", EncodeBase64(x, false, true)}};
    } else if constexpr (std::is_same_v<T, bool> || std::is_integral_v<T>) {
      v = x;
    } else if constexpr (std::is_floating_point_v<T>) {
      v = std::isfinite(x) ? Json(x) : Json(std::isnan(x) ? "NaN" : (x > 0 ? "Infinity" : "-Infinity"));
    } else if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) {
      v = static_cast<float>(x);
    } else if constexpr (std::is_same_v<T, std::complex<float>> || std::is_same_v<T, std::complex<double>>) {
      v = Json::array({x.real(), x.imag()});
    } else {
      v = "<unprintable>";
    }
  });
  return v;
}

Json Nested(const Tensor& t, int dim, int64_t* pos) {
  if (dim == t.rank()) return Element(t, (*pos)++);
  Json arr = Json::array();
  for (int64_t k = 0; k < t.dim(dim); ++k) arr.push_back(Nested(t, dim + 1, pos));
  return arr;
}

StatusOr<std::string> ResolveModelDir(const std::string& dir) {
  if (IsSavedModelDir(dir)) return dir;
  std::vector<VersionDir> versions = ListVersionDirs(dir);
  if (versions.empty()) return NotFound("'", dir, "' is neither a SavedModel nor a folder of numeric versions");
  return dir + "/" + versions.back().name;
}

int Usage(const std::string& error) {
  std::cerr << "error: " << error << "\n"
            << "usage: simple_tensorflow_serving predict DIR --signature_name S --inputs 'alias=JSON|@file' "
               "[--inputs ...] [--tag_set serve] [--output_filter a,b]\n";
  return 2;
}

}  // namespace

StatusOr<Tensor> ParseJsonTensor(const std::string& text, DType dtype) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return InvalidArgument("invalid JSON: ", text.substr(0, 200));
  std::vector<int64_t> dims;
  RETURN_IF_ERROR(InferShape(j, &dims, 0));
  ASSIGN_OR_RETURN(Shape shape, Shape::Create(dims));
  ASSIGN_OR_RETURN(Tensor t, Tensor::Create(dtype, shape));
  int64_t pos = 0;
  RETURN_IF_ERROR(Fill(j, dims, 0, &t, &pos));
  return t;
}

std::string TensorToJson(const Tensor& t) {
  Json out;
  out["dtype"] = std::string(DTypeName(t.dtype()));
  out["shape"] = t.shape().dims();
  int64_t pos = 0;
  out["value"] = Nested(t, 0, &pos);
  return out.dump();
}

int RunPredictCommand(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  size_t i = 1;  // argv[0] is the program (as for RunInspectCommand)
  if (i < args.size() && args[i] == "predict") ++i;
  std::string dir, signature = "serving_default";
  std::vector<std::string> input_specs, tags = {"serve"}, filter;
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string* out) {
      size_t eq = a.find('=');
      if (eq != std::string::npos) {
        *out = a.substr(eq + 1);
        return true;
      }
      if (i + 1 >= args.size()) return false;
      *out = args[++i];
      return true;
    };
    std::string v;
    if (a.rfind("--signature_name", 0) == 0) {
      if (!value(&signature)) return Usage("--signature_name needs a value");
    } else if (a.rfind("--inputs", 0) == 0) {
      if (!value(&v)) return Usage("--inputs needs a value");
      input_specs.push_back(v);
    } else if (a.rfind("--tag_set", 0) == 0) {
      if (!value(&v)) return Usage("--tag_set needs a value");
      tags = Split(v, ',');
    } else if (a.rfind("--output_filter", 0) == 0) {
      if (!value(&v)) return Usage("--output_filter needs a value");
      filter = Split(v, ',');
    } else if (a.rfind("--", 0) == 0) {
      return Usage("unknown flag " + a);
    } else if (dir.empty()) {
      dir = a;
    } else {
      return Usage("unexpected argument " + a);
    }
  }
  if (dir.empty()) return Usage("missing model DIR");
  auto fail = [](const Status& s) {
    std::cerr << "error: " << s.ToString() << "\n";
    return 1;
  };
  auto export_dir = ResolveModelDir(dir);
  if (!export_dir.ok()) return fail(export_dir.status());
  TfLoadOptions options;
  options.tags = tags;
  auto model = TfModel::Load(*export_dir, options);
  if (!model.ok()) return fail(model.status());
  auto sig = (*model)->metadata().signatures.find(signature);
  if (sig == (*model)->metadata().signatures.end()) {
    return fail(NotFound("signature '", signature, "' not found in '", *export_dir, "'"));
  }
  NamedTensors inputs;
  for (const std::string& spec : input_specs) {
    size_t eq = spec.find('=');
    if (eq == std::string::npos) return Usage("--inputs wants alias=JSON or alias=@file, got " + spec);
    std::string alias = spec.substr(0, eq), text = spec.substr(eq + 1);
    if (!text.empty() && text[0] == '@') {
      std::ifstream in(text.substr(1), std::ios::binary);
      if (!in) return fail(NotFound("cannot read input file '", text.substr(1), "'"));
      std::stringstream ss;
      ss << in.rdbuf();
      text = ss.str();
    }
    DType dtype = DType::kInvalid;
    for (const TensorInfo& t : sig->second.inputs) {
      if (t.alias == alias) dtype = t.dtype;
    }
    if (dtype == DType::kInvalid) {
      return fail(InvalidArgument("input alias '", alias, "' is not in signature '", signature, "'"));
    }
    auto tensor = ParseJsonTensor(text, dtype);
    if (!tensor.ok()) return fail(tensor.status().WithContext(StrCat("input '", alias, "'")));
    inputs.emplace_back(alias, std::move(*tensor));
  }
  auto outputs = (*model)->Predict(signature, inputs, filter);
  if (!outputs.ok()) return fail(outputs.status());
  Json result;
  result["outputs"] = Json::object();
  for (const auto& [alias, tensor] : *outputs) result["outputs"][alias] = Json::parse(TensorToJson(tensor));
  std::cout << result.dump() << "\n";
  return 0;
}

}  // namespace stfs
