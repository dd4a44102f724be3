#include "kernels/lookup_table.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <mutex>

namespace stfs::kernels {
namespace {

bool IsIntDType(DType d) { return d == DType::kInt32 || d == DType::kInt64; }

bool KeyDTypeOk(DType d) { return IsIntDType(d) || d == DType::kString; }

bool ValueDTypeOk(DType d) {
  return IsIntDType(d) || d == DType::kBool || d == DType::kFloat || d == DType::kDouble ||
         d == DType::kString;
}

std::string KeyString(const LookupTable::Key& k) {
  if (const auto* i = std::get_if<int64_t>(&k)) return std::to_string(*i);
  return "'" + std::get<std::string>(k) + "'";
}

std::string ValueString(const LookupTable::Value& v) {
  if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return std::to_string(*d);
  return "'" + std::get<std::string>(v) + "'";
}

}  // namespace

StatusOr<std::shared_ptr<LookupTable>> LookupTable::Create(std::string name, bool is_mutable, DType key_dtype,
                                                           DType value_dtype) {
  if (!KeyDTypeOk(key_dtype)) {
    return Unimplemented("lookup table '", name, "': key dtype ", DTypeName(key_dtype),
                         " is not supported (int32, int64, string)");
  }
  if (!ValueDTypeOk(value_dtype)) {
    return Unimplemented("lookup table '", name, "': value dtype ", DTypeName(value_dtype),
                         " is not supported (int32, int64, bool, float, double, string)");
  }
  return std::make_shared<LookupTable>(std::move(name), is_mutable, key_dtype, value_dtype);
}

std::string LookupTable::DebugString() const {
  return std::string(mutable_ ? "MutableHashTable" : "HashTable") + "<" + std::string(DTypeName(key_dtype_)) + ", " +
         std::string(DTypeName(value_dtype_)) + "> '" + name_ + "'";
}

bool LookupTable::initialized() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  return mutable_ || initialized_;
}

LookupTable::Key LookupTable::KeyAt(const Tensor& t, int64_t i) {
  switch (t.dtype()) {
    case DType::kInt32: return Key(static_cast<int64_t>(t.data<int32_t>()[i]));
    case DType::kInt64: return Key(t.data<int64_t>()[i]);
    default: return Key(t.data<std::string>()[i]);
  }
}

LookupTable::Value LookupTable::ValueAt(const Tensor& t, int64_t i) {
  switch (t.dtype()) {
    case DType::kInt32: return Value(static_cast<int64_t>(t.data<int32_t>()[i]));
    case DType::kInt64: return Value(t.data<int64_t>()[i]);
    case DType::kBool: return Value(static_cast<int64_t>(t.data<bool>()[i]));
    case DType::kFloat: return Value(static_cast<double>(t.data<float>()[i]));
    case DType::kDouble: return Value(t.data<double>()[i]);
    default: return Value(t.data<std::string>()[i]);
  }
}

void LookupTable::SetValue(Tensor* t, int64_t i, const Value& v) {
  switch (t->dtype()) {
    case DType::kInt32: t->data<int32_t>()[i] = static_cast<int32_t>(std::get<int64_t>(v)); break;
    case DType::kInt64: t->data<int64_t>()[i] = std::get<int64_t>(v); break;
    case DType::kBool: t->data<bool>()[i] = std::get<int64_t>(v) != 0; break;
    case DType::kFloat: t->data<float>()[i] = static_cast<float>(std::get<double>(v)); break;
    case DType::kDouble: t->data<double>()[i] = std::get<double>(v); break;
    default: t->data<std::string>()[i] = std::get<std::string>(v); break;
  }
}

Status LookupTable::CheckKeys(const Tensor& keys) const {
  if (keys.dtype() != key_dtype_) {
    return InvalidArgument("table '", name_, "': keys must be ", DTypeName(key_dtype_), ", got ",
                           DTypeName(keys.dtype()));
  }
  return Status::OK();
}

Status LookupTable::CheckValues(const Tensor& values, std::string_view what) const {
  if (values.dtype() != value_dtype_) {
    return InvalidArgument("table '", name_, "': ", what, " must be ", DTypeName(value_dtype_), ", got ",
                           DTypeName(values.dtype()));
  }
  return Status::OK();
}

Status LookupTable::CheckParallel(const Tensor& keys, const Tensor& values) const {
  RETURN_IF_ERROR(CheckKeys(keys));
  RETURN_IF_ERROR(CheckValues(values, "values"));
  if (keys.shape() != values.shape()) {
    return InvalidArgument("table '", name_, "': keys and values must have the same shape (scalar values), got keys ",
                           keys.shape().ToString(), " and values ", values.shape().ToString());
  }
  return Status::OK();
}

Status LookupTable::InsertLocked(Key key, Value value, bool overwrite) {
  auto [it, inserted] = map_.try_emplace(std::move(key), value);
  if (inserted) return Status::OK();
  if (overwrite) {
    it->second = std::move(value);
  } else if (it->second != value) {
    return FailedPrecondition("HashTable '", name_, "' has different value for same key. Key ", KeyString(it->first),
                              " has ", ValueString(it->second), " and trying to add value ", ValueString(value));
  }
  return Status::OK();
}

Status LookupTable::ImportEntries(std::vector<Key> keys, std::vector<Value> values) {
  std::unique_lock<std::shared_mutex> lock(mu_);
  if (!mutable_ && initialized_) return Status::OK();  // TF ignores re-initialization
  std::unordered_map<Key, Value> saved;
  saved.swap(map_);
  map_.reserve(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    Status s = InsertLocked(std::move(keys[i]), std::move(values[i]), mutable_);
    if (!s.ok()) {
      map_.swap(saved);  // a failed initialization leaves the table as it was
      return s;
    }
  }
  initialized_ = true;
  return Status::OK();
}

Status LookupTable::Import(const Tensor& keys, const Tensor& values) {
  RETURN_IF_ERROR(CheckParallel(keys, values));
  if (initialized() && !mutable_) return Status::OK();
  std::vector<Key> k;
  std::vector<Value> v;
  k.reserve(keys.NumElements());
  v.reserve(keys.NumElements());
  for (int64_t i = 0; i < keys.NumElements(); ++i) {
    k.push_back(KeyAt(keys, i));
    v.push_back(ValueAt(values, i));
  }
  return ImportEntries(std::move(k), std::move(v));
}

Status LookupTable::Insert(const Tensor& keys, const Tensor& values) {
  if (!mutable_) return Unimplemented("table '", name_, "': Insert is not supported by static HashTable");
  RETURN_IF_ERROR(CheckParallel(keys, values));
  std::unique_lock<std::shared_mutex> lock(mu_);
  for (int64_t i = 0; i < keys.NumElements(); ++i) {
    RETURN_IF_ERROR(InsertLocked(KeyAt(keys, i), ValueAt(values, i), true));
  }
  return Status::OK();
}

Status LookupTable::Remove(const Tensor& keys) {
  if (!mutable_) return Unimplemented("table '", name_, "': Remove is not supported by static HashTable");
  RETURN_IF_ERROR(CheckKeys(keys));
  std::unique_lock<std::shared_mutex> lock(mu_);
  for (int64_t i = 0; i < keys.NumElements(); ++i) map_.erase(KeyAt(keys, i));
  return Status::OK();
}

Status LookupTable::Find(const Tensor& keys, const Tensor& default_value, Tensor* out) const {
  RETURN_IF_ERROR(CheckKeys(keys));
  RETURN_IF_ERROR(CheckValues(default_value, "default_value"));
  if (default_value.NumElements() != 1 || default_value.rank() > 1) {
    return InvalidArgument("table '", name_, "': default_value must be a scalar, got shape ",
                           default_value.shape().ToString());
  }
  const Value def = ValueAt(default_value, 0);
  ASSIGN_OR_RETURN(*out, Tensor::Create(value_dtype_, keys.shape()));
  std::shared_lock<std::shared_mutex> lock(mu_);
  if (!mutable_ && !initialized_) return FailedPrecondition("Table not initialized: '", name_, "'");
  for (int64_t i = 0; i < keys.NumElements(); ++i) {
    auto it = map_.find(KeyAt(keys, i));
    SetValue(out, i, it == map_.end() ? def : it->second);
  }
  return Status::OK();
}

int64_t LookupTable::Size() const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  return static_cast<int64_t>(map_.size());
}

Status LookupTable::Export(Tensor* keys, Tensor* values) const {
  std::shared_lock<std::shared_mutex> lock(mu_);
  const int64_t n = static_cast<int64_t>(map_.size());
  ASSIGN_OR_RETURN(*keys, Tensor::Create(key_dtype_, Shape{n}));
  ASSIGN_OR_RETURN(*values, Tensor::Create(value_dtype_, Shape{n}));
  int64_t i = 0;
  for (const auto& [k, v] : map_) {
    switch (key_dtype_) {
      case DType::kInt32: keys->data<int32_t>()[i] = static_cast<int32_t>(std::get<int64_t>(k)); break;
      case DType::kInt64: keys->data<int64_t>()[i] = std::get<int64_t>(k); break;
      default: keys->data<std::string>()[i] = std::get<std::string>(k); break;
    }
    SetValue(values, i, v);
    ++i;
  }
  return Status::OK();
}

// ---- text file initializer ----
namespace {

// TensorFlow's TextFileIndex: WHOLE_LINE = -2, LINE_NUMBER = -1 (the tfx
// vocabulary tables have key_index -2 on a string key).
constexpr int64_t kLineNumber = -1;
constexpr int64_t kWholeLine = -2;

// Parses one field (a column, the whole line, or the line number) as `dtype`.
template <typename Entry>
Status ParseField(const std::string& field, int64_t line_number, int64_t index, DType dtype,
                  const std::string& filename, int64_t line_1based, Entry* out) {
  if (index == kLineNumber) {
    if (dtype != DType::kInt64) {
      return InvalidArgument("line number (index -1) needs an int64 table column, got ", DTypeName(dtype),
                             " (file ", filename, ")");
    }
    *out = Entry(line_number);
    return Status::OK();
  }
  if (dtype == DType::kString) {
    *out = Entry(field);
    return Status::OK();
  }
  if (index == kWholeLine) {
    return InvalidArgument("whole line (index -2) needs a string table column, got ", DTypeName(dtype), " (file ",
                           filename, ")");
  }
  const char* begin = field.c_str();
  char* end = nullptr;
  errno = 0;
  if (dtype == DType::kInt64 || dtype == DType::kInt32) {
    long long v = std::strtoll(begin, &end, 10);
    const bool range_ok = dtype == DType::kInt64 || (v >= INT32_MIN && v <= INT32_MAX);
    if (field.empty() || *end != '\0' || errno == ERANGE || !range_ok) {
      return InvalidArgument("Field '", field, "' in line ", line_1based, " of ", filename, " is not a valid ",
                             DTypeName(dtype));
    }
    *out = Entry(static_cast<int64_t>(v));
    return Status::OK();
  }
  if constexpr (std::is_same_v<Entry, LookupTable::Value>) {
    if (dtype == DType::kFloat || dtype == DType::kDouble) {
      double v = dtype == DType::kFloat ? std::strtof(begin, &end) : std::strtod(begin, &end);
      if (field.empty() || *end != '\0') {
        return InvalidArgument("Field '", field, "' in line ", line_1based, " of ", filename, " is not a valid ",
                               DTypeName(dtype));
      }
      *out = Entry(v);
      return Status::OK();
    }
  }
  return InvalidArgument("dtype ", DTypeName(dtype), " cannot be read from text file ", filename);
}

std::vector<std::string> SplitLine(const std::string& line, const std::string& delimiter) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t pos = line.find(delimiter, start);
    if (pos == std::string::npos) break;
    out.push_back(line.substr(start, pos - start));
    start = pos + delimiter.size();
  }
  out.push_back(line.substr(start));
  return out;
}

}  // namespace

Status InitializeTableFromTextFile(LookupTable* table, const std::string& filename, const TextFileSpec& spec) {
  if (spec.key_index < kWholeLine || spec.value_index < kWholeLine) {
    return InvalidArgument("key_index (", spec.key_index, ") and value_index (", spec.value_index,
                           ") must be >= -2");
  }
  if (spec.vocab_size < -1 || spec.vocab_size == 0) {
    return InvalidArgument("vocab_size must be -1 or > 0, got ", spec.vocab_size);
  }
  if (spec.delimiter.empty()) return InvalidArgument("delimiter must not be empty");
  if (table->initialized() && !table->is_mutable()) return Status::OK();  // skip reading the file again
  std::ifstream in(filename, std::ios::binary);
  if (!in) return NotFound("cannot open vocabulary file '", filename, "' for table '", table->name(), "'");
  const int64_t max_index = std::max(spec.key_index, spec.value_index);
  std::vector<LookupTable::Key> keys;
  std::vector<LookupTable::Value> values;
  std::string line;
  int64_t n = 0;
  while ((spec.vocab_size < 0 || n < spec.vocab_size) && std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const int64_t line_1based = n + 1;
    if (line.empty()) {
      return InvalidArgument("Invalid content in ", filename, ": empty line found at line ", line_1based);
    }
    std::vector<std::string> tokens;
    if (max_index >= 0) {
      tokens = SplitLine(line, spec.delimiter);
      if (static_cast<int64_t>(tokens.size()) <= max_index) {
        return InvalidArgument("Invalid number of columns in ", filename, " line ", line_1based, " (", line,
                               "): expected more than ", max_index, ", got ", tokens.size());
      }
    }
    auto field = [&](int64_t index) -> const std::string& { return index >= 0 ? tokens[index] : line; };
    LookupTable::Key key;
    LookupTable::Value value;
    const int64_t line_number = n + spec.offset;
    RETURN_IF_ERROR(ParseField(field(spec.key_index), line_number, spec.key_index, table->key_dtype(), filename,
                               line_1based, &key));
    RETURN_IF_ERROR(ParseField(field(spec.value_index), line_number, spec.value_index, table->value_dtype(),
                               filename, line_1based, &value));
    keys.push_back(std::move(key));
    values.push_back(std::move(value));
    ++n;
  }
  if (in.bad()) return DataLoss("error reading vocabulary file '", filename, "'");
  if (spec.vocab_size > 0 && n < spec.vocab_size) {
    return InvalidArgument("Invalid vocab_size in ", filename, ": expected ", spec.vocab_size, " but got ", n);
  }
  return table->ImportEntries(std::move(keys), std::move(values));
}

}  // namespace stfs::kernels
