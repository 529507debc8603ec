// Confirming a generation: the one transaction that creates the job row and funds it (free
// generation or a hold), idempotent by the confirming action's key.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "catalog/model.hpp"
#include "core/result.hpp"
#include "services/billing/job_money.hpp"
#include "store/tx.hpp"

namespace kb::services {

struct ConfirmRequest {
  std::int64_t user_id = 0;
  std::int64_t chat_id = 0;
  const catalog::Model* model = nullptr;
  catalog::InputValues values;   // media as "kbmedia:<ref id>" or http(s) links
  std::string idempotency_key;   // from the confirming action (e.g. the callback query id)
  int max_active_jobs = 2;
  FreeTierSettings free;
};

enum class ConfirmStatus {
  created,             // a new job, funded
  existing,            // the same confirm seen before (double tap, redelivery): that job
  insufficient_funds,  // nothing written: the UI offers a top-up
  too_many_active,     // nothing written: the per-user concurrency limit
  model_unavailable,   // nothing written: disabled or gone
};

struct ConfirmResult {
  ConfirmStatus status = ConfirmStatus::created;
  std::optional<store::Job> job;
  Kopecks price = 0;            // list price of these inputs
  FundingPlan plan;             // how it was paid (created)
  store::Balance balance_after;
};

Result<ConfirmResult> confirm_job(store::Tx& tx, const ConfirmRequest& request, std::int64_t now);

}  // namespace kb::services
