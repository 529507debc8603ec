// HTML entity parsing and text normalisation like the Bot API server (tdlib's parse_html).
#include "sandbox/fake_telegram/text_format.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

#include <fmt/format.h>

namespace kb::sandbox::tg {
namespace {

struct OpenTag {
  std::string name;
  std::size_t utf16_start = 0;
  std::string type;      // entity type
  std::string argument;  // url / language / custom emoji id
};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool is_tag_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Decodes the entity at html[pos] == '&'; returns the number of bytes consumed (0: not an entity
// the server knows, the '&' stays literal).
std::size_t decode_entity(std::string_view html, std::size_t pos, std::string& out) {
  auto semi = html.find(';', pos);
  if (semi == std::string_view::npos || semi - pos > 10) return 0;
  auto name = html.substr(pos + 1, semi - pos - 1);
  if (name == "lt") {
    out.push_back('<');
  } else if (name == "gt") {
    out.push_back('>');
  } else if (name == "amp") {
    out.push_back('&');
  } else if (name == "quot") {
    out.push_back('"');
  } else if (name.size() >= 2 && name[0] == '#') {
    std::uint32_t cp = 0;
    bool hex = name[1] == 'x' || name[1] == 'X';
    auto digits = name.substr(hex ? 2 : 1);
    if (digits.empty()) return 0;
    for (char c : digits) {
      int d;
      if (std::isdigit(static_cast<unsigned char>(c))) {
        d = c - '0';
      } else if (hex && std::isxdigit(static_cast<unsigned char>(c))) {
        d = std::tolower(static_cast<unsigned char>(c)) - 'a' + 10;
      } else {
        return 0;
      }
      cp = cp * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
      if (cp > 0x10FFFF) return 0;
    }
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    append_utf8(out, cp);
  } else {
    return 0;
  }
  return semi - pos + 1;
}

std::optional<std::string> entity_type_of(std::string_view tag) {
  if (tag == "b" || tag == "strong") return "bold";
  if (tag == "i" || tag == "em") return "italic";
  if (tag == "u" || tag == "ins") return "underline";
  if (tag == "s" || tag == "strike" || tag == "del") return "strikethrough";
  if (tag == "tg-spoiler" || tag == "span") return "spoiler";
  if (tag == "a") return "text_link";
  if (tag == "code") return "code";
  if (tag == "pre") return "pre";
  if (tag == "blockquote") return "blockquote";
  if (tag == "tg-emoji") return "custom_emoji";
  return std::nullopt;
}

struct Attribute {
  std::string name;
  std::string value;
};

// Parses attributes of a start tag from html[pos] up to '>'; updates pos to the '>'.
Result<std::vector<Attribute>> parse_attributes(std::string_view html, std::size_t& pos,
                                                std::string_view tag, std::size_t tag_offset) {
  std::vector<Attribute> attrs;
  for (;;) {
    while (pos < html.size() && std::isspace(static_cast<unsigned char>(html[pos]))) ++pos;
    if (pos >= html.size())
      return fail(Errc::invalid_input,
                  fmt::format("Unclosed start tag at byte offset {}", tag_offset));
    if (html[pos] == '>') return attrs;
    if (html[pos] == '/' && pos + 1 < html.size() && html[pos + 1] == '>') {
      ++pos;
      return attrs;
    }
    auto name_start = pos;
    while (pos < html.size() && (is_tag_name_char(html[pos]) || html[pos] == '_')) ++pos;
    if (pos == name_start)
      return fail(
          Errc::invalid_input,
          fmt::format("Empty attribute name in the tag \"{}\" at byte offset {}", tag, tag_offset));
    Attribute attr{lower(html.substr(name_start, pos - name_start)), ""};
    while (pos < html.size() && std::isspace(static_cast<unsigned char>(html[pos]))) ++pos;
    if (pos < html.size() && html[pos] == '=') {
      ++pos;
      while (pos < html.size() && std::isspace(static_cast<unsigned char>(html[pos]))) ++pos;
      if (pos >= html.size())
        return fail(Errc::invalid_input,
                    fmt::format("Unclosed start tag at byte offset {}", tag_offset));
      std::string raw;
      if (html[pos] == '"' || html[pos] == '\'') {
        char quote = html[pos++];
        auto end = html.find(quote, pos);
        if (end == std::string_view::npos)
          return fail(Errc::invalid_input,
                      fmt::format("Unclosed end tag at byte offset {}", tag_offset));
        raw = std::string(html.substr(pos, end - pos));
        pos = end + 1;
      } else {
        auto start = pos;
        while (pos < html.size() && !std::isspace(static_cast<unsigned char>(html[pos])) &&
               html[pos] != '>')
          ++pos;
        raw = std::string(html.substr(start, pos - start));
      }
      for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '&') {
          auto used = decode_entity(raw, i, attr.value);
          if (used) {
            i += used - 1;
            continue;
          }
        }
        attr.value.push_back(raw[i]);
      }
    }
    attrs.push_back(std::move(attr));
  }
}

const std::string* find_attr(const std::vector<Attribute>& attrs, std::string_view name) {
  for (const auto& a : attrs)
    if (a.name == name) return &a.value;
  return nullptr;
}

void sort_entities(Json& entities) {
  std::vector<Json> list(entities.begin(), entities.end());
  std::stable_sort(list.begin(), list.end(), [](const Json& a, const Json& b) {
    auto ao = a["offset"].get<std::int64_t>(), bo = b["offset"].get<std::int64_t>();
    if (ao != bo) return ao < bo;
    return a["length"].get<std::int64_t>() > b["length"].get<std::int64_t>();
  });
  entities = Json::array();
  for (auto& e : list) entities.push_back(std::move(e));
}

Json make_entity(std::size_t offset, std::size_t length, std::string_view type) {
  Json e;
  e["offset"] = offset;
  e["length"] = length;
  e["type"] = type;
  return e;
}

bool overlaps(const Json& entities, std::size_t offset, std::size_t length) {
  for (const auto& e : entities) {
    auto o = e["offset"].get<std::size_t>();
    auto l = e["length"].get<std::size_t>();
    if (offset < o + l && o < offset + length) return true;
  }
  return false;
}

std::size_t utf8_char_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  return 4;
}

}  // namespace

std::size_t utf16_length(std::string_view utf8) {
  std::size_t units = 0;
  for (unsigned char c : utf8) {
    if ((c & 0xC0) != 0x80) units += 1;  // a lead byte starts a code point
    if ((c & 0xF8) == 0xF0) units += 1;  // 4-byte sequences need a surrogate pair
  }
  return units;
}

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t n;
    std::uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c >> 5) == 0x6) {
      n = 2;
      cp = c & 0x1F;
    } else if ((c >> 4) == 0xE) {
      n = 3;
      cp = c & 0x0F;
    } else if ((c >> 3) == 0x1E) {
      n = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n > text.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += n;
  }
  return true;
}

Result<FormattedText> parse_html(std::string_view html) {
  FormattedText out;
  std::vector<OpenTag> open;
  std::size_t utf16_pos = 0;
  std::size_t i = 0;
  auto append_text = [&](std::string_view piece) {
    out.text.append(piece);
    utf16_pos += utf16_length(piece);
  };
  while (i < html.size()) {
    char c = html[i];
    if (c == '&') {
      std::string decoded;
      auto used = decode_entity(html, i, decoded);
      if (used) {
        append_text(decoded);
        i += used;
      } else {
        append_text("&");
        ++i;
      }
      continue;
    }
    if (c != '<') {
      auto n = utf8_char_length(static_cast<unsigned char>(c));
      append_text(html.substr(i, n));
      i += n;
      continue;
    }
    auto tag_offset = i;
    ++i;
    if (i < html.size() && html[i] == '/') {
      ++i;
      auto name_start = i;
      while (i < html.size() && is_tag_name_char(html[i])) ++i;
      auto name = lower(html.substr(name_start, i - name_start));
      while (i < html.size() && std::isspace(static_cast<unsigned char>(html[i]))) ++i;
      if (i >= html.size() || html[i] != '>')
        return fail(Errc::invalid_input,
                    fmt::format("Unclosed end tag at byte offset {}", tag_offset));
      ++i;
      if (open.empty())
        return fail(Errc::invalid_input,
                    fmt::format("Unexpected end tag at byte offset {}", tag_offset));
      auto tag = std::move(open.back());
      open.pop_back();
      if (!name.empty() && name != tag.name)
        return fail(Errc::invalid_input,
                    fmt::format("Unmatched end tag at byte offset {}, expected \"</{}>\", found "
                                "\"</{}>\"",
                                tag_offset, tag.name, name));
      auto length = utf16_pos - tag.utf16_start;
      if (tag.type == "pre" && !out.entities.empty()) {
        // <pre><code class="language-x">…</code></pre>: the inner code becomes the language.
        auto& last = out.entities.back();
        if (last["type"] == "code" && last["offset"].get<std::size_t>() == tag.utf16_start &&
            last["length"].get<std::size_t>() == length && last.contains("language")) {
          tag.argument = last["language"].get<std::string>();
          out.entities.erase(out.entities.size() - 1);
        }
      }
      if (length == 0) continue;
      auto e = make_entity(tag.utf16_start, length, tag.type);
      if (tag.type == "text_link") e["url"] = tag.argument;
      if (tag.type == "pre" && !tag.argument.empty()) e["language"] = tag.argument;
      if (tag.type == "code" && !tag.argument.empty()) e["language"] = tag.argument;
      if (tag.type == "custom_emoji") e["custom_emoji_id"] = tag.argument;
      out.entities.push_back(std::move(e));
      continue;
    }
    auto name_start = i;
    while (i < html.size() && is_tag_name_char(html[i])) ++i;
    auto name = lower(html.substr(name_start, i - name_start));
    auto type = entity_type_of(name);
    if (!type)
      return fail(Errc::invalid_input,
                  fmt::format("Unsupported start tag \"{}\" at byte offset {}", name, tag_offset));
    auto attrs = KB_TRY(parse_attributes(html, i, name, tag_offset));
    ++i;  // '>'
    OpenTag tag{name, utf16_pos, *type, ""};
    if (name == "a") {
      auto href = find_attr(attrs, "href");
      if (href) tag.argument = *href;
    } else if (name == "span") {
      auto cls = find_attr(attrs, "class");
      if (!cls || *cls != "tg-spoiler")
        return fail(Errc::invalid_input,
                    fmt::format("Tag \"span\" must have class \"tg-spoiler\" at byte offset {}",
                                tag_offset));
    } else if (name == "code") {
      auto cls = find_attr(attrs, "class");
      if (cls && cls->rfind("language-", 0) == 0) tag.argument = cls->substr(9);
    } else if (name == "blockquote") {
      if (find_attr(attrs, "expandable")) tag.type = "expandable_blockquote";
    } else if (name == "tg-emoji") {
      auto id = find_attr(attrs, "emoji-id");
      if (!id)
        return fail(Errc::invalid_input,
                    fmt::format("Expected custom emoji identifier at byte offset {}", tag_offset));
      tag.argument = *id;
    }
    open.push_back(std::move(tag));
  }
  if (!open.empty())
    return fail(
        Errc::invalid_input,
        fmt::format("Can't find end tag corresponding to start tag \"{}\"", open.back().name));
  sort_entities(out.entities);
  return out;
}

void trim_formatted(FormattedText& t) {
  auto is_space = [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; };
  std::size_t lead = 0;
  while (lead < t.text.size() && is_space(t.text[lead])) ++lead;
  std::size_t trail = 0;
  while (trail < t.text.size() - lead && is_space(t.text[t.text.size() - 1 - trail])) ++trail;
  if (lead == 0 && trail == 0) return;
  t.text = t.text.substr(lead, t.text.size() - lead - trail);
  auto total = utf16_length(t.text);
  Json kept = Json::array();
  for (auto e : t.entities) {
    auto offset = static_cast<std::int64_t>(e["offset"].get<std::size_t>()) -
                  static_cast<std::int64_t>(lead);  // leading whitespace is ASCII: 1 unit each
    auto end = offset + static_cast<std::int64_t>(e["length"].get<std::size_t>());
    offset = std::max<std::int64_t>(offset, 0);
    end = std::min<std::int64_t>(end, static_cast<std::int64_t>(total));
    if (end <= offset) continue;
    e["offset"] = offset;
    e["length"] = end - offset;
    kept.push_back(std::move(e));
  }
  t.entities = std::move(kept);
}

void add_auto_entities(FormattedText& t) {
  const auto& s = t.text;
  Json found = Json::array();
  std::size_t i = 0;
  auto word_start = [&](std::size_t pos) {
    return pos == 0 || std::isspace(static_cast<unsigned char>(s[pos - 1]));
  };
  while (i < s.size()) {
    std::size_t end = i;
    std::string type;
    if (s[i] == '/' && word_start(i)) {
      end = i + 1;
      while (end < s.size() && (std::isalnum(static_cast<unsigned char>(s[end])) || s[end] == '_'))
        ++end;
      if (end < s.size() && s[end] == '@') {
        auto at = end + 1;
        while (at < s.size() && (std::isalnum(static_cast<unsigned char>(s[at])) || s[at] == '_'))
          ++at;
        if (at > end + 1) end = at;
      }
      if (end - i >= 2 && end - i <= 64) type = "bot_command";
    } else if (s[i] == '@' && word_start(i)) {
      end = i + 1;
      while (end < s.size() && (std::isalnum(static_cast<unsigned char>(s[end])) || s[end] == '_'))
        ++end;
      if (end - i - 1 >= 5 && end - i - 1 <= 32) type = "mention";
    } else if ((s.compare(i, 7, "http://") == 0 || s.compare(i, 8, "https://") == 0) &&
               word_start(i)) {
      end = i;
      while (end < s.size() && !std::isspace(static_cast<unsigned char>(s[end]))) ++end;
      while (end > i && std::string_view(".,;:!?)").find(s[end - 1]) != std::string_view::npos)
        --end;
      type = "url";
    }
    if (!type.empty()) {
      auto offset = utf16_length(std::string_view(s).substr(0, i));
      auto length = utf16_length(std::string_view(s).substr(i, end - i));
      if (!overlaps(t.entities, offset, length)) found.push_back(make_entity(offset, length, type));
      i = end;
      continue;
    }
    ++i;
  }
  if (found.empty()) return;
  for (auto& e : found) t.entities.push_back(std::move(e));
  sort_entities(t.entities);
}

Result<FormattedText> format_text(std::string_view text, std::string_view parse_mode,
                                  std::optional<std::string> entities_json) {
  if (!is_valid_utf8(text)) return fail(Errc::invalid_input, "text must be encoded in UTF-8");
  FormattedText out;
  auto mode = lower(parse_mode);
  if (mode == "html") {
    auto parsed = parse_html(text);
    if (!parsed)
      return fail(Errc::invalid_input, "can't parse entities: " + parsed.error().message);
    out = std::move(*parsed);
  } else if (mode.empty() || mode == "markdownv2" || mode == "markdown") {
    // Markdown modes keep the text as sent (the fake does not interpret Markdown).
    out.text = std::string(text);
    if (mode.empty() && entities_json) {
      auto parsed = nlohmann::ordered_json::parse(*entities_json, nullptr, false);
      if (parsed.is_discarded() || !parsed.is_array())
        return fail(Errc::invalid_input, "can't parse entities JSON object");
      for (auto& e : parsed) {
        if (!e.is_object() || !e.contains("type") || !e.contains("offset") || !e.contains("length"))
          return fail(Errc::invalid_input, "can't parse MessageEntity");
      }
      out.entities = std::move(parsed);
    }
  } else {
    return fail(Errc::invalid_input, "unsupported parse_mode");
  }
  trim_formatted(out);
  add_auto_entities(out);
  return out;
}

}  // namespace kb::sandbox::tg
