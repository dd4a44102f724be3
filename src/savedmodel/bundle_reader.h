// Reader for TensorFlow tensor bundles (V2 checkpoints), the `variables/`
// folder of a SavedModel: `<prefix>.index` (a LevelDB table mapping tensor
// names to BundleEntryProto, plus the BundleHeaderProto under the empty key)
// and data shards `<prefix>.data-%05d-of-%05d`.
//
// Open() decodes and validates the whole index (block CRCs, header version,
// entry dtypes/shapes, slices, data ranges within the shard files) and keeps
// the shard files open. Reads verify the entry's CRC32C; string tensors also
// their length checksum. Partitioned variables (entries with `slices`) are
// assembled from their per-slice entries.
//
// Thread safety: after Open, all methods are const and safe to call
// concurrently (data is read with pread).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "savedmodel/tensor_slice.h"
#include "tensor/tensor.h"

namespace stfs {

struct BundleEntryInfo {
  std::string key;
  DType dtype = DType::kInvalid;
  Shape shape;
  // Partitioned variable: the data lives in per-slice entries (`slices`).
  bool sliced = false;
  std::vector<TensorSlice> slices;
  int shard_id = 0;
  int64_t offset = 0;
  int64_t size = 0;        // bytes in the data shard
  uint32_t crc32c = 0;     // masked CRC32C as stored
};

class BundleReader {
 public:
  // `prefix` is e.g. "<export_dir>/variables/variables".
  static StatusOr<std::unique_ptr<BundleReader>> Open(const std::string& prefix);
  ~BundleReader();
  BundleReader(const BundleReader&) = delete;
  BundleReader& operator=(const BundleReader&) = delete;

  const std::string& prefix() const { return prefix_; }
  int num_shards() const { return num_shards_; }

  // Tensor names, sorted; excludes the header and per-slice entries.
  std::vector<std::string> Keys() const;
  bool Contains(const std::string& key) const;
  StatusOr<BundleEntryInfo> Entry(const std::string& key) const;

  // The whole tensor (assembled from slices if partitioned).
  StatusOr<Tensor> Read(const std::string& key) const;
  // A slice in RestoreV2's "d0 d1 ... slice" syntax ("1000 1 0,1000:0,1");
  // "" = the whole tensor. The spec's shape must equal the stored shape.
  StatusOr<Tensor> ReadSlice(const std::string& key, const std::string& shape_and_slice) const;

  // Reads every entry, checking all CRCs and slice coverage.
  Status VerifyAll() const;

 private:
  struct Shard {
    std::string path;
    int fd = -1;
    uint64_t size = 0;
  };
  BundleReader() = default;

  Status ParseIndex(const std::string& index_path, std::string_view contents);
  Status OpenShards();
  StatusOr<Tensor> ReadData(const BundleEntryInfo& e) const;
  StatusOr<Tensor> ReadStringData(const BundleEntryInfo& e, const Shard& shard) const;
  // `want` is resolved (concrete extents) against e.shape.
  StatusOr<Tensor> ReadRegion(const BundleEntryInfo& e, const TensorSlice& want) const;
  Status PRead(const Shard& shard, uint64_t offset, uint64_t n, char* out, const std::string& key) const;

  std::string prefix_;
  int num_shards_ = 0;
  bool big_endian_ = false;
  std::map<std::string, BundleEntryInfo> entries_;  // all entries incl. slice entries
  std::vector<Shard> shards_;
};

// "<prefix>.data-00000-of-00001" style shard file name.
std::string BundleDataFileName(const std::string& prefix, int shard, int num_shards);

}  // namespace stfs
