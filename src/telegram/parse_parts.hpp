// Internal: parsers of the Bot API's building blocks (users, chats, media, entities), shared by
// parse.cpp. Each takes the JSON value, its path and the error sink, and returns a value (a
// default one when the input was wrong; the sink then holds the error).
#pragma once

#include <string>

#include "telegram/json_reader.hpp"
#include "telegram/types.hpp"

namespace kb::telegram::detail {

// Common to every file type (and getFile's File): the two ids (required) and the optional size.
template <class T>
void read_file_ids(ObjectReader& r, T& out) {
  out.file_id = r.req_str("file_id");
  out.file_unique_id = r.req_str("file_unique_id");
  out.file_size = r.opt_int("file_size");
  if (out.file_size && *out.file_size < 0) r.errors().add(r.path("file_size"), "negative size");
}

User read_user(const Json& v, std::string path, ParseErrors& e);
Chat read_chat(const Json& v, std::string path, ParseErrors& e);
MessageEntity read_entity(const Json& v, std::string path, ParseErrors& e);
PhotoSize read_photo_size(const Json& v, std::string path, ParseErrors& e);
Document read_document(const Json& v, std::string path, ParseErrors& e);
Video read_video(const Json& v, std::string path, ParseErrors& e);
Animation read_animation(const Json& v, std::string path, ParseErrors& e);
VideoNote read_video_note(const Json& v, std::string path, ParseErrors& e);
Audio read_audio(const Json& v, std::string path, ParseErrors& e);
Voice read_voice(const Json& v, std::string path, ParseErrors& e);
Sticker read_sticker(const Json& v, std::string path, ParseErrors& e);
MessageOrigin read_origin(const Json& v, std::string path, ParseErrors& e);
SuccessfulPayment read_successful_payment(const Json& v, std::string path, ParseErrors& e);
RefundedPayment read_refunded_payment(const Json& v, std::string path, ParseErrors& e);
InlineKeyboard read_inline_keyboard(const Json& v, std::string path, ParseErrors& e);
ChatMember read_chat_member(const Json& v, std::string path, ParseErrors& e);

}  // namespace kb::telegram::detail
