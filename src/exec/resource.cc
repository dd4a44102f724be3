#include "exec/resource.h"

namespace stfs {

std::string Var::DebugString() const {
  return StrCat("Var(", name.empty() ? "" : name + ", ", DTypeName(dtype_), initialized ? ", " + tensor.shape().ToString() : ", uninitialized", ")");
}

}  // namespace stfs
