// Reading an update's id, kind and ordering key.
#include "telegram/intake/inbox_entry.hpp"

#include <optional>

#include <nlohmann/json.hpp>

namespace kb::telegram {
namespace {

using Json = nlohmann::json;

std::optional<std::int64_t> int_at(const Json& object, std::string_view key) {
  if (!object.is_object()) return std::nullopt;
  auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<std::int64_t>();
}

std::optional<std::int64_t> chat_of(const Json& body) {
  if (!body.is_object()) return std::nullopt;
  if (auto it = body.find("chat"); it != body.end()) return int_at(*it, "id");
  return std::nullopt;
}

std::optional<std::int64_t> user_of(const Json& body) {
  if (!body.is_object()) return std::nullopt;
  if (auto it = body.find("from"); it != body.end()) return int_at(*it, "id");
  return std::nullopt;
}

}  // namespace

Result<InboxEntry> inbox_entry_for(std::string_view update_json) {
  auto root = Json::parse(update_json, nullptr, false);
  if (root.is_discarded() || !root.is_object())
    return fail(Errc::invalid_input, "the update is not a JSON object");
  auto id = int_at(root, "update_id");
  if (!id) return fail(Errc::invalid_input, "the update has no integer update_id");

  InboxEntry entry;
  entry.update_id = *id;
  // The first field other than update_id names the update's type (Telegram sends exactly one).
  for (auto it = root.begin(); it != root.end(); ++it) {
    if (it.key() == "update_id") continue;
    entry.kind = it.key();
    const Json& body = it.value();
    bool per_user = entry.kind == "callback_query" || entry.kind == "pre_checkout_query" ||
                    entry.kind == "inline_query" || entry.kind == "shipping_query";
    auto chat = per_user ? std::nullopt : chat_of(body);
    auto user = user_of(body);
    if (chat)
      entry.chat_key = std::to_string(*chat);
    else if (user)
      entry.chat_key = "u" + std::to_string(*user);
    break;
  }
  if (entry.kind.empty()) entry.kind = "unknown";
  // Nothing to order by: every such update is its own sequence.
  if (entry.chat_key.empty()) entry.chat_key = "update:" + std::to_string(entry.update_id);
  return entry;
}

}  // namespace kb::telegram
