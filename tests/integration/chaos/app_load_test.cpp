// Load with faults and kills on the whole application: the real kiebot binary in webhook mode
// serves simulated users of the fake Bot API (journeys from /start to a result, Stars top-ups,
// double taps, junk), while the fake provider fails creates (5xx, cut connections, accepted
// then failed, malformed bodies) and sends duplicate callbacks, the fake Bot API answers a share
// of sends 429, and the bot is SIGKILLed and restarted at random moments. Afterwards: no lost
// update, no duplicate job or provider task, every job ended (delivered, or failed and refunded),
// the ledger verifies, at most one result per job, and no send came before a retry_after passed.
// KIEBOT_LOAD_USERS (40), KIEBOT_LOAD_KILLS (3) and KIEBOT_LOAD_SEED scale and reproduce it.
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include "bot/i18n.hpp"
#include "core/crypto.hpp"
#include "domain/job_state.hpp"
#include "support/child_process.hpp"
#include "sandbox/fake_kie/fake_kie.hpp"
#include "sandbox/fake_telegram/fake_telegram.hpp"
#include "store/open.hpp"
#include "support/async_test.hpp"
#include "support/must.hpp"
#include "support/serve_env.hpp"
#include "support/sim_chat.hpp"

namespace kb::app_load_test {
namespace {

using kb::test::must;

using namespace std::chrono_literals;
using store::test::ChildProcess;
using store::test::free_tcp_port;
using store::test::http_get;
using store::test::kiebot_binary;
using store::test::wait_ready;
using Steady = std::chrono::steady_clock;

constexpr const char* kSecret = "load-chaos-webhook-secret";
constexpr const char* kFreeSlug = "m-z-image";
constexpr const char* kPaidSlug = "m-google-imagen4-ultra";
constexpr int kRetryAfterSeconds = 1;
constexpr std::int64_t kTopUpKopecks = 100'00;  // the first Stars package: 100 RUB

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

long long ms_since(Steady::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - t).count();
}

// Where one simulated user is in their journey.
enum class Step {
  start,
  topup_menu,
  topup_package,
  invoice,
  paying,
  open_card,
  card,
  prompt,
  wizard,
  waiting,
  done
};

struct SimUser : test::SimChat {
  bool paid = false;
  bool double_tap = false;
  bool junk = false;
  Step step = Step::start;
  Steady::time_point since = Steady::now();
  std::string pre_checkout_id;
  bool confirm_pressed = false;
  int nudges = 0;  // actions repeated after a stall (screens before it: the abandoned attempt)
  bool late_junk = false;
};

class AppLoad : public testing::Test {
 protected:
  void SetUp() override {
    binary_ = kiebot_binary();
    if (!binary_) GTEST_SKIP() << "KIEBOT_BINARY is not set";
    dir_ = std::filesystem::temp_directory_path() /
           ("kiebot-load-" + crypto::hex(crypto::random_bytes(6)));
    std::filesystem::create_directories(dir_);
    sandbox::FakeTelegramOptions tg;
    tg.limits.enabled = false;  // 429s come from the random share instead
    telegram_ = std::make_unique<sandbox::FakeTelegram>(io_.io(), http_, tg);
    must(telegram_->start());
    sandbox::FakeKieOptions kie;
    kie.create_limit_per_10s = 1'000'000;
    kie_ = std::make_unique<sandbox::FakeKie>(io_.io(), http_, kie);
    must(kie_->start());
    texts_ = std::make_unique<bot::Texts>(must(bot::Texts::load("")));
    port_ = free_tcp_port();
  }

  void TearDown() override {
    if (kie_)
      io_.run<void>([this]() -> Task<void> {
        co_await kie_->stop();
        co_await telegram_->stop();
      });
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }

  std::map<std::string, std::string> env() const {
    auto e = test::serve_env(*telegram_, kie_.get(), port_, dir_, kSecret);
    e.insert({{"SQLITE_SYNCHRONOUS", "normal"},
              {"KIE_CREATE_PER_10S", "1000"},
              {"TELEGRAM_GLOBAL_RATE", "300"},
              {"TELEGRAM_CHAT_RATE", "20"},
              {"USER_RATE_PER_MINUTE", "600"},
              {"USER_RATE_BURST", "100"},
              {"PROGRESS_EDIT_INTERVAL_MS", "1000"},
              {"UNCONFIRMED_CREATE_WINDOW_MS", "6000"}});
    return e;
  }

  std::unique_ptr<store::Database> open_db(bool read_only) {
    store::DatabaseOptions o;
    o.data_dir = dir_.string();
    if (read_only) {
      o.migrate = false;
      o.sqlite_read_only = true;
      o.sqlite_instance_lock = false;
    }
    auto db = store::open_database(o, clock_, nullptr);
    return db ? std::move(*db) : nullptr;
  }

  std::string en(std::string_view key) const { return texts_->get(bot::Lang::en, key, {}); }

  bool press(SimUser& u, const std::string& text, bool containing = false) {
    if (!test::press_once(*telegram_, u, text, containing)) return false;
    ++actions_;
    return true;
  }

  bool bot_said(const SimUser& u, const std::string& fragment, bool current_only = false) const {
    return test::bot_said(*telegram_, u, fragment, current_only);
  }

  void junk(SimUser& u, std::mt19937& random) {
    switch (std::uniform_int_distribution<int>(0, 3)(random)) {
      case 0:
        telegram_->send_text(u.user, "'; DROP TABLE jobs; -- \xF0\x9F\x92\xA5");
        break;
      case 1:
        telegram_->press_button(u.user, 999999, "zz:forged:data");
        break;
      case 2:
        telegram_->send_command(u.user, "nosuchcommand", "x");
        break;
      default:
        telegram_->send_sticker(u.user, "not really a sticker");
        break;
    }
    ++actions_;
  }

  void go(SimUser& u, Step step) {
    u.step = step;
    u.since = Steady::now();
  }

  // One non-blocking move of a user: acts when the bot's last answer allows the next step.
  void advance(SimUser& u, std::mt19937& random) {
    const std::string slug = u.paid ? kPaidSlug : kFreeSlug;
    switch (u.step) {
      case Step::start:
        telegram_->send_command(u.user, "start");
        if (u.paid) telegram_->send_command(u.user, "balance");  // the account screen: Top up
        actions_ += u.paid ? 2 : 1;
        go(u, u.paid ? Step::topup_menu : Step::open_card);
        break;
      case Step::topup_menu:
        if (press(u, en("menu.topup"))) go(u, Step::topup_package);
        break;
      case Step::topup_package:
        if (press(u, "⭐", true)) go(u, Step::invoice);
        break;
      case Step::invoice:
        if (auto invoice = telegram_->last_invoice(u.user.id)) {
          auto paid = telegram_->pay(u.user, *invoice);
          if (paid) {
            u.pre_checkout_id = paid->pre_checkout_query_id;
            ++actions_;
            go(u, Step::paying);
          }
        }
        break;
      case Step::paying: {
        auto p = telegram_->payment(u.pre_checkout_id);
        if (p && p->state == sandbox::tg::PaymentState::paid) {
          go(u, Step::open_card);
        } else if (p && (p->state == sandbox::tg::PaymentState::expired ||
                         p->state == sandbox::tg::PaymentState::declined)) {
          ++payment_retries_;
          go(u, Step::invoice);  // the user taps Pay again
        }
        break;
      }
      case Step::open_card:
        if (u.junk) junk(u, random);
        telegram_->send_command(u.user, "start", slug);
        ++actions_;
        go(u, Step::card);
        break;
      case Step::card:
        if (press(u, en("card.start"))) go(u, Step::prompt);
        break;
      case Step::prompt:
        if (bot_said(u, "✍️", true)) {
          telegram_->send_text(u.user, fmt::format("A lighthouse in a storm, user {}", u.user.id));
          ++actions_;
          go(u, Step::wizard);
        }
        break;
      case Step::wizard: {
        auto move = test::wizard_move(*telegram_, *texts_, u);
        if (auto b = move.generate) {
          telegram_->press_button(u.user, b->first, b->second);
          if (u.double_tap) telegram_->press_button(u.user, b->first, b->second);
          actions_ += u.double_tap ? 2 : 1;
          u.confirm_pressed = true;
          go(u, Step::waiting);
        } else if (move.answered) {
          ++actions_;
        }
        break;
      }
      case Step::waiting:
        if (u.junk && ms_since(u.since) > 300 && !u.late_junk) {
          junk(u, random);
          u.late_junk = true;
        }
        break;
      case Step::done:
        break;
    }
  }

  // Malformed bodies posted straight to the webhook with the right secret; returns how many
  // were answered 200 (those must be kept as rejects, never dropped silently).
  int post_junk_bodies(int count) {
    int accepted = 0;
    const std::vector<std::string> bodies = {"{not json", "[]", "{\"update_id\":\"x\"}", "null",
                                             "{\"message\":{\"text\":\"no id\"}}"};
    for (int i = 0; i < count; ++i) {
      net::ClientRequest r;
      r.method = "POST";
      r.url = fmt::format("http://127.0.0.1:{}/telegram/webhook", port_);
      r.headers.set("Content-Type", "application/json");
      r.headers.set("X-Telegram-Bot-Api-Secret-Token", kSecret);
      r.body = bodies[static_cast<std::size_t>(i) % bodies.size()];
      r.timeout = 3000ms;
      auto reply = io_.run<Result<net::ClientResponse>>(
          [this, request = std::move(r)]() mutable -> Task<Result<net::ClientResponse>> {
            co_return co_await http_.send(std::move(request));
          });
      if (reply && reply->status == 200) ++accepted;
    }
    return accepted;
  }

  std::optional<std::string> binary_;
  std::filesystem::path dir_;
  test::IoThread io_{2};
  net::HttpClient http_;
  SystemClock clock_;
  std::unique_ptr<sandbox::FakeTelegram> telegram_;
  std::unique_ptr<sandbox::FakeKie> kie_;
  std::unique_ptr<bot::Texts> texts_;
  std::uint16_t port_ = 0;
  std::atomic<long long> actions_{0};
  int payment_retries_ = 0;
};

// Queues the provider's faults for the next creates and status queries, in random order.
void queue_kie_faults(sandbox::FakeKie& kie, int creates, std::mt19937& random) {
  std::uniform_real_distribution<double> share(0, 1);
  for (int i = 0; i < creates; ++i) {
    sandbox::Fault f;
    double x = share(random);
    if (x < 0.14) {
      f.http_status = 500;  // refused: 5xx, no task
    } else if (x < 0.20) {
      f.http_status = 502;  // created, but the answer is a 5xx
      f.accept_then_fail = true;
    } else if (x < 0.25) {
      f.close_without_response = true;  // like a timeout: the outcome is unknown
    } else if (x < 0.28) {
      f.malformed_json = true;
    }
    kie.fail_next("createTask", f, 1);
  }
  for (int i = 0; i < creates; ++i) {
    sandbox::Fault f;
    double x = share(random);
    if (x < 0.10) {
      f.http_status = 503;
    } else if (x < 0.15) {
      f.malformed_json = true;
    }
    kie.fail_next("recordInfo", f, 1);
  }
}

struct JobRow {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string state;
  std::int64_t price = 0;
  bool is_free = false;
};

TEST_F(AppLoad, UsersUnderFaultsAndKillsLoseNothingAndPayOnce) {
  const int users_n = env_int("KIEBOT_LOAD_USERS", 40);
  const int kills_n = env_int("KIEBOT_LOAD_KILLS", 3);
  const auto seed = static_cast<unsigned>(
      env_int("KIEBOT_LOAD_SEED", static_cast<int>(std::random_device{}() >> 1)));
  std::mt19937 random(seed);
  RecordProperty("seed", static_cast<int>(seed));
  std::printf("app load seed %u (KIEBOT_LOAD_SEED=%u reproduces the schedule)\n", seed, seed);
  const auto started = Steady::now();

  // Faults: the provider (creates and queries), duplicate callbacks, Telegram 429s.
  queue_kie_faults(*kie_, users_n * 3, random);
  sandbox::Lifecycle quick;
  quick.states = {{"waiting", 0}, {"generating", 200}};
  quick.finish_after_ms = 800;
  quick.callbacks = 2;  // every task's callback is delivered twice
  kie_->set_lifecycle("*", quick);
  telegram_->set_random_flood(0.10, kRetryAfterSeconds);

  std::vector<SimUser> users;
  for (int i = 0; i < users_n; ++i) {
    SimUser u;
    u.user = telegram_->make_user(fmt::format("Load{}", i), "en");
    u.paid = i % 2 == 1;
    u.double_tap = std::uniform_int_distribution<int>(0, 9)(random) < 3;
    u.junk = std::uniform_int_distribution<int>(0, 9)(random) < 2;
    users.push_back(std::move(u));
  }

  std::mutex child_mu;
  auto child = std::make_unique<ChildProcess>(std::vector<std::string>{*binary_, "serve"}, env());
  ASSERT_TRUE(wait_ready(port_)) << child->output();

  // The killer: SIGKILL at random moments while users act, restart once the bot has been down
  // longer than the 429s' retry_after (a new process cannot know an old process's pauses).
  std::atomic<int> kills{0};
  std::atomic<bool> restart_failed{false};
  std::vector<int> kill_at_ms;
  for (int k = 0; k < kills_n; ++k)
    kill_at_ms.push_back(std::uniform_int_distribution<int>(500, 2500)(random));
  std::thread killer([&] {
    for (int gap : kill_at_ms) {
      std::this_thread::sleep_for(std::chrono::milliseconds(gap));
      std::lock_guard lock(child_mu);
      ::kill(child->pid(), SIGKILL);
      child->wait(10s);
      ++kills;
      std::this_thread::sleep_for(std::chrono::milliseconds(kRetryAfterSeconds * 1000 + 100));
      child = std::make_unique<ChildProcess>(std::vector<std::string>{*binary_, "serve"}, env());
      if (!wait_ready(port_)) restart_failed = true;
    }
  });

  // The users, all at once; each moves when the bot's answer lets them.
  const int junk_posts = std::max(5, users_n / 4);
  int junk_accepted = 0;
  bool junk_posted = false;
  int nudges = 0;
  const auto journey_deadline = Steady::now() + std::chrono::seconds(30 + users_n / 2);
  auto all_waiting = [&] {
    for (const auto& u : users)
      if (u.step != Step::waiting) return false;
    return true;
  };
  while (!all_waiting() && Steady::now() < journey_deadline) {
    for (auto& u : users) {
      if (u.step != Step::waiting && u.step != Step::done && ms_since(u.since) > 20'000) {
        // Stalled for long: a real user would repeat; recorded, the journey goes on.
        ++u.nudges;
        ++nudges;
        test::forget_screens(*telegram_, u);
        switch (u.step) {
          case Step::topup_menu:
          case Step::topup_package:
          case Step::invoice:
            go(u, Step::start);
            break;
          case Step::paying:
            go(u, Step::invoice);
            break;
          default:
            go(u, Step::open_card);
            break;
        }
      }
      advance(u, random);
    }
    if (!junk_posted && ms_since(started) > 1000) {
      junk_posted = true;
      junk_accepted = post_junk_bodies(junk_posts);
    }
    std::this_thread::sleep_for(20ms);
  }
  for (auto& u : users) advance(u, random);  // the last junk
  killer.join();
  ASSERT_FALSE(restart_failed.load());
  std::vector<std::string> stuck;
  for (const auto& u : users)
    if (!u.confirm_pressed)
      stuck.push_back(fmt::format("{}@{}", u.user.id, static_cast<int>(u.step)));
  EXPECT_TRUE(stuck.empty()) << "users who never reached Generate: "
                             << fmt::format("{}", fmt::join(stuck, " ")) << " seed " << seed;
  const auto journeys_ms = ms_since(started);

  // Settle: every update delivered, every job ended (bounded).
  std::vector<JobRow> jobs;
  auto read_jobs = [&]() -> bool {
    auto db = open_db(true);
    if (!db) return false;
    auto rows =
        db->read_blocking<std::vector<JobRow>>([](store::Tx& tx) -> Result<std::vector<JobRow>> {
          auto r = KB_TRY(tx.connection().query(
              "SELECT id, user_id, state, price_kopecks, is_free FROM jobs ORDER BY id"));
          std::vector<JobRow> out;
          for (const auto& row : r) {
            auto c = row.cursor();
            JobRow j;
            j.id = c.i64();
            j.user_id = c.i64();
            j.state = c.text();
            j.price = c.i64();
            j.is_free = c.boolean();
            out.push_back(j);
          }
          return out;
        });
    if (!rows) return false;
    jobs = std::move(*rows);
    for (const auto& j : jobs) {
      auto s = domain::parse_job_state(j.state);
      if (!s || !domain::is_terminal(*s)) return false;
    }
    return true;
  };
  bool settled = false;
  const auto settle_deadline = Steady::now() + 60s;
  while (!settled && Steady::now() < settle_deadline) {
    std::this_thread::sleep_for(500ms);
    settled = telegram_->pending_update_count() == 0 && read_jobs();
  }
  {
    std::lock_guard lock(child_mu);
    ASSERT_TRUE(settled) << "not settled: pending updates " << telegram_->pending_update_count()
                         << " seed " << seed << "\n"
                         << child->output();
    // Let the last sends (results, refunds' notes) finish, then stop cleanly.
    std::this_thread::sleep_for(1500ms);
    child->terminate();
    auto code = child->wait(30s);
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, 0) << child->output();
  }
  const auto total_ms = ms_since(started);

  // The ledger, checked by the binary itself.
  {
    ChildProcess verify({*binary_, "ledger", "verify"}, env());
    auto code = verify.wait(30s);
    ASSERT_TRUE(code.has_value());
    EXPECT_EQ(*code, 0) << verify.output();
  }

  auto db = open_db(false);
  ASSERT_TRUE(db);
  // Lost update: one the fake delivered with 200 that is not in the inbox, or is still pending,
  // or ended dead without a reason.
  std::map<std::int64_t, std::pair<std::string, std::string>> inbox;
  std::int64_t rejects = 0;
  must(db->read_blocking<bool>([&](store::Tx& tx) -> Result<bool> {
    auto rows = KB_TRY(
        tx.connection().query("SELECT update_id, status, COALESCE(last_error, '') FROM inbox"));
    for (const auto& row : rows) inbox[row.i64(0)] = {row.text(1), row.text(2)};
    auto n = KB_TRY(tx.connection().query_one("SELECT COUNT(*) FROM inbox_rejects"));
    rejects = n ? n->i64(0) : 0;
    return true;
  }));
  std::set<std::int64_t> delivered_ok;
  for (const auto& d : telegram_->deliveries())
    if (d.status == 200) delivered_ok.insert(d.update_id);
  int lost = 0, dead = 0;
  for (auto id : delivered_ok) {
    auto it = inbox.find(id);
    if (it == inbox.end() || it->second.first == "pending" ||
        (it->second.first == "dead" && it->second.second.empty())) {
      ++lost;
      ADD_FAILURE() << "update " << id << " lost: "
                    << (it == inbox.end() ? std::string("not stored") : it->second.first)
                    << " seed " << seed;
    }
    if (it != inbox.end() && it->second.first == "dead") ++dead;
  }
  EXPECT_EQ(telegram_->pending_update_count(), 0u);
  EXPECT_EQ(delivered_ok.size(), telegram_->updates().size())
      << "every update produced was delivered";
  EXPECT_GE(rejects, junk_accepted) << "malformed bodies answered 200 are kept";

  // Jobs: at most one per user (each user pressed Generate on one confirm screen, some twice),
  // exactly one for users whose press the bot accepted, every job terminal, refunds exact.
  std::map<std::int64_t, std::vector<JobRow>> jobs_of;
  std::map<std::string, int> by_state;
  for (const auto& j : jobs) {
    jobs_of[j.user_id].push_back(j);
    ++by_state[j.state];
  }
  int results = 0, link_results = 0, accepted_n = 0, double_taps = 0, presses_without_job = 0;
  for (const auto& u : users) {
    const auto& mine = jobs_of[u.user.id];
    ASSERT_LE(mine.size(), 1u) << "user " << u.user.id
                               << " got two jobs from one confirm screen, seed " << seed;
    const bool accepted = bot_said(u, "starting");
    accepted_n += accepted;
    // A press on the current confirm screen of an undisturbed journey must make the job (a
    // nudged user may have pressed a screen the bot had already replaced).
    if (u.confirm_pressed && u.nudges == 0) {
      EXPECT_EQ(mine.size(), 1u) << "user " << u.user.id << " pressed Generate, seed " << seed;
    }
    if (u.confirm_pressed && mine.empty()) ++presses_without_job;
    double_taps += u.double_tap;
    if (accepted) {
      EXPECT_EQ(mine.size(), 1u) << "user " << u.user.id << " was told it started, seed " << seed;
    }
    std::size_t photos = 0, links = 0;
    for (const auto& m : telegram_->bot_messages(u.user.id)) {
      photos += m.kind == "photo" || m.kind == "document";
      links += m.kind == "text" && m.text.find("/media/r/") != std::string::npos;
    }
    EXPECT_LE(photos, mine.size())
        << "user " << u.user.id << ": two results for one job, seed " << seed;
    auto balance = must(db->read_blocking<store::Balance>(
        [&](store::Tx& tx) { return tx.ledger().balance(u.user.id); }));
    EXPECT_EQ(balance.held, 0) << "user " << u.user.id;
    std::int64_t spent = 0;
    for (const auto& j : mine) {
      if (j.state == "delivered") {
        spent += j.is_free ? 0 : j.price;
        results += photos == 1;
        link_results += photos == 0;
        // Delivered means the user has the result: the file, or else a download link.
        EXPECT_TRUE(photos == 1 || links >= 1)
            << "job " << j.id << " delivered without a file or a link, seed " << seed;
      } else {
        EXPECT_EQ(photos, 0u) << "job " << j.id << " " << j.state << " has a result, seed " << seed;
      }
    }
    if (u.paid) {
      EXPECT_EQ(balance.available, kTopUpKopecks - spent)
          << "user " << u.user.id << " seed " << seed;
    } else {
      EXPECT_EQ(balance.available, 0) << "user " << u.user.id;
    }
  }
  // A send that may have reached Telegram (a kill between sending and recording it, or an
  // ambiguous failure such as a timeout) is followed by a link, never a second file. Several
  // deliveries can be in flight at one kill, so links are not bounded by the kills; without
  // kills or ambiguous failures there would be none. Recorded, not bounded.
  RecordProperty("link_results", static_cast<int>(link_results));

  // The provider: never two tasks for one job.
  std::map<std::int64_t, int> tasks_per_job;
  for (const auto& task : kie_->tasks()) {
    auto at = task.callback_url.find("job=");
    if (at != std::string::npos) ++tasks_per_job[std::stoll(task.callback_url.substr(at + 4))];
  }
  std::map<std::int64_t, std::string> state_of;
  for (const auto& j : jobs) state_of[j.id] = j.state;
  int tasks_of_failed = 0;  // created at the provider, but no callback reached the bot in time
  for (const auto& [job_id, n] : tasks_per_job) {
    EXPECT_EQ(n, 1) << "job " << job_id << " seed " << seed;
    EXPECT_TRUE(state_of.count(job_id)) << "a provider task for an unknown job " << job_id;
    tasks_of_failed += state_of[job_id] != "delivered";
  }

  // Telegram: 429s happened and the bot never sent before a retry_after had passed.
  EXPECT_GT(telegram_->random_floods(), 0u);
  EXPECT_EQ(telegram_->early_retries(), 0u) << "seed " << seed;

  std::string states;
  for (const auto& [state, n] : by_state) states += fmt::format(" {}={}", state, n);
  const double seconds = static_cast<double>(total_ms) / 1000.0;
  std::printf(
      "app load: users=%d updates=%zu (%.1f/s) actions=%lld junk_posts=%d rejects=%lld dead=%d "
      "lost=%d jobs=%zu%s "
      "provider_tasks=%zu creates=%zu tg_429=%zu early_retries=%zu kills=%d payment_retries=%d "
      "nudges=%d presses_without_job=%d accepted=%d double_taps=%d tasks_of_failed=%d "
      "file_results=%d link_results=%d "
      "journeys_ms=%lld duration_ms=%lld\n",
      users_n, delivered_ok.size(), static_cast<double>(delivered_ok.size()) / seconds,
      actions_.load(), junk_posts, static_cast<long long>(rejects), dead, lost, jobs.size(),
      states.c_str(), kie_->tasks().size(), kie_->create_calls(), telegram_->random_floods(),
      telegram_->early_retries(), kills.load(), payment_retries_, nudges, presses_without_job,
      accepted_n, double_taps, tasks_of_failed, results, link_results, journeys_ms, total_ms);
  RecordProperty("users", users_n);
  RecordProperty("updates", static_cast<int>(delivered_ok.size()));
  RecordProperty("jobs", static_cast<int>(jobs.size()));
  RecordProperty("delivered", by_state["delivered"]);
  RecordProperty("kills", kills.load());
  RecordProperty("telegram_429", static_cast<int>(telegram_->random_floods()));
  RecordProperty("duration_ms", static_cast<int>(total_ms));
  RecordProperty("nudges", nudges);
  // Faults cost some jobs (refused or unknown creates are refunded), but most get through.
  EXPECT_GE(by_state["delivered"], users_n / 3) << states;
}

}  // namespace
}  // namespace kb::app_load_test
