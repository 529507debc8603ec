// The welcome bonus: START_BONUS_RUB credited once per user, when the user is first seen.
#pragma once

#include <cstdint>

#include "core/money.hpp"
#include "core/result.hpp"
#include "store/tx.hpp"

namespace kb::services {

// Credits `amount` once per user (domain::welcome_bonus_key). Call it in the transaction where
// `users.upsert_seen` reported `created`. Returns true when it was credited now; false when the
// amount is zero or the user had it already.
Result<bool> grant_welcome_bonus(store::Tx& tx, std::int64_t user_id, Kopecks amount,
                                 std::int64_t now);

}  // namespace kb::services
