// Application: everything `serve` runs, built once from the Config and owned in one place, so the
// server, integration tests and the sandbox share one assembly. The parts that need the database
// (dispatcher, outbox sender, job runner, media proxy, the update handler) are built when it is
// open (at once for SQLite; later when PostgreSQL was unreachable at start); the HTTP routes exist
// from the start and answer 503 until then, and the webhook stores updates as soon as it can.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "app/config.hpp"
#include "core/asio.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"

namespace kb::net {
class MetricsRegistry;
class Readiness;
class Router;
class HttpClient;
}  // namespace kb::net
namespace kb::store {
class Database;
}
namespace kb::catalog {
class CatalogHolder;
}
namespace kb::bot {
class Texts;
}
namespace kb::telegram {
class TelegramApi;
class UpdateIntake;
}  // namespace kb::telegram
namespace kb::kie {
class KieApi;
}
namespace kb::services {
class UpdateHandler;
class OutboxSender;
class Dispatcher;
class JobRunner;
class TelegramStartup;
}  // namespace kb::services

namespace kb::services::admin {
class CreditsCache;
class Broadcaster;
}  // namespace kb::services::admin

namespace kb::app {

class Application;

// What an update handler is built from; everything lives as long as the Application.
struct HandlerContext {
  Application& app;
  store::Database& db;
  services::OutboxSender& outbox;
  services::JobRunner& jobs;
  services::admin::CreditsCache* credits = nullptr;
  services::admin::Broadcaster* broadcaster = nullptr;
};
using HandlerFactory =
    std::function<std::unique_ptr<services::UpdateHandler>(const HandlerContext& context)>;

struct ApplicationOptions {
  // Builds the update handler once the database is open; default: LoggingUpdateHandler.
  HandlerFactory handler;
  // A unique name for the leases this instance takes (inbox, outbox, jobs, poller); default:
  // host-pid-random.
  std::string instance_name;
  // Test hook: the dispatcher's first scan waits this long (KIEBOT_TEST_DISPATCH_DELAY_MS).
  std::chrono::milliseconds dispatch_delay{0};
  // Test hook: LoggingUpdateHandler whatever `handler` says (KIEBOT_TEST_HANDLER=logging), for
  // tests of the intake that must not depend on the bot's replies.
  bool force_logging_handler = false;
};

// Reads the test-only variables from the process environment (not part of Config).
ApplicationOptions application_options_from_environment();

class Application {
 public:
  // `io` runs everything; `clock` and `io` must outlive the Application.
  Application(Config config, asio::io_context& io, const Clock& clock,
              ApplicationOptions options = {});
  ~Application();
  Application(const Application&) = delete;
  Application& operator=(const Application&) = delete;

  // Catalog, texts, keys, clients, the database (a bad configuration, catalog or SQLite file is
  // an error: the caller exits 1; an unreachable PostgreSQL is retried in the background).
  Result<void> open();
  // The webhook, media proxy and KIE callback routes (plus readiness checks).
  void add_routes(net::Router& router);
  // Starts Telegram set-up, the poller (polling mode) and, once the database is open, the
  // dispatcher, outbox sender and job runner.
  void start();
  // Graceful stop, in order: stop_intake() (poller stops, webhook answers 503 so Telegram keeps
  // the updates), then the caller drains the HTTP server, then stop_workers(grace), then the
  // database is shut down by shutdown().
  Task<void> stop_intake();
  Task<void> stop_workers(std::chrono::milliseconds grace);
  void shutdown();
  // SIGHUP: re-reads the catalog file; a bad file is logged and the running catalog stays.
  bool reload_catalog();

  const Config& config() const;
  const Clock& clock() const;
  asio::io_context& io();
  net::MetricsRegistry& metrics();
  net::Readiness& readiness();
  net::HttpClient& http();
  catalog::CatalogHolder& catalog();
  const bot::Texts& texts() const;
  telegram::TelegramApi& telegram();
  kie::KieApi& kie();
  telegram::UpdateIntake& intake();
  services::TelegramStartup& telegram_startup();
  // Null until the database is open.
  store::Database* database();
  services::OutboxSender* outbox();
  services::Dispatcher* dispatcher();
  services::JobRunner* jobs();
  // The bot's @username (without '@') once getMe answered.
  std::optional<std::string> bot_username() const;
  // The lease owner name of this instance.
  const std::string& instance_name() const;

  struct Parts;

 private:
  std::unique_ptr<Parts> p_;
};

}  // namespace kb::app
