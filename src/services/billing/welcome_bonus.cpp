// The welcome bonus.
#include "services/billing/welcome_bonus.hpp"

#include "domain/ledger_rules.hpp"

namespace kb::services {

Result<bool> grant_welcome_bonus(store::Tx& tx, std::int64_t user_id, Kopecks amount,
                                 std::int64_t now) {
  if (amount <= 0) return false;
  // Looked up first: a bonus granted under another START_BONUS_RUB is still "granted" (the
  // ledger would call the same key with a different amount a conflict).
  if (KB_TRY(tx.ledger().find_by_key(domain::welcome_bonus_key(user_id)))) return false;
  auto draft = store::LedgerEntryDraft::credit(store::LedgerKind::bonus, user_id, amount,
                                               domain::welcome_bonus_key(user_id));
  draft.note = "welcome bonus";
  auto applied = KB_TRY(tx.ledger().apply(draft, now));
  return applied.applied;
}

}  // namespace kb::services
