// multipart/form-data (RFC 7578) parsing over a complete request body.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace stfs::http {

struct FormPart {
  std::string name;          // Content-Disposition name="..."
  std::string filename;      // filename="..." (or decoded filename*=UTF-8''...); empty for fields
  std::string content_type;  // the part's Content-Type, empty if absent
  std::string_view data;     // points into the body passed to the parser
  bool has_filename = false; // a filename parameter was present (even if empty)
};

// Parses `body` using the boundary from the Content-Type header value
// ("multipart/form-data; boundary=XYZ", boundary may be quoted). Parts are
// returned in order. The returned data views point into `body`, which must
// outlive them. Errors (InvalidArgument) name the problem: not multipart,
// missing boundary, body not starting with the boundary, part headers not
// terminated, missing Content-Disposition / name, missing closing boundary.
StatusOr<std::vector<FormPart>> ParseMultipartFormData(std::string_view content_type_header,
                                                       std::string_view body);

// Extracts the boundary parameter; InvalidArgument if absent/invalid or the
// media type is not multipart/*.
StatusOr<std::string> MultipartBoundary(std::string_view content_type_header);

}  // namespace stfs::http
