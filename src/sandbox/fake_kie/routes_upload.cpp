// The file upload API (§6.3): /api/file-stream-upload (multipart), /api/file-url-upload and
// /api/file-base64-upload, with the {success, code, msg, data{…}} shape. Files are kept in memory
// and served at their downloadUrl (routes_files.cpp).
#include <ctime>

#include <fmt/format.h>

#include "core/crypto.hpp"
#include "net/multipart.hpp"
#include "sandbox/fake_kie/fake_kie_impl.hpp"
#include "sandbox/fake_kie/replies.hpp"
#include "sandbox/media/sample_media.hpp"

namespace kb::sandbox {
namespace {

using ImplPtr = std::shared_ptr<FakeKie::Impl>;

struct UploadRequest {
  std::string route;  // stream | url | base64
  std::string upload_path;
  std::string file_name;
  std::string original_name;  // for the extension when fileName is absent
  std::string bytes;
  std::string mime_type;  // empty: from the extension
};

net::Response upload_error(int code, const std::string& msg) {
  return error_reply(200, code, msg, true);
}

std::string iso8601_ms(std::int64_t epoch_ms) {
  std::time_t seconds = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:03}Z", buf, epoch_ms % 1000);
}

std::string extension_of(std::string_view name) {
  auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == name.size()) return "";
  std::string ext(name.substr(dot + 1));
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

std::string trim_slashes(std::string_view s) {
  while (!s.empty() && s.front() == '/') s.remove_prefix(1);
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  return std::string(s);
}

std::string encode_path(std::string_view path) {
  std::string out;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (start > 0) out.push_back('/');
    out += net::url_encode(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

// Stores the file and answers with KIE's success shape.
net::Response store(FakeKie::Impl& s, UploadRequest up) {
  auto path = trim_slashes(up.upload_path);
  if (path.empty()) return upload_error(400, "Missing required parameter: uploadPath");
  if (up.file_name.empty()) {
    auto ext = extension_of(up.original_name);
    up.file_name = crypto::hex(crypto::random_bytes(8)) + (ext.empty() ? "" : "." + ext);
  }
  if (up.mime_type.empty() || up.mime_type == "application/octet-stream")
    up.mime_type = media::mime_for_extension(extension_of(up.file_name));
  const auto file_path = path + "/" + up.file_name;
  const auto download_url = s.uploads_base() + "/" + encode_path(file_path);
  const auto size = up.bytes.size();
  const auto sha = crypto::hex(crypto::sha256(up.bytes));
  std::int64_t now;
  {
    std::lock_guard lock(s.mutex);
    now = s.clock.now_ms();
    // The same path overwrites, as on KIE.
    s.uploads[file_path] = StoredUpload{std::move(up.bytes), up.mime_type, now};
    s.upload_log.push_back(UploadView{up.route, file_path, download_url, up.mime_type, size, sha});
  }
  nlohmann::json data = {{"fileName", up.file_name},    {"filePath", file_path},
                         {"downloadUrl", download_url}, {"fileSize", size},
                         {"mimeType", up.mime_type},    {"uploadedAt", iso8601_ms(now)}};
  return json_reply(200, {{"success", true},
                          {"code", 200},
                          {"msg", "File uploaded successfully"},
                          {"data", std::move(data)}});
}

std::string json_string(const nlohmann::json& body, const char* key) {
  auto it = body.find(key);
  return it != body.end() && it->is_string() ? it->get<std::string>() : "";
}

// Runs the common prologue (call count, fault, auth); returns a reply to send instead, if any.
Task<std::optional<net::Response>> enter(FakeKie::Impl& self, const net::Request& req,
                                         FaultReply& fault, bool& accept_then_fail) {
  fault = co_await self.enter_route("upload", accept_then_fail);
  if (fault.kind != FaultReply::Kind::none && !accept_then_fail)
    co_return reply_for_fault(fault, true);
  if (!self.authorized(req))
    co_return auth_failure_reply(self.options.auth_error_as_http_401, true);
  co_return std::nullopt;
}

net::Response finish(net::Response response, const FaultReply& fault, bool accept_then_fail) {
  return accept_then_fail ? reply_for_fault(fault, true) : response;
}

Task<net::Response> stream_upload(ImplPtr self, net::Request& req) {
  FaultReply fault;
  bool accept_then_fail = false;
  if (auto early = co_await enter(*self, req, fault, accept_then_fail)) co_return std::move(*early);
  auto boundary = net::multipart_boundary(req.headers.get_or("Content-Type"));
  if (!boundary) co_return upload_error(400, "Content-Type must be multipart/form-data");
  auto parts = net::parse_multipart(req.body, *boundary);
  if (!parts) co_return upload_error(400, "Malformed multipart body");
  UploadRequest up;
  up.route = "stream";
  bool have_file = false;
  for (auto& part : *parts) {
    if (part.name == "file" && part.filename) {
      have_file = true;
      up.bytes = std::move(part.data);
      up.original_name = *part.filename;
      up.mime_type = part.content_type;
    } else if (part.name == "uploadPath") {
      up.upload_path = part.data;
    } else if (part.name == "fileName") {
      up.file_name = part.data;
    }
  }
  if (!have_file) co_return upload_error(400, "Missing required parameter: file");
  co_return finish(store(*self, std::move(up)), fault, accept_then_fail);
}

Task<net::Response> url_upload(ImplPtr self, net::Request& req) {
  FaultReply fault;
  bool accept_then_fail = false;
  if (auto early = co_await enter(*self, req, fault, accept_then_fail)) co_return std::move(*early);
  auto body = nlohmann::json::parse(req.body, nullptr, false);
  if (!body.is_object()) co_return upload_error(400, "Request body is not valid JSON");
  UploadRequest up;
  up.route = "url";
  const auto url = json_string(body, "fileUrl");
  up.upload_path = json_string(body, "uploadPath");
  up.file_name = json_string(body, "fileName");
  if (url.empty()) co_return upload_error(400, "Missing required parameter: fileUrl");
  if (trim_slashes(up.upload_path).empty())
    co_return upload_error(400, "Missing required parameter: uploadPath");
  if (!url.starts_with("http://") && !url.starts_with("https://"))
    co_return upload_error(400, "fileUrl must be an http or https URL");

  auto response = co_await self->fetch(url);
  DownloadView d;
  d.input_name = "fileUrl";
  d.url = url;
  if (!response) {
    d.error = response.error().describe();
  } else {
    d.http_status = response->status;
    d.size = response->body.size();
    d.sha256_hex = crypto::hex(crypto::sha256(response->body));
    if (response->status / 100 != 2) d.error = fmt::format("HTTP {}", response->status);
  }
  const bool ok = d.ok();
  const auto error = d.error;
  {
    std::lock_guard lock(self->mutex);
    self->downloads.push_back(std::move(d));
  }
  if (!ok) co_return upload_error(500, "File download failed: " + error);
  up.bytes = std::move(response->body);
  up.original_name = url.substr(url.rfind('/') + 1);
  up.original_name = up.original_name.substr(0, up.original_name.find('?'));
  auto type = response->headers.get_or("Content-Type");
  up.mime_type = type.substr(0, type.find(';'));
  co_return finish(store(*self, std::move(up)), fault, accept_then_fail);
}

Task<net::Response> base64_upload(ImplPtr self, net::Request& req) {
  FaultReply fault;
  bool accept_then_fail = false;
  if (auto early = co_await enter(*self, req, fault, accept_then_fail)) co_return std::move(*early);
  auto body = nlohmann::json::parse(req.body, nullptr, false);
  if (!body.is_object()) co_return upload_error(400, "Request body is not valid JSON");
  UploadRequest up;
  up.route = "base64";
  std::string data = json_string(body, "base64Data");
  up.upload_path = json_string(body, "uploadPath");
  up.file_name = json_string(body, "fileName");
  if (data.empty()) co_return upload_error(400, "Missing required parameter: base64Data");
  // Either raw base64 or a data URL: data:<mime>;base64,<payload>
  if (data.starts_with("data:")) {
    auto comma = data.find(',');
    auto marker = data.find(";base64");
    if (comma == std::string::npos || marker == std::string::npos || marker > comma)
      co_return upload_error(400, "Base64 decoding failed: Invalid Base64 format");
    up.mime_type = data.substr(5, marker - 5);
    data = data.substr(comma + 1);
  }
  auto decoded = crypto::base64_decode(data);
  if (!decoded) co_return upload_error(400, "Base64 decoding failed: Invalid Base64 format");
  up.bytes = std::move(*decoded);
  co_return finish(store(*self, std::move(up)), fault, accept_then_fail);
}

}  // namespace

void FakeKie::Impl::add_upload_routes() {
  router.add("POST", "/api/file-stream-upload",
             [this](net::Request& req) { return stream_upload(shared_from_this(), req); });
  router.add("POST", "/api/file-url-upload",
             [this](net::Request& req) { return url_upload(shared_from_this(), req); });
  router.add("POST", "/api/file-base64-upload",
             [this](net::Request& req) { return base64_upload(shared_from_this(), req); });
}

}  // namespace kb::sandbox
