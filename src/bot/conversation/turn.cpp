// Turn helpers.
#include "bot/conversation/turn.hpp"

#include "bot/screens/registry.hpp"
#include "bot/screens/screens.hpp"

namespace kb::bot {

void Turn::show(std::string_view screen_id, View view) {
  state.screen = std::string(screen_id);
  reply.screen(std::move(view), pressed_message_id);
}

void Turn::show_new(std::string_view screen_id, View view) {
  state.screen = std::string(screen_id);
  reply.screen(std::move(view));
}

void Turn::answer(std::string text, bool alert) {
  if (!callback_query_id) {
    if (!text.empty()) reply.message({std::move(text), {}});
    return;
  }
  reply.answer = CallbackAnswer{*callback_query_id, std::move(text), alert};
}

void Turn::main_menu(std::string_view note, bool as_new) {
  state.reset();
  auto view = screens::main_menu(ctx(), note);
  if (as_new)
    show_new(screen::main, std::move(view));
  else
    show(screen::main, std::move(view));
}

}  // namespace kb::bot
