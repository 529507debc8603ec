// One update being handled: the transaction, the user, their conversation state, and the reply
// being built. Every flow function takes a Turn&; the handler commits what it holds in one go.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bot/screens/common.hpp"
#include "catalog/overrides.hpp"
#include "services/admin/credits_cache.hpp"
#include "bot/state.hpp"
#include "bot/view.hpp"
#include "store/repos/inbox.hpp"
#include "store/repos/users.hpp"
#include "store/tx.hpp"
#include "telegram/types.hpp"

namespace kb::bot {

struct Turn {
  store::Tx& tx;
  const telegram::Update& update;
  const store::InboxItem& item;
  const Texts& texts;
  const catalog::Catalog& catalog;
  const BotSettings& settings;
  std::int64_t now = 0;
  std::int64_t chat_id = 0;
  store::User user{};
  bool user_created = false;
  bool is_admin = false;
  Lang lang = Lang::ru;
  ConversationState state{};
  Reply reply{};
  // The message of the pressed button: the screen is edited there instead of sending a new one.
  std::optional<std::int64_t> pressed_message_id{};
  std::optional<std::string> callback_query_id{};
  bool job_created = false;
  // Admin panel: the provider balance fetched before the transaction (Stats only); what to do
  // after the commit: new model overrides for the catalog holder, a Stars refund to run (it calls
  // Telegram between transactions), a broadcast to wake the broadcaster for.
  std::optional<services::admin::CreditsSnapshot> credits{};
  std::optional<std::vector<catalog::ModelOverride>> new_overrides{};
  std::optional<std::string> refund_charge{};
  bool broadcast_queued = false;
  bool broadcasts_available = false;  // Database::features().broadcasts

  ScreenContext ctx() const { return ScreenContext{texts, lang, catalog, settings, is_admin}; }
  std::string t(std::string_view key, const TextParams& params = {}) const {
    return texts.get(lang, key, params);
  }

  // Shows `view` as the current screen `screen_id` (edited in place after a button press).
  void show(std::string_view screen_id, View view);
  // Shows it as a new message even after a button press (the pressed message stays as it is).
  void show_new(std::string_view screen_id, View view);
  // A short text on the button press (a toast, or an alert box).
  void answer(std::string text, bool alert = false);
  // The main menu (state reset), with an optional note above it.
  void main_menu(std::string_view note = {}, bool as_new = false);
};

}  // namespace kb::bot
