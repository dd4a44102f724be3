#include "kernels/state_ops.h"

#include <mutex>
#include <shared_mutex>

namespace stfs::kernels {
namespace {

// var op= value, element-wise on equal shapes. Reuses the buffer when the
// variable owns it exclusively, else writes a new one (readers keep theirs).
Status UpdateInPlace(Var* var, const Tensor& value, bool subtract, const char* op) {
  if (!var->initialized) return FailedPrecondition("Attempting to use uninitialized value ", var->name);
  if (var->tensor.dtype() != value.dtype()) {
    return InvalidArgument(op, ": variable is ", DTypeName(var->tensor.dtype()), " but value is ",
                           DTypeName(value.dtype()));
  }
  if (var->tensor.shape() != value.shape()) {
    return InvalidArgument(op, " requires shapes of both tensors to match: variable ", var->tensor.shape().ToString(),
                           ", value ", value.shape().ToString());
  }
  Tensor target = var->tensor.RefCountIsOne() ? var->tensor : var->tensor.DeepCopy();
  Status status;
  bool ok = DispatchDType(value.dtype(), [&]<typename T>() {
    if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
      T* dst = target.data<T>();
      const T* src = value.data<T>();
      const int64_t n = value.NumElements();
      if (subtract) {
        for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<T>(dst[i] - src[i]);
      } else {
        for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<T>(dst[i] + src[i]);
      }
    } else if constexpr (std::is_same_v<T, std::complex<float>> || std::is_same_v<T, std::complex<double>>) {
      T* dst = target.data<T>();
      const T* src = value.data<T>();
      for (int64_t i = 0; i < value.NumElements(); ++i) dst[i] = subtract ? dst[i] - src[i] : dst[i] + src[i];
    } else if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) {
      T* dst = target.data<T>();
      const T* src = value.data<T>();
      for (int64_t i = 0; i < value.NumElements(); ++i) {
        float a = static_cast<float>(dst[i]), b = static_cast<float>(src[i]);
        dst[i] = T(subtract ? a - b : a + b);
      }
    } else {
      status = InvalidArgument(op, " does not support dtype ", DTypeName(value.dtype()));
    }
  });
  if (!ok) return InvalidArgument(op, ": invalid dtype");
  RETURN_IF_ERROR(status);
  var->tensor = std::move(target);
  return Status::OK();
}

class VariableOp : public OpKernel {
 public:
  VariableOp(DType dtype, std::string container, std::string name)
      : dtype_(dtype), container_(std::move(container)), name_(std::move(name)) {}
  Status Compute(OpContext* ctx) override {
    ResourceManager* rm = ctx->resources();
    {
      std::lock_guard<std::mutex> lock(cache_mu_);
      if (cached_rm_ == rm->id()) {
        ctx->set_output_ref(0, cached_var_);
        return Status::OK();
      }
    }
    ASSIGN_OR_RETURN(std::shared_ptr<Var> var,
                     rm->LookupOrCreate<Var>(container_, name_, [&]() -> StatusOr<std::shared_ptr<Var>> {
                       return std::make_shared<Var>(dtype_, name_);
                     }));
    if (var->dtype() != dtype_) {
      return InvalidArgument("variable '", name_, "' exists with dtype ", DTypeName(var->dtype()), ", not ",
                             DTypeName(dtype_));
    }
    ctx->set_output_ref(0, var.get());  // the manager keeps it alive
    std::lock_guard<std::mutex> lock(cache_mu_);
    cached_rm_ = rm->id();
    cached_var_ = var.get();
    return Status::OK();
  }

 private:
  DType dtype_;
  std::string container_;
  std::string name_;
  // The variable found in the last manager used (a serving plan always runs
  // on its model's manager): skips the keyed lookup on every request.
  std::mutex cache_mu_;
  uint64_t cached_rm_ = 0;  // ResourceManager::id(); 0 = none
  Var* cached_var_ = nullptr;
};

Status NeedRef(OpContext* ctx, Var** var) {
  *var = ctx->input_ref(0);
  if (!*var) return InvalidArgument("input 0 must be a variable reference (ref edge)");
  return Status::OK();
}

class AssignOp : public OpKernel {
 public:
  explicit AssignOp(bool validate_shape) : validate_shape_(validate_shape) {}
  Status Compute(OpContext* ctx) override {
    Var* var;
    RETURN_IF_ERROR(NeedRef(ctx, &var));
    ctx->release_input(0);  // drop our snapshot of the old value
    Tensor value = ctx->release_input(1);
    if (value.dtype() != var->dtype()) {
      return InvalidArgument("cannot assign ", DTypeName(value.dtype()), " to variable '", var->name, "' of dtype ",
                             DTypeName(var->dtype()));
    }
    {
      std::unique_lock<std::shared_mutex> lock(var->mu);
      if (validate_shape_ && var->initialized && var->tensor.shape() != value.shape()) {
        return InvalidArgument("Assign requires shapes of both tensors to match. lhs shape= ",
                               var->tensor.shape().ToString(), " rhs shape= ", value.shape().ToString());
      }
      var->tensor = std::move(value);
      var->initialized = true;
    }
    ctx->set_output_ref(0, var);
    return Status::OK();
  }

 private:
  bool validate_shape_;
};

class AssignUpdateOp : public OpKernel {
 public:
  explicit AssignUpdateOp(bool subtract) : subtract_(subtract) {}
  Status Compute(OpContext* ctx) override {
    Var* var;
    RETURN_IF_ERROR(NeedRef(ctx, &var));
    ctx->release_input(0);  // so the variable's buffer can be updated in place
    {
      std::unique_lock<std::shared_mutex> lock(var->mu);
      RETURN_IF_ERROR(UpdateInPlace(var, ctx->input(1), subtract_, subtract_ ? "AssignSub" : "AssignAdd"));
    }
    ctx->set_output_ref(0, var);
    return Status::OK();
  }

 private:
  bool subtract_;
};

class IsVariableInitializedOp : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    Var* var;
    RETURN_IF_ERROR(NeedRef(ctx, &var));
    std::shared_lock<std::shared_mutex> lock(var->mu);
    ctx->set_output(0, Tensor::Scalar<bool>(var->initialized));
    return Status::OK();
  }
};

class VarHandleOp : public OpKernel {
 public:
  explicit VarHandleOp(Tensor handle) : handle_(std::move(handle)) {}
  Status Compute(OpContext* ctx) override {
    ctx->set_output(0, handle_);
    return Status::OK();
  }

 private:
  Tensor handle_;
};

StatusOr<const ResourceHandle*> HandleInput(OpContext* ctx) {
  const Tensor& t = ctx->input(0);
  if (t.dtype() != DType::kResource || t.NumElements() != 1) {
    return InvalidArgument("expected a scalar resource handle, got ", t.DTypeShapeString());
  }
  return &t.data<ResourceHandle>()[0];
}

// A variable that is not there yet reads as uninitialized.
StatusOr<std::shared_ptr<Var>> LookupVar(OpContext* ctx, const ResourceHandle& h) {
  auto var = ctx->resources()->Lookup<Var>(h.container, h.name);
  if (!var.ok() && var.status().code() == Code::kNotFound) {
    return FailedPrecondition("Attempting to use uninitialized value ", h.name,
                              " (resource variable was never assigned)");
  }
  return var;
}

class ReadVariableOp : public OpKernel {
 public:
  explicit ReadVariableOp(DType dtype) : dtype_(dtype) {}
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(const ResourceHandle* h, HandleInput(ctx));
    ASSIGN_OR_RETURN(std::shared_ptr<Var> var, LookupVar(ctx, *h));
    std::shared_lock<std::shared_mutex> lock(var->mu);
    if (!var->initialized) return FailedPrecondition("Attempting to use uninitialized value ", h->name);
    if (var->tensor.dtype() != dtype_) {
      return InvalidArgument("Trying to read variable '", h->name, "' with wrong dtype. Expected ",
                             DTypeName(var->tensor.dtype()), " got ", DTypeName(dtype_));
    }
    ctx->set_output(0, var->tensor);  // later updates copy-on-write, so this stays fixed
    return Status::OK();
  }

 private:
  DType dtype_;
};

class AssignVariableOp : public OpKernel {
 public:
  AssignVariableOp(DType dtype, bool validate_shape) : dtype_(dtype), validate_shape_(validate_shape) {}
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(const ResourceHandle* h, HandleInput(ctx));
    Tensor value = ctx->release_input(1);
    if (value.dtype() != dtype_) {
      return InvalidArgument("value is ", DTypeName(value.dtype()), " but dtype attr is ", DTypeName(dtype_));
    }
    ASSIGN_OR_RETURN(std::shared_ptr<Var> var,
                     ctx->resources()->LookupOrCreate<Var>(h->container, h->name, [&]() -> StatusOr<std::shared_ptr<Var>> {
                       return std::make_shared<Var>(dtype_, h->name);
                     }));
    if (var->dtype() != dtype_) {
      return InvalidArgument("Trying to assign variable '", h->name, "' with wrong dtype. Expected ",
                             DTypeName(var->dtype()), " got ", DTypeName(dtype_));
    }
    std::unique_lock<std::shared_mutex> lock(var->mu);
    if (validate_shape_ && var->initialized && var->tensor.shape() != value.shape()) {
      return InvalidArgument("Trying to assign to variable '", h->name, "' with shape ", var->tensor.shape().ToString(),
                             " a value of shape ", value.shape().ToString());
    }
    var->tensor = std::move(value);
    var->initialized = true;
    return Status::OK();
  }

 private:
  DType dtype_;
  bool validate_shape_;
};

class AssignUpdateVariableOp : public OpKernel {
 public:
  explicit AssignUpdateVariableOp(bool subtract) : subtract_(subtract) {}
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(const ResourceHandle* h, HandleInput(ctx));
    ASSIGN_OR_RETURN(std::shared_ptr<Var> var, LookupVar(ctx, *h));
    std::unique_lock<std::shared_mutex> lock(var->mu);
    return UpdateInPlace(var.get(), ctx->input(1), subtract_,
                         subtract_ ? "AssignSubVariableOp" : "AssignAddVariableOp");
  }

 private:
  bool subtract_;
};

class VarIsInitializedOp : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(const ResourceHandle* h, HandleInput(ctx));
    auto var = ctx->resources()->Lookup<Var>(h->container, h->name);
    bool initialized = false;
    if (var.ok()) {
      std::shared_lock<std::shared_mutex> lock((*var)->mu);
      initialized = (*var)->initialized;
    }
    ctx->set_output(0, Tensor::Scalar<bool>(initialized));
    return Status::OK();
  }
};

// Resources live as long as the model version; destroying one early would
// only break later reads, so this is a no-op (TF uses it on cleanup paths).
class DestroyResourceOp : public OpKernel {
 public:
  Status Compute(OpContext*) override { return Status::OK(); }
};

std::string SharedName(const KernelInit& init) {
  std::string name = init.attrs.GetStringOr("shared_name", "");
  return name.empty() ? std::string(init.node_name) : name;
}

}  // namespace

StatusOr<std::unique_ptr<OpKernel>> CreateVariableV2(const KernelInit& init) {
  ASSIGN_OR_RETURN(DType dtype, init.attrs.GetType("dtype"));
  return std::unique_ptr<OpKernel>(new VariableOp(dtype, init.attrs.GetStringOr("container", ""), SharedName(init)));
}
StatusOr<std::unique_ptr<OpKernel>> CreateAssign(const KernelInit& init) {
  return std::unique_ptr<OpKernel>(new AssignOp(init.attrs.GetBoolOr("validate_shape", true)));
}
StatusOr<std::unique_ptr<OpKernel>> CreateAssignAdd(const KernelInit& init) {
  return std::unique_ptr<OpKernel>(new AssignUpdateOp(false));
}
StatusOr<std::unique_ptr<OpKernel>> CreateAssignSub(const KernelInit& init) {
  return std::unique_ptr<OpKernel>(new AssignUpdateOp(true));
}
StatusOr<std::unique_ptr<OpKernel>> CreateIsVariableInitialized(const KernelInit& init) {
  return std::unique_ptr<OpKernel>(new IsVariableInitializedOp());
}
StatusOr<std::unique_ptr<OpKernel>> CreateVarHandleOp(const KernelInit& init) {
  Tensor handle(DType::kResource, Shape{});
  ResourceHandle& h = handle.data<ResourceHandle>()[0];
  h.container = init.attrs.GetStringOr("container", "");
  h.name = SharedName(init);
  h.maybe_type_name = "Var";
  return std::unique_ptr<OpKernel>(new VarHandleOp(std::move(handle)));
}
StatusOr<std::unique_ptr<OpKernel>> CreateReadVariableOp(const KernelInit& init) {
  ASSIGN_OR_RETURN(DType dtype, init.attrs.GetType("dtype"));
  return std::unique_ptr<OpKernel>(new ReadVariableOp(dtype));
}
StatusOr<std::unique_ptr<OpKernel>> CreateAssignVariableOp(const KernelInit& init) {
  ASSIGN_OR_RETURN(DType dtype, init.attrs.GetType("dtype"));
  return std::unique_ptr<OpKernel>(new AssignVariableOp(dtype, init.attrs.GetBoolOr("validate_shape", false)));
}
StatusOr<std::unique_ptr<OpKernel>> CreateAssignAddVariableOp(const KernelInit& init) {
  return std::unique_ptr<OpKernel>(new AssignUpdateVariableOp(false));
}
StatusOr<std::unique_ptr<OpKernel>> CreateAssignSubVariableOp(const KernelInit& init) {
  return std::unique_ptr<OpKernel>(new AssignUpdateVariableOp(true));
}
StatusOr<std::unique_ptr<OpKernel>> CreateVarIsInitializedOp(const KernelInit& init) {
  return std::unique_ptr<OpKernel>(new VarIsInitializedOp());
}
StatusOr<std::unique_ptr<OpKernel>> CreateDestroyResourceOp(const KernelInit& init) {
  return std::unique_ptr<OpKernel>(new DestroyResourceOp());
}

}  // namespace stfs::kernels
