#include "tensor/tensor.h"

#include <cstdlib>
#include <cstring>
#include <new>
#include <sstream>

#include "base/logging.h"

namespace stfs {
namespace {
constexpr size_t kAlignment = 64;

template <typename T>
void ConstructAll(void* p, int64_t n) {
  T* t = static_cast<T*>(p);
  for (int64_t i = 0; i < n; ++i) new (t + i) T();
}
template <typename T>
void DestroyAll(void* p, int64_t n) {
  T* t = static_cast<T*>(p);
  for (int64_t i = 0; i < n; ++i) t[i].~T();
}
}  // namespace

// The header sits in the first kAlignment bytes of the aligned block, the data after it.
static_assert(sizeof(TensorBuffer) <= kAlignment);

BufferRef BufferRef::Allocate(DType dtype, int64_t num_elements) {
  size_t elem = DTypeSize(dtype);
  if (num_elements < 0 || (elem && static_cast<uint64_t>(num_elements) > (SIZE_MAX - 4 * kAlignment) / elem)) {
    return BufferRef();
  }
  size_t bytes = elem * static_cast<size_t>(num_elements);
  // malloc + manual alignment: glibc's aligned_alloc/memalign costs several
  // times a plain malloc, and most serving tensors are tiny.
  size_t alloc = 2 * kAlignment + (bytes + kAlignment - 1) / kAlignment * kAlignment;
  void* raw = std::malloc(alloc);
  if (!raw) return BufferRef();
  void* block = reinterpret_cast<void*>((reinterpret_cast<uintptr_t>(raw) + kAlignment - 1) & ~uintptr_t{kAlignment - 1});
  TensorBuffer* buf = new (block) TensorBuffer();
  buf->block_ = raw;
  void* data = static_cast<char*>(block) + kAlignment;
  buf->data_ = data;
  buf->bytes_ = bytes;
  buf->dtype_ = dtype;
  buf->num_elements_ = num_elements;
  switch (dtype) {
    case DType::kString: ConstructAll<std::string>(data, num_elements); break;
    case DType::kResource: ConstructAll<ResourceHandle>(data, num_elements); break;
    case DType::kVariant: ConstructAll<Variant>(data, num_elements); break;
    default: std::memset(data, 0, bytes); break;
  }
  BufferRef ref;
  ref.p_ = buf;
  return ref;
}

void BufferRef::Destroy(TensorBuffer* b) {
  void* raw = b->block_;
  b->~TensorBuffer();
  std::free(raw);
}

TensorBuffer::~TensorBuffer() {
  switch (dtype_) {
    case DType::kString: DestroyAll<std::string>(data_, num_elements_); break;
    case DType::kResource: DestroyAll<ResourceHandle>(data_, num_elements_); break;
    case DType::kVariant: DestroyAll<Variant>(data_, num_elements_); break;
    default: break;
  }
}

Tensor::Tensor(DType dtype, Shape shape) {
  auto t = Create(dtype, std::move(shape));
  CHECK(t.ok()) << t.status().ToString();
  *this = std::move(t).value();
}

StatusOr<Tensor> Tensor::Create(DType dtype, Shape shape) {
  if (dtype == DType::kInvalid) return InvalidArgument("cannot create a tensor of dtype invalid");
  RETURN_IF_ERROR(Shape::Validate(shape.dims()));
  Tensor t;
  t.dtype_ = dtype;
  t.num_elements_ = shape.num_elements();
  t.shape_ = std::move(shape);
  t.buffer_ = BufferRef::Allocate(dtype, t.num_elements_);
  if (!t.buffer_) {
    return ResourceExhausted("failed to allocate ", t.num_elements_, " elements of ",
                             DTypeName(dtype), " for shape ", t.shape_.ToString());
  }
  return t;
}

size_t Tensor::TotalBytes() const { return DTypeSize(dtype_) * static_cast<size_t>(num_elements_); }

StatusOr<Tensor> Tensor::Reshaped(Shape new_shape) const {
  if (new_shape.num_elements() != num_elements_) {
    return InvalidArgument("cannot reshape a tensor with ", num_elements_, " elements to shape ",
                           new_shape.ToString(), " (", new_shape.num_elements(), " elements)");
  }
  Tensor t = *this;
  t.shape_ = std::move(new_shape);
  return t;
}

Tensor Tensor::SliceDim0(int64_t begin, int64_t end) const {
  CHECK(rank() >= 1 && begin >= 0 && begin <= end && end <= dim(0));
  Tensor t = *this;
  int64_t row = dim(0) == 0 ? 0 : num_elements_ / dim(0);
  t.shape_.set_dim(0, end - begin);
  t.num_elements_ = row * (end - begin);
  t.offset_bytes_ = offset_bytes_ + static_cast<size_t>(begin * row) * DTypeSize(dtype_);
  return t;
}

Tensor Tensor::DeepCopy() const {
  if (!buffer_) return *this;
  Tensor t(dtype_, shape_);
  if (DTypeIsPod(dtype_)) {
    if (TotalBytes()) std::memcpy(t.raw_data(), raw_data(), TotalBytes());
  } else {
    DispatchDType(dtype_, [&]<typename T>() {
      const T* src = data<T>();
      T* dst = t.data<T>();
      for (int64_t i = 0; i < num_elements_; ++i) dst[i] = src[i];
    });
  }
  return t;
}

namespace {
template <typename T>
void PrintValue(std::ostream& os, const T& v) {
  if constexpr (std::is_same_v<T, std::string>) {
    os << '"' << v << '"';
  } else if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) {
    os << static_cast<float>(v);
  } else if constexpr (std::is_same_v<T, int8_t> || std::is_same_v<T, uint8_t>) {
    os << static_cast<int>(v);
  } else if constexpr (std::is_same_v<T, bool>) {
    os << (v ? "true" : "false");
  } else if constexpr (std::is_same_v<T, ResourceHandle>) {
    os << "<resource " << v.container << "/" << v.name << ">";
  } else if constexpr (std::is_same_v<T, Variant>) {
    os << (v ? v->DebugString() : std::string("<empty variant>"));
  } else {
    os << v;
  }
}
}  // namespace

std::string Tensor::DTypeShapeString() const {
  return StrCat(DTypeName(dtype_), shape_.ToString());
}

std::string Tensor::DebugString(int max_entries) const {
  std::ostringstream os;
  os << DTypeName(dtype_) << " " << shape_.ToString() << " values:";
  if (!buffer_) return os.str();
  DispatchDType(dtype_, [&]<typename T>() {
    const T* d = data<T>();
    int64_t n = std::min<int64_t>(num_elements_, max_entries);
    for (int64_t i = 0; i < n; ++i) {
      os << ' ';
      PrintValue(os, d[i]);
    }
    if (num_elements_ > n) os << " ...";
  });
  return os.str();
}

bool TensorEquals(const Tensor& a, const Tensor& b) {
  if (a.dtype() != b.dtype() || a.shape() != b.shape()) return false;
  bool eq = true;
  DispatchDType(a.dtype(), [&]<typename T>() {
    if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) {
      for (int64_t i = 0; i < a.NumElements() && eq; ++i) eq = a.data<T>()[i].bits == b.data<T>()[i].bits;
    } else if constexpr (std::is_same_v<T, ResourceHandle> || std::is_same_v<T, Variant>) {
      for (int64_t i = 0; i < a.NumElements() && eq; ++i) eq = a.data<T>()[i] == b.data<T>()[i];
    } else {
      for (int64_t i = 0; i < a.NumElements() && eq; ++i) eq = a.data<T>()[i] == b.data<T>()[i];
    }
  });
  return eq;
}

}  // namespace stfs
