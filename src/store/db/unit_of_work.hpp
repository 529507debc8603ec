// One unit of work: BEGIN … body … COMMIT on a session, rolled back on error, re-run on transient
// conflicts, reconnected once when a stale connection fails at BEGIN.
#pragma once

#include <functional>

#include "core/result.hpp"
#include "store/db/connection.hpp"

namespace kb::store::db {

struct UnitOutcome {
  int attempts = 0;          // how many times the body ran
  bool reconnected = false;  // a stale connection was replaced before the body ran
};

// BEGIN; when a connection that was open fails at BEGIN (it died while idle: server restart,
// network), it is replaced and BEGIN tried once more, which is safe because nothing ran yet.
Result<void> begin_with_reconnect(Session& session, TxMode mode, bool* reconnected = nullptr);

// `body` may run several times (transient conflicts), so it must be pure database work. An error
// from the body rolls everything back and is returned as is; an exception thrown by the body
// becomes Errc::internal. `max_attempts` bounds the re-runs.
Result<void> run_unit(Session& session, TxMode mode,
                      const std::function<Result<void>(Connection&)>& body, int max_attempts,
                      UnitOutcome* outcome = nullptr);

}  // namespace kb::store::db
