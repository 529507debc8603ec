// JSON views of the fake Bot API's state for the sandbox web page.
#include "sandbox/web/page_json.hpp"

#include "net/http_types.hpp"

namespace kb::sandbox::web {
namespace {

using Json = nlohmann::json;

Json keyboard_json(const tg::MessageView& m) {
  Json rows = Json::array();
  for (const auto& row : m.inline_keyboard) {
    Json out = Json::array();
    for (const auto& b : row) {
      Json button{{"text", b.text}};
      if (!b.callback_data.empty()) button["data"] = b.callback_data;
      if (!b.url.empty()) button["url"] = b.url;
      if (b.pay) button["pay"] = true;
      out.push_back(std::move(button));
    }
    rows.push_back(std::move(out));
  }
  return rows;
}

Json entities_of(const Json& message, const char* key) {
  if (message.is_object() && message.contains(key) && message[key].is_array()) return message[key];
  return Json::array();
}

}  // namespace

Json user_json(const tg::User& user, const std::set<std::int64_t>& admin_ids) {
  return {{"id", user.id},
          {"first_name", user.first_name},
          {"language_code", user.language_code},
          {"is_admin", admin_ids.contains(user.id)}};
}

std::string file_url(std::string_view file_id) {
  return "/sandbox/api/files/" + net::url_encode(file_id);
}

Json message_json(const tg::MessageView& m) {
  Json j{{"id", m.message_id},       {"from_bot", m.from_bot}, {"date", m.date},
         {"edit_date", m.edit_date}, {"kind", m.kind},         {"deleted", m.deleted}};
  bool media = !m.file_id.empty();
  j["text"] = media ? m.caption : m.text;
  j["entities"] = entities_of(m.json, media ? "caption_entities" : "entities");
  if (media) {
    j["file"] = {{"url", file_url(m.file_id)},
                 {"mime", m.mime_type},
                 {"name", m.file_name},
                 {"size", m.file_size}};
  }
  j["forwarded"] = m.json.contains("forward_origin");
  j["keyboard"] = keyboard_json(m);
  if (m.kind == "invoice" && m.json.contains("invoice")) {
    const auto& inv = m.json["invoice"];
    j["invoice"] = {{"title", inv.value("title", "")},
                    {"description", inv.value("description", "")},
                    {"currency", inv.value("currency", "")},
                    {"amount", inv.value("total_amount", std::int64_t{0})}};
  }
  for (const char* key : {"successful_payment", "refunded_payment"}) {
    if (m.json.contains(key)) {
      const auto& p = m.json[key];
      j["payment"] = {{"currency", p.value("currency", "")},
                      {"amount", p.value("total_amount", std::int64_t{0})}};
    }
  }
  return j;
}

Json event_json(const tg::ChatEvent& event) {
  Json j{{"kind", std::string(tg::chat_event_kind_name(event.kind))}, {"chat_id", event.chat_id}};
  switch (event.kind) {
    case tg::ChatEvent::Kind::message_added:
    case tg::ChatEvent::Kind::message_edited:
    case tg::ChatEvent::Kind::message_deleted:
      j["message"] = message_json(event.message);
      break;
    default:
      j["data"] = event.data.is_null() ? Json::object() : event.data;
  }
  return j;
}

std::string sniff_mime(std::string_view b, std::string_view fallback) {
  auto starts = [&](std::string_view prefix, std::size_t at = 0) {
    return b.size() >= at + prefix.size() && b.substr(at, prefix.size()) == prefix;
  };
  if (starts("\x89PNG\r\n\x1a\n")) return "image/png";
  if (starts("\xff\xd8\xff")) return "image/jpeg";
  if (starts("GIF87a") || starts("GIF89a")) return "image/gif";
  if (starts("RIFF") && starts("WEBP", 8)) return "image/webp";
  if (starts("RIFF") && starts("WAVE", 8)) return "audio/wav";
  if (starts("ftypqt", 4)) return "video/quicktime";
  if (starts("ftyp", 4)) return "video/mp4";
  if (starts("OggS")) return "audio/ogg";
  if (starts("ID3") || starts("\xff\xfb") || starts("\xff\xf3")) return "audio/mpeg";
  if (starts("\x1a\x45\xdf\xa3")) return "video/webm";
  return std::string(fallback);
}

}  // namespace kb::sandbox::web
