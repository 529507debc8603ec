// Stars top-ups from the conversation: the invoice for a package, the pre-checkout answer, the
// credit of a successful payment (the money services decide; this only routes and replies).
#include "bot/conversation/flows.hpp"
#include "core/log.hpp"
#include "services/billing/money_views.hpp"
#include "services/billing/stars.hpp"

namespace kb::bot::flows {

Result<void> send_invoice(Turn& turn, int package_index) {
  const auto& packages = turn.settings.money.stars.packages;
  if (package_index < 0 || package_index >= static_cast<int>(packages.size())) {
    stale(turn);
    return {};
  }
  auto texts = services::invoice_texts(turn.texts, turn.lang,
                                       packages[static_cast<std::size_t>(package_index)]);
  auto invoice = KB_TRY(services::make_invoice(turn.tx, turn.settings.money.stars, turn.user.id,
                                               turn.chat_id, package_index, texts, turn.now));
  turn.answer("");
  turn.reply.invoice(std::move(invoice));
  return {};
}

Result<void> on_pre_checkout(Turn& turn, const telegram::PreCheckoutQuery& query) {
  auto verdict = KB_TRY(services::check_pre_checkout(turn.tx, query));
  auto refusal =
      verdict.ok ? std::string() : services::checkout_refusal_text(turn.texts, turn.lang, verdict);
  turn.reply.pre_checkout = services::pre_checkout_answer(query, verdict, refusal);
  return {};
}

Result<void> on_successful_payment(Turn& turn, const telegram::Message& message) {
  auto credit =
      services::credit_successful_payment(turn.tx, message, turn.settings.money.referral, turn.now);
  if (!credit) {
    // A charge id recorded with other details is a forged or corrupted update: nothing to credit.
    if (credit.error().code != Errc::conflict && credit.error().code != Errc::invalid_input)
      return fail(credit.error());
    log::warn("stars_payment_refused", {{"user", turn.user.id}, {"error", credit.error().message}});
    return {};
  }
  if (auto text = services::stars_credit_text(turn.texts, turn.lang, *credit)) {
    View v{*text, {}};
    v.keyboard.row({home_button(turn.ctx())});
    turn.reply.message(std::move(v));
  }
  return {};
}

}  // namespace kb::bot::flows
