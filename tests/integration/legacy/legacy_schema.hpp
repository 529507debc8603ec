// The Python bot's PostgreSQL schema (python-bot.md §6, app/database/schema.py@7cf9ac3) and sample
// rows for the import tests: kopecks, a held amount, users without wallets, duplicate ledger refs
// and every kind of odd referrer.
#pragma once

namespace kb::legacy::test {

inline constexpr const char* kLegacySchema = R"SQL(
CREATE TABLE users (
  user_id BIGINT PRIMARY KEY,
  role TEXT DEFAULT 'user' CHECK (role IN ('user', 'admin', 'banned')),
  locale TEXT DEFAULT 'ru',
  created_at TIMESTAMP NOT NULL DEFAULT NOW(),
  last_seen_at TIMESTAMP NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMP DEFAULT NOW(),
  metadata JSONB DEFAULT '{}',
  tg_username TEXT,
  tg_first_name TEXT,
  tg_last_name TEXT
);
CREATE INDEX idx_users_created ON users (created_at);
CREATE TABLE wallets (
  user_id BIGINT PRIMARY KEY REFERENCES users ON DELETE CASCADE,
  balance_rub NUMERIC(12,2) NOT NULL DEFAULT 0 CHECK (balance_rub >= 0),
  hold_rub NUMERIC(12,2) NOT NULL DEFAULT 0 CHECK (hold_rub >= 0),
  updated_at TIMESTAMP DEFAULT NOW(),
  CHECK (balance_rub + hold_rub >= 0)
);
CREATE TABLE ledger (
  id BIGSERIAL PRIMARY KEY,
  user_id BIGINT REFERENCES users,
  kind TEXT CHECK (kind IN ('topup','charge','refund','hold','release','adjust')),
  amount_rub NUMERIC(12,2),
  status TEXT DEFAULT 'done' CHECK (status IN ('pending','done','failed','cancelled')),
  ref TEXT,
  meta JSONB,
  created_at TIMESTAMP DEFAULT NOW()
);
CREATE INDEX idx_ledger_ref ON ledger (ref);
CREATE UNIQUE INDEX idx_ledger_ref_done ON ledger (ref) WHERE ref IS NOT NULL AND status = 'done';
CREATE TABLE jobs (
  id BIGSERIAL PRIMARY KEY,
  user_id BIGINT REFERENCES users,
  model_id TEXT,
  category TEXT NOT NULL,
  input_json JSONB NOT NULL,
  price_rub NUMERIC(12,2) NOT NULL,
  status TEXT DEFAULT 'draft',
  kie_task_id TEXT,
  idempotency_key TEXT NOT NULL UNIQUE,
  created_at TIMESTAMP DEFAULT NOW()
);
CREATE TABLE ui_state (user_id BIGINT PRIMARY KEY, state TEXT, data JSONB, updated_at TIMESTAMP);
)SQL";

// Opening balances: 1001 150.75, 1002 0.05 + 10.10 held = 10.15, 1005 99.99 → 260.89 in all.
inline constexpr const char* kLegacyRows = R"SQL(
INSERT INTO users (user_id, role, locale, created_at, metadata, tg_username, tg_first_name, tg_last_name) VALUES
  (1001, 'user',   'ru', '2025-12-01 10:00:00', '{}', 'anna', 'Анна', 'Петрова'),
  (1002, 'admin',  'en', '2025-12-02 10:00:00', '{"referral_invites": 1}', 'boss', 'Bob', NULL),
  (1003, 'user',   'ru', '2025-12-03 10:00:00', '{"referrer_id": "1001"}', NULL, NULL, NULL),
  (1004, 'user',   'ru', '2025-12-04 10:00:00', '{"referrer_id": "1001"}', 'payer', 'Pat', NULL),
  (1005, 'banned', 'ru', '2025-12-05 10:00:00', '{"referrer_id": "1005"}', NULL, 'Self', NULL),
  (1006, 'user',   'de', '2025-12-06 10:00:00', '{"referrer_id": "999999"}', NULL, 'Ghost', NULL),
  (1007, 'user',   NULL, '2025-12-07 10:00:00', '{"referrer_id": 1002}', NULL, 'Numeric', NULL),
  (1008, 'user',   'ru', '2025-12-08 10:00:00', '{"referrer_id": "ref_abc"}', NULL, 'Junk', NULL);
INSERT INTO wallets (user_id, balance_rub, hold_rub) VALUES
  (1001, 150.75, 0), (1002, 0.05, 10.10), (1004, 0, 0), (1005, 99.99, 0);
-- 1003, 1006, 1007 and 1008 have no wallet row (the old bot created it lazily).
INSERT INTO ledger (user_id, kind, amount_rub, status, ref) VALUES
  (1001, 'topup', 150.75, 'done', 'topup_sbp_1'),
  (1001, 'topup', 150.75, 'failed', 'topup_sbp_1'),
  (1002, 'hold', 10.10, 'done', 'hold_t1'),
  (1002, 'hold', 10.10, 'pending', 'hold_t1'),
  (1002, 'topup', 10.15, 'done', 'topup_sbp_2'),
  (1004, 'topup', 5.00, 'done', 'topup_sbp_3'),
  (1004, 'charge', 5.00, 'done', 'charge_t2'),
  (1005, 'adjust', 99.99, 'done', NULL),
  (1005, 'adjust', 99.99, 'done', NULL);
INSERT INTO jobs (user_id, model_id, category, input_json, price_rub, status, idempotency_key) VALUES
  (1004, 'flux-2/pro-text-to-image', 'image', '{}', 5.00, 'succeeded', 'job-1');
)SQL";

}  // namespace kb::legacy::test
