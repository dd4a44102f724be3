// Batch parsing of serialized tf.Example protos into dense / sparse / ragged
// tensors with TensorFlow's ParseExample semantics, using a hand-written wire
// reader (no libprotobuf). Shared by ParseExample, ParseExampleV2 and
// ParseSingleExample.
//
// Semantics (TF fast path):
//  * A feature's kind must match its dtype (float_list/float, int64_list/int64,
//    bytes_list/string); an empty Feature (no kind) counts as missing.
//  * Fixed-shape dense: value count must equal the shape's element count;
//    missing -> the default, or an error if the default is empty (required).
//  * Variable-length dense (first dim -1): rows padded to the batch maximum
//    with the (scalar) default.
//  * Sparse: indices int64 [N, 2] = (example, position), values [N],
//    dense_shape [B, max_len]. Ragged: values [N], row_splits [B + 1].
//  * A key repeated within one example: the first occurrence wins.
//  * scalar = true (one unbatched example): the batch dim is dropped
//    (sparse indices [N, 1], shape [max_len]).
// Thread-safe: a ParseConfig is immutable after Validate.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "tensor/tensor.h"

namespace stfs::kernels {

struct DenseFeatureSpec {
  std::string key;
  DType dtype = DType::kFloat;
  PartialShape shape;       // first dim may be -1 (variable length)
  Tensor default_value;     // NumElements() == 0 -> required
  // Filled by ValidateParseConfig:
  bool variable_length = false;
  std::vector<int64_t> elem_dims;  // shape without a variable first dim
  int64_t row_elems = 1;           // elements per row (per example if fixed)
};

struct SparseFeatureSpec {
  std::string key;
  DType dtype = DType::kFloat;
};

struct RaggedFeatureSpec {
  std::string key;
  DType dtype = DType::kFloat;
  DType split_dtype = DType::kInt64;
};

struct ParseConfig {
  std::vector<SparseFeatureSpec> sparse;
  std::vector<DenseFeatureSpec> dense;
  std::vector<RaggedFeatureSpec> ragged;
};

struct ParseResult {
  std::vector<Tensor> sparse_indices, sparse_values, sparse_shapes;
  std::vector<Tensor> dense_values;
  std::vector<Tensor> ragged_values, ragged_splits;
};

// Checks dtypes, shapes and defaults; fills the derived DenseFeatureSpec fields.
Status ValidateParseConfig(ParseConfig* config);

// Parses serialized[0..B). names: empty or one per example (error messages only).
Status ParseExamples(const ParseConfig& config, std::span<const std::string> serialized,
                     std::span<const std::string> names, bool scalar, ParseResult* result);

}  // namespace stfs::kernels
