// Resources: state that outlives one Run (variables, lookup tables) or one
// step (TensorArrays), owned by a ResourceManager and found by
// (container, name). One ResourceManager per loaded model version; a step
// (one Run) also has its own for per-step resources.
//
// Thread safety: ResourceManager is thread-safe. Each resource guards its own
// state (Var::mu).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <utility>

#include "base/status.h"
#include "tensor/tensor.h"

namespace stfs {

class ResourceBase {
 public:
  virtual ~ResourceBase() = default;
  virtual std::string DebugString() const = 0;
};

// A variable: VariableV2 (ref semantics) and resource variables share this.
class Var : public ResourceBase {
 public:
  explicit Var(DType dtype) : dtype_(dtype) {}
  Var(DType dtype, std::string var_name) : name(std::move(var_name)), dtype_(dtype) {}
  std::string DebugString() const override;

  DType dtype() const { return dtype_; }
  // Variable name for error messages ("Attempting to use uninitialized value <name>").
  // Set once at creation; immutable.
  const std::string name;
  // Guards tensor and initialized. Readers take shared, writers unique.
  mutable std::shared_mutex mu;
  Tensor tensor;             // current value (valid when initialized)
  bool initialized = false;

 private:
  DType dtype_;
};

class ResourceManager {
 public:
  // Finds the resource, or creates it with `create` (called under the lock).
  // Error if it exists with another type.
  template <typename T>
  StatusOr<std::shared_ptr<T>> LookupOrCreate(const std::string& container,
                                              const std::string& name,
                                              const std::function<StatusOr<std::shared_ptr<T>>()>& create) {
    std::lock_guard<std::mutex> lock(mu_);
    auto key = std::make_pair(container, name);
    auto it = resources_.find(key);
    if (it != resources_.end()) {
      auto typed = std::dynamic_pointer_cast<T>(it->second);
      if (!typed) {
        return InvalidArgument("resource '", name, "' in container '", container,
                               "' exists with another type: ", it->second->DebugString());
      }
      return typed;
    }
    ASSIGN_OR_RETURN(std::shared_ptr<T> created, create());
    resources_[key] = created;
    return created;
  }

  template <typename T>
  StatusOr<std::shared_ptr<T>> Lookup(const std::string& container, const std::string& name) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = resources_.find(std::make_pair(container, name));
    if (it == resources_.end()) {
      return NotFound("resource '", name, "' (container '", container, "') does not exist");
    }
    auto typed = std::dynamic_pointer_cast<T>(it->second);
    if (!typed) return InvalidArgument("resource '", name, "' has another type: ", it->second->DebugString());
    return typed;
  }

  // Unique per ResourceManager instance for the life of the process (never
  // reused, unlike addresses). Resources are never removed from a manager, so
  // a kernel may cache a raw resource pointer keyed by this id.
  uint64_t id() const { return id_; }

 private:
  static uint64_t NextId() {
    static std::atomic<uint64_t> next{1};
    return next.fetch_add(1, std::memory_order_relaxed);
  }
  const uint64_t id_ = NextId();
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, std::shared_ptr<ResourceBase>> resources_;
};

}  // namespace stfs
