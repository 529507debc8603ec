// The admin panel's screens (pure): the panel, stats, a user card, the payments queue, models,
// broadcast compose/preview, and the prompts for typed input. Texts from data/locales/*/admin.yaml.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "bot/screens/common.hpp"
#include "services/admin/broadcast_content.hpp"
#include "services/admin/credits_cache.hpp"
#include "services/admin/stats.hpp"
#include "store/repos/jobs.hpp"
#include "store/repos/ledger.hpp"
#include "store/repos/payments.hpp"
#include "store/repos/users.hpp"

namespace kb::bot::screens::admin {

View home(const ScreenContext& c, std::string_view note = {});
View stats(const ScreenContext& c, const services::admin::StatsReport& report,
           const std::optional<services::admin::CreditsSnapshot>& credits);

struct UserCard {
  store::User user;
  store::Balance balance;
  std::vector<store::Job> jobs;               // newest first
  std::vector<store::StarsPayment> payments;  // newest first
};
View user_card(const ScreenContext& c, const UserCard& card, std::string_view note = {});

// A prompt for typed input with a way back (`back_action`, default the panel).
View prompt(const ScreenContext& c, std::string text, std::string_view back_action = {},
            std::vector<std::string> back_args = {});

View payments(const ScreenContext& c, std::int64_t pending_count);
// One pending manual top-up with its Approve / Reject buttons (services' manual actions).
View manual_request(const ScreenContext& c, const store::ManualTopup& request);

// Every model of the file catalog with its effective switches; `free_limit` is the daily limit.
View models(const ScreenContext& c, int page, int free_limit, std::string_view note = {});

View broadcast_preview(const ScreenContext& c, std::int64_t recipients, bool has_button);

// "2024-05-01 14:03" (UTC).
std::string date_time(std::int64_t ms);

}  // namespace kb::bot::screens::admin
