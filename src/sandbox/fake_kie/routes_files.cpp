// File serving: generated results at /files/<taskId>/<n>.<ext> and uploaded files at
// /uploads/<filePath>, with Range/HEAD support and expiry (then 404, "URL gone").
#include <charconv>

#include <fmt/format.h>

#include "net/http_range.hpp"
#include "sandbox/fake_kie/fake_kie_impl.hpp"
#include "sandbox/fake_kie/replies.hpp"
#include "sandbox/media/sample_media.hpp"

namespace kb::sandbox {
namespace {

using ImplPtr = std::shared_ptr<FakeKie::Impl>;

net::Response not_found() {
  return net::Response::text(404, "not found\n");
}

net::Response serve_bytes(const net::Request& req, std::string bytes, const std::string& mime) {
  const auto size = static_cast<std::uint64_t>(bytes.size());
  auto decision = net::decide_range(req.headers.get("Range"), size);
  net::Response r;
  r.headers.set("Accept-Ranges", "bytes");
  r.headers.set("Content-Type", mime);
  switch (decision.outcome) {
    case net::RangeOutcome::full:
      r.status = 200;
      r.body = std::move(bytes);
      break;
    case net::RangeOutcome::partial:
      r.status = 206;
      r.headers.set("Content-Range", decision.range.content_range(size));
      r.body = bytes.substr(decision.range.first, decision.range.length());
      break;
    case net::RangeOutcome::unsatisfiable:
      r.status = 416;
      r.headers.set("Content-Range", fmt::format("bytes */{}", size));
      break;
  }
  return r;
}

// "<n>.<ext>" → n, when ext is the expected one.
std::optional<int> output_index(std::string_view name, std::string_view ext) {
  auto dot = name.rfind('.');
  if (dot == std::string_view::npos || name.substr(dot + 1) != ext) return std::nullopt;
  int n = -1;
  auto digits = name.substr(0, dot);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size() || n < 0) return std::nullopt;
  return n;
}

Task<net::Response> result_file(ImplPtr self, net::Request& req) {
  bool accept_then_fail = false;
  auto fault = co_await self->enter_route("files", accept_then_fail);
  if (fault.kind != FaultReply::Kind::none) co_return reply_for_fault(fault);
  std::string kind, seed;
  media::ImageSpec image;
  int index = -1;
  {
    std::lock_guard lock(self->mutex);
    auto it = self->tasks.find(std::string(req.param("task")));
    if (it == self->tasks.end()) co_return not_found();
    auto& task = it->second;
    const auto now = self->clock.now_ms();
    self->advance_one_locked(task, now);
    if (task.state != "success") co_return not_found();
    if (now >= task.complete_ms + self->options.result_ttl.count()) co_return not_found();
    auto n = output_index(req.param("name"), extension_for_kind(task.output_kind));
    if (!n || *n >= static_cast<int>(task.result_urls.size())) co_return not_found();
    kind = task.output_kind;
    seed = task.seed;
    image.caption = task.prompt;
    image.aspect_ratio = task.aspect_ratio;
    index = *n;
  }
  // Each output of a task looks different (the colours; every image shows the same prompt); the
  // same URL always gives the same bytes.
  auto sample =
      media::sample_for(kind, index == 0 ? seed : fmt::format("{}#{}", seed, index), image);
  if (!sample) co_return net::Response::text(500, sample.error().describe() + "\n");
  co_return serve_bytes(req, std::move(sample->bytes), sample->mime_type);
}

Task<net::Response> uploaded_file(ImplPtr self, net::Request& req) {
  bool accept_then_fail = false;
  auto fault = co_await self->enter_route("files", accept_then_fail);
  if (fault.kind != FaultReply::Kind::none) co_return reply_for_fault(fault);
  std::string bytes, mime;
  {
    std::lock_guard lock(self->mutex);
    auto it = self->uploads.find(req.param("path"));
    if (it == self->uploads.end()) co_return not_found();
    if (self->clock.now_ms() >= it->second.uploaded_ms + self->options.upload_ttl.count())
      co_return not_found();
    bytes = it->second.bytes;
    mime = it->second.mime_type;
  }
  co_return serve_bytes(req, std::move(bytes), mime);
}

}  // namespace

void FakeKie::Impl::add_file_routes() {
  router.add("GET", "/files/{task}/{name}",
             [this](net::Request& req) { return result_file(shared_from_this(), req); });
  router.add("GET", "/uploads/{path*}",
             [this](net::Request& req) { return uploaded_file(shared_from_this(), req); });
}

}  // namespace kb::sandbox
