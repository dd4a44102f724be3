#include "server/flags.h"

#include <gtest/gtest.h>

#include <map>

namespace stfs::server {
namespace {

struct Env {
  std::map<std::string, std::string> vars;
  GetEnvFn fn() const {
    return [this](const char* name) -> const char* {
      auto it = vars.find(name);
      return it == vars.end() ? nullptr : it->second.c_str();
    };
  }
};

StatusOr<ServerFlags> Parse(std::vector<std::string> args, const Env& env = {}) {
  bool help;
  return ParseServerFlags(args, env.fn(), &help);
}

TEST(FlagsTest, OriginalDefaults) {
  auto f = Parse({});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->host, "0.0.0.0");
  EXPECT_EQ(f->port, 8500);
  EXPECT_EQ(f->http_port(), 8500);
  EXPECT_EQ(f->model_name, "default");
  EXPECT_EQ(f->model_base_path, "./model");
  EXPECT_EQ(f->model_platform, "tensorflow");
  EXPECT_FALSE(f->enable_auth);
  EXPECT_EQ(f->auth_username, "admin");
  EXPECT_EQ(f->auth_password, "admin");
  EXPECT_TRUE(f->enable_cors);
  EXPECT_FALSE(f->enable_ssl);
  EXPECT_EQ(f->secret_pem, "secret.pem");
  EXPECT_EQ(f->log_level, "info");
}

TEST(FlagsTest, Syntaxes) {
  auto f = Parse({"--port=9000", "--model_name", "m", "--enable_auth", "--debug", "false",
                  "-host=127.0.0.1", "--enable_cors=no", "--max_body_bytes", "2048"});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->port, 9000);
  EXPECT_EQ(f->model_name, "m");
  EXPECT_TRUE(f->enable_auth);
  EXPECT_FALSE(f->debug);
  EXPECT_EQ(f->host, "127.0.0.1");
  EXPECT_FALSE(f->enable_cors);
  EXPECT_EQ(f->max_body_bytes, 2048u);
}

TEST(FlagsTest, BooleansAreParsedNotJustPresent) {
  // The original enabled auth for --enable_auth=False.
  EXPECT_FALSE(Parse({"--enable_auth=False"})->enable_auth);
  EXPECT_FALSE(Parse({"--enable_ssl=0"})->enable_ssl);
  EXPECT_TRUE(Parse({"--enable_ssl=YES"})->enable_ssl);
  auto bad = Parse({"--enable_auth=maybe"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("--enable_auth: 'maybe' is not a boolean"), std::string::npos);
}

TEST(FlagsTest, EnvironmentDefaultsAndPrecedence) {
  Env env;
  env.vars = {{"STFS_PORT", "8600"}, {"STFS_MODEL_NAME", "envmodel"}, {"STFS_B64_AUTOCONVERT", "true"}};
  auto f = Parse({}, env);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->port, 8600);
  EXPECT_EQ(f->model_name, "envmodel");
  EXPECT_TRUE(f->enable_b64_autoconvert);
  EXPECT_EQ(Parse({"--port=1234"}, env)->port, 1234);
  env.vars = {{"STFS_ENABLE_AUTH", "sure"}};
  auto bad = Parse({}, env);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("STFS_ENABLE_AUTH"), std::string::npos);
}

TEST(FlagsTest, Errors) {
  EXPECT_NE(Parse({"--nope=1"}).status().message().find("unknown flag --nope"), std::string::npos);
  EXPECT_FALSE(Parse({"--port=abc"}).ok());
  EXPECT_FALSE(Parse({"--port=70000"}).ok());
  EXPECT_FALSE(Parse({"--port=-1"}).ok());
  EXPECT_FALSE(Parse({"--port"}).ok());
  EXPECT_FALSE(Parse({"stray"}).ok());
  EXPECT_FALSE(Parse({"--log_level=chatty"}).ok());
  EXPECT_TRUE(Parse({"--log_level=CRITICAL"}).ok());
  EXPECT_EQ(Parse({"--custom_op_paths=/ops"}).status().code(), Code::kUnimplemented);
}

TEST(FlagsTest, TfServingPortOverridesAndHelp) {
  EXPECT_EQ(Parse({"--rest_api_port=8501"})->http_port(), 8501);
  bool help = false;
  Env env;
  ASSERT_TRUE(ParseServerFlags({"--help"}, env.fn(), &help).ok());
  EXPECT_TRUE(help);
  const std::string usage = ServerFlagsUsage();
  EXPECT_NE(usage.find("--enable_b64_autoconvert"), std::string::npos);
  EXPECT_NE(usage.find("STFS_B64_AUTOCONVERT"), std::string::npos);
}

}  // namespace
}  // namespace stfs::server

namespace stfs::server {
namespace {

TEST(FlagsTest, SavedModelTags) {
  auto f = Parse({});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->tags(), (std::vector<std::string>{"serve"}));
  f = Parse({"--saved_model_tags="});
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->tags().empty());  // the MetaGraph without tags
  f = Parse({"--saved_model_tags=serve,gpu"});
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->tags(), (std::vector<std::string>{"serve", "gpu"}));
  Env env;
  env.vars["STFS_SAVED_MODEL_TAGS"] = "train";
  f = Parse({}, env);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->tags(), (std::vector<std::string>{"train"}));
}

}  // namespace
}  // namespace stfs::server
