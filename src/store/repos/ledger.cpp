// Ledger repository: the only code that changes wallets.
#include "store/repos/ledger.hpp"

#include <array>
#include <utility>

#include <fmt/format.h>

namespace kb::store {
namespace {

constexpr std::array<std::pair<LedgerKind, std::string_view>, 10> kKinds = {{
    {LedgerKind::topup, "topup"},
    {LedgerKind::bonus, "bonus"},
    {LedgerKind::referral_reward, "referral_reward"},
    {LedgerKind::refund, "refund"},
    {LedgerKind::hold, "hold"},
    {LedgerKind::capture, "capture"},
    {LedgerKind::release, "release"},
    {LedgerKind::adjustment, "adjustment"},
    {LedgerKind::topup_reversal, "topup_reversal"},
    {LedgerKind::opening_balance, "opening_balance"},
}};

constexpr std::string_view kEntryColumns =
    "id, user_id, kind, amount, held_delta, idempotency_key, job_id, payment_id, "
    "admin_action_id, note, @ms(created_at)";

// The sign rules of each kind; a draft that breaks them is a caller bug worth refusing loudly.
Result<void> check_shape(const LedgerEntryDraft& e) {
  auto bad = [&](std::string_view why) {
    return fail(
        Errc::invalid_input,
        fmt::format("ledger entry {} ({}): {} (amount {}, held_delta {})", e.idempotency_key,
                    ledger_kind_name(e.kind), why, e.amount, e.held_delta));
  };
  if (e.idempotency_key.empty()) return bad("empty idempotency key");
  switch (e.kind) {
    case LedgerKind::topup:
    case LedgerKind::bonus:
    case LedgerKind::referral_reward:
    case LedgerKind::refund:
    case LedgerKind::opening_balance:
      if (e.amount <= 0 || e.held_delta != 0) return bad("a credit needs amount > 0, held_delta 0");
      break;
    case LedgerKind::hold:
      if (e.amount != 0 || e.held_delta <= 0) return bad("a hold needs amount 0, held_delta > 0");
      break;
    case LedgerKind::capture:
      if (e.amount >= 0 || e.held_delta != e.amount)
        return bad("a capture needs amount == held_delta < 0");
      break;
    case LedgerKind::release:
      if (e.amount != 0 || e.held_delta >= 0)
        return bad("a release needs amount 0, held_delta < 0");
      break;
    case LedgerKind::adjustment:
      if (e.amount == 0 || e.held_delta != 0)
        return bad("an adjustment needs amount != 0, held_delta 0");
      break;
    case LedgerKind::topup_reversal:
      if (e.amount >= 0 || e.held_delta != 0)
        return bad("a top-up reversal needs amount < 0, held_delta 0");
      break;
  }
  return {};
}

LedgerEntry read_entry(const db::Row& row) {
  auto c = row.cursor();
  LedgerEntry e;
  e.id = c.i64();
  e.user_id = c.i64();
  e.kind = parse_ledger_kind(c.text()).value_or(LedgerKind::adjustment);
  e.amount = c.i64();
  e.held_delta = c.i64();
  e.idempotency_key = c.text();
  e.job_id = c.opt_i64();
  e.payment_id = c.opt_text();
  e.admin_action_id = c.opt_i64();
  e.note = c.opt_text();
  e.created_at = c.i64();
  return e;
}

}  // namespace

std::string_view ledger_kind_name(LedgerKind kind) {
  for (const auto& [k, name] : kKinds)
    if (k == kind) return name;
  return "unknown";
}

std::optional<LedgerKind> parse_ledger_kind(std::string_view name) {
  for (const auto& [k, n] : kKinds)
    if (n == name) return k;
  return std::nullopt;
}

LedgerEntryDraft LedgerEntryDraft::credit(LedgerKind kind, std::int64_t user_id, Kopecks x,
                                          std::string key) {
  return {user_id, kind, x, 0, std::move(key), {}, {}, {}, {}};
}
LedgerEntryDraft LedgerEntryDraft::hold(std::int64_t user_id, Kopecks x, std::string key) {
  return {user_id, LedgerKind::hold, 0, x, std::move(key), {}, {}, {}, {}};
}
LedgerEntryDraft LedgerEntryDraft::capture(std::int64_t user_id, Kopecks x, std::string key) {
  return {user_id, LedgerKind::capture, -x, -x, std::move(key), {}, {}, {}, {}};
}
LedgerEntryDraft LedgerEntryDraft::release(std::int64_t user_id, Kopecks x, std::string key) {
  return {user_id, LedgerKind::release, 0, -x, std::move(key), {}, {}, {}, {}};
}
LedgerEntryDraft LedgerEntryDraft::adjustment(std::int64_t user_id, Kopecks delta,
                                              std::string key) {
  return {user_id, LedgerKind::adjustment, delta, 0, std::move(key), {}, {}, {}, {}};
}
LedgerEntryDraft LedgerEntryDraft::topup_reversal(std::int64_t user_id, Kopecks x,
                                                  std::string key) {
  return {user_id, LedgerKind::topup_reversal, -x, 0, std::move(key), {}, {}, {}, {}};
}

Result<ApplyResult> Ledger::apply(const LedgerEntryDraft& e, std::int64_t now) {
  KB_TRY(check_shape(e));
  // 1. Lock the wallet row (PostgreSQL; SQLite writers are already serialised), creating it for
  //    a user who has none. Everything after this runs one at a time per user.
  auto wallet = KB_TRY(c_.query_one(
      "SELECT available, held FROM wallets WHERE user_id = $1 @for_update", e.user_id));
  if (!wallet) {
    auto user = KB_TRY(c_.query_one("SELECT id FROM users WHERE id = $1", e.user_id));
    if (!user) return fail(Errc::not_found, fmt::format("no user {}", e.user_id));
    KB_TRY(
        c_.exec("INSERT INTO wallets (user_id, available, held, updated_at) VALUES ($1, 0, 0, "
                "@ts($2)) ON CONFLICT (user_id) DO NOTHING",
                e.user_id, now));
    wallet = KB_TRY(c_.query_one(
        "SELECT available, held FROM wallets WHERE user_id = $1 @for_update", e.user_id));
    if (!wallet) return fail(Errc::internal, "wallet vanished after insert");
  }
  Balance before{wallet->i64(0), wallet->i64(1)};

  // 2. Idempotency: a key that exists means this entry was applied before (by us or a retry).
  auto existing = KB_TRY(find_by_key(e.idempotency_key));
  if (existing) {
    if (existing->user_id != e.user_id || existing->kind != e.kind ||
        existing->amount != e.amount || existing->held_delta != e.held_delta)
      return fail(Errc::conflict,
                  fmt::format("idempotency key {} was used for a different ledger entry",
                              e.idempotency_key));
    return ApplyResult{false, before, existing->id};
  }

  // 3. Funds.
  Kopecks available_delta = e.amount - e.held_delta;
  Balance after{before.available + available_delta, before.held + e.held_delta};
  if (after.available < 0 || after.held < 0)
    return fail(Errc::insufficient_funds,
                fmt::format("user {}: {} of {} needs {} available / {} held, has {} / {}",
                            e.user_id, ledger_kind_name(e.kind), e.idempotency_key,
                            -std::min<Kopecks>(available_delta, 0),
                            -std::min<Kopecks>(e.held_delta, 0), before.available, before.held));

  // 4. The entry, then the wallet. A concurrent transaction that inserted the same key for
  //    another user makes the insert a no-op: then nothing is changed here.
  auto inserted = KB_TRY(c_.query_one(
      "INSERT INTO ledger_entries (user_id, kind, amount, held_delta, idempotency_key, job_id, "
      "payment_id, admin_action_id, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
      "@ts($10)) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
      e.user_id, ledger_kind_name(e.kind), e.amount, e.held_delta, e.idempotency_key, e.job_id,
      e.payment_id, e.admin_action_id, e.note, now));
  if (!inserted)
    return fail(Errc::conflict,
                fmt::format("idempotency key {} was used concurrently for another user",
                            e.idempotency_key));
  auto updated = KB_TRY(c_.exec(
      "UPDATE wallets SET available = $2, held = $3, updated_at = @ts($4) WHERE user_id = $1",
      e.user_id, after.available, after.held, now));
  if (updated != 1) return fail(Errc::internal, "wallet update touched no row");
  return ApplyResult{true, after, inserted->i64(0)};
}

Result<Balance> Ledger::balance(std::int64_t user_id) {
  auto row =
      KB_TRY(c_.query_one("SELECT available, held FROM wallets WHERE user_id = $1", user_id));
  if (!row) return Balance{};
  return Balance{row->i64(0), row->i64(1)};
}

Result<std::vector<LedgerEntry>> Ledger::entries(std::int64_t user_id, int limit,
                                                 std::optional<std::int64_t> before_id) {
  static const std::string sql = fmt::format(
      "SELECT {} FROM ledger_entries WHERE user_id = $1 AND (CAST($2 AS BIGINT) = 0 OR id < $2) "
      "ORDER BY id DESC LIMIT $3",
      kEntryColumns);
  auto rows = KB_TRY(c_.query(sql, user_id, before_id.value_or(0), limit));
  std::vector<LedgerEntry> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(read_entry(r));
  return out;
}

Result<std::optional<LedgerEntry>> Ledger::find_by_key(std::string_view key) {
  static const std::string sql =
      fmt::format("SELECT {} FROM ledger_entries WHERE idempotency_key = $1", kEntryColumns);
  auto row = KB_TRY(c_.query_one(sql, key));
  if (!row) return std::optional<LedgerEntry>();
  return std::optional<LedgerEntry>(read_entry(*row));
}

Result<std::vector<LedgerProblem>> Ledger::verify() {
  std::vector<LedgerProblem> problems;
  auto rows = KB_TRY(c_.query(
      "SELECT w.user_id, w.available, w.held, "
      "CAST(COALESCE(s.total, 0) AS BIGINT), CAST(COALESCE(s.held, 0) AS BIGINT) "
      "FROM wallets w LEFT JOIN (SELECT user_id, SUM(amount) AS total, SUM(held_delta) AS held "
      "FROM ledger_entries GROUP BY user_id) s ON s.user_id = w.user_id "
      "WHERE w.available + w.held <> COALESCE(s.total, 0) OR w.held <> COALESCE(s.held, 0) "
      "OR w.available < 0 OR w.held < 0 ORDER BY w.user_id"));
  for (const auto& r : rows) {
    auto c = r.cursor();
    auto user = c.i64();
    auto available = c.i64();
    auto held = c.i64();
    auto sum_total = c.i64();
    auto sum_held = c.i64();
    problems.push_back(
        {user, fmt::format("wallet available={} held={} but entries say total={} held={}",
                           available, held, sum_total, sum_held)});
  }
  auto orphans =
      KB_TRY(c_.query("SELECT DISTINCT e.user_id FROM ledger_entries e LEFT JOIN wallets w ON "
                      "w.user_id = e.user_id "
                      "WHERE w.user_id IS NULL ORDER BY e.user_id"));
  for (const auto& r : orphans)
    problems.push_back({r.i64(0), "ledger entries exist but the wallet is missing"});
  return problems;
}

Result<Kopecks> Ledger::sum_by_kind_since(LedgerKind kind, std::int64_t since_ms) {
  auto rows =
      KB_TRY(c_.query("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM ledger_entries "
                      "WHERE kind = $1 AND created_at >= @ts($2)",
                      ledger_kind_name(kind), since_ms));
  return rows.front().i64(0);
}

}  // namespace kb::store
