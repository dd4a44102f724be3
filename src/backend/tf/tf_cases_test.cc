// Runs the predict cases of /work/shared/models/cases.json on TfModel for the
// models this backend serves today, comparing with each case's tolerance.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "backend/tf/predict_command.h"
#include "backend/tf/tf_model.h"
#include "savedmodel/saved_model.h"

namespace stfs {
namespace {

using Json = nlohmann::json;

// Models whose predict cases must pass.
const char* const kModels[] = {
    "stfs/benchmark_simplest_model",
    "stfs/preprocess_simplest_model",
    "stfs/distributed_tensorflow_model",
    "stfs/tensorflow_template_application_model",
    "stfs/benchmark_tensorflow_template_application_model",
    "stfs/deep_image_model",
    "tfserving/matrix_half_plus_two",
    "tfserving/saved_model_counter",
    "tfserving/saved_model_half_plus_two_cpu",
    "tfserving/saved_model_half_plus_two_2_versions",
    "tfserving/saved_model_half_plus_three",
    "tensorflow/half_plus_two",
    // TF2 (function library) models.
    "tfserving/saved_model_half_plus_two_tf2_cpu",
    "tensorflow/VarsAndArithmeticObjectGraph",
    "tensorflow/AssetModule",
    "tensorflow/x_plus_y_v2_debuginfo",
    "tensorflow/non_chunked_model",
    "tensorflow/chunked_model",
    "keras/simple_model_from_auto_compile",
};

void Compare(const Json& want, const Tensor& got, double rtol, double atol, const std::string& what) {
  // Flatten the expected value.
  std::vector<Json> flat;
  std::function<void(const Json&)> walk = [&](const Json& j) {
    if (j.is_array()) {
      for (const Json& e : j) walk(e);
    } else {
      flat.push_back(j);
    }
  };
  walk(want);
  ASSERT_EQ(static_cast<int64_t>(flat.size()), got.NumElements()) << what;
  for (size_t i = 0; i < flat.size(); ++i) {
    double g = 0;
    if (got.dtype() == DType::kString) {
      EXPECT_EQ(flat[i].get<std::string>(), got.data<std::string>()[i]) << what << "[" << i << "]";
      continue;
    }
    DispatchDType(got.dtype(), [&]<typename T>() {
      if constexpr (std::is_arithmetic_v<T>) g = static_cast<double>(got.data<T>()[i]);
    });
    double w = flat[i].get<double>();
    EXPECT_LE(std::fabs(g - w), atol + rtol * std::fabs(w)) << what << "[" << i << "] got " << g << " want " << w;
  }
}

TEST(TfCasesTest, PredictCasesMatchGoldenOutputs) {
  std::ifstream in(std::string(STFS_MODELS_DIR) + "/cases.json");
  ASSERT_TRUE(in);
  Json cases = Json::parse(in);
  std::map<std::string, std::unique_ptr<TfModel>> loaded;  // fresh per model (stateful sequences)
  int ran = 0;
  for (const Json& c : cases) {
    const std::string model_dir = c["model_dir"];
    if (c["method"] != "predict") continue;
    if (std::find(std::begin(kModels), std::end(kModels), model_dir) == std::end(kModels)) continue;
    const std::string id = c["id"];
    std::string base = std::string(STFS_MODELS_DIR) + "/" + model_dir;
    std::vector<VersionDir> versions = ListVersionDirs(base);
    ASSERT_FALSE(versions.empty()) << id;
    std::string version_dir = versions.back().name;
    if (!c["version"].is_null()) {
      for (const VersionDir& v : versions) {
        if (v.version == c["version"].get<int64_t>()) version_dir = v.name;
      }
    }
    std::string key = base + "/" + version_dir;
    if (!loaded.count(key)) {
      auto m = TfModel::Load(key, {});
      ASSERT_TRUE(m.ok()) << id << ": " << m.status().ToString();
      loaded[key] = std::move(*m);
    }
    TfModel& model = *loaded[key];
    const std::string sig_name = c["signature_name"];
    const SignatureInfo& sig = model.metadata().signatures.at(sig_name);
    NamedTensors inputs;
    for (const auto& [alias, value] : c["inputs"].items()) {
      DType dtype = DType::kInvalid;
      for (const TensorInfo& t : sig.inputs) {
        if (t.alias == alias) dtype = t.dtype;
      }
      auto tensor = ParseJsonTensor(value.dump(), dtype);
      ASSERT_TRUE(tensor.ok()) << id << " input " << alias << ": " << tensor.status().ToString();
      inputs.emplace_back(alias, std::move(*tensor));
    }
    auto out = model.Predict(sig_name, inputs, {});
    ASSERT_TRUE(out.ok()) << id << ": " << out.status().ToString();
    for (const auto& [alias, want] : c["expected"].items()) {
      auto it = std::find_if(out->begin(), out->end(), [&](auto& p) { return p.first == alias; });
      ASSERT_NE(it, out->end()) << id << " output " << alias;
      Compare(want, it->second, c["rtol"].get<double>(), c["atol"].get<double>(), id + " " + alias);
    }
    ++ran;
  }
  EXPECT_GE(ran, 15);
  std::cout << "ran " << ran << " predict cases\n";
}

}  // namespace
}  // namespace stfs
