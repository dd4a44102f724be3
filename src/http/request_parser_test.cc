#include "http/request_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace stfs::http {
namespace {

using Result = RequestParser::Result;

// Feeds `wire` to a parser `step` bytes at a time, the way a connection does:
// unconsumed bytes stay buffered and are offered again with the next bytes.
// Collects every complete request; stops at the first error.
struct Feed {
  std::vector<Request> requests;
  std::vector<bool> keep_alive;
  int error_status = 0;
  std::string error_message;
  std::string leftover;
};

Feed FeedAll(const std::string& wire, size_t step, size_t max_header = 1024, size_t max_body = 1000) {
  Feed out;
  RequestParser parser(max_header, max_body);
  Request req;
  parser.Reset(&req);
  std::string buf;
  size_t sent = 0;
  while (true) {
    size_t consumed = 0;
    Result r = parser.Parse(buf.data(), buf.size(), &consumed);
    EXPECT_LE(consumed, buf.size());
    buf.erase(0, consumed);
    if (r == Result::kDone) {
      out.requests.push_back(req);
      out.keep_alive.push_back(parser.keep_alive());
      parser.Reset(&req);
      continue;
    }
    if (r == Result::kError) {
      out.error_status = parser.error_status();
      out.error_message = parser.error_message();
      return out;
    }
    if (sent == wire.size()) break;
    size_t n = std::min(step, wire.size() - sent);
    buf.append(wire, sent, n);
    sent += n;
  }
  out.leftover = buf;
  return out;
}

TEST(RequestParserTest, SimpleGetFillsRequest) {
  for (size_t step : {1, 2, 7, 1000}) {
    Feed f = FeedAll("GET /v1/models/m%20x:predict?a=1&b HTTP/1.1\r\nHost: x\r\nX-Two:  v  w \r\n\r\n",
                 step);
    ASSERT_EQ(f.requests.size(), 1u) << step;
    const Request& r = f.requests[0];
    EXPECT_EQ(r.method, "GET");
    EXPECT_EQ(r.target, "/v1/models/m%20x:predict?a=1&b");
    EXPECT_EQ(r.path, "/v1/models/m x:predict");
    EXPECT_EQ(r.query, "a=1&b");
    EXPECT_EQ(r.version, 11);
    ASSERT_EQ(r.headers.size(), 2u);
    EXPECT_EQ(r.headers[0].name, "Host");
    EXPECT_EQ(r.headers[1].name, "X-Two");
    EXPECT_EQ(r.headers[1].value, "v  w");  // OWS trimmed, inner spaces kept
    EXPECT_EQ(r.body, "");
    EXPECT_TRUE(f.keep_alive[0]);
    EXPECT_EQ(f.leftover, "");
  }
}

TEST(RequestParserTest, PipelinedRequestsByteByByte) {
  std::string wire =
      "POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"
      "GET /b HTTP/1.1\r\n\r\n"
      "\r\nPUT /c HTTP/1.1\r\ncontent-length: 3\r\nContent-Length: 3\r\n\r\nxyz"
      "GET /partial HTTP/1.1\r\nHo";
  for (size_t step : {1, 3, 64, 4096}) {
    Feed f = FeedAll(wire, step);
    EXPECT_EQ(f.error_status, 0) << f.error_message;
    ASSERT_EQ(f.requests.size(), 3u) << step;
    EXPECT_EQ(f.requests[0].method, "POST");
    EXPECT_EQ(f.requests[0].body, "hello");
    EXPECT_EQ(f.requests[1].path, "/b");
    EXPECT_EQ(f.requests[1].body, "");
    EXPECT_EQ(f.requests[1].headers.size(), 0u);  // previous request's headers not kept
    EXPECT_EQ(f.requests[2].method, "PUT");
    EXPECT_EQ(f.requests[2].body, "xyz");
    EXPECT_EQ(f.leftover, "Ho");  // complete lines of the partial request are consumed
  }
}

TEST(RequestParserTest, ChunkedWithExtensionsAndTrailers) {
  std::string wire =
      "POST /c HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n"
      "5;name=value;x=\"q s\"\r\nhello\r\n"
      "6 \r\n world\r\n"
      "A\r\n0123456789\r\n"
      "0\r\nX-Trailer: t\r\nOther: 2\r\n\r\n"
      "GET /next HTTP/1.1\r\n\r\n";
  for (size_t step : {1, 2, 5, 4096}) {
    Feed f = FeedAll(wire, step);
    EXPECT_EQ(f.error_status, 0) << f.error_message;
    ASSERT_EQ(f.requests.size(), 2u) << step;
    EXPECT_EQ(f.requests[0].body, "hello world0123456789");
    ASSERT_EQ(f.requests[0].headers.size(), 1u);  // trailers dropped
    EXPECT_EQ(f.requests[1].path, "/next");
  }
}

TEST(RequestParserTest, Http10KeepAliveRules) {
  Feed f = FeedAll(
      "GET /a HTTP/1.0\r\n\r\n"
      "GET /b HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"
      "GET /c HTTP/1.1\r\nConnection: foo, close\r\n\r\n"
      "GET /d HTTP/1.1\r\nConnection: keep-alive\r\n\r\n",
      1);
  ASSERT_EQ(f.requests.size(), 4u);
  EXPECT_EQ(f.requests[0].version, 10);
  EXPECT_FALSE(f.keep_alive[0]);
  EXPECT_TRUE(f.keep_alive[1]);
  EXPECT_FALSE(f.keep_alive[2]);
  EXPECT_TRUE(f.keep_alive[3]);
}

TEST(RequestParserTest, ExpectContinueReportedUntilBodyComplete) {
  RequestParser p(1024, 1000);
  Request req;
  p.Reset(&req);
  std::string head = "POST /e HTTP/1.1\r\nContent-Length: 4\r\nExpect: 100-Continue\r\n\r\n";
  size_t consumed = 0;
  EXPECT_EQ(p.Parse(head.data(), head.size(), &consumed), Result::kNeedMore);
  EXPECT_EQ(consumed, head.size());
  EXPECT_TRUE(p.headers_done());
  EXPECT_TRUE(p.expect_continue());
  EXPECT_EQ(p.Parse("da", 2, &consumed), Result::kNeedMore);
  EXPECT_EQ(consumed, 2u);
  EXPECT_EQ(p.Parse("ta", 2, &consumed), Result::kDone);
  EXPECT_FALSE(p.expect_continue());
  EXPECT_EQ(req.body, "data");
  // HTTP/1.0 clients do not get 100 Continue.
  p.Reset(&req);
  std::string ten = "POST /e HTTP/1.0\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n";
  EXPECT_EQ(p.Parse(ten.data(), ten.size(), &consumed), Result::kNeedMore);
  EXPECT_FALSE(p.expect_continue());
}

TEST(RequestParserTest, OnlyCompleteHeaderLinesConsumed) {
  RequestParser p(1024, 1000);
  Request req;
  p.Reset(&req);
  std::string part = "GET / HTTP/1.1\r\nHost: x\r\nX-Partial: ab";
  size_t consumed = 7;
  EXPECT_EQ(p.Parse(part.data(), part.size(), &consumed), Result::kNeedMore);
  EXPECT_EQ(consumed, 25u);  // request line (16) + "Host: x\r\n" (9)
  EXPECT_FALSE(p.headers_done());
  std::string rest = "X-Partial: abc\r\n\r\n";
  EXPECT_EQ(p.Parse(rest.data(), rest.size(), &consumed), Result::kDone);
  EXPECT_EQ(consumed, rest.size());
  ASSERT_EQ(req.headers.size(), 2u);
  EXPECT_EQ(req.headers[1].value, "abc");
}

TEST(RequestParserTest, Limits) {
  // Header section: 1024 bytes allowed, more -> 431 (even before CRLF CRLF arrives).
  std::string base = "GET / HTTP/1.1\r\nX: ";
  std::string exact = base + std::string(1024 - base.size() - 4, 'a') + "\r\n\r\n";
  ASSERT_EQ(exact.size(), 1024u);
  EXPECT_EQ(FeedAll(exact, 100).requests.size(), 1u);
  std::string over = base + std::string(1024 - base.size() - 3, 'a') + "\r\n\r\n";
  EXPECT_EQ(FeedAll(over, 100).error_status, 431);
  Feed endless = FeedAll(base + std::string(5000, 'a'), 1);
  EXPECT_EQ(endless.error_status, 431);
  EXPECT_EQ(endless.error_message, "request header exceeds the limit of 1024 bytes");

  // Body: 1000 allowed; Content-Length over it -> 413 right after the header.
  EXPECT_EQ(FeedAll("POST / HTTP/1.1\r\nContent-Length: 1000\r\n\r\n" + std::string(1000, 'b'), 333)
                .requests[0].body.size(), 1000u);
  Feed big = FeedAll("POST / HTTP/1.1\r\nContent-Length: 1001\r\n\r\n", 1);
  EXPECT_EQ(big.error_status, 413);
  EXPECT_EQ(big.error_message,
            "request body of 1001 bytes exceeds the limit of 1000 bytes (--max_body_bytes)");
  // Chunked: 600 + 400 fits, 600 + 401 does not; a huge size is 413, not overflow.
  std::string chunked = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::string c600 = "258\r\n" + std::string(600, 'c') + "\r\n";
  EXPECT_EQ(FeedAll(chunked + c600 + "190\r\n" + std::string(400, 'c') + "\r\n0\r\n\r\n", 50)
                .requests.at(0).body.size(), 1000u);
  Feed cbig = FeedAll(chunked + c600 + "191\r\n", 7);
  EXPECT_EQ(cbig.error_status, 413);
  EXPECT_EQ(cbig.error_message, "request body exceeds the limit of 1000 bytes (--max_body_bytes)");
  EXPECT_EQ(FeedAll(chunked + "ffffffffffffff\r\n", 1).error_status, 413);
  // Trailers count against the header limit.
  EXPECT_EQ(FeedAll(chunked + "0\r\nT: " + std::string(2000, 't') + "\r\n\r\n", 64).error_status, 431);
}

TEST(RequestParserTest, MalformedCatalogueGets400) {
  const std::vector<std::string> bad = {
      std::string("\x01\x02\xff garbage \0\r\n\r\n", 17),
      "GET /x\r\n\r\n",                                    // no version
      "GET  /x HTTP/1.1\r\n\r\n",                          // empty target
      "GET /x HTTP/2.0\r\n\r\n",                           // unsupported version
      "GET /x http/1.1\r\n\r\n",
      "GET /x HTTP/1.1 \r\n\r\n",
      "G(T /x HTTP/1.1\r\n\r\n",                           // bad method token
      "GET /a\x7f HTTP/1.1\r\n\r\n",                       // DEL in target
      "GET /x HTTP/1.1\nHost: x\r\n\r\n",                  // bare LF
      "GET /x HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",     // obs-fold
      "GET /x HTTP/1.1\r\nHost : x\r\n\r\n",               // space before colon
      "GET /x HTTP/1.1\r\nNoColon\r\n\r\n",
      "GET /x HTTP/1.1\r\n: empty-name\r\n\r\n",
      "GET /x HTTP/1.1\r\nX: a\x01b\r\n\r\n",              // control char in value
      "GET /x HTTP/1.1\r\nX: a\rb\r\n\r\n",                // bare CR in value
      "GET /x HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
      "GET /x HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
      "GET /x HTTP/1.1\r\nContent-Length: 1, 1\r\n\r\n",
      "GET /x HTTP/1.1\r\nContent-Length: \r\n\r\n",
      "GET /x HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
      "POST /x HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
      "POST /x HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
      "POST /x HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
      "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
      "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n\r\n",           // empty size
      "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n",    // bare LF
      "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3 x\r\nabc\r\n",  // junk after size
      "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n",   // no CRLF after data
      "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;\x01\r\nabc\r\n",
      "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nbad trailer\r\n\r\n",
      "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + std::string(5000, '1'),
      "\rGET /x HTTP/1.1\r\n\r\n",
  };
  for (const std::string& wire : bad) {
    for (size_t step : {1, 4096}) {
      Feed f = FeedAll(wire, step);
      EXPECT_EQ(f.error_status, 400) << "step " << step << ": " << testing::PrintToString(wire);
      EXPECT_EQ(f.error_message.rfind("malformed HTTP request: ", 0), 0u) << f.error_message;
      EXPECT_TRUE(f.requests.empty());
    }
  }
}

TEST(RequestParserTest, LeadingEmptyLinesSkippedAndBodyBufferReused) {
  Feed f = FeedAll("\r\n\r\nGET /a HTTP/1.1\r\n\r\n", 1);
  ASSERT_EQ(f.requests.size(), 1u);
  EXPECT_EQ(f.requests[0].path, "/a");

  RequestParser p(1024, 1 << 20);
  Request req;
  p.Reset(&req);
  std::string big = "POST / HTTP/1.1\r\nContent-Length: 100000\r\n\r\n" + std::string(100000, 'z');
  size_t consumed = 0;
  ASSERT_EQ(p.Parse(big.data(), big.size(), &consumed), Result::kDone);
  EXPECT_EQ(req.body.size(), 100000u);
  p.Reset(&req);  // a large body buffer is released, not pinned
  EXPECT_LE(req.body.capacity(), 64u << 10);
  EXPECT_TRUE(req.body.empty());
}

}  // namespace
}  // namespace stfs::http
