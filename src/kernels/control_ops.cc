#include "kernels/control_ops.h"

#include <algorithm>

#include "base/logging.h"

namespace stfs::kernels {
namespace {

class PlaceholderOp : public OpKernel {
 public:
  PlaceholderOp(DType dtype, const AttrValue* shape) : dtype_(dtype) {
    if (shape && shape->kind == AttrValue::Kind::kShape && !shape->shape.unknown_rank()) {
      shape_suffix_ = StrCat(" and shape ", shape->shape.ToString());
    }
  }
  // Runs only when the placeholder is not fed (a fed tensor replaces the node).
  Status Compute(OpContext* ctx) override {
    return InvalidArgument("You must feed a value for placeholder tensor '", ctx->node_name(), "' with dtype ",
                           DTypeName(dtype_), shape_suffix_);
  }

 private:
  DType dtype_;
  std::string shape_suffix_;
};

// Forwards every input i to output i (buffers are reused, never copied).
class ForwardOp : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    for (int i = 0; i < ctx->num_outputs(); ++i) ctx->set_output(i, ctx->release_input(i));
    return Status::OK();
  }
};

class RefIdentityOp : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    Var* var = ctx->input_ref(0);
    if (!var) {
      ctx->set_output(0, ctx->release_input(0));
    } else {
      ctx->set_output_ref(0, var);
    }
    return Status::OK();
  }
};

class ConstOp : public OpKernel {
 public:
  explicit ConstOp(Tensor value) : value_(std::move(value)) {}
  Status Compute(OpContext* ctx) override {
    ctx->set_output(0, value_);  // shared, never written in place (refcount > 1)
    return Status::OK();
  }

 private:
  Tensor value_;
};

class NoOpOp : public OpKernel {
 public:
  Status Compute(OpContext*) override { return Status::OK(); }
};

// TensorFlow's SummarizeValue style: "-1 2..." (at most `summarize` elements,
// no brackets; callers add them), strings verbatim.
std::string Summarize(const Tensor& t, int64_t summarize) {
  const int64_t n = t.NumElements();
  const int64_t shown = summarize < 0 ? n : std::min(n, summarize);
  std::string out;
  if (t.dtype() == DType::kString) {
    for (int64_t i = 0; i < shown; ++i) out += (i ? " " : "") + t.data<std::string>()[i];
  } else {
    std::string s = t.DebugString(static_cast<int>(std::min<int64_t>(shown, 1 << 20)));
    size_t p = s.find("values:");
    out = p == std::string::npos ? s : s.substr(p + 7);
    if (out.size() >= 4 && out.compare(out.size() - 4, 4, " ...") == 0) out.resize(out.size() - 4);
    if (!out.empty() && out[0] == ' ') out.erase(0, 1);
  }
  if (shown < n) out += "...";
  return out;
}

class AssertOp : public OpKernel {
 public:
  explicit AssertOp(int64_t summarize) : summarize_(summarize) {}
  Status Compute(OpContext* ctx) override {
    const Tensor& cond = ctx->input(0);
    if (cond.dtype() != DType::kBool || cond.NumElements() != 1) {
      return InvalidArgument("In[0] expects a scalar bool, got ", cond.DTypeShapeString());
    }
    if (cond.scalar<bool>()) return Status::OK();
    std::string msg = "assertion failed: ";
    for (int i = 1; i < ctx->num_inputs(); ++i) {
      if (i > 1) msg += " ";
      msg += "[" + Summarize(ctx->input(i), summarize_) + "]";
    }
    return InvalidArgument(msg);
  }

 private:
  int64_t summarize_;
};

class PrintOp : public OpKernel {
 public:
  PrintOp(std::string message, int64_t summarize) : message_(std::move(message)), summarize_(summarize) {}
  Status Compute(OpContext* ctx) override {
    std::string msg = message_;
    for (int i = 1; i < ctx->num_inputs(); ++i) msg += Summarize(ctx->input(i), summarize_);
    LOG(INFO) << msg;
    ctx->set_output(0, ctx->release_input(0));
    return Status::OK();
  }

 private:
  std::string message_;
  int64_t summarize_;
};

class PrintV2Op : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const Tensor& in = ctx->input(0);
    if (in.dtype() != DType::kString || in.NumElements() != 1) {
      return InvalidArgument("input must be a scalar string, got ", in.DTypeShapeString());
    }
    LOG(INFO) << in.scalar<std::string>();
    return Status::OK();
  }
};

}  // namespace

StatusOr<std::unique_ptr<OpKernel>> CreatePlaceholder(const KernelInit& init) {
  ASSIGN_OR_RETURN(DType dtype, init.attrs.GetType("dtype"));
  return std::unique_ptr<OpKernel>(new PlaceholderOp(dtype, init.attrs.Find("shape")));
}

StatusOr<std::unique_ptr<OpKernel>> CreatePlaceholderWithDefault(const KernelInit& init) {
  return std::unique_ptr<OpKernel>(new ForwardOp());
}

StatusOr<std::unique_ptr<OpKernel>> CreateConst(const KernelInit& init) {
  ASSIGN_OR_RETURN(Tensor value, init.attrs.GetTensor("value"));
  ASSIGN_OR_RETURN(DType dtype, init.attrs.GetType("dtype"));
  if (value.dtype() != dtype) {
    return InvalidArgument("value is ", DTypeName(value.dtype()), " but dtype is ", DTypeName(dtype));
  }
  return std::unique_ptr<OpKernel>(new ConstOp(std::move(value)));
}

StatusOr<std::unique_ptr<OpKernel>> CreateIdentity(const KernelInit& init) {
  return std::unique_ptr<OpKernel>(new ForwardOp());
}

StatusOr<std::unique_ptr<OpKernel>> CreateRefIdentity(const KernelInit& init) {
  return std::unique_ptr<OpKernel>(new RefIdentityOp());
}

StatusOr<std::unique_ptr<OpKernel>> CreateNoOp(const KernelInit& init) {
  return std::unique_ptr<OpKernel>(new NoOpOp());
}

StatusOr<std::unique_ptr<OpKernel>> CreateAssert(const KernelInit& init) {
  return std::unique_ptr<OpKernel>(new AssertOp(init.attrs.GetIntOr("summarize", 3)));
}

StatusOr<std::unique_ptr<OpKernel>> CreatePrint(const KernelInit& init) {
  return std::unique_ptr<OpKernel>(
      new PrintOp(init.attrs.GetStringOr("message", ""), init.attrs.GetIntOr("summarize", 3)));
}

StatusOr<std::unique_ptr<OpKernel>> CreatePrintV2(const KernelInit& init) {
  return std::unique_ptr<OpKernel>(new PrintV2Op());
}

}  // namespace stfs::kernels
