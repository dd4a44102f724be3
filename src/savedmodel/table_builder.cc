#include "savedmodel/table_builder.h"

#include <algorithm>

#include "savedmodel/coding.h"
#include "savedmodel/crc32c.h"

namespace stfs {

std::string ShortestSeparator(std::string_view start, std::string_view limit) {
  const size_t min_len = std::min(start.size(), limit.size());
  size_t diff = 0;
  while (diff < min_len && start[diff] == limit[diff]) ++diff;
  if (diff < min_len) {
    const uint8_t b = static_cast<uint8_t>(start[diff]);
    if (b < 0xff && b + 1 < static_cast<uint8_t>(limit[diff])) {
      std::string s(start.substr(0, diff + 1));
      s[diff] = static_cast<char>(b + 1);
      return s;
    }
  }
  return std::string(start);  // one is a prefix of the other, or no room
}

std::string ShortSuccessor(std::string_view key) {
  for (size_t i = 0; i < key.size(); ++i) {
    const uint8_t b = static_cast<uint8_t>(key[i]);
    if (b != 0xff) {
      std::string s(key.substr(0, i + 1));
      s[i] = static_cast<char>(b + 1);
      return s;
    }
  }
  return std::string(key);  // all 0xff
}

void TableBuilder::Block::Add(std::string_view key, std::string_view value) {
  size_t shared = 0;
  if (counter < restart_interval) {
    const size_t n = std::min(last_key.size(), key.size());
    while (shared < n && last_key[shared] == key[shared]) ++shared;
  } else {
    restarts.push_back(static_cast<uint32_t>(data.size()));
    counter = 0;
  }
  coding::PutVarint32(&data, static_cast<uint32_t>(shared));
  coding::PutVarint32(&data, static_cast<uint32_t>(key.size() - shared));
  coding::PutVarint32(&data, static_cast<uint32_t>(value.size()));
  data.append(key.substr(shared));
  data.append(value);
  last_key.assign(key);
  ++counter;
}

std::string TableBuilder::Block::Finish() {
  std::string out = std::move(data);
  for (uint32_t r : restarts) coding::PutFixed32(&out, r);
  coding::PutFixed32(&out, static_cast<uint32_t>(restarts.size()));
  data.clear();
  last_key.clear();
  restarts.assign(1, 0);
  counter = 0;
  return out;
}

TableBuilder::TableBuilder(size_t block_size, int restart_interval)
    : block_size_(block_size), data_block_(restart_interval), index_block_(1) {}

BlockHandle TableBuilder::WriteBlock(const std::string& contents) {
  BlockHandle h{file_.size(), contents.size()};
  file_.append(contents);
  const char type = 0;  // uncompressed, as TensorFlow writes bundles
  file_.push_back(type);
  coding::PutFixed32(&file_, crc32c::Mask(crc32c::Extend(crc32c::Value(contents), &type, 1)));
  return h;
}

void TableBuilder::FlushDataBlock() {
  if (data_block_.empty()) return;
  pending_handle_ = WriteBlock(data_block_.Finish());
  pending_index_entry_ = true;
}

Status TableBuilder::Add(std::string_view key, std::string_view value) {
  if (has_key_ && !(std::string_view(last_key_) < key)) {
    return InvalidArgument("table keys must be strictly increasing: '", key, "' after '",
                           last_key_, "'");
  }
  if (pending_index_entry_) {
    std::string handle;
    EncodeBlockHandle(pending_handle_, &handle);
    index_block_.Add(ShortestSeparator(last_key_, key), handle);
    pending_index_entry_ = false;
  }
  data_block_.Add(key, value);
  last_key_.assign(key);
  has_key_ = true;
  if (data_block_.EstimatedSize() >= block_size_) FlushDataBlock();
  return Status::OK();
}

std::string TableBuilder::Finish() {
  FlushDataBlock();
  BlockHandle meta = WriteBlock(Block(16).Finish());  // empty meta-index
  if (pending_index_entry_) {
    std::string handle;
    EncodeBlockHandle(pending_handle_, &handle);
    index_block_.Add(ShortSuccessor(last_key_), handle);
    pending_index_entry_ = false;
  }
  BlockHandle index = WriteBlock(index_block_.Finish());
  std::string footer;
  EncodeBlockHandle(meta, &footer);
  EncodeBlockHandle(index, &footer);
  footer.resize(40, '\0');
  coding::PutFixed64(&footer, kTableMagicNumber);
  file_.append(footer);
  return std::move(file_);
}

}  // namespace stfs
