// Rendering of money flows from the locale files.
#include "services/billing/money_views.hpp"

#include <fmt/format.h>

#include "bot/callback_data.hpp"
#include "telegram/text.hpp"

namespace kb::services {
namespace {

telegram::InlineButton button(std::string text, std::string_view action,
                              const std::vector<std::string>& args) {
  // Our own actions and numeric arguments always encode; a failure is a programming error.
  auto data = bot::encode_callback(action, args);
  return telegram::InlineButton::callback(std::move(text), data.value_or(std::string("1|h")));
}

std::string rub(Kopecks amount) { return format_rubles(amount); }

std::string display_name(const std::optional<store::User>& user, std::int64_t id) {
  if (!user) return fmt::format("id {}", id);
  std::string name = user->first_name;
  if (user->last_name && !user->last_name->empty()) name += " " + *user->last_name;
  name = telegram::escape_html(name);
  if (user->username && !user->username->empty())
    name += " (@" + telegram::escape_html(*user->username) + ")";
  return name;
}

std::string reason_text(const bot::Texts& texts, bot::Lang lang, const store::ManualTopup& r) {
  auto reason = domain::parse_reject_reason(r.reason.value_or("other"))
                    .value_or(domain::RejectReason::other);
  return texts.get(lang, fmt::format("payments.manual.reason.{}", domain::reject_reason_code(reason)));
}

}  // namespace

bot::Lang user_lang(const store::User& user) {
  if (user.language && !user.language->empty()) return bot::lang_from_code(*user.language);
  return bot::lang_from_code(user.language_code.value_or("ru"));
}

std::vector<telegram::InlineButton> stars_package_buttons(const bot::Texts& texts, bot::Lang lang,
                                                          const StarsSettings& settings) {
  std::vector<telegram::InlineButton> out;
  for (std::size_t i = 0; i < settings.packages.size(); ++i) {
    const auto& p = settings.packages[i];
    out.push_back(button(texts.get(lang, "payments.stars.package_button",
                                   {{"amount", rub(p.credit)}, {"stars", std::to_string(p.stars)}}),
                         money_actions::stars_package, {std::to_string(i)}));
  }
  return out;
}

InvoiceTexts invoice_texts(const bot::Texts& texts, bot::Lang lang, const StarsPackage& package) {
  bot::TextParams params{{"amount", rub(package.credit)}, {"stars", std::to_string(package.stars)}};
  InvoiceTexts t;
  // Telegram's limits (title 32, description 255 characters): an operator's long brand must not
  // turn every invoice into a 400.
  t.title = telegram::truncate_text(texts.get(lang, "payments.stars.invoice_title", params), 32);
  t.description =
      telegram::truncate_text(texts.get(lang, "payments.stars.invoice_description", params), 255);
  t.price_label = texts.get(lang, "payments.stars.price_label", params);
  return t;
}

std::string checkout_refusal_text(const bot::Texts& texts, bot::Lang lang,
                                  const CheckoutVerdict& verdict) {
  if (verdict.ok) return {};
  return telegram::html_to_plain(texts.get(lang, verdict.reason_key));
}

std::optional<std::string> stars_credit_text(const bot::Texts& texts, bot::Lang lang,
                                             const StarsCredit& credit) {
  switch (credit.status) {
    case StarsCreditStatus::credited:
      return texts.get(lang, "payments.stars.credited",
                       {{"amount", rub(credit.credited)},
                        {"balance", rub(credit.balance_after.available)}});
    case StarsCreditStatus::needs_review:
      return texts.get(lang, "payments.stars.needs_review");
    case StarsCreditStatus::duplicate:
      return std::nullopt;
  }
  return std::nullopt;
}

std::string refund_outcome_text(const bot::Texts& texts, bot::Lang lang,
                                const RefundOutcome& o) {
  return texts.get(lang, refund_status_key(o.status),
                   {{"amount", rub(o.amount)},
                    {"available", rub(o.available)},
                    {"stars", std::to_string(o.payment ? o.payment->stars : 0)},
                    {"error", telegram::escape_html(o.telegram_error)}});
}

std::optional<telegram::InlineButton> refund_button(const bot::Texts& texts, bot::Lang lang,
                                                    const store::StarsPayment& payment) {
  if (payment.status != "credited") return std::nullopt;
  return button(texts.get(lang, "payments.refund.button", {{"stars", std::to_string(payment.stars)}}),
                money_actions::stars_refund,
                {std::to_string(payment.user_id), std::to_string(payment.id)});
}

std::string manual_amount_prompt(const bot::Texts& texts, bot::Lang lang,
                                 const ManualTopupSettings& settings) {
  return texts.get(lang, "payments.manual.choose_amount",
                   {{"min", rub(settings.limits.min)}, {"max", rub(settings.limits.max)}});
}

std::vector<std::vector<telegram::InlineButton>> manual_amount_rows(
    const bot::Texts& texts, bot::Lang lang, const ManualTopupSettings& settings) {
  std::vector<std::vector<telegram::InlineButton>> rows;
  for (auto amount : settings.presets) {
    if (amount < settings.limits.min || amount > settings.limits.max) continue;
    if (rows.empty() || rows.back().size() == 2) rows.emplace_back();
    rows.back().push_back(button(texts.get(lang, "payments.manual.amount_button", {{"amount", rub(amount)}}),
                                 money_actions::manual_amount, {std::to_string(amount)}));
  }
  return rows;
}

std::string manual_amount_error_text(const bot::Texts& texts, bot::Lang lang,
                                     const ManualTopupSettings& settings,
                                     domain::AmountError error) {
  return texts.get(lang,
                   fmt::format("payments.manual.amount_error.{}", domain::amount_error_code(error)),
                   {{"min", rub(settings.limits.min)}, {"max", rub(settings.limits.max)}});
}

std::string manual_details_text(const bot::Texts& texts, bot::Lang lang,
                                const ManualTopupSettings& settings, Kopecks amount) {
  return texts.get(lang, "payments.manual.details",
                   {{"amount", rub(amount)}, {"details", telegram::escape_html(settings.details)}});
}

std::string manual_submitted_text(const bot::Texts& texts, bot::Lang lang,
                                  const ManualSubmitted& submitted) {
  switch (submitted.status) {
    case ManualSubmitStatus::submitted:
      return texts.get(lang, "payments.manual.submitted",
                       {{"id", std::to_string(submitted.request.id)},
                        {"amount", rub(submitted.request.amount_kopecks)}});
    case ManualSubmitStatus::too_many_pending:
      return texts.get(lang, "payments.manual.too_many_pending");
    case ManualSubmitStatus::disabled:
      return texts.get(lang, "payments.manual.disabled");
    case ManualSubmitStatus::invalid_amount:
      return texts.get(lang, "payments.manual.amount_error.not_a_number");
  }
  return {};
}

telegram::SendMedia manual_admin_notice(const bot::Texts& texts, bot::Lang lang,
                                        std::int64_t admin_chat_id,
                                        const store::ManualTopup& request,
                                        const std::optional<store::User>& requester) {
  telegram::SendMedia media;
  media.chat_id = admin_chat_id;
  auto receipt = decode_receipt(request.receipt_file_id.value_or(""));
  media.type = receipt && receipt->kind == Receipt::Kind::document ? telegram::MediaType::document
                                                                   : telegram::MediaType::photo;
  media.file = telegram::InputFile::by_id_or_url(receipt ? receipt->file_id : std::string());
  media.caption = texts.get(lang, "payments.manual.admin.request",
                            {{"id", std::to_string(request.id)},
                             {"amount", rub(request.amount_kopecks)},
                             {"user", display_name(requester, request.user_id)},
                             {"user_id", std::to_string(request.user_id)}});
  media.reply_markup = manual_decision_keyboard(texts, lang, request);
  return media;
}

telegram::InlineKeyboard manual_decision_keyboard(const bot::Texts& texts, bot::Lang lang,
                                                  const store::ManualTopup& request) {
  telegram::InlineKeyboard k;
  auto id = std::to_string(request.id);
  k.row({button(texts.get(lang, "payments.manual.admin.approve",
                          {{"amount", rub(request.amount_kopecks)}}),
                money_actions::manual_approve, {id}),
         button(texts.get(lang, "payments.manual.admin.reject"), money_actions::manual_reject, {id})});
  return k;
}

telegram::InlineKeyboard manual_reason_keyboard(const bot::Texts& texts, bot::Lang lang,
                                                std::int64_t request_id) {
  telegram::InlineKeyboard k;
  auto id = std::to_string(request_id);
  for (auto reason : domain::all_reject_reasons()) {
    auto code = std::string(domain::reject_reason_code(reason));
    k.row({button(texts.get(lang, "payments.manual.reason." + code),
                  money_actions::manual_reject_reason, {id, code})});
  }
  k.row({button(texts.get(lang, "payments.manual.admin.back"), money_actions::manual_back, {id})});
  return k;
}

telegram::SendMessage manual_user_notice(const bot::Texts& texts, bot::Lang lang,
                                         const ManualDecision& decision) {
  telegram::SendMessage m;
  if (!decision.request) return m;
  const auto& r = *decision.request;
  m.chat_id = r.user_id;
  bot::TextParams params{{"id", std::to_string(r.id)},
                         {"amount", rub(r.amount_kopecks)},
                         {"balance", rub(decision.balance_after.available)}};
  if (r.status == store::ManualStatus::approved) {
    m.text = texts.get(lang, "payments.manual.approved", params);
  } else {
    params.emplace_back("reason", reason_text(texts, lang, r));
    m.text = texts.get(lang, "payments.manual.rejected", params);
  }
  return m;
}

}  // namespace kb::services
