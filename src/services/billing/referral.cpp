// Referral attachment and screen data.
#include "services/billing/referral.hpp"

#include <fmt/format.h>

#include "domain/start_payload.hpp"

namespace kb::services {

Result<ReferralAttach> attach_referral(store::Tx& tx, std::int64_t invited_id, std::int64_t referrer_id,
                                      bool invited_is_new, const ReferralSettings& settings,
                                      std::int64_t now) {
  if (settings.kind == ReferralSettings::Kind::none) return ReferralAttach::disabled;
  if (invited_id == referrer_id) return ReferralAttach::self_referral;
  if (!domain::referral_allowed(invited_id, referrer_id)) return ReferralAttach::unknown_referrer;
  if (KB_TRY(tx.referrals().get(invited_id))) return ReferralAttach::already_attached;
  // Only someone who never used the bot counts as invited: an existing user following a friend's
  // link would otherwise earn the friend a reward for nothing.
  if (!invited_is_new) return ReferralAttach::not_new;
  if (!KB_TRY(tx.users().get(referrer_id))) return ReferralAttach::unknown_referrer;
  if (!KB_TRY(tx.referrals().attach(invited_id, referrer_id, now)))
    return ReferralAttach::already_attached;
  return ReferralAttach::attached;
}

std::string referral_link(std::string_view bot_username, std::int64_t user_id) {
  if (bot_username.empty()) return {};
  if (bot_username.starts_with('@')) bot_username.remove_prefix(1);
  return fmt::format("https://t.me/{}?start=ref_{}", bot_username, user_id);
}

Result<ReferralScreenData> referral_screen(store::Tx& tx, std::int64_t user_id,
                                           std::string_view bot_username,
                                           const ReferralSettings& settings) {
  ReferralScreenData data;
  data.link = referral_link(bot_username, user_id);
  auto counts = KB_TRY(tx.referrals().counts(user_id));
  data.invited = counts.invited;
  data.rewarded = counts.rewarded;
  data.bonus_free_left = KB_TRY(tx.free_usage().bonus(user_id));
  data.reward = settings;
  return data;
}

}  // namespace kb::services
