// Composition root of `kiebot sandbox`: fakes first (their URLs go into the configuration), then
// the HTTP server (its port is the public base URL for the webhook, provider callbacks and media
// links), then the same Application `serve` runs, plus the web chat.
#include "app/sandbox.hpp"

#include <csignal>
#include <filesystem>
#include <iostream>
#include <thread>

#include <boost/asio/signal_set.hpp>
#include <fmt/format.h>

#include "app/build_info.hpp"
#include "app/components/application.hpp"
#include "bot/conversation/app_handler.hpp"
#include "core/asio.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "net/builtin_endpoints.hpp"
#include "net/http_client.hpp"
#include "net/http_server.hpp"
#include "net/readiness.hpp"
#include "net/router.hpp"
#include "sandbox/fake_kie/fake_kie.hpp"
#include "sandbox/fake_telegram/fake_telegram.hpp"
#include "sandbox/web/sandbox_web.hpp"

namespace kb::app {
namespace {

// Tasks take a few seconds and pass through every state, so the progress message visibly changes.
sandbox::Lifecycle sandbox_lifecycle() {
  sandbox::Lifecycle l;
  l.states = {{"waiting", 0}, {"queuing", 1500}, {"generating", 3000}};
  l.finish_after_ms = 6000;
  return l;
}

// The address the fakes and the bot use to reach this server.
std::string loopback_base(const std::string& bind_address, std::uint16_t port) {
  bool any = bind_address == "0.0.0.0" || bind_address == "::" || bind_address.empty();
  bool ipv6 = bind_address.find(':') != std::string::npos;
  auto host = any || ipv6 ? std::string("127.0.0.1") : bind_address;
  return fmt::format("http://{}:{}", host, port);
}

// The bot's configuration pointed at the fakes and at this server.
void point_at_fakes(Config& c, const sandbox::FakeTelegram& tg, const std::string& kie_key,
                    const std::string& kie_url, const std::string& base_url) {
  c.bot_token = tg.token();
  c.telegram_api_url = tg.api_url();
  c.telegram_file_url = tg.file_url();
  c.telegram_local_mode = false;
  c.kie_api_key = kie_key;
  c.kie_base_url = kie_url;
  c.kie_upload_base_url = kie_url;
  c.public_base_url = base_url;
  c.bot_mode = BotMode::webhook;
  c.media_mode = MediaMode::proxy;
  // Fake money must never reach a real database: always SQLite under <DATA_DIR>/sandbox.
  c.database_url.clear();
  c.data_dir = (std::filesystem::path(c.data_dir) / "sandbox").string();
}

}  // namespace

Environment sandbox_environment(Environment env) {
  env.try_emplace("BIND_ADDRESS", "127.0.0.1");
  env.try_emplace("PROGRESS_EDIT_INTERVAL_MS", "1000");
  env.try_emplace("SQLITE_SYNCHRONOUS", "normal");
  env.try_emplace("SHUTDOWN_GRACE_MS", "3000");
  // Bank transfers on, so operators can walk that flow too (the Admin user decides requests).
  env.try_emplace("MANUAL_TOPUP_DETAILS",
                  "Demo bank, card 0000 0000 0000 0000 (sandbox, no real money)");
  return env;
}

const std::vector<SandboxPerson>& sandbox_people() {
  static const std::vector<SandboxPerson> people = {
      {"Alice", "en"}, {"Boris", "ru"}, {"Admin", "en"}};
  return people;
}

int run_sandbox(const Environment& process_env) {
  auto env = sandbox_environment(process_env);
  auto parsed = parse_config(env);
  if (!parsed) {
    std::cerr << "kiebot sandbox: configuration error: " << parsed.error().message << "\n";
    return 2;
  }
  Config config = std::move(*parsed);
  log::configure(config.log_level, config.log_format);
  if (process_env.contains("DATABASE_URL"))
    log::warn("sandbox_database_url_ignored",
              {{"hint", "the sandbox always uses SQLite under DATA_DIR/sandbox"}});

  asio::io_context io;
  SystemClock clock;
  net::ClientOptions fakes_http_options;
  fakes_http_options.user_agent = "kiebot-sandbox";
  net::HttpClient fakes_http(fakes_http_options);

  sandbox::FakeTelegramOptions tg_options;
  tg_options.bot_username = "kiebot_sandbox_bot";
  tg_options.bot_first_name = config.brand_name;
  // The database outlives runs, and the bot's inbox ignores update ids it has seen.
  tg_options.first_update_id = clock.now_ms();
  sandbox::FakeTelegram telegram(io, fakes_http, tg_options);
  sandbox::FakeKieOptions kie_options;
  kie_options.webhook_hmac_key = config.kie_webhook_hmac_key;
  sandbox::FakeKie kie(io, fakes_http, kie_options);
  kie.set_lifecycle("*", sandbox_lifecycle());
  if (auto started = telegram.start(); !started) {
    log::error("sandbox_start_failed",
               {{"part", "fake Bot API"}, {"error", started.error().message}});
    return 1;
  }
  if (auto started = kie.start(); !started) {
    log::error("sandbox_start_failed",
               {{"part", "fake provider"}, {"error", started.error().message}});
    return 1;
  }

  std::set<std::int64_t> admins(config.admin_ids.begin(), config.admin_ids.end());
  std::int64_t last_id = 0;
  for (const auto& person : sandbox_people())
    last_id = telegram.make_user(person.first_name, person.language_code).id;
  if (admins.empty()) {
    admins.insert(last_id);
    config.admin_ids.push_back(last_id);
  }

  // The server listens before the bot is configured: its port is the bot's public base URL.
  net::Router router;
  net::ServerOptions server_options;
  server_options.max_body_bytes = std::max<std::size_t>(config.webhook_max_body, 50 << 20);
  server_options.header_timeout = config.http_header_timeout;
  server_options.body_timeout = config.http_body_timeout;
  server_options.idle_timeout = config.http_idle_timeout;
  server_options.max_connections = config.http_max_connections;
  net::HttpServer server(io, server_options, router);
  auto port = server.listen(config.bind_address, config.port);
  if (!port) {
    log::error("listen_failed", {{"error", port.error().message},
                                 {"hint", "another process uses the port? set PORT"}});
    return 1;
  }
  auto base_url = loopback_base(config.bind_address, *port);
  point_at_fakes(config, telegram, kie_options.api_key, kie.base_url(), base_url);

  auto app_options = application_options_from_environment();
  app_options.handler = bot::conversation_handler_factory();
  Application app(config, io, clock, app_options);
  if (auto opened = app.open(); !opened) {
    log::error("start_failed", {{"error", opened.error().message}});
    return 1;
  }
  net::add_builtin_routes(router, app.readiness(), app.metrics(),
                          {build_info::version(), build_info::commit(), ""});
  app.add_routes(router);
  sandbox::web::WebOptions web_options;
  web_options.admin_ids = admins;
  web_options.title = config.brand_name + " · sandbox";
  sandbox::web::SandboxWeb web(telegram, web_options);
  web.add_routes(router);

  server.start();
  app.start();
  app.readiness().set_phase(net::Phase::ready);
  log::info("sandbox_listening", {{"url", base_url + "/"}, {"data_dir", config.data_dir}});
  std::cout << "kiebot sandbox: open " << base_url << "/ in a browser (Ctrl+C stops it)"
            << std::endl;

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    log::info("shutdown_requested", {{"signal", signal}});
    app.readiness().set_phase(net::Phase::draining);
    asio::co_spawn(
        io,
        [&]() -> Task<void> {
          web.close();
          co_await app.stop_intake();
          co_await server.drain(config.shutdown_grace);
          co_await app.stop_workers(config.shutdown_grace);
          co_await kie.stop();
          co_await telegram.stop();
          io.stop();
        },
        asio::detached);
  });

  unsigned threads = std::max(2u, std::min(4u, std::thread::hardware_concurrency()));
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&io] { io.run(); });
  io.run();
  for (auto& t : pool) t.join();
  app.shutdown();
  log::info("stopped");
  return 0;
}

}  // namespace kb::app
