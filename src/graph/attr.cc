#include "graph/attr.h"

namespace stfs {
namespace {

std::string_view KindName(AttrValue::Kind k) {
  switch (k) {
    case AttrValue::Kind::kNone: return "none";
    case AttrValue::Kind::kString: return "string";
    case AttrValue::Kind::kInt: return "int";
    case AttrValue::Kind::kFloat: return "float";
    case AttrValue::Kind::kBool: return "bool";
    case AttrValue::Kind::kType: return "type";
    case AttrValue::Kind::kShape: return "shape";
    case AttrValue::Kind::kTensor: return "tensor";
    case AttrValue::Kind::kFunc: return "func";
    case AttrValue::Kind::kList: return "list";
    case AttrValue::Kind::kPlaceholder: return "placeholder";
  }
  return "?";
}

StatusOr<const AttrValue*> FindKind(const AttrMap& m, std::string_view name, AttrValue::Kind want) {
  const AttrValue* v = m.Find(name);
  if (!v) return NotFound("missing attribute '", name, "'");
  // An empty list is stored as kList with no elements; accept it for list getters.
  if (v->kind != want) {
    return InvalidArgument("attribute '", name, "' is a ", KindName(v->kind), ", expected a ",
                           KindName(want));
  }
  return v;
}

}  // namespace

const AttrValue* AttrMap::Find(std::string_view name) const {
  auto it = values_.find(name);
  return it == values_.end() ? nullptr : &it->second;
}

StatusOr<std::string> AttrMap::GetString(std::string_view name) const {
  ASSIGN_OR_RETURN(const AttrValue* v, FindKind(*this, name, AttrValue::Kind::kString));
  return v->s;
}
StatusOr<int64_t> AttrMap::GetInt(std::string_view name) const {
  ASSIGN_OR_RETURN(const AttrValue* v, FindKind(*this, name, AttrValue::Kind::kInt));
  return v->i;
}
StatusOr<float> AttrMap::GetFloat(std::string_view name) const {
  ASSIGN_OR_RETURN(const AttrValue* v, FindKind(*this, name, AttrValue::Kind::kFloat));
  return v->f;
}
StatusOr<bool> AttrMap::GetBool(std::string_view name) const {
  ASSIGN_OR_RETURN(const AttrValue* v, FindKind(*this, name, AttrValue::Kind::kBool));
  return v->b;
}
StatusOr<DType> AttrMap::GetType(std::string_view name) const {
  ASSIGN_OR_RETURN(const AttrValue* v, FindKind(*this, name, AttrValue::Kind::kType));
  return v->type;
}
StatusOr<PartialShape> AttrMap::GetShape(std::string_view name) const {
  ASSIGN_OR_RETURN(const AttrValue* v, FindKind(*this, name, AttrValue::Kind::kShape));
  return v->shape;
}
StatusOr<Tensor> AttrMap::GetTensor(std::string_view name) const {
  ASSIGN_OR_RETURN(const AttrValue* v, FindKind(*this, name, AttrValue::Kind::kTensor));
  return v->tensor;
}
StatusOr<FuncAttr> AttrMap::GetFunc(std::string_view name) const {
  ASSIGN_OR_RETURN(const AttrValue* v, FindKind(*this, name, AttrValue::Kind::kFunc));
  return v->func;
}
StatusOr<std::vector<std::string>> AttrMap::GetStringList(std::string_view name) const {
  ASSIGN_OR_RETURN(const AttrValue* v, FindKind(*this, name, AttrValue::Kind::kList));
  return v->list_s;
}
StatusOr<std::vector<int64_t>> AttrMap::GetIntList(std::string_view name) const {
  ASSIGN_OR_RETURN(const AttrValue* v, FindKind(*this, name, AttrValue::Kind::kList));
  return v->list_i;
}
StatusOr<std::vector<float>> AttrMap::GetFloatList(std::string_view name) const {
  ASSIGN_OR_RETURN(const AttrValue* v, FindKind(*this, name, AttrValue::Kind::kList));
  return v->list_f;
}
StatusOr<std::vector<DType>> AttrMap::GetTypeList(std::string_view name) const {
  ASSIGN_OR_RETURN(const AttrValue* v, FindKind(*this, name, AttrValue::Kind::kList));
  return v->list_type;
}
StatusOr<std::vector<PartialShape>> AttrMap::GetShapeList(std::string_view name) const {
  ASSIGN_OR_RETURN(const AttrValue* v, FindKind(*this, name, AttrValue::Kind::kList));
  return v->list_shape;
}

std::string AttrMap::GetStringOr(std::string_view name, std::string def) const {
  const AttrValue* v = Find(name);
  return v && v->kind == AttrValue::Kind::kString ? v->s : def;
}
int64_t AttrMap::GetIntOr(std::string_view name, int64_t def) const {
  const AttrValue* v = Find(name);
  return v && v->kind == AttrValue::Kind::kInt ? v->i : def;
}
float AttrMap::GetFloatOr(std::string_view name, float def) const {
  const AttrValue* v = Find(name);
  return v && v->kind == AttrValue::Kind::kFloat ? v->f : def;
}
bool AttrMap::GetBoolOr(std::string_view name, bool def) const {
  const AttrValue* v = Find(name);
  return v && v->kind == AttrValue::Kind::kBool ? v->b : def;
}
DType AttrMap::GetTypeOr(std::string_view name, DType def) const {
  const AttrValue* v = Find(name);
  return v && v->kind == AttrValue::Kind::kType ? v->type : def;
}

}  // namespace stfs
