// Screens as pure functions: data in, View (text + inline keyboard) out. The conversation loads the
// data inside its transaction and decides which screen to show; these only lay it out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/screens/common.hpp"
#include "catalog/input_check.hpp"
#include "catalog/input_value.hpp"
#include "domain/free_tier.hpp"
#include "services/billing/referral.hpp"
#include "store/repos/jobs.hpp"
#include "store/repos/ledger.hpp"

namespace kb::bot::screens {

// The main menu; `note` (already localized, may be empty) is shown above it.
View main_menu(const ScreenContext& c, std::string_view note = {});

// `list`: a format name ("image", "video", "audio", "tools"), "popular" or "free".
std::vector<const catalog::Model*> list_models(const catalog::Catalog& catalog,
                                               std::string_view list);
View model_list(const ScreenContext& c, std::string_view list, int page);
View model_card(const ScreenContext& c, const catalog::Model& model, std::string_view list,
                int page);

struct StepExtras {
  std::size_t received = 0;  // items of an array input collected so far
  std::string note;          // an explanation of the last wrong answer (localized)
  bool editing = false;      // Back returns to the confirm screen
};
View wizard_step(const ScreenContext& c, const catalog::Model& model, int step,
                 const catalog::InputValues& values, const StepExtras& extras);
View edit_step_choice(const ScreenContext& c, const catalog::Model& model,
                      const catalog::InputValues& values);

// How the confirm screen describes the payment (from services::plan_funding).
struct Quote {
  Kopecks price = 0;
  domain::Funding funding = domain::Funding::balance;
  int free_left_after = 0;
  int daily_limit = 0;
  store::Balance balance;  // before
  bool insufficient = false;
};
View confirm(const ScreenContext& c, const catalog::Model& model,
             const catalog::InputValues& values, const Quote& q);
View no_funds(const ScreenContext& c, const catalog::Model& model, Kopecks price,
              const store::Balance& balance);
View too_many(const ScreenContext& c, const catalog::Model& model, int limit);
View started(const ScreenContext& c, const catalog::Model& model, const store::Job& job);

View balance(const ScreenContext& c, const store::Balance& balance,
             const std::vector<store::LedgerEntry>& entries);
View topup(const ScreenContext& c);
// Bank transfer: the amount (presets, or typed), then the details and a request for the receipt.
// `note` (localized, may be empty) explains the last wrong answer above the screen.
View transfer_amount(const ScreenContext& c, std::string_view note = {});
View transfer_details(const ScreenContext& c, Kopecks amount, std::string_view note = {});
View history(const ScreenContext& c, const std::vector<store::Job>& jobs, int page, bool has_more);
View referral(const ScreenContext& c, const services::ReferralScreenData& data);
View help(const ScreenContext& c);
View language(const ScreenContext& c);

// One line describing a value for the confirm screen and the history ("16:9", "2 files", "Yes").
std::string describe_value(const ScreenContext& c, const catalog::Input& input,
                           const catalog::InputValue& value);

}  // namespace kb::bot::screens
