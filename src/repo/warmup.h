// Warm-up replay (TF Serving's SavedModel warm-up): before a version becomes
// AVAILABLE, the requests in <version>/assets.extra/tf_serving_warmup_requests
// are run against it. The file is a TFRecord file (uint64 length, masked
// crc32c of the length, data, masked crc32c of the data) of serialized
// tensorflow.serving.PredictionLog; predict_log, classify_log and regress_log
// are replayed. A malformed file, more than kMaxWarmupRecords records, another
// log type or a failing request fails the load (TF Serving does the same).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "backend/model.h"
#include "base/status.h"
#include "repo/repository.h"

namespace stfs {

inline constexpr size_t kMaxWarmupRecords = 1000;
inline constexpr char kWarmupFile[] = "assets.extra/tf_serving_warmup_requests";

// The records of a TFRecord file, checking both CRCs of each. Errors
// (DATA_LOSS / INVALID_ARGUMENT) name the file, the record index and the
// problem; more than `max_records` records is an error.
StatusOr<std::vector<std::string>> ReadTfRecordFile(const std::string& path, size_t max_records);

// Replays the warm-up file of `version_dir`, if any, against `model`.
// Returns the number of requests replayed (0 without a file).
StatusOr<int> ReplayWarmup(const std::string& version_dir, const std::shared_ptr<Model>& model);

// `loader` followed by ReplayWarmup for TensorFlow versions (logged).
ModelLoader WithWarmup(ModelLoader loader);

}  // namespace stfs
