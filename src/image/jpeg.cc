// JPEG decoding through the libjpeg(-turbo) API, mirroring TF's
// tensorflow/core/lib/jpeg (memory source with optional fake-EOI recovery,
// CMYK -> RGB conversion, line-count based acceptable_fraction).
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>

// jpeglib.h needs size_t / FILE declared first.
#include <jpeglib.h>
#include <jerror.h>

#include "image/image.h"
#include "image/internal.h"

namespace stfs::image {
namespace {

struct JpegCtx {
  jpeg_decompress_struct cinfo;
  jpeg_error_mgr jerr;
  jpeg_source_mgr src;
  std::jmp_buf jmp;
  const JOCTET* data = nullptr;
  size_t size = 0;
  bool try_recover = false;
  bool inserted_eoi = false;
  bool truncated = false;
  char message[JMSG_LENGTH_MAX] = {0};
};

JpegCtx* CtxOf(j_common_ptr cinfo) { return static_cast<JpegCtx*>(cinfo->client_data); }

void ErrorExit(j_common_ptr cinfo) {
  JpegCtx* ctx = CtxOf(cinfo);
  (*cinfo->err->format_message)(cinfo, ctx->message);
  std::longjmp(ctx->jmp, 1);
}

void OutputMessage(j_common_ptr) {}  // warnings are silent

const JOCTET kEoi[2] = {0xFF, JPEG_EOI};

void InitSource(j_decompress_ptr cinfo) {
  JpegCtx* ctx = CtxOf(reinterpret_cast<j_common_ptr>(cinfo));
  cinfo->src->next_input_byte = ctx->data;
  cinfo->src->bytes_in_buffer = ctx->size;
}

// TF's MemFillInputBuffer policy, minus its "data left in the buffer" branch:
// libjpeg may call this with a stale src->bytes_in_buffer (its local copy is
// not synced before the call), and TF's early `return TRUE` there spins
// forever on e.g. "FF D8 FF" with try_recover_truncated. The whole input is
// handed over in InitSource, so any call means the data is exhausted.
boolean FillInputBuffer(j_decompress_ptr cinfo) {
  JpegCtx* ctx = CtxOf(reinterpret_cast<j_common_ptr>(cinfo));
  jpeg_source_mgr* src = cinfo->src;
  if (ctx->size == 0) {
    ERREXIT(cinfo, JERR_INPUT_EMPTY);
    return FALSE;
  }
  if (!ctx->inserted_eoi && ctx->try_recover) {
    WARNMS(cinfo, JWRN_JPEG_EOF);  // fake EOI so libjpeg finishes the image
    ctx->inserted_eoi = true;
    src->next_input_byte = kEoi;
    src->bytes_in_buffer = 2;
    return TRUE;
  }
  ctx->truncated = true;
  ERREXIT(cinfo, JERR_FILE_READ);
  return FALSE;
}

void SkipInputData(j_decompress_ptr cinfo, long n) {
  jpeg_source_mgr* src = cinfo->src;
  if (n <= 0) return;
  if (static_cast<size_t>(n) > src->bytes_in_buffer) {
    src->bytes_in_buffer = 0;
    (void)FillInputBuffer(cinfo);
  } else {
    src->bytes_in_buffer -= static_cast<size_t>(n);
    src->next_input_byte += n;
  }
}

void TermSource(j_decompress_ptr) {}

// Everything that must survive a longjmp lives in *ctx / *out (memory, not
// registers); this function holds no objects with destructors.
// Returns "" on success, else an error message.
std::string DecodeLow(JpegCtx* ctx, const DecodeJpegOptions& opts, J_DCT_METHOD dct,
                      Image* out, int64_t* lines_read) {
  jpeg_decompress_struct* cinfo = &ctx->cinfo;
  cinfo->err = jpeg_std_error(&ctx->jerr);
  ctx->jerr.error_exit = ErrorExit;
  ctx->jerr.output_message = OutputMessage;
  cinfo->client_data = ctx;
  if (setjmp(ctx->jmp)) {
    jpeg_destroy_decompress(cinfo);
    if (ctx->truncated) return "JPEG image is truncated";
    return std::string("invalid JPEG data (") + ctx->message + ")";
  }
  jpeg_create_decompress(cinfo);
  ctx->src.init_source = InitSource;
  ctx->src.fill_input_buffer = FillInputBuffer;
  ctx->src.skip_input_data = SkipInputData;
  ctx->src.resync_to_restart = jpeg_resync_to_restart;
  ctx->src.term_source = TermSource;
  ctx->src.bytes_in_buffer = 0;
  ctx->src.next_input_byte = nullptr;
  cinfo->src = &ctx->src;

  if (jpeg_read_header(cinfo, TRUE) != JPEG_HEADER_OK) {
    jpeg_destroy_decompress(cinfo);
    return "JPEG image is truncated (incomplete header)";
  }
  const int components = opts.channels == 0 ? std::min(cinfo->num_components, 3) : opts.channels;
  if (components == 1) {
    cinfo->out_color_space = JCS_GRAYSCALE;
  } else if (components == 3) {
    cinfo->out_color_space =
        (cinfo->jpeg_color_space == JCS_CMYK || cinfo->jpeg_color_space == JCS_YCCK) ? JCS_CMYK
                                                                                     : JCS_RGB;
  } else {
    jpeg_destroy_decompress(cinfo);
    return "unsupported number of JPEG components " + std::to_string(cinfo->num_components);
  }
  cinfo->do_fancy_upsampling = opts.fancy_upscaling ? TRUE : FALSE;
  cinfo->scale_num = 1;
  cinfo->scale_denom = static_cast<unsigned>(opts.ratio);
  cinfo->dct_method = dct;
  jpeg_calc_output_dimensions(cinfo);
  const int64_t h = cinfo->output_height, w = cinfo->output_width;
  if (h <= 0 || w <= 0) {
    jpeg_destroy_decompress(cinfo);
    return "invalid JPEG image size " + std::to_string(w) + "x" + std::to_string(h);
  }
  // TF: output_height * output_width * num_components < 2^29.
  if (h * w * cinfo->num_components >= (int64_t{1} << 29)) {
    jpeg_destroy_decompress(cinfo);
    return "JPEG image too large: " + std::to_string(w) + "x" + std::to_string(h);
  }
  {  // scoped: no live destructors may be skipped by a later longjmp
    Status st = internal::AllocPixels("DecodeJpeg", 1, h, w, components, PixelType::kUint8, out);
    if (!st.ok()) {
      jpeg_destroy_decompress(cinfo);
      return st.message();
    }
  }
  jpeg_start_decompress(cinfo);
  const bool cmyk = cinfo->out_color_space == JCS_CMYK;
  if (cinfo->output_components != (cmyk ? 4 : components)) {
    jpeg_destroy_decompress(cinfo);
    return "unexpected number of JPEG output components";
  }
  // CMYK scanline buffer from libjpeg's pool (freed by jpeg_destroy).
  JSAMPARRAY cmyk_row =
      cmyk ? (*cinfo->mem->alloc_sarray)(reinterpret_cast<j_common_ptr>(cinfo), JPOOL_IMAGE,
                                          static_cast<JDIMENSION>(w * 4), 1)
           : nullptr;
  const size_t stride = static_cast<size_t>(w) * components;
  uint8_t* line = out->pixels.data();
  *lines_read = h;
  bool error = false;
  while (cinfo->output_scanline < cinfo->output_height) {
    JDIMENSION n;
    if (cmyk) {
      n = jpeg_read_scanlines(cinfo, cmyk_row, 1);
      if (n > 0) {
        const JSAMPLE* t = cmyk_row[0];
        for (int64_t i = 0; i < w; ++i) {
          const int c = t[4 * i], m = t[4 * i + 1], y = t[4 * i + 2], k = t[4 * i + 3];
          if (cinfo->saw_Adobe_marker) {
            line[3 * i] = static_cast<uint8_t>(k * c / 255);
            line[3 * i + 1] = static_cast<uint8_t>(k * m / 255);
            line[3 * i + 2] = static_cast<uint8_t>(k * y / 255);
          } else {
            line[3 * i] = static_cast<uint8_t>((255 - k) * (255 - c) / 255);
            line[3 * i + 1] = static_cast<uint8_t>((255 - k) * (255 - m) / 255);
            line[3 * i + 2] = static_cast<uint8_t>((255 - k) * (255 - y) / 255);
          }
        }
      }
    } else {
      JSAMPROW row = line;
      n = jpeg_read_scanlines(cinfo, &row, 1);
    }
    if (n == 0) {  // suspended: premature end of data
      if (!opts.try_recover_truncated) {
        *lines_read = cinfo->output_scanline;
        error = true;
      } else {
        for (int64_t l = cinfo->output_scanline; l < h; ++l) {
          if (l == 0) {
            std::memset(line, 0, stride);
          } else {
            std::memcpy(line, line - stride, stride);
          }
          line += stride;
        }
        cinfo->output_scanline = cinfo->output_height;
      }
      break;
    }
    line += stride;
  }
  if (error) {
    jpeg_abort(reinterpret_cast<j_common_ptr>(cinfo));
  } else {
    jpeg_finish_decompress(cinfo);
  }
  jpeg_destroy_decompress(cinfo);
  return "";
}

}  // namespace

StatusOr<Image> DecodeJpeg(std::string_view bytes, const DecodeJpegOptions& opts) {
  if (opts.channels != 0 && opts.channels != 1 && opts.channels != 3) {
    return InvalidArgument("DecodeJpeg: channels must be 0, 1, or 3, got ", opts.channels);
  }
  if (opts.ratio != 1 && opts.ratio != 2 && opts.ratio != 4 && opts.ratio != 8) {
    return InvalidArgument("DecodeJpeg: ratio must be 1, 2, 4, or 8, got ", opts.ratio);
  }
  J_DCT_METHOD dct;
  if (opts.dct_method.empty() || opts.dct_method == "INTEGER_FAST") {
    dct = JDCT_IFAST;
  } else if (opts.dct_method == "INTEGER_ACCURATE") {
    dct = JDCT_ISLOW;
  } else {
    return InvalidArgument("DecodeJpeg: dct_method must be one of {'', 'INTEGER_FAST', "
                           "'INTEGER_ACCURATE'}, got '", opts.dct_method, "'");
  }
  if (bytes.empty()) return InvalidArgument("DecodeJpeg: empty input");
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) {
    return InvalidArgument("DecodeJpeg: input too large (", bytes.size(), " bytes)");
  }
  auto ctx = std::make_unique<JpegCtx>();
  ctx->data = reinterpret_cast<const JOCTET*>(bytes.data());
  ctx->size = bytes.size();
  ctx->try_recover = opts.try_recover_truncated;
  Image img;
  int64_t lines_read = 0;
  const std::string err = DecodeLow(ctx.get(), opts, dct, &img, &lines_read);
  if (!err.empty()) return InvalidArgument("DecodeJpeg: ", err);
  const float fraction =
      img.height == 0 ? 1.0f : static_cast<float>(lines_read) / static_cast<float>(img.height);
  if (fraction < std::min(1.0f, opts.acceptable_fraction)) {
    return InvalidArgument("DecodeJpeg: JPEG image is truncated (read ", lines_read, " of ",
                           img.height, " lines, acceptable_fraction ", opts.acceptable_fraction,
                           ")");
  }
  if (lines_read < img.height) {  // rest black, like TF
    const size_t stride = static_cast<size_t>(img.width * img.channels);
    std::fill(img.pixels.begin() + static_cast<std::ptrdiff_t>(lines_read * stride),
              img.pixels.end(), 0);
  }
  return img;
}

}  // namespace stfs::image
