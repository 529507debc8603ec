// What the fake sends out: callbacks to callBackUrl (signed, retried, duplicated) and downloads of
// input URLs (recorded with status, size and SHA-256).
#include <fmt/format.h>

#include "core/crypto.hpp"
#include "sandbox/fake_kie/fake_kie_impl.hpp"

namespace kb::sandbox {
namespace {

using ImplPtr = std::shared_ptr<FakeKie::Impl>;

bool is_http_url(std::string_view url) {
  return url.starts_with("http://") || url.starts_with("https://");
}

Task<void> deliver_callback(ImplPtr self, CallbackJob job) {
  net::ClientRequest request;
  request.method = "POST";
  request.url = job.url;
  request.body = job.body;
  request.headers.set("Content-Type", "application/json");
  request.timeout = self->options.callback_timeout;
  request.upstream = "fake_kie_callback";

  CallbackView view;
  view.delivery = job.delivery;
  view.attempt = job.attempt;
  view.sent_at_ms = self->clock.now_ms();
  view.body = job.body;
  if (!self->options.webhook_hmac_key.empty()) {
    view.timestamp = std::to_string(self->clock.now_seconds());
    view.signature = crypto::base64(
        crypto::hmac_sha256(self->options.webhook_hmac_key, job.task_id + "." + view.timestamp));
    request.headers.set("X-Webhook-Timestamp", view.timestamp);
    request.headers.set("X-Webhook-Signature", view.signature);
  }

  auto response = co_await self->client.send(std::move(request));
  if (response)
    view.http_status = response->status;
  else
    view.error = response.error().describe();
  {
    std::lock_guard lock(self->mutex);
    auto it = self->tasks.find(job.task_id);
    if (it != self->tasks.end()) {
      it->second.callbacks.push_back(std::move(view));
      schedule_after_attempt(it->second, it->second.callbacks.back().http_status,
                             self->clock.now_ms(), self->options.callback_attempts,
                             self->options.callback_retry_delay.count());
    }
  }
  if (!self->stopped) self->tick();  // a duplicate delivery is due at once
}

Task<void> download_inputs(ImplPtr self, std::string task_id, std::vector<InputUrl> urls) {
  for (auto& input : urls) {
    DownloadView d;
    d.task_id = task_id;
    d.input_name = input.input_name;
    d.url = input.url;
    if (self->stopped) {
      d.error = "fake server stopped";
    } else if (!is_http_url(input.url)) {
      d.error = "not an http(s) URL";
    } else {
      auto response = co_await self->fetch(input.url);
      if (!response) {
        d.error = response.error().describe();
      } else {
        d.http_status = response->status;
        d.size = response->body.size();
        d.sha256_hex = crypto::hex(crypto::sha256(response->body));
        if (response->status / 100 != 2) d.error = fmt::format("HTTP {}", response->status);
      }
    }
    std::lock_guard lock(self->mutex);
    auto now = self->clock.now_ms();
    auto it = self->tasks.find(task_id);
    if (it != self->tasks.end()) {
      auto& task = it->second;
      if (--task.pending_downloads == 0) task.downloads_done_ms = now;
      if (!d.ok() && self->options.strict_input_downloads && !task.download_failure) {
        task.download_failure = TaskRecord::DownloadFailure{
            fmt::format("Failed to fetch the file of input {}: {}", d.input_name, d.error), now};
      }
    }
    self->downloads.push_back(std::move(d));
  }
  if (!self->stopped) self->tick();
}

}  // namespace

Task<Result<net::ClientResponse>> FakeKie::Impl::fetch(std::string url) {
  net::ClientRequest request;
  request.method = "GET";
  request.url = std::move(url);
  request.timeout = options.download_timeout;
  request.follow_redirects = true;
  request.upstream = "fake_kie_download";
  co_return co_await client.send(std::move(request));
}

void FakeKie::Impl::spawn_callback(CallbackJob job) {
  if (stopped) {
    std::lock_guard lock(mutex);
    if (auto it = tasks.find(job.task_id); it != tasks.end()) it->second.callback_in_flight = false;
    return;
  }
  ++outbound;
  auto self = shared_from_this();
  asio::co_spawn(io, deliver_callback(self, std::move(job)),
                 [self](std::exception_ptr) { --self->outbound; });
}

void FakeKie::Impl::spawn_input_downloads(std::string task_id, std::vector<InputUrl> urls) {
  ++outbound;
  auto self = shared_from_this();
  asio::co_spawn(io, download_inputs(self, std::move(task_id), std::move(urls)),
                 [self](std::exception_ptr) { --self->outbound; });
}

}  // namespace kb::sandbox
