// Reader for LevelDB-format tables ("SSTables"), the format of a tensor
// bundle's `.index` file: data blocks with prefix-compressed keys and restart
// points, a meta-index block, an index block and a 48-byte footer ending in
// the magic number 0xdb4775248b80fb57. Blocks are stored raw (type 0) or
// raw-Snappy-compressed (type 1) and carry a masked CRC32C over contents and
// type byte, which is always verified.
//
// Index files are small, so the whole table is decoded at once. Corrupt input
// of any kind yields a DATA_LOSS status naming the file and block offset;
// decoded sizes are bounded (kMaxTableDecodedBytes).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace stfs {

struct TableEntry {
  std::string key;
  std::string value;
};

struct BlockHandle {
  uint64_t offset = 0;
  uint64_t size = 0;  // excludes the 5-byte trailer
};

constexpr uint64_t kTableMagicNumber = 0xdb4775248b80fb57ull;
constexpr size_t kTableFooterSize = 48;
constexpr size_t kBlockTrailerSize = 5;
// Upper bound on the sum of all decoded (decompressed) block bytes.
constexpr uint64_t kMaxTableDecodedBytes = uint64_t{1} << 30;

// Decodes every key/value of the table in `file` (the whole file's bytes), in
// key order. Keys must be strictly increasing. `name` appears in errors.
StatusOr<std::vector<TableEntry>> ParseTable(std::string_view file, std::string_view name);

// Decodes one block's entries (block contents without trailer); exposed for
// tests. `where` describes the block for error messages.
Status ParseBlock(std::string_view contents, std::string_view where,
                  std::vector<TableEntry>* out);

// Parses "varint64 offset, varint64 size" from the front of *in.
bool DecodeBlockHandle(std::string_view* in, BlockHandle* handle);
void EncodeBlockHandle(const BlockHandle& handle, std::string* out);

}  // namespace stfs
