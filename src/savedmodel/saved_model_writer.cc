// GraphBuilder::BuildMetaGraph / WriteSavedModel: the TF1 Saver subgraph,
// saver_def, stripped_op_list, and the files on disk.
#include <filesystem>
#include <set>

#include "proto/saved_model.pb.h"
#include "savedmodel/bundle_writer.h"
#include "savedmodel/file_util.h"
#include "savedmodel/writer.h"
#include "tensor/tensor_proto.h"

namespace stfs {
namespace {

tensorflow::NodeDef* AddNode(tensorflow::GraphDef* g, const std::string& name, const std::string& op,
                             const std::vector<std::string>& inputs) {
  tensorflow::NodeDef* n = g->add_node();
  n->set_name(name);
  n->set_op(op);
  for (const auto& in : inputs) n->add_input(in);
  return n;
}

void SetAttr(tensorflow::NodeDef* n, const std::string& name, const AttrArg& v) { (*n->mutable_attr())[name] = v.value(); }

void AddStringConst(tensorflow::GraphDef* g, const std::string& name, const Tensor& value) {
  tensorflow::NodeDef* n = AddNode(g, name, "Const", {});
  SetAttr(n, "dtype", DType::kString);
  SetAttr(n, "value", value);
}

}  // namespace

StatusOr<tensorflow::MetaGraphDef> GraphBuilder::BuildMetaGraph(const std::vector<std::string>& tags) const {
  RETURN_IF_ERROR(status_);
  tensorflow::MetaGraphDef mg;
  tensorflow::GraphDef* g = mg.mutable_graph_def();
  *g = graph_;
  if (!variables_.empty()) {
    // The subgraph tf.compat.v1.train.Saver (V2 format, not sharded) writes.
    std::vector<VariableRecord> vars = variables_;
    std::sort(vars.begin(), vars.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    std::vector<std::string> names, empty;
    std::vector<DType> dtypes;
    for (const auto& v : vars) {
      names.push_back(v.name);
      empty.push_back("");
      dtypes.push_back(v.value.dtype());
    }
    const Shape n_shape{static_cast<int64_t>(vars.size())};
    AddStringConst(g, "save/Const", Tensor::Scalar<std::string>("model"));
    AddStringConst(g, "save/SaveV2/tensor_names", Tensor::FromVector(names, n_shape));
    AddStringConst(g, "save/SaveV2/shape_and_slices", Tensor::FromVector(empty, n_shape));
    std::vector<std::string> save_inputs = {"save/Const", "save/SaveV2/tensor_names", "save/SaveV2/shape_and_slices"};
    for (const auto& v : vars) save_inputs.push_back(v.name);
    SetAttr(AddNode(g, "save/SaveV2", "SaveV2", save_inputs), "dtypes", dtypes);
    tensorflow::NodeDef* dep = AddNode(g, "save/control_dependency", "Identity", {"save/Const", "^save/SaveV2"});
    SetAttr(dep, "T", DType::kString);
    AddStringConst(g, "save/RestoreV2/tensor_names", Tensor::FromVector(names, n_shape));
    AddStringConst(g, "save/RestoreV2/shape_and_slices", Tensor::FromVector(empty, n_shape));
    SetAttr(AddNode(g, "save/RestoreV2", "RestoreV2",
                    {"save/Const", "save/RestoreV2/tensor_names", "save/RestoreV2/shape_and_slices"}),
            "dtypes", dtypes);
    std::vector<std::string> assigns;
    for (size_t i = 0; i < vars.size(); ++i) {
      const std::string name = i == 0 ? "save/Assign" : StrCat("save/Assign_", i);
      tensorflow::NodeDef* a =
          AddNode(g, name, "Assign", {vars[i].name, i == 0 ? "save/RestoreV2" : StrCat("save/RestoreV2:", i)});
      SetAttr(a, "T", vars[i].value.dtype());
      SetAttr(a, "validate_shape", true);
      SetAttr(a, "use_locking", true);
      assigns.push_back("^" + name);
    }
    AddNode(g, "save/restore_all", "NoOp", assigns);
    tensorflow::SaverDef* saver = mg.mutable_saver_def();
    saver->set_filename_tensor_name("save/Const:0");
    saver->set_save_tensor_name("save/control_dependency:0");
    saver->set_restore_op_name("save/restore_all");
    saver->set_max_to_keep(5);
    saver->set_keep_checkpoint_every_n_hours(10000.0f);
    saver->set_version(tensorflow::SaverDef::V2);
  }
  for (const auto& a : assets_) {
    tensorflow::AssetFileDef* def = mg.add_asset_file_def();
    def->mutable_tensor_info()->set_name(a.node + ":0");
    def->set_filename(a.filename);
  }
  if (!main_op_.empty()) {
    (*mg.mutable_collection_def())["saved_model_main_op"].mutable_node_list()->add_value(main_op_);
  }
  for (const auto& [name, sig] : signatures_) (*mg.mutable_signature_def())[name] = sig;

  auto* info = mg.mutable_meta_info_def();
  for (const auto& t : tags) info->add_tags(t);
  info->set_tensorflow_version("stfs-writer");
  std::set<std::string> ops;
  for (const auto& n : g->node()) ops.insert(n.op());
  for (const std::string& op : ops) {
    if (const tensorflow::OpDef* def = FindOpDef(op)) *info->mutable_stripped_op_list()->add_op() = *def;
  }
  return mg;
}

Status GraphBuilder::WriteSavedModel(const std::string& export_dir, const std::vector<std::string>& tags) const {
  ASSIGN_OR_RETURN(tensorflow::MetaGraphDef mg, BuildMetaGraph(tags));
  std::error_code ec;
  std::filesystem::create_directories(export_dir, ec);
  if (ec) return Unavailable(export_dir, ": cannot create directory: ", ec.message());
  if (!variables_.empty()) {
    const std::string dir = JoinPath(export_dir, "variables");
    std::filesystem::create_directories(dir, ec);
    if (ec) return Unavailable(dir, ": cannot create directory: ", ec.message());
    BundleWriter bundle(JoinPath(dir, "variables"));
    for (const auto& v : variables_) RETURN_IF_ERROR(bundle.Add(v.name, v.value));
    RETURN_IF_ERROR(bundle.Finish());
  }
  if (!assets_.empty()) {
    const std::string dir = JoinPath(export_dir, "assets");
    std::filesystem::create_directories(dir, ec);
    if (ec) return Unavailable(dir, ": cannot create directory: ", ec.message());
    for (const auto& a : assets_) RETURN_IF_ERROR(WriteStringToFile(JoinPath(dir, a.filename), a.contents));
  }
  tensorflow::SavedModel sm;
  sm.set_saved_model_schema_version(1);
  *sm.add_meta_graphs() = std::move(mg);
  std::string bytes;
  if (!sm.SerializeToString(&bytes)) return Internal("cannot serialize the SavedModel for ", export_dir);
  return WriteStringToFile(JoinPath(export_dir, "saved_model.pb"), bytes);
}

}  // namespace stfs
