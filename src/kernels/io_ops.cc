#include "kernels/io_ops.h"

#include <fstream>
#include <map>
#include <mutex>

#include "savedmodel/bundle_reader.h"

namespace stfs::kernels {
namespace {

// Opened bundles by prefix; restore runs once per load, but a graph may hold
// one RestoreV2 per variable (pre TF 1.5), which would re-read the index.
class BundleCache : public ResourceBase {
 public:
  std::string DebugString() const override { return "BundleCache"; }
  StatusOr<std::shared_ptr<const BundleReader>> Get(const std::string& prefix) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = readers_.find(prefix);
    if (it != readers_.end()) return it->second;
    ASSIGN_OR_RETURN(std::unique_ptr<BundleReader> reader, BundleReader::Open(prefix));
    std::shared_ptr<const BundleReader> shared(std::move(reader));
    readers_.emplace(prefix, shared);
    return shared;
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<const BundleReader>> readers_;
};

const Tensor* StringInput(OpContext* ctx, int i) {
  const Tensor& t = ctx->input(i);
  return t.dtype() == DType::kString ? &t : nullptr;
}

class RestoreV2Op : public OpKernel {
 public:
  explicit RestoreV2Op(std::vector<DType> dtypes) : dtypes_(std::move(dtypes)) {}
  Status Compute(OpContext* ctx) override {
    const Tensor* prefix = StringInput(ctx, 0);
    const Tensor* names = StringInput(ctx, 1);
    const Tensor* slices = StringInput(ctx, 2);
    if (!prefix || prefix->NumElements() != 1) return InvalidArgument("prefix must be a scalar string");
    if (!names || !slices || names->NumElements() != static_cast<int64_t>(dtypes_.size()) ||
        slices->NumElements() != names->NumElements()) {
      return InvalidArgument("tensor_names and shape_and_slices must be string vectors of length ", dtypes_.size(),
                             " (the number of dtypes)");
    }
    ASSIGN_OR_RETURN(std::shared_ptr<BundleCache> cache,
                     ctx->resources()->LookupOrCreate<BundleCache>(
                         "", "_bundle_reader_cache",
                         []() -> StatusOr<std::shared_ptr<BundleCache>> { return std::make_shared<BundleCache>(); }));
    const std::string& path = prefix->scalar<std::string>();
    auto reader = cache->Get(path);
    if (!reader.ok()) return reader.status().WithContext(StrCat("restoring from '", path, "'"));
    for (size_t i = 0; i < dtypes_.size(); ++i) {
      const std::string& key = names->data<std::string>()[i];
      const std::string& spec = slices->data<std::string>()[i];
      auto t = spec.empty() ? (*reader)->Read(key) : (*reader)->ReadSlice(key, spec);
      if (!t.ok()) return t.status().WithContext(StrCat("restoring tensor '", key, "'"));
      if (t->dtype() != dtypes_[i]) {
        return InvalidArgument("tensor '", key, "' is ", DTypeName(t->dtype()), " in the checkpoint but ",
                               DTypeName(dtypes_[i]), " was expected");
      }
      ctx->set_output(static_cast<int>(i), std::move(*t));
    }
    return Status::OK();
  }

 private:
  std::vector<DType> dtypes_;
};

class ReadFileOp : public OpKernel {
 public:
  Status Compute(OpContext* ctx) override {
    const Tensor* name = StringInput(ctx, 0);
    if (!name || name->NumElements() != 1) return InvalidArgument("filename must be a scalar string");
    const std::string& path = name->scalar<std::string>();
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) return NotFound("ReadFile: cannot open '", path, "'");
    std::streamoff size = in.tellg();
    constexpr std::streamoff kMaxBytes = std::streamoff{1} << 31;
    if (size < 0 || size > kMaxBytes) return ResourceExhausted("ReadFile: '", path, "' is too large");
    std::string contents(static_cast<size_t>(size), '\0');
    in.seekg(0);
    if (size > 0 && !in.read(contents.data(), size)) return DataLoss("ReadFile: error reading '", path, "'");
    ctx->set_output(0, Tensor::Scalar<std::string>(std::move(contents)));
    return Status::OK();
  }
};

}  // namespace

StatusOr<std::unique_ptr<OpKernel>> CreateRestoreV2(const KernelInit& init) {
  ASSIGN_OR_RETURN(std::vector<DType> dtypes, init.attrs.GetTypeList("dtypes"));
  if (static_cast<int>(dtypes.size()) != init.num_outputs) {
    return InvalidArgument("dtypes has ", dtypes.size(), " entries but the node has ", init.num_outputs, " outputs");
  }
  return std::unique_ptr<OpKernel>(new RestoreV2Op(std::move(dtypes)));
}

StatusOr<std::unique_ptr<OpKernel>> CreateReadFile(const KernelInit& init) {
  return std::unique_ptr<OpKernel>(new ReadFileOp());
}

}  // namespace stfs::kernels
