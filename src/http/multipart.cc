#include "http/multipart.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "http/util.h"

namespace stfs::http {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = char(c + 32);
  return out;
}

// Parses "; a=b; c="quoted \" value"" into lower-cased names and unquoted
// values. Returns false on an unterminated quoted string.
bool ParseParams(std::string_view s, std::vector<std::pair<std::string, std::string>>* out) {
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ';' || s[i] == ' ' || s[i] == '\t')) ++i;
    if (i >= s.size()) break;
    size_t name_start = i;
    while (i < s.size() && s[i] != '=' && s[i] != ';') ++i;
    std::string name = ToLower(Trim(s.substr(name_start, i - name_start)));
    std::string value;
    if (i < s.size() && s[i] == '=') {
      ++i;
      while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
      if (i < s.size() && s[i] == '"') {
        ++i;
        bool closed = false;
        while (i < s.size()) {
          char c = s[i++];
          if (c == '\\' && i < s.size()) {
            value.push_back(s[i++]);
          } else if (c == '"') {
            closed = true;
            break;
          } else {
            value.push_back(c);
          }
        }
        if (!closed) return false;
        while (i < s.size() && s[i] != ';') ++i;
      } else {
        size_t v_start = i;
        while (i < s.size() && s[i] != ';') ++i;
        value = std::string(Trim(s.substr(v_start, i - v_start)));
      }
    }
    if (!name.empty()) out->emplace_back(std::move(name), std::move(value));
  }
  return true;
}

// RFC 5987 ext-value: charset'lang'pct-encoded.
std::string DecodeExtValue(std::string_view v) {
  size_t q1 = v.find('\'');
  size_t q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
  if (q2 == std::string_view::npos) return PercentDecode(v);
  return PercentDecode(v.substr(q2 + 1));
}

std::string PartLabel(size_t index, const FormPart& part) {
  std::string label = "part " + std::to_string(index + 1);
  if (!part.name.empty()) label += " (name \"" + part.name + "\")";
  return label;
}

Status ParsePartHeaders(std::string_view block, size_t index, FormPart* part) {
  bool have_disposition = false;
  while (!block.empty()) {
    size_t eol = block.find("\r\n");
    std::string_view line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view() : block.substr(eol + 2);
    if (line.empty()) continue;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return InvalidArgument("multipart/form-data: ", PartLabel(index, *part),
                             ": malformed header line \"", std::string(line.substr(0, 100)), "\"");
    }
    std::string_view name = Trim(line.substr(0, colon));
    std::string_view value = Trim(line.substr(colon + 1));
    if (EqualsIgnoreCase(name, "Content-Disposition")) {
      have_disposition = true;
      size_t semi = value.find(';');
      std::vector<std::pair<std::string, std::string>> params;
      if (!ParseParams(semi == std::string_view::npos ? std::string_view() : value.substr(semi),
                       &params)) {
        return InvalidArgument("multipart/form-data: ", PartLabel(index, *part),
                               ": unterminated quoted string in Content-Disposition");
      }
      bool have_ext_filename = false;
      for (auto& [k, v] : params) {
        if (k == "name") {
          part->name = std::move(v);
        } else if (k == "filename*") {
          part->filename = DecodeExtValue(v);
          part->has_filename = have_ext_filename = true;
        } else if (k == "filename" && !have_ext_filename) {
          part->filename = std::move(v);
          part->has_filename = true;
        }
      }
    } else if (EqualsIgnoreCase(name, "Content-Type")) {
      part->content_type = std::string(value);
    }
  }
  if (!have_disposition) {
    return InvalidArgument("multipart/form-data: ", PartLabel(index, *part),
                           " has no Content-Disposition header");
  }
  if (part->name.empty()) {
    return InvalidArgument("multipart/form-data: ", PartLabel(index, *part),
                           " has no name in its Content-Disposition header");
  }
  return Status::OK();
}

}  // namespace

StatusOr<std::string> MultipartBoundary(std::string_view content_type_header) {
  size_t semi = content_type_header.find(';');
  std::string_view media = Trim(content_type_header.substr(0, semi));
  if (media.size() < 10 || !EqualsIgnoreCase(media.substr(0, 10), "multipart/")) {
    return InvalidArgument("expected Content-Type multipart/form-data, got \"",
                           std::string(content_type_header.substr(0, 200)), "\"");
  }
  std::vector<std::pair<std::string, std::string>> params;
  if (semi != std::string_view::npos && !ParseParams(content_type_header.substr(semi), &params)) {
    return InvalidArgument("multipart/form-data: unterminated quoted string in Content-Type");
  }
  for (auto& [k, v] : params) {
    if (k != "boundary") continue;
    if (v.empty() || v.size() > 200) {  // RFC says 70; be lenient
      return InvalidArgument("multipart/form-data: boundary must have 1 to 200 characters (RFC 2046: at most 70), got ",
                             v.size());
    }
    return std::move(v);
  }
  return InvalidArgument("multipart/form-data: missing boundary parameter in Content-Type \"",
                         std::string(content_type_header.substr(0, 200)), "\"");
}

StatusOr<std::vector<FormPart>> ParseMultipartFormData(std::string_view content_type_header,
                                                       std::string_view body) {
  ASSIGN_OR_RETURN(std::string boundary, MultipartBoundary(content_type_header));
  const std::string delimiter = "\r\n--" + boundary;
  const std::string_view dash_boundary = std::string_view(delimiter).substr(2);
  const std::boyer_moore_horspool_searcher searcher(delimiter.begin(), delimiter.end());

  // Finds the next delimiter at or after `from` that is followed by "--",
  // transport padding or CRLF (RFC 2046 5.1.1); npos if none.
  auto find_delimiter = [&](size_t from) -> size_t {
    while (from < body.size()) {
      auto it = std::search(body.begin() + from, body.end(), searcher);
      if (it == body.end()) return std::string_view::npos;
      size_t at = it - body.begin();
      size_t after = at + delimiter.size();
      if (after >= body.size()) return at;  // truncated: caller reports
      char c = body[after];
      if (c == '-' || c == '\r' || c == ' ' || c == '\t') return at;
      from = at + 1;
    }
    return std::string_view::npos;
  };

  size_t pos;
  if (body.substr(0, dash_boundary.size()) == dash_boundary) {
    pos = dash_boundary.size();
  } else {
    size_t at = find_delimiter(0);
    if (at == std::string_view::npos) {
      return InvalidArgument("multipart/form-data: body does not contain the boundary \"--",
                             boundary, "\" from the Content-Type header");
    }
    pos = at + delimiter.size();
  }

  std::vector<FormPart> parts;
  while (true) {
    // Just after a boundary: "--" closes, otherwise padding + CRLF.
    if (body.substr(pos, 2) == "--") return parts;
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (pos >= body.size()) {
      return InvalidArgument("multipart/form-data: body ends without the closing boundary \"--",
                             boundary, "--\"");
    }
    if (body.substr(pos, 2) != "\r\n") {
      return InvalidArgument("multipart/form-data: boundary line after part ", parts.size(),
                             " is not followed by CRLF");
    }
    pos += 2;
    if (pos >= body.size()) {
      return InvalidArgument("multipart/form-data: body ends without the closing boundary \"--",
                             boundary, "--\"");
    }
    FormPart part;
    size_t data_start;
    if (body.substr(pos, 2) == "\r\n") {  // no headers at all
      data_start = pos + 2;
      RETURN_IF_ERROR(ParsePartHeaders({}, parts.size(), &part));
    } else {
      size_t end = body.find("\r\n\r\n", pos);
      if (end == std::string_view::npos) {
        return InvalidArgument("multipart/form-data: part ", parts.size() + 1,
                               ": headers are not terminated by an empty line");
      }
      RETURN_IF_ERROR(ParsePartHeaders(body.substr(pos, end - pos), parts.size(), &part));
      data_start = end + 4;
    }
    size_t next = find_delimiter(data_start);
    if (next == std::string_view::npos || next + delimiter.size() >= body.size()) {
      return InvalidArgument("multipart/form-data: ", PartLabel(parts.size(), part),
                             " is not terminated by a boundary (missing closing boundary \"--",
                             boundary, "--\")");
    }
    part.data = body.substr(data_start, next - data_start);
    parts.push_back(std::move(part));
    pos = next + delimiter.size();
  }
}

}  // namespace stfs::http
