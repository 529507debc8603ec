// The whole bot on real fakes, driven step by step: fake Bot API (simulated users), the durable
// intake → dispatcher → ConversationHandler → outbox pipeline, the jobs runner against the fake
// provider, the media proxy on a loopback server, SQLite, and one FakeClock.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "bot/conversation/conversation_handler.hpp"
#include "bot/i18n.hpp"
#include "bot/job_presenter.hpp"
#include "bot/state.hpp"
#include "catalog/holder.hpp"
#include "kie/create_budget.hpp"
#include "kie/kie_client.hpp"
#include "net/router.hpp"
#include "sandbox/fake_kie/fake_kie.hpp"
#include "sandbox/fake_telegram/fake_telegram.hpp"
#include "services/dispatcher/dispatcher.hpp"
#include "services/jobs/runner.hpp"
#include "services/media/media_proxy.hpp"
#include "services/media/media_token.hpp"
#include "services/media/proxy_resolver.hpp"
#include "services/outbox/outbox_sender.hpp"
#include "store/open.hpp"
#include "support/async_test.hpp"
#include "telegram/client.hpp"
#include "telegram/intake/update_intake.hpp"

namespace kb::test {

struct BotHarnessOptions {
  int free_daily_limit = 5;
  bool rate_limits = false;  // USER_RATE_* as configured below when true; effectively off otherwise
  domain::BucketConfig rate{30, 20};
  // MANUAL_TOPUP_DETAILS (empty: bank transfers off); admins are set in settings.money.manual.
  std::string transfer_details = "Card 2202 2000 0000 0000, Ivan I.";
  std::filesystem::path dir;  // empty: a fresh temporary directory (removed at the end)
  std::string database_url;    // empty: SQLite in `dir` (e.g. a PostgreSQL test database)
};

class BotHarness {
 public:
  explicit BotHarness(BotHarnessOptions options = {});
  ~BotHarness();

  sandbox::tg::User user(std::string name = "Alice", std::string language = "ru",
                         Kopecks balance = 0);
  void top_up(const sandbox::tg::User& user, Kopecks amount);

  // Stores every update the fake produced since the last call (through the real intake), runs
  // the dispatcher until idle and sends the outbox; repeats while new updates appear.
  void pump();

  // The user's actions, each followed by pump().
  void command(const sandbox::tg::User& user, const std::string& command,
               const std::string& args = "");
  void text(const sandbox::tg::User& user, const std::string& text);
  // Presses the button with this exact text on the newest bot message that has it.
  void press(const sandbox::tg::User& user, const std::string& button_text);
  // Presses the button whose text contains `fragment`.
  void press_containing(const sandbox::tg::User& user, const std::string& fragment);
  void press_data(const sandbox::tg::User& user, std::int64_t message_id, const std::string& data);

  // The newest bot message with an inline keyboard (the current screen).
  std::optional<sandbox::tg::MessageView> screen(const sandbox::tg::User& user) const;
  std::optional<sandbox::tg::MessageView> last(const sandbox::tg::User& user) const;
  bot::ConversationState state(const sandbox::tg::User& user);
  std::string screen_id(const sandbox::tg::User& user) { return state(user).screen; }

  // Runs the jobs runner (and the fakes' clocks) until `done` or `max_steps`.
  bool run_jobs_until(const std::function<bool()>& done, int max_steps = 300);
  // Every job of the user, newest first.
  std::vector<store::Job> jobs(const sandbox::tg::User& user);
  store::Balance balance(const sandbox::tg::User& user);
  // Runs the runner until the user's newest job is delivered (true) or failed/expired.
  bool deliver_latest(const sandbox::tg::User& user);

  std::string t(bot::Lang lang, std::string_view key, const bot::TextParams& params = {}) const {
    return texts->get(lang, key, params);
  }

  BotHarnessOptions options;
  FakeClock clock;
  IoThread io{2};
  net::HttpClient http;
  std::unique_ptr<sandbox::FakeTelegram> telegram;
  std::unique_ptr<sandbox::FakeKie> kie;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<telegram::BotClient> bot;
  std::unique_ptr<kie::LocalCreateBudget> budget;
  std::unique_ptr<kie::KieClient> kie_client;
  std::unique_ptr<catalog::CatalogHolder> catalog;
  std::unique_ptr<bot::Texts> texts;
  std::unique_ptr<bot::TextJobPresenter> presenter;
  std::unique_ptr<services::MediaTokenSigner> signer;
  std::unique_ptr<services::MediaProxy> proxy;
  net::Router router;
  std::unique_ptr<TestServer> server;
  std::unique_ptr<services::ProxyMediaResolver> resolver;
  std::unique_ptr<services::ResultLinks> links;
  std::unique_ptr<services::JobRunner> runner;
  std::unique_ptr<services::OutboxSender> outbox;
  bot::BotSettings settings;
  std::unique_ptr<bot::ConversationHandler> handler;
  std::unique_ptr<services::Dispatcher> dispatcher;
  std::unique_ptr<telegram::UpdateIntake> intake;

 private:
  void ingest();
  std::filesystem::path dir_;
  bool own_dir_ = false;
  std::int64_t last_update_id_ = 0;
};

}  // namespace kb::test
