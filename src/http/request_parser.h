// Incremental HTTP/1.1 request parser (RFC 9112), internal to stfs_http. Pure:
// no I/O, no threads. The caller feeds the unconsumed bytes of its input
// buffer; the parser consumes what it has used (each complete header line
// once parsed, a partial line not at all; body bytes as they arrive, copied
// into Request::body, de-chunked) and fills the Request, reusing its strings.
//
// Accepted: "METHOD SP target SP HTTP/1.0|HTTP/1.1 CRLF", header fields
// "token: value CRLF", an empty line, then a body framed by Content-Length
// or "Transfer-Encoding: chunked" (chunk extensions and trailers accepted and
// dropped). Leading empty lines before a request are skipped.
// Rejected with 400: bad method/target/version, bare LF, obs-fold, bad field
// names or values, invalid or conflicting Content-Length, Content-Length
// together with Transfer-Encoding, codings other than chunked, bad chunk
// framing. 431: request line + headers (or trailers) longer than
// max_header_bytes. 413: Content-Length above max_body_bytes (reported as soon
// as the header is complete, before any body byte) or a chunked body growing
// past it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/server.h"

namespace stfs::http {

class RequestParser {
 public:
  enum class Result { kNeedMore, kDone, kError };

  RequestParser(size_t max_header_bytes, size_t max_body_bytes)
      : max_header_bytes_(max_header_bytes), max_body_bytes_(max_body_bytes) {}

  // Starts a new request that will be written into *req (kept until the next
  // Reset; remote_address is left alone).
  void Reset(Request* req);

  // Parses data[0, size) -- the bytes not consumed so far, in order -- and sets
  // *consumed to how many of them were used. kDone: the request is complete
  // (bytes after it belong to the next request). kError: see error_status().
  // After kDone/kError, call Reset before parsing again.
  Result Parse(const char* data, size_t size, size_t* consumed);

  bool headers_done() const { return state_ != State::kHeader; }
  // Valid once headers_done(): HTTP/1.1 unless "Connection: close"; HTTP/1.0
  // only with "Connection: keep-alive".
  bool keep_alive() const;
  // HTTP/1.1 request with "Expect: 100-continue" and a body still to come.
  bool expect_continue() const { return expect_continue_ && !body_done(); }
  // 10 or 11; 11 until a request line has been parsed.
  int version() const { return version_; }
  // 400, 413 or 431 after kError, with the message for the JSON error body.
  int error_status() const { return error_status_; }
  const std::string& error_message() const { return error_message_; }

 private:
  enum class State { kHeader, kBody, kChunkSize, kChunkData, kChunkEnd, kTrailers, kDone, kError };

  bool body_done() const { return state_ == State::kDone; }
  Result Fail(int status, std::string message);
  Result Malformed(std::string_view why);
  // Checks made once the empty line ending the header section has been read.
  Result FinishHead();
  Result ParseRequestLine(std::string_view line);
  Result ParseField(std::string_view line, bool trailer);
  Result ParseChunkSize(std::string_view line);

  const size_t max_header_bytes_;
  const size_t max_body_bytes_;
  Request* req_ = nullptr;
  State state_ = State::kHeader;
  size_t scanned_ = 0;        // bytes of the current partial line searched for LF
  size_t header_bytes_ = 0;   // request line + header lines consumed so far
  bool request_line_done_ = false;
  size_t trailer_bytes_ = 0;
  size_t num_headers_ = 0;
  uint64_t remaining_ = 0;    // bytes left in the body / current chunk
  bool has_length_ = false;
  uint64_t content_length_ = 0;
  bool chunked_ = false;
  bool has_transfer_encoding_ = false;
  bool conn_close_ = false;
  bool conn_keep_alive_ = false;
  bool expect_continue_ = false;
  int version_ = 11;
  int error_status_ = 0;
  std::string error_message_;
};

}  // namespace stfs::http
