// Transaction boundaries, retries and the reconnect-before-work rule.
#include "store/db/unit_of_work.hpp"

#include <chrono>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "core/log.hpp"
#include "store/db/fault.hpp"

namespace kb::store::db {
namespace {

void backoff(int attempt) {
  thread_local std::minstd_rand rng(
      static_cast<unsigned>(std::hash<std::thread::id>{}(std::this_thread::get_id())));
  // 2, 4, 8, 16 ms … plus jitter, so that two conflicting units do not collide again in step.
  int base = 1 << std::min(attempt, 6);
  std::uniform_int_distribution<int> jitter(0, base);
  std::this_thread::sleep_for(std::chrono::milliseconds(base + jitter(rng)));
}

}  // namespace

Result<void> begin_with_reconnect(Session& s, TxMode mode, bool* reconnected) {
  bool was_connected = s.connected();
  auto r = s.begin(mode);
  if (!r && fault_of(r.error()) == Fault::broken && was_connected) {
    s.reset();
    if (reconnected) *reconnected = true;
    r = s.begin(mode);
  }
  return r;
}

Result<void> run_unit(Session& s, TxMode mode, const std::function<Result<void>(Connection&)>& body,
                      int max_attempts, UnitOutcome* outcome_out) {
  UnitOutcome local;
  UnitOutcome& outcome = outcome_out ? *outcome_out : local;
  for (int attempt = 1;; ++attempt) {
    outcome.attempts = attempt;
    KB_TRY(begin_with_reconnect(s, mode, &outcome.reconnected));
    Result<void> r;
    try {
      r = body(s);
    } catch (const std::exception& e) {
      r = fail(Errc::internal, fmt::format("unit of work threw: {}", e.what()));
    }
    if (r) r = s.commit();
    if (r) return r;
    s.rollback();
    if (fault_of(r.error()) == Fault::transient) {
      if (attempt < max_attempts) {
        log::debug("db_retry", {{"attempt", attempt}, {"error", r.error().message}});
        backoff(attempt);
        continue;
      }
      return fail(
          Errc::unavailable,
          fmt::format("database busy: gave up after {} attempts: {}", attempt, r.error().message),
          static_cast<int>(Fault::transient));
    }
    return r;
  }
}

}  // namespace kb::store::db
