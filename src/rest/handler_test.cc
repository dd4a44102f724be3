#include "rest/handler.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include "repo/testing/fake_model.h"

namespace stfs::rest {
namespace {

using stfs::testing::FakeModel;
using stfs::testing::FakeProvider;
using stfs::testing::MakeHalfPlusTwoModel;
using stfs::testing::MakeInfo;

// images string[-1] -> n int64[-1] (byte length), head string[-1] (first 4 bytes).
std::shared_ptr<Model> MakeImageStringModel() {
  ModelMetadata md;
  SignatureInfo s;
  s.name = "serving_default";
  s.method_name = "tensorflow/serving/predict";
  s.inputs = {MakeInfo("images", "images:0", DType::kString, {-1})};
  s.outputs = {MakeInfo("head", "head:0", DType::kString, {-1}),
               MakeInfo("n", "n:0", DType::kInt64, {-1})};
  md.signatures["serving_default"] = s;
  return std::make_shared<FakeModel>(md, [](const std::string&, const NamedTensors& in)
                                             -> StatusOr<NamedTensors> {
    const Tensor& t = in[0].second;
    Tensor n(DType::kInt64, Shape{t.NumElements()});
    Tensor head(DType::kString, Shape{t.NumElements()});
    for (int64_t i = 0; i < t.NumElements(); ++i) {
      n.flat<int64_t>()[i] = static_cast<int64_t>(t.flat<std::string>()[i].size());
      head.flat<std::string>()[i] = t.flat<std::string>()[i].substr(0, 4);
    }
    return NamedTensors{{"head", head}, {"n", n}};
  });
}

// pixels uint8[-1,2,2,3] -> echo (identity) as "out".
std::shared_ptr<Model> MakePixelModel() {
  ModelMetadata md;
  SignatureInfo s;
  s.name = "serving_default";
  s.inputs = {MakeInfo("pixels", "p:0", DType::kUInt8, {-1, 2, 2, 3})};
  s.outputs = {MakeInfo("out", "o:0", DType::kUInt8, {-1, 2, 2, 3})};
  md.signatures["serving_default"] = s;
  return std::make_shared<FakeModel>(md, [](const std::string&, const NamedTensors& in)
                                             -> StatusOr<NamedTensors> {
    return NamedTensors{{"out", in[0].second}};
  });
}

// A 2x2 24-bit BMP: rows bottom-up, BGR, each row padded to 4 bytes.
// Top row: red (255,0,0), green (0,255,0); bottom row: blue (0,0,255), white.
std::string TwoByTwoBmp() {
  std::string b = "BM";
  auto u32 = [&](uint32_t v) { for (int i = 0; i < 4; ++i) b.push_back(static_cast<char>(v >> (8 * i))); };
  auto u16 = [&](uint16_t v) { b.push_back(static_cast<char>(v)); b.push_back(static_cast<char>(v >> 8)); };
  u32(54 + 16); u32(0); u32(54);
  u32(40); u32(2); u32(2); u16(1); u16(24); u32(0); u32(16); u32(2835); u32(2835); u32(0); u32(0);
  const unsigned char bottom[8] = {255, 0, 0, 255, 255, 255, 0, 0};  // blue, white (BGR)
  const unsigned char top[8] = {0, 0, 255, 0, 255, 0, 0, 0};         // red, green (BGR)
  b.append(reinterpret_cast<const char*>(bottom), 8);
  b.append(reinterpret_cast<const char*>(top), 8);
  return b;
}

std::string Gzip(std::string_view in) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(in.size() + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

class HandlerTest : public ::testing::Test {
 protected:
  HandlerTest() {
    provider_.Add("default", 123, MakeHalfPlusTwoModel(2));
    provider_.AddLabel("default", "Version_Label", 123);
    provider_.Add("two", 1, MakeHalfPlusTwoModel(2));
    provider_.Add("two", 2, MakeHalfPlusTwoModel(3));
    provider_.AddFailed("broken", 4, InvalidArgument("Op type not registered 'ZeroOut'"));
    provider_.Add("img", 1, MakeImageStringModel());
    provider_.Add("pix", 1, MakePixelModel());
    handler_ = std::make_unique<RestHandler>(&provider_, RestOptions{});
  }

  http::Response Call(std::string method, std::string path, std::string body = "",
                      std::vector<http::Header> headers = {}) {
    http::Request r;
    r.method = std::move(method);
    size_t q = path.find('?');
    r.path = path.substr(0, q);
    if (q != std::string::npos) r.query = path.substr(q + 1);
    r.target = path;
    r.body = std::move(body);
    r.headers = std::move(headers);
    return handler_->Handle(r);
  }

  FakeProvider provider_;
  std::unique_ptr<RestHandler> handler_;
};

// The golden requests of tfserving-api.md 4 against y = 0.5 x + 2.
TEST_F(HandlerTest, TfServingGoldenRequests) {
  auto r = Call("POST", "/v1/models/default:predict", R"({"instances": [2.0, 3.0, 4.0]})");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, R"({"predictions": [3.0, 3.5, 4.0]})");
  r = Call("POST", "/v1/models/default:predict", R"({"inputs": [2.0, 3.0, 4.0]})");
  EXPECT_EQ(r.body, R"({"outputs": [3.0, 3.5, 4.0]})");
  r = Call("POST", "/v1/models/default:classify",
           R"({"signature_name": "classify_x_to_y", "examples": [{"x": 2.0}]})");
  EXPECT_EQ(r.body, R"({"results": [[["", 3.0]]]})");
  r = Call("POST", "/v1/models/default:regress",
           R"({"signature_name": "regress_x_to_y", "examples": [{"x": 80.0}]})");
  EXPECT_EQ(r.body, R"({"results": [42.0]})");
  r = Call("POST", "/v1/models/default/labels/Version_Label:classify",
           R"({"signature_name": "classify_x_to_y", "examples": [{"x": 10.0}]})");
  EXPECT_EQ(r.body, R"({"results": [[["", 7.0]]]})");
  r = Call("GET", "/v1/models/default");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"model_version_status": [{"version": "123", "state": "AVAILABLE", )"
                    R"("status": {"error_code": "OK", "error_message": ""}}]})");
  r = Call("GET", "/v1/models/default/metadata");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(R"("version": "123")"), std::string::npos);
}

TEST_F(HandlerTest, TfServingErrors) {
  auto r = Call("POST", "/v1/models/half:predict", R"({"instances": [1.0, 5.0]})");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, R"j({"error": "Servable not found for request: Latest(half)"})j");
  r = Call("POST", "/v1/models/default:predict", "");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("JSON Parse error: The document is empty"), std::string::npos);
  r = Call("POST", "/v1/models/default:predict", "instances = [1, 2]");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("JSON Parse error: Invalid value"), std::string::npos);
  r = Call("POST", "/v1/models/default:predict", R"({"instances": ["x", "y"]})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("not of expected type: float"), std::string::npos);
  r = Call("POST", "/v1/models/default:predict", R"({"signature_name": 100})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("'signature_name' key must be a string value."), std::string::npos);
  r = Call("POST", "/v1/models/default/labels/Version_Nonexistent:predict", R"({"instances": [1.0]})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("Unrecognized servable version label"), std::string::npos);
  r = Call("POST", "/v1/models/default:predict", R"({"signature_name": "nope", "instances": [1.0]})");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("Serving signature key \\\"nope\\\" not found."), std::string::npos) << r.body;
  r = Call("GET", "/v1/models/default:predict");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("Malformed request: GET /v1/models/default:predict"), std::string::npos);
  r = Call("GET", "/v1/models/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("Could not find any versions of model nope"), std::string::npos);
  r = Call("GET", "/nope");
  EXPECT_EQ(r.status, 404);
}

TEST_F(HandlerTest, VersionsAndFailedModels) {
  auto r = Call("POST", "/v1/models/two:predict", R"({"instances": [[2.0]]})");
  EXPECT_EQ(r.body, R"({"predictions": [[4.0]]})");  // latest = 2: 0.5 * 2 + 3
  r = Call("POST", "/v1/models/two/versions/1:predict", R"({"instances": [[2.0]]})");
  EXPECT_EQ(r.body, R"({"predictions": [[3.0]]})");
  r = Call("POST", "/v1/models/two/versions/9:predict", R"({"instances": [[2.0]]})");
  EXPECT_EQ(r.status, 404);
  r = Call("GET", "/v1/models/broken");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"model_version_status": [{"version": "4", "state": "END", "status": )"
                    R"({"error_code": "INVALID_ARGUMENT", "error_message": "Op type not registered 'ZeroOut'"}}]})");
  r = Call("POST", "/v1/models/broken:predict", R"({"instances": [1]})");
  EXPECT_EQ(r.status, 404);
}

TEST_F(HandlerTest, GzipBody) {
  auto r = Call("POST", "/v1/models/default:predict", Gzip(R"({"instances": [2.0]})"),
                {{"Content-Encoding", "gzip"}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"predictions": [3.0]})");
  r = Call("POST", "/v1/models/default:predict", "not gzip", {{"Content-Encoding", "gzip"}});
  EXPECT_EQ(r.status, 400);
}

TEST_F(HandlerTest, OriginalJsonApi) {
  auto r = Call("POST", "/", R"({"data": {"x": [[1.0], [2.0]]}})", {{"Content-Type", "application/json"}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"y": [[2.5], [3.0]]})");
  r = Call("POST", "/", R"({"model_name": "two", "model_version": "1", "data": {"x": [[2.0]]}})");
  EXPECT_EQ(r.body, R"({"y": [[3.0]]})");
  r = Call("POST", "/", R"({"model_name": "two", "model_version": 2, "signature_name": "multi",
                            "data": {"a": [[1, 2]], "s": ["q"], "ignored": 1}})");
  EXPECT_EQ(r.body, R"({"a2": [[2, 4]], "n": [3.0], "s_bytes": [{"b64": "cQ=="}]})");
  r = Call("POST", "/", R"({"model_name": "nope", "data": {}})");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("Invalid model name: nope, available models: broken, default, img, pix, two"),
            std::string::npos) << r.body;
  r = Call("POST", "/", "{not json");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("Invalid json data"), std::string::npos);
  r = Call("POST", "/", "a=b", {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("unsupported content type"), std::string::npos);
  r = Call("POST", "/", R"({"data": {}})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("missing input 'x'"), std::string::npos);
  r = Call("POST", "/", R"({"data": {"x": [[1.0]]}, "run_profile": true})");
  EXPECT_NE(r.body.find("\"__PROFILE__\": \"model default version 123"), std::string::npos) << r.body;
}

TEST_F(HandlerTest, ModelListAndGenerators) {
  auto r = Call("GET", "/v1/models");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(R"({"model_name": "default", "model_base_path": "/fake/default", )"
                        R"("model_version_list": ["123"], "model_signature": {"inputs": )"
                        R"([{"name": "x", "dtype": 1, "shape": [-1, 1]}], "outputs": )"
                        R"([{"name": "y", "dtype": 1, "shape": [-1, 1]}]}, "platform": "TensorFlow")"),
            std::string::npos) << r.body;
  r = Call("GET", "/v1/models/default?format=stfs");
  EXPECT_EQ(r.body.rfind(R"({"model_name": "default")", 0), 0u);
  r = Call("GET", "/v1/models/default/gen_json");  // more in dashboard_routes_test.cc
  EXPECT_NE(r.body.find(R"("x": [[1.0]])"), std::string::npos) << r.body;
  r = Call("GET", "/v1/models/default/gen_client?language=bash");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("curl "), std::string::npos);
  r = Call("GET", "/v1/models/default/gen_client?language=cobol");
  EXPECT_EQ(r.status, 400);
  r = Call("GET", "/v1/models/nope/gen_json");
  EXPECT_EQ(r.status, 404);
  r = Call("GET", "/health");
  EXPECT_EQ(r.body, "healthy");
  r = Call("GET", "/v1/models");  // load errors are listed for the dashboard
  EXPECT_NE(r.body.find("Op type not registered"), std::string::npos);
  r = Call("GET", "/");
  EXPECT_NE(r.body.find("<!doctype html>"), std::string::npos);
}

std::string Multipart(const std::vector<std::tuple<std::string, std::string, std::string>>& parts) {
  std::string b;
  for (const auto& [name, filename, data] : parts) {
    b += "--XyZ\r\nContent-Disposition: form-data; name=\"" + name + "\"";
    if (!filename.empty()) b += "; filename=\"" + filename + "\"";
    b += "\r\n\r\n" + data + "\r\n";
  }
  return b + "--XyZ--\r\n";
}

TEST_F(HandlerTest, MultipartUploadToStringInput) {
  // "\xfb\xff\xbf" is URL-safe base64 "-_-_" (standard "+/+/"): the encoding
  // the original server used for the 'images' input.
  auto r = Call("POST", "/",
                Multipart({{"model_name", "", "img"}, {"image", "a.jpg", "\xfb\xff\xbf"},
                           {"images", "b.jpg", "hello"}}),
                {{"Content-Type", "multipart/form-data; boundary=XyZ"}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"head": ["-_-_", "aGVs"], "n": [4, 8]})");
  r = Call("POST", "/",
           Multipart({{"model_name", "", "img"}, {"image_encoding", "", "raw"}, {"image", "a", "hello"}}),
           {{"Content-Type", "multipart/form-data; boundary=XyZ"}});
  EXPECT_EQ(r.body, R"({"head": ["hell"], "n": [5]})");
  r = Call("POST", "/", Multipart({{"model_name", "", "img"}}),
           {{"Content-Type", "multipart/form-data; boundary=XyZ"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("no image uploaded"), std::string::npos);
}

TEST_F(HandlerTest, MultipartUploadDecodesPixels) {
  auto r = Call("POST", "/", Multipart({{"model_name", "", "pix"}, {"image", "x.bmp", TwoByTwoBmp()}}),
                {{"Content-Type", "multipart/form-data; boundary=XyZ"}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"out": [[[[255, 0, 0], [0, 255, 0]], [[0, 0, 255], [255, 255, 255]]]]})");
  r = Call("POST", "/", Multipart({{"model_name", "", "pix"}, {"image", "x.bmp", "garbage"}}),
           {{"Content-Type", "multipart/form-data; boundary=XyZ"}});
  EXPECT_EQ(r.status, 400) << r.body;
}

TEST_F(HandlerTest, MetricsCountRequests) {
  Call("POST", "/v1/models/default:predict", R"({"instances": [2.0]})");
  Call("POST", "/v1/models/default:predict", R"({"instances": ["bad"]})");
  auto r = Call("GET", "/monitoring/prometheus/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type.rfind("text/plain", 0), 0u);
  EXPECT_NE(r.body.find("# TYPE :tensorflow:serving:request_count counter"), std::string::npos);
  EXPECT_NE(r.body.find(R"(:tensorflow:serving:request_count{model_name="default",status="OK"} 1)"),
            std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"(:tensorflow:serving:request_count{model_name="default",status="INVALID_ARGUMENT"} 1)"),
            std::string::npos);
  EXPECT_NE(r.body.find(R"(stfs_requests_total{model="default",version="123",signature="serving_default",api="predict",code="200"} 1)"),
            std::string::npos);
  EXPECT_NE(r.body.find(R"(:tensorflow:serving:request_latency_bucket{model_name="default",API="predict",entrypoint="REST",le="+Inf"} 2)"),
            std::string::npos);
  EXPECT_NE(r.body.find(R"(stfs_model_version_state{model="broken",version="4",state="END"} 1)"),
            std::string::npos);
}

}  // namespace
}  // namespace stfs::rest
