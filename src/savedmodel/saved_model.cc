#include "savedmodel/saved_model.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <climits>
#include <set>

#include "proto/saved_model.pb.h"
#include "savedmodel/file_util.h"
#include "tensor/tensor_proto.h"

namespace stfs {
namespace {

constexpr uint64_t kMaxSavedModelBytes = (uint64_t{2} << 30) - 1;  // protobuf's hard limit
constexpr char kAssetsCollection[] = "saved_model_assets";

// Collects TextFormat parse errors instead of logging them.
class ErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (errors_.empty()) errors_ = StrCat("line ", line + 1, ", column ", column + 1, ": ", message);
  }
  const std::string& first_error() const { return errors_; }

 private:
  std::string errors_;
};

bool SameTagSet(const google::protobuf::RepeatedPtrField<std::string>& have,
                const std::vector<std::string>& want) {
  std::set<std::string> a(have.begin(), have.end());
  std::set<std::string> b(want.begin(), want.end());
  return a == b;
}

Status ValidateTensorAttr(const tensorflow::TensorProto& t, const std::string& where) {
  auto shape = ShapeFromProto(t.tensor_shape());
  if (!shape.ok()) {
    return InvalidArgument(where, " holds a tensor with an invalid shape: ", shape.status().message());
  }
  return Status::OK();
}

Status ValidateNodes(const google::protobuf::RepeatedPtrField<tensorflow::NodeDef>& nodes,
                     const std::string& scope) {
  for (const tensorflow::NodeDef& node : nodes) {
    const std::string where = StrCat(scope, "node '", node.name(), "' (op ", node.op(), ")");
    if (node.op() == "Const") {
      auto it = node.attr().find("value");
      if (it == node.attr().end() || it->second.value_case() != tensorflow::AttrValue::kTensor) {
        return InvalidArgument(where, " is a constant tensor but no value has been provided");
      }
    }
    for (const auto& [name, attr] : node.attr()) {
      if (attr.value_case() == tensorflow::AttrValue::kTensor) {
        RETURN_IF_ERROR(ValidateTensorAttr(attr.tensor(), StrCat(where, " attr '", name, "'")));
      } else if (attr.value_case() == tensorflow::AttrValue::kList) {
        for (const auto& t : attr.list().tensor()) {
          RETURN_IF_ERROR(ValidateTensorAttr(t, StrCat(where, " attr '", name, "'")));
        }
      }
    }
  }
  return Status::OK();
}

StatusOr<TensorInfo> TensorInfoFromProto(const std::string& alias, const tensorflow::TensorInfo& p,
                                         const std::string& where) {
  TensorInfo info;
  info.alias = alias;
  const int raw = static_cast<int>(p.dtype());
  info.is_ref = raw > kRefDTypeOffset;
  info.dtype = BaseDType(raw);
  if (p.encoding_case() == tensorflow::TensorInfo::kName) {
    info.tensor_name = p.name();
  } else if (p.encoding_case() == tensorflow::TensorInfo::kCooSparse) {
    info.is_sparse = true;
  }
  // An absent tensor_shape is the default TensorShapeProto: a scalar.
  auto shape = PartialShapeFromProto(p.tensor_shape());
  if (!shape.ok()) return InvalidArgument(where, " '", alias, "': ", shape.status().message());
  info.shape = std::move(shape).value();
  return info;
}

}  // namespace

std::string TagSetString(const std::vector<std::string>& tags) {
  std::string s = "[";
  for (size_t i = 0; i < tags.size(); ++i) s += (i ? ", " : "") + tags[i];
  return s + "]";
}

StatusOr<SignatureInfo> SignatureFromProto(const std::string& name, const tensorflow::SignatureDef& def) {
  SignatureInfo sig;
  sig.name = name;
  sig.method_name = def.method_name();
  const std::string where = StrCat("signature '", name, "'");
  for (const auto& [alias, info] : def.inputs()) {
    ASSIGN_OR_RETURN(TensorInfo ti, TensorInfoFromProto(alias, info, where + " input"));
    sig.inputs.push_back(std::move(ti));
  }
  for (const auto& [alias, info] : def.outputs()) {
    ASSIGN_OR_RETURN(TensorInfo ti, TensorInfoFromProto(alias, info, where + " output"));
    sig.outputs.push_back(std::move(ti));
  }
  auto by_alias = [](const TensorInfo& a, const TensorInfo& b) { return a.alias < b.alias; };
  std::sort(sig.inputs.begin(), sig.inputs.end(), by_alias);
  std::sort(sig.outputs.begin(), sig.outputs.end(), by_alias);
  for (const auto& [alias, proto] : def.defaults()) {
    auto t = TensorFromProto(proto);
    if (!t.ok()) return InvalidArgument(where, " default for input '", alias, "': ", t.status().message());
    sig.defaults.emplace(alias, std::move(t).value());
  }
  return sig;
}

Status ValidateGraphDef(const tensorflow::GraphDef& graph) {
  RETURN_IF_ERROR(ValidateNodes(graph.node(), ""));
  for (const auto& fn : graph.library().function()) {
    RETURN_IF_ERROR(ValidateNodes(fn.node_def(), StrCat("function '", fn.signature().name(), "': ")));
  }
  return Status::OK();
}

bool IsSavedModelDir(const std::string& dir) {
  return FileExists(JoinPath(dir, "saved_model.pb")) || FileExists(JoinPath(dir, "saved_model.pbtxt")) ||
         FileExists(JoinPath(dir, "saved_model.cpb"));
}

StatusOr<std::shared_ptr<tensorflow::SavedModel>> ReadSavedModelProto(const std::string& export_dir,
                                                                      std::string* model_file) {
  auto sm = std::make_shared<tensorflow::SavedModel>();
  const std::string pb = JoinPath(export_dir, "saved_model.pb");
  const std::string pbtxt = JoinPath(export_dir, "saved_model.pbtxt");
  if (FileExists(pb)) {
    if (model_file) *model_file = pb;
    ASSIGN_OR_RETURN(std::string data, ReadFileToString(pb, kMaxSavedModelBytes));
    google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(data.data()),
                                              static_cast<int>(data.size()));
    in.SetTotalBytesLimit(INT_MAX);
    if (!sm->ParseFromCodedStream(&in) || !in.ConsumedEntireMessage()) {
      return DataLoss(pb, ": cannot parse the ", data.size(),
                      "-byte file as a SavedModel protobuf (truncated or corrupt)");
    }
    return sm;
  }
  if (FileExists(pbtxt)) {
    if (model_file) *model_file = pbtxt;
    ASSIGN_OR_RETURN(std::string data, ReadFileToString(pbtxt, kMaxSavedModelBytes));
    google::protobuf::TextFormat::Parser parser;
    ErrorCollector errors;
    parser.RecordErrorsTo(&errors);
    if (!parser.ParseFromString(data, sm.get())) {
      return DataLoss(pbtxt, ": cannot parse as a text-format SavedModel: ", errors.first_error());
    }
    return sm;
  }
  if (FileExists(JoinPath(export_dir, "saved_model.cpb"))) {
    return Unimplemented(export_dir, ": only saved_model.cpb (chunked format) is present; it is not supported");
  }
  if (!IsDirectory(export_dir)) return NotFound(export_dir, ": no such directory");
  return NotFound(export_dir, ": no saved_model.pb or saved_model.pbtxt in the directory");
}

namespace {

StatusOr<LoadedSavedModel> ReadSavedModelImpl(const std::string& export_dir,
                                              const std::vector<std::string>& tags, bool tags_explicit) {
  LoadedSavedModel out;
  out.export_dir = export_dir;
  ASSIGN_OR_RETURN(std::shared_ptr<tensorflow::SavedModel> sm, ReadSavedModelProto(export_dir, &out.model_file));
  for (const auto& mg : sm->meta_graphs()) {
    out.available_tag_sets.emplace_back(mg.meta_info_def().tags().begin(), mg.meta_info_def().tags().end());
  }
  int chosen = -1;
  for (int i = 0; i < sm->meta_graphs_size() && chosen < 0; ++i) {
    if (SameTagSet(sm->meta_graphs(i).meta_info_def().tags(), tags)) chosen = i;
  }
  if (chosen < 0 && !tags_explicit && sm->meta_graphs_size() == 1) chosen = 0;
  if (chosen < 0) {
    std::string available;
    for (const auto& t : out.available_tag_sets) available += (available.empty() ? "" : ", ") + TagSetString(t);
    if (available.empty()) available = "none (the file holds no MetaGraphDef)";
    return NotFound(out.model_file, ": no MetaGraphDef with tag set ", TagSetString(tags),
                    "; available tag sets: ", available);
  }
  // Move the chosen MetaGraph out instead of copying a possibly large graph.
  auto mg = std::make_shared<tensorflow::MetaGraphDef>();
  mg->Swap(sm->mutable_meta_graphs(chosen));
  sm.reset();
  out.tags.assign(mg->meta_info_def().tags().begin(), mg->meta_info_def().tags().end());

  Status valid = ValidateGraphDef(mg->graph_def());
  if (!valid.ok()) return Status(valid.code(), StrCat(out.model_file, ": ", valid.message()));

  for (const auto& [name, def] : mg->signature_def()) {
    auto sig = SignatureFromProto(name, def);
    if (!sig.ok()) return Status(sig.status().code(), StrCat(out.model_file, ": ", sig.status().message()));
    out.signatures.emplace(name, std::move(sig).value());
  }

  // Assets: asset_file_def, else the legacy collection of AssetFileDef Anys.
  std::vector<tensorflow::AssetFileDef> assets(mg->asset_file_def().begin(), mg->asset_file_def().end());
  if (assets.empty()) {
    auto it = mg->collection_def().find(kAssetsCollection);
    if (it != mg->collection_def().end()) {
      for (const auto& any : it->second.any_list().value()) {
        tensorflow::AssetFileDef a;
        if (!a.ParseFromString(any.value())) {
          return DataLoss(out.model_file, ": collection '", kAssetsCollection, "' holds an invalid AssetFileDef");
        }
        assets.push_back(std::move(a));
      }
    }
  }
  for (const auto& a : assets) {
    out.assets.push_back({a.tensor_info().name(), a.filename(), JoinPath(JoinPath(export_dir, "assets"), a.filename())});
  }

  const std::string prefix = JoinPath(JoinPath(export_dir, "variables"), "variables");
  if (FileExists(prefix + ".index")) out.variables_prefix = prefix;
  out.meta_graph = std::move(mg);
  return out;
}

bool ParseVersionImpl(const std::string& name, int64_t* v) {
  if (name.empty() || name.size() > 64) return false;
  int64_t x = 0;
  for (char c : name) {
    if (c < '0' || c > '9') return false;
    if (x > (INT64_MAX - (c - '0')) / 10) return false;
    x = x * 10 + (c - '0');
  }
  *v = x;
  return true;
}

}  // namespace

StatusOr<LoadedSavedModel> ReadSavedModel(const std::string& export_dir) {
  return ReadSavedModelImpl(export_dir, {"serve"}, /*tags_explicit=*/false);
}

StatusOr<LoadedSavedModel> ReadSavedModel(const std::string& export_dir, const std::vector<std::string>& tags) {
  return ReadSavedModelImpl(export_dir, tags, /*tags_explicit=*/true);
}

std::vector<VersionDir> ListVersionDirs(const std::string& base_path) {
  std::vector<VersionDir> out;
  auto names = ListDirectory(base_path);
  if (!names.ok()) return out;
  std::set<int64_t> seen;
  for (const std::string& name : *names) {
    int64_t v;
    if (!ParseVersionImpl(name, &v) || !IsDirectory(JoinPath(base_path, name))) continue;
    if (!seen.insert(v).second) continue;
    out.push_back({v, name});
  }
  std::sort(out.begin(), out.end(), [](const VersionDir& a, const VersionDir& b) { return a.version < b.version; });
  return out;
}

bool ParseVersionName(const std::string& name, int64_t* version) { return ParseVersionImpl(name, version); }

std::vector<int64_t> ListVersions(const std::string& base_path) {
  std::vector<int64_t> out;
  for (const VersionDir& d : ListVersionDirs(base_path)) out.push_back(d.version);
  return out;
}

}  // namespace stfs
