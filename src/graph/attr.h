// AttrValue / AttrMap: node attributes as plain C++ values, converted once
// from the protobuf AttrValue at load time so kernels never see protobufs.
//
//   const AttrMap& a = init.attrs;
//   ASSIGN_OR_RETURN(bool transpose_a, a.GetBool("transpose_a"));
//   int64_t axis = a.GetIntOr("axis", 0);
//
// Errors name the attribute; callers add the node name and op.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "tensor/dtype.h"
#include "tensor/shape.h"
#include "tensor/tensor.h"

namespace stfs {

class AttrMap;

// A function reference with its own attributes (NameAttrList in TensorFlow).
struct FuncAttr {
  std::string name;
  std::shared_ptr<const AttrMap> attrs;  // never null after conversion
};

struct AttrValue {
  enum class Kind { kNone, kString, kInt, kFloat, kBool, kType, kShape, kTensor, kFunc, kList, kPlaceholder };
  Kind kind = Kind::kNone;

  std::string s;          // kString (bytes); kPlaceholder: the placeholder name
  int64_t i = 0;          // kInt
  float f = 0;            // kFloat
  bool b = false;         // kBool
  DType type = DType::kInvalid;  // kType
  PartialShape shape;     // kShape
  Tensor tensor;          // kTensor
  FuncAttr func;          // kFunc

  // kList: exactly one of these is used (an empty list has all empty).
  std::vector<std::string> list_s;
  std::vector<int64_t> list_i;
  std::vector<float> list_f;
  std::vector<bool> list_b;
  std::vector<DType> list_type;
  std::vector<PartialShape> list_shape;
  std::vector<Tensor> list_tensor;
  std::vector<FuncAttr> list_func;
};

class AttrMap {
 public:
  AttrMap() = default;

  const AttrValue* Find(std::string_view name) const;
  bool Has(std::string_view name) const { return Find(name) != nullptr; }
  void Set(std::string name, AttrValue value) { values_[std::move(name)] = std::move(value); }
  const std::map<std::string, AttrValue, std::less<>>& values() const { return values_; }

  // Typed getters: NotFound / InvalidArgument naming the attribute when missing or of
  // another kind.
  StatusOr<std::string> GetString(std::string_view name) const;
  StatusOr<int64_t> GetInt(std::string_view name) const;
  StatusOr<float> GetFloat(std::string_view name) const;
  StatusOr<bool> GetBool(std::string_view name) const;
  StatusOr<DType> GetType(std::string_view name) const;
  StatusOr<PartialShape> GetShape(std::string_view name) const;
  StatusOr<Tensor> GetTensor(std::string_view name) const;
  StatusOr<FuncAttr> GetFunc(std::string_view name) const;
  StatusOr<std::vector<std::string>> GetStringList(std::string_view name) const;
  StatusOr<std::vector<int64_t>> GetIntList(std::string_view name) const;
  StatusOr<std::vector<float>> GetFloatList(std::string_view name) const;
  StatusOr<std::vector<DType>> GetTypeList(std::string_view name) const;
  StatusOr<std::vector<PartialShape>> GetShapeList(std::string_view name) const;

  // Getters with a default used when the attribute is absent (a present
  // attribute of the wrong kind still returns the default; use the strict
  // getters where that matters).
  std::string GetStringOr(std::string_view name, std::string def) const;
  int64_t GetIntOr(std::string_view name, int64_t def) const;
  float GetFloatOr(std::string_view name, float def) const;
  bool GetBoolOr(std::string_view name, bool def) const;
  DType GetTypeOr(std::string_view name, DType def) const;

 private:
  std::map<std::string, AttrValue, std::less<>> values_;
};

}  // namespace stfs
