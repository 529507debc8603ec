// Small helpers of the public record types.
#include "sandbox/fake_telegram/records.hpp"

#include <fmt/format.h>

namespace kb::sandbox::tg {

InjectedError InjectedError::too_many_requests(int retry_after_seconds) {
  return InjectedError{429, fmt::format("Too Many Requests: retry after {}", retry_after_seconds),
                       retry_after_seconds, std::nullopt};
}

InjectedError InjectedError::server_error(int code) {
  switch (code) {
    case 502:
      return InjectedError{502, "Bad Gateway", std::nullopt, std::nullopt};
    case 503:
      return InjectedError{503, "Service Unavailable", std::nullopt, std::nullopt};
    case 504:
      return InjectedError{504, "Gateway Timeout", std::nullopt, std::nullopt};
    default:
      return InjectedError{code, "Internal Server Error: injected failure", std::nullopt,
                           std::nullopt};
  }
}

InjectedError InjectedError::bot_blocked() {
  return InjectedError{403, "Forbidden: bot was blocked by the user", std::nullopt, std::nullopt};
}

InjectedError InjectedError::not_modified() {
  return InjectedError{400,
                       "Bad Request: message is not modified: specified new message content and "
                       "reply markup are exactly the same as a current content and reply markup "
                       "of the message",
                       std::nullopt, std::nullopt};
}

InjectedError InjectedError::bad_request(std::string text) {
  return InjectedError{400, "Bad Request: " + text, std::nullopt, std::nullopt};
}

std::optional<std::string> MessageView::callback_data_of(std::string_view button_text) const {
  for (const auto& row : inline_keyboard)
    for (const auto& b : row)
      if (b.text == button_text && !b.callback_data.empty()) return b.callback_data;
  return std::nullopt;
}

std::vector<Button> MessageView::buttons() const {
  std::vector<Button> out;
  for (const auto& row : inline_keyboard) out.insert(out.end(), row.begin(), row.end());
  return out;
}

bool ReceivedCall::has(std::string_view name) const {
  return params.find(std::string(name)) != params.end();
}

std::string ReceivedCall::param(std::string_view name) const {
  auto it = params.find(std::string(name));
  return it == params.end() ? std::string() : it->second;
}

nlohmann::json ReceivedCall::json_param(std::string_view name) const {
  auto it = params.find(std::string(name));
  if (it == params.end()) return nullptr;
  auto parsed = nlohmann::json::parse(it->second, nullptr, false);
  return parsed.is_discarded() ? nlohmann::json(nullptr) : parsed;
}

std::string_view payment_state_name(PaymentState state) {
  switch (state) {
    case PaymentState::awaiting_answer:
      return "awaiting_answer";
    case PaymentState::declined:
      return "declined";
    case PaymentState::expired:
      return "expired";
    case PaymentState::paid:
      return "paid";
    case PaymentState::refunded:
      return "refunded";
  }
  return "unknown";
}

std::string_view chat_event_kind_name(ChatEvent::Kind kind) {
  switch (kind) {
    case ChatEvent::Kind::message_added:
      return "message_added";
    case ChatEvent::Kind::message_edited:
      return "message_edited";
    case ChatEvent::Kind::message_deleted:
      return "message_deleted";
    case ChatEvent::Kind::callback_answered:
      return "callback_answered";
    case ChatEvent::Kind::chat_action:
      return "chat_action";
    case ChatEvent::Kind::payment_changed:
      return "payment_changed";
    case ChatEvent::Kind::user_blocked:
      return "user_blocked";
  }
  return "unknown";
}

}  // namespace kb::sandbox::tg
