// getMe, logOut, close, bot commands and chat actions.
#include <fmt/format.h>

#include "sandbox/fake_telegram/method_support.hpp"

namespace kb::sandbox::tg {
namespace {

Outcome get_me(Impl& impl, const ApiParams&) {
  auto j = bot_json(impl.bot);
  j["can_join_groups"] = true;
  j["can_read_all_group_messages"] = false;
  j["supports_inline_queries"] = false;
  j["supports_guest_queries"] = false;
  j["can_connect_to_business"] = false;
  j["has_main_web_app"] = false;
  j["has_topics_enabled"] = false;
  j["allows_users_to_create_topics"] = false;
  j["can_manage_bots"] = false;
  return Outcome::ok(std::move(j));
}

Outcome log_out(Impl&, const ApiParams&) {
  return Outcome::ok(true);
}

// Commands are kept per scope type and language; the sandbox shows the default scope.
std::string commands_key(const ApiParams& params) {
  std::string scope = "default";
  if (auto s = params.get("scope")) {
    auto parsed = Json::parse(*s, nullptr, false);
    if (parsed.is_object() && parsed.contains("type") && parsed["type"].is_string())
      scope = parsed["type"].get<std::string>();
  }
  return fmt::format("{}|{}", scope, params.get_or("language_code"));
}

bool valid_command_name(std::string_view c) {
  if (c.empty() || c.size() > 32) return false;
  for (char ch : c) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) return false;
  }
  return true;
}

Outcome set_my_commands(Impl& impl, const ApiParams& params) {
  auto text = params.get("commands");
  if (!text) return missing_parameter("commands");
  auto commands = Json::parse(*text, nullptr, false);
  if (commands.is_discarded() || !commands.is_array())
    return bad_request("can't parse commands JSON object");
  if (commands.size() > 100) return bad_request("too many commands specified");
  Json stored = Json::array();
  for (const auto& c : commands) {
    if (!c.is_object() || !c.contains("command") || !c["command"].is_string() ||
        !c.contains("description") || !c["description"].is_string())
      return bad_request("can't parse BotCommand");
    auto name = c["command"].get<std::string>();
    if (!name.empty() && name.front() == '/') name.erase(0, 1);
    if (!valid_command_name(name)) return bad_request("BOT_COMMAND_INVALID");
    auto description = c["description"].get<std::string>();
    if (description.empty() || utf16_length(description) > 256)
      return bad_request("BOT_COMMAND_DESCRIPTION_INVALID");
    Json item;
    item["command"] = name;
    item["description"] = description;
    stored.push_back(std::move(item));
  }
  impl.world.commands[commands_key(params)] = std::move(stored);
  return Outcome::ok(true);
}

Outcome get_my_commands(Impl& impl, const ApiParams& params) {
  auto it = impl.world.commands.find(commands_key(params));
  return Outcome::ok(it == impl.world.commands.end() ? Json::array() : it->second);
}

Outcome delete_my_commands(Impl& impl, const ApiParams& params) {
  impl.world.commands.erase(commands_key(params));
  return Outcome::ok(true);
}

Outcome send_chat_action(Impl& impl, const ApiParams& params) {
  auto chat = target_chat_locked(impl, params);
  if (!chat) return to_api_error(chat.error());
  auto action = params.get("action");
  if (!action) return missing_parameter("action");
  static constexpr std::string_view kActions[] = {
      "typing",        "upload_photo",      "record_video",      "upload_video",
      "record_voice",  "upload_voice",      "upload_document",   "choose_sticker",
      "find_location", "record_video_note", "upload_video_note", "record_audio",
      "upload_audio"};
  bool known = false;
  for (auto a : kActions) known = known || a == *action;
  if (!known) return bad_request("wrong parameter action in request");
  ChatEvent e;
  e.kind = ChatEvent::Kind::chat_action;
  e.chat_id = (*chat)->id;
  e.data = {{"action", *action}};
  impl.emit_locked(std::move(e));
  return Outcome::ok(true);
}

Outcome get_chat(Impl& impl, const ApiParams& params) {
  auto chat_id = params.get("chat_id");
  if (!chat_id) return bad_request("chat_id is empty");
  auto chat = impl.find_chat_locked(*chat_id, false);
  if (!chat) return to_api_error(chat.error());
  auto j = chat_json(**chat, impl.world);
  j["accent_color_id"] = 0;
  j["max_reaction_count"] = 11;
  j["accepted_gift_types"] = {{"unlimited_gifts", false},
                              {"limited_gifts", false},
                              {"unique_gifts", false},
                              {"premium_subscription", false}};
  return Outcome::ok(std::move(j));
}

}  // namespace

std::vector<MethodSpec> core_methods() {
  return {
      {"getMe", get_me},
      {"logOut", log_out},
      {"close", log_out},
      {"setMyCommands", set_my_commands},
      {"getMyCommands", get_my_commands},
      {"deleteMyCommands", delete_my_commands},
      {"sendChatAction", send_chat_action},
      {"getChat", get_chat},
  };
}

}  // namespace kb::sandbox::tg
