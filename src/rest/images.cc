#include "rest/images.h"

#include <cmath>

#include "base/base64.h"
#include "image/image.h"
#include "image/resize.h"
#include "repo/version_policy.h"
#include "tensor/tensor_json.h"

namespace stfs::rest {
namespace {

bool IsPixelType(DType d) {
  return d == DType::kUInt8 || d == DType::kFloat || d == DType::kDouble || d == DType::kHalf;
}

std::string InputList(const SignatureInfo& sig) {
  std::string s;
  for (const TensorInfo& t : sig.inputs) {
    s += StrCat(s.empty() ? "" : ", ", t.alias, " (", DTypeName(t.dtype), " ", t.shape.ToString(), ")");
  }
  return s.empty() ? "none" : s;
}

StatusOr<const TensorInfo*> ChooseImageInput(const UploadForm& form, const SignatureInfo& sig) {
  auto find = [&](std::string_view alias) -> const TensorInfo* {
    for (const TensorInfo& t : sig.inputs) {
      if (t.alias == alias) return &t;
    }
    return nullptr;
  };
  if (!form.input_name.empty()) {
    if (const TensorInfo* t = find(form.input_name)) return t;
    return InvalidArgument("input_name '", form.input_name, "' is not an input of signature '",
                           sig.name, "'; inputs: ", InputList(sig));
  }
  if (const TensorInfo* t = find("images")) return t;
  if (const TensorInfo* t = find("image")) return t;
  const TensorInfo* string_input = nullptr;
  const TensorInfo* pixel_input = nullptr;
  int strings = 0, pixels = 0;
  for (const TensorInfo& t : sig.inputs) {
    if (t.dtype == DType::kString) {
      string_input = &t;
      ++strings;
    } else if (IsPixelType(t.dtype) && (t.shape.rank() == 3 || t.shape.rank() == 4)) {
      pixel_input = &t;
      ++pixels;
    }
  }
  if (strings == 1) return string_input;
  if (strings == 0 && pixels == 1) return pixel_input;
  return InvalidArgument("cannot tell which input of signature '", sig.name,
                         "' takes the uploaded images; send a form field input_name. Inputs: ",
                         InputList(sig));
}

Status BuildStringInput(const UploadForm& form, const TensorInfo& info, NamedTensors* inputs) {
  const bool base64 = form.image_encoding == "base64" ||
                      (form.image_encoding.empty() && info.alias == "images");
  const int64_t n = static_cast<int64_t>(form.images.size());
  Shape shape{n};
  if (info.shape.rank() == 0) {
    if (n != 1) {
      return InvalidArgument("input '", info.alias, "' is a scalar: upload exactly one image, got ", n);
    }
    shape = Shape{};
  }
  ASSIGN_OR_RETURN(Tensor t, Tensor::Create(DType::kString, shape));
  for (int64_t i = 0; i < n; ++i) {
    t.flat<std::string>()[i] = base64 ? EncodeBase64(form.images[i], /*web_safe=*/true, /*pad=*/true)
                                      : std::string(form.images[i]);
  }
  inputs->emplace_back(info.alias, std::move(t));
  return Status::OK();
}

template <typename T>
T FromPixel(float v) {
  if constexpr (std::is_same_v<T, uint8_t>) {
    return static_cast<uint8_t>(std::clamp(std::nearbyint(v), 0.0f, 255.0f));
  } else {
    return static_cast<T>(v);
  }
}

Status BuildPixelInput(const UploadForm& form, const TensorInfo& info, NamedTensors* inputs) {
  const std::vector<int64_t>& dims = info.shape.dims();
  const bool batched = dims.size() == 4;
  const size_t off = batched ? 1 : 0;
  if (!batched && form.images.size() != 1) {
    return InvalidArgument("input '", info.alias, "' ", info.shape.ToString(),
                           " takes one image, got ", form.images.size());
  }
  const int64_t want_c = dims[off + 2] < 0 ? 3 : dims[off + 2];
  if (want_c < 1 || want_c > 4) {
    return InvalidArgument("input '", info.alias, "' has ", want_c, " channels; images have 1 to 4");
  }
  int64_t out_h = dims[off], out_w = dims[off + 1];
  const int64_t n = static_cast<int64_t>(form.images.size());
  Tensor t;
  for (int64_t i = 0; i < n; ++i) {
    auto img = image::DecodeAny(form.images[i], static_cast<int>(want_c));
    if (!img.ok()) return img.status().WithContext(StrCat("uploaded image ", i));
    if (out_h < 0) out_h = img->height;
    if (out_w < 0) out_w = img->width;
    if (i == 0) {
      Shape shape = batched ? Shape{n, out_h, out_w, want_c} : Shape{out_h, out_w, want_c};
      ASSIGN_OR_RETURN(t, Tensor::Create(info.dtype, shape));
    }
    std::vector<float> pixels(static_cast<size_t>(out_h * out_w * want_c));
    RETURN_IF_ERROR(image::ResizeBilinear(img->u8(), 1, img->height, img->width, want_c, out_h, out_w,
                                          /*align_corners=*/false, /*half_pixel_centers=*/false,
                                          pixels.data())
                        .WithContext(StrCat("resizing uploaded image ", i)));
    const size_t base = static_cast<size_t>(i) * pixels.size();
    DispatchDType(info.dtype, [&]<typename T>() {
      if constexpr (std::is_same_v<T, uint8_t> || std::is_same_v<T, float> ||
                    std::is_same_v<T, double> || std::is_same_v<T, Half>) {
        T* out = t.data<T>() + base;
        for (size_t k = 0; k < pixels.size(); ++k) out[k] = FromPixel<T>(pixels[k]);
      }
    });
  }
  inputs->emplace_back(info.alias, std::move(t));
  return Status::OK();
}

}  // namespace

StatusOr<UploadForm> ReadUploadForm(const std::vector<http::FormPart>& parts) {
  UploadForm form;
  for (const http::FormPart& p : parts) {
    if (p.name == "image" || p.name == "images" || p.has_filename) {
      form.images.push_back(p.data);
    } else if (p.name == "model_name") {
      form.model_name = std::string(p.data);
    } else if (p.name == "model_version") {
      int64_t v;
      if (!p.data.empty()) {
        if (!ParseVersionNumber(p.data, &v)) {
          return InvalidArgument("form field model_version '", p.data, "' is not a version number");
        }
        form.model_version = v;
      }
    } else if (p.name == "signature_name") {
      form.signature_name = std::string(p.data);
    } else if (p.name == "input_name") {
      form.input_name = std::string(p.data);
    } else if (p.name == "image_encoding") {
      form.image_encoding = std::string(p.data);
      if (form.image_encoding != "raw" && form.image_encoding != "base64") {
        return InvalidArgument("form field image_encoding must be raw or base64, got '",
                               form.image_encoding, "'");
      }
    } else if (p.name != "run_profile") {
      form.fields.emplace_back(p.name, p.data);
    }
  }
  if (form.images.empty()) {
    return InvalidArgument("no image uploaded: send files in the form field 'image' or 'images'");
  }
  return form;
}

Status BuildUploadInputs(const UploadForm& form, const SignatureInfo& sig, NamedTensors* inputs) {
  ASSIGN_OR_RETURN(const TensorInfo* target, ChooseImageInput(form, sig));
  if (target->dtype == DType::kString) {
    RETURN_IF_ERROR(BuildStringInput(form, *target, inputs));
  } else if (IsPixelType(target->dtype) && (target->shape.rank() == 3 || target->shape.rank() == 4)) {
    RETURN_IF_ERROR(BuildPixelInput(form, *target, inputs));
  } else {
    return InvalidArgument("input '", target->alias, "' (", DTypeName(target->dtype), " ",
                           target->shape.ToString(), ") cannot take images: it needs string, or ",
                           "uint8/float [N,H,W,C]");
  }
  // Other inputs from same-named form fields, as JSON values.
  for (const auto& [name, value] : form.fields) {
    for (const TensorInfo& info : sig.inputs) {
      if (info.alias != name || &info == target) continue;
      JsonDocument doc;
      RETURN_IF_ERROR(doc.Parse(value).WithContext(StrCat("form field '", name, "'")));
      auto t = JsonToTensor(doc.root(), info.dtype, doc.read_options());
      if (!t.ok()) return t.status().WithContext(StrCat("form field '", name, "'"));
      inputs->emplace_back(info.alias, std::move(t).value());
    }
  }
  return Status::OK();
}

}  // namespace stfs::rest
