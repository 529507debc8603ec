// Outbound pacing against Telegram's limits: the real `kiebot serve` (webhook mode, SQLite, the
// production pacing settings) against the fake Bot API with flood control at Telegram's limits
// (30 messages/s for the bot with a burst of 30, 1/s per chat with a burst of 3, 20/min per
// group). An admin broadcasts to N users through the admin panel, and at the same moment one user
// sends K commands at once, each answered with a new message (a burst to one chat). The fake
// records the arrival time of every send; from those: the achieved rate, the most sends in any
// sliding 1 s window overall and per chat, and the 429s its flood control answered.
// Usage: bench_pacing <kiebot binary> <recipients> <burst commands>
// Prints Markdown: the overall figures, then the per-chat figures.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "bot/i18n.hpp"
#include "core/clock.hpp"
#include "core/log.hpp"
#include "net/http_client.hpp"
#include "sandbox/fake_telegram/fake_telegram.hpp"
#include "store/open.hpp"
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
using kb::test::must;

constexpr const char* kText = "Big news: the studio has new models";

// The most of the sorted times (ms) inside any window [t, t + width_ms).
std::size_t max_in_window(const std::vector<std::int64_t>& t, std::int64_t width_ms) {
  std::size_t best = 0;
  for (std::size_t i = 0, j = 0; i < t.size(); ++i) {
    while (j < t.size() && t[j] < t[i] + width_ms) ++j;
    best = std::max(best, j - i);
  }
  return best;
}

// Sends per second over a span: (n - 1 - skip) intervals over the time from send `skip` to the
// last (skip: the sends a full bucket lets through at once).
double rate_per_second(const std::vector<std::int64_t>& t, std::size_t skip = 0) {
  if (t.size() < skip + 2 || t.back() == t[skip]) return 0;
  return static_cast<double>(t.size() - 1 - skip) * 1000.0 /
         static_cast<double>(t.back() - t[skip]);
}

int run(const std::string& binary, int recipients, int burst) {
  log::configure(log::Level::warn, log::Format::text);  // this process's fake and database
  const test::TempDir data("kiebot-bench-pacing-");
  const auto& dir = data.path();
  test::IoThread io(2);
  net::HttpClient http;
  SystemClock clock;
  sandbox::FakeTelegramOptions tgo;  // the default RateLimits are Telegram's
  sandbox::FakeTelegram telegram(io.io(), http, tgo);
  must(telegram.start());
  const auto limits = tgo.limits;
  auto texts = must(bot::Texts::load(""));

  test::SimChat admin, talker;
  admin.user = telegram.make_user("Boss", "en");
  talker.user = telegram.make_user("Talker", "en");
  std::vector<sandbox::tg::User> known{talker.user};
  for (int i = 0; i < recipients - 1; ++i)
    known.push_back(telegram.make_user(fmt::format("U{}", i), "en"));
  {
    store::DatabaseOptions o;
    o.data_dir = dir.string();
    auto db = must(store::open_database(o, clock, nullptr));
    must(test::seed_known_users(*db, known, clock.now_ms()));
  }

  const auto port = store::test::free_tcp_port();
  auto env = test::serve_env(telegram, nullptr, port, dir, "bench-pacing-webhook-secret");
  env["ADMIN_IDS"] = std::to_string(admin.user.id);
  store::test::ChildProcess server({binary, "serve"}, env);
  if (!store::test::wait_ready(port)) {
    std::fprintf(stderr, "bench_pacing: kiebot did not become ready\n%s\n",
                 server.output().c_str());
    return 1;
  }

  if (auto missing = test::broadcast_via_panel(telegram, texts, admin, kText)) {
    std::fprintf(stderr, "bench_pacing: no %s\n%s\n", missing->c_str(), server.output().c_str());
    return 1;
  }
  const auto confirmed_ms = clock.now_ms();
  for (int i = 0; i < burst; ++i) telegram.send_command(talker.user, "help");
  // Done: the admin's final report, and the talker's answers and copy all sent (screens the bot
  // deleted afterwards count: they were sent).
  const auto budget = std::chrono::seconds(30 + (recipients + burst) / 10);
  const bool finished =
      telegram.wait_until([&] { return test::bot_said(telegram, admin, "finished."); }, budget);
  const bool answered = telegram.wait_until(
      [&] {
        auto all = telegram.messages(talker.user.id, true);
        return std::count_if(all.begin(), all.end(), [](const auto& m) { return m.from_bot; }) >
               burst;
      },
      30s);
  server.terminate();
  auto code = server.wait(30s);

  // Every message send the fake received: arrival times per chat and overall.
  std::vector<std::int64_t> all, copies;
  std::vector<std::int64_t> copy_chats;  // in the order of `copies` (the call log's order)
  std::map<std::int64_t, std::vector<std::int64_t>> per_chat;
  std::size_t refused = 0, other_errors = 0;
  for (const auto& c : telegram.calls()) {
    if (c.status == 429) ++refused;
    if (!c.message_send) continue;
    if (c.status != 200) {
      other_errors += c.status != 429;
      continue;
    }
    all.push_back(c.at_ms);
    per_chat[std::stoll(c.param("chat_id"))].push_back(c.at_ms);
    // A copy (the admin's preview came before the confirmation).
    if (c.method == "sendMessage" && c.param("text") == kText && c.at_ms >= confirmed_ms) {
      copies.push_back(c.at_ms);
      copy_chats.push_back(std::stoll(c.param("chat_id")));
    }
  }
  std::sort(all.begin(), all.end());
  // The longest wait between two consecutive copies, and whose copy ended it.
  std::int64_t pause_ms = 0, pause_chat = 0;
  for (std::size_t i = 1; i < copies.size(); ++i)
    if (copies[i] - copies[i - 1] > pause_ms) {
      pause_ms = copies[i] - copies[i - 1];
      pause_chat = copy_chats[i];
    }
  std::sort(copies.begin(), copies.end());
  std::vector<std::int64_t> in_broadcast;
  for (auto t : all)
    if (!copies.empty() && t >= copies.front() && t <= copies.back()) in_broadcast.push_back(t);
  // Sends in each whole second of the broadcast.
  std::vector<int> per_second;
  if (copies.size() > 1) {
    const auto seconds = (copies.back() - copies.front()) / 1000;
    per_second.assign(static_cast<std::size_t>(seconds), 0);
    for (auto t : in_broadcast) {
      auto s = static_cast<std::size_t>((t - copies.front()) / 1000);
      if (s < per_second.size()) ++per_second[s];
    }
  }
  const auto timeline = fmt::format("{}", fmt::join(per_second, " "));
  std::sort(per_second.begin(), per_second.end());

  const double rate = rate_per_second(in_broadcast);
  const auto max_1s = max_in_window(all, 1000);
  const double global_limit = limits.global_per_second;
  std::printf(
      "| recipients | copies sent | message sends in the broadcast | broadcast s | achieved /s | "
      "limit /s | achieved / limit | sends per whole second min / median / max | most in any 1 s | "
      "most in 1 s / limit | 429s | early sends | report | exit |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  std::printf(
      "| %d | %zu | %zu | %.1f | %.2f | %.0f | %.3f | %s | %zu | %.2f | %zu | %zu | %s | %d |\n",
      recipients + 1, copies.size(), in_broadcast.size(),
      copies.size() > 1 ? static_cast<double>(copies.back() - copies.front()) / 1000.0 : 0.0, rate,
      global_limit, rate / global_limit,
      per_second.empty() ? "—"
                         : fmt::format("{} / {} / {}", per_second.front(),
                                       per_second[per_second.size() / 2], per_second.back())
                               .c_str(),
      max_1s, static_cast<double>(max_1s) / global_limit, refused, telegram.early_retries(),
      finished ? "received" : "**missing**", code ? *code : -1);
  std::printf("\nSends in each whole second of the broadcast, in order: %s\n", timeline.c_str());
  const char* whose = pause_chat == admin.user.id    ? " (the admin's own copy)"
                      : pause_chat == talker.user.id ? " (the bursting user's copy)"
                                                     : "";
  std::printf(
      "\nLongest pause between two consecutive copies: %lld ms, before the copy to chat "
      "%lld%s.\n\n",
      static_cast<long long>(pause_ms), static_cast<long long>(pause_chat), whose);

  // Per chat: the talker's burst, and the busiest other chat.
  std::int64_t busiest = 0;
  std::size_t busiest_max = 0;
  for (const auto& [chat, times] : per_chat) {
    if (chat == talker.user.id) continue;
    auto m = max_in_window(times, 1000);
    if (m > busiest_max) {
      busiest = chat;
      busiest_max = m;
    }
  }
  const auto chat_burst = static_cast<std::size_t>(limits.chat_burst);
  std::printf(
      "| chat | message sends | over s | achieved /s | after the first %zu (the burst) /s | limit "
      "/s | achieved after the burst / limit | most in any 1 s | allowed in 1 s (burst %.0f + "
      "%.0f/s) |\n",
      chat_burst, limits.chat_burst, limits.chat_per_second);
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  auto chat_row = [&](const std::string& name, std::int64_t chat) {
    const auto& t = per_chat[chat];
    const double steady = rate_per_second(t, chat_burst - 1);
    std::printf("| %s | %zu | %.1f | %.2f | %.2f | %.0f | %.2f | %zu | %.0f |\n", name.c_str(),
                t.size(), t.size() > 1 ? static_cast<double>(t.back() - t.front()) / 1000.0 : 0.0,
                rate_per_second(t), steady, limits.chat_per_second, steady / limits.chat_per_second,
                max_in_window(t, 1000), limits.chat_burst + limits.chat_per_second);
  };
  chat_row(fmt::format("burst: {} × /help and the copy", burst), talker.user.id);
  if (busiest != 0)
    chat_row(busiest == admin.user.id ? "busiest other (the admin's)" : "busiest other", busiest);
  std::printf(
      "\nGroups (20 messages/min): not driven — the bot answers in private chats only and "
      "broadcasts go to users.\n");
  std::printf(
      "\nMost sends in any 1 s window over all chats: %zu (per chat, max over %zu chats: "
      "%zu). Other send errors: %zu. Talker answered in time: %s.\n",
      max_1s, per_chat.size(), std::max(busiest_max, max_in_window(per_chat[talker.user.id], 1000)),
      other_errors, answered ? "yes" : "**no**");

  io.run<void>([&]() -> Task<void> { co_await telegram.stop(); });
  return finished && answered && refused == 0 ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: bench_pacing <kiebot binary> <recipients> <burst commands>\n");
    return 1;
  }
  return run(argv[1], std::atoi(argv[2]), std::atoi(argv[3]));
}
