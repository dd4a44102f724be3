// LookupTable: the resource behind HashTableV2 / MutableHashTableV2.
//
// Keys are int32 / int64 / string; values int32 / int64 / bool / float /
// double / string; every value is a scalar (MutableHashTableOfTensors is not
// supported). Two flavours, as in TensorFlow:
//   - static (HashTableV2): filled once by an initializer (InitializeTableV2,
//     InitializeTableFromTextFileV2, LookupTableImportV2). Later
//     initializations are no-ops; Find before initialization is
//     FailedPrecondition("Table not initialized."); Insert/Remove are errors.
//   - mutable (MutableHashTableV2): always usable; Insert overwrites,
//     Import replaces the contents, Remove deletes.
//
// Thread safety: all methods are thread-safe (a shared_mutex: Find/Size/
// Export take it shared, writers unique).
#pragma once

#include <cstdint>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "base/status.h"
#include "exec/resource.h"
#include "tensor/tensor.h"

namespace stfs::kernels {

class LookupTable : public ResourceBase {
 public:
  using Key = std::variant<int64_t, std::string>;
  using Value = std::variant<int64_t, double, std::string>;

  // Error unless key_dtype / value_dtype are supported.
  static StatusOr<std::shared_ptr<LookupTable>> Create(std::string name, bool is_mutable, DType key_dtype,
                                                       DType value_dtype);
  LookupTable(std::string name, bool is_mutable, DType key_dtype, DType value_dtype)
      : name_(std::move(name)), mutable_(is_mutable), key_dtype_(key_dtype), value_dtype_(value_dtype) {}
  std::string DebugString() const override;

  const std::string& name() const { return name_; }
  bool is_mutable() const { return mutable_; }
  DType key_dtype() const { return key_dtype_; }
  DType value_dtype() const { return value_dtype_; }
  bool initialized() const;

  // Static: initializes from parallel keys/values (no-op if already
  // initialized; a key repeated with a different value is an error).
  // Mutable: replaces the contents.
  Status Import(const Tensor& keys, const Tensor& values);
  // Same as Import with already-converted entries (text file initializer).
  Status ImportEntries(std::vector<Key> keys, std::vector<Value> values);
  // Mutable only: inserts or overwrites.
  Status Insert(const Tensor& keys, const Tensor& values);
  // Mutable only: removes keys (absent keys are ignored).
  Status Remove(const Tensor& keys);
  // out = values for keys (same shape as keys); missing keys get the scalar
  // default_value.
  Status Find(const Tensor& keys, const Tensor& default_value, Tensor* out) const;
  // Number of entries (0 for an uninitialized static table).
  int64_t Size() const;
  // All entries as 1-D keys / values, in no particular order.
  Status Export(Tensor* keys, Tensor* values) const;

  // dtype checks naming the table ("table 'x': keys must be string, got int64").
  Status CheckKeys(const Tensor& keys) const;
  Status CheckValues(const Tensor& values, std::string_view what) const;

  // Element conversions between tensors and table entries.
  static Key KeyAt(const Tensor& t, int64_t i);
  static Value ValueAt(const Tensor& t, int64_t i);
  static void SetValue(Tensor* t, int64_t i, const Value& v);

 private:
  Status CheckParallel(const Tensor& keys, const Tensor& values) const;
  // Requires mu_ held uniquely.
  Status InsertLocked(Key key, Value value, bool overwrite);

  const std::string name_;
  const bool mutable_;
  const DType key_dtype_;
  const DType value_dtype_;
  mutable std::shared_mutex mu_;
  bool initialized_ = false;
  std::unordered_map<Key, Value> map_;
};

// InitializeTableFromTextFileV2's parameters.
struct TextFileSpec {
  int64_t key_index = 0;     // -2 whole line, -1 line number, >= 0 column
  int64_t value_index = 1;
  int64_t vocab_size = -1;   // -1 = all lines; else exactly the first vocab_size lines
  std::string delimiter = "\t";
  int64_t offset = 0;        // added to line numbers
};

// Reads `filename` per `spec` and initializes `table` (a no-op when it is
// already initialized). Errors name the file and the (1-based) line.
Status InitializeTableFromTextFile(LookupTable* table, const std::string& filename, const TextFileSpec& spec);

}  // namespace stfs::kernels
