// Referrals: attaching an invited user on `/start ref_<id>` (first referrer only, never oneself,
// only for a user seen for the first time) and the data of the "Invite a friend" screen. The
// reward itself is paid by reward_referrer_if_due (job_money.hpp) on the first paid generation or
// the first top-up.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "services/billing/money_settings.hpp"
#include "store/tx.hpp"

namespace kb::services {

enum class ReferralAttach {
  attached,
  not_new,           // the user existed before this /start: links only count for new users
  self_referral,
  unknown_referrer,  // no such user (a typo or an invented id)
  already_attached,  // the user has a referrer already (first referrer wins)
  disabled,          // REFERRAL_REWARD=none
};

// For `/start ref_<id>` (domain::parse_start_payload gives the referrer id). Call it in the
// transaction of the /start update, after users.upsert_seen; `invited_is_new` is that call's
// `created`.
Result<ReferralAttach> attach_referral(store::Tx& tx, std::int64_t invited_id, std::int64_t referrer_id,
                                      bool invited_is_new, const ReferralSettings& settings,
                                      std::int64_t now);

// "https://t.me/<bot>?start=ref_<id>"; empty when the bot's username is not known yet.
std::string referral_link(std::string_view bot_username, std::int64_t user_id);

struct ReferralScreenData {
  std::string link;             // empty: the username is not known yet (say "try again later")
  std::int64_t invited = 0;     // users who came through the link
  std::int64_t rewarded = 0;    // of them, those whose reward was paid
  int bonus_free_left = 0;      // the user's unused bonus free generations
  ReferralSettings reward;      // what one invite earns (none / free generations / kopecks)
};
Result<ReferralScreenData> referral_screen(store::Tx& tx, std::int64_t user_id,
                                           std::string_view bot_username,
                                           const ReferralSettings& settings);

}  // namespace kb::services
