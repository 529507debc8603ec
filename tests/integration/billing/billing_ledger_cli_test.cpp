// `kiebot ledger verify` with the real binary on both backends: a consistent ledger → one summary
// line and exit 0; a wallet that disagrees with its entries → the offending user and exit 1.
#include <unistd.h>

#include <filesystem>

#include "support/child_process.hpp"
#include "billing_fixture.hpp"
#include "services/billing/ledger_verify.hpp"

namespace kb::billing::test {
namespace {

using store::test::ChildProcess;

class LedgerCliTest : public BillingTest {
 protected:
  std::pair<std::optional<int>, std::string> verify_with_binary() {
    auto binary = store::test::kiebot_binary();
    if (!binary) return {std::nullopt, "KIEBOT_BINARY is not set"};
    std::map<std::string, std::string> env{{"DATABASE_URL", options().url}, {"LOG_LEVEL", "warn"}};
    ChildProcess child({*binary, "ledger", "verify"}, env);
    auto code = child.wait(std::chrono::seconds(30));
    return {code, child.output()};
  }
};
KB_STORE_BACKENDS(LedgerCliTest);

TEST_P(LedgerCliTest, ReportsAConsistentLedgerAndFindsACorruptedWallet) {
  if (!store::test::kiebot_binary()) GTEST_SKIP() << "KIEBOT_BINARY is not set";
  add_user(1);
  add_user(2);
  credit(1, 150'00, "topup:1");
  credit(2, 20'50, "topup:2");
  must_run<store::ApplyResult>([&](store::Tx& tx) {
    return tx.ledger().apply(store::LedgerEntryDraft::hold(1, 50'00, "job:1:hold"), now());
  });
  // Read while this process still has the database open (SQLite: the live server's lock).
  auto [ok_code, ok_out] = verify_with_binary();
  EXPECT_EQ(ok_code, 0) << ok_out;
  EXPECT_NE(ok_out.find("ledger verify: ok: 2 users, 170.50 RUB in wallets (topup 170.50)"),
            std::string::npos)
      << ok_out;

  must_run<std::int64_t>([](store::Tx& tx) {
    return tx.connection().exec("UPDATE wallets SET available = available + 1 WHERE user_id = 2");
  });
  auto [bad_code, bad_out] = verify_with_binary();
  EXPECT_EQ(bad_code, 1) << bad_out;
  EXPECT_NE(bad_out.find("user 2: wallet available=2051 held=0 but entries say total=2050 held=0"),
            std::string::npos)
      << bad_out;
  EXPECT_EQ(bad_out.find("user 1:"), std::string::npos) << bad_out;
  EXPECT_NE(bad_out.find("1 problem(s) found"), std::string::npos) << bad_out;
}

TEST_P(LedgerCliTest, TheReportInProcess) {
  add_user(1);
  credit(1, 10'00, "topup:1");
  must_run<store::ApplyResult>([&](store::Tx& tx) {
    return tx.ledger().apply(store::LedgerEntryDraft::adjustment(1, -2'50, "admin:1"), now());
  });
  auto report = must_run<services::LedgerReport>([](store::Tx& tx) { return services::verify_ledger(tx); });
  EXPECT_TRUE(report.problems.empty());
  EXPECT_EQ(report.in_wallets, 7'50);
  EXPECT_EQ(services::format_ledger_report(report),
            "ledger verify: ok: 1 users, 7.50 RUB in wallets (topup 10, adjustment -2.50)\n");
}

TEST(LedgerCli, AMissingDatabaseIsReportedNotCreated) {
  auto binary = store::test::kiebot_binary();
  if (!binary) GTEST_SKIP() << "KIEBOT_BINARY is not set";
  std::string path = "/tmp/kiebot-no-such-dir-" + std::to_string(::getpid()) + "/kiebot.db";
  ChildProcess child({*binary, "ledger", "verify"}, {{"DATABASE_URL", "sqlite://" + path}, {"LOG_LEVEL", "warn"}});
  EXPECT_EQ(child.wait(std::chrono::seconds(30)), 2) << child.output();
  EXPECT_NE(child.output().find("kiebot ledger verify:"), std::string::npos) << child.output();
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace kb::billing::test
