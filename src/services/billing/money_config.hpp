// Every money rule the operator configures, resolved once from app::Config: the free tier, the
// referral reward, the welcome bonus, the Stars packages and manual transfers.
#pragma once

#include "core/money.hpp"
#include "services/billing/manual.hpp"
#include "services/billing/money_settings.hpp"
#include "services/billing/stars.hpp"

namespace kb::app {
struct Config;
}

namespace kb::services {

struct MoneySettings {
  FreeTierSettings free;
  ReferralSettings referral;
  Kopecks welcome_bonus = 0;  // START_BONUS_RUB
  StarsSettings stars;
  ManualTopupSettings manual;
};

// FREE_DAILY_LIMIT, FREE_TIER_TIMEZONE, REFERRAL_REWARD, START_BONUS_RUB, STARS_PACKAGES,
// MANUAL_TOPUP_DETAILS, ADMIN_IDS (the Config has validated every one of them).
MoneySettings money_settings(const app::Config& config);

}  // namespace kb::services
