// End-to-end model benchmarks on the two seed networks of the original
// project: the template MLP (9-128-32-8-2) at batch 1/32/256 and the image
// CNN (base64 JPEG -> map_fn decode/resize -> conv/pool -> softmax) at batch
// 1/32. Each runs TfModel::Predict exactly as the server does, after load.
// Report ratios between runs of the same invocation (e.g. batch 32 vs 1),
// not absolute times. threads:1 runs kernels on one thread, threads:0 on
// the machine-sized pool.
#include <benchmark/benchmark.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "backend/tf/tf_model.h"
#include "base/base64.h"

namespace stfs {
namespace {

const std::string kModels = STFS_MODELS_DIR;

// threads = 0: the machine-sized default pool; 1: kernels run on one thread.
TfModel* LoadOnce(const std::string& dir, int threads) {
  static std::map<std::pair<std::string, int>, std::unique_ptr<TfModel>> cache;
  static ThreadPool single(1);
  auto& slot = cache[{dir, threads}];
  if (!slot) {
    TfLoadOptions options;
    if (threads == 1) options.thread_pool = &single;
    auto m = TfModel::Load(dir, options);
    if (!m.ok()) {
      std::fprintf(stderr, "cannot load %s: %s\n", dir.c_str(), m.status().ToString().c_str());
      std::abort();
    }
    slot = std::move(m).value();
  }
  return slot.get();
}

void BM_TemplateMlp(benchmark::State& state) {
  TfModel* model = LoadOnce(kModels + "/stfs/tensorflow_template_application_model/2", static_cast<int>(state.range(1)));
  const int64_t batch = state.range(0);
  Tensor features(DType::kFloat, Shape{batch, 9});
  for (int64_t i = 0; i < batch * 9; ++i) features.data<float>()[i] = static_cast<float>(i % 7) * 0.1f;
  Tensor keys(DType::kInt32, Shape{batch, 1});
  NamedTensors inputs = {{"features", features}, {"keys", keys}};
  for (auto _ : state) {
    auto out = model->Predict("serving_default", inputs, {});
    if (!out.ok()) state.SkipWithError(out.status().ToString().c_str());
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations() * batch);
}
BENCHMARK(BM_TemplateMlp)->ArgNames({"batch", "threads"})->ArgsProduct({{1, 32, 256}, {1, 0}})->UseRealTime();

void BM_ImageCnn(benchmark::State& state) {
  TfModel* model = LoadOnce(kModels + "/stfs/deep_image_model/1", static_cast<int>(state.range(1)));
  std::ifstream f(kModels + "/stfs/_test_inputs/images_mew.jpg", std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string b64 = EncodeBase64(ss.str(), /*web_safe=*/true, /*pad=*/true);
  const int64_t batch = state.range(0);
  Tensor images(DType::kString, Shape{batch});
  for (int64_t i = 0; i < batch; ++i) images.data<std::string>()[i] = b64;
  NamedTensors inputs = {{"images", images}};
  for (auto _ : state) {
    auto out = model->Predict("serving_default", inputs, {});
    if (!out.ok()) state.SkipWithError(out.status().ToString().c_str());
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations() * batch);
}
BENCHMARK(BM_ImageCnn)->ArgNames({"batch", "threads"})->ArgsProduct({{1, 32}, {1, 0}})->UseRealTime();

}  // namespace
}  // namespace stfs
