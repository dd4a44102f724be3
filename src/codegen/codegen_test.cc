#include "codegen/codegen.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "codegen/literals.h"

namespace stfs {
namespace {

using nlohmann::json;

TensorInfo Input(std::string alias, DType dtype, std::vector<int64_t> dims) {
  TensorInfo t;
  t.alias = std::move(alias);
  t.tensor_name = t.alias + ":0";
  t.dtype = dtype;
  t.shape = PartialShape(std::move(dims));
  return t;
}

// The template application model's signature (original-stfs.md §3.1).
SignatureInfo TemplateSignature() {
  SignatureInfo sig;
  sig.name = "serving_default";
  sig.method_name = "tensorflow/serving/predict";
  sig.inputs = {Input("features", DType::kFloat, {-1, 9}), Input("keys", DType::kInt32, {-1, 1})};
  sig.outputs = {Input("keys", DType::kInt32, {-1, 1}), Input("softmax", DType::kFloat, {-1, 2})};
  return sig;
}

TEST(ExampleRequestTest, TfServingTemplateModel) {
  auto body = GenerateExampleRequest(TemplateSignature(), ApiFlavor::kTfServing);
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  EXPECT_EQ(*body,
            "{\n"
            "  \"signature_name\": \"serving_default\",\n"
            "  \"inputs\": {\n"
            "    \"features\": [[1.0,1.0,1.0,1.0,1.0,1.0,1.0,1.0,1.0]],\n"
            "    \"keys\": [[1]]\n"
            "  }\n"
            "}");
}

TEST(ExampleRequestTest, OriginalFlavorNamesModelAndVersion) {
  ExampleOptions options;
  options.model_name = "default";
  options.version = "2";
  options.unknown_dim = 2;  // the original's gen_json batch size
  auto body = GenerateExampleRequest(TemplateSignature(), ApiFlavor::kOriginal, options);
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  const json j = json::parse(*body);
  EXPECT_EQ(j["model_name"], "default");
  EXPECT_EQ(j["model_version"], "2");
  EXPECT_EQ(j["signature_name"], "serving_default");
  EXPECT_EQ(j["data"]["keys"], json::parse("[[1],[1]]"));
  EXPECT_EQ(j["data"]["features"].size(), 2u);
  EXPECT_FALSE(j.contains("inputs"));
}

TEST(ExampleRequestTest, OriginalFlavorOmitsUnsetVersion) {
  auto body = GenerateExampleRequest(TemplateSignature(), ApiFlavor::kOriginal);
  ASSERT_TRUE(body.ok());
  EXPECT_FALSE(json::parse(*body).contains("model_version"));
}

TEST(ExampleRequestTest, ValuesFollowDtypeAndShape) {
  SignatureInfo sig;
  sig.name = "s";
  TensorInfo unknown_rank = Input("u", DType::kInt64, {});
  unknown_rank.shape = PartialShape();
  TensorInfo sparse = Input("sp", DType::kFloat, {-1});
  sparse.is_sparse = true;
  sig.inputs = {Input("b", DType::kBool, {2}),      Input("d", DType::kDouble, {}),
                Input("h", DType::kHalf, {1, 1}),   Input("img_bytes", DType::kString, {-1}),
                Input("s", DType::kString, {-1}),   Input("q", DType::kQUInt8, {3}),
                Input("z", DType::kUInt64, {0, 4}), unknown_rank,
                sparse};
  auto body = GenerateExampleRequest(sig, ApiFlavor::kTfServing);
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  const json in = json::parse(*body)["inputs"];
  EXPECT_EQ(in["b"], json::parse("[true,true]"));
  EXPECT_EQ(in["d"], json::parse("1.0"));
  EXPECT_TRUE(in["d"].is_number_float());
  EXPECT_EQ(in["h"], json::parse("[[1.0]]"));
  EXPECT_EQ(in["img_bytes"], json::parse(R"([{"b64": ""}])"));
  EXPECT_EQ(in["s"], json::parse(R"([""])"));
  EXPECT_EQ(in["q"], json::parse("[1,1,1]"));
  EXPECT_TRUE(in["q"][0].is_number_integer());
  EXPECT_EQ(in["z"], json::parse("[]"));
  EXPECT_EQ(in["u"], json::parse("[1]"));
  EXPECT_FALSE(in.contains("sp"));

  // The original API has no b64 convention by default: plain strings.
  auto original = GenerateExampleRequest(sig, ApiFlavor::kOriginal);
  ASSERT_TRUE(original.ok());
  EXPECT_EQ(json::parse(*original)["data"]["img_bytes"], json::parse(R"([""])"));
}

TEST(ExampleRequestTest, NoInputsGivesEmptyObject) {
  SignatureInfo sig;
  sig.name = "init";
  auto body = GenerateExampleRequest(sig, ApiFlavor::kTfServing);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(json::parse(*body)["inputs"], json::object());
}

TEST(ExampleRequestTest, EmptySignatureNameMeansServingDefault) {
  SignatureInfo sig = TemplateSignature();
  sig.name = "";
  auto body = GenerateExampleRequest(sig, ApiFlavor::kTfServing);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(json::parse(*body)["signature_name"], "serving_default");
}

TEST(ExampleRequestTest, UnsupportedDtypeIsUnimplemented) {
  SignatureInfo sig;
  sig.inputs = {Input("c", DType::kComplex64, {1})};
  auto body = GenerateExampleRequest(sig, ApiFlavor::kTfServing);
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.status().code(), Code::kUnimplemented);
  EXPECT_NE(body.status().message().find("'c'"), std::string::npos);
}

TEST(ExampleRequestTest, HugeExampleIsRefused) {
  SignatureInfo sig;
  sig.inputs = {Input("x", DType::kFloat, {-1, 1 << 30, 1 << 30})};
  auto body = GenerateExampleRequest(sig, ApiFlavor::kTfServing);
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.status().code(), Code::kResourceExhausted);

  ExampleOptions bad;
  bad.unknown_dim = -1;
  EXPECT_EQ(GenerateExampleRequest(TemplateSignature(), ApiFlavor::kTfServing, bad).status().code(),
            Code::kInvalidArgument);
}

TEST(ExampleRequestTest, HostileNamesStayInsideJsonStringsAndAscii) {
  SignatureInfo sig;
  sig.name = "sig\"'`$#)\n\xC3\xA9";
  sig.inputs = {Input("in\"put", DType::kFloat, {1})};
  auto body = GenerateExampleRequest(sig, ApiFlavor::kTfServing);
  ASSERT_TRUE(body.ok());
  const json j = json::parse(*body);
  EXPECT_EQ(j["signature_name"], sig.name);
  EXPECT_TRUE(j["inputs"].contains("in\"put"));
  for (char c : *body) {
    EXPECT_TRUE(c == '\n' || (c >= 0x20 && c < 0x7F)) << int(c);
    EXPECT_EQ(std::string_view("'`$#)").find(c), std::string_view::npos) << c;
  }
}

TEST(ApiFlavorTest, ParseAndName) {
  EXPECT_EQ(*ParseApiFlavor("tfserving"), ApiFlavor::kTfServing);
  EXPECT_EQ(*ParseApiFlavor(""), ApiFlavor::kTfServing);
  EXPECT_EQ(*ParseApiFlavor("Original"), ApiFlavor::kOriginal);
  EXPECT_EQ(ParseApiFlavor("grpc").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(ApiFlavorName(ApiFlavor::kOriginal), "original");
  EXPECT_EQ(*ParseApiFlavor(ApiFlavorName(ApiFlavor::kTfServing)), ApiFlavor::kTfServing);
}

ClientSpec Spec() {
  ClientSpec spec;
  spec.model_name = "default";
  spec.signature = TemplateSignature();
  spec.base_url = "http://127.0.0.1:8500";
  return spec;
}

TEST(PredictUrlTest, Forms) {
  ClientSpec spec = Spec();
  EXPECT_EQ(*PredictUrl(spec), "http://127.0.0.1:8500/v1/models/default:predict");
  spec.version = "3";
  EXPECT_EQ(*PredictUrl(spec), "http://127.0.0.1:8500/v1/models/default/versions/3:predict");
  spec.version = "stable";
  spec.base_url = "https://example.test:8501/";
  EXPECT_EQ(*PredictUrl(spec), "https://example.test:8501/v1/models/default/labels/stable:predict");
  spec.model_name = "a b";
  spec.version.reset();
  EXPECT_EQ(*PredictUrl(spec), "https://example.test:8501/v1/models/a%20b:predict");
  spec.flavor = ApiFlavor::kOriginal;
  EXPECT_EQ(*PredictUrl(spec), "https://example.test:8501/");
}

TEST(PredictUrlTest, RejectsBadInput) {
  ClientSpec spec = Spec();
  spec.base_url = "ftp://x";
  EXPECT_EQ(PredictUrl(spec).status().code(), Code::kInvalidArgument);
  spec.base_url = "http://x/'; rm -rf /";
  EXPECT_EQ(PredictUrl(spec).status().code(), Code::kInvalidArgument);
  spec = Spec();
  spec.model_name = "";
  EXPECT_EQ(PredictUrl(spec).status().code(), Code::kInvalidArgument);
}

TEST(LanguagesTest, ListAliasesAndFileNames) {
  const std::vector<std::string> expected = {"curl", "python", "go",     "javascript", "java",
                                             "cpp",  "rust",   "csharp", "php",        "ruby"};
  EXPECT_EQ(SupportedLanguages(), expected);
  EXPECT_EQ(*CanonicalLanguage("bash"), "curl");
  EXPECT_EQ(*CanonicalLanguage("golang"), "go");
  EXPECT_EQ(*CanonicalLanguage("C++"), "cpp");
  EXPECT_EQ(*CanonicalLanguage("c#"), "csharp");
  EXPECT_EQ(ClientFileName("java"), "Client.java");
  EXPECT_EQ(ClientFileName("node"), "client.js");
  EXPECT_EQ(ClientFileName("cobol"), "");
}

TEST(GenerateClientTest, UnknownLanguageListsSupportedOnes) {
  auto code = GenerateClient("cobol", Spec());
  ASSERT_FALSE(code.ok());
  EXPECT_EQ(code.status().code(), Code::kInvalidArgument);
  for (const std::string& lang : SupportedLanguages()) {
    EXPECT_NE(code.status().message().find(lang), std::string::npos) << lang;
  }
}

TEST(GenerateClientTest, PropagatesSpecErrors) {
  ClientSpec spec = Spec();
  spec.base_url = "localhost:8500";
  EXPECT_EQ(GenerateClient("python", spec).status().code(), Code::kInvalidArgument);
  spec = Spec();
  spec.signature.inputs.push_back(Input("c", DType::kComplex128, {1}));
  EXPECT_EQ(GenerateClient("python", spec).status().code(), Code::kUnimplemented);
  spec = Spec();
  spec.password = "x";
  EXPECT_EQ(GenerateClient("python", spec).status().code(), Code::kInvalidArgument);
}

// How each language spells the URL and embeds the body; the body is pure
// printable ASCII, so its raw forms hold it verbatim.
struct Expectation {
  std::string language;
  std::string url_literal;
  std::string body_prefix;  // what the embedded body starts with
  std::string body_suffix;
  std::string auth_fragment;
};

class GenerateClientLanguageTest : public ::testing::TestWithParam<Expectation> {};

TEST_P(GenerateClientLanguageTest, ContainsUrlEscapedBodyAndAuth) {
  const Expectation& e = GetParam();
  ClientSpec spec = Spec();
  spec.version = "2";
  auto body = GenerateExampleRequest(spec.signature, spec.flavor);
  ASSERT_TRUE(body.ok());
  auto code = GenerateClient(e.language, spec);
  ASSERT_TRUE(code.ok()) << code.status().ToString();
  EXPECT_NE(code->find(e.url_literal), std::string::npos) << *code;
  EXPECT_NE(code->find(e.body_prefix + *body + e.body_suffix), std::string::npos) << *code;
  EXPECT_EQ(code->find("@@"), std::string::npos) << "unfilled placeholder\n" << *code;
  EXPECT_EQ(code->find("Authorization"), std::string::npos);
  EXPECT_EQ(code->find("--user"), std::string::npos);

  spec.username = "admin";
  spec.password = "s3cret";
  auto with_auth = GenerateClient(e.language, spec);
  ASSERT_TRUE(with_auth.ok());
  EXPECT_NE(with_auth->find(e.auth_fragment), std::string::npos) << *with_auth;
}

const char kUrl[] = "http://127.0.0.1:8500/v1/models/default/versions/2:predict";

INSTANTIATE_TEST_SUITE_P(
    AllLanguages, GenerateClientLanguageTest,
    ::testing::Values(
        Expectation{"curl", StrCat("URL='", kUrl, "'"), "BODY='", "'", "--user 'admin:s3cret'"},
        Expectation{"python", StrCat("URL = '", kUrl, "'"), "BODY = r'''", "'''",
                    "AUTH = ('admin', 's3cret')"},
        Expectation{"go", StrCat("const endpoint = \"", kUrl, "\""), "requestBody = `", "`",
                    "req.SetBasicAuth(\"admin\", \"s3cret\")"},
        Expectation{"javascript", StrCat("const ENDPOINT = '", kUrl, "'"), "BODY = String.raw`",
                    "`;", "'admin' + ':' + 's3cret'"},
        Expectation{"cpp", StrCat("kEndpoint[] = \"", kUrl, "\""), "kBody[] = R\"json(",
                    ")json\";", "CURLOPT_PASSWORD, \"s3cret\""},
        Expectation{"rust", StrCat("ENDPOINT: &str = \"", kUrl, "\""), "BODY: &str = r#\"", "\"#;",
                    "\"Basic YWRtaW46czNjcmV0\""},
        Expectation{"php", StrCat("$endpoint = '", kUrl, "'"), "$body = <<<'JSON'\n", "\nJSON;",
                    "base64_encode('admin' . ':' . 's3cret')"},
        Expectation{"ruby", StrCat("ENDPOINT = '", kUrl, "'"), "BODY = <<'JSON'.chomp\n", "\nJSON\n",
                    "request.basic_auth('admin', 's3cret')"}),
    [](const auto& info) { return info.param.language; });

// Java and C# escape the body's quotes, so check them piecewise.
TEST(GenerateClientTest, JavaSplitsAndEscapesBody) {
  ClientSpec spec = Spec();
  auto code = GenerateClient("java", spec);
  ASSERT_TRUE(code.ok());
  EXPECT_NE(code->find("ENDPOINT = \"http://127.0.0.1:8500/v1/models/default:predict\";"),
            std::string::npos);
  EXPECT_NE(code->find("BODY = String.join(\"\",\n      \"{\\n\",\n"
                       "      \"  \\\"signature_name\\\": \\\"serving_default\\\",\\n\","),
            std::string::npos)
      << *code;
}

TEST(GenerateClientTest, JavaKeepsEachConstantSmall) {
  ClientSpec spec = Spec();
  spec.signature.inputs = {Input("x", DType::kFloat, {1, 100000})};  // 400 kB body
  auto code = GenerateClient("java", spec);
  ASSERT_TRUE(code.ok());
  size_t longest = 0;
  size_t start = 0;
  while (start < code->size()) {
    size_t end = code->find('\n', start);
    if (end == std::string::npos) end = code->size();
    longest = std::max(longest, end - start);
    start = end + 1;
  }
  EXPECT_LT(longest, 20000u);
}

TEST(GenerateClientTest, CSharpVerbatimBody) {
  auto code = GenerateClient("csharp", Spec());
  ASSERT_TRUE(code.ok());
  EXPECT_NE(code->find("const string Body = @\"{\n  \"\"signature_name\"\": \"\"serving_default\"\","),
            std::string::npos)
      << *code;
  EXPECT_NE(code->find("const string Endpoint = \"http://127.0.0.1:8500/v1/models/default:predict\";"),
            std::string::npos);
}

TEST(GenerateClientTest, OriginalFlavorPostsToRootWithModelInBody) {
  ClientSpec spec = Spec();
  spec.flavor = ApiFlavor::kOriginal;
  spec.model_name = "deep_image";
  auto code = GenerateClient("python", spec);
  ASSERT_TRUE(code.ok());
  EXPECT_NE(code->find("URL = 'http://127.0.0.1:8500/'"), std::string::npos);
  EXPECT_NE(code->find("\"model_name\": \"deep_image\""), std::string::npos);
  EXPECT_NE(code->find("\"data\": {"), std::string::npos);
}

TEST(GenerateClientTest, HostileModelNameCannotEscapeComments) {
  ClientSpec spec = Spec();
  spec.model_name = "m\nimport os; os.system('x')";
  for (const std::string& lang : SupportedLanguages()) {
    auto code = GenerateClient(lang, spec);
    ASSERT_TRUE(code.ok()) << lang;
    EXPECT_EQ(code->find("\nimport os"), std::string::npos) << lang << "\n" << *code;
  }
}

}  // namespace
}  // namespace stfs
