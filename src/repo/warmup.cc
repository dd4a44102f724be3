#include "repo/warmup.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "api/api.h"
#include "base/logging.h"
#include "proto/prediction_log.pb.h"
#include "savedmodel/crc32c.h"
#include "tensor/tensor_proto.h"

namespace stfs {
namespace {

uint64_t DecodeFixed64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}
uint32_t DecodeFixed32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

// Serves the one model being warmed up, whatever the request names.
class OneModelProvider final : public ModelProvider {
 public:
  explicit OneModelProvider(std::shared_ptr<Model> model) : model_(std::move(model)) {}
  StatusOr<ServableHandle> GetModel(std::string_view name, std::optional<int64_t> version,
                                    std::optional<std::string_view>) const override {
    return ServableHandle{std::string(name), version.value_or(0), model_};
  }
  std::vector<ModelInfo> ListModels() const override { return {}; }
  StatusOr<ModelInfo> GetModelInfo(std::string_view name) const override {
    return NotFound("Could not find any versions of model ", name);
  }

 private:
  std::shared_ptr<Model> model_;
};

api::ModelSpec SpecFrom(const tensorflow::serving::ModelSpec& spec) {
  api::ModelSpec out;
  out.name = spec.name().empty() ? "warmup" : spec.name();
  out.signature_name = spec.signature_name();
  return out;
}

Status ExamplesFrom(const tensorflow::serving::Input& input, api::ExampleInput* out) {
  if (input.has_example_list()) {
    for (const auto& ex : input.example_list().examples()) out->examples.push_back(ex.SerializeAsString());
  } else if (input.has_example_list_with_context()) {
    for (const auto& ex : input.example_list_with_context().examples()) {
      out->examples.push_back(ex.SerializeAsString());
    }
    out->context = input.example_list_with_context().context().SerializeAsString();
  } else {
    return InvalidArgument("the request's input has no examples");
  }
  return Status::OK();
}

Status ReplayOne(const OneModelProvider& provider, const tensorflow::serving::PredictionLog& log) {
  if (log.has_predict_log()) {
    const auto& r = log.predict_log().request();
    api::PredictRequest req;
    req.spec = SpecFrom(r.model_spec());
    for (const auto& [alias, proto] : r.inputs()) {
      auto t = TensorFromProto(proto);
      if (!t.ok()) return InvalidArgument("input ", alias, ": ", t.status().message());
      req.inputs.emplace_back(alias, std::move(t).value());
    }
    std::sort(req.inputs.begin(), req.inputs.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    req.output_filter.assign(r.output_filter().begin(), r.output_filter().end());
    return api::Predict(provider, req).status();
  }
  if (log.has_classify_log()) {
    api::ClassifyRequest req;
    req.spec = SpecFrom(log.classify_log().request().model_spec());
    RETURN_IF_ERROR(ExamplesFrom(log.classify_log().request().input(), &req.input));
    return api::Classify(provider, req).status();
  }
  if (log.has_regress_log()) {
    api::RegressRequest req;
    req.spec = SpecFrom(log.regress_log().request().model_spec());
    RETURN_IF_ERROR(ExamplesFrom(log.regress_log().request().input(), &req.input));
    return api::Regress(provider, req).status();
  }
  return Unimplemented("unsupported log type for warm-up (only predict_log, classify_log and ",
                       "regress_log are replayed)");
}

}  // namespace

StatusOr<std::vector<std::string>> ReadTfRecordFile(const std::string& path, size_t max_records) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot open ", path);
  std::error_code ec;
  const uintmax_t file_size = std::filesystem::file_size(path, ec);
  if (ec) return NotFound("cannot stat ", path, ": ", ec.message());
  std::vector<std::string> records;
  uintmax_t offset = 0;
  while (offset < file_size) {
    const size_t index = records.size();
    if (index >= max_records) {
      return InvalidArgument(path, ": more than ", max_records, " warm-up records");
    }
    char header[12];
    if (file_size - offset < sizeof(header) || !in.read(header, sizeof(header))) {
      return DataLoss(path, ": record ", index, ": truncated length header at byte ", offset);
    }
    const uint64_t length = DecodeFixed64(header);
    if (crc32c::Unmask(DecodeFixed32(header + 8)) != crc32c::Value(header, 8)) {
      return DataLoss(path, ": record ", index, ": corrupted length (crc mismatch) at byte ", offset);
    }
    offset += sizeof(header);
    if (length > file_size - offset || file_size - offset - length < 4) {
      return DataLoss(path, ": record ", index, ": length ", length, " runs past the end of the file");
    }
    std::string data(length, '\0');
    char footer[4];
    if (!in.read(data.data(), static_cast<std::streamsize>(length)) || !in.read(footer, 4)) {
      return DataLoss(path, ": record ", index, ": read failed");
    }
    if (crc32c::Unmask(DecodeFixed32(footer)) != crc32c::Value(data)) {
      return DataLoss(path, ": record ", index, ": corrupted data (crc mismatch)");
    }
    offset += length + 4;
    records.push_back(std::move(data));
  }
  return records;
}

StatusOr<int> ReplayWarmup(const std::string& version_dir, const std::shared_ptr<Model>& model) {
  const std::string path = (std::filesystem::path(version_dir) / kWarmupFile).string();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return 0;
  ASSIGN_OR_RETURN(std::vector<std::string> records, ReadTfRecordFile(path, kMaxWarmupRecords));
  OneModelProvider provider(model);
  int replayed = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    tensorflow::serving::PredictionLog log;
    if (!log.ParseFromString(records[i])) {
      return InvalidArgument(path, ": record ", i, " is not a tensorflow.serving.PredictionLog");
    }
    if (Status s = ReplayOne(provider, log); !s.ok()) {
      return Status(s.code(), StrCat("warm-up request ", i, " of ", path, " failed: ", s.message()));
    }
    ++replayed;
  }
  return replayed;
}

ModelLoader WithWarmup(ModelLoader loader) {
  return [loader = std::move(loader)](const std::string& dir,
                                      const std::string& platform) -> StatusOr<std::shared_ptr<Model>> {
    ASSIGN_OR_RETURN(std::shared_ptr<Model> model, loader(dir, platform));
    if (platform != "tensorflow" || model == nullptr) return model;
    const auto start = std::chrono::steady_clock::now();
    ASSIGN_OR_RETURN(int n, ReplayWarmup(dir, model));
    if (n > 0) {
      LOG(INFO) << "warm-up: replayed " << n << " request(s) from " << dir << "/" << kWarmupFile
                << " in "
                << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()
                << " s";
    }
    return model;
  };
}

}  // namespace stfs
