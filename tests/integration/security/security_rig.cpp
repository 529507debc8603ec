// Wiring of the security suite's rig (see security_rig.hpp).
#include "security_rig.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <thread>

#include <fmt/format.h>

#include "app/build_info.hpp"
#include "bot/conversation/app_handler.hpp"
#include "core/crypto.hpp"
#include "kie/callback_verifier.hpp"
#include "net/builtin_endpoints.hpp"
#include "net/readiness.hpp"
#include "store/tx.hpp"
#include "telegram/intake/webhook_route.hpp"

namespace kb::security_test {

using namespace std::chrono_literals;
using store::test::must;

RawSocket::RawSocket(std::uint16_t port, std::chrono::milliseconds read_timeout) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  timeval tv{};
  tv.tv_sec = read_timeout.count() / 1000;
  tv.tv_usec = (read_timeout.count() % 1000) * 1000;
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

RawSocket::~RawSocket() {
  ::close(fd_);
}

bool RawSocket::send(std::string_view data) {
  return ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size());
}

std::string RawSocket::read_all() {
  std::string out;
  char buf[4096];
  for (;;) {
    auto n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

struct SecurityTest::Instance {
  // Starts everything; throws std::runtime_error when a part does not come up.
  explicit Instance(BackendKind backend);
  ~Instance();
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  std::string sqlite_dir;
  std::unique_ptr<kb::test::PgTestDatabase> pg;
  kb::test::IoThread fakes_io{2};
  net::HttpClient http;
  std::unique_ptr<sandbox::FakeTelegram> telegram;
  std::unique_ptr<sandbox::FakeKie> kie;
  kb::test::IoThread app_io{2};
  net::Router router;
  std::unique_ptr<net::HttpServer> server;
  app::Config config;
  SystemClock clock;
  std::unique_ptr<app::Application> app;
  std::uint16_t port = 0;
  bool started = false;
  User admin;
};

namespace {

template <class T>
T or_throw(Result<T> r, std::string_view what) {
  if (!r) throw std::runtime_error(fmt::format("{}: {}", what, r.error().describe()));
  if constexpr (!std::is_void_v<T>) return std::move(*r);
}

// One instance per backend for the whole test program; stopped after the last test.
struct Instances : testing::Environment {
  std::map<BackendKind, std::unique_ptr<SecurityTest::Instance>> running;
  std::map<BackendKind, std::string> failed;
  void TearDown() override { running.clear(); }
};
Instances* instances() {
  static Instances* registered = [] {
    auto* env = new Instances;
    testing::AddGlobalTestEnvironment(env);  // gtest owns it
    return env;
  }();
  return registered;
}
// Registered before main() runs the tests, so its TearDown runs after the last one.
[[maybe_unused]] const Instances* const kRegistered = instances();

}  // namespace

SecurityTest::Instance::Instance(BackendKind backend) {
  app::Environment env;
  if (backend == BackendKind::postgres) {
    pg = std::make_unique<kb::test::PgTestDatabase>(*kb::test::pg_admin_url());
    env["DATABASE_URL"] = pg->url();
  } else {
    char tmpl[] = "/tmp/kiebot-security.XXXXXX";
    if (!::mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    sqlite_dir = tmpl;
    env["DATABASE_URL"] = "sqlite://" + sqlite_dir + "/kiebot.db";
    env["SQLITE_SYNCHRONOUS"] = "normal";
  }

  // Distinctive secrets, so a leak cannot hide behind a common word.
  const std::string kie_key = "kiekey" + crypto::hex(crypto::random_bytes(12));
  sandbox::FakeTelegramOptions tg_options;
  tg_options.limits.enabled = false;
  tg_options.token = "7000000042:AA" + crypto::hex(crypto::random_bytes(17));
  telegram = std::make_unique<sandbox::FakeTelegram>(fakes_io.io(), http, tg_options);
  or_throw(telegram->start(), "fake Bot API");
  sandbox::FakeKieOptions kie_options;
  kie_options.api_key = kie_key;
  kie_options.webhook_hmac_key = "hmackey" + crypto::hex(crypto::random_bytes(12));
  kie = std::make_unique<sandbox::FakeKie>(fakes_io.io(), http, kie_options);
  // Tasks take long: the tests decide when a callback arrives, the runner does not poll soon.
  sandbox::Lifecycle slow;
  slow.finish_after_ms = 600'000;
  kie->set_lifecycle("*", slow);
  or_throw(kie->start(), "fake provider");

  admin = telegram->make_user("Boss", "en");

  env["TELEGRAM_BOT_TOKEN"] = telegram->token();
  env["TELEGRAM_API_URL"] = telegram->api_url();
  env["KIE_API_KEY"] = kie_key;
  env["KIE_BASE_URL"] = kie->base_url();
  env["KIE_UPLOAD_BASE_URL"] = kie->base_url();
  env["KIE_WEBHOOK_HMAC_KEY"] = kie_options.webhook_hmac_key;
  env["MEDIA_PROXY_SECRET"] = "mediasecret" + crypto::hex(crypto::random_bytes(12));
  env["ADMIN_IDS"] = std::to_string(admin.id);
  env["MANUAL_TOPUP_DETAILS"] = "Bank 4000 0000 0000 0002, Test Ltd";
  env["WEBHOOK_MAX_BODY_SIZE"] = "262144";
  env["HTTP_HEADER_TIMEOUT_MS"] = "1000";
  env["DB_POOL_SIZE"] = "2";
  env["USER_RATE_BURST"] = "1000";
  env["USER_RATE_PER_MINUTE"] = "1000";
  env["PROGRESS_EDIT_INTERVAL_MS"] = "1000";
  env["SHUTDOWN_GRACE_MS"] = "2000";
  config = or_throw(app::parse_config(env), "configuration");
  // Outbound pacing is not under test here; replies must not queue behind 1 message/s per chat.
  config.telegram_chat_rate = 1000;
  config.telegram_global_rate = 1000;

  net::ServerOptions server_options;  // as serve builds them
  server_options.max_body_bytes = config.webhook_max_body;
  server_options.header_timeout = config.http_header_timeout;
  server_options.body_timeout = config.http_body_timeout;
  server_options.idle_timeout = config.http_idle_timeout;
  server_options.max_connections = config.http_max_connections;
  server = std::make_unique<net::HttpServer>(app_io.io(), server_options, router);
  port = or_throw(server->listen("127.0.0.1", 0), "listen");
  // The loopback address is the public base URL (as in `kiebot sandbox`).
  config.public_base_url = fmt::format("http://127.0.0.1:{}", port);
  config.bot_mode = app::BotMode::webhook;

  app::ApplicationOptions options;
  options.handler = bot::conversation_handler_factory();
  options.instance_name = "security-test";
  app = std::make_unique<app::Application>(config, app_io.io(), clock, options);
  or_throw(app->open(), "application");
  net::add_builtin_routes(router, app->readiness(), app->metrics(),
                          {build_info::version(), build_info::commit(), ""});
  app->add_routes(router);
  server->start();
  app->start();
  app->readiness().set_phase(net::Phase::ready);
  started = true;
}

SecurityTest::Instance::~Instance() {
  if (started) {
    app_io.run<void>([this]() -> Task<void> {
      co_await app->stop_intake();
      co_await server->drain(500ms);
      co_await app->stop_workers(2000ms);
    });
    app->shutdown();
  }
  if (telegram || kie) {
    fakes_io.run<void>([this]() -> Task<void> {
      if (kie) co_await kie->stop(500ms);
      if (telegram) co_await telegram->stop(500ms);
    });
  }
  app.reset();
  server.reset();
  pg.reset();
  if (!sqlite_dir.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(sqlite_dir, ec);
  }
}

void SecurityTest::SetUp() {
  capture_ = std::make_unique<log::Capture>();
  if (is_pg()) KB_REQUIRE_PG_OR_SKIP();
  auto* registry = instances();
  if (auto failed = registry->failed.find(GetParam()); failed != registry->failed.end())
    FAIL() << "the shared instance did not start: " << failed->second;
  auto& slot = registry->running[GetParam()];
  if (!slot) {
    try {
      slot = std::make_unique<Instance>(GetParam());
    } catch (const std::exception& e) {
      registry->failed[GetParam()] = e.what();
      registry->running.erase(GetParam());
      FAIL() << "the shared instance did not start: " << e.what();
    }
    instance_ = slot.get();
    ASSERT_TRUE(wait_for([&] { return !telegram().webhook().url.empty() && app().dispatcher(); }))
        << "the webhook was never registered";
    admin_ = instance_->admin;
    command(admin_, "start");
  }
  instance_ = slot.get();
  admin_ = instance_->admin;
}

void SecurityTest::TearDown() {
  // Nothing of the configuration's secrets in any line logged during this test (every test
  // checks its own lines, so the whole suite is covered).
  if (capture_ && instance_) {
    auto lines = capture_->lines();
    for (const auto& secret : secrets())
      for (const auto& line : lines)
        EXPECT_EQ(line.find(secret), std::string::npos) << "secret in a log line: " << line;
  }
  capture_.reset();
}

store::Database& SecurityTest::db() {
  return *instance_->app->database();
}
sandbox::FakeTelegram& SecurityTest::telegram() {
  return *instance_->telegram;
}
sandbox::FakeKie& SecurityTest::kie() {
  return *instance_->kie;
}
app::Application& SecurityTest::app() {
  return *instance_->app;
}
const app::Config& SecurityTest::config() const {
  return instance_->config;
}
std::uint16_t SecurityTest::port() const {
  return instance_->port;
}

std::string SecurityTest::webhook_secret() const {
  return telegram::webhook_secret_for(config().webhook_secret, config().bot_token);
}

std::string SecurityTest::callback_token() const {
  return kie::derive_callback_token(kie::callback_token_root(
      config().kie_webhook_hmac_key, config().bot_token, config().kie_api_key));
}

std::vector<std::string> SecurityTest::secrets() const {
  std::vector<std::string> out;
  if (config().bot_token.empty()) return out;
  out.push_back(config().bot_token);
  out.push_back(config().bot_token.substr(config().bot_token.find(':') + 1));
  out.push_back(config().kie_api_key);
  out.push_back(config().kie_webhook_hmac_key);
  out.push_back(config().media_proxy_secret);
  out.push_back(webhook_secret());
  out.push_back(callback_token());
  return out;
}

std::string SecurityTest::url(std::string_view path) const {
  return fmt::format("http://127.0.0.1:{}{}", port(), path);
}

net::ClientResponse SecurityTest::request(
    std::string method, std::string path, std::string body,
    std::vector<std::pair<std::string, std::string>> headers) {
  net::ClientRequest r;
  r.method = std::move(method);
  r.url = url(path);
  r.body = std::move(body);
  r.timeout = 10s;
  for (auto& [k, v] : headers) r.headers.set(k, v);
  auto result = instance_->fakes_io.run<Result<net::ClientResponse>>(
      [this, r]() -> Task<Result<net::ClientResponse>> {
        co_return co_await instance_->http.send(r);
      });
  if (!result) throw std::runtime_error(result.error().describe());
  return *result;
}

net::ClientResponse SecurityTest::post_webhook(const std::string& body,
                                               std::optional<std::string> secret) {
  std::vector<std::pair<std::string, std::string>> headers{{"Content-Type", "application/json"}};
  if (secret) headers.emplace_back("X-Telegram-Bot-Api-Secret-Token", *secret);
  return request("POST", config().webhook_path, body, std::move(headers));
}

User SecurityTest::user(std::string name, std::string language, std::string username) {
  auto u = telegram().add_user({0, std::move(name), "", std::move(username), std::move(language)});
  command(u, "start");
  return u;
}

void SecurityTest::command(const User& u, const std::string& cmd, const std::string& args) {
  settle(telegram().send_command(u, cmd, args).update_id);
}

void SecurityTest::text(const User& u, const std::string& t) {
  settle(telegram().send_text(u, t).update_id);
}

void SecurityTest::press(const User& u, const std::string& data) {
  settle(telegram().press_button(u, newest_message_id(u), data).update_id);
}

bool SecurityTest::press_prefix(const User& u, std::string_view prefix) {
  auto messages = telegram().bot_messages(u.id);
  for (auto it = messages.rbegin(); it != messages.rend(); ++it)
    for (const auto& b : it->buttons())
      if (b.callback_data.starts_with(prefix)) {
        settle(telegram().press_button(u, it->message_id, b.callback_data).update_id);
        return true;
      }
  return false;
}

std::vector<store::Job> SecurityTest::jobs(const User& u) {
  return must(db().read_blocking<std::vector<store::Job>>(
      [&](store::Tx& tx) { return tx.jobs().list_for_user(u.id, 50, 0); }));
}

store::Job SecurityTest::start_job(const User& u, const std::string& prompt) {
  command(u, "start", "m-z-image");
  EXPECT_TRUE(press_prefix(u, "1|ws|")) << "no Start button on the model card";
  text(u, prompt);
  EXPECT_TRUE(press_prefix(u, "1|wo|")) << "no aspect ratio buttons";
  EXPECT_EQ(screen_id(u), "confirm");
  EXPECT_TRUE(press_prefix(u, "1|cg|")) << "no Generate button";
  store::Job job;
  bool submitted = wait_for([&] {
    auto all = jobs(u);
    if (all.empty() || !all.front().kie_task_id) return false;
    job = all.front();
    return true;
  });
  EXPECT_TRUE(submitted) << "the job never reached the provider";
  return job;
}

bool SecurityTest::wait_for(const std::function<bool()>& condition,
                            std::chrono::milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (condition()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return condition();
}

void SecurityTest::settle(std::int64_t update_id) {
  ASSERT_NE(update_id, 0);
  bool done = wait_for([&] {
    auto r = db().read_blocking<bool>([update_id](store::Tx& tx) -> Result<bool> {
      auto row = KB_TRY(
          tx.connection().query_one("SELECT status FROM inbox WHERE update_id = $1", update_id));
      if (!row || row->text(0) == "pending") return false;
      return KB_TRY(tx.outbox().pending_count()) == 0;
    });
    return r && *r;
  });
  ASSERT_TRUE(done) << "update " << update_id << " was not handled and answered in time";
}

bot::ConversationState SecurityTest::state(const User& u) {
  auto stored = must(db().read_blocking<std::optional<store::ConversationState>>(
      [&](store::Tx& tx) { return tx.conversations().load(u.id); }));
  return stored ? bot::state_from_json(stored->state_json) : bot::ConversationState{};
}

std::int64_t SecurityTest::newest_message_id(const User& u) {
  auto messages = telegram().bot_messages(u.id);
  for (auto it = messages.rbegin(); it != messages.rend(); ++it)
    if (!it->inline_keyboard.empty()) return it->message_id;
  return messages.empty() ? 1 : messages.back().message_id;
}

std::int64_t SecurityTest::count(const std::string& table, const std::string& where) {
  auto sql = "SELECT count(*) FROM " + table + (where.empty() ? "" : " WHERE " + where);
  return must(db().read_blocking<std::int64_t>([&](store::Tx& tx) -> Result<std::int64_t> {
    auto rows = KB_TRY(tx.connection().query(sql));
    return rows.front().i64(0);
  }));
}

std::int64_t SecurityTest::ledger_sum(std::int64_t user_id) {
  return must(db().read_blocking<std::int64_t>([&](store::Tx& tx) -> Result<std::int64_t> {
    auto rows = KB_TRY(tx.connection().query(
        "SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE user_id = $1", user_id));
    return rows.front().i64(0);
  }));
}

store::Balance SecurityTest::balance(std::int64_t user_id) {
  return must(db().read_blocking<store::Balance>(
      [&](store::Tx& tx) { return tx.ledger().balance(user_id); }));
}

std::map<std::string, std::int64_t> SecurityTest::table_counts() {
  std::map<std::string, std::int64_t> out;
  for (const char* table : {"users",          "wallets",
                            "ledger_entries", "conversations",
                            "inbox",          "inbox_rejects",
                            "jobs",           "media_refs",
                            "invoices",       "stars_payments",
                            "manual_topups",  "free_usage",
                            "referrals",      "admin_actions",
                            "settings",       "model_overrides",
                            "broadcasts",     "broadcast_recipients",
                            "outbox",         "schema_migrations"})
    out[table] = count(table);
  return out;
}

void SecurityTest::expect_ledger_consistent() {
  auto wallets = must(db().read_blocking<std::vector<std::pair<std::int64_t, std::int64_t>>>(
      [](store::Tx& tx) -> Result<std::vector<std::pair<std::int64_t, std::int64_t>>> {
        auto rows = KB_TRY(tx.connection().query("SELECT user_id, available + held FROM wallets"));
        std::vector<std::pair<std::int64_t, std::int64_t>> out;
        for (const auto& row : rows) out.emplace_back(row.i64(0), row.i64(1));
        return out;
      }));
  EXPECT_FALSE(wallets.empty());
  for (auto [user_id, total] : wallets) EXPECT_EQ(total, ledger_sum(user_id)) << user_id;
}

}  // namespace kb::security_test
