// Composition root of the server process.
#include "app/serve.hpp"

#include <csignal>
#include <functional>
#include <thread>
#include <vector>

#include <boost/asio/signal_set.hpp>

#include "app/build_info.hpp"
#include "app/components/application.hpp"
#include "bot/conversation/app_handler.hpp"
#include "core/allocator.hpp"
#include "core/asio.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "net/builtin_endpoints.hpp"
#include "net/http_server.hpp"
#include "net/metrics.hpp"
#include "net/readiness.hpp"
#include "net/router.hpp"

namespace kb::app {
namespace {

void register_secrets(const Config& c) {
  auto& r = log::redactor();
  for (const auto* s : {&c.bot_token, &c.kie_api_key, &c.kie_webhook_hmac_key, &c.webhook_secret,
                        &c.media_proxy_secret, &c.metrics_token})
    if (!s->empty()) r.add_secret(*s);
  // Passwords inside a PostgreSQL URL.
  if (auto at = c.database_url.find('@'); at != std::string::npos) {
    auto scheme_end = c.database_url.find("://");
    auto colon = c.database_url.find(':', scheme_end == std::string::npos ? 0 : scheme_end + 3);
    if (colon != std::string::npos && colon < at)
      r.add_secret(c.database_url.substr(colon + 1, at - colon - 1));
  }
  r.add_token_path_prefix("/media/");
  r.add_token_path_prefix("/kie/callback/");
}

}  // namespace

int run_serve(const Config& config) {
  allocator::limit_arenas();  // before any thread starts
  log::configure(config.log_level, config.log_format);
  register_secrets(config);
  log::info("starting", {{"version", build_info::version()},
                         {"commit", build_info::commit()},
                         {"port", config.port}});
  if (config.bot_token.empty()) {
    log::warn("no_bot_token",
              {{"hint",
                "TELEGRAM_BOT_TOKEN is not set: only the HTTP endpoints run. Set "
                "TELEGRAM_BOT_TOKEN (from @BotFather) to run the bot, or use `kiebot sandbox`."}});
  }

  asio::io_context io;
  SystemClock clock;
  // Catalog, texts, clients and the database: a bad catalog, a busy SQLite file or a bad URL stops
  // the start here (one ERROR line); an unreachable PostgreSQL is retried in the background.
  auto app_options = application_options_from_environment();
  app_options.handler = bot::conversation_handler_factory();
  Application app(config, io, clock, app_options);
  if (auto opened = app.open(); !opened) {
    log::error("start_failed", {{"error", opened.error().message}});
    return 1;
  }

  // SIGHUP: reload the catalog; a bad file is logged and the running catalog stays. Parsing takes a
  // few milliseconds and happens rarely, so it runs on the loop.
  asio::signal_set reload_signals(io, SIGHUP);
  std::function<void()> wait_for_reload = [&] {
    reload_signals.async_wait([&](const boost::system::error_code& ec, int) {
      if (ec) return;
      app.reload_catalog();
      allocator::release_free_memory();  // the parse tree of the file
      wait_for_reload();
    });
  };
  wait_for_reload();

  net::Router router;
  net::add_builtin_routes(router, app.readiness(), app.metrics(),
                          {build_info::version(), build_info::commit(), config.metrics_token});
  app.add_routes(router);

  net::ServerOptions options;
  options.max_body_bytes = config.webhook_max_body;
  options.header_timeout = config.http_header_timeout;
  options.body_timeout = config.http_body_timeout;
  options.idle_timeout = config.http_idle_timeout;
  options.max_connections = config.http_max_connections;
  net::HttpServer server(io, options, router, &app.metrics());
  auto port = server.listen(config.bind_address, config.port);
  if (!port) {
    log::error("listen_failed", {{"error", port.error().message}});
    return 1;
  }
  server.start();
  app.start();
  app.readiness().set_phase(net::Phase::ready);
  log::info("listening", {{"address", config.bind_address}, {"port", *port}});
  // Start-up parsed the catalog and the texts and ran the migrations: most of what that allocated
  // is free now, scattered between what stays.
  allocator::release_free_memory();

  // SIGTERM/SIGINT: stop taking updates (the webhook answers 503, so Telegram keeps them), drain
  // the HTTP server, let handlers, jobs and the outbox finish within the grace, then stop.
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    log::info("shutdown_requested",
              {{"signal", signal}, {"grace_ms", config.shutdown_grace.count()}});
    app.readiness().set_phase(net::Phase::draining);
    asio::co_spawn(
        io,
        [&]() -> Task<void> {
          auto until = std::chrono::steady_clock::now() + config.shutdown_grace;
          co_await app.stop_intake();
          co_await server.drain(config.shutdown_grace);
          auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
              until - std::chrono::steady_clock::now());
          co_await app.stop_workers(std::max(left, std::chrono::milliseconds(1000)));
          io.stop();
        },
        asio::detached);
  });

  unsigned threads = std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : pool) t.join();
  app.shutdown();
  log::info("stopped");
  return 0;
}

}  // namespace kb::app
