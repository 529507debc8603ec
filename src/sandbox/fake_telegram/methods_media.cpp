// send<Media> (upload, URL, file_id), sendMediaGroup (attach://) and getFile.
#include <algorithm>

#include <fmt/format.h>

#include "sandbox/fake_telegram/input_file.hpp"
#include "sandbox/fake_telegram/media_builder.hpp"
#include "sandbox/fake_telegram/method_support.hpp"

namespace kb::sandbox::tg {
namespace {

std::string_view param_name(FileKind kind) {
  return file_kind_name(kind);  // photo, video, audio, document, animation, voice, video_note
}

MediaAttributes attributes_of(const ApiParams& p) {
  MediaAttributes a;
  a.duration = static_cast<int>(p.get_int("duration", 0, 0, 1 << 30));
  a.width = static_cast<int>(p.get_int("width", 0, 0, 100000));
  a.height = static_cast<int>(p.get_int("height", 0, 0, 100000));
  a.length = static_cast<int>(p.get_int("length", 0, 0, 100000));
  a.title = p.get_or("title");
  a.performer = p.get_or("performer");
  return a;
}

MediaSource source_of(const InputFile& input) {
  return MediaSource{input.existing_id, input.bytes, input.mime_type, input.file_name};
}

// Validates what can be checked before any download, under the lock.
std::optional<ApiError> precheck_locked(Impl& impl, const ApiParams& params) {
  auto chat = target_chat_locked(impl, params);
  if (!chat) return to_api_error(chat.error());
  if (auto c = text_param(params, "caption"); !c) return to_api_error(c.error());
  if (auto m = reply_markup_param(params); !m) return to_api_error(m.error());
  if (auto r = reply_param_locked(impl, params, **chat); !r) return to_api_error(r.error());
  return std::nullopt;
}

Task<Outcome> send_media(Impl& impl, const ApiParams& params, FileKind kind) {
  {
    std::lock_guard lock(impl.mu);
    if (auto e = precheck_locked(impl, params)) co_return *e;
  }
  auto name = std::string(param_name(kind));
  auto input = co_await resolve_input_file(impl, params, params.get_or(name), name, kind);
  if (!input) co_return to_api_error(input.error());
  std::lock_guard lock(impl.mu);
  // Everything is checked again: the chat may have changed while the file downloaded.
  auto chat = target_chat_locked(impl, params);
  if (!chat) co_return to_api_error(chat.error());
  auto caption = text_param(params, "caption");
  auto markup = reply_markup_param(params);
  auto reply = reply_param_locked(impl, params, **chat);
  if (!caption) co_return to_api_error(caption.error());
  if (!markup) co_return to_api_error(markup.error());
  if (!reply) co_return to_api_error(reply.error());
  auto effective = kind;
  // A voice message by URL over 1 MB is sent as a file.
  if (kind == FileKind::voice && input->by_url && input->bytes &&
      input->bytes->size() > kVoiceUrlLimit)
    effective = FileKind::document;
  auto m = new_bot_message(impl, **chat);
  auto attached = attach_media(impl.world, m, effective, source_of(*input), attributes_of(params));
  if (!attached) co_return bad_request(attached.error().message);
  m.caption = std::move(caption->text);
  m.caption_entities = std::move(caption->entities);
  m.parse_mode = params.get_or("parse_mode");
  m.has_media_spoiler = params.get_bool("has_spoiler");
  m.reply_to = std::move(*reply);
  m.reply_markup = std::move(*markup);
  co_return message_outcome(impl, impl.add_message_locked(**chat, std::move(m)));
}

Task<Outcome> send_photo(Impl& i, const ApiParams& p) {
  co_return co_await send_media(i, p, FileKind::photo);
}
Task<Outcome> send_video(Impl& i, const ApiParams& p) {
  co_return co_await send_media(i, p, FileKind::video);
}
Task<Outcome> send_audio(Impl& i, const ApiParams& p) {
  co_return co_await send_media(i, p, FileKind::audio);
}
Task<Outcome> send_document(Impl& i, const ApiParams& p) {
  co_return co_await send_media(i, p, FileKind::document);
}
Task<Outcome> send_animation(Impl& i, const ApiParams& p) {
  co_return co_await send_media(i, p, FileKind::animation);
}
Task<Outcome> send_voice(Impl& i, const ApiParams& p) {
  co_return co_await send_media(i, p, FileKind::voice);
}
Task<Outcome> send_video_note(Impl& i, const ApiParams& p) {
  co_return co_await send_media(i, p, FileKind::video_note);
}

struct AlbumItem {
  FileKind kind = FileKind::photo;
  std::string media;
  FormattedText caption;
  std::string parse_mode;
  bool spoiler = false;
  MediaAttributes attributes;
};

std::string capitalized(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 32);
  return text;
}

int int_field(const Json& object, const char* key) {
  if (!object.contains(key) || !object[key].is_number_integer()) return 0;
  return static_cast<int>(std::clamp<std::int64_t>(object[key].get<std::int64_t>(), 0, 1 << 30));
}

std::string string_field(const Json& object, const char* key) {
  if (!object.contains(key) || !object[key].is_string()) return "";
  return object[key].get<std::string>();
}

Result<std::vector<AlbumItem>> parse_album(const ApiParams& params) {
  auto text = params.get("media");
  if (!text) return api_fail(missing_parameter("media"));
  auto media = Json::parse(*text, nullptr, false);
  if (media.is_discarded() || !media.is_array())
    return api_fail(bad_request("can't parse media JSON object"));
  if (media.empty()) return api_fail(bad_request("there are no messages to send"));
  if (media.size() > 10) return api_fail(bad_request("too many messages to send as an album"));
  std::vector<AlbumItem> items;
  bool has_document = false, has_audio = false, has_other = false;
  for (const auto& m : media) {
    if (!m.is_object() || !m.contains("type") || !m["type"].is_string())
      return api_fail(bad_request("can't parse InputMedia: Field \"type\" must be of type String"));
    auto type = m["type"].get<std::string>();
    AlbumItem item;
    if (type == "photo") {
      item.kind = FileKind::photo;
    } else if (type == "video") {
      item.kind = FileKind::video;
    } else if (type == "document") {
      item.kind = FileKind::document;
    } else if (type == "audio") {
      item.kind = FileKind::audio;
    } else if (type == "animation") {
      return api_fail(bad_request(
          "can't parse InputMedia: type \"animation\" can't be used in sendMediaGroup"));
    } else {
      return api_fail(
          bad_request(fmt::format("can't parse InputMedia: type \"{}\" is unsupported", type)));
    }
    has_document |= item.kind == FileKind::document;
    has_audio |= item.kind == FileKind::audio;
    has_other |= item.kind == FileKind::photo || item.kind == FileKind::video;
    if (!m.contains("media") || !m["media"].is_string())
      return api_fail(bad_request("can't parse InputMedia: media not found"));
    item.media = m["media"].get<std::string>();
    if (item.media.rfind("attach://", 0) == 0 &&
        !params.file(std::string_view(item.media).substr(9)))
      return api_fail(bad_request("can't parse InputMedia: media not found"));
    ApiParams caption_params;
    if (m.contains("caption") && m["caption"].is_string())
      caption_params.values["caption"] = m["caption"].get<std::string>();
    if (m.contains("parse_mode") && m["parse_mode"].is_string())
      caption_params.values["parse_mode"] = item.parse_mode = m["parse_mode"].get<std::string>();
    if (m.contains("caption_entities"))
      caption_params.values["caption_entities"] = m["caption_entities"].dump();
    item.caption = KB_TRY(text_param(caption_params, "caption"));
    item.spoiler =
        m.contains("has_spoiler") && m["has_spoiler"].is_boolean() && m["has_spoiler"].get<bool>();
    item.attributes.duration = int_field(m, "duration");
    item.attributes.width = int_field(m, "width");
    item.attributes.height = int_field(m, "height");
    item.attributes.title = string_field(m, "title");
    item.attributes.performer = string_field(m, "performer");
    items.push_back(std::move(item));
  }
  if (has_document && (has_other || has_audio))
    return api_fail(bad_request("document can't be mixed with other media types"));
  if (has_audio && (has_other || has_document))
    return api_fail(bad_request("audio can't be mixed with other media types"));
  return items;
}

Task<Outcome> send_media_group(Impl& impl, const ApiParams& params) {
  auto items = parse_album(params);
  if (!items) co_return to_api_error(items.error());
  {
    std::lock_guard lock(impl.mu);
    auto chat = target_chat_locked(impl, params);
    if (!chat) co_return to_api_error(chat.error());
    if (auto r = reply_param_locked(impl, params, **chat); !r) co_return to_api_error(r.error());
  }
  std::vector<InputFile> inputs;
  for (std::size_t i = 0; i < items->size(); ++i) {
    auto& item = (*items)[i];
    auto input = co_await resolve_input_file(impl, params, item.media, "", item.kind);
    if (!input) {
      auto inner = to_api_error(input.error()).description;
      if (auto colon = inner.find(": "); colon != std::string::npos)
        inner = inner.substr(colon + 2);
      co_return bad_request(fmt::format("failed to send message #{} with the error message \"{}\"",
                                        i + 1, capitalized(inner)));
    }
    inputs.push_back(std::move(*input));
  }
  std::lock_guard lock(impl.mu);
  auto chat = target_chat_locked(impl, params);
  if (!chat) co_return to_api_error(chat.error());
  auto reply = reply_param_locked(impl, params, **chat);
  if (!reply) co_return to_api_error(reply.error());
  std::string group_id;
  if (items->size() > 1)
    group_id =
        std::to_string(13'900'000'000'000'000LL +
                       static_cast<std::int64_t>(impl.world.next_random() % 99'999'999'999'999ULL));
  // Build every message first so a failing item sends nothing.
  std::vector<StoredMessage> built;
  for (std::size_t i = 0; i < items->size(); ++i) {
    auto& item = (*items)[i];
    auto m = new_bot_message(impl, **chat);
    auto attached = attach_media(impl.world, m, item.kind, source_of(inputs[i]), item.attributes);
    if (!attached)
      co_return bad_request(fmt::format("failed to send message #{} with the error message \"{}\"",
                                        i + 1, attached.error().message));
    m.media_group_id = group_id;
    m.caption = std::move(item.caption.text);
    m.caption_entities = std::move(item.caption.entities);
    m.parse_mode = item.parse_mode;
    m.has_media_spoiler = item.spoiler;
    if (i == 0) m.reply_to = *reply;
    built.push_back(std::move(m));
  }
  Json result = Json::array();
  for (auto& m : built) {
    auto& stored = impl.add_message_locked(**chat, std::move(m));
    result.push_back(render_message(stored, impl.world, impl.bot));
  }
  co_return Outcome::ok(std::move(result));
}

Outcome get_file(Impl& impl, const ApiParams& params) {
  auto id = params.get("file_id");
  if (!id) return bad_request("file_id is empty");
  const auto* file = impl.world.files.find(*id);
  if (!file) return bad_request("wrong file identifier/HTTP URL specified");
  if (file->size() > kDownloadLimit) return bad_request("file is too big");
  Json j;
  j["file_id"] = file->file_id;
  j["file_unique_id"] = file->file_unique_id;
  j["file_size"] = file->size();
  j["file_path"] = file->file_path;
  return Outcome::ok(std::move(j));
}

}  // namespace

std::vector<MethodSpec> media_methods() {
  return {
      {"sendPhoto", nullptr, send_photo, FloodClass::message},
      {"sendVideo", nullptr, send_video, FloodClass::message},
      {"sendAudio", nullptr, send_audio, FloodClass::message},
      {"sendDocument", nullptr, send_document, FloodClass::message},
      {"sendAnimation", nullptr, send_animation, FloodClass::message},
      {"sendVoice", nullptr, send_voice, FloodClass::message},
      {"sendVideoNote", nullptr, send_video_note, FloodClass::message},
      {"sendMediaGroup", nullptr, send_media_group, FloodClass::message},
      {"getFile", get_file},
  };
}

}  // namespace kb::sandbox::tg
