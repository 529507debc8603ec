#include "domain/ledger_rules.hpp"

#include <gtest/gtest.h>

namespace kb::domain {
namespace {

TEST(LedgerRules, OneSettlementKeyPerJobDistinctFromTheHold) {
  EXPECT_EQ(settlement_key(7), "job:7:settle");
  EXPECT_NE(hold_key(7), settlement_key(7));
  EXPECT_NE(settlement_key(7), settlement_key(8));
}

TEST(LedgerRules, KeysNameTheirSourceEvent) {
  EXPECT_EQ(stars_topup_key("stx1"), "stars:stx1");
  EXPECT_EQ(stars_refund_key("stx1"), "stars_refund:stx1");
  EXPECT_EQ(manual_topup_key(3), "manual:3");
  EXPECT_EQ(welcome_bonus_key(42), "welcome:42");
  EXPECT_EQ(referral_reward_key(43), "referral:43");
  EXPECT_EQ(admin_adjustment_key(5), "admin:5");
  EXPECT_EQ(legacy_import_key("wallet:9"), "legacy:wallet:9");
}

}  // namespace
}  // namespace kb::domain
