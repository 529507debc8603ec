// Payments and free-tier conformance (both backends).
#include <atomic>
#include <thread>

#include "store_fixture.hpp"

namespace kb::store::test {
namespace {

class PaymentsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    add_user(1);
    add_user(2);
  }
  StarsPayment payment(std::string charge, std::int64_t user = 1) {
    StarsPayment p;
    p.telegram_payment_charge_id = std::move(charge);
    p.user_id = user;
    p.invoice_payload = "inv-1";
    p.stars = 70;
    p.credit_kopecks = 10'000;
    return p;
  }
};
KB_STORE_BACKENDS(PaymentsTest);

TEST_P(PaymentsTest, InvoicesAndTheirStatus) {
  Invoice i{"inv-1", 1, 10'000, 70, "open", 0};
  must_run<bool>([&](Tx& tx) -> Result<bool> {
    KB_TRY(tx.payments().create_invoice(i, now()));
    return true;
  });
  auto dup = run<bool>([&](Tx& tx) -> Result<bool> {
    KB_TRY(tx.payments().create_invoice(i, now()));
    return true;
  });
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, Errc::conflict);
  auto got =
      must_run<std::optional<Invoice>>([](Tx& tx) { return tx.payments().invoice("inv-1"); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->credit_kopecks, 10'000);
  EXPECT_EQ(got->stars, 70);
  EXPECT_EQ(got->status, "open");
  EXPECT_EQ(got->created_at, now());
  EXPECT_TRUE(must_run<bool>(
      [](Tx& tx) { return tx.payments().set_invoice_status("inv-1", "open", "paid"); }));
  EXPECT_FALSE(must_run<bool>(
      [](Tx& tx) { return tx.payments().set_invoice_status("inv-1", "open", "paid"); }));
  EXPECT_FALSE(must_run<std::optional<Invoice>>([](Tx& tx) { return tx.payments().invoice("x"); }));
}

TEST_P(PaymentsTest, StarsPaymentIsRecordedOncePerChargeId) {
  // Charge ids are long opaque strings: no length limit.
  std::string charge = "stxAbC" + std::string(300, 'z');
  auto first = must_run<RecordedPayment>(
      [&](Tx& tx) { return tx.payments().record_stars_payment(payment(charge), now()); });
  EXPECT_TRUE(first.created);
  EXPECT_EQ(first.payment.status, "credited");
  auto again = must_run<RecordedPayment>(
      [&](Tx& tx) { return tx.payments().record_stars_payment(payment(charge), now()); });
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.payment.id, first.payment.id);
  auto other = run<RecordedPayment>(
      [&](Tx& tx) { return tx.payments().record_stars_payment(payment(charge, 2), now()); });
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, Errc::conflict);
  EXPECT_TRUE(
      must_run<bool>([&](Tx& tx) { return tx.payments().mark_stars_refunded(charge, now()); }));
  EXPECT_FALSE(
      must_run<bool>([&](Tx& tx) { return tx.payments().mark_stars_refunded(charge, now()); }));
  auto stored = must_run<std::optional<StarsPayment>>(
      [&](Tx& tx) { return tx.payments().stars_payment(charge); });
  EXPECT_EQ(stored->status, "refunded");
  EXPECT_EQ(stored->refunded_at, now());
  EXPECT_EQ(must_run<std::vector<StarsPayment>>([](Tx& tx) {
              return tx.payments().stars_payments_for_user(1, 10);
            }).size(),
            1u);
}

TEST_P(PaymentsTest, ManualTopupIsDecidedOnce) {
  auto id = must_run<std::int64_t>([&](Tx& tx) {
    return tx.payments().create_manual(1, 50'000, std::string("file-abc"), now());
  });
  auto id2 = must_run<std::int64_t>(
      [&](Tx& tx) { return tx.payments().create_manual(2, 100, std::nullopt, now()); });
  auto pending =
      must_run<std::vector<ManualTopup>>([](Tx& tx) { return tx.payments().pending_manual(10); });
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].id, id);
  EXPECT_EQ(pending[0].receipt_file_id, "file-abc");
  EXPECT_EQ(pending[0].amount_kopecks, 50'000);

  auto approved = must_run<ManualTopup>([&](Tx& tx) {
    return tx.payments().decide_manual(id, ManualStatus::approved, 900, std::nullopt, now());
  });
  EXPECT_EQ(approved.status, ManualStatus::approved);
  EXPECT_EQ(approved.decided_by, 900);
  EXPECT_EQ(approved.decided_at, now());
  auto twice = run<ManualTopup>([&](Tx& tx) {
    return tx.payments().decide_manual(id, ManualStatus::rejected, 901, "late", now());
  });
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, Errc::conflict);
  auto rejected = must_run<ManualTopup>([&](Tx& tx) {
    return tx.payments().decide_manual(id2, ManualStatus::rejected, 900, "unreadable receipt",
                                       now());
  });
  EXPECT_EQ(rejected.reason, "unreadable receipt");
  auto missing = run<ManualTopup>([&](Tx& tx) {
    return tx.payments().decide_manual(9999, ManualStatus::approved, 900, std::nullopt, now());
  });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::not_found);
  EXPECT_TRUE(must_run<std::vector<ManualTopup>>([](Tx& tx) {
                return tx.payments().pending_manual(10);
              }).empty());
}

class FreeUsageTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    add_user(1);
  }
  bool consume(std::string day, int limit) {
    return must_run<bool>([&](Tx& tx) { return tx.free_usage().consume(1, day, limit); });
  }
};
KB_STORE_BACKENDS(FreeUsageTest);

TEST_P(FreeUsageTest, ConsumeStopsAtTheLimit) {
  EXPECT_TRUE(consume("2026-01-01", 2));
  EXPECT_TRUE(consume("2026-01-01", 2));
  EXPECT_FALSE(consume("2026-01-01", 2));
  EXPECT_TRUE(consume("2026-01-02", 2));  // a new day
  EXPECT_FALSE(consume("2026-01-03", 0));
  EXPECT_EQ(must_run<int>([](Tx& tx) { return tx.free_usage().used(1, "2026-01-01"); }), 2);
  EXPECT_EQ(must_run<int>([](Tx& tx) { return tx.free_usage().used(1, "2026-01-05"); }), 0);
  EXPECT_TRUE(must_run<bool>([](Tx& tx) { return tx.free_usage().give_back(1, "2026-01-01"); }));
  EXPECT_TRUE(consume("2026-01-01", 2));
  EXPECT_FALSE(must_run<bool>([](Tx& tx) { return tx.free_usage().give_back(1, "2026-02-01"); }));
}

TEST_P(FreeUsageTest, BonusGenerations) {
  EXPECT_EQ(must_run<int>([](Tx& tx) { return tx.free_usage().bonus(1); }), 0);
  EXPECT_FALSE(must_run<bool>([&](Tx& tx) { return tx.free_usage().consume_bonus(1, now()); }));
  must_run<bool>([&](Tx& tx) -> Result<bool> {
    KB_TRY(tx.free_usage().add_bonus(1, 2, now()));
    KB_TRY(tx.free_usage().add_bonus(1, 1, now()));
    return true;
  });
  EXPECT_EQ(must_run<int>([](Tx& tx) { return tx.free_usage().bonus(1); }), 3);
  EXPECT_TRUE(must_run<bool>([&](Tx& tx) { return tx.free_usage().consume_bonus(1, now()); }));
  EXPECT_EQ(must_run<int>([](Tx& tx) { return tx.free_usage().bonus(1); }), 2);
}

// Two threads, one free generation left: never both.
TEST_P(FreeUsageTest, RacingConsumersWithLimitOne) {
  for (int day = 1; day <= 25; ++day) {
    auto d = fmt::format("2026-03-{:02}", day);
    std::atomic<int> granted{0};
    auto taker = [&] {
      if (consume(d, 1)) ++granted;
    };
    std::thread a(taker), b(taker);
    a.join();
    b.join();
    EXPECT_EQ(granted.load(), 1) << d;
  }
}

}  // namespace
}  // namespace kb::store::test
