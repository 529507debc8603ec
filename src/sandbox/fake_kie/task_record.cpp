// Lifecycle progress and the JSON shapes of a fake task (kie-api.md §3.2, §4.3).
#include "sandbox/fake_kie/task_record.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace kb::sandbox {

std::pair<std::string, std::int64_t> running_state_at(const Lifecycle& lifecycle,
                                                      std::int64_t elapsed_ms) {
  std::pair<std::string, std::int64_t> current{"waiting", 0};
  std::int64_t best = -1;
  for (const auto& [state, offset] : lifecycle.states) {
    if (offset <= elapsed_ms && offset >= best) {
      best = offset;
      current = {state, offset};
    }
  }
  return current;
}

std::string extension_for_kind(const std::string& output_kind) {
  if (output_kind == "video") return "mp4";
  if (output_kind == "audio") return "wav";
  if (output_kind == "text") return "txt";
  return "png";
}

bool advance(TaskRecord& task, std::int64_t now_ms, const std::string& files_base) {
  if (task.terminal()) return false;
  const auto& lc = task.lifecycle;
  if (task.download_failure) {
    // KIE fetches inputs before generating: an unreachable input fails the task at once.
    task.state = "fail";
    task.fail_code = "451";
    task.fail_msg = task.download_failure->msg;
    task.complete_ms = task.update_ms = std::max(task.download_failure->at_ms, task.create_ms);
    task.credits_consumed = 0;
    return true;
  }
  const std::int64_t elapsed = now_ms - task.create_ms;
  if (elapsed >= lc.finish_after_ms && task.pending_downloads == 0) {
    task.complete_ms = task.update_ms =
        std::max(task.create_ms + lc.finish_after_ms, task.downloads_done_ms);
    if (lc.fail) {
      task.state = "fail";
      task.fail_code = lc.fail_code;
      task.fail_msg = lc.fail_msg;
      task.credits_consumed = 0;
    } else {
      task.state = "success";
      task.credits_consumed = lc.credits;
      if (task.output_kind != "text") {
        const auto ext = extension_for_kind(task.output_kind);
        for (int n = 0; n < lc.outputs; ++n)
          task.result_urls.push_back(fmt::format("{}/{}/{}.{}", files_base, task.task_id, n, ext));
      }
    }
    return true;
  }
  auto [state, offset] = running_state_at(lc, std::max<std::int64_t>(elapsed, 0));
  task.state = std::move(state);
  task.update_ms = task.create_ms + offset;
  return false;
}

namespace {

nlohmann::json result_object(const TaskRecord& task) {
  if (task.output_kind == "text")
    return {{"resultObject", {{"text", "Sample result for: " + task.seed}}}};
  return {{"resultUrls", task.result_urls}};
}

nlohmann::json record_fields(const TaskRecord& task, bool for_callback) {
  const bool success = task.state == "success";
  const bool failed = task.state == "fail";
  nlohmann::json data = {
      {"taskId", task.task_id},
      {"model", task.model},
      {"state", task.state},
      {"param", task.request.dump()},
      {"createTime", task.create_ms},
      {"updateTime", task.update_ms > 0 ? task.update_ms : task.create_ms},
      {"successFlag", success  ? 1
                      : failed ? 3
                               : 0},
  };
  if (success) {
    auto result = result_object(task);
    data["resultJson"] =
        task.lifecycle.result_json_as_object ? result : nlohmann::json(result.dump());
  } else {
    data["resultJson"] = failed ? nlohmann::json(nullptr) : nlohmann::json("");
  }
  if (failed) {
    data["failCode"] = task.fail_code;
    data["failMsg"] = task.fail_msg;
  } else if (for_callback && success) {
    data["failCode"] = nullptr;  // the success callback example carries nulls, recordInfo ""
    data["failMsg"] = nullptr;
  } else {
    data["failCode"] = "";
    data["failMsg"] = "";
  }
  if (task.terminal()) {
    std::int64_t cost = task.complete_ms - task.create_ms;
    data["costTime"] = task.lifecycle.cost_time_in_seconds ? cost / 1000 : cost;
    data["completeTime"] = task.complete_ms;
    data["creditsConsumed"] = task.credits_consumed;
  } else {
    data["costTime"] = 0;
    data["completeTime"] = nullptr;
  }
  return data;
}

}  // namespace

nlohmann::json record_data(const TaskRecord& task) {
  return record_fields(task, false);
}

nlohmann::json envelope(int code, const std::string& msg, nlohmann::json data, bool message_key) {
  return {{"code", code}, {message_key ? "message" : "msg", msg}, {"data", std::move(data)}};
}

nlohmann::json callback_body(const TaskRecord& task) {
  const bool success = task.state == "success";
  return envelope(success ? 200 : 501,
                  success ? "Playground task completed successfully." : "Playground task failed.",
                  record_fields(task, true), task.lifecycle.use_message_key);
}

void schedule_first_callback(TaskRecord& task, std::int64_t now_ms) {
  if (task.callback_url.empty() || task.lifecycle.callbacks <= 0) return;
  task.callback_delivery = 1;
  task.callback_attempt = 1;
  task.callback_due_ms = now_ms;
}

void schedule_after_attempt(TaskRecord& task, int http_status, std::int64_t now_ms,
                            int max_attempts, std::int64_t retry_delay_ms) {
  task.callback_in_flight = false;
  task.callback_due_ms.reset();
  if (http_status == 200) {
    if (task.callback_delivery < task.lifecycle.callbacks) {
      ++task.callback_delivery;  // a duplicate delivery of the same result
      task.callback_attempt = 1;
      task.callback_due_ms = now_ms;
    }
  } else if (task.callback_attempt < max_attempts) {
    ++task.callback_attempt;
    task.callback_due_ms = now_ms + retry_delay_ms;
  }
  // Otherwise KIE gives up: "after 3 consecutive retry failures the system stops".
}

}  // namespace kb::sandbox
