// Signature metadata shared by every backend and front end: the inputs and
// outputs of each signature with alias, tensor name, dtype and shape.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tensor/shape.h"
#include "tensor/tensor.h"

namespace stfs {

// One input or output of a signature.
struct TensorInfo {
  std::string alias;        // key in the SignatureDef ("x")
  std::string tensor_name;  // graph tensor ("x:0"); empty for composite/sparse
  DType dtype = DType::kInvalid;
  bool is_ref = false;      // DT_FLOAT_REF style (reported as such in metadata)
  PartialShape shape;       // unknown rank if the SignatureDef has no shape
  bool is_sparse = false;   // coo_sparse encoding (not servable as a dense input)
};

struct SignatureInfo {
  std::string name;         // "serving_default"
  std::string method_name;  // "tensorflow/serving/predict", ".../classify", ".../regress"
  std::vector<TensorInfo> inputs;   // sorted by alias
  std::vector<TensorInfo> outputs;  // sorted by alias
  std::map<std::string, Tensor> defaults;  // TF2 signature defaults by alias
};

struct ModelMetadata {
  std::string platform = "tensorflow";
  std::vector<std::string> tags;                   // MetaGraph tags used
  std::map<std::string, SignatureInfo> signatures; // by signature name
};

}  // namespace stfs
