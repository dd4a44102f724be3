#include "kernels/lookup_ops.h"

#include "kernels/lookup_table.h"

namespace stfs::kernels {
namespace {

// HashTableV2 / MutableHashTableV2: creates the table on first run and
// outputs its handle.
class TableHandleOp : public OpKernel {
 public:
  TableHandleOp(Tensor handle, bool is_mutable, DType key_dtype, DType value_dtype)
      : handle_(std::move(handle)), mutable_(is_mutable), key_dtype_(key_dtype), value_dtype_(value_dtype) {}
  Status Compute(OpContext* ctx) override {
    const ResourceHandle& h = handle_.data<ResourceHandle>()[0];
    ASSIGN_OR_RETURN(std::shared_ptr<LookupTable> table,
                     ctx->resources()->LookupOrCreate<LookupTable>(
                         h.container, h.name, [&]() -> StatusOr<std::shared_ptr<LookupTable>> {
                           return LookupTable::Create(h.name, mutable_, key_dtype_, value_dtype_);
                         }));
    if (table->is_mutable() != mutable_ || table->key_dtype() != key_dtype_ ||
        table->value_dtype() != value_dtype_) {
      return InvalidArgument("table '", h.name, "' already exists as ", table->DebugString(),
                             "; this op wants key dtype ", DTypeName(key_dtype_), ", value dtype ",
                             DTypeName(value_dtype_));
    }
    ctx->set_output(0, handle_);
    return Status::OK();
  }

 private:
  Tensor handle_;
  bool mutable_;
  DType key_dtype_;
  DType value_dtype_;
};

StatusOr<std::unique_ptr<OpKernel>> CreateTableHandle(const KernelInit& init, bool is_mutable) {
  ASSIGN_OR_RETURN(DType key_dtype, init.attrs.GetType("key_dtype"));
  ASSIGN_OR_RETURN(DType value_dtype, init.attrs.GetType("value_dtype"));
  Tensor handle(DType::kResource, Shape{});
  ResourceHandle& h = handle.data<ResourceHandle>()[0];
  h.container = init.attrs.GetStringOr("container", "");
  h.name = init.attrs.GetStringOr("shared_name", "");
  if (h.name.empty()) h.name = std::string(init.node_name);
  h.maybe_type_name = is_mutable ? "MutableHashTable" : "HashTable";
  // Validate dtypes at load time rather than on first run.
  RETURN_IF_ERROR(LookupTable::Create(h.name, is_mutable, key_dtype, value_dtype).status());
  return std::unique_ptr<OpKernel>(new TableHandleOp(std::move(handle), is_mutable, key_dtype, value_dtype));
}

// Resolves input 0 (a table handle).
StatusOr<std::shared_ptr<LookupTable>> TableInput(OpContext* ctx) {
  const Tensor& t = ctx->input(0);
  if (t.dtype() != DType::kResource || t.NumElements() != 1) {
    return InvalidArgument("expected a scalar table handle (resource), got ", t.DTypeShapeString());
  }
  const ResourceHandle& h = t.data<ResourceHandle>()[0];
  auto table = ctx->resources()->Lookup<LookupTable>(h.container, h.name);
  if (!table.ok() && table.status().code() == Code::kNotFound) {
    return FailedPrecondition("Table not initialized: table '", h.name, "' does not exist");
  }
  return table;
}

class InitializeTableOp : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(std::shared_ptr<LookupTable> table, TableInput(ctx));
    const Tensor& keys = ctx->input(1);
    if (keys.rank() != 1) return InvalidArgument("keys must be a vector, got shape ", keys.shape().ToString());
    return table->Import(keys, ctx->input(2));
  }
};

class InitializeFromTextFileOp : public OpKernel {
 public:
  explicit InitializeFromTextFileOp(TextFileSpec spec) : spec_(std::move(spec)) {}
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(std::shared_ptr<LookupTable> table, TableInput(ctx));
    const Tensor& name = ctx->input(1);
    if (name.dtype() != DType::kString || name.rank() != 0) {
      return InvalidArgument("filename must be a scalar string, got ", name.DTypeShapeString());
    }
    return InitializeTableFromTextFile(table.get(), name.scalar<std::string>(), spec_);
  }

 private:
  TextFileSpec spec_;
};

class FindOp : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(std::shared_ptr<LookupTable> table, TableInput(ctx));
    Tensor out;
    RETURN_IF_ERROR(table->Find(ctx->input(1), ctx->input(2), &out));
    ctx->set_output(0, std::move(out));
    return Status::OK();
  }
};

class SizeOp : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(std::shared_ptr<LookupTable> table, TableInput(ctx));
    ctx->set_output(0, Tensor::Scalar<int64_t>(table->Size()));
    return Status::OK();
  }
};

enum class Update { kImport, kInsert, kRemove };

class UpdateOp : public OpKernel {
 public:
  explicit UpdateOp(Update kind) : kind_(kind) {}
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(std::shared_ptr<LookupTable> table, TableInput(ctx));
    switch (kind_) {
      case Update::kImport: return table->Import(ctx->input(1), ctx->input(2));
      case Update::kInsert: return table->Insert(ctx->input(1), ctx->input(2));
      case Update::kRemove: return table->Remove(ctx->input(1));
    }
    return Internal("bad update kind");
  }

 private:
  Update kind_;
};

class ExportOp : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    ASSIGN_OR_RETURN(std::shared_ptr<LookupTable> table, TableInput(ctx));
    Tensor keys, values;
    RETURN_IF_ERROR(table->Export(&keys, &values));
    ctx->set_output(0, std::move(keys));
    if (ctx->num_outputs() > 1) ctx->set_output(1, std::move(values));
    return Status::OK();
  }
};

}  // namespace

StatusOr<std::unique_ptr<OpKernel>> CreateHashTableV2(const KernelInit& init) {
  return CreateTableHandle(init, /*is_mutable=*/false);
}
StatusOr<std::unique_ptr<OpKernel>> CreateMutableHashTableV2(const KernelInit& init) {
  return CreateTableHandle(init, /*is_mutable=*/true);
}
StatusOr<std::unique_ptr<OpKernel>> CreateInitializeTableV2(const KernelInit&) {
  return std::unique_ptr<OpKernel>(new InitializeTableOp());
}
StatusOr<std::unique_ptr<OpKernel>> CreateInitializeTableFromTextFileV2(const KernelInit& init) {
  TextFileSpec spec;
  ASSIGN_OR_RETURN(spec.key_index, init.attrs.GetInt("key_index"));
  ASSIGN_OR_RETURN(spec.value_index, init.attrs.GetInt("value_index"));
  spec.vocab_size = init.attrs.GetIntOr("vocab_size", -1);
  spec.delimiter = init.attrs.GetStringOr("delimiter", "\t");
  spec.offset = init.attrs.GetIntOr("offset", 0);
  if (spec.key_index < -2 || spec.value_index < -2) {
    return InvalidArgument("key_index (", spec.key_index, ") and value_index (", spec.value_index,
                           ") must be >= -2");
  }
  if (spec.vocab_size < -1 || spec.vocab_size == 0) {
    return InvalidArgument("vocab_size must be -1 or > 0, got ", spec.vocab_size);
  }
  if (spec.delimiter.empty()) return InvalidArgument("delimiter must not be empty");
  return std::unique_ptr<OpKernel>(new InitializeFromTextFileOp(std::move(spec)));
}
StatusOr<std::unique_ptr<OpKernel>> CreateLookupTableFindV2(const KernelInit&) {
  return std::unique_ptr<OpKernel>(new FindOp());
}
StatusOr<std::unique_ptr<OpKernel>> CreateLookupTableSizeV2(const KernelInit&) {
  return std::unique_ptr<OpKernel>(new SizeOp());
}
StatusOr<std::unique_ptr<OpKernel>> CreateLookupTableImportV2(const KernelInit&) {
  return std::unique_ptr<OpKernel>(new UpdateOp(Update::kImport));
}
StatusOr<std::unique_ptr<OpKernel>> CreateLookupTableInsertV2(const KernelInit&) {
  return std::unique_ptr<OpKernel>(new UpdateOp(Update::kInsert));
}
StatusOr<std::unique_ptr<OpKernel>> CreateLookupTableRemoveV2(const KernelInit&) {
  return std::unique_ptr<OpKernel>(new UpdateOp(Update::kRemove));
}
StatusOr<std::unique_ptr<OpKernel>> CreateLookupTableExportV2(const KernelInit&) {
  return std::unique_ptr<OpKernel>(new ExportOp());
}

}  // namespace stfs::kernels
