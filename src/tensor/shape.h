// Shape: the dimensions of a concrete tensor (all known, >= 0).
// PartialShape: a possibly unknown rank and dimensions (-1), as signatures and
// `_output_shapes` describe them.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "base/status.h"

namespace stfs {

// Largest element count a tensor may have (2^40): bounds allocations driven by
// untrusted shapes in protos and requests.
constexpr int64_t kMaxTensorElements = int64_t{1} << 40;

class Shape {
 public:
  Shape() = default;  // scalar
  Shape(std::initializer_list<int64_t> dims) : dims_(dims) {}
  explicit Shape(std::vector<int64_t> dims) : dims_(std::move(dims)) {}

  // Validates dims (each >= 0, product <= kMaxTensorElements without overflow).
  static StatusOr<Shape> Create(std::vector<int64_t> dims);
  // The check of Create, without building a Shape.
  static Status Validate(const std::vector<int64_t>& dims);

  int rank() const { return static_cast<int>(dims_.size()); }
  int64_t dim(int i) const { return dims_[i]; }
  int64_t operator[](int i) const { return dims_[i]; }
  const std::vector<int64_t>& dims() const { return dims_; }
  int64_t num_elements() const;
  bool IsScalar() const { return dims_.empty(); }

  void set_dim(int i, int64_t v) { dims_[i] = v; }
  void AddDim(int64_t v) { dims_.push_back(v); }
  void InsertDim(int i, int64_t v) { dims_.insert(dims_.begin() + i, v); }
  void RemoveDim(int i) { dims_.erase(dims_.begin() + i); }

  // "[2,3]"; "[]" for a scalar.
  std::string ToString() const;

  bool operator==(const Shape& o) const { return dims_ == o.dims_; }
  bool operator!=(const Shape& o) const { return dims_ != o.dims_; }

 private:
  std::vector<int64_t> dims_;
};

class PartialShape {
 public:
  PartialShape() : unknown_rank_(true) {}                 // unknown rank
  explicit PartialShape(std::vector<int64_t> dims)        // -1 = unknown dim
      : unknown_rank_(false), dims_(std::move(dims)) {}
  static PartialShape Scalar() { return PartialShape(std::vector<int64_t>{}); }

  bool unknown_rank() const { return unknown_rank_; }
  int rank() const { return unknown_rank_ ? -1 : static_cast<int>(dims_.size()); }
  const std::vector<int64_t>& dims() const { return dims_; }
  bool IsFullyDefined() const;

  // True if `shape` matches: same rank (if known) and equal known dims.
  bool IsCompatibleWith(const Shape& shape) const;

  // "[?,3]", "<unknown>" for unknown rank.
  std::string ToString() const;

 private:
  bool unknown_rank_;
  std::vector<int64_t> dims_;
};

}  // namespace stfs
