// Fuzzes Bot API update parsing and what is computed from a parsed message (media extraction,
// acceptance, text splitting). Properties: no crash or exception; a parse failure carries a JSON
// path ("$…"); split parts respect the limit and are never empty.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "telegram/media.hpp"
#include "telegram/parse.hpp"
#include "telegram/text.hpp"

namespace {

using namespace kb::telegram;

void check(bool condition) {
  if (!condition) std::abort();
}

void exercise_message(const Message& m) {
  auto media = extract_media(m);
  (void)media;
  for (auto category : {MediaCategory::image, MediaCategory::video, MediaCategory::audio}) {
    MediaRequirement req;
    req.category = category;
    req.allow_album = category == MediaCategory::image;
    auto decision = accept_media(m, req);
    if (auto* accepted = std::get_if<AcceptedMedia>(&decision)) check(!accepted->items.empty());
  }
  const auto& text = m.text_or_caption();
  for (bool html : {false, true}) {
    for (const auto& part : split_text(text, 64, html)) {
      check(!part.empty());
      check((html ? html_visible_length(part) : utf16_length(part)) <= 64);
    }
  }
  (void)html_to_plain(text);
  (void)truncate_text(text, 200);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto update = parse_update(input);
  if (!update) {
    check(!update.error().message.empty() && update.error().message.front() == '$');
    return 0;
  }
  if (update->message) exercise_message(*update->message);
  if (update->edited_message) exercise_message(*update->edited_message);
  if (update->callback_query && update->callback_query->message)
    exercise_message(*update->callback_query->message);
  (void)update->chat_id();
  (void)update->user_id();
  return 0;
}
