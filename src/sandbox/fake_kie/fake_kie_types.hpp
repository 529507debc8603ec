// Value types of the fake KIE server: options, lifecycles, faults and inspection views (no I/O).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"

namespace kb::sandbox {

// What the fake knows about one model id. Unknown ids get
// HTTP 200 {"code":422,"msg":"The model name you specified is not supported","data":null}.
struct FakeModel {
  std::string id;
  // Inputs KIE insists on; a missing (or empty) one gives
  // {"code":500,"msg":"<field> is required","data":null}.
  std::vector<std::string> required_inputs;
  // Input names holding media URLs (besides the `*_url`, `*_urls`, `image` naming rule).
  std::vector<std::string> media_inputs;
  std::string output_kind = "image";  // image | video | audio | text
};

struct FakeKieOptions {
  std::string api_key = "test-kie-key";
  // Wrong or missing Bearer key: HTTP 401 when true, else HTTP 200; the body is always
  // {"code":401,"msg":"You do not have access permissions","data":null} (upload routes use their
  // own {"success":false,"code":401,"msg":"Authentication failed: Invalid API Key"}).
  bool auth_error_as_http_401 = false;
  // When set, every callback carries X-Webhook-Timestamp (seconds) and
  // X-Webhook-Signature = base64(HMAC_SHA256(key, taskId + "." + timestamp)).
  std::string webhook_hmac_key;
  // More authenticated creates than this within 10 s (sliding, by `clock`; refused ones do not
  // count) →
  // {"code":429,"msg":"Your call frequency is too high. Please try again later.","data":null}.
  int create_limit_per_10s = 20;
  bool rate_limit_as_http_429 = false;  // else HTTP 200 with the body code 429
  // Timestamps, lifecycles, callback retry times, rate window and expiries; default: system clock.
  Clock* clock = nullptr;
  double credits = 10000;  // starting balance; createTask answers 402 when it is <= 0
  // Model table. Empty optional: every model of the catalog shipped in the binary (required and
  // media inputs from it; `models_from_catalog()` in model_table.hpp converts another catalog);
  // if that catalog does not load, any non-empty model id is accepted.
  std::optional<std::vector<FakeModel>> models;
  bool accept_any_model = false;  // skip the table entirely
  // Input URLs are downloaded when a task is created; a failed download fails the task with
  // failCode "451" when strict (otherwise it is only recorded).
  bool strict_input_downloads = true;
  std::chrono::milliseconds download_timeout{30'000};
  std::chrono::milliseconds callback_timeout{15'000};     // KIE's documented 15 s
  int callback_attempts = 3;                              // per delivery, on non-200 or no answer
  std::chrono::milliseconds callback_retry_delay{1'000};  // by `clock`, between attempts
  std::chrono::milliseconds result_ttl{14LL * 24 * 3600 * 1000};  // then /files/... answers 404
  std::chrono::milliseconds upload_ttl{24LL * 3600 * 1000};       // then /uploads/... answers 404
  std::chrono::milliseconds tick_interval{50};  // background tick(); 0 = only explicit tick()
};

// How tasks of a model (or one task) move through their states. Offsets are from createTime.
struct Lifecycle {
  std::vector<std::pair<std::string, int>> states = {
      {"waiting", 0}, {"queuing", 200}, {"generating", 400}};
  int finish_after_ms = 1000;  // then success or fail (never before the input downloads finished)
  bool fail = false;
  std::string fail_code = "500";
  std::string fail_msg = "Internal server error";
  int outputs = 1;          // number of result URLs
  std::string output_kind;  // image | video | audio | text; empty: the model's (FakeModel)
  int callbacks = 1;        // deliveries per task: 0 = never (polling only), 2 = duplicate
  bool result_json_as_object = false;  // the doc-conflict variant: resultJson as an object
  bool use_message_key = false;        // "message" instead of "msg" (create, record, callback)
  int invisible_for_ms = 0;  // recordInfo answers 422 "recordInfo is null" right after create
  double credits = 1.0;      // creditsConsumed of a successful task (debited from the balance)
  bool cost_time_in_seconds = false;  // costTime in s (live examples) instead of ms (docs)
};

// A one-shot fault for the next matching call(s) of a route. Routes: "createTask", "recordInfo",
// "credit", "downloadUrl", "upload" (all three upload routes), "files" (result and upload files).
// A fault with only `delay_ms` set slows the normal answer down. `code` != 0 answers
// {"code":code,"msg":msg,"data":null} with `http_status`; `code` == 0 with `http_status` != 200
// uses the HTTP status as the body code. An empty `msg` uses KIE's text for that code.
struct Fault {
  int http_status = 200;
  int code = 0;
  std::string msg;
  int delay_ms = 0;  // real time, before answering (exercises client timeouts)
  bool malformed_json = false;
  // The connection is cut after the response head: the client cannot know whether the call
  // was processed (curl reports a broken transfer).
  bool close_without_response = false;
  // The call is processed (createTask: the task IS created and runs) but the answer is the fault.
  bool accept_then_fail = false;
};

struct CallbackView {
  int delivery = 1;     // 1-based; >1 are duplicate deliveries
  int attempt = 1;      // 1-based within the delivery
  int http_status = 0;  // 0 = no answer (connection error or timeout)
  std::string error;    // transport error text when http_status == 0
  std::int64_t sent_at_ms = 0;
  std::string timestamp;  // X-Webhook-Timestamp sent (empty when unsigned)
  std::string signature;  // X-Webhook-Signature sent (empty when unsigned)
  std::string body;       // exactly what was POSTed
};

struct TaskView {
  std::string task_id;  // 32 lowercase hex, also the recordId
  std::string model;
  nlohmann::json input;      // the request's `input` object
  std::string callback_url;  // empty when none was given
  std::string request_body;  // the raw createTask body
  std::string state;         // waiting | queuing | generating | success | fail (now, by clock)
  std::int64_t create_time_ms = 0;
  std::int64_t complete_time_ms = 0;  // 0 while running
  int record_info_calls = 0;
  std::vector<std::string> result_urls;  // on success
  std::string fail_code, fail_msg;       // on fail
  double credits_consumed = 0;
  bool answered_with_fault = false;  // created by a call answered with an accept_then_fail fault
  std::vector<CallbackView> callbacks;
};

struct DownloadView {
  std::string task_id;     // the task whose input it was; empty for /api/file-url-upload
  std::string input_name;  // e.g. "image_urls"; "fileUrl" for url uploads
  std::string url;
  int http_status = 0;  // 0 = no answer
  std::string error;    // empty when the download succeeded
  std::uint64_t size = 0;
  std::string sha256_hex;  // of the downloaded bytes
  bool ok() const { return error.empty(); }
};

struct UploadView {
  std::string route;      // "stream" | "url" | "base64"
  std::string file_path;  // uploadPath + "/" + fileName
  std::string download_url;
  std::string mime_type;
  std::uint64_t size = 0;
  std::string sha256_hex;
};

}  // namespace kb::sandbox
