// The Market jobs API: POST /api/v1/jobs/createTask and GET /api/v1/jobs/recordInfo (§3).
#include <initializer_list>

#include "core/crypto.hpp"
#include "sandbox/fake_kie/fake_kie_impl.hpp"
#include "sandbox/fake_kie/replies.hpp"

namespace kb::sandbox {
namespace {

using ImplPtr = std::shared_ptr<FakeKie::Impl>;

bool has_value(const nlohmann::json& input, const std::string& field) {
  auto it = input.find(field);
  if (it == input.end() || it->is_null()) return false;
  if (it->is_string()) return !it->get_ref<const std::string&>().empty();
  if (it->is_array() || it->is_object()) return !it->empty();
  return true;
}

// The first of `keys` that holds a string, else empty.
std::string string_input(const nlohmann::json& input, std::initializer_list<const char*> keys) {
  for (const char* key : keys)
    if (auto it = input.find(key); it != input.end() && it->is_string())
      return it->get<std::string>();
  return {};
}

// Everything createTask does once the call is let through; `downloads` receives the input URLs
// to fetch once the lock is released.
net::Response process_create(FakeKie::Impl& s, const net::Request& req, bool answered_with_fault,
                             std::vector<InputUrl>& downloads, std::string& task_id) {
  if (!s.authorized(req)) return auth_failure_reply(s.options.auth_error_as_http_401);
  auto body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object())
    return error_reply(200, 400, "Request body is not valid JSON");
  const auto model =
      body.contains("model") && body["model"].is_string() ? body["model"].get<std::string>() : "";
  nlohmann::json input = body.contains("input") && body["input"].is_object()
                             ? body["input"]
                             : nlohmann::json::object();

  std::lock_guard lock(s.mutex);
  const auto now = s.clock.now_ms();
  if (!s.create_window.try_acquire(now))
    return error_reply(s.options.rate_limit_as_http_429 ? 429 : 200, 429, standard_message(429));
  if (!s.models.accepts(model))
    return error_reply(200, 422, "The model name you specified is not supported");
  const FakeModel* known = s.models.find(model);
  if (known) {
    for (const auto& field : known->required_inputs)
      if (!has_value(input, field)) return error_reply(200, 500, field + " is required");
  }
  if (s.credits <= 0) return error_reply(200, 402, standard_message(402));

  TaskRecord task;
  task.task_id = crypto::hex(crypto::random_bytes(16));
  task.model = model;
  task.request = body;
  task.request_body = req.body;
  if (body.contains("callBackUrl") && body["callBackUrl"].is_string())
    task.callback_url = body["callBackUrl"].get<std::string>();
  task.lifecycle = s.lifecycle_for_locked(model);
  task.output_kind = !task.lifecycle.output_kind.empty() ? task.lifecycle.output_kind
                     : known                             ? known->output_kind
                                                         : guess_output_kind(model);
  task.prompt = string_input(input, {"prompt", "text"});
  task.seed = !task.prompt.empty() ? task.prompt : task.task_id;
  task.aspect_ratio = string_input(input, {"aspect_ratio", "image_size"});
  task.create_ms = task.update_ms = now;
  task.answered_with_fault = answered_with_fault;
  downloads = collect_input_urls(input, known ? known->media_inputs : std::vector<std::string>{});
  task.pending_downloads = static_cast<int>(downloads.size());
  task.downloads_done_ms = now;
  task_id = task.task_id;
  const bool message_key = task.lifecycle.use_message_key;
  s.task_order.push_back(task.task_id);
  s.tasks.emplace(task.task_id, std::move(task));
  return json_reply(
      200, envelope(200, "success", {{"taskId", task_id}, {"recordId", task_id}}, message_key));
}

Task<net::Response> create_task(ImplPtr self, net::Request& req) {
  bool accept_then_fail = false;
  auto fault = co_await self->enter_route("createTask", accept_then_fail);
  if (fault.kind != FaultReply::Kind::none && !accept_then_fail) co_return reply_for_fault(fault);
  std::vector<InputUrl> downloads;
  std::string task_id;
  auto response = process_create(*self, req, accept_then_fail, downloads, task_id);
  if (!downloads.empty()) self->spawn_input_downloads(task_id, std::move(downloads));
  if (accept_then_fail) co_return reply_for_fault(fault);
  co_return response;
}

net::Response process_record_info(FakeKie::Impl& s, const net::Request& req, bool& terminal_now) {
  if (!s.authorized(req)) return auth_failure_reply(s.options.auth_error_as_http_401);
  auto task_id = req.query_param("taskId").value_or("");
  if (task_id.empty()) return error_reply(200, 400, "taskId parameter is required");
  std::lock_guard lock(s.mutex);
  auto it = s.tasks.find(task_id);
  if (it == s.tasks.end()) return error_reply(200, 422, "recordInfo is null");
  auto& task = it->second;
  ++task.record_info_calls;
  const auto now = s.clock.now_ms();
  // The propagation gap right after create (kie-api.md §3.2, community observation).
  if (now - task.create_ms < task.lifecycle.invisible_for_ms)
    return error_reply(200, 422, "recordInfo is null");
  const bool was_terminal = task.terminal();
  s.advance_one_locked(task, now);
  terminal_now = !was_terminal && task.terminal();
  return json_reply(200,
                    envelope(200, "success", record_data(task), task.lifecycle.use_message_key));
}

Task<net::Response> record_info(ImplPtr self, net::Request& req) {
  bool accept_then_fail = false;
  auto fault = co_await self->enter_route("recordInfo", accept_then_fail);
  if (fault.kind != FaultReply::Kind::none && !accept_then_fail) co_return reply_for_fault(fault);
  bool terminal_now = false;
  auto response = process_record_info(*self, req, terminal_now);
  if (terminal_now) self->tick();  // send its callback now rather than at the next tick
  if (accept_then_fail) co_return reply_for_fault(fault);
  co_return response;
}

}  // namespace

void FakeKie::Impl::add_job_routes() {
  router.add("POST", "/api/v1/jobs/createTask",
             [this](net::Request& req) { return create_task(shared_from_this(), req); });
  router.add("GET", "/api/v1/jobs/recordInfo",
             [this](net::Request& req) { return record_info(shared_from_this(), req); });
}

}  // namespace kb::sandbox
