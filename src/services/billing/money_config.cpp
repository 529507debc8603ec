// Money settings from the application configuration.
#include "services/billing/money_config.hpp"

#include "app/config.hpp"
#include "domain/free_tier.hpp"

namespace kb::services {

MoneySettings money_settings(const app::Config& config) {
  MoneySettings s;
  s.free.daily_limit = config.free_daily_limit;
  s.free.utc_offset_minutes = domain::parse_utc_offset(config.free_tier_timezone).value_or(0);
  switch (config.referral_reward.kind) {
    case app::ReferralReward::Kind::none:
      s.referral.kind = ReferralSettings::Kind::none;
      break;
    case app::ReferralReward::Kind::free_generations:
      s.referral.kind = ReferralSettings::Kind::free_generations;
      break;
    case app::ReferralReward::Kind::kopecks:
      s.referral.kind = ReferralSettings::Kind::kopecks;
      break;
  }
  s.referral.amount = config.referral_reward.amount;
  s.welcome_bonus = config.start_bonus;
  for (const auto& p : config.stars_packages) s.stars.packages.push_back({p.credit, p.stars});
  s.manual.details = config.manual_topup_details;
  s.manual.admin_ids = config.admin_ids;
  return s;
}

}  // namespace kb::services
