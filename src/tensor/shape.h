// Shape: the dimensions of a concrete tensor (all known, >= 0).
// PartialShape: a possibly unknown rank and dimensions (-1), as signatures and
// `_output_shapes` describe them.
#pragma once

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <span>
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
  Shape(std::initializer_list<int64_t> dims) { Assign(dims.begin(), dims.size()); }
  explicit Shape(const std::vector<int64_t>& dims) { Assign(dims.data(), dims.size()); }
  explicit Shape(std::span<const int64_t> dims) { Assign(dims.data(), dims.size()); }
  Shape(const Shape& o) { Assign(o.data(), o.rank_); }
  Shape(Shape&& o) noexcept { Steal(o); }
  Shape& operator=(const Shape& o) {
    if (this != &o) {
      Release();
      Assign(o.data(), o.rank_);
    }
    return *this;
  }
  Shape& operator=(Shape&& o) noexcept {
    if (this != &o) {
      Release();
      Steal(o);
    }
    return *this;
  }
  ~Shape() { Release(); }

  // Validates dims (each >= 0, product <= kMaxTensorElements without overflow).
  static StatusOr<Shape> Create(const std::vector<int64_t>& dims);
  // The check of Create, without building a Shape.
  static Status Validate(std::span<const int64_t> dims);

  int rank() const { return static_cast<int>(rank_); }
  int64_t dim(int i) const { return data()[i]; }
  int64_t operator[](int i) const { return data()[i]; }
  std::span<const int64_t> dims() const { return {data(), rank_}; }
  std::vector<int64_t> dim_vector() const { return {data(), data() + rank_}; }
  int64_t num_elements() const;
  bool IsScalar() const { return rank_ == 0; }

  void set_dim(int i, int64_t v) { data()[i] = v; }
  void AddDim(int64_t v) { InsertDim(rank(), v); }
  void InsertDim(int i, int64_t v);
  void RemoveDim(int i);

  // "[2,3]"; "[]" for a scalar.
  std::string ToString() const;

  bool operator==(const Shape& o) const {
    return rank_ == o.rank_ && std::equal(data(), data() + rank_, o.data());
  }
  bool operator!=(const Shape& o) const { return !(*this == o); }

 private:
  // Up to kInline dims live in the object (no allocation for the shapes of
  // almost every tensor); larger ranks use a heap array of exactly rank_.
  static constexpr size_t kInline = 5;
  const int64_t* data() const { return rank_ <= kInline ? inline_ : heap_; }
  int64_t* data() { return rank_ <= kInline ? inline_ : heap_; }
  void Assign(const int64_t* d, size_t n) {
    rank_ = n;
    if (n > kInline) heap_ = new int64_t[n];
    std::copy(d, d + n, data());
  }
  void Steal(Shape& o) {
    rank_ = o.rank_;
    if (rank_ > kInline) {
      heap_ = o.heap_;
    } else {
      std::copy(o.inline_, o.inline_ + rank_, inline_);
    }
    o.rank_ = 0;
  }
  void Release() {
    if (rank_ > kInline) delete[] heap_;
    rank_ = 0;
  }

  size_t rank_ = 0;
  union {
    int64_t inline_[kInline];
    int64_t* heap_;
  };
};

class PartialShape {
 public:
  PartialShape() : unknown_rank_(true) {}                 // unknown rank
  explicit PartialShape(std::vector<int64_t> dims)        // -1 = unknown dim
      : unknown_rank_(false), dims_(std::move(dims)) {}
  explicit PartialShape(std::span<const int64_t> dims)    // e.g. a Shape's dims()
      : unknown_rank_(false), dims_(dims.begin(), dims.end()) {}
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
