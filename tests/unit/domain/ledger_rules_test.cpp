#include "domain/ledger_rules.hpp"

#include <gtest/gtest.h>

namespace kb::domain {
namespace {

TEST(LedgerRules, HoldCaptureReleaseKeepTotalsConsistent) {
  auto hold = hold_for_job(7, 500);
  EXPECT_EQ(hold.amount, 0);
  EXPECT_EQ(hold.held_delta, 500);
  auto capture = capture_for_job(7, 500);
  EXPECT_EQ(capture.amount, -500);
  EXPECT_EQ(capture.held_delta, -500);
  auto release = release_for_job(7, 500);
  EXPECT_EQ(release.amount, 0);
  EXPECT_EQ(release.held_delta, -500);
  // One settlement per job: capture and release share the key.
  EXPECT_EQ(capture.idempotency_key, release.idempotency_key);
  EXPECT_NE(hold.idempotency_key, capture.idempotency_key);
}

TEST(LedgerRules, KeysIdentifyTheSourceEvent) {
  EXPECT_EQ(stars_topup("stx1", 100).idempotency_key, "stars:stx1");
  EXPECT_EQ(stars_refund("stx1", 100).amount, -100);
  EXPECT_EQ(manual_topup(3, 1).idempotency_key, "manual:3");
  EXPECT_EQ(welcome_bonus(42, 1).idempotency_key, "welcome:42");
  EXPECT_EQ(referral_reward(43, 1).idempotency_key, "referral:43");
  for (auto k : {EntryKind::hold, EntryKind::capture, EntryKind::stars_refund, EntryKind::legacy_import})
    EXPECT_EQ(parse_entry_kind(to_string(k)), k);
}

}  // namespace
}  // namespace kb::domain
