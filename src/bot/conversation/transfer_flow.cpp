// The user's side of a bank-transfer top-up: choose an amount (a preset button or typed), see the
// operator's details, send the receipt (a photo, or an image/PDF document). The request is stored
// and every admin gets it with Approve / Reject in the same transaction (services/billing/manual*);
// nothing is credited here.
#include "bot/actions.hpp"
#include "bot/conversation/flows.hpp"
#include "bot/screens/registry.hpp"
#include "core/log.hpp"
#include "services/billing/manual_admin.hpp"
#include "services/billing/money_views.hpp"
#include "telegram/media.hpp"

namespace kb::bot::flows {
namespace {

const services::ManualTopupSettings& manual(const Turn& turn) {
  return turn.settings.money.manual;
}

// Disabled (no details configured, or switched off since the button was drawn): say so, offer
// the other top-up ways.
void transfer_disabled(Turn& turn) {
  turn.answer(turn.t("payments.manual.disabled"));
  turn.state.reset();
  turn.show_new(screen::topup, screens::topup(turn.ctx()));
}

// A user with max_pending_per_user undecided requests is told so instead of being shown the
// details (or asked for an amount): nobody pays a transfer whose receipt would be refused.
// Asked at every step that leads to the details, since old amount buttons stay pressable.
Result<bool> refused_at_limit(Turn& turn) {
  if (!KB_TRY(services::manual_pending_limit_reached(turn.tx, manual(turn), turn.user.id)))
    return false;
  auto text = turn.t("payments.manual.too_many_pending");
  turn.answer(text);
  turn.state.reset();
  View v{text, {}};
  v.keyboard.row({button(turn.t("menu.balance"), act::balance), home_button(turn.ctx())});
  turn.show(screen::main, std::move(v));
  return true;
}

// The details for `amount`; the next message is expected to be the receipt.
Result<void> show_details(Turn& turn, Kopecks amount, bool as_new) {
  if (KB_TRY(refused_at_limit(turn))) return {};
  turn.state.reset();
  turn.state.transfer_amount = amount;
  auto view = screens::transfer_details(turn.ctx(), amount);
  if (as_new)
    turn.show_new(screen::transfer_receipt, std::move(view));
  else
    turn.show(screen::transfer_receipt, std::move(view));
  return {};
}

// A receipt is a photo, or a document that is an image or a PDF (bank apps export both).
std::optional<services::Receipt> receipt_of(const telegram::Message& message) {
  auto media = telegram::extract_media(message);
  if (!media.file || media.file->file_id.empty()) return std::nullopt;
  const auto& file = *media.file;
  if (file.kind == telegram::MediaKind::image && !message.photo.empty())
    return services::Receipt{services::Receipt::Kind::photo, file.file_id};
  bool image_or_pdf = file.mime_type.starts_with("image/") || file.mime_type == "application/pdf";
  if (message.document && image_or_pdf)
    return services::Receipt{services::Receipt::Kind::document, file.file_id};
  return std::nullopt;
}

Result<void> submit(Turn& turn, const telegram::Message& message,
                    const services::Receipt& receipt) {
  auto submitted = KB_TRY(services::submit_manual_topup(
      turn.tx, manual(turn), turn.user.id, turn.state.transfer_amount, receipt, turn.now));
  auto text = services::manual_submitted_text(turn.texts, turn.lang, submitted);
  if (submitted.status == services::ManualSubmitStatus::invalid_amount) {
    // The limits changed since the amount was chosen: choose again.
    turn.state.reset();
    turn.show_new(screen::transfer_amount, screens::transfer_amount(turn.ctx(), text));
    return {};
  }
  if (submitted.status == services::ManualSubmitStatus::submitted) {
    auto notices = KB_TRY(services::manual_admin_notices(turn.tx, turn.texts, submitted));
    if (notices.empty()) log::warn("manual_topup_no_admins", {{"request", submitted.request.id}});
    for (auto& notice : notices) turn.reply.media(std::move(notice));
  }
  turn.state.reset();
  // The other photos of an album sent as the receipt are not new messages to answer.
  turn.state.album_id = message.media_group_id;
  View v{text, {}};
  v.keyboard.row({button(turn.t("menu.balance"), act::balance), home_button(turn.ctx())});
  turn.show_new(screen::main, std::move(v));
  return {};
}

}  // namespace

Result<void> show_transfer_amount(Turn& turn) {
  if (!manual(turn).enabled()) {
    transfer_disabled(turn);
    return {};
  }
  if (KB_TRY(refused_at_limit(turn))) return {};
  turn.state.reset();
  turn.show(screen::transfer_amount, screens::transfer_amount(turn.ctx()));
  return {};
}

Result<void> choose_transfer_amount(Turn& turn, const CallbackData& data) {
  if (!manual(turn).enabled()) {
    transfer_disabled(turn);
    return {};
  }
  auto amount = data.int_arg(0);
  const auto& limits = manual(turn).limits;
  // The presets are drawn within the limits; anything else is an old or forged button.
  if (!amount || *amount < limits.min || *amount > limits.max) {
    stale(turn);
    return {};
  }
  return show_details(turn, *amount, false);
}

Result<void> transfer_message(Turn& turn, const telegram::Message& message) {
  if (!manual(turn).enabled()) {
    transfer_disabled(turn);
    return {};
  }
  if (turn.state.screen == screen::transfer_amount) {
    auto parsed = domain::parse_topup_amount(message.text.value_or(""), manual(turn).limits);
    if (!parsed.amount) {
      auto note =
          services::manual_amount_error_text(turn.texts, turn.lang, manual(turn), parsed.error);
      turn.show_new(screen::transfer_amount, screens::transfer_amount(turn.ctx(), note));
      return {};
    }
    return show_details(turn, *parsed.amount, true);
  }
  // Awaiting the receipt.
  if (turn.state.transfer_amount <= 0) return show_transfer_amount(turn);
  if (auto receipt = receipt_of(message)) return submit(turn, message, *receipt);
  turn.show_new(screen::transfer_receipt,
                screens::transfer_details(turn.ctx(), turn.state.transfer_amount,
                                          turn.t("payments.manual.send_receipt")));
  return {};
}

}  // namespace kb::bot::flows
