#include "kernels/example_parser.h"

#include <algorithm>
#include <cstring>
#include <string_view>
#include <unordered_map>

#include "kernels/array_util.h"
#include "kernels/wire_reader.h"

namespace stfs::kernels {
namespace {

// Feature oneof field numbers double as kinds; kUnseen = key not in the example.
enum Kind : int8_t { kUnseen = -1, kEmpty = 0, kBytes = 1, kFloat = 2, kInt64 = 3 };

struct FeatureView {
  int8_t kind = kUnseen;
  std::string_view list;  // BytesList / FloatList / Int64List message
};

Kind KindOf(DType dt) {
  switch (dt) {
    case DType::kString: return kBytes;
    case DType::kFloat: return kFloat;
    case DType::kInt64: return kInt64;
    default: return kEmpty;
  }
}

std::string_view KindName(int kind) {
  switch (kind) {
    case kBytes: return "bytes_list";
    case kFloat: return "float_list";
    case kInt64: return "int64_list";
    default: return "no value";
  }
}

bool ParseFeature(std::string_view bytes, FeatureView* out) {
  wire::Reader r(bytes);
  out->kind = kEmpty;
  out->list = {};
  while (!r.AtEnd()) {
    uint32_t field;
    int wt;
    if (!r.ReadTag(&field, &wt)) return false;
    if (field >= 1 && field <= 3 && wt == wire::kLengthDelimited) {
      if (!r.ReadBytes(&out->list)) return false;
      out->kind = static_cast<int8_t>(field);  // oneof: the last one wins
    } else if (!r.Skip(wt)) {
      return false;
    }
  }
  return true;
}

// Feature key -> config index. Few keys (the common case) use a linear scan,
// which beats hashing every key of every example.
class KeyIndex {
 public:
  void Add(std::string_view key, int index) {
    if (list_.size() < kLinearMax) {
      list_.emplace_back(key, index);
      return;
    }
    if (map_.empty()) map_.insert(list_.begin(), list_.end());
    map_.emplace(key, index);
  }
  int Find(std::string_view key) const {
    if (map_.empty()) {
      for (const auto& [k, i] : list_) {
        if (k.size() == key.size() && std::memcmp(k.data(), key.data(), k.size()) == 0) return i;
      }
      return -1;
    }
    auto it = map_.find(key);
    return it == map_.end() ? -1 : it->second;
  }

 private:
  static constexpr size_t kLinearMax = 8;
  std::vector<std::pair<std::string_view, int>> list_;
  std::unordered_map<std::string_view, int> map_;
};

// Records the features of one Example that the config asks for.
bool ScanExample(std::string_view example, const KeyIndex& index, FeatureView* views) {
  wire::Reader r(example);
  while (!r.AtEnd()) {
    uint32_t field;
    int wt;
    if (!r.ReadTag(&field, &wt)) return false;
    if (field != 1 || wt != wire::kLengthDelimited) {
      if (!r.Skip(wt)) return false;
      continue;
    }
    std::string_view features;
    if (!r.ReadBytes(&features)) return false;
    wire::Reader fr(features);
    while (!fr.AtEnd()) {
      if (!fr.ReadTag(&field, &wt)) return false;
      if (field != 1 || wt != wire::kLengthDelimited) {
        if (!fr.Skip(wt)) return false;
        continue;
      }
      std::string_view entry, key, value;
      if (!fr.ReadBytes(&entry)) return false;
      wire::Reader er(entry);
      while (!er.AtEnd()) {
        if (!er.ReadTag(&field, &wt)) return false;
        if (field == 1 && wt == wire::kLengthDelimited) {
          if (!er.ReadBytes(&key)) return false;
        } else if (field == 2 && wt == wire::kLengthDelimited) {
          if (!er.ReadBytes(&value)) return false;
        } else if (!er.Skip(wt)) {
          return false;
        }
      }
      const int found = index.Find(key);
      if (found < 0) continue;
      FeatureView& v = views[found];
      if (v.kind != kUnseen) continue;  // first occurrence wins (TF fast path)
      if (!ParseFeature(value, &v)) return false;
    }
  }
  return true;
}

// Number of values in a list message; -1 if malformed.
int64_t CountValues(const FeatureView& v) {
  wire::Reader r(v.list);
  int64_t n = 0;
  while (!r.AtEnd()) {
    uint32_t field;
    int wt;
    if (!r.ReadTag(&field, &wt)) return -1;
    if (field != 1) {
      if (!r.Skip(wt)) return -1;
      continue;
    }
    std::string_view packed;
    if (v.kind == kBytes) {
      if (wt != wire::kLengthDelimited || !r.ReadBytes(&packed)) return -1;
      ++n;
    } else if (v.kind == kFloat) {
      if (wt == wire::kFixed32) {
        if (!r.Skip(wt)) return -1;
        ++n;
      } else if (wt == wire::kLengthDelimited) {
        if (!r.ReadBytes(&packed) || packed.size() % 4 != 0) return -1;
        n += static_cast<int64_t>(packed.size() / 4);
      } else {
        return -1;
      }
    } else {  // int64
      if (wt == wire::kVarint) {
        if (!r.Skip(wt)) return -1;
        ++n;
      } else if (wt == wire::kLengthDelimited) {
        if (!r.ReadBytes(&packed)) return -1;
        if (!packed.empty() && (static_cast<uint8_t>(packed.back()) & 0x80)) return -1;
        for (char c : packed) n += !(static_cast<uint8_t>(c) & 0x80);
      } else {
        return -1;
      }
    }
  }
  return n;
}

// Writes the (already counted and validated) values to out[pos...].
void DecodeValues(const FeatureView& v, Tensor* out, int64_t pos) {
  wire::Reader r(v.list);
  uint32_t field;
  int wt;
  while (!r.AtEnd() && r.ReadTag(&field, &wt)) {
    if (field != 1) {
      r.Skip(wt);
      continue;
    }
    std::string_view bytes;
    uint64_t u = 0;
    uint32_t f32 = 0;
    if (v.kind == kBytes) {
      r.ReadBytes(&bytes);
      out->data<std::string>()[pos++].assign(bytes.data(), bytes.size());
    } else if (v.kind == kFloat) {
      float* dst = out->data<float>();
      if (wt == wire::kFixed32) {
        r.ReadFixed32(&f32);
        std::memcpy(dst + pos++, &f32, 4);
      } else {
        r.ReadBytes(&bytes);
        std::memcpy(dst + pos, bytes.data(), bytes.size());
        pos += static_cast<int64_t>(bytes.size() / 4);
      }
    } else {
      int64_t* dst = out->data<int64_t>();
      if (wt == wire::kVarint) {
        r.ReadVarint(&u);
        dst[pos++] = static_cast<int64_t>(u);
      } else {
        r.ReadBytes(&bytes);
        wire::Reader pr(bytes);
        while (!pr.AtEnd() && pr.ReadVarint(&u)) dst[pos++] = static_cast<int64_t>(u);
      }
    }
  }
}

struct Context {
  std::span<const std::string> names;
  std::string_view Name(int64_t b) const {
    return b < static_cast<int64_t>(names.size()) && !names[b].empty() ? std::string_view(names[b])
                                                                          : "<unknown>";
  }
};

// Counts values of feature view v for key/dtype, checking the kind.
StatusOr<int64_t> CheckedCount(const Context& c, int64_t b, const std::string& key, DType dtype,
                               const FeatureView& v) {
  if (v.kind <= kEmpty) return int64_t{0};
  if (v.kind != KindOf(dtype)) {
    return InvalidArgument("Name: ", c.Name(b), ", Key: ", key, ", Index: ", b,
                           ".  Data types don't match: feature '", key, "' has ", KindName(v.kind),
                           " but ", DTypeName(dtype), " was expected");
  }
  const int64_t n = CountValues(v);
  if (n < 0) {
    return InvalidArgument("Name: ", c.Name(b), ", Key: ", key, ", Index: ", b,
                           ".  Could not parse the ", KindName(v.kind), " of feature '", key, "'");
  }
  return n;
}

}  // namespace

Status ValidateParseConfig(ParseConfig* config) {
  auto check_type = [](DType dt, const std::string& key) -> Status {
    if (KindOf(dt) == kEmpty) {
      return InvalidArgument("feature '", key, "' has unsupported dtype ", DTypeName(dt),
                             " (expected float, int64 or string)");
    }
    return Status::OK();
  };
  for (const auto& s : config->sparse) RETURN_IF_ERROR(check_type(s.dtype, s.key));
  for (const auto& r : config->ragged) {
    RETURN_IF_ERROR(check_type(r.dtype, r.key));
    if (r.split_dtype != DType::kInt32 && r.split_dtype != DType::kInt64) {
      return InvalidArgument("ragged feature '", r.key, "' has row_splits dtype ",
                             DTypeName(r.split_dtype), " (expected int32 or int64)");
    }
  }
  for (auto& d : config->dense) {
    RETURN_IF_ERROR(check_type(d.dtype, d.key));
    if (d.shape.unknown_rank()) {
      return InvalidArgument("dense feature '", d.key, "' has a shape of unknown rank");
    }
    const auto& dims = d.shape.dims();
    d.variable_length = !dims.empty() && dims[0] == -1;
    d.elem_dims.assign(dims.begin() + (d.variable_length ? 1 : 0), dims.end());
    d.row_elems = 1;
    for (int64_t x : d.elem_dims) {
      if (x < 0) {
        return InvalidArgument("dense feature '", d.key, "': all dimensions of dense shape ",
                               d.shape.ToString(), " except the first must be known");
      }
      if (x > 0 && d.row_elems > kMaxTensorElements / x) {
        return InvalidArgument("dense feature '", d.key, "' shape ", d.shape.ToString(), " is too large");
      }
      d.row_elems *= x;
    }
    if (d.default_value.IsInitialized() && d.default_value.dtype() != d.dtype) {
      return InvalidArgument("dense feature '", d.key, "' default has dtype ",
                             DTypeName(d.default_value.dtype()), " but ", DTypeName(d.dtype),
                             " was expected");
    }
    const int64_t n = d.default_value.IsInitialized() ? d.default_value.NumElements() : 0;
    if (d.variable_length) {
      if (n != 1) {
        return InvalidArgument("dense feature '", d.key, "' is variable length (shape ",
                               d.shape.ToString(), "), so its default must contain a single element "
                               "(the padding element), got ", d.default_value.DTypeShapeString());
      }
    } else if (n != 0 && n != d.row_elems) {
      return InvalidArgument("dense feature '", d.key, "' default ", d.default_value.DTypeShapeString(),
                             " does not match dense shape ", d.shape.ToString());
    }
  }
  return Status::OK();
}

Status ParseExamples(const ParseConfig& config, std::span<const std::string> serialized,
                     std::span<const std::string> names, bool scalar, ParseResult* result) {
  const int64_t batch = static_cast<int64_t>(serialized.size());
  const int ns = static_cast<int>(config.sparse.size());
  const int nd = static_cast<int>(config.dense.size());
  const int nr = static_cast<int>(config.ragged.size());
  const int nf = ns + nd + nr;
  KeyIndex index;
  for (int i = 0; i < ns; ++i) index.Add(config.sparse[i].key, i);
  for (int i = 0; i < nd; ++i) index.Add(config.dense[i].key, ns + i);
  for (int i = 0; i < nr; ++i) index.Add(config.ragged[i].key, ns + nd + i);

  Context ctx{names};
  std::vector<FeatureView> views(static_cast<size_t>(batch) * nf);
  for (int64_t b = 0; b < batch; ++b) {
    if (!ScanExample(serialized[b], index, views.data() + b * nf)) {
      return InvalidArgument("Could not parse example input (index ", b, ", name ", ctx.Name(b),
                             "): not a valid serialized tf.Example (", serialized[b].size(), " bytes)");
    }
  }
  auto view = [&](int64_t b, int f) -> const FeatureView& { return views[b * nf + f]; };
  std::vector<int64_t> counts(batch);

  // Dense.
  result->dense_values.clear();
  for (int d = 0; d < nd; ++d) {
    const DenseFeatureSpec& spec = config.dense[d];
    const int f = ns + d;
    int64_t rows = 0;  // variable length: max rows over the batch
    for (int64_t b = 0; b < batch; ++b) {
      ASSIGN_OR_RETURN(counts[b], CheckedCount(ctx, b, spec.key, spec.dtype, view(b, f)));
      if (spec.variable_length) {
        if (spec.row_elems == 0 ? counts[b] != 0 : counts[b] % spec.row_elems != 0) {
          return InvalidArgument("Name: ", ctx.Name(b), ", Key: ", spec.key, ", Index: ", b,
                                 ".  Number of ", DTypeName(spec.dtype), " values is not a multiple of stride length. Saw ",
                                 counts[b], " values but output shape is: ", spec.shape.ToString());
        }
        if (spec.row_elems > 0) rows = std::max(rows, counts[b] / spec.row_elems);
      } else if (view(b, f).kind > kEmpty && counts[b] != spec.row_elems) {
        return InvalidArgument("Name: ", ctx.Name(b), ", Key: ", spec.key, ", Index: ", b,
                               ".  Number of ", DTypeName(spec.dtype), " values != expected.  Values size: ",
                               counts[b], " but output shape: ", spec.shape.ToString());
      } else if (view(b, f).kind <= kEmpty && spec.default_value.NumElements() == 0) {
        return InvalidArgument("Name: ", ctx.Name(b), ", Feature: ", spec.key, " (data type: ",
                               DTypeName(spec.dtype), ") is required but could not be found (example index ",
                               b, ").");
      }
    }
    std::vector<int64_t> dims;
    if (!scalar) dims.push_back(batch);
    if (spec.variable_length) dims.push_back(rows);
    dims.insert(dims.end(), spec.elem_dims.begin(), spec.elem_dims.end());
    ASSIGN_OR_RETURN(Shape shape, Shape::Create(dims));
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(spec.dtype, std::move(shape)));
    const int64_t stride = spec.variable_length ? rows * spec.row_elems : spec.row_elems;
    for (int64_t b = 0; b < batch; ++b) {
      const FeatureView& v = view(b, f);
      int64_t filled = 0;
      if (v.kind > kEmpty) {
        DecodeValues(v, &out, b * stride);
        filled = counts[b];
      } else if (!spec.variable_length) {
        CopyElements(spec.default_value, 0, &out, b * stride, stride);
        filled = stride;
      }
      for (int64_t i = filled; i < stride; ++i) CopyElements(spec.default_value, 0, &out, b * stride + i, 1);
    }
    result->dense_values.push_back(std::move(out));
  }

  // Sparse.
  result->sparse_indices.clear();
  result->sparse_values.clear();
  result->sparse_shapes.clear();
  for (int s = 0; s < ns; ++s) {
    const SparseFeatureSpec& spec = config.sparse[s];
    int64_t total = 0, max_len = 0;
    for (int64_t b = 0; b < batch; ++b) {
      ASSIGN_OR_RETURN(counts[b], CheckedCount(ctx, b, spec.key, spec.dtype, view(b, s)));
      total += counts[b];
      max_len = std::max(max_len, counts[b]);
    }
    const int64_t cols = scalar ? 1 : 2;
    ASSIGN_OR_RETURN(Tensor indices, Tensor::Create(DType::kInt64, Shape{total, cols}));
    ASSIGN_OR_RETURN(Tensor values, Tensor::Create(spec.dtype, Shape{total}));
    int64_t* ind = indices.data<int64_t>();
    int64_t pos = 0;
    for (int64_t b = 0; b < batch; ++b) {
      if (counts[b] == 0) continue;
      DecodeValues(view(b, s), &values, pos);
      for (int64_t j = 0; j < counts[b]; ++j) {
        if (!scalar) *ind++ = b;
        *ind++ = j;
      }
      pos += counts[b];
    }
    Tensor shape = scalar ? Tensor::FromVector<int64_t>({max_len}) : Tensor::FromVector<int64_t>({batch, max_len});
    result->sparse_indices.push_back(std::move(indices));
    result->sparse_values.push_back(std::move(values));
    result->sparse_shapes.push_back(std::move(shape));
  }

  // Ragged.
  result->ragged_values.clear();
  result->ragged_splits.clear();
  for (int q = 0; q < nr; ++q) {
    const RaggedFeatureSpec& spec = config.ragged[q];
    const int f = ns + nd + q;
    int64_t total = 0;
    for (int64_t b = 0; b < batch; ++b) {
      ASSIGN_OR_RETURN(counts[b], CheckedCount(ctx, b, spec.key, spec.dtype, view(b, f)));
      total += counts[b];
    }
    ASSIGN_OR_RETURN(Tensor values, Tensor::Create(spec.dtype, Shape{total}));
    ASSIGN_OR_RETURN(Tensor splits, Tensor::Create(spec.split_dtype, Shape{batch + 1}));
    int64_t pos = 0;
    for (int64_t b = 0; b <= batch; ++b) {
      if (spec.split_dtype == DType::kInt32) {
        splits.data<int32_t>()[b] = static_cast<int32_t>(pos);
      } else {
        splits.data<int64_t>()[b] = pos;
      }
      if (b == batch) break;
      if (counts[b] > 0) DecodeValues(view(b, f), &values, pos);
      pos += counts[b];
    }
    result->ragged_values.push_back(std::move(values));
    result->ragged_splits.push_back(std::move(splits));
  }
  return Status::OK();
}

}  // namespace stfs::kernels
