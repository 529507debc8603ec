// Ledger conformance: idempotency, funds, sign rules, verification, races (both backends).
#include <atomic>
#include <thread>

#include "store_fixture.hpp"

namespace kb::store::test {
namespace {

class LedgerTest : public StoreTest {
 protected:
  Result<ApplyResult> apply(const LedgerEntryDraft& e) {
    return run<ApplyResult>([&](Tx& tx) { return tx.ledger().apply(e, now()); });
  }
  Balance balance(std::int64_t user) {
    return must_run<Balance>([&](Tx& tx) { return tx.ledger().balance(user); });
  }
  std::vector<LedgerProblem> verify() {
    return must_run<std::vector<LedgerProblem>>([](Tx& tx) { return tx.ledger().verify(); });
  }
};
KB_STORE_BACKENDS(LedgerTest);

TEST_P(LedgerTest, CreditIsAppliedOncePerKey) {
  add_user(1);
  auto first = must(apply(LedgerEntryDraft::credit(LedgerKind::topup, 1, 10'000, "stars:abc")));
  EXPECT_TRUE(first.applied);
  EXPECT_EQ(first.balance_after, (Balance{10'000, 0}));
  auto again = must(apply(LedgerEntryDraft::credit(LedgerKind::topup, 1, 10'000, "stars:abc")));
  EXPECT_FALSE(again.applied);
  EXPECT_EQ(again.entry_id, first.entry_id);
  EXPECT_EQ(balance(1), (Balance{10'000, 0}));
  auto entries =
      must_run<std::vector<LedgerEntry>>([](Tx& tx) { return tx.ledger().entries(1, 10); });
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].kind, LedgerKind::topup);
  EXPECT_EQ(entries[0].amount, 10'000);
  EXPECT_EQ(entries[0].created_at, now());
  EXPECT_TRUE(verify().empty());
}

TEST_P(LedgerTest, SameKeyWithDifferentDetailsIsAConflict) {
  add_user(1);
  add_user(2);
  must(apply(LedgerEntryDraft::credit(LedgerKind::topup, 1, 500, "k1")));
  auto other_amount = apply(LedgerEntryDraft::credit(LedgerKind::topup, 1, 600, "k1"));
  ASSERT_FALSE(other_amount);
  EXPECT_EQ(other_amount.error().code, Errc::conflict);
  auto other_user = apply(LedgerEntryDraft::credit(LedgerKind::topup, 2, 500, "k1"));
  ASSERT_FALSE(other_user);
  EXPECT_EQ(other_user.error().code, Errc::conflict);
  EXPECT_EQ(balance(1), (Balance{500, 0}));
  EXPECT_EQ(balance(2), (Balance{0, 0}));
}

TEST_P(LedgerTest, HoldCaptureRelease) {
  add_user(1);
  credit(1, 1000, "topup");
  EXPECT_EQ(must(apply(LedgerEntryDraft::hold(1, 300, "hold:job1"))).balance_after,
            (Balance{700, 300}));
  EXPECT_EQ(must(apply(LedgerEntryDraft::hold(1, 200, "hold:job2"))).balance_after,
            (Balance{500, 500}));
  EXPECT_EQ(must(apply(LedgerEntryDraft::capture(1, 300, "capture:job1"))).balance_after,
            (Balance{500, 200}));
  EXPECT_EQ(must(apply(LedgerEntryDraft::release(1, 200, "release:job2"))).balance_after,
            (Balance{700, 0}));
  EXPECT_EQ(balance(1).total(), 700);
  EXPECT_TRUE(verify().empty());
}

TEST_P(LedgerTest, InsufficientFundsChangesNothing) {
  add_user(1);
  credit(1, 100, "topup");
  auto hold = apply(LedgerEntryDraft::hold(1, 101, "hold:big"));
  ASSERT_FALSE(hold);
  EXPECT_EQ(hold.error().code, Errc::insufficient_funds);
  auto capture = apply(LedgerEntryDraft::capture(1, 50, "capture:nothing-held"));
  ASSERT_FALSE(capture);
  EXPECT_EQ(capture.error().code, Errc::insufficient_funds);
  auto take = apply(LedgerEntryDraft::adjustment(1, -101, "adjust:too-much"));
  ASSERT_FALSE(take);
  EXPECT_EQ(take.error().code, Errc::insufficient_funds);
  EXPECT_EQ(balance(1), (Balance{100, 0}));
  // The refused key stays free: the same key succeeds once funds are there.
  credit(1, 1, "topup2");
  EXPECT_TRUE(must(apply(LedgerEntryDraft::hold(1, 101, "hold:big"))).applied);
}

TEST_P(LedgerTest, InsufficientFundsInsideALargerUnitLetsTheCallerCarryOn) {
  add_user(1);
  // The unit sees the refusal as a value and still commits its other work.
  auto outcome = must_run<bool>([&](Tx& tx) -> Result<bool> {
    auto held = tx.ledger().apply(LedgerEntryDraft::hold(1, 50, "hold:x"), now());
    KB_TRY(tx.settings().set("seen", "yes", now()));
    return !held && held.error().code == Errc::insufficient_funds;
  });
  EXPECT_TRUE(outcome);
  EXPECT_EQ(must_run<std::optional<std::string>>([](Tx& tx) { return tx.settings().get("seen"); }),
            "yes");
  EXPECT_TRUE(verify().empty());
}

TEST_P(LedgerTest, DraftsThatBreakTheSignRulesAreRefused) {
  add_user(1);
  std::vector<LedgerEntryDraft> bad = {
      {1, LedgerKind::topup, -5, 0, "a", {}, {}, {}, {}},
      {1, LedgerKind::hold, 10, 10, "b", {}, {}, {}, {}},
      {1, LedgerKind::capture, -10, -5, "c", {}, {}, {}, {}},
      {1, LedgerKind::release, 0, 5, "d", {}, {}, {}, {}},
      {1, LedgerKind::adjustment, 0, 0, "e", {}, {}, {}, {}},
      {1, LedgerKind::topup_reversal, 5, 0, "f", {}, {}, {}, {}},
      {1, LedgerKind::topup, 5, 0, "", {}, {}, {}, {}},
  };
  for (const auto& d : bad) {
    auto r = apply(d);
    ASSERT_FALSE(r) << d.idempotency_key;
    EXPECT_EQ(r.error().code, Errc::invalid_input) << d.idempotency_key;
  }
  EXPECT_EQ(balance(1), (Balance{0, 0}));
}

TEST_P(LedgerTest, UnknownUserIsNotFound) {
  auto r = apply(LedgerEntryDraft::credit(LedgerKind::bonus, 404, 100, "bonus:404"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::not_found);
}

TEST_P(LedgerTest, ReferencesAndNotesAreStored) {
  add_user(1);
  auto d = LedgerEntryDraft::credit(LedgerKind::topup, 1, 700, "manual:5");
  d.payment_id = "manual:5";
  d.admin_action_id = 9;
  d.note = "approved transfer";
  must(apply(d));
  auto h = LedgerEntryDraft::hold(1, 100, "hold:job:77");
  h.job_id = 77;
  must(apply(h));
  auto found = must_run<std::optional<LedgerEntry>>(
      [](Tx& tx) { return tx.ledger().find_by_key("manual:5"); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->payment_id, "manual:5");
  EXPECT_EQ(found->admin_action_id, 9);
  EXPECT_EQ(found->note, "approved transfer");
  EXPECT_EQ(found->job_id, std::nullopt);
  auto hold = must_run<std::optional<LedgerEntry>>(
      [](Tx& tx) { return tx.ledger().find_by_key("hold:job:77"); });
  EXPECT_EQ(hold->job_id, 77);
  EXPECT_EQ(hold->held_delta, 100);
}

TEST_P(LedgerTest, EntriesPageNewestFirst) {
  add_user(1);
  for (int i = 0; i < 5; ++i) credit(1, 10 + i, fmt::format("k{}", i));
  auto first = must_run<std::vector<LedgerEntry>>([](Tx& tx) { return tx.ledger().entries(1, 2); });
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].amount, 14);
  EXPECT_EQ(first[1].amount, 13);
  auto next = must_run<std::vector<LedgerEntry>>(
      [&](Tx& tx) { return tx.ledger().entries(1, 10, first[1].id); });
  ASSERT_EQ(next.size(), 3u);
  EXPECT_EQ(next[0].amount, 12);
  EXPECT_EQ(next[2].amount, 10);
}

TEST_P(LedgerTest, VerifyFindsAWalletThatDisagreesWithItsEntries) {
  add_user(1);
  add_user(2);
  credit(1, 100, "a");
  credit(2, 100, "b");
  EXPECT_TRUE(verify().empty());
  must_run<std::int64_t>([](Tx& tx) {
    return tx.connection().exec("UPDATE wallets SET available = available + 1 WHERE user_id = 2");
  });
  auto problems = verify();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].user_id, 2);
  EXPECT_NE(problems[0].problem.find("available=101"), std::string::npos) << problems[0].problem;
}

TEST_P(LedgerTest, EntriesAreAppendOnly) {
  add_user(1);
  credit(1, 100, "a");
  auto update = run<std::int64_t>(
      [](Tx& tx) { return tx.connection().exec("UPDATE ledger_entries SET amount = 1"); });
  EXPECT_FALSE(update);
  auto del =
      run<std::int64_t>([](Tx& tx) { return tx.connection().exec("DELETE FROM ledger_entries"); });
  EXPECT_FALSE(del);
  EXPECT_EQ(balance(1).available, 100);
  EXPECT_TRUE(verify().empty());
}

TEST_P(LedgerTest, SumByKindSince) {
  add_user(1);
  credit(1, 100, "a");
  clock_.advance(std::chrono::hours(1));
  auto since = now();
  credit(1, 250, "b");
  must(apply(LedgerEntryDraft::credit(LedgerKind::bonus, 1, 7, "bonus")));
  EXPECT_EQ(must_run<Kopecks>(
                [&](Tx& tx) { return tx.ledger().sum_by_kind_since(LedgerKind::topup, since); }),
            250);
  EXPECT_EQ(must_run<Kopecks>(
                [&](Tx& tx) { return tx.ledger().sum_by_kind_since(LedgerKind::topup, 0); }),
            350);
  EXPECT_EQ(must_run<Kopecks>(
                [&](Tx& tx) { return tx.ledger().sum_by_kind_since(LedgerKind::refund, 0); }),
            0);
}

TEST_P(LedgerTest, AnErrorRollsBackTheWholeUnit) {
  add_user(1);
  auto r = run<int>([&](Tx& tx) -> Result<int> {
    KB_TRY(tx.ledger().apply(LedgerEntryDraft::credit(LedgerKind::topup, 1, 100, "x"), now()));
    return fail(Errc::invalid_input, "changed my mind");
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "changed my mind");
  EXPECT_EQ(balance(1), (Balance{0, 0}));
  EXPECT_FALSE(
      must_run<std::optional<LedgerEntry>>([](Tx& tx) { return tx.ledger().find_by_key("x"); }));
}

// Two threads racing on one user's balance: exactly as many holds succeed as the money allows,
// and balance == Σ entries afterwards.
TEST_P(LedgerTest, RacingHoldsKeepTheInvariant) {
  add_user(1);
  credit(1, 1000, "topup");
  std::atomic<int> applied{0}, refused{0}, other{0};
  auto worker = [&](int thread) {
    for (int i = 0; i < 80; ++i) {
      auto r = apply(LedgerEntryDraft::hold(1, 10, fmt::format("hold:{}:{}", thread, i)));
      if (r && r->applied)
        ++applied;
      else if (!r && r.error().code == Errc::insufficient_funds)
        ++refused;
      else
        ++other;
    }
  };
  std::thread a(worker, 0), b(worker, 1);
  a.join();
  b.join();
  EXPECT_EQ(applied.load(), 100);
  EXPECT_EQ(refused.load(), 60);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(balance(1), (Balance{0, 1000}));
  EXPECT_TRUE(verify().empty());
}

TEST_P(LedgerTest, RacingOnTheSameKeyAppliesOnce) {
  add_user(1);
  for (int round = 0; round < 20; ++round) {
    std::atomic<int> applied{0}, failed{0};
    auto key = fmt::format("stars:{}", round);
    auto worker = [&] {
      auto r = apply(LedgerEntryDraft::credit(LedgerKind::topup, 1, 100, key));
      if (!r)
        ++failed;
      else if (r->applied)
        ++applied;
    };
    std::thread a(worker), b(worker);
    a.join();
    b.join();
    EXPECT_EQ(applied.load(), 1) << key;
    EXPECT_EQ(failed.load(), 0) << key;
  }
  EXPECT_EQ(balance(1), (Balance{2000, 0}));
  EXPECT_TRUE(verify().empty());
}

TEST_P(LedgerTest, ConcurrentTransfersBetweenUsersKeepTotals) {
  add_user(1);
  add_user(2);
  credit(1, 500, "a");
  credit(2, 500, "b");
  // Each unit moves 1 kopeck between the two wallets, the threads in opposite lock order: on
  // PostgreSQL that deadlocks now and then; the loser is re-run, and a unit that still fails
  // changes nothing. Either way the totals hold.
  std::atomic<int> moved[2] = {0, 0};
  std::atomic<int> other_errors{0};
  auto worker = [&](int thread) {
    for (int i = 0; i < 15; ++i) {
      std::int64_t from = thread == 0 ? 1 : 2, to = thread == 0 ? 2 : 1;
      auto r = run<int>([&](Tx& tx) -> Result<int> {
        KB_TRY(tx.ledger().apply(
            LedgerEntryDraft::adjustment(from, -1, fmt::format("t{}:{}:out", thread, i)), now()));
        KB_TRY(tx.ledger().apply(
            LedgerEntryDraft::adjustment(to, 1, fmt::format("t{}:{}:in", thread, i)), now()));
        return 0;
      });
      if (r)
        ++moved[thread];
      else if (r.error().code != Errc::unavailable)
        ++other_errors;
    }
  };
  std::thread a(worker, 0), b(worker, 1);
  a.join();
  b.join();
  EXPECT_EQ(other_errors.load(), 0);
  EXPECT_GT(moved[0].load() + moved[1].load(), 0);
  EXPECT_EQ(balance(1).available, 500 - moved[0].load() + moved[1].load());
  EXPECT_EQ(balance(1).available + balance(2).available, 1000);
  EXPECT_TRUE(verify().empty());
}

}  // namespace
}  // namespace kb::store::test
