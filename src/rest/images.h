// Multipart image uploads for the original API (POST / with
// multipart/form-data; original-stfs.md 3.2, with its defects fixed):
//   * files in fields "image" / "images" (or any part with a filename);
//   * form fields model_name (default "default"), model_version,
//     signature_name, and optionally input_name (which input takes the
//     images) and image_encoding (raw | base64);
//   * other fields named like signature inputs carry JSON values for them.
// Which input takes the images: input_name, else "images", else "image",
// else the only string input, else the only rank-3/4 numeric input.
// String inputs get the file bytes, URL-safe base64 encoded when the input is
// "images" (the original's contract with in-graph DecodeBase64) or
// image_encoding=base64. Numeric [N,H,W,C] / [H,W,C] inputs (uint8, float,
// double, half) get the decoded pixels (0..255, no normalisation), bilinearly
// resized (TF's ResizeBilinear, legacy mode) to the signature's H and W when
// those are known, else to the first image's size.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "backend/model.h"
#include "http/multipart.h"
#include "tensor/signature.h"

namespace stfs::rest {

struct UploadForm {
  std::string model_name = "default";
  std::optional<int64_t> model_version;
  std::string signature_name;
  std::string input_name;
  std::string image_encoding;                  // "", "raw" or "base64"
  std::vector<std::string_view> images;        // views into the request body
  std::vector<std::pair<std::string, std::string_view>> fields;  // other fields
};

StatusOr<UploadForm> ReadUploadForm(const std::vector<http::FormPart>& parts);

Status BuildUploadInputs(const UploadForm& form, const SignatureInfo& sig, NamedTensors* inputs);

}  // namespace stfs::rest
