// Predict, GetModelMetadata, GetModelStatus and signature resolution.
#include <algorithm>

#include "api/api.h"

namespace stfs::api {
namespace {

std::string AliasSet(const std::vector<TensorInfo>& infos) {
  std::string s = "{";
  for (size_t i = 0; i < infos.size(); ++i) s += StrCat(i ? "," : "", infos[i].alias);
  return s + "}";
}

const TensorInfo* FindAlias(const std::vector<TensorInfo>& infos, std::string_view alias) {
  for (const TensorInfo& t : infos) {
    if (t.alias == alias) return &t;
  }
  return nullptr;
}

}  // namespace

StatusOr<const SignatureInfo*> ResolveSignature(const ModelMetadata& metadata,
                                                const std::string& requested) {
  const auto& sigs = metadata.signatures;
  static const std::string kDefault(kDefaultSignature), kPredict("predict");
  const std::string* name = &requested;  // no copy: this runs on every request
  if (name->empty()) {
    if (sigs.count(kDefault)) {
      name = &kDefault;
    } else if (sigs.count(kPredict)) {
      name = &kPredict;
    } else {
      // The only servable signature (TF2 exports add __saved_model_init_op).
      const SignatureInfo* only = nullptr;
      int count = 0;
      for (const auto& [key, sig] : sigs) {
        if (key == "__saved_model_init_op") continue;
        only = &sig;
        ++count;
      }
      if (count == 1) return only;
      name = &kDefault;
    }
  }
  auto it = sigs.find(*name);
  if (it == sigs.end()) {
    std::string keys;
    for (const auto& [key, sig] : sigs) keys += StrCat(keys.empty() ? "" : ", ", "\"", key, "\"");
    return NotFound("Serving signature key \"", *name, "\" not found. Available signatures: ",
                    keys.empty() ? "none" : keys);
  }
  return &it->second;
}

StatusOr<PredictResponse> Predict(const ModelProvider& provider, const PredictRequest& request) {
  const ModelSpec& spec = request.spec;
  ServableHandle handle;
  if (request.pinned) {
    handle = *request.pinned;
  } else {
    ASSIGN_OR_RETURN(handle, provider.GetModel(spec.name, spec.version,
                                               spec.label ? std::optional<std::string_view>(*spec.label)
                                                          : std::nullopt));
  }
  ASSIGN_OR_RETURN(const SignatureInfo* sig,
                   ResolveSignature(handle.model->metadata(), spec.signature_name));
  // Only error paths need the location text: build it lazily (hot path).
  auto where = [&] {
    return StrCat("model '", handle.name, "' version ", handle.version, " signature '", sig->name,
                  "'");
  };
  // Inputs: known aliases, right dtype, no duplicates, none missing.
  for (size_t i = 0; i < request.inputs.size(); ++i) {
    const auto& [alias, tensor] = request.inputs[i];
    const TensorInfo* info = FindAlias(sig->inputs, alias);
    if (!info) {
      return InvalidArgument("input tensor alias not found in signature: ", alias,
                             ". Inputs expected to be in the set ", AliasSet(sig->inputs), ". (",
                             where(), ")");
    }
    if (info->is_sparse) {
      return Unimplemented(where(), ": input '", alias, "' is a sparse (coo_sparse) tensor, which ",
                           "cannot be fed through this API");
    }
    if (tensor.dtype() != info->dtype) {
      return InvalidArgument(where(), ": input '", alias, "' expects dtype ", DTypeName(info->dtype),
                             " with shape ", info->shape.ToString(), ", got ",
                             DTypeName(tensor.dtype()), " with shape ", tensor.shape().ToString());
    }
    for (size_t j = 0; j < i; ++j) {
      if (request.inputs[j].first == alias) {
        return InvalidArgument(where(), ": input '", alias, "' is given twice");
      }
    }
  }
  for (const TensorInfo& info : sig->inputs) {
    bool given = std::any_of(request.inputs.begin(), request.inputs.end(),
                             [&](const auto& p) { return p.first == info.alias; });
    if (!given && !sig->defaults.count(info.alias)) {
      return InvalidArgument(where(), ": missing input '", info.alias, "' (", DTypeName(info.dtype),
                             " ", info.shape.ToString(), "); the signature needs ",
                             AliasSet(sig->inputs));
    }
  }
  for (size_t i = 0; i < request.output_filter.size(); ++i) {
    const std::string& alias = request.output_filter[i];
    if (!FindAlias(sig->outputs, alias)) {
      return InvalidArgument("output tensor alias not found in signature: ", alias,
                             " Outputs expected to be in the set ", AliasSet(sig->outputs), ". (",
                             where(), ")");
    }
    if (std::count(request.output_filter.begin(), request.output_filter.begin() + i, alias)) {
      return InvalidArgument("duplicate output tensor alias: ", alias, " (", where(), ")");
    }
  }
  ASSIGN_OR_RETURN(NamedTensors outputs,
                   handle.model->Predict(sig->name, request.inputs, request.output_filter));
  PredictResponse response;
  response.spec = {handle.name, handle.version, sig->name};
  response.outputs = std::move(outputs);
  response.model = std::move(handle.model);
  response.signature = sig;
  return response;
}

StatusOr<MetadataResponse> GetModelMetadata(const ModelProvider& provider, const ModelSpec& spec) {
  ASSIGN_OR_RETURN(ServableHandle handle,
                   provider.GetModel(spec.name, spec.version,
                                     spec.label ? std::optional<std::string_view>(*spec.label)
                                                : std::nullopt));
  MetadataResponse response;
  response.spec = {handle.name, handle.version, ""};
  response.model = std::move(handle.model);
  return response;
}

StatusOr<std::vector<ModelVersionStatus>> GetModelStatus(const ModelProvider& provider,
                                                         const ModelSpec& spec) {
  ASSIGN_OR_RETURN(ModelInfo info, provider.GetModelInfo(spec.name));
  std::optional<int64_t> version = spec.version;
  if (spec.label) {
    auto it = info.labels.find(*spec.label);
    if (it == info.labels.end()) {
      return InvalidArgument("Unrecognized servable version label: ", *spec.label);
    }
    version = it->second;
  }
  if (info.versions.empty()) {
    return NotFound("Could not find any versions of model ", spec.name,
                    info.error.ok() ? "" : StrCat(": ", info.error.message()));
  }
  if (!version) return info.versions;
  for (const ModelVersionStatus& v : info.versions) {
    if (v.version == *version) return std::vector<ModelVersionStatus>{v};
  }
  return NotFound("Could not find version ", *version, " of model ", spec.name);
}

}  // namespace stfs::api
