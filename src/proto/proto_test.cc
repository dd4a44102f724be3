// Parses real SavedModels and configs with the stfs_proto messages.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <google/protobuf/text_format.h>
#include <google/protobuf/unknown_field_set.h>
#include <gtest/gtest.h>

#include "proto/example.pb.h"
#include "proto/fingerprint.pb.h"
#include "proto/get_model_metadata.pb.h"
#include "proto/model_server_config.pb.h"
#include "proto/prediction_log.pb.h"
#include "proto/saved_model.pb.h"
#include "proto/tensor_bundle.pb.h"

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string ModelPath(const std::string& rel) { return std::string(STFS_MODELS_DIR) + "/" + rel; }

// Appends the paths of fields our .proto files do not declare (anywhere in `msg`).
void FindUnknown(const google::protobuf::Message& msg, const std::string& path,
                 std::vector<std::string>* out) {
  const auto* refl = msg.GetReflection();
  const auto& unknown = refl->GetUnknownFields(msg);
  for (int i = 0; i < unknown.field_count(); ++i) {
    out->push_back(path + "/#" + std::to_string(unknown.field(i).number()));
  }
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  refl->ListFields(msg, &fields);
  for (const auto* f : fields) {
    if (f->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    std::string sub = path + "/" + f->name();
    if (f->is_repeated()) {
      for (int i = 0, n = refl->FieldSize(msg, f); i < n; ++i) {
        FindUnknown(refl->GetRepeatedMessage(msg, f, i), sub, out);
      }
    } else {
      FindUnknown(refl->GetMessage(msg, f), sub, out);
    }
  }
}

// The half_plus_two export: tag "serve", serving_default with x: DT_FLOAT.
void CheckHalfPlusTwo(const tensorflow::SavedModel& sm) {
  ASSERT_GE(sm.meta_graphs_size(), 1);
  const tensorflow::MetaGraphDef* serve = nullptr;
  for (const auto& mg : sm.meta_graphs()) {
    for (const auto& tag : mg.meta_info_def().tags()) {
      if (tag == "serve") serve = &mg;
    }
  }
  ASSERT_NE(serve, nullptr) << "no meta graph tagged serve";
  auto it = serve->signature_def().find("serving_default");
  ASSERT_NE(it, serve->signature_def().end());
  const auto& sig = it->second;
  EXPECT_EQ(sig.method_name(), "tensorflow/serving/predict");
  auto x = sig.inputs().find("x");
  ASSERT_NE(x, sig.inputs().end());
  EXPECT_EQ(x->second.dtype(), tensorflow::DT_FLOAT);
  EXPECT_EQ(x->second.encoding_case(), tensorflow::TensorInfo::kName);
  EXPECT_FALSE(x->second.name().empty());
  EXPECT_TRUE(sig.outputs().contains("y"));
  EXPECT_GT(serve->graph_def().node_size(), 0);
  EXPECT_EQ(serve->saver_def().version(), tensorflow::SaverDef::V2);
}

TEST(ProtoTest, BinarySavedModel) {
  std::string data = ReadFile(ModelPath("tfserving/saved_model_half_plus_two_cpu/00000123/saved_model.pb"));
  tensorflow::SavedModel sm;
  ASSERT_TRUE(sm.ParseFromString(data));
  CheckHalfPlusTwo(sm);
  // Everything we read is declared: re-serializing gives the same bytes size.
  EXPECT_EQ(sm.ByteSizeLong(), data.size());
}

TEST(ProtoTest, TextSavedModel) {
  std::string text = ReadFile(ModelPath("tensorflow/half_plus_two_pbtxt/00000123/saved_model.pbtxt"));
  tensorflow::SavedModel sm;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &sm));
  CheckHalfPlusTwo(sm);
}

TEST(ProtoTest, Tf2ObjectGraph) {
  std::string data = ReadFile(ModelPath("tensorflow/VarsAndArithmeticObjectGraph/1/saved_model.pb"));
  tensorflow::SavedModel sm;
  ASSERT_TRUE(sm.ParseFromString(data));
  ASSERT_EQ(sm.meta_graphs_size(), 1);
  const auto& mg = sm.meta_graphs(0);
  EXPECT_GT(mg.object_graph_def().nodes_size(), 0);
  EXPECT_GT(mg.graph_def().library().function_size(), 0);
  EXPECT_FALSE(mg.object_graph_def().concrete_functions().empty());
  // No field of this file is unknown to our definitions.
  EXPECT_EQ(sm.ByteSizeLong(), data.size());
  bool has_variable = false;
  for (const auto& n : mg.object_graph_def().nodes()) {
    if (n.kind_case() == tensorflow::SavedObject::kVariable) has_variable = true;
  }
  EXPECT_TRUE(has_variable);
}

// Every SavedModel and fingerprint of the corpus parses with no unknown field.
TEST(ProtoTest, CorpusHasNoUnknownFields) {
  int parsed = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(STFS_MODELS_DIR)) {
    if (!entry.is_regular_file()) continue;
    const std::string path = entry.path().string();
    const std::string name = entry.path().filename().string();
    std::vector<std::string> unknown;
    if (name == "saved_model.pb") {
      tensorflow::SavedModel sm;
      ASSERT_TRUE(sm.ParseFromString(ReadFile(path))) << path;
      FindUnknown(sm, "", &unknown);
    } else if (name == "saved_model.pbtxt") {
      tensorflow::SavedModel sm;
      ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(ReadFile(path), &sm)) << path;
    } else if (name == "fingerprint.pb") {
      tensorflow::FingerprintDef fp;
      ASSERT_TRUE(fp.ParseFromString(ReadFile(path))) << path;
      FindUnknown(fp, "", &unknown);
    } else {
      continue;
    }
    ++parsed;
    for (const auto& u : unknown) ADD_FAILURE() << path << ": unknown field " << u;
  }
  EXPECT_GE(parsed, 40);
}

TEST(ProtoTest, TfServingConfigFixtures) {
  tensorflow::serving::ModelServerConfig good;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
      ReadFile(ModelPath("tfserving/_fixtures/good_model_config.txt")), &good));
  ASSERT_EQ(good.model_config_list().config_size(), 2);
  EXPECT_EQ(good.model_config_list().config(1).name(), "half_plus_three");

  tensorflow::serving::ModelServerConfig bad;
  EXPECT_FALSE(google::protobuf::TextFormat::ParseFromString(
      ReadFile(ModelPath("tfserving/_fixtures/bad_model_config.txt")), &bad));
}

TEST(ProtoTest, ModelServerConfigText) {
  const char* kConfig = R"(
    model_config_list {
      config {
        name: 'half_plus_two'
        base_path: '/models/half_plus_two/'
        model_platform: 'tensorflow'
        model_version_policy { specific { versions: 1 versions: 123 } }
        version_labels { key: 'stable' value: 1 }
        version_labels { key: 'canary' value: 123 }
      }
      config: { name: "other", base_path: "/models/other", model_platform: "tensorflow" },
    })";
  tensorflow::serving::ModelServerConfig cfg;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(kConfig, &cfg));
  ASSERT_EQ(cfg.config_case(), tensorflow::serving::ModelServerConfig::kModelConfigList);
  ASSERT_EQ(cfg.model_config_list().config_size(), 2);
  const auto& c = cfg.model_config_list().config(0);
  EXPECT_EQ(c.name(), "half_plus_two");
  ASSERT_TRUE(c.model_version_policy().has_specific());
  ASSERT_EQ(c.model_version_policy().specific().versions_size(), 2);
  EXPECT_EQ(c.model_version_policy().specific().versions(0), 1);
  EXPECT_EQ(c.version_labels().at("stable"), 1);
  EXPECT_EQ(c.version_labels().at("canary"), 123);
  EXPECT_EQ(cfg.model_config_list().config(1).model_version_policy().policy_choice_case(),
            tensorflow::serving::FileSystemStoragePathSourceConfig::ServableVersionPolicy::
                POLICY_CHOICE_NOT_SET);

  tensorflow::serving::ModelServerConfig bad;
  EXPECT_FALSE(google::protobuf::TextFormat::ParseFromString("model_config_list { nonsense: 1 }", &bad));
}

TEST(ProtoTest, ExampleRoundTrip) {
  tensorflow::Example ex;
  auto& feat = *ex.mutable_features()->mutable_feature();
  feat["x"].mutable_float_list()->add_value(1.5f);
  feat["x"].mutable_float_list()->add_value(-2.0f);
  feat["id"].mutable_int64_list()->add_value(42);
  feat["name"].mutable_bytes_list()->add_value("abc");
  std::string wire;
  ASSERT_TRUE(ex.SerializeToString(&wire));

  tensorflow::Example back;
  ASSERT_TRUE(back.ParseFromString(wire));
  const auto& f = back.features().feature();
  ASSERT_EQ(f.at("x").float_list().value_size(), 2);
  EXPECT_FLOAT_EQ(f.at("x").float_list().value(1), -2.0f);
  EXPECT_EQ(f.at("id").int64_list().value(0), 42);
  EXPECT_EQ(f.at("name").bytes_list().value(0), "abc");

  // Concatenation merges: context + example.
  tensorflow::Example ctx;
  (*ctx.mutable_features()->mutable_feature())["c"].mutable_int64_list()->add_value(7);
  tensorflow::Example merged;
  ASSERT_TRUE(merged.ParseFromString(ctx.SerializeAsString() + wire));
  EXPECT_EQ(merged.features().feature_size(), 4);
}

TEST(ProtoTest, ServingMessages) {
  // Packed float_val and unpacked encoding both parse.
  tensorflow::TensorProto t;
  // field 5 unpacked: tag (5<<3|5)=0x2d, float 1.0f = 00 00 80 3f
  std::string unpacked("\x2d\x00\x00\x80\x3f\x2d\x00\x00\x00\x40", 10);
  ASSERT_TRUE(t.ParseFromString(unpacked));
  ASSERT_EQ(t.float_val_size(), 2);
  EXPECT_FLOAT_EQ(t.float_val(1), 2.0f);

  tensorflow::serving::PredictionLog log;
  auto* req = log.mutable_predict_log()->mutable_request();
  req->mutable_model_spec()->set_name("m");
  req->mutable_model_spec()->mutable_version()->set_value(123);
  (*req->mutable_inputs())["x"] = t;
  tensorflow::serving::PredictionLog back;
  ASSERT_TRUE(back.ParseFromString(log.SerializeAsString()));
  EXPECT_EQ(back.predict_log().request().model_spec().version().value(), 123);

  tensorflow::serving::GetModelMetadataResponse md;
  tensorflow::serving::SignatureDefMap sigs;
  (*sigs.mutable_signature_def())["serving_default"].set_method_name("tensorflow/serving/predict");
  (*md.mutable_metadata())["signature_def"].PackFrom(sigs);
  EXPECT_EQ(md.metadata().at("signature_def").type_url(),
            "type.googleapis.com/tensorflow.serving.SignatureDefMap");

  tensorflow::BundleEntryProto e;
  e.set_crc32c(0xdeadbeef);
  tensorflow::BundleEntryProto e2;
  ASSERT_TRUE(e2.ParseFromString(e.SerializeAsString()));
  EXPECT_EQ(e2.crc32c(), 0xdeadbeefu);
}

}  // namespace
