#include "exec/resource.h"

namespace stfs {

std::string Var::DebugString() const {
  return StrCat("Var(", DTypeName(dtype_), initialized ? ", " + tensor.shape().ToString() : ", uninitialized", ")");
}

}  // namespace stfs
