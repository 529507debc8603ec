// Tx: what a unit of work sees, one accessor per domain repository, all in the same transaction.
#pragma once

#include "store/db/connection.hpp"
#include "store/repos/admin_actions.hpp"
#include "store/repos/admin_stats.hpp"
#include "store/repos/broadcasts.hpp"
#include "store/repos/conversation.hpp"
#include "store/repos/free_usage.hpp"
#include "store/repos/inbox.hpp"
#include "store/repos/jobs.hpp"
#include "store/repos/ledger.hpp"
#include "store/repos/media_refs.hpp"
#include "store/repos/outbox.hpp"
#include "store/repos/payments.hpp"
#include "store/repos/rate_limits.hpp"
#include "store/repos/referrals.hpp"
#include "store/repos/settings.hpp"
#include "store/repos/users.hpp"

namespace kb::store {

class Tx {
 public:
  explicit Tx(db::Connection& connection) : c_(connection) {}

  Users users() { return Users(c_); }
  Conversations conversations() { return Conversations(c_); }
  Inbox inbox() { return Inbox(c_); }
  Ledger ledger() { return Ledger(c_); }
  Jobs jobs() { return Jobs(c_); }
  Payments payments() { return Payments(c_); }
  FreeUsage free_usage() { return FreeUsage(c_); }
  Referrals referrals() { return Referrals(c_); }
  AdminActions admin_actions() { return AdminActions(c_); }
  AdminStats admin_stats() { return AdminStats(c_); }
  Settings settings() { return Settings(c_); }
  MediaRefs media() { return MediaRefs(c_); }
  Outbox outbox() { return Outbox(c_); }
  // Optional features: check Database::features() first; without their tables these fail with
  // Errc::unavailable.
  Broadcasts broadcasts() { return Broadcasts(c_); }
  RateLimits rate_limits() { return RateLimits(c_); }

  db::Dialect dialect() const { return c_.dialect(); }
  // Raw statements, for store code only (no SQL outside src/store/).
  db::Connection& connection() { return c_; }

 private:
  db::Connection& c_;
};

}  // namespace kb::store
