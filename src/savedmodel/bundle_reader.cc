#include "savedmodel/bundle_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>

#include "proto/tensor_bundle.pb.h"
#include "savedmodel/coding.h"
#include "savedmodel/crc32c.h"
#include "savedmodel/file_util.h"
#include "savedmodel/table_reader.h"
#include "tensor/tensor_proto.h"

namespace stfs {
namespace {

constexpr uint64_t kMaxIndexFileBytes = uint64_t{256} << 20;
constexpr int kMaxShards = 100000;       // the %05d file-name format
constexpr size_t kMaxSlicesPerTensor = 100000;
constexpr int kBundleVersion = 1;        // what this reader implements

std::string Hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "0x%08x", v);
  return buf;
}

// Printable form of a key for messages (slice keys are binary).
std::string KeyForMessage(const std::string& key) {
  if (!key.empty() && key[0] == '\0') {
    std::string name;
    TensorSlice slice;
    if (DecodeTensorNameSlice(key, &name, &slice).ok()) {
      return StrCat(name, " (slice ", SliceToString(slice), ")");
    }
    return "<binary slice key>";
  }
  return key;
}

void ByteSwapElements(char* data, size_t bytes, size_t width) {
  if (width <= 1) return;
  for (size_t i = 0; i + width <= bytes; i += width) std::reverse(data + i, data + i + width);
}

int64_t NumElements(const TensorSlice& resolved) {
  int64_t n = 1;
  for (const SliceExtent& e : resolved) n *= e.length;
  return n;
}

}  // namespace

std::string BundleDataFileName(const std::string& prefix, int shard, int num_shards) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), ".data-%05d-of-%05d", shard, num_shards);
  return prefix + buf;
}

BundleReader::~BundleReader() {
  for (Shard& s : shards_) {
    if (s.fd >= 0) ::close(s.fd);
  }
}

StatusOr<std::unique_ptr<BundleReader>> BundleReader::Open(const std::string& prefix) {
  std::unique_ptr<BundleReader> r(new BundleReader());
  r->prefix_ = prefix;
  const std::string index_path = prefix + ".index";
  ASSIGN_OR_RETURN(std::string contents, ReadFileToString(index_path, kMaxIndexFileBytes));
  RETURN_IF_ERROR(r->ParseIndex(index_path, contents));
  RETURN_IF_ERROR(r->OpenShards());
  return r;
}

Status BundleReader::ParseIndex(const std::string& index_path, std::string_view contents) {
  ASSIGN_OR_RETURN(std::vector<TableEntry> table, ParseTable(contents, index_path));
  if (table.empty() || !table[0].key.empty()) {
    return DataLoss(index_path, ": the bundle header entry (empty key) is missing");
  }
  tensorflow::BundleHeaderProto header;
  if (!header.ParseFromString(table[0].value)) {
    return DataLoss(index_path, ": the bundle header is not a valid BundleHeaderProto");
  }
  if (header.num_shards() < 1 || header.num_shards() > kMaxShards) {
    return DataLoss(index_path, ": the bundle header has num_shards ", header.num_shards());
  }
  num_shards_ = header.num_shards();
  big_endian_ = header.endianness() == tensorflow::BundleHeaderProto::BIG;
  const auto& v = header.version();
  if (v.producer() < 0) return DataLoss(index_path, ": bad bundle producer version ", v.producer());
  if (v.min_consumer() > kBundleVersion) {
    return FailedPrecondition(index_path, ": the bundle needs a reader of version >= ", v.min_consumer(),
                              " (this reader implements ", kBundleVersion, ")");
  }
  for (int bad : v.bad_consumers()) {
    if (bad == kBundleVersion) {
      return FailedPrecondition(index_path, ": the bundle disallows reader version ", kBundleVersion);
    }
  }

  for (size_t i = 1; i < table.size(); ++i) {
    const std::string& key = table[i].key;
    const std::string where = StrCat(index_path, ": key '", KeyForMessage(key), "'");
    tensorflow::BundleEntryProto p;
    if (!p.ParseFromString(table[i].value)) return DataLoss(where, ": entry is not a valid BundleEntryProto");
    BundleEntryInfo e;
    e.key = key;
    const int raw_dtype = static_cast<int>(p.dtype());
    if (raw_dtype <= 0 || raw_dtype >= kDTypeCount) {
      return DataLoss(where, ": unsupported dtype ", raw_dtype);
    }
    e.dtype = static_cast<DType>(raw_dtype);
    auto shape = ShapeFromProto(p.shape());
    if (!shape.ok()) return DataLoss(where, ": bad shape: ", shape.status().message());
    e.shape = std::move(shape).value();
    e.shard_id = p.shard_id();
    e.offset = p.offset();
    e.size = p.size();
    e.crc32c = p.crc32c();
    if (p.slices_size() > 0) {
      if (static_cast<size_t>(p.slices_size()) > kMaxSlicesPerTensor) {
        return DataLoss(where, ": ", p.slices_size(), " slices");
      }
      e.sliced = true;
      std::vector<TensorSlice> resolved;
      for (const auto& sp : p.slices()) {
        TensorSlice s = SliceFromProto(sp);
        auto ss = SliceShape(s, e.shape);
        if (!ss.ok()) return DataLoss(where, ": bad slice: ", ss.status().message());
        TensorSlice rs = ResolveSlice(s, e.shape);
        TensorSlice overlap;
        for (const TensorSlice& other : resolved) {
          if (NumElements(rs) > 0 && IntersectSlices(rs, other, &overlap)) {
            return DataLoss(where, ": slices ", SliceToString(rs), " and ", SliceToString(other), " overlap");
          }
        }
        resolved.push_back(std::move(rs));
        e.slices.push_back(std::move(s));
      }
    } else {
      if (e.shard_id < 0 || e.shard_id >= num_shards_) {
        return DataLoss(where, ": shard_id ", e.shard_id, " is not in [0, ", num_shards_, ")");
      }
      if (e.offset < 0 || e.size < 0) {
        return DataLoss(where, ": negative offset ", e.offset, " or size ", e.size);
      }
      if (e.dtype == DType::kResource) return DataLoss(where, ": DT_RESOURCE cannot be stored in a bundle");
    }
    entries_.emplace(key, std::move(e));
  }
  // Slice entries referenced by partitioned tensors must exist.
  for (const auto& [key, e] : entries_) {
    for (const TensorSlice& s : e.slices) {
      auto it = entries_.find(EncodeTensorNameSlice(key, s));
      if (it == entries_.end()) {
        return DataLoss(index_path, ": key '", key, "': the entry for slice ", SliceToString(s), " is missing");
      }
      auto want = SliceShape(s, e.shape);
      if (it->second.sliced || it->second.dtype != e.dtype || !want.ok() || it->second.shape != *want) {
        return DataLoss(index_path, ": key '", key, "': the entry for slice ", SliceToString(s),
                        " has dtype ", DTypeName(it->second.dtype), " shape ", it->second.shape.ToString(),
                        ", expected ", DTypeName(e.dtype), " ", want.ok() ? want->ToString() : "?");
      }
    }
  }
  return Status::OK();
}

Status BundleReader::OpenShards() {
  std::set<int> used;
  for (const auto& [key, e] : entries_) {
    if (!e.sliced) used.insert(e.shard_id);
  }
  shards_.resize(num_shards_);
  for (int i = 0; i < num_shards_; ++i) shards_[i].path = BundleDataFileName(prefix_, i, num_shards_);
  for (int i : used) {
    Shard& s = shards_[i];
    s.fd = ::open(s.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (s.fd < 0) {
      if (errno == ENOENT) return NotFound(s.path, ": data file of the bundle is missing");
      return Unavailable(s.path, ": cannot open: ", std::strerror(errno));
    }
    struct stat st;
    if (::fstat(s.fd, &st) != 0 || !S_ISREG(st.st_mode)) return DataLoss(s.path, ": not a regular file");
    s.size = static_cast<uint64_t>(st.st_size);
  }
  for (const auto& [key, e] : entries_) {
    if (e.sliced) continue;
    const Shard& s = shards_[e.shard_id];
    if (static_cast<uint64_t>(e.size) > s.size || static_cast<uint64_t>(e.offset) > s.size - e.size) {
      return DataLoss(s.path, ": key '", KeyForMessage(key), "': data at offset ", e.offset, " size ", e.size,
                      " extends past the end of the ", s.size, "-byte file");
    }
  }
  return Status::OK();
}

std::vector<std::string> BundleReader::Keys() const {
  std::vector<std::string> keys;
  for (const auto& [key, e] : entries_) {
    if (!key.empty() && key[0] != '\0') keys.push_back(key);
  }
  return keys;
}

bool BundleReader::Contains(const std::string& key) const {
  return !key.empty() && key[0] != '\0' && entries_.count(key) > 0;
}

StatusOr<BundleEntryInfo> BundleReader::Entry(const std::string& key) const {
  auto it = entries_.find(key);
  if (it == entries_.end() || key.empty()) {
    return NotFound("key '", key, "' not found in checkpoint ", prefix_);
  }
  return it->second;
}

Status BundleReader::PRead(const Shard& shard, uint64_t offset, uint64_t n, char* out,
                           const std::string& key) const {
  uint64_t done = 0;
  while (done < n) {
    ssize_t got = ::pread(shard.fd, out + done, n - done, static_cast<off_t>(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      return DataLoss(shard.path, ": key '", KeyForMessage(key), "': read at offset ", offset + done,
                      got < 0 ? " failed: " : " hit end of file", got < 0 ? std::strerror(errno) : "");
    }
    done += static_cast<uint64_t>(got);
  }
  return Status::OK();
}

StatusOr<Tensor> BundleReader::ReadStringData(const BundleEntryInfo& e, const Shard& shard) const {
  const int64_t n = e.shape.num_elements();
  const std::string where = StrCat(shard.path, ": key '", KeyForMessage(e.key), "' at offset ", e.offset);
  if (e.size == 0 && n == 0) return Tensor::Create(DType::kString, e.shape);
  // Every element needs at least a one-byte length, plus the 4-byte checksum.
  if (e.size < 4 || n > e.size - 4) {
    return DataLoss(where, ": ", e.size, " bytes cannot hold ", n, " strings");
  }
  std::string buf(static_cast<size_t>(e.size), '\0');
  RETURN_IF_ERROR(PRead(shard, e.offset, buf.size(), buf.data(), e.key));
  ASSIGN_OR_RETURN(Tensor t, Tensor::Create(DType::kString, e.shape));
  const char* p = buf.data();
  const char* end = p + buf.size();
  std::vector<uint64_t> lengths(static_cast<size_t>(n));
  uint32_t crc = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (!coding::GetVarint64(&p, end, &lengths[i])) {
      return DataLoss(where, ": truncated length of string ", i);
    }
    // The checksum covers each length as a uint32 (uint64 when larger), in the
    // writer's byte order.
    if (lengths[i] <= UINT32_MAX) {
      uint32_t l = static_cast<uint32_t>(lengths[i]);
      if (big_endian_) l = __builtin_bswap32(l);
      crc = crc32c::Extend(crc, &l, sizeof(l));
    } else {
      uint64_t l = big_endian_ ? __builtin_bswap64(lengths[i]) : lengths[i];
      crc = crc32c::Extend(crc, &l, sizeof(l));
    }
  }
  if (end - p < 4) return DataLoss(where, ": missing the length checksum");
  uint32_t stored = coding::DecodeFixed32(p);
  if (big_endian_) stored = __builtin_bswap32(stored);
  if (crc32c::Unmask(stored) != crc) {
    return DataLoss(where, ": string length checksum mismatch (stored ", Hex32(crc32c::Unmask(stored)),
                    ", computed ", Hex32(crc), ")");
  }
  crc = crc32c::Extend(crc, p, 4);
  p += 4;
  std::string* out = t.data<std::string>();
  for (int64_t i = 0; i < n; ++i) {
    if (lengths[i] > static_cast<uint64_t>(end - p)) {
      return DataLoss(where, ": string ", i, " of ", lengths[i], " bytes runs past the entry's ", e.size, " bytes");
    }
    out[i].assign(p, lengths[i]);
    crc = crc32c::Extend(crc, p, lengths[i]);
    p += lengths[i];
  }
  if (crc32c::Unmask(e.crc32c) != crc) {
    return DataLoss(where, ": crc mismatch (stored ", Hex32(crc32c::Unmask(e.crc32c)), ", computed ",
                    Hex32(crc), ")");
  }
  return t;
}

StatusOr<Tensor> BundleReader::ReadData(const BundleEntryInfo& e) const {
  const Shard& shard = shards_[e.shard_id];
  if (e.dtype == DType::kString) return ReadStringData(e, shard);
  const std::string where = StrCat(shard.path, ": key '", KeyForMessage(e.key), "' at offset ", e.offset);
  if (!DTypeIsPod(e.dtype)) {
    return Unimplemented(where, ": reading ", DTypeName(e.dtype), " tensors from a checkpoint is not supported");
  }
  const int64_t n = e.shape.num_elements();
  const uint64_t expected = static_cast<uint64_t>(n) * DTypeSize(e.dtype);
  if (static_cast<uint64_t>(e.size) != expected) {
    return DataLoss(where, ": entry has ", e.size, " bytes but ", DTypeName(e.dtype), e.shape.ToString(),
                    " needs ", expected);
  }
  // The allocation is bounded by the shard size, checked at Open.
  ASSIGN_OR_RETURN(Tensor t, Tensor::Create(e.dtype, e.shape));
  char* data = static_cast<char*>(t.raw_data());
  RETURN_IF_ERROR(PRead(shard, e.offset, expected, data, e.key));
  const uint32_t crc = crc32c::Value(data, expected);
  if (crc32c::Unmask(e.crc32c) != crc) {
    return DataLoss(where, ": crc mismatch (stored ", Hex32(crc32c::Unmask(e.crc32c)), ", computed ", Hex32(crc),
                    ")");
  }
  if (big_endian_) {
    const size_t width = DTypeIsComplex(e.dtype) ? DTypeSize(e.dtype) / 2 : DTypeSize(e.dtype);
    ByteSwapElements(data, expected, width);
  }
  if (e.dtype == DType::kBool) {
    for (uint64_t i = 0; i < expected; ++i) data[i] = data[i] != 0;  // only 0/1 are valid bools
  }
  return t;
}

StatusOr<Tensor> BundleReader::ReadRegion(const BundleEntryInfo& e, const TensorSlice& want) const {
  std::vector<int64_t> dims;
  for (const SliceExtent& x : want) dims.push_back(x.length);
  const Shape want_shape(dims);
  const TensorSlice full = ResolveSlice(TensorSlice(e.shape.rank()), e.shape);
  if (!e.sliced) {
    ASSIGN_OR_RETURN(Tensor whole, ReadData(e));
    if (want == full) return whole;
    ASSIGN_OR_RETURN(Tensor out, Tensor::Create(e.dtype, want_shape));
    RETURN_IF_ERROR(CopySliceRegion(whole, full, &out, want, want));
    return out;
  }
  ASSIGN_OR_RETURN(Tensor out, Tensor::Create(e.dtype, want_shape));
  int64_t covered = 0;
  for (const TensorSlice& s : e.slices) {
    const TensorSlice rs = ResolveSlice(s, e.shape);
    TensorSlice overlap;
    if (!IntersectSlices(rs, want, &overlap)) continue;
    const BundleEntryInfo& part = entries_.at(EncodeTensorNameSlice(e.key, s));
    ASSIGN_OR_RETURN(Tensor data, ReadData(part));
    RETURN_IF_ERROR(CopySliceRegion(data, rs, &out, want, overlap));
    covered += NumElements(overlap);
  }
  if (covered != want_shape.num_elements()) {
    return NotFound(prefix_, ": key '", e.key, "': the stored slices do not cover the requested slice ",
                    SliceToString(want));
  }
  return out;
}

StatusOr<Tensor> BundleReader::Read(const std::string& key) const {
  ASSIGN_OR_RETURN(BundleEntryInfo e, Entry(key));
  if (!e.sliced) return ReadData(e);
  return ReadRegion(e, ResolveSlice(TensorSlice(e.shape.rank()), e.shape));
}

StatusOr<Tensor> BundleReader::ReadSlice(const std::string& key, const std::string& shape_and_slice) const {
  if (shape_and_slice.empty()) return Read(key);
  ASSIGN_OR_RETURN(BundleEntryInfo e, Entry(key));
  Shape full;
  TensorSlice slice;
  RETURN_IF_ERROR(ParseShapeAndSlice(shape_and_slice, &full, &slice));
  if (full != e.shape) {
    return InvalidArgument("key '", key, "': shape_and_slice '", shape_and_slice, "' gives shape ",
                           full.ToString(), " but the checkpoint ", prefix_, " stores ", e.shape.ToString());
  }
  return ReadRegion(e, ResolveSlice(slice, e.shape));
}

Status BundleReader::VerifyAll() const {
  for (const auto& [key, e] : entries_) {
    if (e.sliced) continue;  // slice entries are checked on their own
    auto t = ReadData(e);
    if (!t.ok() && t.status().code() != Code::kUnimplemented) return t.status();
  }
  for (const auto& [key, e] : entries_) {
    if (!e.sliced) continue;
    auto t = Read(key);  // checks coverage
    if (!t.ok()) return t.status();
  }
  return Status::OK();
}

}  // namespace stfs
