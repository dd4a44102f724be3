#include "base/base64.h"
#include "http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "http/auth.h"
#include "http/test_client.h"

namespace stfs::http {
namespace {

using testing::Client;
using testing::Get;
using testing::Post;

// Echo handler: "<method>|<path>|<query>|<body>" plus a few special paths.
Response TestHandler(const Request& req) {
  Response r;
  r.content_type = "text/plain";
  if (req.path == "/throw") throw std::runtime_error("boom <\"quoted\">");
  if (req.path == "/health") {
    r.body = "healthy";
    return r;
  }
  if (req.path == "/param") {
    auto a = req.QueryParam("a");
    r.body = a ? "a=" + *a : "none";
    return r;
  }
  if (req.path == "/header") {
    const std::string* v = req.FindHeader("x-test-header");
    r.body = v ? *v : "missing";
    return r;
  }
  if (req.path == "/close") r.headers.push_back({"Connection", "close"});
  if (req.path == "/remote") {
    r.body = req.remote_address;
    return r;
  }
  if (req.path == "/slow") std::this_thread::sleep_for(std::chrono::milliseconds(300));
  r.headers.push_back({"X-Echo", "yes"});
  r.body = req.method + "|" + req.path + "|" + req.query + "|" + req.body;
  return r;
}

class HttpServerTest : public ::testing::Test {
 protected:
  void Start(ServerOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    if (options.num_threads == 0) options.num_threads = 2;
    auto s = Server::Create(std::move(options), TestHandler);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    server_ = std::move(s).value();
    ASSERT_GT(server_->port(), 0);
  }
  void TearDown() override {
    if (server_) server_->Stop();
  }
  int port() const { return server_->port(); }
  std::unique_ptr<Server> server_;
};

TEST_F(HttpServerTest, GetAndPostEcho) {
  Start();
  Client c(port());
  ASSERT_TRUE(c.connected());
  auto r = c.RoundTrip(Get("/v1/models/m%20x:predict?q=1"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->status_line, "HTTP/1.1 200 OK");
  EXPECT_EQ(r->body, "GET|/v1/models/m x:predict|q=1|");
  EXPECT_EQ(r->Header("Server"), "simple_tensorflow_serving");
  EXPECT_EQ(r->Header("Content-Type"), "text/plain");
  EXPECT_EQ(r->Header("X-Echo"), "yes");
  EXPECT_TRUE(r->Header("Date"));
  EXPECT_FALSE(r->Header("Access-Control-Allow-Origin"));
  r = c.RoundTrip(Post("/echo", std::string("hello\0world", 11)));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, std::string("POST|/echo||hello\0world", 23));
  EXPECT_EQ(r->Header("Content-Length"), "23");
  r = c.RoundTrip(Get("/header", "X-Test-Header: abc def\r\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "abc def");
  r = c.RoundTrip(Get("/remote"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body.rfind("127.0.0.1:", 0), 0u) << r->body;
}

TEST_F(HttpServerTest, KeepAliveManyRequestsOneConnection) {
  Start();
  Client c(port());
  for (int i = 0; i < 50; ++i) {
    auto r = c.RoundTrip(Post("/k", std::to_string(i)));
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->body, "POST|/k||" + std::to_string(i));
    EXPECT_FALSE(r->Header("Connection"));
  }
}

TEST_F(HttpServerTest, PipelinedRequestsAnsweredInOrder) {
  Start();
  Client c(port());
  std::string batch;
  for (int i = 0; i < 10; ++i) batch += (i % 2 ? Get("/p" + std::to_string(i)) : Post("/p", std::to_string(i)));
  ASSERT_TRUE(c.Send(batch));
  for (int i = 0; i < 10; ++i) {
    auto r = c.Read();
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->body, i % 2 ? "GET|/p" + std::to_string(i) + "||" : "POST|/p||" + std::to_string(i));
  }
}

TEST_F(HttpServerTest, QueryParamsDecoded) {
  Start();
  Client c(port());
  auto r = c.RoundTrip(Get("/param?b=2&a=x%20y+z%26&a=second"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "a=x y z&");
  r = c.RoundTrip(Get("/param?a"));
  EXPECT_EQ(r->body, "a=");
  r = c.RoundTrip(Get("/param?b=1"));
  EXPECT_EQ(r->body, "none");
}

TEST_F(HttpServerTest, ConnectionCloseAndHttp10) {
  Start();
  {
    Client c(port());
    auto r = c.RoundTrip(Get("/x", "Connection: close\r\n"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->Header("Connection"), "close");
    EXPECT_TRUE(c.WaitClosed());
  }
  {
    Client c(port());
    auto r = c.RoundTrip("GET /ten HTTP/1.0\r\n\r\n");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "GET|/ten||");
    EXPECT_EQ(r->Header("Connection"), "close");
    EXPECT_TRUE(c.WaitClosed());
  }
  {
    Client c(port());
    auto r = c.RoundTrip("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->Header("Connection"), "keep-alive");
    r = c.RoundTrip("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "GET|/b||");
  }
  {
    Client c(port());  // handler asks to close
    auto r = c.RoundTrip(Get("/close"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->Header("Connection"), "close");
    EXPECT_TRUE(c.WaitClosed());
  }
}

TEST_F(HttpServerTest, HeadOmitsBody) {
  Start();
  Client c(port());
  auto r = c.RoundTrip("HEAD /h HTTP/1.1\r\nHost: x\r\n\r\n", /*head=*/true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->Header("Content-Length"), std::to_string(std::string("HEAD|/h||").size()));
  r = c.RoundTrip(Get("/after"));  // nothing stray in the stream
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "GET|/after||");
}

TEST_F(HttpServerTest, ChunkedBodyAccepted) {
  Start();
  Client c(port());
  auto r = c.RoundTrip(
      "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "POST|/c||hello world");
}

TEST_F(HttpServerTest, ExpectContinue) {
  Start();
  Client c(port());
  ASSERT_TRUE(c.Send("POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n"));
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 100);
  ASSERT_TRUE(c.Send("data"));
  r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "POST|/e||data");
}

TEST_F(HttpServerTest, BodyTooLargeWithContentLength) {
  ServerOptions o;
  o.max_body_bytes = 1000;
  Start(o);
  {
    Client c(port());
    auto r = c.RoundTrip(Post("/big", std::string(1000, 'x')));  // exactly the limit: fine
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  Client c(port());
  // Only the header is sent: the server must answer without waiting for the body.
  auto r = c.RoundTrip("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(r->Header("Content-Type"), "application/json");
  EXPECT_EQ(r->body,
            "{\"error\": \"request body of 5000000 bytes exceeds the limit of 1000 bytes "
            "(--max_body_bytes)\"}");
  EXPECT_EQ(r->Header("Connection"), "close");
  EXPECT_TRUE(c.WaitClosed());
}

TEST_F(HttpServerTest, BodyTooLargeChunked) {
  ServerOptions o;
  o.max_body_bytes = 1000;
  Start(o);
  Client c(port());
  std::string chunk(800, 'y');
  std::string req = "POST /big HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  req += "320\r\n" + chunk + "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n";
  auto r = c.RoundTrip(req);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_NE(r->body.find("exceeds the limit of 1000 bytes (--max_body_bytes)"), std::string::npos)
      << r->body;
  EXPECT_TRUE(c.WaitClosed());
}

TEST_F(HttpServerTest, GarbageGets400) {
  Start();
  {
    Client c(port());
    auto r = c.RoundTrip(std::string("\x01\x02\xff garbage \0\r\n\r\n", 17));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_EQ(r->body.rfind("{\"error\": \"malformed HTTP request: ", 0), 0u) << r->body;
    EXPECT_TRUE(c.WaitClosed());
  }
  {
    Client c(port());
    auto r = c.RoundTrip("GET /x HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
  }
  {
    Client c(port());
    auto r = c.RoundTrip("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
  }
  {
    Client c(port());  // header too large -> 431
    auto r = c.RoundTrip(Get("/x", "X-Big: " + std::string(100000, 'a') + "\r\n"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 431);
  }
  Client c(port());  // server still fine
  auto r = c.RoundTrip(Get("/ok"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(HttpServerTest, HandlerThrowingGives500) {
  Start();
  Client c(port());
  auto r = c.RoundTrip(Get("/throw"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(r->body, "{\"error\": \"internal error: request handler threw: boom <\\\"quoted\\\">\"}");
  r = c.RoundTrip(Get("/fine"));  // connection survives
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(HttpServerTest, BasicAuth) {
  ServerOptions o;
  o.basic_auth_user = "admin";
  o.basic_auth_password = "s3cret:x";
  Start(o);
  Client c(port());
  auto r = c.RoundTrip(Get("/v1/models"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(r->Header("WWW-Authenticate"), "Basic realm=\"simple_tensorflow_serving\", charset=\"UTF-8\"");
  EXPECT_EQ(r->Header("Content-Type"), "application/json");
  EXPECT_EQ(r->body.rfind("{\"error\": \"authentication required", 0), 0u) << r->body;

  const std::string good = "Authorization: Basic " + EncodeStdBase64("admin:s3cret:x") + "\r\n";
  const std::string bad = "Authorization: Basic " + EncodeStdBase64("admin:wrong") + "\r\n";
  r = c.RoundTrip(Get("/v1/models", bad));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(r->body, "{\"error\": \"invalid user name or password\"}");
  r = c.RoundTrip(Get("/v1/models", "Authorization: Bearer abc\r\n"));
  EXPECT_EQ(r->status, 401);
  r = c.RoundTrip(Get("/v1/models", "Authorization: Basic !!!\r\n"));
  EXPECT_EQ(r->status, 401);
  r = c.RoundTrip(Get("/v1/models", good));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  r = c.RoundTrip(Post("/", "{}", "authorization: basic " + EncodeStdBase64("admin:s3cret:x") + "\r\n"));
  EXPECT_EQ(r->status, 200);
  r = c.RoundTrip(Get("/health"));  // exempt
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "healthy");
  r = c.RoundTrip(Post("/health", ""));  // only GET/HEAD are exempt
  EXPECT_EQ(r->status, 401);
  r = c.RoundTrip(Get("/health/x"));  // exact paths only
  EXPECT_EQ(r->status, 401);
  r = c.RoundTrip("OPTIONS /v1/models HTTP/1.1\r\nHost: x\r\n\r\n");  // CORS off: not a preflight
  EXPECT_EQ(r->status, 401);
}

TEST_F(HttpServerTest, Cors) {
  ServerOptions o;
  o.enable_cors = true;
  o.basic_auth_user = "u";
  o.basic_auth_password = "p";
  Start(o);
  Client c(port());
  auto r = c.RoundTrip(Get("/health", "Origin: http://example.com\r\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->Header("Access-Control-Allow-Origin"), "*");
  r = c.RoundTrip(Get("/v1/models"));  // errors carry CORS too
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(r->Header("Access-Control-Allow-Origin"), "*");
  r = c.RoundTrip(
      "OPTIONS /v1/models/m:predict HTTP/1.1\r\nHost: x\r\nOrigin: http://example.com\r\n"
      "Access-Control-Request-Method: POST\r\n"
      "Access-Control-Request-Headers: content-type, x-custom\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204);
  EXPECT_EQ(r->Header("Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(r->Header("Access-Control-Allow-Methods"), "GET, POST, OPTIONS");
  EXPECT_EQ(r->Header("Access-Control-Allow-Headers"), "content-type, x-custom");
  EXPECT_EQ(r->Header("Access-Control-Max-Age"), "86400");
  EXPECT_FALSE(r->Header("Content-Length"));
  r = c.RoundTrip("OPTIONS / HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 204);
  EXPECT_EQ(r->Header("Access-Control-Allow-Headers"), "Content-Type, Authorization");
  r = c.RoundTrip(Get("/health"));  // connection still in sync after 204s
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "healthy");
}

TEST_F(HttpServerTest, StopWithOpenConnectionsDoesNotHang) {
  Start();
  Client idle(port());
  Client partial(port());
  Client busy(port());
  ASSERT_TRUE(idle.RoundTrip(Get("/warm")));
  ASSERT_TRUE(partial.Send("POST /x HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc"));
  ASSERT_TRUE(busy.Send(Get("/slow")));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto t0 = std::chrono::steady_clock::now();
  server_->Stop();
  auto elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_LT(elapsed, std::chrono::seconds(2));
  EXPECT_TRUE(idle.WaitClosed());
  EXPECT_TRUE(partial.WaitClosed());
  server_->Stop();  // idempotent
  Client after(port());
  EXPECT_FALSE(after.connected());
}

TEST_F(HttpServerTest, IdleTimeoutClosesConnection) {
  ServerOptions o;
  o.idle_timeout_seconds = 1;
  Start(o);
  Client c(port());
  ASSERT_TRUE(c.RoundTrip(Get("/x")));
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.WaitClosed());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(3000));
}

TEST_F(HttpServerTest, ConcurrentClients) {
  ServerOptions o;
  o.num_threads = 3;
  Start(o);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      Client c(port());
      for (int i = 0; i < 200; ++i) {
        std::string body = std::to_string(t) + "-" + std::to_string(i);
        auto r = c.RoundTrip(Post("/c", body));
        if (r && r->body == "POST|/c||" + body) ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 1200);
}

TEST(HttpServerCreateTest, PortInUseGivesClearError) {
  ServerOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  o.num_threads = 1;
  auto first = Server::Create(o, TestHandler);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  o.port = (*first)->port();
  auto second = Server::Create(o, TestHandler);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().message(),
            "cannot listen on 127.0.0.1:" + std::to_string(o.port) + ": Address already in use");
  (*first)->Stop();
}

TEST(HttpServerCreateTest, BadOptions) {
  ServerOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  EXPECT_FALSE(Server::Create(o, nullptr).ok());
  o.tls_cert_file = "/nonexistent/c.pem";
  auto s = Server::Create(o, TestHandler);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("both"), std::string::npos) << s.status().message();
  o.host = "no.such.host.invalid";
  o.tls_cert_file.clear();
  s = Server::Create(o, TestHandler);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("cannot listen on no.such.host.invalid:0"), std::string::npos)
      << s.status().message();
}

}  // namespace
}  // namespace stfs::http
