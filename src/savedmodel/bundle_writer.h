// Writes a TensorFlow tensor bundle (V2 checkpoint) the way TensorFlow's
// BundleWriter does: one data shard `<prefix>.data-00000-of-00001` holding
// the tensors in Add order (POD bytes little-endian; strings as varint64
// lengths, a masked CRC32C of the lengths as uint32s, then the bytes), and
// `<prefix>.index`, a LevelDB table of BundleEntryProto by key plus the
// BundleHeaderProto under the empty key. Partitioned variables are written
// with AddSlice (TensorFlow's slice-key encoding).
//
// Used by tests and by tools that build example models. Not thread-safe.
#pragma once

#include <map>
#include <string>

#include "base/status.h"
#include "proto/tensor_bundle.pb.h"
#include "savedmodel/tensor_slice.h"
#include "tensor/tensor.h"

namespace stfs {

class BundleWriter {
 public:
  explicit BundleWriter(std::string prefix);

  // Adds a whole tensor (POD dtypes and DT_STRING). Keys must be unique and
  // non-empty.
  Status Add(const std::string& key, const Tensor& tensor);
  // Adds `slice_value`, the part `slice` of a tensor `name` of `full_shape`.
  // Slices of one name must share dtype and full shape and not overlap.
  Status AddSlice(const std::string& name, const Shape& full_shape, const TensorSlice& slice,
                  const Tensor& slice_value);
  // Writes both files. The writer is spent afterwards.
  Status Finish();

 private:
  Status AppendData(const std::string& key, const Tensor& tensor, tensorflow::BundleEntryProto* entry);

  std::string prefix_;
  std::string data_;
  std::map<std::string, tensorflow::BundleEntryProto> entries_;
  bool finished_ = false;
};

}  // namespace stfs
