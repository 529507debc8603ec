// Evaluates readiness checks concurrently, each bounded by its own timeout.
#include "net/readiness.hpp"

#include <nlohmann/json.hpp>
#include <fmt/format.h>

#include "core/with_timeout.hpp"

namespace kb::net {

bool ReadinessReport::ready() const {
  if (phase != Phase::ready) return false;
  for (const auto& c : checks)
    if (!c.ok) return false;
  return true;
}

std::string ReadinessReport::to_json() const {
  nlohmann::json j;
  j["ready"] = ready();
  j["phase"] = phase == Phase::starting ? "starting" : phase == Phase::ready ? "ready" : "draining";
  j["checks"] = nlohmann::json::object();
  for (const auto& c : checks) {
    nlohmann::json e;
    e["ok"] = c.ok;
    if (!c.ok) e["detail"] = c.detail;
    j["checks"][c.name] = e;
  }
  return j.dump();
}

void Readiness::add(std::string name, Check check, std::chrono::milliseconds timeout) {
  std::lock_guard lock(mutex_);
  entries_.push_back(Entry{std::move(name), std::move(check), timeout});
}

Task<ReadinessReport> Readiness::evaluate() const {
  std::vector<Entry> entries;
  {
    std::lock_guard lock(mutex_);
    entries = entries_;
  }
  ReadinessReport report;
  report.phase = phase_.load();
  // Start every check first, then collect, so the total time is the slowest check, not the sum.
  struct Pending {
    std::string name;
    std::chrono::milliseconds timeout;
    std::shared_ptr<std::optional<Result<void>>> result;
    std::shared_ptr<asio::steady_timer> done;
  };
  auto executor = co_await asio::this_coro::executor;
  std::vector<Pending> pending;
  for (const auto& e : entries) {
    Pending p{e.name, e.timeout, std::make_shared<std::optional<Result<void>>>(),
              std::make_shared<asio::steady_timer>(executor)};
    p.done->expires_after(e.timeout);
    asio::co_spawn(
        executor,
        [check = e.check, result = p.result, done = p.done]() -> Task<void> {
          auto r = co_await check();
          result->emplace(std::move(r));
          done->expires_at(asio::steady_timer::time_point::min());
        },
        [result = p.result, done = p.done](std::exception_ptr ex) {
          if (ex && !result->has_value()) result->emplace(fail(Errc::internal, "check threw"));
          done->expires_at(asio::steady_timer::time_point::min());
        });
    pending.push_back(std::move(p));
  }
  for (auto& p : pending) {
    boost::system::error_code ec;
    if (!p.result->has_value())
      co_await p.done->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    CheckOutcome outcome{p.name, false, ""};
    if (!p.result->has_value()) {
      outcome.detail = fmt::format("timed out after {} ms", p.timeout.count());
    } else if (!**p.result) {
      outcome.detail = (**p.result).error().message;
    } else {
      outcome.ok = true;
    }
    report.checks.push_back(std::move(outcome));
  }
  co_return report;
}

}  // namespace kb::net
