// write_warmup: writes a TF Serving warm-up file (TFRecord of serialized
// tensorflow.serving.PredictionLog) for tests.
//   write_warmup OUT_FILE COUNT 'TEXT_FORMAT_PREDICTION_LOG'
// writes COUNT copies of the given PredictionLog, e.g.
//   write_warmup w 3 'predict_log { request { inputs { key: "x" value {
//     dtype: DT_FLOAT tensor_shape { dim { size: 1 } } float_val: 1 } } } }'
#include <google/protobuf/text_format.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

#include "proto/prediction_log.pb.h"
#include "savedmodel/crc32c.h"

namespace {

std::string Fixed(uint64_t v, int bytes) {
  std::string out;
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: write_warmup OUT_FILE COUNT 'TEXT_FORMAT_PREDICTION_LOG'\n";
    return 2;
  }
  const long count = std::strtol(argv[2], nullptr, 10);
  if (count < 0 || count > 100000) {
    std::cerr << "write_warmup: COUNT must be 0..100000\n";
    return 2;
  }
  tensorflow::serving::PredictionLog log;
  if (!google::protobuf::TextFormat::ParseFromString(argv[3], &log)) {
    std::cerr << "write_warmup: cannot parse the PredictionLog text\n";
    return 2;
  }
  const std::string data = log.SerializeAsString();
  const std::string len = Fixed(data.size(), 8);
  std::string record = len + Fixed(stfs::crc32c::Mask(stfs::crc32c::Value(len)), 4) + data +
                       Fixed(stfs::crc32c::Mask(stfs::crc32c::Value(data)), 4);
  std::ofstream out(argv[1], std::ios::binary);
  for (long i = 0; i < count; ++i) out << record;
  out.close();
  if (!out) {
    std::cerr << "write_warmup: cannot write " << argv[1] << "\n";
    return 1;
  }
  return 0;
}
