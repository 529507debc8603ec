// `kiebot import-legacy` with the real binary: an old-schema PostgreSQL database with sample rows
// is moved into a fresh kiebot database (SQLite and PostgreSQL); balances match to the kopeck, a
// second run changes nothing, and `kiebot ledger verify` passes.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "support/child_process.hpp"
#include "../store/store_fixture.hpp"
#include "legacy_schema.hpp"

namespace kb::legacy::test {
namespace {

using store::test::ChildProcess;

struct RunResult {
  std::optional<int> code;
  std::string output;
};

// Counts that any write would change.
struct Footprint {
  std::int64_t users = 0, entries = 0, referrals = 0, rewarded = 0;
  bool operator==(const Footprint&) const = default;
};

class ImportLegacyTest : public store::test::StoreTest {
 protected:
  void SetUp() override {
    KB_REQUIRE_PG_OR_SKIP();  // the old database is always PostgreSQL
    StoreTest::SetUp();
    if (IsSkipped()) return;
    legacy_ = std::make_unique<kb::test::PgTestDatabase>(*kb::test::pg_admin_url());
    legacy_->exec(kLegacySchema);
    legacy_->exec(kLegacyRows);
  }

  RunResult kiebot(std::vector<std::string> args) {
    auto binary = store::test::kiebot_binary();
    if (!binary) return {std::nullopt, "KIEBOT_BINARY is not set"};
    args.insert(args.begin(), *binary);
    std::map<std::string, std::string> env{{"DATABASE_URL", options().url}, {"LOG_LEVEL", "warn"}};
    ChildProcess child(args, env);
    auto code = child.wait(std::chrono::seconds(60));
    return {code, child.output()};
  }
  RunResult import(bool dry_run) {
    std::vector<std::string> args{"import-legacy", "--from", legacy_->url()};
    if (dry_run) args.push_back("--dry-run");
    close();  // SQLite: the binary takes the instance lock
    auto r = kiebot(args);
    reopen();
    return r;
  }

  Footprint footprint() {
    return must_run<Footprint>([](store::Tx& tx) -> Result<Footprint> {
      auto count = [&](const char* sql) -> Result<std::int64_t> {
        auto rows = KB_TRY(tx.connection().query(sql));
        return rows.front().i64(0);
      };
      Footprint f;
      f.users = KB_TRY(count("SELECT count(*) FROM users"));
      f.entries = KB_TRY(count("SELECT count(*) FROM ledger_entries"));
      f.referrals = KB_TRY(count("SELECT count(*) FROM referrals"));
      f.rewarded = KB_TRY(count("SELECT count(*) FROM referrals WHERE rewarded_at IS NOT NULL"));
      return f;
    });
  }
  store::Balance balance(std::int64_t user) {
    return must_run<store::Balance>([&](store::Tx& tx) { return tx.ledger().balance(user); });
  }
  store::User user(std::int64_t id) {
    auto u =
        must_run<std::optional<store::User>>([&](store::Tx& tx) { return tx.users().get(id); });
    if (!u) throw std::runtime_error("user " + std::to_string(id) + " was not imported");
    return *u;
  }
  std::optional<store::Referral> referral(std::int64_t invited) {
    return must_run<std::optional<store::Referral>>(
        [&](store::Tx& tx) { return tx.referrals().get(invited); });
  }

  std::unique_ptr<kb::test::PgTestDatabase> legacy_;
};
KB_STORE_BACKENDS(ImportLegacyTest);

TEST_P(ImportLegacyTest, DryRunPrintsThePlanAndWritesNothing) {
  if (!store::test::kiebot_binary()) GTEST_SKIP() << "KIEBOT_BINARY is not set";
  auto before = footprint();
  auto r = import(true);
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("user 1001: opening balance 150.75 RUB"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("user 1002 (admin): opening balance 10.15 RUB"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("8 users, 3 opening balances totalling 260.89 RUB, 3 referrals"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("dry run, nothing written"), std::string::npos) << r.output;
  EXPECT_EQ(footprint(), before);
}

TEST_P(ImportLegacyTest, ImportsUsersBalancesAndReferralsOnceAndTheLedgerVerifies) {
  if (!store::test::kiebot_binary()) GTEST_SKIP() << "KIEBOT_BINARY is not set";
  auto first = import(false);
  ASSERT_EQ(first.code, 0) << first.output;

  // Balances to the kopeck; held money of the stopped old bot is available again.
  EXPECT_EQ(balance(1001), (store::Balance{150'75, 0}));
  EXPECT_EQ(balance(1002), (store::Balance{10'15, 0}));
  EXPECT_EQ(balance(1005), (store::Balance{99'99, 0}));
  for (std::int64_t id : {1003, 1004, 1006, 1007, 1008}) EXPECT_EQ(balance(id).total(), 0) << id;

  auto entry = must_run<std::optional<store::LedgerEntry>>(
      [](store::Tx& tx) { return tx.ledger().find_by_key("legacy:opening:1001"); });
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->kind, store::LedgerKind::opening_balance);
  EXPECT_EQ(entry->amount, 150'75);
  ASSERT_TRUE(entry->note);
  EXPECT_NE(entry->note->find("wallets.balance_rub=150.75"), std::string::npos) << *entry->note;
  EXPECT_NE(entry->note->find(legacy_->name()), std::string::npos) << *entry->note;

  // Profiles, roles and languages.
  auto anna = user(1001);
  EXPECT_EQ(anna.username, "anna");
  EXPECT_EQ(anna.first_name, "Анна");
  EXPECT_EQ(anna.last_name, "Петрова");
  EXPECT_EQ(anna.language, "ru");
  EXPECT_EQ(user(1002).role, store::Role::admin);
  EXPECT_EQ(user(1002).language, "en");
  EXPECT_TRUE(user(1005).banned);
  EXPECT_FALSE(user(1001).banned);
  EXPECT_EQ(user(1006).language, std::nullopt);  // "de": the user chooses again
  EXPECT_EQ(user(1003).first_name, "");

  // Referrals: valid ones attached; already-paying invitees count as rewarded; self, unknown and
  // junk referrers are skipped.
  ASSERT_TRUE(referral(1003));
  EXPECT_EQ(referral(1003)->referrer_id, 1001);
  EXPECT_FALSE(referral(1003)->rewarded_at);
  ASSERT_TRUE(referral(1004));
  EXPECT_TRUE(referral(1004)->rewarded_at);
  ASSERT_TRUE(referral(1007));
  EXPECT_EQ(referral(1007)->referrer_id, 1002);
  EXPECT_FALSE(referral(1005));
  EXPECT_FALSE(referral(1006));
  EXPECT_FALSE(referral(1008));
  EXPECT_NE(first.output.find("users 8 created"), std::string::npos) << first.output;

  // A second run changes nothing.
  auto after_first = footprint();
  EXPECT_EQ(after_first, (Footprint{8, 3, 3, 1}));
  auto second = import(false);
  ASSERT_EQ(second.code, 0) << second.output;
  EXPECT_NE(
      second.output.find("users 0 created, 8 already present; opening balances 0 credited "
                         "(0 RUB), 3 already present; referrals 0 attached, 3 already present"),
      std::string::npos)
      << second.output;
  EXPECT_EQ(footprint(), after_first);
  EXPECT_EQ(balance(1001), (store::Balance{150'75, 0}));

  close();
  auto verify = kiebot({"ledger", "verify"});
  reopen();
  EXPECT_EQ(verify.code, 0) << verify.output;
  EXPECT_NE(verify.output.find("ledger verify: ok: 8 users, 260.89 RUB in wallets "
                               "(opening_balance 260.89)"),
            std::string::npos)
      << verify.output;
}

TEST_P(ImportLegacyTest, ABalanceThatIsNotMoneyStopsTheImportBeforeAnyWrite) {
  if (!store::test::kiebot_binary()) GTEST_SKIP() << "KIEBOT_BINARY is not set";
  // NUMERIC(12,2) cannot hold a bad amount, but an old database altered to NUMERIC can.
  legacy_->exec(
      "ALTER TABLE wallets ALTER COLUMN balance_rub TYPE NUMERIC;"
      "UPDATE wallets SET balance_rub = 1.005 WHERE user_id = 1001");
  auto before = footprint();
  auto r = import(false);
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("user 1001: wallets.balance_rub = '1.005' is not a ruble amount"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(footprint(), before);
}

TEST_P(ImportLegacyTest, ADatabaseWithoutTheOldSchemaIsRefused) {
  if (!store::test::kiebot_binary()) GTEST_SKIP() << "KIEBOT_BINARY is not set";
  legacy_->exec("DROP TABLE wallets CASCADE");
  auto r = import(false);
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("does not look like the Python bot's schema"), std::string::npos)
      << r.output;
}

}  // namespace
}  // namespace kb::legacy::test
