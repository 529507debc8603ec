// Conveniences built on the TelegramApi interface.
#include "telegram/api.hpp"

#include <fmt/format.h>

#include "net/http_client.hpp"
#include "telegram/text.hpp"

namespace kb::telegram {
namespace {

SendMedia media_params(std::int64_t chat_id, MediaType type, InputFile file, std::string caption) {
  SendMedia p;
  p.chat_id = chat_id;
  p.type = type;
  p.file = std::move(file);
  p.caption = std::move(caption);
  return p;
}

}  // namespace

Task<Result<nlohmann::json>> TelegramApi::call(ApiCall call) {
  co_return fail(Errc::internal,
                 fmt::format("this TelegramApi does not implement {} by ApiCall", call.method));
}

Task<Result<Message>> TelegramApi::send_photo(std::int64_t chat_id, InputFile file,
                                              std::string caption) {
  return send_media(media_params(chat_id, MediaType::photo, std::move(file), std::move(caption)));
}

Task<Result<Message>> TelegramApi::send_video(std::int64_t chat_id, InputFile file,
                                              std::string caption) {
  return send_media(media_params(chat_id, MediaType::video, std::move(file), std::move(caption)));
}

Task<Result<Message>> TelegramApi::send_audio(std::int64_t chat_id, InputFile file,
                                              std::string caption) {
  return send_media(media_params(chat_id, MediaType::audio, std::move(file), std::move(caption)));
}

Task<Result<Message>> TelegramApi::send_document(std::int64_t chat_id, InputFile file,
                                                 std::string caption) {
  return send_media(
      media_params(chat_id, MediaType::document, std::move(file), std::move(caption)));
}

Task<Result<Message>> TelegramApi::send_animation(std::int64_t chat_id, InputFile file,
                                                  std::string caption) {
  return send_media(
      media_params(chat_id, MediaType::animation, std::move(file), std::move(caption)));
}

Task<Result<Message>> TelegramApi::send_voice(std::int64_t chat_id, InputFile file,
                                              std::string caption) {
  return send_media(media_params(chat_id, MediaType::voice, std::move(file), std::move(caption)));
}

Task<Result<std::vector<Message>>> send_long_text(TelegramApi& api, SendMessage params) {
  auto parts = split_text(params.text, kMaxMessageText, params.parse_mode == ParseMode::html);
  if (parts.empty()) co_return fail(Errc::invalid_input, "message text is empty");
  std::vector<Message> sent;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    SendMessage part = params;
    part.text = std::move(parts[i]);
    bool last = i + 1 == parts.size();
    if (!last) part.reply_markup.reset();
    if (i > 0) part.reply_to_message_id.reset();
    // The task is created in its own statement: GCC 12 destroys by-value arguments of a
    // coroutine call twice when they are created inside the co_await expression.
    auto sending = api.send_message(std::move(part));
    auto message = co_await std::move(sending);
    if (!message) co_return fail(message.error());
    sent.push_back(std::move(*message));
  }
  co_return sent;
}

Task<Result<std::string>> download_file(TelegramApi& api, File file, std::size_t max_bytes) {
  if (file.file_size && static_cast<std::uint64_t>(*file.file_size) > max_bytes)
    co_return fail(Errc::invalid_input,
                   fmt::format("file is {} bytes (max {})", *file.file_size, max_bytes));
  auto opening = api.open_file(std::move(file));  // see the GCC 12 note above
  auto stream = co_await std::move(opening);
  if (!stream) co_return fail(stream.error());
  std::string data;
  for (;;) {
    auto chunk = co_await (*stream)->next_chunk();
    if (!chunk) co_return fail(chunk.error());
    if (!*chunk) break;
    if (data.size() + (*chunk)->size() > max_bytes)
      co_return fail(Errc::invalid_input, fmt::format("file is larger than {} bytes", max_bytes));
    data += **chunk;
  }
  co_return data;
}

}  // namespace kb::telegram
