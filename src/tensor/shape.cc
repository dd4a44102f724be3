#include "tensor/shape.h"

namespace stfs {

Status Shape::Validate(const std::vector<int64_t>& dims) {
  int64_t n = 1;
  for (size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] < 0) {
      return InvalidArgument("dimension ", i, " of shape ", Shape(dims).ToString(), " is negative");
    }
    if (dims[i] != 0 && n > kMaxTensorElements / dims[i]) {
      return InvalidArgument("shape ", Shape(dims).ToString(), " has more than ",
                             kMaxTensorElements, " elements");
    }
    n *= dims[i];
  }
  return Status::OK();
}

StatusOr<Shape> Shape::Create(std::vector<int64_t> dims) {
  RETURN_IF_ERROR(Validate(dims));
  return Shape(std::move(dims));
}

int64_t Shape::num_elements() const {
  int64_t n = 1;
  for (int64_t d : dims_) n *= d;
  return n;
}

std::string Shape::ToString() const {
  std::string s = "[";
  for (size_t i = 0; i < dims_.size(); ++i) {
    if (i) s += ",";
    s += std::to_string(dims_[i]);
  }
  return s + "]";
}

bool PartialShape::IsFullyDefined() const {
  if (unknown_rank_) return false;
  for (int64_t d : dims_) if (d < 0) return false;
  return true;
}

bool PartialShape::IsCompatibleWith(const Shape& shape) const {
  if (unknown_rank_) return true;
  if (static_cast<int>(dims_.size()) != shape.rank()) return false;
  for (size_t i = 0; i < dims_.size(); ++i) {
    if (dims_[i] >= 0 && dims_[i] != shape.dim(static_cast<int>(i))) return false;
  }
  return true;
}

std::string PartialShape::ToString() const {
  if (unknown_rank_) return "<unknown>";
  std::string s = "[";
  for (size_t i = 0; i < dims_.size(); ++i) {
    if (i) s += ",";
    s += dims_[i] < 0 ? "?" : std::to_string(dims_[i]);
  }
  return s + "]";
}

}  // namespace stfs
