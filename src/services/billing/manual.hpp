// Manual bank-transfer top-ups (enabled by MANUAL_TOPUP_DETAILS): the user picks an amount, sees
// the details, sends a receipt; a pending request is stored and every admin is told; an admin
// approves (credited exactly once, even when two admins press at once: a compare-and-set on the
// request plus the ledger key) or rejects with a reason. Nothing is credited without approval.
// Every function works inside the caller's transaction and never calls Telegram.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.hpp"
#include "core/result.hpp"
#include "domain/payments.hpp"
#include "services/billing/money_settings.hpp"
#include "store/tx.hpp"

namespace kb::services {

struct ManualTopupSettings {
  std::string details;  // MANUAL_TOPUP_DETAILS (shown to the user); empty: disabled
  domain::AmountLimits limits;
  std::vector<Kopecks> presets{100'00, 500'00, 1'000'00, 5'000'00};  // amount buttons
  int max_pending_per_user = 3;  // more receipts wait until an admin decided the earlier ones
  std::vector<std::int64_t> admin_ids;  // ADMIN_IDS; users with the admin role are added

  bool enabled() const { return !details.empty(); }
};

// Who decides requests: ADMIN_IDS plus users with the admin role, ascending, no duplicates.
Result<std::vector<std::int64_t>> money_admins(store::Tx& tx, const ManualTopupSettings& settings);
Result<bool> is_money_admin(store::Tx& tx, const ManualTopupSettings& settings,
                            std::int64_t user_id);

// Whether the user already has max_pending_per_user undecided requests (asked before the details
// are shown, so nobody pays a transfer whose receipt would then be refused).
Result<bool> manual_pending_limit_reached(store::Tx& tx, const ManualTopupSettings& settings,
                                          std::int64_t user_id);

// The receipt as stored in manual_topups.receipt_file_id: "<kind>:<file_id>", so that it can be
// shown again with the right method (a photo's file_id cannot be sent as a document).
struct Receipt {
  enum class Kind { photo, document } kind = Kind::photo;
  std::string file_id;
};
std::string encode_receipt(const Receipt& receipt);
std::optional<Receipt> decode_receipt(std::string_view stored);

enum class ManualSubmitStatus {
  submitted,
  disabled,          // MANUAL_TOPUP_DETAILS is not set
  invalid_amount,    // outside the limits
  too_many_pending,  // the user has max_pending_per_user undecided requests
};

struct ManualSubmitted {
  ManualSubmitStatus status = ManualSubmitStatus::submitted;
  store::ManualTopup request;        // submitted
  std::vector<std::int64_t> admins;  // submitted: whom to notify (money_admins)
};

Result<ManualSubmitted> submit_manual_topup(store::Tx& tx, const ManualTopupSettings& settings,
                                            std::int64_t user_id, Kopecks amount,
                                            const Receipt& receipt, std::int64_t now);

enum class ManualDecisionStatus {
  approved,         // decided now, credited now
  rejected,         // decided now
  already_decided,  // another admin (or an earlier press) decided it: `request` shows how
  not_found,
  forbidden,  // the presser is not an admin
};

struct ManualDecision {
  ManualDecisionStatus status = ManualDecisionStatus::not_found;
  std::optional<store::ManualTopup> request;
  store::Balance balance_after;                   // approved: the user's balance
  std::optional<std::int64_t> rewarded_referrer;  // approved: a first top-up paid the inviter
};

Result<ManualDecision> approve_manual_topup(store::Tx& tx, const ManualTopupSettings& settings,
                                            std::int64_t request_id, std::int64_t admin_id,
                                            const ReferralSettings& referral, std::int64_t now);
Result<ManualDecision> reject_manual_topup(store::Tx& tx, const ManualTopupSettings& settings,
                                           std::int64_t request_id, std::int64_t admin_id,
                                           domain::RejectReason reason, std::int64_t now);

}  // namespace kb::services
