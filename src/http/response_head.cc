#include "http/response_head.h"

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <ctime>

#include "http/cors.h"

namespace stfs::http {
namespace {

constexpr std::string_view kServerLine = "Server: simple_tensorflow_serving\r\n";

// "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n", cached per thread per second.
std::string_view DateLine() {
  thread_local time_t cached_sec = 0;
  thread_local char buf[48];
  thread_local size_t len = 0;
  time_t now = ::time(nullptr);
  if (now != cached_sec) {
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    gmtime_r(&now, &tm);
    int n = snprintf(buf, sizeof(buf), "Date: %s, %02d %s %04d %02d:%02d:%02d GMT\r\n",
                     kDays[tm.tm_wday], tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900,
                     tm.tm_hour, tm.tm_min, tm.tm_sec);
    len = n > 0 ? size_t(n) : 0;
    cached_sec = now;
  }
  return std::string_view(buf, len);
}

void AppendNumber(std::string* out, uint64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, end);
}

// Header names/values from the handler must not smuggle CR/LF.
void AppendSanitized(std::string* out, std::string_view s) {
  if (s.find_first_of("\r\n") == std::string_view::npos) {
    out->append(s);
    return;
  }
  for (char c : s)
    if (c != '\r' && c != '\n') out->push_back(c);
}

bool IsManagedHeader(std::string_view name) {
  return EqualsIgnoreCase(name, "Content-Length") || EqualsIgnoreCase(name, "Connection") ||
         EqualsIgnoreCase(name, "Transfer-Encoding") || EqualsIgnoreCase(name, "Server") ||
         EqualsIgnoreCase(name, "Date") || EqualsIgnoreCase(name, "Content-Type");
}

}  // namespace

size_t SerializeResponseHead(const Response& r, int request_version, bool close, bool head_only,
                             bool cors, std::string* head) {
  head->clear();
  const int status = r.status >= 100 && r.status <= 999 ? r.status : 500;
  if (status == 200) {  // the common case in one append
    head->append("HTTP/1.1 200 OK\r\nServer: simple_tensorflow_serving\r\n");
  } else {
    head->append("HTTP/1.1 ");
    AppendNumber(head, static_cast<uint64_t>(status));
    head->push_back(' ');
    head->append(StatusReason(status));
    head->append("\r\n");
    head->append(kServerLine);
  }
  head->append(DateLine());
  const bool no_body = status == 204 || status == 304 || status < 200;
  if (!r.content_type.empty() && !no_body) {
    head->append("Content-Type: ");
    AppendSanitized(head, r.content_type);
    head->append("\r\n");
  }
  if (!no_body) {
    head->append("Content-Length: ");
    AppendNumber(head, r.body.size());
    head->append("\r\n");
  }
  for (const Header& h : r.headers) {
    if (h.name.empty() || IsManagedHeader(h.name)) continue;
    if (cors && EqualsIgnoreCase(h.name, "Access-Control-Allow-Origin")) cors = false;
    AppendSanitized(head, h.name);
    head->append(": ");
    AppendSanitized(head, h.value);
    head->append("\r\n");
  }
  if (cors) head->append(kCorsAllowOriginLine);
  if (close) {
    head->append("Connection: close\r\n");
  } else if (request_version < 11) {
    head->append("Connection: keep-alive\r\n");
  }
  head->append("\r\n");
  return (head_only || no_body) ? 0 : r.body.size();
}

}  // namespace stfs::http
