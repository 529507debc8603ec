// The jobs runner: claims due jobs under a lease, submits them to the provider, follows them by
// callback hints and adaptive polling, delivers results, and settles the money — each transition
// one transaction with its ledger effect. Survives restarts: every state lives in the job row.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

#include "catalog/holder.hpp"
#include "core/asio.hpp"
#include "core/clock.hpp"
#include "domain/schedule.hpp"
#include "kie/callback_sink.hpp"
#include "kie/kie_api.hpp"
#include "net/http_client.hpp"
#include "net/metrics.hpp"
#include "services/billing/money_settings.hpp"
#include "services/jobs/presenter.hpp"
#include "services/media/media_resolver.hpp"
#include "store/database.hpp"
#include "telegram/api.hpp"

namespace kb::services {

class OutboxSender;

struct RunnerOptions {
  std::string owner = "kiebot";           // lease owner: unique per instance
  std::int64_t lease_ms = 120'000;
  int batch = 16;                         // jobs claimed per scan
  int max_parallel = 64;                  // jobs worked at once
  std::int64_t scan_interval_ms = 1'000;  // idle scan period (wake-ups make it react at once)
  std::string callback_url;               // "" = no callbacks (polling only); else ends with the token
  domain::PollPolicy poll;
  std::int64_t progress_interval_ms = 5'000;
  std::int64_t create_unknown_window_ms = 15 * 60'000;  // wait this long for a callback to reveal it
  domain::DeliveryRetryPolicy delivery;  // Telegram trouble delays a result this long before a refund
  ReferralSettings referral;
};

struct RunnerDeps {
  store::Database& db;
  kie::KieApi& kie;
  telegram::TelegramApi& telegram;
  net::HttpClient& http;
  catalog::CatalogHolder& catalog;
  MediaResolver& media;
  ResultLinks& links;
  JobPresenter& presenter;
  const Clock& clock;
  // Failure notices go out through it (stored with the refund, retried through outages).
  OutboxSender& outbox;
  net::MetricsRegistry* metrics = nullptr;
};

class JobRunner final : public kie::KieCallbackSink {
 public:
  JobRunner(RunnerDeps deps, RunnerOptions options);
  ~JobRunner() override;

  // Starts the scan loop on `executor` (a strand is used internally for the runner's own state).
  void start(asio::any_io_executor executor);
  // Stops claiming and waits (at most `grace`) for the jobs being worked. A job still working
  // then keeps its lease: it expires (PostgreSQL) or the next start releases it (SQLite).
  Task<void> stop(std::chrono::milliseconds grace);

  // A callback said something about this task: confirm it soon (never trusted by itself).
  void on_callback_hint(std::string task_id) override;
  // A callback for a job whose create call had an unknown outcome names the job (the callback URL
  // carries it) and reveals its task id.
  void on_callback_for_job(std::int64_t job_id, std::string task_id) override;
  // New work exists (a job was confirmed): scan now.
  void wake();

  // Works through every job that is due now, once (tests drive the runner with a fake clock).
  Task<int> run_once();
  // Jobs whose last progress text this instance remembers (to skip edits that change nothing).
  std::size_t remembered_progress() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace kb::services
