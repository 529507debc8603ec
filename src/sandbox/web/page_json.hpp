// What the sandbox web page reads: simulated users, messages and chat events of the fake Bot API
// as small JSON objects, and the MIME type of a stored file guessed from its first bytes. Pure.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sandbox/fake_telegram/records.hpp"

namespace kb::sandbox::web {

// {id, first_name, language_code, is_admin}
nlohmann::json user_json(const tg::User& user, const std::set<std::int64_t>& admin_ids);

// {id, from_bot, date, edit_date, kind, deleted, forwarded, text, entities,
//  file{url, mime, name, size},
//  keyboard[[{text, data, url, pay}]], invoice{title, description, currency, amount},
//  payment{currency, amount}}. `text` is the caption for media messages (entities likewise).
nlohmann::json message_json(const tg::MessageView& message);

// {kind, chat_id, message?, data?}: one server-sent event of the page.
nlohmann::json event_json(const tg::ChatEvent& event);

// The page's URL of a stored file.
std::string file_url(std::string_view file_id);

// PNG, JPEG, GIF, WebP, MP4/MOV, WAV, OGG, MP3, WebM by magic bytes; otherwise `fallback`.
std::string sniff_mime(std::string_view bytes,
                       std::string_view fallback = "application/octet-stream");

}  // namespace kb::sandbox::web
