#include "graph/op_schema.h"

#include <cstdlib>

namespace stfs {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> SplitSemicolons(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    size_t p = s.find(';');
    std::string_view part = Trim(s.substr(0, p));
    if (!part.empty()) out.push_back(part);
    if (p == std::string_view::npos) break;
    s.remove_prefix(p + 1);
  }
  return out;
}

StatusOr<AttrValue> ParseDefault(std::string_view type, std::string_view text) {
  AttrValue v;
  if (type.substr(0, 5) == "list(") {
    if (text != "[]") return InvalidArgument("only [] list defaults are supported, got ", text);
    v.kind = AttrValue::Kind::kList;
    return v;
  }
  if (type == "int") {
    v.kind = AttrValue::Kind::kInt;
    v.i = std::strtoll(std::string(text).c_str(), nullptr, 10);
  } else if (type == "float") {
    v.kind = AttrValue::Kind::kFloat;
    v.f = std::strtof(std::string(text).c_str(), nullptr);
  } else if (type == "bool") {
    v.kind = AttrValue::Kind::kBool;
    v.b = text == "true";
  } else if (type == "string") {
    if (text.size() < 2 || text.front() != '\'' || text.back() != '\'') {
      return InvalidArgument("string default must be quoted: ", text);
    }
    v.kind = AttrValue::Kind::kString;
    v.s = std::string(text.substr(1, text.size() - 2));
  } else if (type == "type") {
    v.kind = AttrValue::Kind::kType;
    v.type = DTypeFromName(text);
    if (v.type == DType::kInvalid) return InvalidArgument("unknown dtype default ", text);
  } else if (type == "shape") {
    if (text != "?") return InvalidArgument("only ? shape defaults are supported");
    v.kind = AttrValue::Kind::kShape;
  } else {
    return InvalidArgument("no default syntax for attr type ", type);
  }
  return v;
}

StatusOr<ArgSchema> ParseArg(std::string_view spec, const std::vector<AttrSchema>& attrs) {
  size_t colon = spec.find(':');
  if (colon == std::string_view::npos) return InvalidArgument("arg spec without ':': ", spec);
  ArgSchema arg;
  arg.name = std::string(Trim(spec.substr(0, colon)));
  std::string_view t = Trim(spec.substr(colon + 1));
  if (t.substr(0, 4) == "Ref(" && t.back() == ')') {
    arg.is_ref = true;
    t = Trim(t.substr(4, t.size() - 5));
  }
  size_t star = t.find('*');
  if (star != std::string_view::npos) {
    arg.number_attr = std::string(Trim(t.substr(0, star)));
    t = Trim(t.substr(star + 1));
  }
  for (const AttrSchema& a : attrs) {
    if (a.name == t) {
      if (a.type == "type") {
        arg.type_attr = a.name;
      } else if (a.type == "list(type)") {
        arg.type_list_attr = a.name;
      } else {
        return InvalidArgument("arg ", arg.name, " names attr ", a.name, " of type ", a.type);
      }
      return arg;
    }
  }
  arg.type = DTypeFromName(t);
  if (arg.type == DType::kInvalid) return InvalidArgument("arg ", arg.name, ": unknown type ", t);
  return arg;
}

}  // namespace

StatusOr<OpSchema> ParseOpSpec(std::string_view name, std::string_view inputs,
                               std::string_view outputs, std::string_view attrs,
                               bool is_stateful) {
  OpSchema s;
  s.name = std::string(name);
  s.is_stateful = is_stateful;
  for (std::string_view a : SplitSemicolons(attrs)) {
    size_t colon = a.find(':');
    if (colon == std::string_view::npos) return InvalidArgument(name, ": attr spec without ':': ", a);
    AttrSchema attr;
    attr.name = std::string(Trim(a.substr(0, colon)));
    std::string_view rest = Trim(a.substr(colon + 1));
    size_t eq = rest.find('=');
    attr.type = std::string(Trim(rest.substr(0, eq)));
    if (eq != std::string_view::npos) {
      auto v = ParseDefault(attr.type, Trim(rest.substr(eq + 1)));
      if (!v.ok()) return v.status().WithContext(StrCat(name, ".", attr.name));
      attr.has_default = true;
      attr.default_value = std::move(*v);
    }
    s.attrs.push_back(std::move(attr));
  }
  for (std::string_view a : SplitSemicolons(inputs)) {
    auto arg = ParseArg(a, s.attrs);
    if (!arg.ok()) return arg.status().WithContext(name);
    s.inputs.push_back(std::move(*arg));
  }
  for (std::string_view a : SplitSemicolons(outputs)) {
    auto arg = ParseArg(a, s.attrs);
    if (!arg.ok()) return arg.status().WithContext(name);
    s.outputs.push_back(std::move(*arg));
  }
  return s;
}

StatusOr<ArgLayout> ExpandArgs(const std::vector<ArgSchema>& args, const AttrMap& attrs) {
  ArgLayout layout;
  // Bounds the arity an attribute can request (protects against corrupt graphs).
  constexpr int64_t kMaxArity = 1 << 20;
  for (const ArgSchema& arg : args) {
    layout.arg_start.push_back(static_cast<int>(layout.types.size()));
    if (!arg.type_list_attr.empty()) {
      const AttrValue* v = attrs.Find(arg.type_list_attr);
      if (!v || v->kind != AttrValue::Kind::kList) {
        return InvalidArgument("arg '", arg.name, "' needs list(type) attribute '", arg.type_list_attr, "'");
      }
      for (DType t : v->list_type) {
        layout.types.push_back(t);
        layout.is_ref.push_back(arg.is_ref);
      }
      continue;
    }
    int64_t n = 1;
    if (!arg.number_attr.empty()) {
      const AttrValue* v = attrs.Find(arg.number_attr);
      if (!v || v->kind != AttrValue::Kind::kInt) {
        return InvalidArgument("arg '", arg.name, "' needs int attribute '", arg.number_attr, "'");
      }
      if (v->i < 0 || v->i > kMaxArity) {
        return InvalidArgument("attribute '", arg.number_attr, "' = ", v->i, " is out of range");
      }
      n = v->i;
    }
    DType t = arg.type;
    if (!arg.type_attr.empty()) t = attrs.GetTypeOr(arg.type_attr, DType::kInvalid);
    for (int64_t i = 0; i < n; ++i) {
      layout.types.push_back(t);
      layout.is_ref.push_back(arg.is_ref);
    }
  }
  layout.arg_start.push_back(static_cast<int>(layout.types.size()));
  return layout;
}

void FillDefaultAttrs(const OpSchema& schema, AttrMap* attrs) {
  for (const AttrSchema& a : schema.attrs) {
    if (a.has_default && !attrs->Has(a.name)) attrs->Set(a.name, a.default_value);
  }
}

void OpSchemaSet::Add(OpSchema schema) {
  std::string name = schema.name;
  schemas_.emplace(std::move(name), std::make_shared<const OpSchema>(std::move(schema)));
}

const OpSchema* OpSchemaSet::Find(std::string_view op) const {
  auto it = schemas_.find(op);
  if (it != schemas_.end()) return it->second.get();
  return fallback_ ? fallback_->Find(op) : nullptr;
}

}  // namespace stfs
