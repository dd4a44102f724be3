// Einsum for one or two operands without ellipsis, as BERT/Keras use it
// ("abc,cd->abd", "BTNH,BFNH->BNFT", "ab,bc->ac", "ij->ji").
//
// Two operands: labels are classified as batch (both inputs and output),
// contracted (both inputs, not output), lhs-free and rhs-free; the inputs are
// permuted to [batch, free, contract] / [batch, contract, free], run as one
// BatchedMatMul and the result permuted into the output order. Labels summed
// out of a single operand and repeated labels (diagonals) are Unimplemented.
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "kernels/cwise_util.h"
#include "kernels/matmul.h"
#include "kernels/matmul_internal.h"

namespace stfs::kernels {
namespace {

// Copies `in` permuted: out dim i = in dim perm[i]. POD dtypes only.
StatusOr<Tensor> Permute(const Tensor& in, const std::vector<int>& perm) {
  bool identity = true;
  for (size_t i = 0; i < perm.size(); ++i) identity &= perm[i] == static_cast<int>(i);
  if (identity) return in;
  const int r = in.rank();
  std::vector<int64_t> out_dims(r), in_strides(r), strides(r);
  int64_t s = 1;
  for (int d = r - 1; d >= 0; --d) {
    in_strides[d] = s;
    s *= in.dim(d);
  }
  for (int i = 0; i < r; ++i) {
    out_dims[i] = in.dim(perm[i]);
    strides[i] = in_strides[perm[i]];
  }
  ASSIGN_OR_RETURN(Tensor out, Tensor::Create(in.dtype(), Shape(out_dims)));
  const size_t es = DTypeSize(in.dtype());
  const char* src = static_cast<const char*>(in.raw_data());
  char* dst = static_cast<char*>(out.raw_data());
  std::vector<int64_t> idx(r, 0);
  int64_t off = 0;
  for (int64_t i = 0; i < out.NumElements(); ++i) {
    std::memcpy(dst + i * es, src + off * es, es);
    for (int d = r - 1; d >= 0; --d) {
      off += strides[d];
      if (++idx[d] < out_dims[d]) break;
      off -= strides[d] * out_dims[d];
      idx[d] = 0;
    }
  }
  return out;
}

class EinsumKernel : public OpKernel {
 public:
  EinsumKernel(std::vector<std::string> inputs, std::string output)
      : inputs_(std::move(inputs)), output_(std::move(output)) {}

  Status Compute(OpContext* ctx) override {
    if (ctx->num_inputs() != static_cast<int>(inputs_.size())) {
      return InvalidArgument("Einsum equation has ", inputs_.size(), " operands but got ", ctx->num_inputs(), " inputs");
    }
    // Label sizes, checked across operands.
    int64_t size[128];
    std::fill(std::begin(size), std::end(size), -1);
    for (size_t j = 0; j < inputs_.size(); ++j) {
      const Tensor& t = ctx->input(static_cast<int>(j));
      if (!MatMulSupports(t.dtype())) return cwise::UnsupportedDType(ctx, t.dtype());
      if (t.rank() != static_cast<int>(inputs_[j].size())) {
        return InvalidArgument("Einsum operand ", j, " has shape ", t.shape().ToString(), " but its subscripts are \"",
                               inputs_[j], "\"");
      }
      for (int d = 0; d < t.rank(); ++d) {
        int64_t& s = size[static_cast<unsigned char>(inputs_[j][d])];
        if (s != -1 && s != t.dim(d)) {
          return InvalidArgument("Einsum label '", inputs_[j][d], "' has sizes ", s, " and ", t.dim(d));
        }
        s = t.dim(d);
      }
    }
    if (inputs_.size() == 1) {  // pure permutation
      std::vector<int> perm;
      for (char c : output_) perm.push_back(static_cast<int>(inputs_[0].find(c)));
      ASSIGN_OR_RETURN(Tensor out, Permute(ctx->input(0), perm));
      ctx->set_output(0, out);
      return Status::OK();
    }
    const std::string& l = inputs_[0];
    const std::string& r = inputs_[1];
    std::string batch, lfree, rfree, contract;
    for (char c : l) {
      const bool in_r = r.find(c) != std::string::npos, in_o = output_.find(c) != std::string::npos;
      if (in_r && in_o) batch += c;
      else if (in_r) contract += c;
      else if (in_o) lfree += c;
    }
    for (char c : r) {
      if (l.find(c) == std::string::npos && output_.find(c) != std::string::npos) rfree += c;
    }
    auto index_of = [](const std::string& s, const std::string& labels) {
      std::vector<int> v;
      for (char c : labels) v.push_back(static_cast<int>(s.find(c)));
      return v;
    };
    auto prod = [&](const std::string& labels) {
      int64_t p = 1;
      for (char c : labels) p *= size[static_cast<unsigned char>(c)];
      return p;
    };
    std::vector<int> lperm = index_of(l, batch + lfree + contract);
    std::vector<int> rperm = index_of(r, batch + contract + rfree);
    ASSIGN_OR_RETURN(Tensor lt, Permute(ctx->input(0), lperm));
    ASSIGN_OR_RETURN(Tensor rt, Permute(ctx->input(1), rperm));
    const int64_t B = prod(batch), M = prod(lfree), K = prod(contract), N = prod(rfree);
    ASSIGN_OR_RETURN(Tensor l3, lt.Reshaped(Shape{B, M, K}));
    ASSIGN_OR_RETURN(Tensor r3, rt.Reshaped(Shape{B, K, N}));
    ASSIGN_OR_RETURN(Tensor prod_out, Tensor::Create(l3.dtype(), Shape{B, M, N}));
    RETURN_IF_ERROR(BatchedMatMul(l3, r3, false, false, false, ctx, &prod_out));
    // prod_out is [batch..., lfree..., rfree...]; permute into the output order.
    const std::string have = batch + lfree + rfree;
    std::vector<int64_t> have_dims;
    for (char c : have) have_dims.push_back(size[static_cast<unsigned char>(c)]);
    ASSIGN_OR_RETURN(Tensor full, prod_out.Reshaped(Shape(have_dims)));
    ASSIGN_OR_RETURN(Tensor out, Permute(full, index_of(have, output_)));
    ctx->set_output(0, out);
    return Status::OK();
  }

 private:
  const std::vector<std::string> inputs_;
  const std::string output_;
};

}  // namespace

StatusOr<std::unique_ptr<OpKernel>> CreateEinsum(const KernelInit& init) {
  ASSIGN_OR_RETURN(std::string eq, init.attrs.GetString("equation"));
  eq.erase(std::remove(eq.begin(), eq.end(), ' '), eq.end());
  const size_t arrow = eq.find("->");
  if (arrow == std::string::npos) return InvalidArgument("Einsum equation \"", eq, "\" has no '->'");
  if (eq.find("...") != std::string::npos) {
    return Unimplemented("Einsum with ellipsis is not supported: \"", eq, "\"");
  }
  std::string lhs = eq.substr(0, arrow), out = eq.substr(arrow + 2);
  std::vector<std::string> ins;
  for (size_t s = 0;;) {
    const size_t c = lhs.find(',', s);
    ins.push_back(lhs.substr(s, c == std::string::npos ? std::string::npos : c - s));
    if (c == std::string::npos) break;
    s = c + 1;
  }
  if (ins.size() > 2) return Unimplemented("Einsum with ", ins.size(), " operands: \"", eq, "\"");
  auto has_dup = [](const std::string& s) {
    for (size_t i = 0; i < s.size(); ++i)
      if (s.find(s[i], i + 1) != std::string::npos) return true;
    return false;
  };
  for (const auto& s : ins) {
    for (char c : s) {
      if (!std::isalpha(static_cast<unsigned char>(c))) return InvalidArgument("Einsum label '", c, "' in \"", eq, "\"");
    }
    if (has_dup(s)) return Unimplemented("Einsum with repeated labels (diagonals): \"", eq, "\"");
  }
  if (has_dup(out)) return InvalidArgument("Einsum output repeats a label: \"", eq, "\"");
  for (char c : out) {
    bool found = false;
    for (const auto& s : ins) found |= s.find(c) != std::string::npos;
    if (!found) return InvalidArgument("Einsum output label '", c, "' is not in any input: \"", eq, "\"");
  }
  // Labels summed out of just one operand need a reduction first; not supported.
  for (size_t j = 0; j < ins.size(); ++j) {
    for (char c : ins[j]) {
      bool elsewhere = out.find(c) != std::string::npos;
      for (size_t o = 0; o < ins.size(); ++o) elsewhere |= o != j && ins[o].find(c) != std::string::npos;
      if (!elsewhere) return Unimplemented("Einsum label '", c, "' summed within one operand: \"", eq, "\"");
    }
  }
  return std::unique_ptr<OpKernel>(new EinsumKernel(std::move(ins), std::move(out)));
}

}  // namespace stfs::kernels
