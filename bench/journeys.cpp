// Full journeys per second end to end: the real `kiebot serve` (webhook mode, SQLite) against the
// fake Bot API and the fake provider served from this process, driven by N simulated users at
// once, each doing J journeys one after another: /start, the model's deep link (/start m-<slug>),
// Start on the model card, the prompt, the wizard's defaults, Generate on the confirm screen, and
// the result delivered to the fake Bot API (a journey is complete when the fake receives it). The
// users have a credited balance, so every journey is a paid job (hold, then capture). Each user
// moves as soon as the bot's answer allows (the fake's change events wake the driver).
// Usage: bench_journeys <kiebot binary> <users> <journeys per user> [model slug]
// Prints Markdown: the figures, then the checks (every journey completed exactly once).
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "bot/i18n.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "net/http_client.hpp"
#include "sandbox/fake_kie/fake_kie.hpp"
#include "sandbox/fake_telegram/fake_telegram.hpp"
#include "store/open.hpp"
#include "store/tx.hpp"
#include "support/async_test.hpp"
#include "support/child_process.hpp"
#include "support/known_users.hpp"
#include "support/must.hpp"
#include "support/serve_env.hpp"
#include "support/sim_chat.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace kb;
using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;
using kb::test::must;

constexpr Kopecks kCredit = 1'000'000'00;  // far above any number of journeys' prices

double ms_between(Steady::time_point a, Steady::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

// CPU seconds (user + system) a process has used: /proc/<pid>/stat fields 14 and 15.
double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto close = text.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos) return 0;
  std::istringstream fields(text.substr(close + 2));
  std::string f;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i)
    if (i >= 14) ticks += std::stod(f);
  return ticks / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

double own_cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

// Where one user is in the current journey.
enum class Step { start, welcome, card, prompt, wizard, waiting, finished };

struct Rider : test::SimChat {
  Step step = Step::start;
  int completed = 0;
  Steady::time_point began;  // of the current journey
};

bool result_kind(const std::string& kind) {
  return kind == "photo" || kind == "document" || kind == "video" || kind == "animation";
}

// Results received by the fake Bot API per chat, with the time they arrived, and the chats that
// changed since the driver last looked.
class Watch {
 public:
  void on_event(const sandbox::tg::ChatEvent& e) {
    std::lock_guard lock(mu_);
    if (e.kind == sandbox::tg::ChatEvent::Kind::message_added && e.message.from_bot &&
        result_kind(e.message.kind))
      results_[e.chat_id].push_back(Steady::now());
    dirty_.insert(e.chat_id);
    cv_.notify_one();
  }
  // The chats that changed (waits up to `timeout` for one).
  std::set<std::int64_t> changed(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return !dirty_.empty(); });
    std::set<std::int64_t> out;
    out.swap(dirty_);
    return out;
  }
  std::optional<Steady::time_point> result(std::int64_t chat_id, int index) {
    std::lock_guard lock(mu_);
    auto& v = results_[chat_id];
    if (index >= static_cast<int>(v.size())) return std::nullopt;
    return v[static_cast<std::size_t>(index)];
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::set<std::int64_t> dirty_;
  std::map<std::int64_t, std::vector<Steady::time_point>> results_;
};

struct Driver {
  sandbox::FakeTelegram& telegram;
  const bot::Texts& texts;
  Watch& watch;
  std::string slug;
  int journeys = 1;
  std::vector<double> latencies_ms;
  Steady::time_point first_start{};
  Steady::time_point last_result{};

  std::string en(std::string_view key) const { return texts.get(bot::Lang::en, key); }

  // Moves the user as far as the bot's answers allow now.
  void advance(Rider& r) {
    for (;;) {
      const Step before = r.step;
      step(r);
      if (r.step == before || r.step == Step::finished) return;
    }
  }

  void step(Rider& r) {
    switch (r.step) {
      case Step::start:
        test::forget_screens(telegram, r);
        r.began = Steady::now();
        if (first_start == Steady::time_point{}) first_start = r.began;
        telegram.send_command(r.user, "start");
        r.step = Step::welcome;
        break;
      case Step::welcome:
        if (auto m = telegram.last_bot_message(r.user.id); m && m->message_id > r.min_message_id) {
          telegram.send_command(r.user, "start", slug);
          r.step = Step::card;
        }
        break;
      case Step::card:
        if (test::press_once(telegram, r, en("card.start"))) r.step = Step::prompt;
        break;
      case Step::prompt:
        if (test::bot_said(telegram, r, "✍️", true)) {
          telegram.send_text(r.user, fmt::format("A lighthouse in a storm, rider {} journey {}",
                                                 r.user.id, r.completed + 1));
          r.step = Step::wizard;
        }
        break;
      case Step::wizard:
        if (auto b = test::wizard_move(telegram, texts, r).generate) {
          telegram.press_button(r.user, b->first, b->second);
          r.step = Step::waiting;
        }
        break;
      case Step::waiting:
        if (auto at = watch.result(r.user.id, r.completed)) {
          latencies_ms.push_back(ms_between(r.began, *at));
          last_result = std::max(last_result, *at);
          ++r.completed;
          r.step = r.completed < journeys ? Step::start : Step::finished;
        }
        break;
      case Step::finished:
        break;
    }
  }
};

struct Stored {
  std::map<std::string, std::int64_t> jobs_by_state;
  std::int64_t captures = 0;
  std::int64_t holds = 0;
  std::int64_t ledger_problems = 0;
  std::int64_t inbox_not_done = 0;
};

Stored read_store(const std::filesystem::path& dir, const Clock& clock) {
  store::DatabaseOptions o;
  o.data_dir = dir.string();
  auto db = must(store::open_database(o, clock, nullptr));
  return must(db->read_blocking<Stored>([](store::Tx& tx) -> Result<Stored> {
    Stored s;
    auto& c = tx.connection();
    auto jobs = KB_TRY(c.query("SELECT state, COUNT(*) FROM jobs GROUP BY state"));
    for (const auto& row : jobs) s.jobs_by_state[row.text(0)] = row.i64(1);
    auto entries = KB_TRY(c.query("SELECT kind, COUNT(*) FROM ledger_entries GROUP BY kind"));
    for (const auto& row : entries) {
      if (row.text(0) == "capture") s.captures = row.i64(1);
      if (row.text(0) == "hold") s.holds = row.i64(1);
    }
    auto n = KB_TRY(c.query_one("SELECT COUNT(*) FROM inbox WHERE status <> 'done'"));
    s.inbox_not_done = n ? n->i64(0) : 0;
    auto problems = KB_TRY(tx.ledger().verify());
    s.ledger_problems = static_cast<std::int64_t>(problems.size());
    return s;
  }));
}

int run(const std::string& binary, int users_n, int journeys, const std::string& slug) {
  log::configure(log::Level::warn, log::Format::text);  // this process's fakes and database
  const test::TempDir data("kiebot-bench-journeys-");
  const auto& dir = data.path();
  test::IoThread io(2);
  net::HttpClient http;
  SystemClock clock;
  sandbox::FakeTelegramOptions tgo;
  tgo.limits.enabled = false;  // pacing is bench/pacing.sh's subject
  sandbox::FakeTelegram telegram(io.io(), http, tgo);
  must(telegram.start());
  sandbox::FakeKieOptions kieo;
  kieo.create_limit_per_10s = 1'000'000;
  kieo.tick_interval = 10ms;
  sandbox::FakeKie kie(io.io(), http, kieo);
  must(kie.start());
  sandbox::Lifecycle quick;  // the provider finishes quickly and calls back once
  quick.states = {{"waiting", 0}, {"generating", 100}};
  quick.finish_after_ms = 300;
  quick.callbacks = 1;
  kie.set_lifecycle("*", quick);
  auto texts = must(bot::Texts::load(""));

  std::vector<Rider> riders(static_cast<std::size_t>(users_n));
  std::vector<sandbox::tg::User> users;
  for (int i = 0; i < users_n; ++i) {
    riders[static_cast<std::size_t>(i)].user = telegram.make_user(fmt::format("Rider{}", i), "en");
    users.push_back(riders[static_cast<std::size_t>(i)].user);
  }
  {
    store::DatabaseOptions o;
    o.data_dir = dir.string();
    auto db = must(store::open_database(o, clock, nullptr));
    must(test::seed_known_users(*db, users, clock.now_ms(), kCredit));
  }

  const auto port = store::test::free_tcp_port();
  auto env = test::serve_env(telegram, &kie, port, dir, "bench-journeys-webhook-secret");
  // Budgets that would be the measure instead of the bot: the provider account's creation rate
  // (18 per 10 s by default), outbound pacing (replies are not bulk messages; bench/pacing.sh
  // measures pacing) and the per-user action rate (each user acts as fast as the bot answers).
  env.insert({{"KIE_CREATE_PER_10S", "1000"},
              {"TELEGRAM_GLOBAL_RATE", "1000"},
              {"TELEGRAM_CHAT_RATE", "20"},
              {"USER_RATE_PER_MINUTE", "10000"},
              {"USER_RATE_BURST", "10000"}});
  if (const char* sync = std::getenv("SQLITE_SYNCHRONOUS")) env["SQLITE_SYNCHRONOUS"] = sync;
  store::test::ChildProcess server({binary, "serve"}, env);
  if (!store::test::wait_ready(port)) {
    std::fprintf(stderr, "bench_journeys: kiebot did not become ready\n%s\n",
                 server.output().c_str());
    return 1;
  }

  const double server_cpu_before = cpu_seconds(server.pid());
  const double own_cpu_before = own_cpu_seconds();
  Watch watch;
  auto subscription =
      telegram.subscribe([&](const sandbox::tg::ChatEvent& e) { watch.on_event(e); });
  Driver driver{telegram, texts, watch, slug, journeys, {}, {}, {}};
  std::map<std::int64_t, Rider*> by_chat;
  for (auto& r : riders) by_chat[r.user.id] = &r;
  const auto deadline = Steady::now() + std::chrono::seconds(120);
  auto unfinished = [&] {
    return std::count_if(riders.begin(), riders.end(),
                         [](const Rider& r) { return r.step != Step::finished; });
  };
  for (auto& r : riders) driver.advance(r);
  auto swept = Steady::now();
  while (unfinished() > 0 && Steady::now() < deadline) {
    for (auto chat : watch.changed(50ms))
      if (auto it = by_chat.find(chat); it != by_chat.end()) driver.advance(*it->second);
    if (Steady::now() - swept > 500ms) {  // a safety net; events normally suffice
      for (auto& r : riders) driver.advance(r);
      swept = Steady::now();
    }
  }
  telegram.unsubscribe(subscription);
  const double window_ms = ms_between(driver.first_start, driver.last_result);
  const auto incomplete = unfinished();
  const double server_cpu = cpu_seconds(server.pid()) - server_cpu_before;
  const double own_cpu = own_cpu_seconds() - own_cpu_before;

  // Settle: the last updates (none expected), then a clean stop so the database is complete.
  telegram.wait_until([&] { return telegram.pending_update_count() == 0; }, 10s);
  std::this_thread::sleep_for(500ms);
  server.terminate();
  auto code = server.wait(30s);
  auto stored = read_store(dir, clock);

  std::size_t results = 0, updates = 0, webhook_failures = 0, api_errors = 0;
  for (const auto& r : riders)
    for (const auto& m : telegram.bot_messages(r.user.id))
      results += m.from_bot && result_kind(m.kind);
  for (const auto& d : telegram.deliveries()) (d.status == 200 ? updates : webhook_failures) += 1;
  std::map<std::string, int> error_kinds;
  std::size_t not_modified = 0;
  for (const auto& c : telegram.calls()) {
    if (c.status < 400) continue;
    // An edit to what the message already shows: harmless (the bot treats it as expected), but
    // a request spent for nothing, so counted on its own.
    if (c.description.find("message is not modified") != std::string::npos) {
      ++not_modified;
      continue;
    }
    ++api_errors;
    ++error_kinds[fmt::format("{} {} {}", c.method, c.status, c.description)];
  }
  const auto output = server.output();
  auto log_lines = [&](std::string_view level) {  // "<ts> LEVEL event key=value…"
    std::size_t n = 0;
    for (std::size_t at = 0; (at = output.find(level, at)) != std::string::npos; ++at) ++n;
    return n;
  };
  const auto error_lines = log_lines(" ERROR ");
  const auto warn_lines = log_lines(" WARN ");

  const int expected = users_n * journeys;
  const double seconds = window_ms / 1000.0;
  const auto done = static_cast<double>(driver.latencies_ms.size());
  std::printf(
      "| users | journeys each | journeys | journeys/s | p50 ms | p99 ms | max ms | updates | "
      "updates/s | s | server CPU s (ms/journey) | fakes + driver CPU s |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  std::printf(
      "| %d | %d | %.0f | %.1f | %.0f | %.0f | %.0f | %zu | %.0f | %.1f | %.1f (%.0f) | %.1f |\n",
      users_n, journeys, done, done / seconds, percentile(driver.latencies_ms, 0.50),
      percentile(driver.latencies_ms, 0.99), percentile(driver.latencies_ms, 1.0), updates,
      static_cast<double>(updates) / seconds, seconds, server_cpu,
      done > 0 ? server_cpu * 1000.0 / done : 0.0, own_cpu);
  std::printf("\n");
  auto state = [&](const char* s) {
    auto it = stored.jobs_by_state.find(s);
    return it == stored.jobs_by_state.end() ? std::int64_t{0} : it->second;
  };
  std::int64_t jobs_total = 0;
  for (const auto& [s, n] : stored.jobs_by_state) jobs_total += n;
  const bool exact = incomplete == 0 && results == static_cast<std::size_t>(expected) &&
                     jobs_total == expected && state("delivered") == expected &&
                     stored.captures == expected && stored.holds == expected &&
                     stored.ledger_problems == 0 && stored.inbox_not_done == 0 &&
                     webhook_failures == 0 && api_errors == 0 && error_lines == 0 && code == 0;
  std::printf("| check | expected | got |\n|---|---|---|\n");
  std::printf("| users who did not finish | 0 | %ld |\n", static_cast<long>(incomplete));
  std::printf("| results received by the fake Bot API | %d | %zu |\n", expected, results);
  std::printf("| jobs (all delivered) | %d | %lld (%lld delivered) |\n", expected,
              static_cast<long long>(jobs_total), static_cast<long long>(state("delivered")));
  std::printf("| ledger holds / captures | %d / %d | %lld / %lld |\n", expected, expected,
              static_cast<long long>(stored.holds), static_cast<long long>(stored.captures));
  std::printf("| ledger verify problems | 0 | %lld |\n",
              static_cast<long long>(stored.ledger_problems));
  std::printf("| updates not done in the inbox | 0 | %lld |\n",
              static_cast<long long>(stored.inbox_not_done));
  std::printf("| webhook deliveries not 200 | 0 | %zu |\n", webhook_failures);
  std::printf("| Bot API calls answered with an error | 0 | %zu |\n", api_errors);
  std::printf(
      "| edits answered \"message is not modified\" (expected; not counted as errors) | — | %zu "
      "|\n",
      not_modified);
  std::printf("| ERROR lines in the server's log | 0 | %zu |\n", error_lines);
  std::printf("| WARN lines in the server's log (not counted as failures) | — | %zu |\n",
              warn_lines);
  std::printf("| server exit code after SIGTERM | 0 | %d |\n", code ? *code : -1);
  std::printf("\nEvery journey completed exactly once: **%s**\n", exact ? "yes" : "NO");
  for (const auto& [what, n] : error_kinds) std::printf("\n- %d × `%s`", n, what.c_str());
  if (!error_kinds.empty()) std::printf("\n");
  if (error_lines + warn_lines > 0) {
    std::printf("\nServer log (last 2000 bytes):\n\n```\n%s\n```\n",
                output.substr(output.size() > 2000 ? output.size() - 2000 : 0).c_str());
  }

  io.run<void>([&]() -> Task<void> {
    co_await kie.stop();
    co_await telegram.stop();
  });
  return exact ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr,
                 "usage: bench_journeys <kiebot binary> <users> <journeys per user> [slug]\n");
    return 1;
  }
  return run(argv[1], std::atoi(argv[2]), std::atoi(argv[3]),
             argc > 4 ? argv[4] : std::string("m-google-imagen4-ultra"));
}
