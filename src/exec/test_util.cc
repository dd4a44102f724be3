#include "exec/test_util.h"

#include <algorithm>
#include <functional>

#include "tensor/tensor_proto.h"

namespace stfs::testing {

tensorflow::AttrValue AType(DType t) {
  tensorflow::AttrValue v;
  v.set_type(static_cast<tensorflow::DataType>(t));
  return v;
}
tensorflow::AttrValue AInt(int64_t i) {
  tensorflow::AttrValue v;
  v.set_i(i);
  return v;
}
tensorflow::AttrValue ABool(bool b) {
  tensorflow::AttrValue v;
  v.set_b(b);
  return v;
}
tensorflow::AttrValue AStr(const std::string& s) {
  tensorflow::AttrValue v;
  v.set_s(s);
  return v;
}
tensorflow::AttrValue ATensor(const Tensor& t) {
  tensorflow::AttrValue v;
  // A failed conversion leaves the proto empty; the graph build then reports it.
  TensorToProto(t, v.mutable_tensor()).IgnoreError();
  return v;
}
tensorflow::AttrValue AShape(std::vector<int64_t> dims) {
  tensorflow::AttrValue v;
  auto* shape = v.mutable_shape();
  for (int64_t d : dims) shape->add_dim()->set_size(d);
  return v;
}
tensorflow::AttrValue ATypeList(std::vector<DType> types) {
  tensorflow::AttrValue v;
  auto* list = v.mutable_list();
  for (DType t : types) list->add_type(static_cast<tensorflow::DataType>(t));
  return v;
}

TestGraph& TestGraph::Node(const std::string& name, const std::string& op, std::vector<std::string> inputs,
                           std::vector<std::pair<std::string, tensorflow::AttrValue>> attrs) {
  tensorflow::NodeDef* n = def_.add_node();
  n->set_name(name);
  n->set_op(op);
  for (auto& in : inputs) n->add_input(in);
  for (auto& [k, v] : attrs) (*n->mutable_attr())[k] = v;
  return *this;
}

TestGraph& TestGraph::Const(const std::string& name, const Tensor& value) {
  return Node(name, "Const", {}, {{"dtype", AType(value.dtype())}, {"value", ATensor(value)}});
}

TestGraph& TestGraph::Placeholder(const std::string& name, DType dtype) {
  return Node(name, "Placeholder", {}, {{"dtype", AType(dtype)}});
}

StatusOr<std::shared_ptr<const Graph>> TestGraph::Build() const {
  ASSIGN_OR_RETURN(auto schemas, SchemasFromProto(nullptr, nullptr));
  return GraphFromProto(def_, *schemas);
}

StatusOr<std::shared_ptr<const Plan>> TestGraph::MakePlan(std::vector<std::string> feeds,
                                                          std::vector<std::string> fetches,
                                                          std::vector<std::string> targets,
                                                          KernelLookup lookup) const {
  ASSIGN_OR_RETURN(auto graph, Build());
  PlanSpec spec;
  spec.feeds = std::move(feeds);
  spec.fetches = std::move(fetches);
  spec.targets = std::move(targets);
  spec.purpose = "signature 'test'";
  return Plan::Create(graph, spec, lookup);
}

StatusOr<std::vector<Tensor>> RunPlan(const Plan& plan, std::vector<Tensor> feeds, ResourceManager* resources,
                                      const RunOptions& options) {
  ResourceManager local;
  RunEnv env;
  env.resources = resources ? resources : &local;
  std::vector<Tensor> out;
  RETURN_IF_ERROR(Execute(plan, env, std::move(feeds), &out, options));
  return out;
}

namespace {

class ConstKernel : public OpKernel {
 public:
  explicit ConstKernel(Tensor v) : value_(std::move(v)) {}
  Status Compute(OpContext* ctx) override {
    ctx->set_output(0, value_);
    return Status::OK();
  }

 private:
  Tensor value_;
};

class PlaceholderKernel : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    return InvalidArgument("You must feed a value for placeholder tensor '", ctx->node_name(), "'");
  }
};

class IdentityKernel : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    for (int i = 0; i < ctx->num_outputs(); ++i) ctx->set_output(i, ctx->release_input(i));
    return Status::OK();
  }
};

class NoOpKernel : public OpKernel {
 public:
  Status Compute(OpContext*) override { return Status::OK(); }
};

// Elementwise binary op on equal shapes or a scalar operand.
template <typename Out, typename Fn>
Status Binary(OpContext* ctx, Fn fn) {
  const Tensor& a = ctx->input(0);
  const Tensor& b = ctx->input(1);
  if (a.dtype() != b.dtype()) return InvalidArgument("dtype mismatch");
  const Tensor& big = a.NumElements() >= b.NumElements() ? a : b;
  if (a.NumElements() != b.NumElements() && a.NumElements() != 1 && b.NumElements() != 1) {
    return InvalidArgument("incompatible shapes ", a.shape().ToString(), " and ", b.shape().ToString());
  }
  Status status;
  bool ok = DispatchDType(a.dtype(), [&]<typename T>() {
    if constexpr (std::is_arithmetic_v<T>) {
      DType out_dtype = std::is_same_v<Out, bool> ? DType::kBool : a.dtype();
      Tensor out(out_dtype, big.shape());
      const int64_t n = big.NumElements();
      for (int64_t i = 0; i < n; ++i) {
        T x = a.data<T>()[a.NumElements() == 1 ? 0 : i];
        T y = b.data<T>()[b.NumElements() == 1 ? 0 : i];
        if constexpr (std::is_same_v<Out, bool>) {
          out.data<bool>()[i] = fn(x, y);
        } else {
          out.data<T>()[i] = static_cast<T>(fn(x, y));
        }
      }
      ctx->set_output(0, std::move(out));
    } else {
      status = InvalidArgument("unsupported dtype ", DTypeName(a.dtype()));
    }
  });
  if (!ok) return InvalidArgument("invalid dtype");
  return status;
}

template <typename Out, typename Fn>
class BinaryKernel : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override { return Binary<Out>(ctx, Fn()); }
};

struct AddFn {
  template <typename T> auto operator()(T x, T y) const { return x + y; }
};
struct MulFn {
  template <typename T> auto operator()(T x, T y) const { return x * y; }
};
struct LessFn {
  template <typename T> bool operator()(T x, T y) const { return x < y; }
};
struct GreaterFn {
  template <typename T> bool operator()(T x, T y) const { return x > y; }
};

template <typename K>
StatusOr<std::unique_ptr<OpKernel>> Make(const KernelInit&) {
  return std::unique_ptr<OpKernel>(new K());
}

StatusOr<std::unique_ptr<OpKernel>> MakeConst(const KernelInit& init) {
  ASSIGN_OR_RETURN(Tensor v, init.attrs.GetTensor("value"));
  return std::unique_ptr<OpKernel>(new ConstKernel(std::move(v)));
}

const KernelRegistration kTestKernels[] = {
    {"Add", &Make<BinaryKernel<int, AddFn>>},
    {"Const", &MakeConst},
    {"Greater", &Make<BinaryKernel<bool, GreaterFn>>},
    {"Identity", &Make<IdentityKernel>},
    {"Less", &Make<BinaryKernel<bool, LessFn>>},
    {"Mul", &Make<BinaryKernel<int, MulFn>>},
    {"NoOp", &Make<NoOpKernel>},
    {"Placeholder", &Make<PlaceholderKernel>},
};

}  // namespace

const KernelRegistration* FindTestKernel(std::string_view op) {
  for (const KernelRegistration& k : kTestKernels) {
    if (k.op == op) return &k;
  }
  return nullptr;
}

}  // namespace stfs::testing
