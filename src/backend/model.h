// The narrow model interface between backends (TensorFlow now, others later)
// and everything above them (repository, batching, api, front ends).
//
// A Model is one loaded version of one model. It is immutable after Load
// except for the state its own graph keeps (variables of stateful
// signatures), and Predict may be called from many threads at once.
// Ownership: the repository owns Models through shared_ptr; a request keeps
// its shared_ptr for the duration of the call, so unloading never frees a
// model under a running request.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "tensor/signature.h"
#include "tensor/tensor.h"

namespace stfs {

using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

class Model {
 public:
  virtual ~Model() = default;

  virtual const ModelMetadata& metadata() const = 0;

  // Runs signature `signature_name` with inputs keyed by alias. Returns the
  // outputs named in `output_filter` (all outputs when empty), keyed by alias,
  // in signature order. Errors name the signature, alias, dtype and shape.
  virtual StatusOr<NamedTensors> Predict(const std::string& signature_name,
                                         const NamedTensors& inputs,
                                         const std::vector<std::string>& output_filter) = 0;
};

}  // namespace stfs
