// Typed values of the KIE API after normalization: task states, task records, failures.
// Pure header (no I/O): compiled by the fuzz build too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace kb::kie {

// The market task lifecycle (waiting → queuing → generating → success | fail). Every alias the
// provider uses maps onto these; anything unrecognized is `unknown`, which is NOT terminal.
enum class TaskState { waiting, queuing, generating, success, fail, unknown };

std::string_view task_state_name(TaskState state);
inline bool is_terminal(TaskState state) {
  return state == TaskState::success || state == TaskState::fail;
}

// Why something failed, as a user-facing reason code. The conversation layer localizes these;
// neither the provider's brand nor its raw text ever reaches a user.
enum class FailureReason {
  invalid_request,          // parameters refused: bad value, missing field, unsupported model
  content_rejected,         // the prompt or an input was refused (content policy, unsafe image)
  input_unreachable,        // the provider could not fetch an input file
  provider_busy,            // rate limited, queue full, maintenance: try again later
  provider_unavailable,     // network failure or provider error: try again later
  provider_auth_failed,     // our API key was refused (operator problem)
  provider_out_of_credits,  // the provider account has no credits left (operator problem)
  provider_quota_exceeded,  // a per-key usage cap was hit (operator problem)
  model_unavailable,        // the model is disabled at the provider
  generation_failed,        // the task ran and failed
  task_not_found,           // the provider does not know the task (after the grace window)
  malformed_response,       // the answer could not be understood
  outcome_unknown,          // the request may or may not have been acted on (see Retry::ambiguous)
};

std::string_view failure_reason_name(FailureReason reason);

// What a caller may do about a failure.
enum class Retry {
  never,      // the same request would fail the same way
  later,      // clearly not acted on (or harmless to repeat): retry after a pause
  ambiguous,  // may have been acted on: a createTask must NOT be repeated (reconcile instead)
};

std::string_view retry_name(Retry retry);

// Which call an answer belongs to: the same code means different things per endpoint (a 422 from
// recordInfo is "no such task", from createTask "invalid parameters").
enum class Endpoint { create_task, record_info, credits, download_url, upload };

std::string_view endpoint_name(Endpoint endpoint);

struct KieFailure {
  FailureReason reason = FailureReason::malformed_response;
  Retry retry = Retry::never;
  int code = 0;         // business code from the body, else the HTTP status; 0 = no answer at all
  int http_status = 0;  // 0 when no HTTP response arrived
  std::string detail;   // provider message or transport error, capped; for logs only
};

// One normalized task record (recordInfo `data`, or a callback body's `data`).
struct TaskRecord {
  std::string task_id;
  std::string model;
  TaskState state = TaskState::unknown;
  std::string raw_state;                 // the provider's own word, for logs
  std::vector<std::string> result_urls;  // the outputs, in order, without duplicates
  std::vector<std::string> extra_urls;   // first/last frames, covers, previews, stream URLs
  nlohmann::json result;                 // parsed resultJson (or `response`); null when absent
  bool result_unparseable = false;       // resultJson was present but not valid JSON
  std::string fail_code;                 // "" when none (the provider sends "", null or numbers)
  std::string fail_message;              // provider text; logs only
  FailureReason fail_reason = FailureReason::generation_failed;  // meaningful when state == fail
  std::optional<double> credits_consumed;
  std::optional<std::int64_t> create_time_ms;
  std::optional<std::int64_t> complete_time_ms;
  std::optional<int> progress;  // 0..100 when reported
};

struct UploadedFile {
  std::string download_url;  // what to pass as a model input URL
  std::string file_name;
  std::string file_path;
  std::optional<std::uint64_t> size;
  std::string mime_type;
};

// A value or a classified failure, plus how many HTTP attempts it took.
template <class T>
struct KieResult {
  std::optional<T> value;
  KieFailure failure;  // meaningful when !value
  int attempts = 1;

  bool ok() const { return value.has_value(); }
  explicit operator bool() const { return ok(); }
};

}  // namespace kb::kie
