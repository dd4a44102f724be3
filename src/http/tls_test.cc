#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "http/server.h"
#include "http/test_client.h"

namespace stfs::http {
namespace {

namespace fs = std::filesystem;
using testing::Client;
using testing::Get;
using testing::Post;

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/stfs_http_tls_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    cert_ = (dir_ / "c.pem").string();
    key_ = (dir_ / "k.pem").string();
    std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 1 "
                      "-keyout '" + key_ + "' -out '" + cert_ + "' >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0 || !fs::exists(cert_)) {
      GTEST_SKIP() << "openssl command-line tool not available";
    }
  }
  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }
  ServerOptions Options() {
    ServerOptions o;
    o.host = "127.0.0.1";
    o.port = 0;
    o.num_threads = 2;
    o.tls_cert_file = cert_;
    o.tls_key_file = key_;
    return o;
  }
  fs::path dir_;
  std::string cert_, key_;
};

Response Echo(const Request& req) {
  Response r;
  r.content_type = "text/plain";
  r.body = req.method + " " + req.path + " " + req.body;
  return r;
}

TEST_F(TlsTest, ServesHttps) {
  ServerOptions o = Options();
  o.basic_auth_user = "admin";
  o.basic_auth_password = "pw";
  auto s = Server::Create(o, Echo);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto& server = *s;
  EXPECT_TRUE(server->tls());
  {
    Client c(server->port(), /*tls=*/true);
    ASSERT_TRUE(c.connected());
    auto r = c.RoundTrip(Get("/health"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "GET /health ");
    r = c.RoundTrip(Post("/x", std::string(200000, 'z')));  // keep-alive + big body over TLS
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401);
    r = c.RoundTrip(Post("/x", std::string(200000, 'z'), "Authorization: Basic YWRtaW46cHc=\r\n"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body.size(), 200000u + 8);
    r = c.RoundTrip(Get("/bye", "Connection: close\r\n"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->Header("Connection"), "close");
    EXPECT_TRUE(c.WaitClosed());
  }
  {
    Client plain(server->port());  // plain HTTP to the HTTPS port: dropped, no crash
    ASSERT_TRUE(plain.connected());
    plain.Send(Get("/health"));
    EXPECT_FALSE(plain.Read());
  }
  Client open_conn(server->port(), true);  // Stop with an open TLS connection
  ASSERT_TRUE(open_conn.connected());
  server->Stop();
}

TEST_F(TlsTest, ClearErrorsForBadFiles) {
  ServerOptions o = Options();
  o.tls_cert_file = (dir_ / "missing.pem").string();
  auto s = Server::Create(o, Echo);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("cannot read TLS certificate file"), std::string::npos)
      << s.status().message();
  EXPECT_NE(s.status().message().find("No such file"), std::string::npos);

  std::string garbage = (dir_ / "garbage.pem").string();
  std::ofstream(garbage) << "not a certificate\n";
  o = Options();
  o.tls_cert_file = garbage;
  s = Server::Create(o, Echo);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("cannot load TLS certificate file"), std::string::npos)
      << s.status().message();

  o = Options();
  o.tls_key_file = garbage;
  s = Server::Create(o, Echo);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("cannot load TLS private key file"), std::string::npos)
      << s.status().message();

  // A valid key that does not belong to the certificate.
  std::string other_key = (dir_ / "other.pem").string();
  std::string cmd = "openssl genrsa -out '" + other_key + "' 2048 >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  o = Options();
  o.tls_key_file = other_key;
  s = Server::Create(o, Echo);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("does not match"), std::string::npos) << s.status().message();
}

}  // namespace
}  // namespace stfs::http
