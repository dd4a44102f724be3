#include "savedmodel/table_reader.h"

#include <snappy.h>

#include <cstdio>

#include "savedmodel/coding.h"
#include "savedmodel/crc32c.h"

namespace stfs {
namespace {

std::string Hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "0x%08x", v);
  return buf;
}

// Reads, checks and (if needed) decompresses the block at `h`.
Status ReadBlock(std::string_view file, std::string_view name, const BlockHandle& h,
                 std::string_view what, uint64_t* budget, std::string* storage,
                 std::string_view* contents) {
  const uint64_t fsize = file.size();
  if (h.size > fsize || h.offset > fsize - h.size || fsize - h.size - h.offset < kBlockTrailerSize) {
    return DataLoss(name, ": ", what, " block handle (offset ", h.offset, ", size ", h.size,
                    ") extends past the end of the ", fsize, "-byte file");
  }
  std::string_view raw = file.substr(h.offset, h.size);
  const char* trailer = file.data() + h.offset + h.size;
  const uint8_t type = static_cast<uint8_t>(trailer[0]);
  const uint32_t stored = crc32c::Unmask(coding::DecodeFixed32(trailer + 1));
  const uint32_t actual = crc32c::Extend(crc32c::Value(raw.data(), raw.size()), trailer, 1);
  if (stored != actual) {
    return DataLoss(name, ": ", what, " block at offset ", h.offset, ": crc mismatch (stored ",
                    Hex32(stored), ", computed ", Hex32(actual), ")");
  }
  if (type == 0) {
    if (raw.size() > *budget) {
      return DataLoss(name, ": blocks decode to more than ", kMaxTableDecodedBytes, " bytes");
    }
    *budget -= raw.size();
    *contents = raw;
    return Status::OK();
  }
  if (type != 1) {
    return DataLoss(name, ": ", what, " block at offset ", h.offset, ": unknown compression type ",
                    static_cast<int>(type));
  }
  size_t ulen = 0;
  if (!snappy::GetUncompressedLength(raw.data(), raw.size(), &ulen)) {
    return DataLoss(name, ": ", what, " block at offset ", h.offset, ": corrupt Snappy header");
  }
  if (ulen > *budget) {
    return DataLoss(name, ": ", what, " block at offset ", h.offset, " claims ", ulen,
                    " uncompressed bytes; the table would decode to more than ",
                    kMaxTableDecodedBytes, " bytes");
  }
  storage->resize(ulen);
  if (!snappy::RawUncompress(raw.data(), raw.size(), storage->data())) {
    return DataLoss(name, ": ", what, " block at offset ", h.offset, ": corrupt Snappy data");
  }
  *budget -= ulen;
  *contents = *storage;
  return Status::OK();
}

}  // namespace

bool DecodeBlockHandle(std::string_view* in, BlockHandle* handle) {
  const char* p = in->data();
  const char* end = p + in->size();
  if (!coding::GetVarint64(&p, end, &handle->offset)) return false;
  if (!coding::GetVarint64(&p, end, &handle->size)) return false;
  in->remove_prefix(static_cast<size_t>(p - in->data()));
  return true;
}

void EncodeBlockHandle(const BlockHandle& handle, std::string* out) {
  coding::PutVarint64(out, handle.offset);
  coding::PutVarint64(out, handle.size);
}

Status ParseBlock(std::string_view contents, std::string_view where, std::vector<TableEntry>* out) {
  if (contents.size() < 4) {
    return DataLoss(where, ": block of ", contents.size(), " bytes is too short for its restart count");
  }
  const uint32_t num_restarts = coding::DecodeFixed32(contents.data() + contents.size() - 4);
  if (num_restarts > (contents.size() - 4) / 4) {
    return DataLoss(where, ": block of ", contents.size(), " bytes cannot hold ", num_restarts,
                    " restart points");
  }
  const size_t limit = contents.size() - 4 - 4 * size_t{num_restarts};
  for (uint32_t i = 0; i < num_restarts; ++i) {
    uint32_t r = coding::DecodeFixed32(contents.data() + limit + 4 * i);
    if (r > limit) return DataLoss(where, ": restart point ", i, " (", r, ") is past the entries");
  }
  const char* p = contents.data();
  const char* end = p + limit;
  std::string key;
  while (p < end) {
    const size_t at = static_cast<size_t>(p - contents.data());
    uint32_t shared, non_shared, value_len;
    if (!coding::GetVarint32(&p, end, &shared) || !coding::GetVarint32(&p, end, &non_shared) ||
        !coding::GetVarint32(&p, end, &value_len)) {
      return DataLoss(where, ": entry at byte ", at, ": truncated header");
    }
    if (shared > key.size()) {
      return DataLoss(where, ": entry at byte ", at, " shares ", shared,
                      " key bytes but the previous key has ", key.size());
    }
    if (uint64_t{non_shared} + value_len > static_cast<uint64_t>(end - p)) {
      return DataLoss(where, ": entry at byte ", at, " (key ", non_shared, " + value ", value_len,
                      " bytes) runs past the end of the entries");
    }
    key.resize(shared);
    key.append(p, non_shared);
    p += non_shared;
    out->push_back({key, std::string(p, value_len)});
    p += value_len;
  }
  return Status::OK();
}

StatusOr<std::vector<TableEntry>> ParseTable(std::string_view file, std::string_view name) {
  if (file.size() < kTableFooterSize) {
    return DataLoss(name, ": file of ", file.size(),
                    " bytes is too short to be an sstable (the footer alone is 48 bytes)");
  }
  std::string_view footer = file.substr(file.size() - kTableFooterSize);
  const uint64_t magic = coding::DecodeFixed64(footer.data() + 40);
  if (magic != kTableMagicNumber) {
    return DataLoss(name, ": not an sstable (bad magic number in the footer at offset ",
                    file.size() - kTableFooterSize, ")");
  }
  std::string_view handles = footer.substr(0, 40);
  BlockHandle metaindex, index;
  if (!DecodeBlockHandle(&handles, &metaindex) || !DecodeBlockHandle(&handles, &index)) {
    return DataLoss(name, ": corrupt block handles in the footer");
  }
  uint64_t budget = kMaxTableDecodedBytes;
  std::string storage;
  std::string_view contents;
  // The meta-index is unused by tensor bundles but still checked.
  RETURN_IF_ERROR(ReadBlock(file, name, metaindex, "meta-index", &budget, &storage, &contents));
  std::vector<TableEntry> meta;
  RETURN_IF_ERROR(ParseBlock(contents, StrCat(name, ": meta-index block at offset ", metaindex.offset), &meta));

  std::string index_storage;
  RETURN_IF_ERROR(ReadBlock(file, name, index, "index", &budget, &index_storage, &contents));
  std::vector<TableEntry> index_entries;
  RETURN_IF_ERROR(ParseBlock(contents, StrCat(name, ": index block at offset ", index.offset), &index_entries));

  std::vector<TableEntry> result;
  for (const TableEntry& ie : index_entries) {
    std::string_view v = ie.value;
    BlockHandle h;
    if (!DecodeBlockHandle(&v, &h)) {
      return DataLoss(name, ": index block at offset ", index.offset, ": corrupt handle for key '",
                      ie.key, "'");
    }
    std::string where = StrCat(name, ": block at offset ", h.offset);
    RETURN_IF_ERROR(ReadBlock(file, name, h, "data", &budget, &storage, &contents));
    const size_t first = result.size();
    RETURN_IF_ERROR(ParseBlock(contents, where, &result));
    for (size_t i = first; i < result.size(); ++i) {
      if (i > 0 && !(result[i - 1].key < result[i].key)) {
        return DataLoss(where, ": keys are not strictly increasing ('", result[i - 1].key,
                        "' then '", result[i].key, "')");
      }
      if (result[i].key > ie.key) {
        return DataLoss(where, ": key '", result[i].key, "' is beyond its index key '", ie.key, "'");
      }
    }
  }
  return result;
}

}  // namespace stfs
