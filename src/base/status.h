// Status and StatusOr<T>: errors as values across module boundaries.
//
// A Status carries a canonical code (the gRPC / TensorFlow set, so mapping to
// HTTP and gRPC lives in one table) and a message that names what is wrong:
// model, signature, node, op, input alias, dtype and shape where known.
// Hot paths return Status; nothing here throws.
#pragma once

#include <cassert>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace stfs {

enum class Code : int {
  kOk = 0,
  kCancelled = 1,
  kUnknown = 2,
  kInvalidArgument = 3,
  kDeadlineExceeded = 4,
  kNotFound = 5,
  kAlreadyExists = 6,
  kPermissionDenied = 7,
  kResourceExhausted = 8,
  kFailedPrecondition = 9,
  kAborted = 10,
  kOutOfRange = 11,
  kUnimplemented = 12,
  kInternal = 13,
  kUnavailable = 14,
  kDataLoss = 15,
  kUnauthenticated = 16,
};

// "INVALID_ARGUMENT", "NOT_FOUND", ... as TensorFlow spells them.
std::string_view CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(Code code, std::string message);

  static Status OK() { return Status(); }

  bool ok() const { return state_ == nullptr; }
  Code code() const { return state_ ? state_->code : Code::kOk; }
  const std::string& message() const;

  // "INVALID_ARGUMENT: message" (or "OK").
  std::string ToString() const;

  // Returns a copy whose message is "prefix: original message"; OK stays OK.
  Status WithContext(std::string_view prefix) const;

  void IgnoreError() const {}

  friend bool operator==(const Status& a, const Status& b) {
    return a.code() == b.code() && a.message() == b.message();
  }

 private:
  struct State {
    Code code;
    std::string message;
  };
  std::shared_ptr<const State> state_;  // null means OK; cheap to copy
};

// Concatenates the arguments (strings, numbers, anything with operator<<).
template <typename... Args>
std::string StrCat(const Args&... args);

// Convenience constructors: InvalidArgument("bad dtype ", dt) etc.
template <typename... Args>
Status InvalidArgument(const Args&... a) { return Status(Code::kInvalidArgument, StrCat(a...)); }
template <typename... Args>
Status NotFound(const Args&... a) { return Status(Code::kNotFound, StrCat(a...)); }
template <typename... Args>
Status FailedPrecondition(const Args&... a) { return Status(Code::kFailedPrecondition, StrCat(a...)); }
template <typename... Args>
Status Unimplemented(const Args&... a) { return Status(Code::kUnimplemented, StrCat(a...)); }
template <typename... Args>
Status Internal(const Args&... a) { return Status(Code::kInternal, StrCat(a...)); }
template <typename... Args>
Status DataLoss(const Args&... a) { return Status(Code::kDataLoss, StrCat(a...)); }
template <typename... Args>
Status OutOfRange(const Args&... a) { return Status(Code::kOutOfRange, StrCat(a...)); }
template <typename... Args>
Status ResourceExhausted(const Args&... a) { return Status(Code::kResourceExhausted, StrCat(a...)); }
template <typename... Args>
Status Unavailable(const Args&... a) { return Status(Code::kUnavailable, StrCat(a...)); }
template <typename... Args>
Status Unauthenticated(const Args&... a) { return Status(Code::kUnauthenticated, StrCat(a...)); }
template <typename... Args>
Status AlreadyExists(const Args&... a) { return Status(Code::kAlreadyExists, StrCat(a...)); }

// StatusOr<T>: either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(const Status& status) : status_(status) {  // NOLINT: implicit by design
    assert(!status.ok() && "StatusOr constructed from OK status without a value");
    if (status_.ok()) status_ = Status(Code::kInternal, "StatusOr built from OK status");
  }
  StatusOr(Status&& status) : status_(std::move(status)) {  // NOLINT
    if (status_.ok()) status_ = Status(Code::kInternal, "StatusOr built from OK status");
  }
  StatusOr(const T& value) : value_(value) {}  // NOLINT
  StatusOr(T&& value) : value_(std::move(value)) {}  // NOLINT
  template <typename U,
            typename = std::enable_if_t<std::is_constructible_v<T, U&&> &&
                                        !std::is_same_v<std::decay_t<U>, Status> &&
                                        !std::is_same_v<std::decay_t<U>, StatusOr<T>> &&
                                        !std::is_same_v<std::decay_t<U>, T>>>
  StatusOr(U&& value) : value_(T(std::forward<U>(value))) {}  // NOLINT

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & { assert(ok()); return *value_; }
  const T& value() const& { assert(ok()); return *value_; }
  T&& value() && { assert(ok()); return std::move(*value_); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*value_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  Status status_;  // OK when value_ is set
  std::optional<T> value_;
};

}  // namespace stfs

#include "base/strcat.h"

#define STFS_CONCAT_INNER_(a, b) a##b
#define STFS_CONCAT_(a, b) STFS_CONCAT_INNER_(a, b)

// Returns from the enclosing function if `expr` (a Status) is not OK.
#define RETURN_IF_ERROR(expr)                         \
  do {                                                \
    ::stfs::Status stfs_status_ = (expr);             \
    if (!stfs_status_.ok()) return stfs_status_;      \
  } while (0)

// ASSIGN_OR_RETURN(auto x, MakeX()); declares/assigns x or returns the error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  STFS_ASSIGN_OR_RETURN_IMPL_(STFS_CONCAT_(stfs_statusor_, __LINE__), lhs, expr)
#define STFS_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(tmp).value()
