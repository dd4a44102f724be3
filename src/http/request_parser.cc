#include "http/request_parser.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "base/status.h"

namespace stfs::http {
namespace {

constexpr size_t kMaxChunkLine = 4096;  // chunk size + extensions

// Character classes as 256-entry tables: parsing is per byte, keep it cheap.
struct CharTables {
  bool token[256] = {};
  bool field_value[256] = {};  // field-vchar / SP / HTAB / obs-text
  constexpr CharTables() {
    for (int c = '0'; c <= '9'; ++c) token[c] = true;
    for (int c = 'a'; c <= 'z'; ++c) token[c] = true;
    for (int c = 'A'; c <= 'Z'; ++c) token[c] = true;
    for (const char* p = "!#$%&'*+-.^_`|~"; *p; ++p) token[static_cast<unsigned char>(*p)] = true;
    for (int c = 0x20; c < 256; ++c) field_value[c] = c != 0x7f;
    field_value[static_cast<unsigned char>('\t')] = true;
  }
};
constexpr CharTables kChars;

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!kChars.token[static_cast<unsigned char>(c)]) return false;
  return true;
}

bool IsValidFieldValue(std::string_view s) {
  for (char c : s)
    if (!kChars.field_value[static_cast<unsigned char>(c)]) return false;
  return true;
}

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Finds the first CRLF-terminated line in [data, data + size), searching from
// `from` (bytes before it are known to hold no LF); returns its length
// including CRLF, 0 if incomplete, npos on a bare LF.
size_t LineLength(const char* data, size_t size, size_t from) {
  if (from >= size) return 0;
  const void* lf = std::memchr(data + from, '\n', size - from);
  if (lf == nullptr) return 0;
  size_t n = static_cast<const char*>(lf) - data + 1;
  if (n < 2 || data[n - 2] != '\r') return std::string_view::npos;
  return n;
}

}  // namespace

void RequestParser::Reset(Request* req) {
  req_ = req;
  state_ = State::kHeader;
  scanned_ = header_bytes_ = trailer_bytes_ = num_headers_ = 0;
  request_line_done_ = false;
  remaining_ = content_length_ = 0;
  has_length_ = chunked_ = has_transfer_encoding_ = false;
  conn_close_ = conn_keep_alive_ = expect_continue_ = false;
  version_ = 11;
  error_status_ = 0;
  error_message_.clear();
  // Small body buffers are recycled; large ones are not pinned by idle connections.
  if (req->body.capacity() > (64 << 10)) {
    std::string().swap(req->body);
  } else {
    req->body.clear();
  }
}

bool RequestParser::keep_alive() const {
  if (conn_close_) return false;
  return version_ >= 11 || conn_keep_alive_;
}

RequestParser::Result RequestParser::Fail(int status, std::string message) {
  state_ = State::kError;
  error_status_ = status;
  error_message_ = std::move(message);
  return Result::kError;
}

RequestParser::Result RequestParser::Malformed(std::string_view why) {
  return Fail(400, StrCat("malformed HTTP request: ", why));
}

RequestParser::Result RequestParser::Parse(const char* data, size_t size, size_t* consumed) {
  size_t pos = 0;
  Result result = Result::kNeedMore;
  for (;;) {
    const char* p = data + pos;
    const size_t avail = size - pos;
    if (state_ == State::kHeader) {
      // Line by line: complete lines are parsed and consumed at once, so a
      // slowly arriving header is never rescanned.
      size_t n = LineLength(p, avail, scanned_);
      if (n == std::string_view::npos) return Malformed("bare LF in header");
      if (n == 0) {
        scanned_ = avail;
        if (header_bytes_ + avail > max_header_bytes_) {
          return Fail(431, StrCat("request header exceeds the limit of ", max_header_bytes_, " bytes"));
        }
        break;
      }
      scanned_ = 0;
      header_bytes_ += n;
      if (header_bytes_ > max_header_bytes_) {
        return Fail(431, StrCat("request header exceeds the limit of ", max_header_bytes_, " bytes"));
      }
      pos += n;
      std::string_view line(p, n - 2);
      if (!request_line_done_) {
        if (line.empty()) continue;  // empty lines before a request are ignored (RFC 9112 2.2)
        if (ParseRequestLine(line) == Result::kError) return Result::kError;
        request_line_done_ = true;
      } else if (!line.empty()) {
        if (ParseField(line, /*trailer=*/false) == Result::kError) return Result::kError;
      } else {
        if (FinishHead() == Result::kError) return Result::kError;
        if (chunked_) {
          state_ = State::kChunkSize;
        } else if (content_length_ > 0) {
          remaining_ = content_length_;
          // Bounded reservation: a client announcing a large body has to send it.
          req_->body.reserve(static_cast<size_t>(std::min<uint64_t>(remaining_, 256 << 10)));
          state_ = State::kBody;
        } else {
          state_ = State::kDone;
        }
      }
    } else if (state_ == State::kBody || state_ == State::kChunkData) {
      if (avail == 0) break;
      size_t take = static_cast<size_t>(std::min<uint64_t>(remaining_, avail));
      req_->body.append(p, take);
      pos += take;
      remaining_ -= take;
      if (remaining_ > 0) break;
      state_ = state_ == State::kBody ? State::kDone : State::kChunkEnd;
    } else if (state_ == State::kChunkEnd) {
      if (avail == 0) break;
      if (p[0] != '\r' || (avail > 1 && p[1] != '\n')) return Malformed("missing CRLF after chunk data");
      if (avail < 2) break;
      pos += 2;
      state_ = State::kChunkSize;
    } else if (state_ == State::kChunkSize) {
      size_t n = LineLength(p, std::min(avail, kMaxChunkLine), 0);
      if (n == std::string_view::npos) return Malformed("bare LF in chunk header");
      if (n == 0) {
        if (avail >= kMaxChunkLine) return Malformed("chunk header too long");
        break;
      }
      if (ParseChunkSize(std::string_view(p, n - 2)) == Result::kError) return Result::kError;
      pos += n;
    } else if (state_ == State::kTrailers) {
      size_t n = LineLength(p, avail, scanned_);
      if (n == std::string_view::npos) return Malformed("bare LF in trailer");
      if (n == 0) {
        scanned_ = avail;
        if (trailer_bytes_ + avail > max_header_bytes_) {
          return Fail(431, StrCat("request trailers exceed the limit of ", max_header_bytes_, " bytes"));
        }
        break;
      }
      scanned_ = 0;
      trailer_bytes_ += n;
      if (trailer_bytes_ > max_header_bytes_) {
        return Fail(431, StrCat("request trailers exceed the limit of ", max_header_bytes_, " bytes"));
      }
      pos += n;
      if (n == 2) {
        state_ = State::kDone;
      } else if (ParseField(std::string_view(p, n - 2), /*trailer=*/true) == Result::kError) {
        return Result::kError;
      }
    } else if (state_ == State::kDone) {
      result = Result::kDone;
      break;
    } else {
      return Result::kError;
    }
  }
  *consumed = pos;
  return result;
}

RequestParser::Result RequestParser::FinishHead() {
  req_->headers.resize(num_headers_);
  if (has_transfer_encoding_ && has_length_) {
    return Malformed("both Content-Length and Transfer-Encoding");
  }
  if (has_length_ && content_length_ > max_body_bytes_) {
    return Fail(413, StrCat("request body of ", content_length_, " bytes exceeds the limit of ",
                            max_body_bytes_, " bytes (--max_body_bytes)"));
  }
  return Result::kNeedMore;
}

RequestParser::Result RequestParser::ParseRequestLine(std::string_view line) {
  size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos) return Malformed("bad request line");
  std::string_view method = line.substr(0, sp1);
  if (!IsToken(method)) return Malformed("bad method");
  size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return Malformed("bad request line");
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  if (target.empty()) return Malformed("empty target");
  for (char ch : target) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7f) return Malformed("bad target");
  }
  std::string_view version = line.substr(sp2 + 1);
  if (version == "HTTP/1.1") {
    version_ = 11;
  } else if (version == "HTTP/1.0") {
    version_ = 10;
  } else {
    return Malformed("bad version");
  }
  Request& r = *req_;
  r.version = version_;
  r.method.assign(method);
  r.target.assign(target);
  size_t q = target.find('?');
  std::string_view raw_path = target.substr(0, q);
  if (raw_path.find('%') == std::string_view::npos) {
    r.path.assign(raw_path);
  } else {
    PercentDecodeTo(raw_path, false, &r.path);
  }
  if (q == std::string_view::npos) {
    r.query.clear();
  } else {
    r.query.assign(target.substr(q + 1));
  }
  return Result::kNeedMore;
}

RequestParser::Result RequestParser::ParseField(std::string_view line, bool trailer) {
  if (line[0] == ' ' || line[0] == '\t') return Malformed("obsolete line folding");
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return Malformed("header line without ':'");
  std::string_view name = line.substr(0, colon);
  if (!IsToken(name)) return Malformed("bad header name");
  std::string_view value = TrimOws(line.substr(colon + 1));
  if (!IsValidFieldValue(value)) return Malformed("bad header value");
  if (trailer) return Result::kNeedMore;  // trailers are validated and dropped

  if (EqualsIgnoreCase(name, "content-length")) {
    if (value.empty() || value.size() > 19) return Malformed("bad Content-Length");
    uint64_t v = 0;
    for (char c : value) {
      if (c < '0' || c > '9') return Malformed("bad Content-Length");
      v = v * 10 + static_cast<uint64_t>(c - '0');
    }
    if (has_length_ && v != content_length_) return Malformed("conflicting Content-Length");
    has_length_ = true;
    content_length_ = v;
  } else if (EqualsIgnoreCase(name, "transfer-encoding")) {
    if (has_transfer_encoding_ || !EqualsIgnoreCase(value, "chunked")) {
      return Malformed("unsupported Transfer-Encoding");
    }
    has_transfer_encoding_ = chunked_ = true;
  } else if (EqualsIgnoreCase(name, "connection")) {
    std::string_view rest = value;
    while (!rest.empty()) {
      size_t comma = rest.find(',');
      std::string_view tok = TrimOws(rest.substr(0, comma));
      if (EqualsIgnoreCase(tok, "close")) conn_close_ = true;
      if (EqualsIgnoreCase(tok, "keep-alive")) conn_keep_alive_ = true;
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  } else if (EqualsIgnoreCase(name, "expect")) {
    expect_continue_ = version_ >= 11 && EqualsIgnoreCase(value, "100-continue");
  }
  std::vector<Header>& headers = req_->headers;
  if (num_headers_ == headers.size()) headers.emplace_back();
  Header& h = headers[num_headers_++];
  h.name.assign(name);
  h.value.assign(value);
  return Result::kNeedMore;
}

RequestParser::Result RequestParser::ParseChunkSize(std::string_view line) {
  size_t i = 0;
  uint64_t size = 0;
  for (; i < line.size(); ++i) {
    int d = HexDigit(line[i]);
    if (d < 0) break;
    if (i >= 16) return Malformed("chunk size too long");
    if (size > (max_body_bytes_ >> 4) + 1) {  // certainly over the limit; avoids overflow
      return Fail(413, StrCat("request body exceeds the limit of ", max_body_bytes_,
                              " bytes (--max_body_bytes)"));
    }
    size = size * 16 + static_cast<uint64_t>(d);
  }
  if (i == 0) return Malformed("bad chunk size");
  std::string_view ext = line.substr(i);
  while (!ext.empty() && (ext[0] == ' ' || ext[0] == '\t')) ext.remove_prefix(1);
  if (!ext.empty() && (ext[0] != ';' || !IsValidFieldValue(ext))) {
    return Malformed("bad chunk extension");
  }
  if (size > max_body_bytes_ - req_->body.size()) {
    return Fail(413, StrCat("request body exceeds the limit of ", max_body_bytes_,
                            " bytes (--max_body_bytes)"));
  }
  if (size == 0) {
    state_ = State::kTrailers;
  } else {
    remaining_ = size;
    state_ = State::kChunkData;
  }
  return Result::kNeedMore;
}

}  // namespace stfs::http
