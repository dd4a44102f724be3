#include "backend/tf/tf_model.h"

#include <algorithm>

#include "base/logging.h"
#include "exec/executor.h"
#include "graph/graph_def.h"
#include "kernels/registry.h"
#include "savedmodel/op_defs.h"
#include "savedmodel/saved_model.h"

namespace stfs {
namespace {

constexpr char kInitOpSignature[] = "__saved_model_init_op";
constexpr char kTrainOpSignature[] = "__saved_model_train_op";

std::string JoinNames(const std::vector<TensorInfo>& infos) {
  std::string out;
  for (const TensorInfo& t : infos) out += (out.empty() ? "" : ", ") + t.alias;
  return out;
}

// The init op node: __saved_model_init_op signature, else the main_op /
// legacy_init_op collections (each a node_list with one node name).
std::string FindInitOp(const LoadedSavedModel& sm) {
  auto sig = sm.signatures.find(kInitOpSignature);
  if (sig != sm.signatures.end()) {
    for (const TensorInfo& t : sig->second.outputs) {
      if (!t.tensor_name.empty()) return t.tensor_name;
    }
  }
  for (const char* key : {"saved_model_main_op", "legacy_init_op"}) {
    const auto& collections = sm.meta_graph->collection_def();
    auto it = collections.find(key);
    if (it != collections.end() && it->second.node_list().value_size() > 0) return it->second.node_list().value(0);
  }
  return "";
}

std::string StripIndex(const std::string& name) {
  std::string_view node;
  int index = 0;
  if (SplitTensorName(name, &node, &index)) return std::string(node);
  return name;
}

}  // namespace

TfModel::~TfModel() = default;

StatusOr<std::unique_ptr<TfModel>> TfModel::Load(const std::string& export_dir, const TfLoadOptions& options) {
  std::unique_ptr<TfModel> model(new TfModel());
  model->export_dir_ = export_dir;
  model->options_ = options;
  model->lookup_ = options.kernel_lookup ? options.kernel_lookup : &kernels::FindKernel;
  ASSIGN_OR_RETURN(LoadedSavedModel sm, ReadSavedModel(export_dir, options.tags));
  const tensorflow::MetaGraphDef& mg = *sm.meta_graph;
  // TF2 exports may leave ops used only inside functions out of
  // stripped_op_list: complete it from our own OpDef table.
  tensorflow::OpList op_list = mg.meta_info_def().stripped_op_list();
  for (const std::string& name : WriterOpNames()) {
    if (const tensorflow::OpDef* def = FindWriterOpDef(name)) *op_list.add_op() = *def;
  }
  auto schemas = SchemasFromProto(&op_list, &mg.graph_def().library());
  if (!schemas.ok()) return schemas.status().WithContext(StrCat("loading '", export_dir, "'"));
  auto graph = GraphFromProto(mg.graph_def(), **schemas);
  if (!graph.ok()) return graph.status().WithContext(StrCat("loading '", export_dir, "'"));
  model->graph_ = *graph;
  LibraryRuntimeOptions fopts;
  fopts.lookup = model->lookup_;
  fopts.resources = &model->resources_;
  fopts.model_dir = &model->export_dir_;
  fopts.thread_pool = options.thread_pool;
  model->functions_ = std::make_unique<LibraryRuntime>(
      mg.graph_def().library(), std::shared_ptr<const OpSchemaSet>(std::move(*schemas)), fopts);
  model->metadata_.tags = sm.tags;
  model->metadata_.signatures = sm.signatures;

  // Asset feeds, shared by restore and init.
  PlanSpec asset_spec;
  std::vector<Tensor> asset_values;
  for (const AssetFile& a : sm.assets) {
    if (model->graph_->FindNode(StripIndex(a.tensor_name)) < 0) continue;
    asset_spec.feeds.push_back(a.tensor_name);
    asset_values.push_back(Tensor::Scalar<std::string>(a.path));
  }

  // Restore.
  const auto& saver = mg.saver_def();
  if (!sm.variables_prefix.empty() && !saver.restore_op_name().empty()) {
    PlanSpec spec = asset_spec;
    spec.purpose = StrCat("restore op '", saver.restore_op_name(), "'");
    spec.feeds.push_back(saver.filename_tensor_name());
    spec.targets.push_back(StripIndex(saver.restore_op_name()));
    auto plan = model->Compile(spec);
    if (!plan.ok()) return plan.status().WithContext(StrCat("loading '", export_dir, "'"));
    std::vector<Tensor> feeds = asset_values;
    feeds.push_back(Tensor::Scalar<std::string>(sm.variables_prefix));
    std::vector<Tensor> unused;
    Status st = model->Run(**plan, std::move(feeds), &unused);
    if (!st.ok()) return st.WithContext(StrCat("restoring variables of '", export_dir, "'"));
  }

  // Init.
  std::string init_op = FindInitOp(sm);
  if (!init_op.empty()) {
    PlanSpec spec = asset_spec;
    spec.purpose = StrCat("init op '", init_op, "'");
    spec.targets.push_back(StripIndex(init_op));
    auto plan = model->Compile(spec);
    if (!plan.ok()) return plan.status().WithContext(StrCat("loading '", export_dir, "'"));
    std::vector<Tensor> unused;
    Status st = model->Run(**plan, asset_values, &unused);
    if (!st.ok()) return st.WithContext(StrCat("running the init op of '", export_dir, "'"));
  }

  // One plan per serving signature.
  for (const auto& [name, info] : model->metadata_.signatures) {
    if (name == kInitOpSignature || name == kTrainOpSignature) continue;
    auto sig = std::make_unique<Signature>();
    sig->info = info;
    PlanSpec spec;
    spec.purpose = StrCat("signature '", name, "'");
    for (const TensorInfo& t : sig->info.inputs) {
      if (t.tensor_name.empty()) continue;  // sparse/composite: not feedable here
      spec.feeds.push_back(t.tensor_name);
      sig->feeds.push_back(&t);
    }
    for (const TensorInfo& t : sig->info.outputs) {
      if (t.tensor_name.empty()) continue;
      spec.fetches.push_back(t.tensor_name);
      sig->fetches.push_back(&t);
    }
    auto plan = model->Compile(spec);
    if (!plan.ok()) return plan.status().WithContext(StrCat("loading '", export_dir, "'"));
    sig->plan = *plan;
    model->signatures_.emplace(name, std::move(sig));
  }
  return model;
}

StatusOr<std::shared_ptr<const Plan>> TfModel::Compile(PlanSpec spec) {
  spec.functions = functions_.get();
  ASSIGN_OR_RETURN(std::shared_ptr<const Plan> plan, Plan::Create(graph_, spec, lookup_));
  Status st = functions_->InstantiateReachable(*plan);
  if (!st.ok()) return st.WithContext(StrCat("compiling ", spec.purpose));
  return plan;
}

Status TfModel::Run(const Plan& plan, std::vector<Tensor> feeds, std::vector<Tensor>* fetches) {
  RunEnv env;
  env.resources = &resources_;
  env.functions = functions_.get();
  env.model_dir = &export_dir_;
  env.thread_pool = options_.thread_pool;
  RunOptions opts;
  opts.max_loop_iterations = options_.max_loop_iterations;
  if (options_.run_timeout.count() > 0) opts.deadline = std::chrono::steady_clock::now() + options_.run_timeout;
  return Execute(plan, env, std::move(feeds), fetches, opts);
}

StatusOr<std::shared_ptr<const Plan>> TfModel::PlanFor(Signature& sig, const std::vector<std::string>& aliases,
                                                       std::vector<const TensorInfo*>* fetches) {
  std::vector<const TensorInfo*> chosen;
  for (const std::string& alias : aliases) {
    auto it = std::find_if(sig.fetches.begin(), sig.fetches.end(), [&](auto* t) { return t->alias == alias; });
    if (it == sig.fetches.end()) {
      return InvalidArgument("output alias '", alias, "' is not in signature '", sig.info.name,
                             "'; valid outputs: ", JoinNames(sig.info.outputs));
    }
    if (std::find(chosen.begin(), chosen.end(), *it) == chosen.end()) chosen.push_back(*it);
  }
  std::sort(chosen.begin(), chosen.end(), [](auto* a, auto* b) { return a->alias < b->alias; });
  *fetches = chosen;
  if (chosen.size() == sig.fetches.size()) return sig.plan;
  std::string key;
  for (auto* t : chosen) key += t->alias + '\n';
  std::lock_guard<std::mutex> lock(sig.filtered_mu);
  auto it = sig.filtered.find(key);
  if (it != sig.filtered.end()) return it->second;
  PlanSpec spec = sig.plan->spec();
  spec.fetches.clear();
  for (auto* t : chosen) spec.fetches.push_back(t->tensor_name);
  ASSIGN_OR_RETURN(std::shared_ptr<const Plan> plan, Compile(spec));
  sig.filtered.emplace(key, plan);
  return plan;
}

StatusOr<NamedTensors> TfModel::Predict(const std::string& signature_name, const NamedTensors& inputs,
                                        const std::vector<std::string>& output_filter) {
  auto sit = signatures_.find(signature_name);
  if (sit == signatures_.end()) {
    std::string names;
    for (const auto& [n, s] : signatures_) names += (names.empty() ? "" : ", ") + n;
    return NotFound("signature '", signature_name, "' not found; available signatures: ", names);
  }
  Signature& sig = *sit->second;
  const std::string& sname = sig.info.name.empty() ? signature_name : sig.info.name;
  // Match inputs to feeds by alias.
  std::vector<const Tensor*> given(sig.feeds.size(), nullptr);
  for (const auto& [alias, tensor] : inputs) {
    auto it = std::find_if(sig.feeds.begin(), sig.feeds.end(), [&](auto* t) { return t->alias == alias; });
    if (it == sig.feeds.end()) {
      return InvalidArgument("input alias '", alias, "' is not in signature '", sname,
                             "'; valid inputs: ", JoinNames(sig.info.inputs));
    }
    size_t k = it - sig.feeds.begin();
    if (given[k]) return InvalidArgument("input '", alias, "' is given twice");
    given[k] = &tensor;
  }
  std::vector<Tensor> feeds;
  feeds.reserve(sig.feeds.size());
  for (size_t k = 0; k < sig.feeds.size(); ++k) {
    const TensorInfo& info = *sig.feeds[k];
    if (!given[k]) {
      auto def = sig.info.defaults.find(info.alias);
      if (def == sig.info.defaults.end()) {
        return InvalidArgument("missing input '", info.alias, "' for signature '", sname, "'");
      }
      feeds.push_back(def->second);
      continue;
    }
    const Tensor& t = *given[k];
    // The graph's placeholder dtype wins over the SignatureDef's (which can be wrong).
    DType want = sig.plan->feed_types()[k] != DType::kInvalid ? sig.plan->feed_types()[k] : info.dtype;
    if (t.dtype() != want) {
      return InvalidArgument("input '", info.alias, "' of signature '", sname, "' expects ", DTypeName(want),
                             " but got ", DTypeName(t.dtype()));
    }
    if (options_.strict_input_shapes && !info.shape.IsCompatibleWith(t.shape())) {
      return InvalidArgument("input '", info.alias, "' of signature '", sname, "' expects shape ",
                             info.shape.ToString(), " but got ", t.shape().ToString());
    }
    feeds.push_back(t);
  }
  std::vector<const TensorInfo*> fetch_infos = sig.fetches;
  std::shared_ptr<const Plan> plan = sig.plan;
  if (!output_filter.empty()) {
    ASSIGN_OR_RETURN(plan, PlanFor(sig, output_filter, &fetch_infos));
  }
  std::vector<Tensor> outs;
  RETURN_IF_ERROR(Run(*plan, std::move(feeds), &outs));
  NamedTensors result;
  result.reserve(fetch_infos.size());
  for (size_t i = 0; i < fetch_infos.size(); ++i) result.emplace_back(fetch_infos[i]->alias, std::move(outs[i]));
  return result;
}

std::vector<std::string> TfModel::InstantiatedFunctions() const {
  return functions_ ? functions_->InstantiatedFunctions() : std::vector<std::string>{};
}

}  // namespace stfs
