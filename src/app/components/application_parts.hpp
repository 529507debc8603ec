// Internals of Application shared by its source files (not part of the public API).
#pragma once

#include <atomic>
#include <mutex>

#include "app/components/application.hpp"
#include "bot/i18n.hpp"
#include "bot/job_presenter.hpp"
#include "catalog/holder.hpp"
#include "catalog/load.hpp"
#include "kie/callback_verifier.hpp"
#include "kie/create_budget.hpp"
#include "kie/kie_client.hpp"
#include "kie/sleeper.hpp"
#include "net/http_client.hpp"
#include "net/metrics.hpp"
#include "net/readiness.hpp"
#include "services/admin/alerts.hpp"
#include "services/admin/broadcaster.hpp"
#include "services/admin/credits_cache.hpp"
#include "services/admin/overrides_sync.hpp"
#include "services/dispatcher/dispatcher.hpp"
#include "services/jobs/runner.hpp"
#include "services/media/media_proxy.hpp"
#include "services/media/media_token.hpp"
#include "services/media/result_links.hpp"
#include "services/outbox/outbox_sender.hpp"
#include "services/telegram_startup/telegram_startup.hpp"
#include "store/boot.hpp"
#include "telegram/client.hpp"
#include "telegram/intake/poller.hpp"
#include "telegram/intake/update_intake.hpp"

namespace kb::app {

// The parts built once the database is open.
struct Workers {
  explicit Workers(store::Database& db) : db(db) {}
  store::Database& db;
  std::unique_ptr<services::MediaResolver> media;
  std::unique_ptr<services::MediaProxy> media_proxy;
  std::unique_ptr<services::OutboxSender> outbox;
  std::unique_ptr<services::JobRunner> runner;
  std::unique_ptr<services::UpdateHandler> handler;
  std::unique_ptr<services::Dispatcher> dispatcher;
  // The admin panel's background parts.
  std::unique_ptr<services::admin::CreditsCache> credits;
  std::unique_ptr<services::admin::Broadcaster> broadcaster;
  std::unique_ptr<services::admin::AdminAlerts> alerts;
  std::unique_ptr<services::admin::OverridesSync> overrides;
};

struct Application::Parts {
  Parts(Config c, asio::io_context& io, const Clock& clock, ApplicationOptions o)
      : config(std::move(c)), io(io), clock(clock), options(std::move(o)) {}

  Config config;
  asio::io_context& io;
  const Clock& clock;
  ApplicationOptions options;
  bool webhook_mode = false;

  net::MetricsRegistry metrics;
  net::Readiness readiness;
  catalog::CatalogSource catalog_source;
  std::unique_ptr<catalog::CatalogHolder> catalog;
  std::unique_ptr<bot::Texts> texts;
  std::unique_ptr<bot::TextJobPresenter> presenter;
  std::unique_ptr<net::HttpClient> http;
  std::unique_ptr<telegram::BotClient> bot;
  std::unique_ptr<kie::LocalCreateBudget> budget;
  kie::AsioSleeper sleeper;
  std::unique_ptr<kie::KieClient> kie;
  std::unique_ptr<kie::CallbackVerifier> verifier;
  std::unique_ptr<kie::KieCallbackSink> callback_sink;
  std::unique_ptr<services::MediaTokenSigner> signer;
  std::unique_ptr<services::SignedResultLinks> links;
  std::unique_ptr<telegram::UpdateIntake> intake;
  std::unique_ptr<services::TelegramStartup> startup;
  std::unique_ptr<telegram::Poller> poller;
  std::unique_ptr<store::DatabaseBoot> boot;

  std::mutex mutex;
  bool started = false;
  std::unique_ptr<Workers> workers_owned;
  std::atomic<Workers*> workers{nullptr};
  std::atomic<bool> accepting_updates{true};

  // Builds and publishes the workers (on the thread that opened the database).
  void build_workers(store::Database& db, Application& app);
  void start_workers(Workers& w);
};

}  // namespace kb::app
