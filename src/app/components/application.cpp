// Application: building the parts, starting them, and the stop order.
#include "app/components/application.hpp"

#include <unistd.h>

#include <cstdlib>

#include <fmt/format.h>

#include "app/build_info.hpp"
#include "app/components/application_parts.hpp"
#include "app/kie_settings.hpp"
#include "core/crypto.hpp"
#include "core/log.hpp"
#include "services/admin/alerts.hpp"
#include "services/admin/broadcaster.hpp"
#include "services/admin/credits_cache.hpp"
#include "services/billing/money_config.hpp"
#include "services/media/kie_upload_resolver.hpp"
#include "services/media/proxy_resolver.hpp"
#include "store/open.hpp"
#include "telegram/intake/webhook_route.hpp"

namespace kb::app {
namespace {

std::string default_instance_name() {
  char host[128] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return fmt::format("{}-{}-{}", host[0] ? host : "kiebot", getpid(), crypto::random_token(4));
}

telegram::ClientConfig bot_client_config(const Config& c) {
  telegram::ClientConfig b;
  b.token = c.bot_token;
  b.api_url = c.telegram_api_url;
  b.file_url = c.telegram_file_url;
  b.local_mode = c.telegram_local_mode;
  b.limits.global_per_second = c.telegram_global_rate;
  b.limits.chat_per_second = c.telegram_chat_rate;
  b.limits.group_per_minute = c.telegram_group_per_minute;
  return b;
}

std::vector<telegram::SetMyCommands> command_menus(const bot::Texts& texts) {
  static constexpr const char* kCommands[] = {"start", "models", "balance",   "history",
                                              "help",  "cancel", "paysupport"};
  std::vector<telegram::SetMyCommands> menus;
  // "" is the list for every language without its own: Russian, the product's default.
  for (auto [code, lang] : {std::pair{"", bot::Lang::ru}, std::pair{"ru", bot::Lang::ru},
                            std::pair{"en", bot::Lang::en}}) {
    telegram::SetMyCommands menu;
    menu.language_code = code;
    for (const char* name : kCommands)
      menu.commands.push_back({name, texts.get(lang, std::string("command.") + name)});
    menus.push_back(std::move(menu));
  }
  return menus;
}

}  // namespace

ApplicationOptions application_options_from_environment() {
  ApplicationOptions o;
  if (const char* delay = std::getenv("KIEBOT_TEST_DISPATCH_DELAY_MS"); delay && *delay)
    o.dispatch_delay = std::chrono::milliseconds(std::strtoll(delay, nullptr, 10));
  if (const char* handler = std::getenv("KIEBOT_TEST_HANDLER"))
    o.force_logging_handler = std::string_view(handler) == "logging";
  return o;
}

Application::Application(Config config, asio::io_context& io, const Clock& clock,
                         ApplicationOptions options)
    : p_(std::make_unique<Parts>(std::move(config), io, clock, std::move(options))) {
  if (p_->options.instance_name.empty()) p_->options.instance_name = default_instance_name();
}

Application::~Application() {
  // Background threads (the database starter) must not publish into a half-destroyed object.
  if (p_->boot) p_->boot->stop();
}

Result<void> Application::open() {
  auto& p = *p_;
  const auto& c = p.config;
  p.webhook_mode = c.bot_mode == BotMode::webhook ||
                   (c.bot_mode == BotMode::auto_detect && !c.public_base_url.empty());
  if (p.webhook_mode && c.public_base_url.empty())
    return fail(Errc::invalid_input,
                "BOT_MODE=webhook needs WEBHOOK_BASE_URL (the public https address Telegram posts "
                "to); use BOT_MODE=polling without one");

  // The model catalog: an invalid file stops the start.
  p.catalog_source = {c.catalog_path, {c.price_fx_rub_per_usd, c.price_markup}};
  auto loaded = catalog::load_catalog(p.catalog_source);
  if (!loaded.ok()) {
    std::string first;
    for (std::size_t i = 0; i < loaded.errors.size() && i < 5; ++i)
      first += (i ? "; " : "") + loaded.errors[i];
    return fail(Errc::invalid_input,
                fmt::format("catalog {} is invalid ({} errors; run `kiebot catalog check`): {}",
                            p.catalog_source.describe(), loaded.errors.size(), first));
  }
  log::info("catalog_loaded",
            {{"source", p.catalog_source.describe()}, {"models", loaded.catalog->models.size()}});
  p.catalog = std::make_unique<catalog::CatalogHolder>(std::move(loaded.catalog));

  auto texts = bot::Texts::load(c.locales_dir);
  if (!texts) return fail(texts.error().code, "locales: " + texts.error().message);
  p.texts = std::make_unique<bot::Texts>(std::move(*texts));
  p.texts->set_globals({{"brand", c.brand_name}, {"support", c.support_contact}});
  p.presenter = std::make_unique<bot::TextJobPresenter>(*p.texts);

  net::ClientOptions http_options;
  http_options.user_agent = fmt::format("kiebot/{}", build_info::version());
  p.http = std::make_unique<net::HttpClient>(http_options, &p.metrics);
  p.bot = std::make_unique<telegram::BotClient>(p.io.get_executor(), *p.http, bot_client_config(c),
                                                &p.metrics);
  p.budget = std::make_unique<kie::LocalCreateBudget>(c.kie_create_per_10s,
                                                      std::chrono::seconds(10), p.clock);
  p.kie = std::make_unique<kie::KieClient>(*p.http, kie_client_options(c), *p.budget, p.sleeper,
                                           p.clock);
  p.verifier = std::make_unique<kie::CallbackVerifier>(kie_callback_options(c), p.clock);
  log::redactor().add_secret(p.verifier->token());

  // Without a bot token (HTTP endpoints only) and MEDIA_PROXY_SECRET nothing is ever signed for
  // real: a random key keeps the parts uniform.
  auto key = services::media_signing_key(c.media_proxy_secret, c.bot_token);
  if (!key && !c.bot_token.empty())
    return fail(key.error().code, "media signing key: " + key.error().message);
  std::string signing_key = key ? *key : crypto::random_token(32);
  log::redactor().add_secret(signing_key);
  p.signer = std::make_unique<services::MediaTokenSigner>(signing_key);
  p.links = std::make_unique<services::SignedResultLinks>(
      *p.signer, p.clock, services::ResultLinkOptions{c.public_base_url});

  auto secret = telegram::webhook_secret_for(c.webhook_secret, c.bot_token);
  if (!secret.empty()) log::redactor().add_secret(secret);

  p.boot = std::make_unique<store::DatabaseBoot>(store::database_options(c), p.clock, &p.metrics);
  p.intake = std::make_unique<telegram::UpdateIntake>(
      [boot = p.boot.get()]() { return boot->database(); }, p.clock);
  p.intake->on_stored([&p] {
    if (auto* w = p.workers.load()) w->dispatcher->wake();
  });

  services::TelegramStartupOptions startup;
  startup.mode = p.webhook_mode ? services::UpdateMode::webhook : services::UpdateMode::polling;
  startup.webhook_url = c.public_base_url + c.webhook_path;
  startup.secret = secret;
  startup.max_connections = c.webhook_max_connections;
  startup.command_menus = command_menus(*p.texts);
  p.startup = std::make_unique<services::TelegramStartup>(*p.bot, std::move(startup));
  if (!p.webhook_mode && !c.bot_token.empty()) {
    telegram::PollerOptions poll;
    poll.owner = p.options.instance_name;
    poll.allowed_updates = services::product_allowed_updates();
    p.poller = std::make_unique<telegram::Poller>(*p.bot, *p.intake, poll);
  }

  // The database opens now: a busy SQLite file or a bad URL stops the start here.
  if (auto opened = p.boot->start(); !opened)
    return fail(opened.error().code, "database: " + opened.error().message);
  p.readiness.add(
      "database", [boot = p.boot.get()]() { return boot->check(); }, std::chrono::seconds(1));
  if (c.bot_token.empty()) {
    p.readiness.add(
        "telegram",
        []() -> Task<Result<void>> {
          co_return fail(Errc::unavailable, "TELEGRAM_BOT_TOKEN is not configured");
        },
        std::chrono::milliseconds(100));
  } else {
    p.readiness.add(
        "telegram", [s = p.startup.get()]() { return s->check(); }, std::chrono::milliseconds(100));
  }
  return {};
}

void Application::Parts::build_workers(store::Database& db, Application& app) {
  auto w = std::make_unique<Workers>(db);
  const auto& c = config;
  const auto& name = options.instance_name;
  if (c.media_mode == MediaMode::kie_upload)
    w->media = std::make_unique<services::KieUploadMediaResolver>(db, *bot, *kie);
  else
    w->media = std::make_unique<services::ProxyMediaResolver>(
        db, *signer, clock, services::ProxyResolverOptions{c.public_base_url, c.media_url_ttl});
  w->media_proxy = std::make_unique<services::MediaProxy>(db, *bot, *http, *signer, clock,
                                                          services::MediaProxyOptions{}, &metrics);

  services::OutboxSenderOptions outbox_options;
  outbox_options.owner = name;
  w->outbox = std::make_unique<services::OutboxSender>(db, *bot, clock, outbox_options, &metrics);

  services::RunnerOptions runner_options;
  runner_options.owner = name;
  if (!c.public_base_url.empty())
    runner_options.callback_url = verifier->callback_url(c.public_base_url);
  runner_options.progress_interval_ms = c.progress_edit_interval.count();
  runner_options.create_unknown_window_ms = c.unconfirmed_create_window.count();
  runner_options.delivery.window_ms = c.delivery_retry_window.count();
  runner_options.referral = services::money_settings(c).referral;
  w->runner = std::make_unique<services::JobRunner>(
      services::RunnerDeps{db, *kie, *bot, *http, *catalog, *w->media, *links, *presenter, clock,
                           *w->outbox, &metrics},
      runner_options);

  // Admin overrides of the catalog (enabled / free) are kept in the database; changes made on
  // another instance arrive through the sync's poll.
  w->overrides = std::make_unique<services::admin::OverridesSync>(
      db, *catalog, services::admin::OverridesSyncOptions{c.admin_overrides_reload});
  if (auto loaded = w->overrides->load_blocking(); !loaded)
    log::warn("model_overrides_unreadable", {{"error", loaded.error().message}});
  w->credits = std::make_unique<services::admin::CreditsCache>(*kie, clock);
  w->broadcaster = std::make_unique<services::admin::Broadcaster>(db, *bot, clock, *texts,
                                                                  w->outbox.get());
  services::admin::AlertOptions alert_options;
  alert_options.thresholds.low_credits = static_cast<double>(c.kie_balance_alert_credits);
  alert_options.admin_ids = c.admin_ids;
  w->alerts = std::make_unique<services::admin::AdminAlerts>(
      db, c.kie_api_key.empty() ? nullptr : w->credits.get(), *catalog, clock, *texts,
      w->outbox.get(), alert_options);

  HandlerContext context{app, db, *w->outbox, *w->runner, w->credits.get(), w->broadcaster.get()};
  w->handler = options.handler && !options.force_logging_handler
                   ? options.handler(context)
                   : std::make_unique<services::LoggingUpdateHandler>(db, clock);

  services::DispatcherOptions dispatch;
  dispatch.owner = name;
  dispatch.start_delay = options.dispatch_delay;
  w->dispatcher =
      std::make_unique<services::Dispatcher>(db, *w->handler, clock, dispatch, &metrics);

  std::lock_guard lock(mutex);
  workers_owned = std::move(w);
  workers = workers_owned.get();
  if (started) start_workers(*workers_owned);
}

void Application::Parts::start_workers(Workers& w) {
  auto executor = io.get_executor();
  w.outbox->start(executor);
  w.runner->start(executor);
  w.dispatcher->start(executor);
  w.broadcaster->start(executor);
  w.alerts->start(executor);
  w.overrides->start(executor);
  log::info("workers_started", {{"database", w.db.describe()}});
}

void Application::start() {
  auto& p = *p_;
  if (!p.config.bot_token.empty()) {
    if (p.poller) {
      auto* poller = p.poller.get();
      auto executor = p.io.get_executor();
      p.startup->on_ready([poller, executor] { poller->start(executor); });
    }
    p.startup->start(p.io.get_executor());
  }
  {
    std::lock_guard lock(p.mutex);
    p.started = true;
    if (p.workers_owned) p.start_workers(*p.workers_owned);
  }
  // Runs now when the database is already open, else on the starter thread when it opens.
  p.boot->on_ready([this](store::Database& db) {
    if (!p_->workers.load()) p_->build_workers(db, *this);
  });
}

Task<void> Application::stop_intake() {
  auto& p = *p_;
  p.accepting_updates = false;
  p.startup->stop();
  if (p.poller) co_await p.poller->stop();  // gives the lease up first (it needs the database)
  p.intake->close();
}

Task<void> Application::stop_workers(std::chrono::milliseconds grace) {
  auto* w = p_->workers.load();
  if (!w) co_return;
  auto until = std::chrono::steady_clock::now() + grace;
  auto left = [&] {
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::duration_cast<std::chrono::milliseconds>(
                        until - std::chrono::steady_clock::now()));
  };
  // Handlers first (they enqueue outbox rows and wake jobs), then jobs, then what is left to send.
  co_await w->dispatcher->stop(left());
  co_await w->alerts->stop(left());
  co_await w->overrides->stop(left());
  co_await w->broadcaster->stop(left());
  co_await w->runner->stop(left());
  co_await w->outbox->stop(left());
}

bool Application::reload_catalog() {
  return p_->catalog->reload(p_->catalog_source);
}

void Application::shutdown() {
  if (p_->boot) p_->boot->stop();
}

const Config& Application::config() const {
  return p_->config;
}
const Clock& Application::clock() const {
  return p_->clock;
}
asio::io_context& Application::io() {
  return p_->io;
}
net::MetricsRegistry& Application::metrics() {
  return p_->metrics;
}
net::Readiness& Application::readiness() {
  return p_->readiness;
}
net::HttpClient& Application::http() {
  return *p_->http;
}
catalog::CatalogHolder& Application::catalog() {
  return *p_->catalog;
}
const bot::Texts& Application::texts() const {
  return *p_->texts;
}
telegram::TelegramApi& Application::telegram() {
  return *p_->bot;
}
kie::KieApi& Application::kie() {
  return *p_->kie;
}
telegram::UpdateIntake& Application::intake() {
  return *p_->intake;
}
services::TelegramStartup& Application::telegram_startup() {
  return *p_->startup;
}
store::Database* Application::database() {
  return p_->boot ? p_->boot->database() : nullptr;
}
services::OutboxSender* Application::outbox() {
  auto* w = p_->workers.load();
  return w ? w->outbox.get() : nullptr;
}
services::Dispatcher* Application::dispatcher() {
  auto* w = p_->workers.load();
  return w ? w->dispatcher.get() : nullptr;
}
services::JobRunner* Application::jobs() {
  auto* w = p_->workers.load();
  return w ? w->runner.get() : nullptr;
}
std::optional<std::string> Application::bot_username() const {
  return p_->startup ? p_->startup->bot_username() : std::nullopt;
}
const std::string& Application::instance_name() const {
  return p_->options.instance_name;
}

}  // namespace kb::app
