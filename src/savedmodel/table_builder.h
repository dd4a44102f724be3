// Builds a LevelDB-format table in memory, the way TensorFlow's bundle writer
// does: uncompressed blocks (type 0) with a masked CRC32C trailer, restart
// interval 16 in data blocks and 1 in the index block, index keys shortened
// with LevelDB's separator / successor rules, an empty meta-index block and
// the 48-byte footer with the table magic number.
//
// Not thread-safe; one builder per file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "savedmodel/table_reader.h"

namespace stfs {

class TableBuilder {
 public:
  explicit TableBuilder(size_t block_size = 256 * 1024, int restart_interval = 16);

  // Keys must be strictly increasing (bytewise).
  Status Add(std::string_view key, std::string_view value);
  // Returns the complete file contents. The builder is spent afterwards.
  std::string Finish();

 private:
  // Accumulates one block's entries.
  struct Block {
    explicit Block(int interval) : restart_interval(interval) {}
    void Add(std::string_view key, std::string_view value);
    std::string Finish();  // appends restarts; resets
    size_t EstimatedSize() const { return data.size() + 4 * restarts.size() + 4; }
    bool empty() const { return counter == 0 && data.empty(); }

    int restart_interval;
    std::string data;
    std::string last_key;
    std::vector<uint32_t> restarts{0};
    int counter = 0;
  };

  BlockHandle WriteBlock(const std::string& contents);
  void FlushDataBlock();

  size_t block_size_;
  std::string file_;
  Block data_block_;
  Block index_block_;
  std::string last_key_;
  bool pending_index_entry_ = false;
  BlockHandle pending_handle_;
  bool has_key_ = false;
};

// LevelDB's BytewiseComparator helpers (exposed for tests): a short key k with
// start <= k < limit, and a short key >= key.
std::string ShortestSeparator(std::string_view start, std::string_view limit);
std::string ShortSuccessor(std::string_view key);

}  // namespace stfs
