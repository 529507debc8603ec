// KIE.ai HTTP client (see kie_client.hpp for the retry rules).
#include "kie/kie_client.hpp"

#include <algorithm>
#include <charconv>

#include "core/log.hpp"
#include "kie/failure.hpp"
#include "kie/response_normalizer.hpp"

namespace kb::kie {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

std::string join_url(std::string_view base, std::string_view path) {
  std::string out(base);
  while (!out.empty() && out.back() == '/') out.pop_back();
  out.append(path);
  return out;
}

// User text (prompts) may hold invalid UTF-8; replace it rather than throw.
std::string dump_json(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

KieFailure local_failure(FailureReason reason, Retry retry, std::string detail) {
  return KieFailure{reason, retry, 0, 0, std::move(detail)};
}

void log_retry(Endpoint endpoint, int attempt, const KieFailure& f,
               std::chrono::milliseconds delay) {
  log::info("kie_retry", {{"endpoint", endpoint_name(endpoint)},
                          {"attempt", attempt},
                          {"reason", failure_reason_name(f.reason)},
                          {"code", f.code},
                          {"http_status", f.http_status},
                          {"detail", f.detail},
                          {"delay_ms", static_cast<std::int64_t>(delay.count())}});
}

void log_failure(Endpoint endpoint, int attempts, const KieFailure& f) {
  log::warn("kie_request_failed", {{"endpoint", endpoint_name(endpoint)},
                                   {"attempts", attempts},
                                   {"reason", failure_reason_name(f.reason)},
                                   {"retry", retry_name(f.retry)},
                                   {"code", f.code},
                                   {"http_status", f.http_status},
                                   {"detail", f.detail}});
}

std::optional<std::chrono::milliseconds> retry_after(const net::ClientResponse* response) {
  if (!response) return std::nullopt;
  auto header = response->headers.get("Retry-After");
  if (!header) return std::nullopt;
  long long seconds = 0;
  auto [ptr, ec] = std::from_chars(header->data(), header->data() + header->size(), seconds);
  if (ec != std::errc() || seconds < 0) return std::nullopt;
  return std::chrono::milliseconds(std::min<long long>(seconds, 3600) * 1000);
}

net::MultipartPart form_field(std::string name, std::string value) {
  net::MultipartPart part;
  part.name = std::move(name);
  part.data = std::move(value);
  return part;
}

// A broken or hostile upstream could echo our Authorization header into its message.
void scrub_key(KieFailure& failure, const std::string& key) {
  if (key.size() < 4) return;
  for (auto pos = failure.detail.find(key); pos != std::string::npos;
       pos = failure.detail.find(key, pos))
    failure.detail.replace(pos, key.size(), "***");
}

bool valid_upload_path(std::string_view path) {
  return !path.empty() && path.front() != '/' && path.back() != '/' && path.size() <= 512 &&
         path.find("..") == std::string_view::npos;
}

}  // namespace

std::string_view create_outcome_name(CreateOutcome outcome) {
  switch (outcome) {
    case CreateOutcome::created:
      return "created";
    case CreateOutcome::rejected:
      return "rejected";
    case CreateOutcome::ambiguous:
      return "ambiguous";
  }
  return "unknown";
}

KieClient::KieClient(net::HttpClient& http, KieClientOptions options, CreateBudget& budget,
                     Sleeper& sleeper, const Clock& clock)
    : http_(http),
      options_(std::move(options)),
      budget_(budget),
      sleeper_(sleeper),
      clock_(clock),
      random_(std::random_device{}()) {}

net::ClientRequest KieClient::make_request(std::string method, std::string url,
                                           std::string json_body,
                                           std::chrono::milliseconds timeout) const {
  net::ClientRequest r;
  r.method = std::move(method);
  r.url = std::move(url);
  // The only place the key is used: a header value, never formatted into anything logged.
  r.headers.set("Authorization", "Bearer " + options_.api_key);
  r.headers.set("User-Agent", options_.user_agent);  // Cloudflare answers 403 without one
  r.headers.set("Accept", "application/json");
  if (!json_body.empty()) r.headers.set("Content-Type", "application/json");
  r.body = std::move(json_body);
  r.connect_timeout = options_.connect_timeout;
  r.timeout = timeout;
  r.upstream = "kie";
  return r;
}

std::chrono::milliseconds KieClient::retry_delay(const BackoffPolicy& policy, int attempt,
                                                 const net::ClientResponse* response) {
  double unit = 0;
  {
    std::lock_guard lock(random_mutex_);
    unit = std::uniform_real_distribution<double>(0.0, 1.0)(random_);
  }
  auto delay = backoff_delay(policy, attempt, unit);
  if (auto hint = retry_after(response)) delay = std::max(delay, std::min(*hint, policy.max));
  return delay;
}

Task<bool> KieClient::acquire_create_slot() {
  std::chrono::milliseconds waited{0};
  for (;;) {
    auto wait = co_await budget_.try_acquire();
    if (wait <= 0ms) co_return true;
    if (waited + wait > options_.max_budget_wait) co_return false;
    log::debug("kie_create_budget_wait", {{"wait_ms", static_cast<std::int64_t>(wait.count())}});
    co_await sleeper_.sleep(wait);
    waited += wait;
  }
}

Task<CreateResult> KieClient::create_task(CreateTaskRequest request) {
  CreateResult result;
  if (request.model.empty() || !request.input.is_object()) {
    result.failure = local_failure(FailureReason::invalid_request, Retry::never,
                                   "a model id and an input object are required");
    co_return result;
  }
  json body = {{"model", request.model}, {"input", request.input}};
  if (!request.callback_url.empty()) body["callBackUrl"] = request.callback_url;
  const std::string payload = dump_json(body);
  const std::string url = join_url(options_.base_url, "/api/v1/jobs/createTask");

  for (int attempt = 1;; ++attempt) {
    if (!co_await acquire_create_slot()) {
      result.outcome = CreateOutcome::rejected;
      result.failure = local_failure(FailureReason::provider_busy, Retry::later,
                                     "account-wide create budget exhausted");
      log_failure(Endpoint::create_task, result.attempts, result.failure);
      co_return result;
    }
    result.attempts = attempt;
    auto response =
        co_await http_.send(make_request("POST", url, payload, options_.request_timeout));
    KieResult<std::string> answer;
    if (response)
      answer = normalize_create_response(response->status, response->body);
    else
      answer.failure = classify_transport(Endpoint::create_task, response.error());
    scrub_key(answer.failure, options_.api_key);

    if (answer.value) {
      result.outcome = CreateOutcome::created;
      result.task_id = std::move(*answer.value);
      log::info("kie_task_created",
                {{"model", request.model}, {"task_id", result.task_id}, {"attempts", attempt}});
      co_return result;
    }
    result.failure = std::move(answer.failure);
    if (result.failure.retry == Retry::ambiguous) {
      // No idempotency key exists: repeating could create and bill a second task.
      result.outcome = CreateOutcome::ambiguous;
      log::warn("kie_create_ambiguous", {{"model", request.model},
                                         {"attempts", attempt},
                                         {"code", result.failure.code},
                                         {"http_status", result.failure.http_status},
                                         {"detail", result.failure.detail}});
      co_return result;
    }
    if (result.failure.retry == Retry::later && attempt < options_.create_backoff.max_attempts) {
      auto delay =
          retry_delay(options_.create_backoff, attempt, response ? &response.value() : nullptr);
      log_retry(Endpoint::create_task, attempt, result.failure, delay);
      co_await sleeper_.sleep(delay);
      continue;
    }
    result.outcome = CreateOutcome::rejected;
    log_failure(Endpoint::create_task, attempt, result.failure);
    co_return result;
  }
}

Task<KieResult<TaskRecord>> KieClient::record_info(RecordQuery query) {
  KieResult<TaskRecord> result;
  if (!is_valid_task_id(query.task_id)) {
    result.attempts = 0;
    result.failure = local_failure(FailureReason::invalid_request, Retry::never, "invalid task id");
    co_return result;
  }
  const std::string url = join_url(options_.base_url, "/api/v1/jobs/recordInfo?taskId=") +
                          net::url_encode(query.task_id);
  for (int attempt = 1;; ++attempt) {
    auto response = co_await http_.send(make_request("GET", url, "", options_.request_timeout));
    if (response)
      result = normalize_record_response(response->status, response->body);
    else
      result.failure = classify_transport(Endpoint::record_info, response.error());
    scrub_key(result.failure, options_.api_key);
    result.attempts = attempt;
    if (result.value) {
      if (result.value->task_id.empty()) result.value->task_id = query.task_id;
      if (result.value->task_id == query.task_id) co_return result;
      // Never act on another task's record.
      result.failure = KieFailure{FailureReason::malformed_response, Retry::later, 200,
                                  response->status, "record of a different task"};
      result.value.reset();
    }
    // Right after createTask the record may not be visible yet (kie-api.md §3.2).
    std::optional<std::chrono::milliseconds> grace_left;
    if (result.failure.reason == FailureReason::task_not_found && query.created_at) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          *query.created_at + options_.not_found_grace - clock_.now());
      if (left > 0ms) grace_left = left;
    }
    const bool transient =
        result.failure.retry != Retry::never && attempt < options_.query_backoff.max_attempts;
    if (!grace_left && !transient) {
      if (result.failure.reason != FailureReason::task_not_found)
        log_failure(Endpoint::record_info, attempt, result.failure);
      co_return result;
    }
    auto delay =
        retry_delay(options_.query_backoff, attempt, response ? &response.value() : nullptr);
    if (grace_left) delay = std::clamp(delay, 1ms, *grace_left);
    log_retry(Endpoint::record_info, attempt, result.failure, delay);
    co_await sleeper_.sleep(delay);
  }
}

template <class T, class Normalize>
Task<KieResult<T>> KieClient::send_with_retries(Endpoint endpoint, net::ClientRequest request,
                                                Normalize normalize) {
  const int max_attempts = std::max(options_.query_backoff.max_attempts, 1);
  for (int attempt = 1;; ++attempt) {
    auto response = co_await http_.send(request);
    KieResult<T> result;
    if (response)
      result = normalize(response->status, response->body);
    else
      result.failure = classify_transport(endpoint, response.error());
    scrub_key(result.failure, options_.api_key);
    result.attempts = attempt;
    if (result.value) co_return result;
    if (result.failure.retry == Retry::never || attempt >= max_attempts) {
      log_failure(endpoint, attempt, result.failure);
      co_return result;
    }
    auto delay =
        retry_delay(options_.query_backoff, attempt, response ? &response.value() : nullptr);
    log_retry(endpoint, attempt, result.failure, delay);
    co_await sleeper_.sleep(delay);
  }
}

Task<KieResult<double>> KieClient::credits() {
  auto request = make_request("GET", join_url(options_.base_url, "/api/v1/chat/credit"), "",
                              options_.request_timeout);
  co_return co_await send_with_retries<double>(Endpoint::credits, std::move(request),
                                               &normalize_credits_response);
}

Task<KieResult<std::string>> KieClient::download_url(std::string file_url) {
  if (file_url.empty()) {
    KieResult<std::string> r;
    r.attempts = 0;
    r.failure = local_failure(FailureReason::invalid_request, Retry::never, "empty URL");
    co_return r;
  }
  auto request = make_request("POST", join_url(options_.base_url, "/api/v1/common/download-url"),
                              dump_json(json{{"url", file_url}}), options_.request_timeout);
  co_return co_await send_with_retries<std::string>(Endpoint::download_url, std::move(request),
                                                    &normalize_download_url_response);
}

Task<KieResult<UploadedFile>> KieClient::upload_file(FileUpload upload) {
  KieResult<UploadedFile> invalid;
  invalid.attempts = 0;
  const int sources =
      !upload.bytes.empty() + !upload.file_path.empty() + (upload.stream != nullptr);
  if (!valid_upload_path(upload.upload_path) || sources != 1) {
    invalid.failure = local_failure(FailureReason::invalid_request, Retry::never,
                                    "an upload path and exactly one source are required");
    co_return invalid;
  }
  auto request = make_request("POST", join_url(options_.upload_base_url, "/api/file-stream-upload"),
                              "", options_.upload_timeout);
  net::MultipartPart file;
  file.name = "file";
  file.filename = upload.file_name.empty() ? "upload" : upload.file_name;
  file.content_type =
      upload.content_type.empty() ? "application/octet-stream" : upload.content_type;
  const bool single_shot = upload.stream != nullptr;
  if (upload.stream) {
    file.stream = std::shared_ptr<net::ResponseStream>(std::move(upload.stream));
    file.stream_size = upload.stream_size;
  } else if (!upload.file_path.empty()) {
    file.file_path = std::move(upload.file_path);
  } else {
    file.data = std::move(upload.bytes);
  }
  request.multipart.push_back(std::move(file));
  request.multipart.push_back(form_field("uploadPath", upload.upload_path));
  if (!upload.file_name.empty())
    request.multipart.push_back(form_field("fileName", upload.file_name));

  if (single_shot) {
    // The stream's bytes are consumed by the first attempt: no retry is possible.
    auto response = co_await http_.send(std::move(request));
    KieResult<UploadedFile> result;
    if (response)
      result = normalize_upload_response(response->status, response->body);
    else
      result.failure = classify_transport(Endpoint::upload, response.error());
    scrub_key(result.failure, options_.api_key);
    if (!result.value) log_failure(Endpoint::upload, 1, result.failure);
    co_return result;
  }
  co_return co_await send_with_retries<UploadedFile>(Endpoint::upload, std::move(request),
                                                     &normalize_upload_response);
}

Task<KieResult<UploadedFile>> KieClient::upload_url(UrlUpload upload) {
  if (!valid_upload_path(upload.upload_path) || upload.file_url.empty()) {
    KieResult<UploadedFile> invalid;
    invalid.attempts = 0;
    invalid.failure = local_failure(FailureReason::invalid_request, Retry::never,
                                    "a file URL and an upload path are required");
    co_return invalid;
  }
  json body = {{"fileUrl", upload.file_url}, {"uploadPath", upload.upload_path}};
  if (!upload.file_name.empty()) body["fileName"] = upload.file_name;
  auto request = make_request("POST", join_url(options_.upload_base_url, "/api/file-url-upload"),
                              dump_json(body), options_.upload_timeout);
  co_return co_await send_with_retries<UploadedFile>(Endpoint::upload, std::move(request),
                                                     &normalize_upload_response);
}

}  // namespace kb::kie
