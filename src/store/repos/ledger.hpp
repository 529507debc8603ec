// The money ledger: wallets (available, held) and append-only entries, every change idempotent by
// a unique key, balance == sum of entries at all times.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.hpp"
#include "core/result.hpp"
#include "store/db/connection.hpp"

namespace kb::store {

// amount = change of (available + held); held_delta = change of held.
enum class LedgerKind {
  topup,            // +X available (Stars, approved transfer)
  bonus,            // +X available (welcome bonus)
  referral_reward,  // +X available
  refund,           // +X available (money given back after a capture)
  hold,             // amount 0, held +X: reserve for a job
  capture,          // amount -X, held -X: the job delivered, the money is spent
  release,          // amount 0, held -X: the job failed, the reservation returns
  adjustment,       // ±X available, by an admin (audited)
  topup_reversal,   // -X available: a top-up refunded to the payer (Stars refund)
  opening_balance,  // +X available: a balance carried over from the Python bot (import-legacy)
};
std::string_view ledger_kind_name(LedgerKind kind);
std::optional<LedgerKind> parse_ledger_kind(std::string_view name);

struct LedgerEntryDraft {
  std::int64_t user_id = 0;
  LedgerKind kind = LedgerKind::topup;
  Kopecks amount = 0;
  Kopecks held_delta = 0;
  std::string idempotency_key;
  std::optional<std::int64_t> job_id;
  std::optional<std::string> payment_id;
  std::optional<std::int64_t> admin_action_id;
  std::optional<std::string> note;

  // Drafts with the right signs for each kind; `x` is a positive amount (adjustment: signed).
  static LedgerEntryDraft credit(LedgerKind kind, std::int64_t user_id, Kopecks x, std::string key);
  static LedgerEntryDraft hold(std::int64_t user_id, Kopecks x, std::string key);
  static LedgerEntryDraft capture(std::int64_t user_id, Kopecks x, std::string key);
  static LedgerEntryDraft release(std::int64_t user_id, Kopecks x, std::string key);
  static LedgerEntryDraft adjustment(std::int64_t user_id, Kopecks delta, std::string key);
  static LedgerEntryDraft topup_reversal(std::int64_t user_id, Kopecks x, std::string key);
};

struct LedgerEntry {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  LedgerKind kind = LedgerKind::topup;
  Kopecks amount = 0;
  Kopecks held_delta = 0;
  std::string idempotency_key;
  std::optional<std::int64_t> job_id;
  std::optional<std::string> payment_id;
  std::optional<std::int64_t> admin_action_id;
  std::optional<std::string> note;
  std::int64_t created_at = 0;
};

struct Balance {
  Kopecks available = 0;
  Kopecks held = 0;
  Kopecks total() const { return available + held; }
  bool operator==(const Balance&) const = default;
};

struct ApplyResult {
  bool applied = false;  // false: the key was already used by an identical entry
  Balance balance_after;
  std::int64_t entry_id = 0;
};

struct LedgerProblem {
  std::int64_t user_id = 0;
  std::string problem;
};

class Ledger {
 public:
  explicit Ledger(db::Connection& c) : c_(c) {}

  // Applies one entry to the user's wallet. An idempotency key seen before: applied=false and
  // nothing changes (the same key with a different user, kind or amounts: Errc::conflict). A
  // result below zero: Errc::insufficient_funds and nothing changes. A draft whose signs do not
  // fit its kind: Errc::invalid_input. No such user: Errc::not_found.
  Result<ApplyResult> apply(const LedgerEntryDraft& entry, std::int64_t now);
  // Zero when the user has no wallet yet.
  Result<Balance> balance(std::int64_t user_id);
  // Newest first; `before_id` pages backwards.
  Result<std::vector<LedgerEntry>> entries(std::int64_t user_id, int limit,
                                           std::optional<std::int64_t> before_id = {});
  Result<std::optional<LedgerEntry>> find_by_key(std::string_view idempotency_key);
  // Every wallet checked against its entries: available + held == Σamount, held == Σheld_delta,
  // nothing negative, no entries without a wallet. Empty when all is well.
  Result<std::vector<LedgerProblem>> verify();
  // Σamount of one kind since a time (revenue, top-ups, refunds for admin stats).
  Result<Kopecks> sum_by_kind_since(LedgerKind kind, std::int64_t since_ms);

 private:
  db::Connection& c_;
};

}  // namespace kb::store
