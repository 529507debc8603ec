// InputFile resolution: uploads, attach://, URL downloads and file ids.
#include "sandbox/fake_telegram/input_file.hpp"

#include <fmt/format.h>

#include "net/http_client.hpp"
#include "sandbox/fake_telegram/method_support.hpp"

namespace kb::sandbox::tg {
namespace {

std::string_view media_type(std::string_view content_type) {
  auto semi = content_type.find(';');
  auto t = content_type.substr(0, semi);
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  return t;
}

std::string file_name_from_url(std::string_view url) {
  auto path = url.substr(0, url.find_first_of("?#"));
  auto slash = path.rfind('/');
  auto name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (name.empty() || name.find(':') != std::string_view::npos) return "file";
  return net::url_decode(name, false);
}

// The by-URL rules of §1.5: size limits and accepted content types per kind.
std::optional<ApiError> check_url_content(FileKind kind, std::string_view mime) {
  auto is = [&](std::string_view prefix) { return mime.substr(0, prefix.size()) == prefix; };
  bool ok = true;
  switch (kind) {
    case FileKind::photo:
      ok = is("image/");
      break;
    case FileKind::video:
      ok = mime == "video/mp4";
      break;
    case FileKind::animation:
      ok = mime == "image/gif" || mime == "video/mp4";
      break;
    case FileKind::audio:
      ok = is("audio/");
      break;
    case FileKind::voice:
      ok = mime == "audio/ogg" || mime == "audio/mpeg" || mime == "audio/mp4";
      break;
    case FileKind::document:
      ok = mime == "image/gif" || mime == "application/pdf" || mime == "application/zip";
      break;
    default:
      ok = false;
  }
  if (!ok) return bad_request("wrong type of the web page content");
  return std::nullopt;
}

std::size_t url_limit(FileKind kind) {
  return kind == FileKind::photo ? kPhotoUrlLimit : kUrlLimit;
}

Task<Result<InputFile>> download(Impl& impl, std::string url, FileKind kind) {
  net::ClientRequest request;
  request.url = url;
  request.timeout = std::chrono::milliseconds(30'000);
  request.follow_redirects = true;
  request.upstream = "fake_telegram_fetch";
  auto stream = co_await impl.http.open(std::move(request));
  if (!stream) co_return api_fail(bad_request("failed to get HTTP URL content"));
  auto& s = **stream;
  if (s.status() < 200 || s.status() >= 300)
    co_return api_fail(bad_request("failed to get HTTP URL content"));
  auto limit = url_limit(kind);
  if (s.content_length() && *s.content_length() > limit)
    co_return api_fail(bad_request("failed to get HTTP URL content"));
  std::string mime(media_type(s.headers().get_or("Content-Type")));
  if (auto e = check_url_content(kind, mime)) co_return api_fail(*e);
  auto bytes = std::make_shared<std::string>();
  for (;;) {
    auto chunk = co_await s.next_chunk();
    if (!chunk) co_return api_fail(bad_request("failed to get HTTP URL content"));
    if (!*chunk) break;
    bytes->append(**chunk);
    // Stop reading as soon as the limit is passed (the stream is dropped, cancelling it).
    if (bytes->size() > limit) co_return api_fail(bad_request("failed to get HTTP URL content"));
  }
  if (bytes->empty()) co_return api_fail(bad_request("failed to get HTTP URL content"));
  InputFile out;
  out.bytes = std::move(bytes);
  out.mime_type = std::move(mime);
  out.file_name = file_name_from_url(url);
  out.by_url = true;
  co_return out;
}

Result<InputFile> from_upload(const net::FormPart& part, FileKind kind) {
  if (part.data.empty()) return api_fail(bad_request("file must be non-empty"));
  if (part.data.size() > kUploadLimit)
    return api_fail(ApiError{413, "Request Entity Too Large", {}, {}});
  if (kind == FileKind::photo && part.data.size() > kPhotoUploadLimit)
    return api_fail(bad_request("file is too big"));
  InputFile out;
  out.bytes = std::make_shared<const std::string>(part.data);
  out.file_name = part.filename.value_or("");
  out.mime_type = std::string(media_type(part.content_type));
  if (out.mime_type.empty() || out.mime_type == "application/octet-stream") {
    auto guessed = guess_mime_type(out.file_name);
    if (!guessed.empty() || out.mime_type.empty()) out.mime_type = guessed;
  }
  return out;
}

}  // namespace

std::string guess_mime_type(std::string_view name) {
  auto dot = name.rfind('.');
  if (dot == std::string_view::npos) return "";
  auto ext = ascii_lower(name.substr(dot + 1));
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "png") return "image/png";
  if (ext == "gif") return "image/gif";
  if (ext == "webp") return "image/webp";
  if (ext == "mp4") return "video/mp4";
  if (ext == "mov") return "video/quicktime";
  if (ext == "webm") return "video/webm";
  if (ext == "mp3") return "audio/mpeg";
  if (ext == "m4a") return "audio/mp4";
  if (ext == "ogg" || ext == "oga" || ext == "opus") return "audio/ogg";
  if (ext == "wav") return "audio/x-wav";
  if (ext == "pdf") return "application/pdf";
  if (ext == "zip") return "application/zip";
  if (ext == "txt") return "text/plain";
  return "";
}

bool file_kind_compatible(FileKind have, FileKind want) {
  if (have == want) return true;
  // GIFs are documents as well as animations.
  return (have == FileKind::animation && want == FileKind::document) ||
         (have == FileKind::document && want == FileKind::animation);
}

Task<Result<InputFile>> resolve_input_file(Impl& impl, const ApiParams& params, std::string value,
                                           std::string upload_name, FileKind kind) {
  if (!upload_name.empty()) {
    if (const auto* part = params.file(upload_name)) co_return from_upload(*part, kind);
  }
  if (value.rfind("attach://", 0) == 0) {
    const auto* part = params.file(std::string_view(value).substr(9));
    if (!part) co_return api_fail(bad_request("wrong file identifier/HTTP URL specified"));
    co_return from_upload(*part, kind);
  }
  if (value.empty())
    co_return api_fail(
        bad_request(fmt::format("there is no {} in the request", file_kind_name(kind))));
  if (value.rfind("http://", 0) == 0 || value.rfind("https://", 0) == 0) {
    if (kind == FileKind::video_note)
      co_return api_fail(bad_request("wrong file identifier/HTTP URL specified"));
    co_return co_await download(impl, std::move(value), kind);
  }
  std::lock_guard lock(impl.mu);
  const auto* file = impl.world.files.find(value);
  if (!file || file->kind == FileKind::thumbnail)
    co_return api_fail(bad_request("wrong file identifier/HTTP URL specified"));
  if (!file_kind_compatible(file->kind, kind))
    co_return api_fail(bad_request("type of file mismatch"));
  InputFile out;
  out.existing_id = file->file_id;
  co_return out;
}

}  // namespace kb::sandbox::tg
