#include "rest/handler.h"

#include <zlib.h>

#include <chrono>

#include "api/api.h"
#include "rest/dashboard_routes.h"
#include "rest/images.h"
#include "rest/routes.h"
#include "rest/stfs_codec.h"
#include "rest/tfs_codec.h"
#include "tensor/tensor_json.h"

namespace stfs::rest {

struct RestHandler::Context {
  const http::Request& request;
  Route route;
  std::string_view body;
  RequestRecord record;
};

namespace {

JsonDocument& ThreadDocument() {
  thread_local JsonDocument doc;
  return doc;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && http::EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

// Inflates a gzip (or zlib) body, failing past `limit` bytes.
StatusOr<std::string> Gunzip(std::string_view in, size_t limit) {
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return Internal("zlib init failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buf[64 << 10];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof(buf);
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      return InvalidArgument("request body is not valid gzip data (zlib error ", rc, ")");
    }
    out.append(buf, sizeof(buf) - zs.avail_out);
    if (out.size() > limit) {
      inflateEnd(&zs);
      return ResourceExhausted("decompressed request body exceeds ", limit, " bytes");
    }
    if (rc != Z_STREAM_END && zs.avail_in == 0 && zs.avail_out != 0) {
      inflateEnd(&zs);
      return InvalidArgument("request body is truncated gzip data");
    }
  }
  inflateEnd(&zs);
  return out;
}

std::string_view ApiName(RouteKind kind) {
  switch (kind) {
    case RouteKind::kPredict: return "predict";
    case RouteKind::kClassify: return "classify";
    case RouteKind::kRegress: return "regress";
    case RouteKind::kModelStatus: return "status";
    case RouteKind::kModelMetadata: return "metadata";
    case RouteKind::kStfsPredict: return "stfs_predict";
    case RouteKind::kListModels: return "list_models";
    case RouteKind::kGenJson: return "gen_json";
    case RouteKind::kGenClient: return "gen_client";
    case RouteKind::kMetrics: return "metrics";
    case RouteKind::kHealth: return "health";
    case RouteKind::kIndex: return "index";
    case RouteKind::kMalformed: return "malformed";
    case RouteKind::kNotFound: return "not_found";
  }
  return "other";
}

std::optional<std::string_view> OptLabel(const Route& r) { return r.label; }

api::ModelSpec SpecFromRoute(const Route& r, std::string signature = "") {
  api::ModelSpec spec;
  spec.name = std::string(r.model);
  spec.version = r.version;
  if (r.label) spec.label = std::string(*r.label);
  spec.signature_name = std::move(signature);
  return spec;
}

std::string AvailableModels(const ModelProvider& provider) {
  std::string s;
  for (const ModelInfo& m : provider.ListModels()) s += StrCat(s.empty() ? "" : ", ", m.name);
  return s.empty() ? "(none)" : s;
}

}  // namespace

RestHandler::RestHandler(const ModelProvider* provider, RestOptions options)
    : provider_(provider), options_(std::move(options)) {}

http::Response RestHandler::Handle(const http::Request& request) {
  const auto start = std::chrono::steady_clock::now();
  Context ctx{request, MatchRoute(request.method, request.path, options_.metrics_path),
              request.body, {}};
  ctx.record.api = std::string(ApiName(ctx.route.kind));
  ctx.record.model = std::string(ctx.route.model);
  if (ctx.route.version) ctx.record.version = *ctx.route.version;

  http::Response response;
  std::string inflated;
  Status status;
  if (const std::string* enc = request.FindHeader("Content-Encoding");
      enc && (http::EqualsIgnoreCase(*enc, "gzip") || http::EqualsIgnoreCase(*enc, "x-gzip"))) {
    auto body = Gunzip(request.body, options_.max_decompressed_bytes);
    if (body.ok()) {
      inflated = std::move(body).value();
      ctx.body = inflated;
    } else {
      status = body.status();
    }
  }
  bool model_request = true;
  if (status.ok()) {
    switch (ctx.route.kind) {
      case RouteKind::kPredict: status = Predict(ctx, &response); break;
      case RouteKind::kClassify: status = ClassifyOrRegress(ctx, true, &response); break;
      case RouteKind::kRegress: status = ClassifyOrRegress(ctx, false, &response); break;
      case RouteKind::kModelStatus: status = ModelStatus(ctx, &response); break;
      case RouteKind::kModelMetadata: status = ModelMetadata(ctx, &response); break;
      case RouteKind::kStfsPredict: status = StfsPredict(ctx, &response); break;
      case RouteKind::kGenJson: status = GenJsonOrClient(ctx, false, &response); break;
      case RouteKind::kGenClient: status = GenJsonOrClient(ctx, true, &response); break;
      case RouteKind::kListModels:
        model_request = false;
        status = ListModels(ctx, &response);
        break;
      case RouteKind::kHealth:
        model_request = false;
        response.content_type = "text/plain";
        response.body = "healthy";
        break;
      case RouteKind::kIndex:
        model_request = false;
        response = ServeDashboardAsset(request);
        break;
      case RouteKind::kMetrics:
        model_request = false;
        response.content_type = "text/plain; version=0.0.4";
        response.body = metrics_.Render(*provider_);
        break;
      case RouteKind::kMalformed:
        status = InvalidArgument(ctx.route.error);
        break;
      case RouteKind::kNotFound:
        model_request = false;
        response = http::Response::Error(
            404, StrCat("Not found: ", request.method, " ", request.path,
                        " (see /v1/models for the served models)"));
        break;
    }
  }
  if (!status.ok()) response = http::Response::FromStatus(status);
  ctx.record.code = status.code();
  ctx.record.http_status = response.status;
  ctx.record.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (model_request) metrics_.Record(ctx.record);
  return response;
}

Status RestHandler::Predict(Context& ctx, http::Response* response) {
  JsonDocument& doc = ThreadDocument();
  RETURN_IF_ERROR(doc.Parse(ctx.body));
  std::string signature_name;
  RETURN_IF_ERROR(ReadSignatureName(doc.root(), &signature_name));
  ASSIGN_OR_RETURN(ServableHandle handle,
                   provider_->GetModel(ctx.route.model, ctx.route.version, OptLabel(ctx.route)));
  ctx.record.version = handle.version;
  ASSIGN_OR_RETURN(const SignatureInfo* sig,
                   api::ResolveSignature(handle.model->metadata(), signature_name));
  ctx.record.signature = sig->name;
  api::PredictRequest request;
  // Pin the version resolved above so the signature used for decoding is
  // the one that runs even if a newer version becomes available meanwhile.
  request.spec = {handle.name, handle.version, std::nullopt, sig->name};
  request.pinned = handle;
  PredictFormat format;
  RETURN_IF_ERROR(ParsePredictBody(doc.root(), doc.read_options(), *sig, &request.inputs, &format));
  ASSIGN_OR_RETURN(api::PredictResponse result, api::Predict(*provider_, request));
  response->body.reserve(256);
  return WritePredictResponse(result.outputs, format, &response->body);
}

Status RestHandler::ClassifyOrRegress(Context& ctx, bool classify, http::Response* response) {
  JsonDocument& doc = ThreadDocument();
  RETURN_IF_ERROR(doc.Parse(ctx.body));
  std::string signature_name;
  RETURN_IF_ERROR(ReadSignatureName(doc.root(), &signature_name));
  api::ExampleInput input;
  RETURN_IF_ERROR(ParseExamplesBody(doc.root(), &input));
  if (classify) {
    api::ClassifyRequest request{SpecFromRoute(ctx.route, signature_name), std::move(input)};
    ASSIGN_OR_RETURN(api::ClassifyResponse result, api::Classify(*provider_, request));
    ctx.record.version = result.spec.version;
    ctx.record.signature = result.spec.signature_name;
    WriteClassifyResponse(result, &response->body);
  } else {
    api::RegressRequest request{SpecFromRoute(ctx.route, signature_name), std::move(input)};
    ASSIGN_OR_RETURN(api::RegressResponse result, api::Regress(*provider_, request));
    ctx.record.version = result.spec.version;
    ctx.record.signature = result.spec.signature_name;
    WriteRegressResponse(result, &response->body);
  }
  return Status::OK();
}

Status RestHandler::ModelStatus(Context& ctx, http::Response* response) {
  if (ctx.request.QueryParam("format") == std::optional<std::string>("stfs")) {
    // The original server's model detail object.
    ASSIGN_OR_RETURN(ModelInfo info, provider_->GetModelInfo(ctx.route.model));
    auto latest = provider_->GetModel(info.name, std::nullopt, std::nullopt);
    WriteStfsModelDetail(info, latest.ok() ? &latest->model->metadata() : nullptr, &response->body);
    return Status::OK();
  }
  ASSIGN_OR_RETURN(std::vector<ModelVersionStatus> versions,
                   api::GetModelStatus(*provider_, SpecFromRoute(ctx.route)));
  WriteModelStatus(versions, &response->body);
  return Status::OK();
}

Status RestHandler::ModelMetadata(Context& ctx, http::Response* response) {
  ASSIGN_OR_RETURN(api::MetadataResponse result,
                   api::GetModelMetadata(*provider_, SpecFromRoute(ctx.route)));
  ctx.record.version = result.spec.version;
  WriteModelMetadata(result, &response->body);
  return Status::OK();
}

Status RestHandler::ListModels(Context& ctx, http::Response* response) {
  std::string& out = response->body;
  out.push_back('[');
  bool first = true;
  for (const ModelInfo& info : provider_->ListModels()) {
    if (!first) out.append(", ");
    first = false;
    auto latest = provider_->GetModel(info.name, std::nullopt, std::nullopt);
    WriteStfsModelDetail(info, latest.ok() ? &latest->model->metadata() : nullptr, &out);
  }
  out.push_back(']');
  return Status::OK();
}

Status RestHandler::GenJsonOrClient(Context& ctx, bool client, http::Response* response) {
  if (!client) {
    return GenJsonResponse(*provider_, ctx.route.model, ctx.request, response,
                           &ctx.record.version, &ctx.record.signature);
  }
  return GenClientResponse(*provider_, ctx.route.model, ctx.request, options_.public_url, response,
                           &ctx.record.version, &ctx.record.signature);
}

Status RestHandler::StfsPredict(Context& ctx, http::Response* response) {
  const std::string* content_type = ctx.request.FindHeader("Content-Type");
  if (content_type && StartsWithIgnoreCase(*content_type, "multipart/form-data")) {
    return StfsMultipart(ctx, response);
  }
  if (content_type && !StartsWithIgnoreCase(*content_type, "application/json") &&
      !StartsWithIgnoreCase(*content_type, "text/plain")) {
    return InvalidArgument("Error, unsupported content type: ", *content_type,
                           " (use application/json or multipart/form-data)");
  }
  JsonDocument& doc = ThreadDocument();
  Status parsed = doc.Parse(ctx.body);
  if (!parsed.ok()) return InvalidArgument("Invalid json data: ", parsed.message());
  StfsRequestHeader header;
  RETURN_IF_ERROR(ReadStfsRequestHeader(doc.root(), &header));
  ctx.record.model = header.model_name;
  auto handle = provider_->GetModel(header.model_name, header.model_version, std::nullopt);
  if (!handle.ok()) {
    if (!provider_->GetModelInfo(header.model_name).ok()) {
      return NotFound("Invalid model name: ", header.model_name,
                      ", available models: ", AvailableModels(*provider_));
    }
    return handle.status();
  }
  ctx.record.version = handle->version;
  ASSIGN_OR_RETURN(const SignatureInfo* sig,
                   api::ResolveSignature(handle->model->metadata(), header.signature_name));
  ctx.record.signature = sig->name;
  api::PredictRequest request;
  request.spec = {handle->name, handle->version, std::nullopt, sig->name};
  request.pinned = *handle;
  RETURN_IF_ERROR(ParseStfsData(doc.root(), doc.read_options(), *sig, header.base64_decode,
                                &request.inputs));
  const auto start = std::chrono::steady_clock::now();
  ASSIGN_OR_RETURN(api::PredictResponse result, api::Predict(*provider_, request));
  RETURN_IF_ERROR(WriteStfsResponse(result.outputs, &response->body));
  if (header.run_profile) {
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    response->body.pop_back();
    response->body += StrCat(response->body.size() > 1 ? ", " : "", "\"__PROFILE__\": ");
    AppendJsonString(StrCat("model ", handle->name, " version ", handle->version, " signature ",
                            sig->name, ": predict took ", ms, " ms"),
                     &response->body);
    response->body.push_back('}');
  }
  return Status::OK();
}

Status RestHandler::StfsMultipart(Context& ctx, http::Response* response) {
  ASSIGN_OR_RETURN(std::vector<http::FormPart> parts,
                   http::ParseMultipartFormData(*ctx.request.FindHeader("Content-Type"), ctx.body));
  ASSIGN_OR_RETURN(UploadForm form, ReadUploadForm(parts));
  ctx.record.model = form.model_name;
  auto handle = provider_->GetModel(form.model_name, form.model_version, std::nullopt);
  if (!handle.ok()) {
    if (!provider_->GetModelInfo(form.model_name).ok()) {
      return NotFound("Invalid model name: ", form.model_name,
                      ", available models: ", AvailableModels(*provider_));
    }
    return handle.status();
  }
  ctx.record.version = handle->version;
  ASSIGN_OR_RETURN(const SignatureInfo* sig,
                   api::ResolveSignature(handle->model->metadata(), form.signature_name));
  ctx.record.signature = sig->name;
  api::PredictRequest request;
  request.spec = {handle->name, handle->version, std::nullopt, sig->name};
  request.pinned = *handle;
  RETURN_IF_ERROR(BuildUploadInputs(form, *sig, &request.inputs));
  ASSIGN_OR_RETURN(api::PredictResponse result, api::Predict(*provider_, request));
  return WriteStfsResponse(result.outputs, &response->body);
}

}  // namespace stfs::rest
