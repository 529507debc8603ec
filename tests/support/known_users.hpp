// Users the bot already knows before kiebot starts (they pressed /start long ago), optionally with
// money on their balance, for the tests and benchmarks that drive the real binary.
#pragma once

#include <cstdint>
#include <vector>

#include "core/money.hpp"
#include "core/result.hpp"
#include "sandbox/fake_telegram/records.hpp"

namespace kb::store {
class Database;
}

namespace kb::test {

// One transaction: every user stored as seen at `now_ms` (language "en") and, when `credit` > 0,
// topped up by that much (idempotency key "seed-topup-<id>").
Result<void> seed_known_users(store::Database& db, const std::vector<sandbox::tg::User>& users,
                              std::int64_t now_ms, Kopecks credit = 0);

}  // namespace kb::test
