// Pure rules of top-ups.
#include "domain/payments.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

namespace kb::domain {
namespace {

constexpr std::string_view kPayloadPrefix = "kbs1";

bool valid_nonce(std::string_view n) {
  return n.size() >= 8 && n.size() <= 64 && std::all_of(n.begin(), n.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '-';
         });
}

template <class T>
std::optional<T> to_number(std::string_view s) {
  T v{};
  if (s.empty() || s.size() > 19 || (s.front() == '0' && s.size() > 1)) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// Removes one of `suffixes` (exact bytes; Cyrillic has no ASCII case folding) from the end.
std::string_view drop_suffix(std::string_view s, std::initializer_list<std::string_view> suffixes) {
  for (auto suffix : suffixes)
    if (s.size() >= suffix.size() && s.ends_with(suffix)) return s.substr(0, s.size() - suffix.size());
  return s;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Spaces people put inside numbers: ASCII, no-break (U+00A0) and narrow no-break (U+202F).
std::string without_spaces(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ' ' || s[i] == '\t') continue;
    if (s.substr(i).starts_with("\xC2\xA0")) {
      i += 1;
      continue;
    }
    if (s.substr(i).starts_with("\xE2\x80\xAF")) {
      i += 2;
      continue;
    }
    out += s[i];
  }
  return out;
}

constexpr std::array<std::pair<RejectReason, std::string_view>, 5> kReasons = {{
    {RejectReason::not_received, "not_received"},
    {RejectReason::wrong_amount, "wrong_amount"},
    {RejectReason::bad_receipt, "bad_receipt"},
    {RejectReason::duplicate, "duplicate"},
    {RejectReason::other, "other"},
}};

}  // namespace

std::optional<std::string> encode_stars_payload(const StarsPayload& p) {
  if (p.user_id <= 0 || p.package_index < 0 || !valid_nonce(p.nonce)) return std::nullopt;
  auto out = fmt::format("{}.{}.{}.{}", kPayloadPrefix, p.user_id, p.package_index, p.nonce);
  if (out.size() > kMaxInvoicePayloadBytes) return std::nullopt;
  return out;
}

std::optional<StarsPayload> decode_stars_payload(std::string_view text) {
  if (text.size() > kMaxInvoicePayloadBytes) return std::nullopt;
  std::array<std::string_view, 4> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    auto dot = i + 1 < parts.size() ? text.find('.', start) : std::string_view::npos;
    if (i + 1 < parts.size() && dot == std::string_view::npos) return std::nullopt;
    parts[i] = text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    start = dot + 1;
  }
  if (parts[0] != kPayloadPrefix) return std::nullopt;
  auto user = to_number<std::int64_t>(parts[1]);
  auto package = to_number<int>(parts[2]);
  if (!user || *user <= 0 || !package || !valid_nonce(parts[3])) return std::nullopt;
  return StarsPayload{*user, *package, std::string(parts[3])};
}

std::string_view checkout_refusal_code(CheckoutRefusal refusal) {
  switch (refusal) {
    case CheckoutRefusal::unknown_invoice:
      return "unknown_invoice";
    case CheckoutRefusal::wrong_user:
      return "wrong_user";
    case CheckoutRefusal::wrong_currency:
      return "wrong_currency";
    case CheckoutRefusal::wrong_amount:
      return "wrong_amount";
    case CheckoutRefusal::already_paid:
      return "already_paid";
    case CheckoutRefusal::invoice_closed:
      return "invoice_closed";
  }
  return "unknown_invoice";
}

std::string checkout_refusal_key(CheckoutRefusal refusal) {
  return fmt::format("payments.precheckout.{}", checkout_refusal_code(refusal));
}

std::optional<CheckoutRefusal> judge_checkout(const std::optional<InvoiceFacts>& invoice,
                                              const CheckoutFacts& q) {
  // The payload must be one we issued, and the row must exist: a decodable payload alone proves
  // nothing (payloads are visible to anyone the invoice message is forwarded to).
  auto decoded = decode_stars_payload(q.payload);
  if (!invoice || !decoded) return CheckoutRefusal::unknown_invoice;
  if (invoice->user_id != q.user_id || decoded->user_id != q.user_id)
    return CheckoutRefusal::wrong_user;
  if (q.currency != kStarsCurrency) return CheckoutRefusal::wrong_currency;
  if (q.total_amount != invoice->stars) return CheckoutRefusal::wrong_amount;
  if (invoice->status == "paid") return CheckoutRefusal::already_paid;
  if (invoice->status != "open") return CheckoutRefusal::invoice_closed;
  return std::nullopt;
}

bool payment_matches_invoice(const std::optional<InvoiceFacts>& invoice, const CheckoutFacts& paid) {
  // "already paid" is no reason to withhold a credit: Telegram took the Stars, so a second
  // payment of one invoice (two pre-checkouts answered before either was paid) is credited too.
  return invoice && invoice->user_id == paid.user_id && paid.currency == kStarsCurrency &&
         paid.total_amount == invoice->stars;
}

std::string stars_refund_hold_key(std::string_view charge_id, int attempt) {
  return fmt::format("stars_refund_hold:{}:{}", attempt, charge_id);
}

std::string stars_refund_release_key(std::string_view charge_id, int attempt) {
  return fmt::format("stars_refund_release:{}:{}", attempt, charge_id);
}

std::string_view amount_error_code(AmountError error) {
  switch (error) {
    case AmountError::too_small:
      return "too_small";
    case AmountError::too_large:
      return "too_large";
    default:
      return "not_a_number";
  }
}

ParsedAmount parse_topup_amount(std::string_view text, const AmountLimits& limits) {
  ParsedAmount out;
  if (text.size() > 64) return out;
  auto compact = without_spaces(text);
  auto lowered = ascii_lower(compact);
  std::string_view s = lowered;
  // Currency words and signs, longest first so "руб." does not leave "руб".
  s = drop_suffix(s, {"rubles", "rub.", "rub", "руб.", "руб", "Руб.", "Руб", "РУБ", "р.", "р", "Р",
                      "₽"});
  std::string number(s);
  std::replace(number.begin(), number.end(), ',', '.');
  auto kopecks = parse_rubles(number);
  if (!kopecks) return out;
  if (*kopecks < limits.min) {
    out.error = AmountError::too_small;
    return out;
  }
  if (*kopecks > limits.max) {
    out.error = AmountError::too_large;
    return out;
  }
  out.amount = *kopecks;
  return out;
}

std::string_view reject_reason_code(RejectReason reason) {
  for (const auto& [r, code] : kReasons)
    if (r == reason) return code;
  return "other";
}

std::optional<RejectReason> parse_reject_reason(std::string_view code) {
  for (const auto& [r, c] : kReasons)
    if (c == code) return r;
  return std::nullopt;
}

const std::vector<RejectReason>& all_reject_reasons() {
  static const std::vector<RejectReason> reasons = [] {
    std::vector<RejectReason> v;
    for (const auto& [r, code] : kReasons) v.push_back(r);
    return v;
  }();
  return reasons;
}

}  // namespace kb::domain
