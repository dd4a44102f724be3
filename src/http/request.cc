// Request/Response helpers.
#include <exception>

#include "http/server.h"

namespace stfs::http {

const std::string* Request::FindHeader(std::string_view name) const {
  for (const Header& h : headers)
    if (EqualsIgnoreCase(h.name, name)) return &h.value;
  return nullptr;
}

std::optional<std::string> Request::QueryParam(std::string_view key) const {
  return FindQueryParam(query, key);
}

Response Response::Error(int status, std::string_view message) {
  Response r;
  r.status = status;
  r.body = JsonErrorBody(message);
  return r;
}

Response Response::FromStatus(const Status& status) {
  if (status.ok()) {
    Response r;
    r.body = "{}";
    return r;
  }
  return Error(HttpStatusForCode(status.code()), status.message());
}

}  // namespace stfs::http
