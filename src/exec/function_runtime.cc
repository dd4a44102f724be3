#include "exec/function_runtime.h"

#include "graph/graph_def.h"

namespace stfs {
namespace {

thread_local int call_depth = 0;

// A stable text form of the attr values that can change a body (types,
// ints, shapes, strings...); enough to tell instantiations apart.
std::string AttrKey(const AttrValue& v) {
  std::string out = StrCat(static_cast<int>(v.kind), ":");
  switch (v.kind) {
    case AttrValue::Kind::kString: return out + v.s;
    case AttrValue::Kind::kInt: return out + std::to_string(v.i);
    case AttrValue::Kind::kFloat: return out + std::to_string(v.f);
    case AttrValue::Kind::kBool: return out + (v.b ? "1" : "0");
    case AttrValue::Kind::kType: return out + std::string(DTypeName(v.type));
    case AttrValue::Kind::kShape: return out + v.shape.ToString();
    case AttrValue::Kind::kFunc: return out + v.func.name;
    case AttrValue::Kind::kTensor: return out + v.tensor.DebugString(1 << 20);
    case AttrValue::Kind::kList:
      for (const auto& s : v.list_s) out += s + ",";
      for (int64_t i : v.list_i) out += std::to_string(i) + ",";
      for (float f : v.list_f) out += std::to_string(f) + ",";
      for (bool b : v.list_b) out += b ? "1," : "0,";
      for (DType t : v.list_type) out += std::string(DTypeName(t)) + ",";
      for (const auto& s : v.list_shape) out += s.ToString() + ",";
      for (const auto& f : v.list_func) out += f.name + ",";
      return out;
    default: return out;
  }
}

struct FunctionRef {
  std::string name;
  const AttrMap* attrs;
};

// Functions a node may call.
std::vector<FunctionRef> CalledFunctions(const Node& n, const FunctionLibraryInfo& rt) {
  std::vector<FunctionRef> refs;
  if (rt.HasFunction(n.op)) refs.push_back({n.op, &n.attrs});
  for (const auto& [attr_name, v] : n.attrs.values()) {
    if (v.kind == AttrValue::Kind::kFunc) refs.push_back({v.func.name, v.func.attrs.get()});
    if (v.kind == AttrValue::Kind::kList) {
      for (const FuncAttr& f : v.list_func) refs.push_back({f.name, f.attrs.get()});
    }
  }
  return refs;
}

}  // namespace

LibraryRuntime::LibraryRuntime(const tensorflow::FunctionDefLibrary& library,
                               std::shared_ptr<const OpSchemaSet> schemas, LibraryRuntimeOptions options)
    : schemas_(std::move(schemas)), options_(options) {
  for (const tensorflow::FunctionDef& f : library.function()) functions_.emplace(f.signature().name(), f);
}

bool LibraryRuntime::HasFunction(std::string_view name) const { return functions_.count(name) > 0; }

std::string LibraryRuntime::CacheKey(const tensorflow::FunctionDef& fdef, const AttrMap* attrs) const {
  std::string key = fdef.signature().name();
  for (const auto& a : fdef.signature().attr()) {
    const AttrValue* v = attrs ? attrs->Find(a.name()) : nullptr;
    key += StrCat("\n", a.name(), "=", v ? AttrKey(*v) : "?");
  }
  return key;
}

StatusOr<std::shared_ptr<const LibraryRuntime::Compiled>> LibraryRuntime::Instantiate(const std::string& name,
                                                                                       const AttrMap* attrs) {
  auto fit = functions_.find(name);
  if (fit == functions_.end()) return NotFound("function '", name, "' is not in the function library");
  std::string key = CacheKey(fit->second, attrs);
  std::lock_guard<std::recursive_mutex> lock(mu_);
  auto cit = compiled_.find(key);
  if (cit != compiled_.end()) return cit->second;
  if (in_progress_.count(key)) return std::shared_ptr<const Compiled>();
  in_progress_.insert(key);
  auto build = [&]() -> StatusOr<std::shared_ptr<const Compiled>> {
    auto compiled = std::make_shared<Compiled>();
    ASSIGN_OR_RETURN(compiled->fn, FunctionGraphFromProto(fit->second, *schemas_, attrs));
    const FunctionGraph& fg = *compiled->fn;
    std::shared_ptr<const Graph> body(compiled->fn, &compiled->fn->body);
    PlanSpec spec;
    spec.purpose = StrCat("function '", name, "'");
    spec.functions = this;
    for (int id : fg.arg_nodes) spec.feeds.push_back(fg.body.nodes[id].name + ":0");
    for (const Endpoint& e : fg.rets) spec.fetches.push_back(fg.body.EndpointName(e));
    std::set<int> targets(fg.control_rets.begin(), fg.control_rets.end());
    std::set<int> args(fg.arg_nodes.begin(), fg.arg_nodes.end());
    for (size_t i = 0; i < fg.body.nodes.size(); ++i) {
      if (fg.body.nodes[i].is_stateful && !args.count(static_cast<int>(i))) targets.insert(static_cast<int>(i));
    }
    for (int id : targets) spec.targets.push_back(fg.body.nodes[id].name);
    ASSIGN_OR_RETURN(compiled->plan, Plan::Create(body, spec, options_.lookup));
    RETURN_IF_ERROR(InstantiateReachable(*compiled->plan));
    return std::shared_ptr<const Compiled>(std::move(compiled));
  };
  auto result = build();
  in_progress_.erase(key);
  if (!result.ok()) return result.status();
  compiled_.emplace(key, *result);
  return result;
}

Status LibraryRuntime::InstantiateReachable(const Plan& plan) {
  for (const PlanNode& p : plan.nodes()) {
    if (p.kind != NodeKind::kKernel || p.graph_node < 0) continue;
    const Node& n = plan.graph().nodes[p.graph_node];
    for (const FunctionRef& ref : CalledFunctions(n, *this)) {
      if (!HasFunction(ref.name)) {
        return NotFound("function '", ref.name, "' called by node '", n.name, "' (", n.op,
                        ") is not in the function library");
      }
      auto compiled = Instantiate(ref.name, ref.attrs);
      if (!compiled.ok()) {
        return compiled.status().WithContext(StrCat("function called by node '", n.name, "' (", n.op, ")"));
      }
    }
  }
  return Status::OK();
}

Status LibraryRuntime::Call(const std::string& name, const AttrMap* attrs, std::span<const Tensor> args,
                            std::vector<Tensor>* rets) {
  if (call_depth >= options_.max_call_depth) {
    return ResourceExhausted("function '", name, "': calls nested deeper than ", options_.max_call_depth);
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const Compiled> compiled, Instantiate(name, attrs));
  if (!compiled) return Internal("function '", name, "' called while it is being compiled");
  const Plan& plan = *compiled->plan;
  if (args.size() != plan.spec().feeds.size()) {
    return InvalidArgument("function '", name, "' takes ", plan.spec().feeds.size(), " arguments, got ",
                           args.size());
  }
  for (size_t i = 0; i < args.size(); ++i) {
    DType want = plan.feed_types()[i];
    if (want != DType::kInvalid && args[i].dtype() != want) {
      return InvalidArgument("function '", name, "' argument ", i, " expects ", DTypeName(want), " but got ",
                             DTypeName(args[i].dtype()));
    }
  }
  RunEnv env;
  env.resources = options_.resources;
  env.functions = this;
  env.thread_pool = options_.thread_pool;
  env.model_dir = options_.model_dir;
  const RunOptions* outer = CurrentRunOptions();
  RunOptions opts = outer ? *outer : RunOptions{};
  ++call_depth;
  Status st = Execute(plan, env, std::vector<Tensor>(args.begin(), args.end()), rets, opts);
  --call_depth;
  if (!st.ok()) return st.WithContext(StrCat("in function '", name, "'"));
  return Status::OK();
}

std::vector<std::string> LibraryRuntime::InstantiatedFunctions() const {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  std::vector<std::string> names;
  for (const auto& [key, c] : compiled_) names.push_back(c->fn->name);
  return names;
}

}  // namespace stfs
