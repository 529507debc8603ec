// One fake task: its request, lifecycle progress by the clock, and the JSON KIE shows for it
// (recordInfo `data`, callback bodies). Pure logic: no I/O, time comes in as epoch milliseconds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sandbox/fake_kie/fake_kie_types.hpp"

namespace kb::sandbox {

struct TaskRecord {
  std::string task_id;
  std::string model;
  nlohmann::json request;  // the parsed createTask body (rendered as `param`)
  std::string request_body;
  std::string callback_url;
  std::string output_kind;   // image | video | audio | text
  std::string seed;          // what sample results are generated from (the prompt)
  std::string prompt;        // written on sample images; empty when the input has none
  std::string aspect_ratio;  // the input's aspect_ratio / image_size: the sample image's shape
  Lifecycle lifecycle;
  std::int64_t create_ms = 0;
  bool answered_with_fault = false;

  // Input downloads (started at create time).
  int pending_downloads = 0;
  std::int64_t downloads_done_ms = 0;  // when the last one finished
  struct DownloadFailure {
    std::string msg;  // becomes failMsg (failCode "451")
    std::int64_t at_ms = 0;
  };
  std::optional<DownloadFailure> download_failure;  // strict mode only

  // Progress.
  std::string state = "waiting";
  std::int64_t update_ms = 0;
  std::int64_t complete_ms = 0;
  std::vector<std::string> result_urls;
  std::string fail_code, fail_msg;
  double credits_consumed = 0;
  int record_info_calls = 0;

  // Callback schedule: the next (delivery, attempt) due at `callback_due_ms`, if any.
  std::optional<std::int64_t> callback_due_ms;
  int callback_delivery = 1;
  int callback_attempt = 1;
  bool callback_in_flight = false;
  std::vector<CallbackView> callbacks;

  bool terminal() const { return state == "success" || state == "fail"; }
};

// The non-terminal state `elapsed_ms` after creation: the last entry of `states` whose offset has
// passed ("waiting" when none has) and the offset at which it began.
std::pair<std::string, std::int64_t> running_state_at(const Lifecycle& lifecycle,
                                                      std::int64_t elapsed_ms);

// Moves `task` to its state at `now_ms`. Returns true when it has just become terminal (then the
// caller debits credits and schedules callbacks). Result URLs are `<files_base>/<id>/<n>.<ext>`.
bool advance(TaskRecord& task, std::int64_t now_ms, const std::string& files_base);

// File extension of sample results of an output kind.
std::string extension_for_kind(const std::string& output_kind);

// The `data` object of recordInfo (and of callbacks).
nlohmann::json record_data(const TaskRecord& task);

// {"code":…,"msg"|"message":…,"data":…}
nlohmann::json envelope(int code, const std::string& msg, nlohmann::json data,
                        bool message_key = false);

// The callback body: the record with envelope code 200 (success) or 501 (fail).
nlohmann::json callback_body(const TaskRecord& task);

// After a terminal transition: schedules the first callback delivery when there is a URL and the
// lifecycle asks for callbacks.
void schedule_first_callback(TaskRecord& task, std::int64_t now_ms);

// After a delivery attempt answered `http_status` (0 = no answer): schedules the retry, the
// duplicate delivery, or nothing.
void schedule_after_attempt(TaskRecord& task, int http_status, std::int64_t now_ms,
                            int max_attempts, std::int64_t retry_delay_ms);

}  // namespace kb::sandbox
