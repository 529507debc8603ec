// SQLite schema, version by version: STRICT tables, times as INTEGER epoch milliseconds (UTC),
// money as INTEGER kopecks, booleans as INTEGER 0/1. Mirrors postgres_migrations.cpp.
#include "store/migrations/migration.hpp"

namespace kb::store {
namespace {

constexpr std::string_view kUsersAndLedger = R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT,
  first_name TEXT NOT NULL DEFAULT '',
  last_name TEXT,
  language_code TEXT,
  language TEXT,
  role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
  blocked_bot INTEGER NOT NULL DEFAULT 0 CHECK (blocked_bot IN (0, 1)),
  banned INTEGER NOT NULL DEFAULT 0 CHECK (banned IN (0, 1)),
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX users_username_idx ON users (lower(username));
CREATE INDEX users_last_seen_idx ON users (last_seen_at);

CREATE TABLE wallets (
  user_id INTEGER PRIMARY KEY REFERENCES users (id),
  available INTEGER NOT NULL DEFAULT 0 CHECK (available >= 0),
  held INTEGER NOT NULL DEFAULT 0 CHECK (held >= 0),
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE ledger_entries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER NOT NULL REFERENCES users (id),
  kind TEXT NOT NULL,
  amount INTEGER NOT NULL,
  held_delta INTEGER NOT NULL DEFAULT 0,
  idempotency_key TEXT NOT NULL UNIQUE,
  job_id INTEGER,
  payment_id TEXT,
  admin_action_id INTEGER,
  note TEXT,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX ledger_entries_user_idx ON ledger_entries (user_id, id);
CREATE INDEX ledger_entries_kind_time_idx ON ledger_entries (kind, created_at);

CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN
  SELECT RAISE(ABORT, 'ledger_entries is append-only');
END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN
  SELECT RAISE(ABORT, 'ledger_entries is append-only');
END;
)sql";

constexpr std::string_view kConversationAndInbox = R"sql(
CREATE TABLE conversations (
  user_id INTEGER PRIMARY KEY,
  state_json TEXT NOT NULL,
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  expires_at INTEGER
) STRICT;

CREATE TABLE inbox (
  update_id INTEGER PRIMARY KEY,
  chat_key TEXT NOT NULL,
  kind TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  available_at INTEGER NOT NULL,
  lease_owner TEXT,
  lease_until INTEGER,
  last_error TEXT,
  received_at INTEGER NOT NULL,
  processed_at INTEGER
) STRICT;
CREATE INDEX inbox_pending_idx ON inbox (chat_key, update_id) WHERE status = 'pending';
CREATE INDEX inbox_processed_idx ON inbox (processed_at) WHERE status = 'done';

CREATE TABLE inbox_rejects (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  raw TEXT NOT NULL,
  reason TEXT NOT NULL,
  received_at INTEGER NOT NULL
) STRICT;
)sql";

constexpr std::string_view kJobs = R"sql(
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER NOT NULL REFERENCES users (id),
  chat_id INTEGER NOT NULL,
  model_id TEXT NOT NULL,
  inputs_json TEXT NOT NULL,
  price_kopecks INTEGER NOT NULL CHECK (price_kopecks >= 0),
  is_free INTEGER NOT NULL DEFAULT 0 CHECK (is_free IN (0, 1)),
  free_day TEXT,
  state TEXT NOT NULL,
  kie_task_id TEXT UNIQUE,
  idempotency_key TEXT NOT NULL UNIQUE,
  progress_message_id INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_check_at INTEGER,
  lease_owner TEXT,
  lease_until INTEGER,
  result_json TEXT,
  failure_code TEXT,
  failure_reason TEXT,
  notified_delayed INTEGER NOT NULL DEFAULT 0 CHECK (notified_delayed IN (0, 1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  submitted_at INTEGER,
  finished_at INTEGER
) STRICT;
CREATE INDEX jobs_user_idx ON jobs (user_id, id);
CREATE INDEX jobs_due_idx ON jobs (next_check_at) WHERE finished_at IS NULL;
CREATE INDEX jobs_created_idx ON jobs (created_at);

CREATE TABLE job_deliveries (
  job_id INTEGER NOT NULL REFERENCES jobs (id),
  file_index INTEGER NOT NULL,
  message_id INTEGER,
  method TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  PRIMARY KEY (job_id, file_index)
) STRICT;

CREATE TABLE media_refs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  telegram_file_id TEXT NOT NULL,
  file_unique_id TEXT NOT NULL UNIQUE,
  mime_type TEXT,
  file_size INTEGER,
  created_at INTEGER NOT NULL
) STRICT;
)sql";

constexpr std::string_view kPayments = R"sql(
CREATE TABLE invoices (
  payload TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  credit_kopecks INTEGER NOT NULL CHECK (credit_kopecks > 0),
  stars INTEGER NOT NULL CHECK (stars > 0),
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paid', 'cancelled')),
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE stars_payments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  telegram_payment_charge_id TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users (id),
  invoice_payload TEXT NOT NULL,
  stars INTEGER NOT NULL CHECK (stars > 0),
  credit_kopecks INTEGER NOT NULL CHECK (credit_kopecks >= 0),
  status TEXT NOT NULL DEFAULT 'credited' CHECK (status IN ('credited', 'refunded')),
  created_at INTEGER NOT NULL,
  refunded_at INTEGER
) STRICT;
CREATE INDEX stars_payments_user_idx ON stars_payments (user_id, id);

CREATE TABLE manual_topups (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER NOT NULL REFERENCES users (id),
  amount_kopecks INTEGER NOT NULL CHECK (amount_kopecks > 0),
  receipt_file_id TEXT,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  decided_by INTEGER,
  decided_at INTEGER,
  reason TEXT,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX manual_topups_pending_idx ON manual_topups (id) WHERE status = 'pending';
)sql";

constexpr std::string_view kFreeAndReferrals = R"sql(
CREATE TABLE free_usage (
  user_id INTEGER NOT NULL REFERENCES users (id),
  day TEXT NOT NULL,
  used INTEGER NOT NULL CHECK (used >= 0),
  PRIMARY KEY (user_id, day)
) STRICT;

CREATE TABLE free_bonus (
  user_id INTEGER PRIMARY KEY REFERENCES users (id),
  remaining INTEGER NOT NULL CHECK (remaining >= 0),
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE referrals (
  invited_id INTEGER PRIMARY KEY REFERENCES users (id),
  referrer_id INTEGER NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  rewarded_at INTEGER,
  CHECK (invited_id <> referrer_id)
) STRICT;
CREATE INDEX referrals_referrer_idx ON referrals (referrer_id);
)sql";

constexpr std::string_view kAdminAndSettings = R"sql(
CREATE TABLE admin_actions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  admin_id INTEGER NOT NULL,
  action TEXT NOT NULL,
  target_user_id INTEGER,
  payload_json TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX admin_actions_target_idx ON admin_actions (target_user_id, id);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE model_overrides (
  model_id TEXT PRIMARY KEY,
  enabled INTEGER CHECK (enabled IN (0, 1)),
  free INTEGER CHECK (free IN (0, 1)),
  updated_by INTEGER,
  updated_at INTEGER NOT NULL
) STRICT;
)sql";

constexpr std::string_view kBroadcasts = R"sql(
CREATE TABLE broadcasts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  admin_id INTEGER NOT NULL,
  content_json TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'running', 'paused', 'done', 'cancelled')),
  created_at INTEGER NOT NULL,
  finished_at INTEGER
) STRICT;

CREATE TABLE broadcast_recipients (
  broadcast_id INTEGER NOT NULL REFERENCES broadcasts (id),
  user_id INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'blocked', 'failed')),
  sent_at INTEGER,
  PRIMARY KEY (broadcast_id, user_id)
) STRICT;
CREATE INDEX broadcast_recipients_pending_idx ON broadcast_recipients (broadcast_id, user_id)
  WHERE status = 'pending';
)sql";

constexpr std::string_view kRateBuckets = R"sql(
CREATE TABLE rate_buckets (
  bucket_key TEXT PRIMARY KEY,
  millitokens INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
)sql";

// The outbox: Telegram calls decided by a handler, committed with its state change and sent
// afterwards (a crash after the commit cannot lose a reply, one before it cannot send one).
constexpr std::string_view kOutbox = R"sql(
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  chat_id INTEGER NOT NULL,
  method TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  purpose TEXT NOT NULL DEFAULT '',
  purpose_ref TEXT NOT NULL DEFAULT '',
  priority INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'sent', 'dropped', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  deadline_at INTEGER,
  lease_owner TEXT,
  lease_until INTEGER,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  sent_at INTEGER,
  result_message_id INTEGER
) STRICT;
CREATE INDEX outbox_pending_idx ON outbox (chat_id, priority, id) WHERE status = 'pending';
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_finished_idx ON outbox (created_at) WHERE status <> 'pending';
)sql";

// When a job's result was confirmed: delivery is retried for a window from then. A job already
// delivering when this runs gets its last update time (a fresh window, never an instant failure).
constexpr std::string_view kJobsSucceededAt = R"sql(
ALTER TABLE jobs ADD COLUMN succeeded_at INTEGER;
UPDATE jobs SET succeeded_at = updated_at WHERE state = 'succeeded';
)sql";

}  // namespace

const std::vector<Migration>& sqlite_migrations() {
  static const std::vector<Migration> list = {
      {1, "users_and_ledger", kUsersAndLedger, false},
      {2, "conversation_and_inbox", kConversationAndInbox, false},
      {3, "jobs_and_media", kJobs, false},
      {4, "payments", kPayments, false},
      {5, "free_usage_and_referrals", kFreeAndReferrals, false},
      {6, "admin_and_settings", kAdminAndSettings, false},
      {7, "broadcasts", kBroadcasts, true},
      {8, "rate_buckets", kRateBuckets, true},
      {9, "outbox", kOutbox, false},
      {10, "jobs_succeeded_at", kJobsSucceededAt, false},
  };
  return list;
}

const std::vector<Migration>& migrations_for(db::Dialect dialect) {
  return dialect == db::Dialect::sqlite ? sqlite_migrations() : postgres_migrations();
}

}  // namespace kb::store
