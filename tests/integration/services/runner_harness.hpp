// A jobs runner wired to real fakes: SQLite file, fake Bot API, fake KIE, real HTTP on loopback,
// driven step by step with a fake clock.
#pragma once

#include <filesystem>
#include <memory>

#include <gtest/gtest.h>

#include "bot/i18n.hpp"
#include "bot/job_presenter.hpp"
#include "catalog/holder.hpp"
#include "kie/callback_route.hpp"
#include "kie/callback_verifier.hpp"
#include "kie/create_budget.hpp"
#include "kie/kie_client.hpp"
#include "sandbox/fake_kie/fake_kie.hpp"
#include "sandbox/fake_telegram/fake_telegram.hpp"
#include "services/jobs/confirm.hpp"
#include "services/jobs/runner.hpp"
#include "services/outbox/outbox_sender.hpp"
#include "store/open.hpp"
#include "support/async_test.hpp"
#include "telegram/client.hpp"

namespace kb::test {

// Links pass through; "kbmedia:" references are not used by these tests.
class PassThroughMedia final : public services::MediaResolver {
 public:
  Task<Result<std::vector<std::string>>> resolve(std::vector<std::string> refs) override { co_return refs; }
};

class RecordingLinks final : public services::ResultLinks {
 public:
  std::string link_for(std::string_view url, std::string_view) override {
    return "https://bot.example/media/r/signed-" + std::to_string(std::hash<std::string_view>{}(url));
  }
};

class NoSleep final : public kie::Sleeper {
 public:
  Task<void> sleep(std::chrono::milliseconds) override { co_return; }
};

struct RunnerHarnessOptions {
  // Serve the callback endpoint on loopback and give its URL to the provider; otherwise polling only.
  bool callbacks = false;
  domain::PollPolicy poll;
  std::string owner = "test-runner";
  // Share another harness's database file (two instances on one database).
  std::string database_url;
};

class RunnerHarness {
 public:
  explicit RunnerHarness(RunnerHarnessOptions options = {});
  ~RunnerHarness();

  // A user with `kopecks` on the balance; returns the Telegram user (id == chat id).
  sandbox::tg::User user_with_balance(Kopecks kopecks);
  // Confirms `model_id` with `values` for the user, as the confirm button would.
  services::ConfirmResult confirm(const sandbox::tg::User& user, const std::string& model_id,
                                  catalog::InputValues values, std::string key = "");
  // Runs the runner and advances the clock by `step` until `done()` or `max_steps`.
  bool run_until(const std::function<bool()>& done, int max_steps = 200,
                 std::chrono::milliseconds step = std::chrono::milliseconds(1000));
  // Another runner instance (own connection pool, own lease owner) on the same database and fakes.
  struct Instance {
    std::unique_ptr<store::Database> db;
    std::unique_ptr<services::JobRunner> runner;
  };
  Instance another_instance(const std::string& owner);
  store::Job job(std::int64_t id);
  store::Balance balance(std::int64_t user_id);
  std::vector<store::Delivery> deliveries(std::int64_t job_id);

  FakeClock clock;
  IoThread io{2};
  net::HttpClient http;
  std::unique_ptr<sandbox::FakeTelegram> telegram;
  std::unique_ptr<sandbox::FakeKie> kie;
  std::unique_ptr<store::Database> db;
  std::unique_ptr<telegram::BotClient> bot;
  std::unique_ptr<kie::LocalCreateBudget> budget;
  NoSleep sleeper;
  std::unique_ptr<kie::KieClient> kie_client;
  std::unique_ptr<catalog::CatalogHolder> catalog;
  std::unique_ptr<bot::Texts> texts;
  std::unique_ptr<bot::TextJobPresenter> presenter;
  PassThroughMedia media;
  RecordingLinks links;
  std::unique_ptr<services::OutboxSender> outbox;  // before the runner, which sends through it
  std::unique_ptr<services::JobRunner> runner;
  services::FreeTierSettings free;
  // With callbacks: the endpoint the provider calls back.
  net::Router callback_router;
  std::unique_ptr<kie::CallbackVerifier> verifier;
  std::unique_ptr<TestServer> callback_server;
  std::string database_url;

 private:
  std::filesystem::path dir_;
  bool callbacks_ = false;
  services::RunnerOptions runner_options_;
  int next_key_ = 1;
};

}  // namespace kb::test
