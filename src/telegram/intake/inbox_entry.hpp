// What the durable inbox needs from a raw update, read without parsing the whole update: its id,
// its kind and its ordering key (the chat for messages, edits and my_chat_member; "u<user id>"
// for callback and pre-checkout queries, which Telegram orders per user). Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace kb::telegram {

struct InboxEntry {
  std::int64_t update_id = 0;
  std::string chat_key;
  std::string kind;  // the update's field name: "message", "callback_query", … ("unknown": none)
};

// invalid_input when the text is not a JSON object with an integer update_id.
Result<InboxEntry> inbox_entry_for(std::string_view update_json);

}  // namespace kb::telegram
