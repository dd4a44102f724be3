// Tensor: a dtype, a shape and a reference-counted, 64-byte aligned buffer.
//
// Copying a Tensor is cheap and shares the buffer (like TensorFlow's Tensor);
// use DeepCopy() for an independent copy. Elements are stored row-major and
// contiguous. Non-POD elements (std::string, ResourceHandle, Variant) are
// constructed in the buffer and destroyed with it.
//
// Thread safety: a Tensor object is a value; concurrent reads of one buffer
// are safe. Writers must own the buffer exclusively (RefCountIsOne()) or be the
// producer that just allocated it.
#pragma once

#include <atomic>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "tensor/dtype.h"
#include "tensor/shape.h"

namespace stfs {

// One aligned allocation holding this header and `num_elements` elements of
// `dtype` (header and data in one block: one malloc per tensor). Reference
// counted intrusively through BufferRef.
class TensorBuffer {
 public:
  TensorBuffer(const TensorBuffer&) = delete;
  TensorBuffer& operator=(const TensorBuffer&) = delete;

  void* data() const { return data_; }
  size_t bytes() const { return bytes_; }
  DType dtype() const { return dtype_; }
  int64_t num_elements() const { return num_elements_; }

 private:
  friend class BufferRef;
  TensorBuffer() = default;
  ~TensorBuffer();
  std::atomic<int64_t> refs_{1};
  void* block_ = nullptr;  // what malloc returned (freed with the buffer)
  void* data_ = nullptr;
  size_t bytes_ = 0;
  DType dtype_ = DType::kInvalid;
  int64_t num_elements_ = 0;
};

// Shared ownership of a TensorBuffer (like shared_ptr, without a separate
// control block).
class BufferRef {
 public:
  BufferRef() = default;
  // Allocates and value-initialises (zeros, empty strings, null variants).
  // Returns a null ref if the allocation fails.
  static BufferRef Allocate(DType dtype, int64_t num_elements);
  BufferRef(const BufferRef& o) : p_(o.p_) {
    if (p_) p_->refs_.fetch_add(1, std::memory_order_relaxed);
  }
  BufferRef(BufferRef&& o) noexcept : p_(o.p_) { o.p_ = nullptr; }
  BufferRef& operator=(const BufferRef& o) {
    BufferRef(o).swap(*this);
    return *this;
  }
  BufferRef& operator=(BufferRef&& o) noexcept {
    BufferRef(std::move(o)).swap(*this);
    return *this;
  }
  ~BufferRef() { Release(); }
  void swap(BufferRef& o) noexcept { std::swap(p_, o.p_); }

  TensorBuffer* get() const { return p_; }
  TensorBuffer* operator->() const { return p_; }
  explicit operator bool() const { return p_ != nullptr; }
  bool operator==(const BufferRef& o) const { return p_ == o.p_; }
  bool unique() const { return p_ && p_->refs_.load(std::memory_order_acquire) == 1; }

 private:
  void Release() {
    if (p_ && p_->refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) Destroy(p_);
    p_ = nullptr;
  }
  static void Destroy(TensorBuffer* b);
  TensorBuffer* p_ = nullptr;
};

class Tensor {
 public:
  // An uninitialised tensor (dtype kInvalid, no buffer).
  Tensor() = default;
  // Allocates a zero-filled tensor. Aborts on allocation failure; use Create
  // for shapes that come from untrusted input.
  Tensor(DType dtype, Shape shape);
  // Checks the element count limit and allocation.
  static StatusOr<Tensor> Create(DType dtype, Shape shape);

  // Scalars and vectors, mainly for tests and constants.
  template <typename T>
  static Tensor Scalar(T value) {
    Tensor t(DTypeOf<T>::value, Shape{});
    t.data<T>()[0] = std::move(value);
    return t;
  }
  template <typename T>
  static Tensor FromVector(const std::vector<T>& values, Shape shape) {
    Tensor t(DTypeOf<T>::value, std::move(shape));
    assert(static_cast<size_t>(t.NumElements()) == values.size());
    for (size_t i = 0; i < values.size(); ++i) t.data<T>()[i] = values[i];
    return t;
  }
  template <typename T>
  static Tensor FromVector(const std::vector<T>& values) {
    return FromVector(values, Shape{static_cast<int64_t>(values.size())});
  }

  bool IsInitialized() const { return buffer_ || dtype_ != DType::kInvalid; }
  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  int rank() const { return shape_.rank(); }
  int64_t dim(int i) const { return shape_.dim(i); }
  int64_t NumElements() const { return num_elements_; }
  // Bytes of element storage (NumElements * DTypeSize for POD types).
  size_t TotalBytes() const;

  // Typed access; asserts the dtype matches (see DTypeAccessibleAs).
  template <typename T>
  T* data() {
    assert(DTypeAccessibleAs<T>(dtype_));
    return reinterpret_cast<T*>(raw_data());
  }
  template <typename T>
  const T* data() const {
    assert(DTypeAccessibleAs<T>(dtype_));
    return reinterpret_cast<const T*>(raw_data());
  }
  template <typename T>
  std::span<T> flat() { return {data<T>(), static_cast<size_t>(num_elements_)}; }
  template <typename T>
  std::span<const T> flat() const { return {data<T>(), static_cast<size_t>(num_elements_)}; }
  template <typename T>
  const T& scalar() const { assert(num_elements_ == 1); return data<T>()[0]; }
  template <typename T>
  T& scalar() { assert(num_elements_ == 1); return data<T>()[0]; }

  void* raw_data() const {
    return buffer_ ? static_cast<char*>(buffer_->data()) + offset_bytes_ : nullptr;
  }

  // Same buffer, new shape with the same element count.
  StatusOr<Tensor> Reshaped(Shape new_shape) const;
  // Same buffer viewed as dim-0 rows [begin, end) (zero-copy; rank >= 1).
  Tensor SliceDim0(int64_t begin, int64_t end) const;
  // Independent copy of the elements.
  Tensor DeepCopy() const;

  // True if this Tensor is the only owner of its buffer (safe to reuse in place).
  bool RefCountIsOne() const { return buffer_.unique(); }
  bool SharesBufferWith(const Tensor& other) const {
    return buffer_ && buffer_ == other.buffer_;
  }

  // "float [2,3] values: 1 2 3 4 5 6"; at most max_entries values.
  std::string DebugString(int max_entries = 10) const;
  // "float[2,3]" for error messages.
  std::string DTypeShapeString() const;

 private:
  DType dtype_ = DType::kInvalid;
  Shape shape_;
  int64_t num_elements_ = 0;
  BufferRef buffer_;
  size_t offset_bytes_ = 0;  // for zero-copy dim-0 slices
};

// Element-wise equality of dtype, shape and values (floats exactly; for tests).
bool TensorEquals(const Tensor& a, const Tensor& b);

}  // namespace stfs
