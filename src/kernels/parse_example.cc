#include "kernels/parse_example.h"

#include "kernels/array_util.h"
#include "kernels/example_parser.h"

namespace stfs::kernels {
namespace {

// Attributes shared by the three ops (keys come from inputs or attrs).
struct StaticConfig {
  std::vector<DType> sparse_types;
  std::vector<DType> dense_types;
  std::vector<PartialShape> dense_shapes;
  std::vector<DType> ragged_value_types;
  std::vector<DType> ragged_split_types;

  Status Init(const AttrMap& a, bool ragged) {
    if (a.Has("sparse_types")) {
      ASSIGN_OR_RETURN(sparse_types, a.GetTypeList("sparse_types"));
    }
    if (a.Has("Tdense")) {
      ASSIGN_OR_RETURN(dense_types, a.GetTypeList("Tdense"));
    }
    if (a.Has("dense_shapes")) {
      ASSIGN_OR_RETURN(dense_shapes, a.GetShapeList("dense_shapes"));
    }
    if (dense_shapes.size() != dense_types.size()) {
      return InvalidArgument("len(dense_shapes) = ", dense_shapes.size(), " != len(Tdense) = ",
                             dense_types.size());
    }
    if (ragged) {
      if (a.Has("ragged_value_types")) {
      ASSIGN_OR_RETURN(ragged_value_types, a.GetTypeList("ragged_value_types"));
    }
      if (a.Has("ragged_split_types")) {
      ASSIGN_OR_RETURN(ragged_split_types, a.GetTypeList("ragged_split_types"));
    }
      if (ragged_value_types.size() != ragged_split_types.size()) {
        return InvalidArgument("len(ragged_value_types) != len(ragged_split_types)");
      }
    }
    return Status::OK();
  }

  int num_outputs() const {
    return static_cast<int>(3 * sparse_types.size() + dense_types.size() + 2 * ragged_value_types.size());
  }

  // Combines keys and defaults into a validated ParseConfig.
  StatusOr<ParseConfig> Build(const std::vector<std::string>& sparse_keys,
                              const std::vector<std::string>& dense_keys,
                              const std::vector<std::string>& ragged_keys,
                              const OpContext* ctx, int first_default) const {
    if (sparse_keys.size() != sparse_types.size() || dense_keys.size() != dense_types.size() ||
        ragged_keys.size() != ragged_value_types.size()) {
      return InvalidArgument("got ", sparse_keys.size(), " sparse, ", dense_keys.size(), " dense and ",
                             ragged_keys.size(), " ragged keys but the op declares ", sparse_types.size(),
                             ", ", dense_types.size(), " and ", ragged_value_types.size());
    }
    ParseConfig c;
    for (size_t i = 0; i < sparse_keys.size(); ++i) c.sparse.push_back({sparse_keys[i], sparse_types[i]});
    for (size_t i = 0; i < dense_keys.size(); ++i) {
      DenseFeatureSpec d;
      d.key = dense_keys[i];
      d.dtype = dense_types[i];
      d.shape = dense_shapes[i];
      d.default_value = ctx->input(first_default + static_cast<int>(i));
      c.dense.push_back(std::move(d));
    }
    for (size_t i = 0; i < ragged_keys.size(); ++i) {
      c.ragged.push_back({ragged_keys[i], ragged_value_types[i], ragged_split_types[i]});
    }
    RETURN_IF_ERROR(ValidateParseConfig(&c));
    return c;
  }
};

StatusOr<std::vector<std::string>> StringKeys(const Tensor& t, std::string_view what) {
  if (t.dtype() != DType::kString || t.rank() > 1) {
    return InvalidArgument(what, " must be a string scalar or vector, got ", t.DTypeShapeString());
  }
  return std::vector<std::string>(t.flat<std::string>().begin(), t.flat<std::string>().end());
}

Status SetOutputs(OpContext* ctx, ParseResult& r) {
  int i = 0;
  for (auto* group : {&r.sparse_indices, &r.sparse_values, &r.sparse_shapes, &r.dense_values,
                      &r.ragged_values, &r.ragged_splits}) {
    for (Tensor& t : *group) {
      if (i >= ctx->num_outputs()) return InvalidArgument("parse op has too few outputs (", ctx->num_outputs(), ")");
      ctx->set_output(i++, std::move(t));
    }
  }
  return Status::OK();
}

Status RunParse(OpContext* ctx, const ParseConfig& config, const Tensor& serialized,
                const Tensor* names, bool allow_scalar) {
  if (serialized.dtype() != DType::kString || serialized.rank() > 1 ||
      (!allow_scalar && serialized.rank() != 1)) {
    return InvalidArgument("serialized must be a ", allow_scalar ? "string scalar or vector" : "string vector",
                           ", got ", serialized.DTypeShapeString());
  }
  std::span<const std::string> name_span;
  if (names != nullptr && names->dtype() == DType::kString && names->NumElements() > 0) {
    if (names->NumElements() != serialized.NumElements()) {
      return InvalidArgument("names must be empty or have the shape of serialized; got ",
                             names->DTypeShapeString(), " vs ", serialized.DTypeShapeString());
    }
    name_span = names->flat<std::string>();
  }
  ParseResult result;
  RETURN_IF_ERROR(ParseExamples(config, serialized.flat<std::string>(), name_span,
                                /*scalar=*/serialized.rank() == 0, &result));
  return SetOutputs(ctx, result);
}

class ParseExampleOp : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    RETURN_IF_ERROR(config_.Init(init.attrs, /*ragged=*/false));
    num_sparse_ = init.attrs.GetIntOr("Nsparse", static_cast<int64_t>(config_.sparse_types.size()));
    num_dense_ = init.attrs.GetIntOr("Ndense", static_cast<int64_t>(config_.dense_types.size()));
    if (num_sparse_ != static_cast<int64_t>(config_.sparse_types.size()) ||
        num_dense_ != static_cast<int64_t>(config_.dense_types.size())) {
      return InvalidArgument("Nsparse/Ndense (", num_sparse_, "/", num_dense_,
                             ") do not match sparse_types/Tdense");
    }
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    const int ns = static_cast<int>(num_sparse_), nd = static_cast<int>(num_dense_);
    if (ctx->num_inputs() != 2 + ns + 2 * nd) {
      return InvalidArgument("ParseExample expects ", 2 + ns + 2 * nd, " inputs, got ", ctx->num_inputs());
    }
    std::vector<std::string> sparse_keys, dense_keys;
    for (int i = 0; i < ns; ++i) {
      const Tensor& k = ctx->input(2 + i);
      if (k.dtype() != DType::kString || k.NumElements() != 1) {
        return InvalidArgument("sparse_keys[", i, "] must be a string scalar, got ", k.DTypeShapeString());
      }
      sparse_keys.push_back(k.data<std::string>()[0]);
    }
    for (int i = 0; i < nd; ++i) {
      const Tensor& k = ctx->input(2 + ns + i);
      if (k.dtype() != DType::kString || k.NumElements() != 1) {
        return InvalidArgument("dense_keys[", i, "] must be a string scalar, got ", k.DTypeShapeString());
      }
      dense_keys.push_back(k.data<std::string>()[0]);
    }
    ASSIGN_OR_RETURN(ParseConfig config, config_.Build(sparse_keys, dense_keys, {}, ctx, 2 + ns + nd));
    return RunParse(ctx, config, ctx->input(0), &ctx->input(1), /*allow_scalar=*/false);
  }

 private:
  StaticConfig config_;
  int64_t num_sparse_ = 0, num_dense_ = 0;
};

class ParseExampleV2Op : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    RETURN_IF_ERROR(config_.Init(init.attrs, /*ragged=*/true));
    const int64_t num_sparse = init.attrs.GetIntOr("num_sparse", static_cast<int64_t>(config_.sparse_types.size()));
    if (num_sparse != static_cast<int64_t>(config_.sparse_types.size())) {
      return InvalidArgument("num_sparse ", num_sparse, " != len(sparse_types) ", config_.sparse_types.size());
    }
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    const int nd = static_cast<int>(config_.dense_types.size());
    if (ctx->num_inputs() != 5 + nd) {
      return InvalidArgument("ParseExampleV2 expects ", 5 + nd, " inputs, got ", ctx->num_inputs());
    }
    ASSIGN_OR_RETURN(std::vector<std::string> sparse_keys, StringKeys(ctx->input(2), "sparse_keys"));
    ASSIGN_OR_RETURN(std::vector<std::string> dense_keys, StringKeys(ctx->input(3), "dense_keys"));
    ASSIGN_OR_RETURN(std::vector<std::string> ragged_keys, StringKeys(ctx->input(4), "ragged_keys"));
    ASSIGN_OR_RETURN(ParseConfig config, config_.Build(sparse_keys, dense_keys, ragged_keys, ctx, 5));
    return RunParse(ctx, config, ctx->input(0), &ctx->input(1), /*allow_scalar=*/true);
  }

 private:
  StaticConfig config_;
};

class ParseSingleExampleOp : public OpKernel {
 public:
  Status Init(const KernelInit& init) {
    RETURN_IF_ERROR(config_.Init(init.attrs, /*ragged=*/false));
    if (init.attrs.Has("sparse_keys")) {
      ASSIGN_OR_RETURN(sparse_keys_, init.attrs.GetStringList("sparse_keys"));
    }
    if (init.attrs.Has("dense_keys")) {
      ASSIGN_OR_RETURN(dense_keys_, init.attrs.GetStringList("dense_keys"));
    }
    return Status::OK();
  }
  Status Compute(OpContext* ctx) override {
    const int nd = static_cast<int>(config_.dense_types.size());
    if (ctx->num_inputs() != 1 + nd) {
      return InvalidArgument("ParseSingleExample expects ", 1 + nd, " inputs, got ", ctx->num_inputs());
    }
    ASSIGN_OR_RETURN(ParseConfig config, config_.Build(sparse_keys_, dense_keys_, {}, ctx, 1));
    if (ctx->input(0).rank() != 0) {
      return InvalidArgument("serialized must be a scalar, got ", ctx->input(0).DTypeShapeString());
    }
    return RunParse(ctx, config, ctx->input(0), nullptr, /*allow_scalar=*/true);
  }

 private:
  StaticConfig config_;
  std::vector<std::string> sparse_keys_, dense_keys_;
};

}  // namespace

StatusOr<std::unique_ptr<OpKernel>> CreateParseExample(const KernelInit& init) { return MakeKernel<ParseExampleOp>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateParseExampleV2(const KernelInit& init) { return MakeKernel<ParseExampleV2Op>(init); }
StatusOr<std::unique_ptr<OpKernel>> CreateParseSingleExample(const KernelInit& init) { return MakeKernel<ParseSingleExampleOp>(init); }

}  // namespace stfs::kernels
