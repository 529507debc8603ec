// FakeKie: construction, start/stop, the background tick, configuration and inspection.
#include "sandbox/fake_kie/fake_kie.hpp"

#include <fmt/format.h>

#include "core/crypto.hpp"
#include "core/log.hpp"
#include "core/with_timeout.hpp"
#include "sandbox/fake_kie/fake_kie_impl.hpp"

namespace kb::sandbox {
namespace {

ModelTable initial_models(const FakeKieOptions& options) {
  if (options.accept_any_model) return ModelTable::any();
  if (options.models) return ModelTable(*options.models);
  auto shipped = models_from_shipped_catalog();
  if (!shipped) {
    log::warn("fake_kie_catalog_unavailable", {{"error", shipped.error().describe()}});
    return ModelTable::any();
  }
  return ModelTable(std::move(*shipped));
}

TaskView view_of(const TaskRecord& t) {
  TaskView v;
  v.task_id = t.task_id;
  v.model = t.model;
  v.input = t.request.contains("input") ? t.request["input"] : nlohmann::json::object();
  v.callback_url = t.callback_url;
  v.request_body = t.request_body;
  v.state = t.state;
  v.create_time_ms = t.create_ms;
  v.complete_time_ms = t.complete_ms;
  v.record_info_calls = t.record_info_calls;
  v.result_urls = t.result_urls;
  v.fail_code = t.fail_code;
  v.fail_msg = t.fail_msg;
  v.credits_consumed = t.credits_consumed;
  v.answered_with_fault = t.answered_with_fault;
  v.callbacks = t.callbacks;
  return v;
}

}  // namespace

FakeKie::Impl::Impl(asio::io_context& io_, net::HttpClient& client_, FakeKieOptions options_)
    : io(io_),
      client(client_),
      options(std::move(options_)),
      clock(options.clock ? *options.clock : static_cast<Clock&>(system_clock)),
      models(initial_models(options)),
      create_window(options.create_limit_per_10s, 10'000),
      credits(options.credits) {}

bool FakeKie::Impl::authorized(const net::Request& req) const {
  return crypto::constant_time_equals(req.headers.get_or("Authorization"),
                                      "Bearer " + options.api_key);
}

const Lifecycle& FakeKie::Impl::lifecycle_for_locked(const std::string& model) const {
  static const Lifecycle kDefault;
  if (auto it = lifecycles.find(model); it != lifecycles.end()) return it->second;
  if (auto it = lifecycles.find("*"); it != lifecycles.end()) return it->second;
  return kDefault;
}

Task<FaultReply> FakeKie::Impl::enter_route(const std::string& route, bool& accept_then_fail) {
  std::optional<Fault> fault;
  {
    std::lock_guard lock(mutex);
    ++route_calls[route];
    fault = faults.take(route);
  }
  accept_then_fail = false;
  if (!fault) co_return FaultReply{};
  if (fault->delay_ms > 0) co_await sleep_for(std::chrono::milliseconds(fault->delay_ms));
  auto reply = fault_reply(*fault);
  accept_then_fail = fault->accept_then_fail && reply.kind != FaultReply::Kind::none;
  co_return reply;
}

void FakeKie::Impl::advance_one_locked(TaskRecord& task, std::int64_t now_ms) {
  if (!advance(task, now_ms, files_base())) return;
  if (task.state == "success") credits -= task.credits_consumed;
  schedule_first_callback(task, now_ms);
}

void FakeKie::Impl::advance_all_locked(std::int64_t now_ms, std::vector<CallbackJob>& due) {
  for (auto& [id, task] : tasks) {
    advance_one_locked(task, now_ms);
    if (task.callback_in_flight || !task.callback_due_ms || *task.callback_due_ms > now_ms)
      continue;
    task.callback_in_flight = true;
    due.push_back(CallbackJob{id, task.callback_url, callback_body(task).dump(),
                              task.callback_delivery, task.callback_attempt});
  }
}

void FakeKie::Impl::tick() {
  std::vector<CallbackJob> due;
  {
    std::lock_guard lock(mutex);
    advance_all_locked(clock.now_ms(), due);
  }
  for (auto& job : due) spawn_callback(std::move(job));
}

void FakeKie::Impl::add_routes() {
  add_job_routes();
  add_account_routes();
  add_file_routes();
  add_upload_routes();
}

FakeKie::FakeKie(asio::io_context& io, net::HttpClient& client, FakeKieOptions options)
    : impl_(std::make_shared<Impl>(io, client, std::move(options))) {
  impl_->add_routes();
}

FakeKie::~FakeKie() {
  impl_->stopped = true;
  if (!impl_->server || impl_->drained) return;
  // Connections may still be open (keep-alive): drain them in the background, keeping the router
  // (inside Impl) alive until the last session has ended.
  auto impl = impl_;
  asio::co_spawn(
      impl->io,
      [impl]() -> Task<void> {
        co_await impl->server->drain(std::chrono::milliseconds(500));
        for (int i = 0; i < 200 && impl->server->active_connections() > 0; ++i)
          co_await sleep_for(std::chrono::milliseconds(10));
      },
      asio::detached);
}

Result<std::uint16_t> FakeKie::start(const std::string& host, std::uint16_t port) {
  if (impl_->server) return fail(Errc::conflict, "fake KIE already started");
  net::ServerOptions server_options;
  server_options.server_name = "fake-kie";
  server_options.max_body_bytes = 64 * 1024 * 1024;  // uploads
  impl_->server = std::make_unique<net::HttpServer>(impl_->io, server_options, impl_->router);
  auto bound = impl_->server->listen(host, port);
  if (!bound) return bound;
  impl_->base = fmt::format("http://{}:{}", host, *bound);
  impl_->server->start();
  if (impl_->options.tick_interval.count() > 0) {
    auto impl = impl_;
    asio::co_spawn(
        impl->io,
        [impl]() -> Task<void> {
          while (!impl->stopped) {
            co_await sleep_for(impl->options.tick_interval);
            if (!impl->stopped) impl->tick();
          }
        },
        asio::detached);
  }
  return bound;
}

Task<void> FakeKie::stop(std::chrono::milliseconds grace) {
  auto impl = impl_;
  impl->stopped = true;
  if (impl->server && !impl->drained.exchange(true)) co_await impl->server->drain(grace);
  std::function<bool()> idle = [impl] { return impl->outbound.load() == 0; };
  co_await wait_until(std::move(idle), grace, std::chrono::milliseconds(5));
}

std::string FakeKie::base_url() const {
  return impl_->base;
}

void FakeKie::set_lifecycle(const std::string& model_or_star, Lifecycle lifecycle) {
  std::lock_guard lock(impl_->mutex);
  impl_->lifecycles[model_or_star] = std::move(lifecycle);
}

bool FakeKie::set_task_lifecycle(const std::string& task_id, Lifecycle lifecycle) {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->tasks.find(task_id);
  if (it == impl_->tasks.end()) return false;
  it->second.lifecycle = std::move(lifecycle);
  if (!it->second.lifecycle.output_kind.empty())
    it->second.output_kind = it->second.lifecycle.output_kind;
  return true;
}

void FakeKie::fail_next(const std::string& route, Fault fault, int times) {
  std::lock_guard lock(impl_->mutex);
  impl_->faults.push(route, fault, times);
}

void FakeKie::set_models(std::vector<FakeModel> models) {
  std::lock_guard lock(impl_->mutex);
  impl_->models = ModelTable(std::move(models));
}

void FakeKie::set_credits(double credits) {
  std::lock_guard lock(impl_->mutex);
  impl_->credits = credits;
}

double FakeKie::credits() const {
  impl_->tick();
  std::lock_guard lock(impl_->mutex);
  return impl_->credits;
}

std::vector<TaskView> FakeKie::tasks() const {
  impl_->tick();
  std::lock_guard lock(impl_->mutex);
  std::vector<TaskView> out;
  for (const auto& id : impl_->task_order) out.push_back(view_of(impl_->tasks.at(id)));
  return out;
}

std::optional<TaskView> FakeKie::task(const std::string& task_id) const {
  impl_->tick();
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->tasks.find(task_id);
  if (it == impl_->tasks.end()) return std::nullopt;
  return view_of(it->second);
}

std::size_t FakeKie::create_calls() const {
  return calls("createTask");
}

std::size_t FakeKie::calls(const std::string& route) const {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->route_calls.find(route);
  return it == impl_->route_calls.end() ? 0 : it->second;
}

std::vector<DownloadView> FakeKie::downloads() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->downloads;
}

std::vector<UploadView> FakeKie::uploads() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->upload_log;
}

std::size_t FakeKie::pending_outbound() const {
  return impl_->outbound.load();
}

void FakeKie::tick() {
  impl_->tick();
}

}  // namespace kb::sandbox
