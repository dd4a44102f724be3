#include "kernels/function_ops.h"

#include "exec/executor.h"

#include <algorithm>
#include <type_traits>

namespace stfs::kernels {
namespace {

StatusOr<FunctionRuntime*> Runtime(OpContext* ctx) {
  if (!ctx->functions()) return FailedPrecondition("no function library is available to run ", ctx->op());
  return ctx->functions();
}

Status SetOutputs(OpContext* ctx, const std::string& fn, std::vector<Tensor> rets) {
  if (static_cast<int>(rets.size()) != ctx->num_outputs()) {
    return InvalidArgument("function '", fn, "' returned ", rets.size(), " values, the node has ",
                           ctx->num_outputs(), " outputs");
  }
  for (int i = 0; i < ctx->num_outputs(); ++i) ctx->set_output(i, std::move(rets[i]));
  return Status::OK();
}

std::vector<Tensor> TakeInputs(OpContext* ctx, int first) {
  std::vector<Tensor> args;
  for (int i = first; i < ctx->num_inputs(); ++i) args.push_back(ctx->release_input(i));
  return args;
}

// Calls one function with the node's inputs (from `first_arg`) as arguments.
class CallKernel : public OpKernel {
 public:
  CallKernel(std::string name, std::shared_ptr<const AttrMap> attrs, int first_arg = 0)
      : name_(std::move(name)), attrs_(std::move(attrs)), first_arg_(first_arg) {}
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(FunctionRuntime * rt, Runtime(ctx));
    std::vector<Tensor> args = TakeInputs(ctx, first_arg_);
    std::vector<Tensor> rets;
    RETURN_IF_ERROR(rt->Call(name_, attrs_.get(), args, &rets));
    return SetOutputs(ctx, name_, std::move(rets));
  }

 private:
  std::string name_;
  std::shared_ptr<const AttrMap> attrs_;
  int first_arg_;
};

class WhileKernel : public OpKernel {
 public:
  WhileKernel(FuncAttr cond, FuncAttr body) : cond_(std::move(cond)), body_(std::move(body)) {}
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(FunctionRuntime * rt, Runtime(ctx));
    std::vector<Tensor> vars = TakeInputs(ctx, 0);
    // The run's loop cap (TfLoadOptions::max_loop_iterations) bounds functional loops too.
    const RunOptions* run = CurrentRunOptions();
    const int64_t cap = run ? run->max_loop_iterations : int64_t{1} << 31;
    for (int64_t iter = 0;; ++iter) {
      std::vector<Tensor> pred;
      RETURN_IF_ERROR(rt->Call(cond_.name, cond_.attrs.get(), vars, &pred));
      if (pred.empty()) return InvalidArgument("while cond '", cond_.name, "' returned no value");
      ASSIGN_OR_RETURN(bool go, TensorToBool(pred[0]));
      if (!go) break;
      if (iter >= cap) return ResourceExhausted("while loop exceeded ", cap, " iterations");
      std::vector<Tensor> next;
      RETURN_IF_ERROR(rt->Call(body_.name, body_.attrs.get(), vars, &next));
      if (next.size() != vars.size()) {
        return InvalidArgument("while body '", body_.name, "' returned ", next.size(), " values for ",
                               vars.size(), " loop variables");
      }
      vars = std::move(next);
    }
    return SetOutputs(ctx, body_.name, std::move(vars));
  }

 private:
  FuncAttr cond_, body_;
};

class IfKernel : public OpKernel {
 public:
  IfKernel(FuncAttr then_branch, FuncAttr else_branch)
      : then_(std::move(then_branch)), else_(std::move(else_branch)) {}
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(FunctionRuntime * rt, Runtime(ctx));
    if (ctx->num_inputs() < 1) return InvalidArgument("If needs a cond input");
    ASSIGN_OR_RETURN(bool cond, TensorToBool(ctx->input(0)));
    const FuncAttr& f = cond ? then_ : else_;
    std::vector<Tensor> args = TakeInputs(ctx, 1);
    std::vector<Tensor> rets;
    RETURN_IF_ERROR(rt->Call(f.name, f.attrs.get(), args, &rets));
    return SetOutputs(ctx, f.name, std::move(rets));
  }

 private:
  FuncAttr then_, else_;
};

class CaseKernel : public OpKernel {
 public:
  explicit CaseKernel(std::vector<FuncAttr> branches) : branches_(std::move(branches)) {}
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(FunctionRuntime * rt, Runtime(ctx));
    if (ctx->num_inputs() < 1) return InvalidArgument("Case needs a branch_index input");
    const Tensor& idx = ctx->input(0);
    if (idx.dtype() != DType::kInt32 || idx.NumElements() != 1) {
      return InvalidArgument("branch_index must be a scalar int32, got ", idx.DTypeShapeString());
    }
    int64_t b = idx.data<int32_t>()[0];
    // TensorFlow runs the last branch (the default) for an out-of-range index.
    if (b < 0 || b >= static_cast<int64_t>(branches_.size())) b = static_cast<int64_t>(branches_.size()) - 1;
    const FuncAttr& f = branches_[b];
    std::vector<Tensor> args = TakeInputs(ctx, 1);
    std::vector<Tensor> rets;
    RETURN_IF_ERROR(rt->Call(f.name, f.attrs.get(), args, &rets));
    return SetOutputs(ctx, f.name, std::move(rets));
  }

 private:
  std::vector<FuncAttr> branches_;
};

}  // namespace

StatusOr<bool> TensorToBool(const Tensor& t) {
  if (t.rank() != 0) return t.NumElements() > 0;
  bool result = false;
  bool handled = false;
  if (t.dtype() == DType::kString) return !t.data<std::string>()[0].empty();
  DispatchDType(t.dtype(), [&]<typename T>() {
    if constexpr (std::is_arithmetic_v<T>) {
      result = t.data<T>()[0] != T(0);
      handled = true;
    }
  });
  if (!handled) return InvalidArgument("cannot convert a ", DTypeName(t.dtype()), " scalar to bool");
  return result;
}

StatusOr<std::unique_ptr<OpKernel>> CreatePartitionedCall(const KernelInit& init) {
  ASSIGN_OR_RETURN(FuncAttr f, init.attrs.GetFunc("f"));
  return std::unique_ptr<OpKernel>(new CallKernel(f.name, f.attrs));
}

StatusOr<std::unique_ptr<OpKernel>> CreateFunctionCall(const KernelInit& init) {
  // The node's own attrs instantiate the function (its placeholders).
  return std::unique_ptr<OpKernel>(new CallKernel(std::string(init.op), std::make_shared<AttrMap>(init.attrs)));
}

StatusOr<std::unique_ptr<OpKernel>> CreateWhile(const KernelInit& init) {
  ASSIGN_OR_RETURN(FuncAttr cond, init.attrs.GetFunc("cond"));
  ASSIGN_OR_RETURN(FuncAttr body, init.attrs.GetFunc("body"));
  return std::unique_ptr<OpKernel>(new WhileKernel(std::move(cond), std::move(body)));
}

StatusOr<std::unique_ptr<OpKernel>> CreateIf(const KernelInit& init) {
  ASSIGN_OR_RETURN(FuncAttr then_branch, init.attrs.GetFunc("then_branch"));
  ASSIGN_OR_RETURN(FuncAttr else_branch, init.attrs.GetFunc("else_branch"));
  return std::unique_ptr<OpKernel>(new IfKernel(std::move(then_branch), std::move(else_branch)));
}

StatusOr<std::unique_ptr<OpKernel>> CreateCase(const KernelInit& init) {
  const AttrValue* v = init.attrs.Find("branches");
  if (!v || v->kind != AttrValue::Kind::kList || v->list_func.empty()) {
    return InvalidArgument("attr 'branches' must be a non-empty list of functions");
  }
  return std::unique_ptr<OpKernel>(new CaseKernel(v->list_func));
}

}  // namespace stfs::kernels
