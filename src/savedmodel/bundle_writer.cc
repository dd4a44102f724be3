#include "savedmodel/bundle_writer.h"

#include "savedmodel/bundle_reader.h"
#include "savedmodel/coding.h"
#include "savedmodel/crc32c.h"
#include "savedmodel/file_util.h"
#include "savedmodel/table_builder.h"
#include "tensor/tensor_proto.h"

namespace stfs {

BundleWriter::BundleWriter(std::string prefix) : prefix_(std::move(prefix)) {}

Status BundleWriter::AppendData(const std::string& key, const Tensor& t, tensorflow::BundleEntryProto* entry) {
  entry->set_dtype(static_cast<tensorflow::DataType>(t.dtype()));
  ShapeToProto(t.shape(), entry->mutable_shape());
  entry->set_shard_id(0);
  entry->set_offset(static_cast<int64_t>(data_.size()));
  uint32_t crc = 0;
  if (t.dtype() == DType::kString) {
    std::string lengths;
    for (const std::string& s : t.flat<std::string>()) {
      coding::PutVarint64(&lengths, s.size());
      if (s.size() <= UINT32_MAX) {
        const uint32_t l = static_cast<uint32_t>(s.size());  // little-endian host
        crc = crc32c::Extend(crc, &l, sizeof(l));
      } else {
        const uint64_t l = s.size();
        crc = crc32c::Extend(crc, &l, sizeof(l));
      }
    }
    const size_t start = data_.size();
    data_.append(lengths);
    std::string checksum;
    coding::PutFixed32(&checksum, crc32c::Mask(crc));
    data_.append(checksum);
    crc = crc32c::Extend(crc, checksum.data(), checksum.size());
    for (const std::string& s : t.flat<std::string>()) {
      data_.append(s);
      crc = crc32c::Extend(crc, s.data(), s.size());
    }
    entry->set_size(static_cast<int64_t>(data_.size() - start));
  } else if (DTypeIsPod(t.dtype())) {
    const char* p = static_cast<const char*>(t.raw_data());
    data_.append(p, t.TotalBytes());
    crc = crc32c::Value(p, t.TotalBytes());
    entry->set_size(static_cast<int64_t>(t.TotalBytes()));
  } else {
    return Unimplemented("bundle key '", key, "': cannot write ", DTypeName(t.dtype()), " tensors");
  }
  entry->set_crc32c(crc32c::Mask(crc));
  return Status::OK();
}

Status BundleWriter::Add(const std::string& key, const Tensor& tensor) {
  if (finished_) return FailedPrecondition("BundleWriter for ", prefix_, " is already finished");
  if (key.empty() || key[0] == '\0') return InvalidArgument("bundle keys must be non-empty and not start with NUL");
  if (entries_.count(key)) return AlreadyExists("bundle key '", key, "' was already added");
  tensorflow::BundleEntryProto entry;
  RETURN_IF_ERROR(AppendData(key, tensor, &entry));
  entries_.emplace(key, std::move(entry));
  return Status::OK();
}

Status BundleWriter::AddSlice(const std::string& name, const Shape& full_shape, const TensorSlice& slice,
                              const Tensor& value) {
  if (finished_) return FailedPrecondition("BundleWriter for ", prefix_, " is already finished");
  if (name.empty() || name[0] == '\0') return InvalidArgument("bundle keys must be non-empty and not start with NUL");
  ASSIGN_OR_RETURN(Shape slice_shape, SliceShape(slice, full_shape));
  if (slice_shape != value.shape()) {
    return InvalidArgument("slice ", SliceToString(slice), " of '", name, "' has shape ", slice_shape.ToString(),
                           " but the value is ", value.shape().ToString());
  }
  auto it = entries_.find(name);
  if (it == entries_.end()) {
    tensorflow::BundleEntryProto full;
    full.set_dtype(static_cast<tensorflow::DataType>(value.dtype()));
    ShapeToProto(full_shape, full.mutable_shape());
    it = entries_.emplace(name, std::move(full)).first;
  } else if (it->second.slices_size() == 0 || it->second.dtype() != static_cast<int>(value.dtype())) {
    return InvalidArgument("bundle key '", name, "' already holds a whole tensor or a different dtype");
  }
  const TensorSlice resolved = ResolveSlice(slice, full_shape);
  for (const auto& s : it->second.slices()) {
    TensorSlice overlap;
    if (IntersectSlices(ResolveSlice(SliceFromProto(s), full_shape), resolved, &overlap)) {
      return InvalidArgument("slice ", SliceToString(slice), " of '", name, "' overlaps an earlier slice");
    }
  }
  SliceToProto(slice, it->second.add_slices());
  tensorflow::BundleEntryProto part;
  RETURN_IF_ERROR(AppendData(name, value, &part));
  entries_.emplace(EncodeTensorNameSlice(name, slice), std::move(part));
  return Status::OK();
}

Status BundleWriter::Finish() {
  if (finished_) return FailedPrecondition("BundleWriter for ", prefix_, " is already finished");
  finished_ = true;
  tensorflow::BundleHeaderProto header;
  header.set_num_shards(1);
  header.set_endianness(tensorflow::BundleHeaderProto::LITTLE);
  header.mutable_version()->set_producer(1);
  TableBuilder table;
  RETURN_IF_ERROR(table.Add("", header.SerializeAsString()));
  for (const auto& [key, entry] : entries_) RETURN_IF_ERROR(table.Add(key, entry.SerializeAsString()));
  RETURN_IF_ERROR(WriteStringToFile(BundleDataFileName(prefix_, 0, 1), data_));
  return WriteStringToFile(prefix_ + ".index", table.Finish());
}

}  // namespace stfs
