#include "tensor/shape.h"

namespace stfs {

Status Shape::Validate(std::span<const int64_t> dims) {
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

StatusOr<Shape> Shape::Create(const std::vector<int64_t>& dims) {
  RETURN_IF_ERROR(Validate(dims));
  return Shape(dims);
}

void Shape::InsertDim(int i, int64_t v) {
  if (rank_ < kInline) {  // stays inline: shift in place
    std::copy_backward(inline_ + i, inline_ + rank_, inline_ + rank_ + 1);
    inline_[i] = v;
    ++rank_;
    return;
  }
  std::vector<int64_t> d = dim_vector();
  d.insert(d.begin() + i, v);
  Release();
  Assign(d.data(), d.size());
}

void Shape::RemoveDim(int i) {
  std::vector<int64_t> d = dim_vector();
  d.erase(d.begin() + i);
  Release();
  Assign(d.data(), d.size());
}

int64_t Shape::num_elements() const {
  int64_t n = 1;
  for (int64_t d : dims()) n *= d;
  return n;
}

std::string Shape::ToString() const {
  std::string s = "[";
  for (int i = 0; i < rank(); ++i) {
    if (i) s += ",";
    s += std::to_string(dim(i));
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
