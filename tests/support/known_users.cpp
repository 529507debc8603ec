// Seeding the users table (and wallets) the way earlier /start presses and top-ups would have.
#include "support/known_users.hpp"

#include <string>

#include "store/database.hpp"
#include "store/tx.hpp"

namespace kb::test {

Result<void> seed_known_users(store::Database& db, const std::vector<sandbox::tg::User>& users,
                              std::int64_t now_ms, Kopecks credit) {
  auto done = db.transact_blocking<bool>([&](store::Tx& tx) -> Result<bool> {
    for (const auto& u : users) {
      store::TelegramProfile p;
      p.id = u.id;
      p.first_name = u.first_name;
      p.language_code = "en";
      KB_TRY(tx.users().upsert_seen(p, now_ms));
      if (credit > 0) {
        KB_TRY(tx.ledger().apply(
            store::LedgerEntryDraft::credit(store::LedgerKind::topup, u.id, credit,
                                            "seed-topup-" + std::to_string(u.id)),
            now_ms));
      }
    }
    return true;
  });
  if (!done) return std::unexpected(done.error());
  return {};
}

}  // namespace kb::test
