// Transport-level behaviour of the epoll server: partial writes resumed on
// EPOLLOUT, requests split across many TCP segments, pipelining with big
// bodies, deadlines while a request is incomplete, many connections.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "http/server.h"
#include "http/test_client.h"

namespace stfs::http {
namespace {

using testing::Client;
using testing::Get;
using testing::Post;

// "/big?n=N" answers N bytes of a repeating pattern; anything else echoes the body.
Response Handler(const Request& req) {
  Response r;
  r.content_type = "text/plain";
  if (req.path == "/big") {
    size_t n = std::stoul(req.QueryParam("n").value_or("0"));
    r.body.resize(n);
    for (size_t i = 0; i < n; ++i) r.body[i] = static_cast<char>('a' + i % 26);
    return r;
  }
  r.body = req.body;
  return r;
}

std::unique_ptr<Server> StartServer(int idle_seconds = 60) {
  ServerOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  o.num_threads = 2;
  o.idle_timeout_seconds = idle_seconds;
  auto s = Server::Create(o, Handler);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(s).value() : nullptr;
}

bool IsPattern(const std::string& body) {
  for (size_t i = 0; i < body.size(); ++i)
    if (body[i] != static_cast<char>('a' + i % 26)) return false;
  return true;
}

TEST(EventLoopTest, LargeResponseToSlowReaderIsCompleted) {
  auto server = StartServer();
  ASSERT_TRUE(server);
  Client c(server->port());
  // Two pipelined 8 MB responses: far more than the socket buffers hold, so
  // the server must park the rest and continue on EPOLLOUT.
  ASSERT_TRUE(c.Send(Get("/big?n=8000000") + Get("/big?n=8000001")));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  for (size_t n : {8000000u, 8000001u}) {
    auto r = c.Read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body.size(), n);
    EXPECT_TRUE(IsPattern(r->body));
  }
  auto r = c.RoundTrip(Post("/echo", "after"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "after");
}

TEST(EventLoopTest, RequestSplitIntoManySegments) {
  auto server = StartServer();
  ASSERT_TRUE(server);
  Client c(server->port());
  std::string wire = Post("/echo", "0123456789") +
                     "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nT: 1\r\n\r\n";
  for (char ch : wire) {
    ASSERT_TRUE(c.Send(std::string(1, ch)));
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  auto r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "0123456789");
  r = c.Read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "abc");
}

TEST(EventLoopTest, PipelinedLargeBodies) {
  auto server = StartServer();
  ASSERT_TRUE(server);
  Client c(server->port());
  std::string batch;
  std::vector<std::string> bodies;
  for (int i = 0; i < 5; ++i) {
    bodies.push_back(std::string(100000 + i, static_cast<char>('A' + i)));
    batch += Post("/echo", bodies.back());
  }
  ASSERT_TRUE(c.Send(batch));
  for (int i = 0; i < 5; ++i) {
    auto r = c.Read();
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->body, bodies[i]) << i;
  }
}

TEST(EventLoopTest, IncompleteRequestTimesOut) {
  auto server = StartServer(/*idle_seconds=*/1);
  ASSERT_TRUE(server);
  Client header(server->port());
  ASSERT_TRUE(header.Send("GET / HTTP/1.1\r\nHost: x\r\n"));  // header never finished
  Client body(server->port());
  ASSERT_TRUE(body.Send("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc"));
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(header.WaitClosed());
  EXPECT_TRUE(body.WaitClosed());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(3000));
}

TEST(EventLoopTest, ManyConnectionsAndPeerCloses) {
  auto server = StartServer();
  ASSERT_TRUE(server);
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 200; ++i) {
    clients.push_back(std::make_unique<Client>(server->port()));
    ASSERT_TRUE(clients.back()->connected()) << i;
  }
  for (int i = 0; i < 200; ++i) {
    auto r = clients[i]->RoundTrip(Post("/echo", std::to_string(i)));
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->body, std::to_string(i));
  }
  // Half the clients vanish mid-request; the server keeps serving the rest.
  for (int i = 0; i < 200; i += 2) {
    clients[i]->Send("POST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nab");
    clients[i].reset();
  }
  for (int i = 1; i < 200; i += 2) {
    auto r = clients[i]->RoundTrip(Post("/echo", "again"));
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->body, "again");
  }
}

}  // namespace
}  // namespace stfs::http
