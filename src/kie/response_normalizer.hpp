// The one normalizer for KIE answers: every variant in kie-api.md becomes one typed result (pure,
// no I/O; compiled by clang 14 for fuzzing).
//
// Handles: the body `code` as the authority even with HTTP 200, and real HTTP error codes; `msg`
// or `message`; task ids under `taskId` / `task_id` / `id` / `recordId` (a recordId only when no
// taskId exists); `resultJson` as a JSON string or an object, and `response` already parsed;
// the many result-URL field names (result_urls.hpp); states and their aliases, `successFlag`
// and `status`; `failCode`/`failMsg` as "", null or numbers. Malformed input of any kind yields a
// classified failure, never an exception or a crash.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "kie/kie_types.hpp"

namespace kb::kie {

// The common `{code, msg, data}` envelope (upload answers add `success`).
struct Envelope {
  int http_status = 0;
  bool readable = false;         // the body was a JSON object
  std::optional<int> body_code;  // `code` as sent
  int code = 0;                  // authoritative: the body code, else the HTTP status
  std::string message;           // `msg`, else `message`
  nlohmann::json data;           // null when absent
  std::optional<bool> success;   // upload endpoints only
  std::string root_task_id;      // a top-level `taskId` / `task_id` (some callbacks)
  std::string parse_error;       // why the body was not readable
};

// Bodies nested deeper than this are refused before parsing (the parser and json copies recurse).
inline constexpr int kMaxJsonDepth = 64;

Envelope parse_envelope(int http_status, std::string_view body);

// Parses JSON text with the depth limit; nullopt for anything that is not valid JSON.
std::optional<nlohmann::json> parse_json_limited(std::string_view text);

// createTask: the task id to poll with.
KieResult<std::string> normalize_create_response(int http_status, std::string_view body);
// recordInfo: the task record.
KieResult<TaskRecord> normalize_record_response(int http_status, std::string_view body);
// chat/credit: the remaining balance in provider credits.
KieResult<double> normalize_credits_response(int http_status, std::string_view body);
// common/download-url: a temporary direct link.
KieResult<std::string> normalize_download_url_response(int http_status, std::string_view body);
// file-*-upload: where the uploaded file can be fetched.
KieResult<UploadedFile> normalize_upload_response(int http_status, std::string_view body);

// A record's `data` object (recordInfo and callbacks share the shape).
TaskRecord normalize_task_record(const nlohmann::json& data);

// State words of every family (waiting, wait, pending, queuing, queueing, generating, processing,
// SUCCESS, fail, CREATE_TASK_FAILED, …); `unknown` for anything else.
TaskState parse_state_word(std::string_view word);
// successFlag: 0 running, 1 success, 2/3/4 failed.
TaskState parse_success_flag(long long flag);

// Task ids are opaque, but they go into URLs, logs and the database: 1-128 printable ASCII
// characters without spaces.
bool is_valid_task_id(std::string_view id);

}  // namespace kb::kie
