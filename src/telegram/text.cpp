// Escaping, UTF-16 counting, splitting and HTML stripping of message texts.
#include "telegram/text.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <optional>

#include "telegram/utf8.hpp"

namespace kb::telegram {
namespace {

using detail::append_utf8;
using detail::decode_utf8;

std::size_t units_of(char32_t cp) {
  return detail::utf16_units(cp);
}

// One indivisible piece of a text: a character (or an HTML entity standing for one), or a tag.
struct Atom {
  enum class Kind { character, entity, open_tag, close_tag };
  Kind kind = Kind::character;
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t units = 0;  // visible UTF-16 units (0 for tags)
  char32_t value = 0;     // the character (characters and entities)
  std::string tag;        // lower-case tag name (tags)

  bool visible() const { return kind == Kind::character || kind == Kind::entity; }
  bool is_space() const { return visible() && (value == ' ' || value == '\t' || is_newline()); }
  bool is_newline() const { return visible() && (value == '\n' || value == '\r'); }
};

std::optional<char32_t> decode_entity(std::string_view body) {
  if (body == "lt") return U'<';
  if (body == "gt") return U'>';
  if (body == "amp") return U'&';
  if (body == "quot") return U'"';
  if (body.size() >= 2 && body[0] == '#') {
    std::uint32_t v = 0;
    std::from_chars_result r;
    if (body[1] == 'x' || body[1] == 'X')
      r = std::from_chars(body.data() + 2, body.data() + body.size(), v, 16);
    else
      r = std::from_chars(body.data() + 1, body.data() + body.size(), v, 10);
    if (r.ec == std::errc() && r.ptr == body.data() + body.size() && v > 0 && v <= 0x10FFFF)
      return static_cast<char32_t>(v);
  }
  return std::nullopt;
}

// A tag `<name …>` or `</name>` starting at `pos`, or false when `<` is just a character.
bool read_tag(std::string_view s, std::size_t pos, Atom& atom) {
  auto close = s.find('>', pos);
  if (close == std::string_view::npos) return false;
  std::size_t i = pos + 1;
  bool closing = i < close && s[i] == '/';
  if (closing) ++i;
  std::string name;
  while (i < close &&
         (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '-' || s[i] == '_')) {
    name += static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
    ++i;
  }
  if (name.empty()) return false;
  atom.kind = closing ? Atom::Kind::close_tag : Atom::Kind::open_tag;
  atom.begin = pos;
  atom.end = close + 1;
  atom.tag = std::move(name);
  return true;
}

bool read_entity(std::string_view s, std::size_t pos, Atom& atom) {
  auto semi = s.find(';', pos);
  if (semi == std::string_view::npos || semi - pos > 12 || semi == pos + 1) return false;
  auto value = decode_entity(s.substr(pos + 1, semi - pos - 1));
  if (!value) return false;
  atom.kind = Atom::Kind::entity;
  atom.begin = pos;
  atom.end = semi + 1;
  atom.value = *value;
  atom.units = units_of(*value);
  return true;
}

std::vector<Atom> tokenize(std::string_view s, bool html) {
  std::vector<Atom> atoms;
  std::size_t pos = 0;
  while (pos < s.size()) {
    Atom atom;
    if (html && s[pos] == '<' && read_tag(s, pos, atom)) {
    } else if (html && s[pos] == '&' && read_entity(s, pos, atom)) {
    } else {
      auto cp = decode_utf8(s, pos);
      atom.kind = Atom::Kind::character;
      atom.begin = pos;
      atom.end = pos + cp.bytes;
      atom.value = cp.value;
      atom.units = units_of(cp.value);
    }
    pos = atom.end;
    atoms.push_back(std::move(atom));
  }
  return atoms;
}

struct OpenTag {
  std::string name;
  std::string raw;  // the opening tag as written, attributes included
};

void apply_tag(std::vector<OpenTag>& stack, const Atom& atom, std::string_view s) {
  if (atom.kind == Atom::Kind::open_tag) {
    stack.push_back({atom.tag, std::string(s.substr(atom.begin, atom.end - atom.begin))});
  } else if (atom.kind == Atom::Kind::close_tag) {
    auto it = std::find_if(stack.rbegin(), stack.rend(),
                           [&](const OpenTag& t) { return t.name == atom.tag; });
    if (it != stack.rend()) stack.erase(std::next(it).base(), stack.end());
  }
}

// Where to end a part that starts at `start` and may hold atoms up to (excluding) `limit_end`.
std::size_t choose_cut(const std::vector<Atom>& atoms, std::size_t start, std::size_t limit_end,
                       std::size_t limit) {
  if (limit_end >= atoms.size()) return atoms.size();
  // Breaks too close to the start would make tiny parts; ignore those in the first quarter.
  std::size_t min_offset = limit / 4;
  std::size_t offset = 0;
  std::size_t paragraph = 0, line = 0, space = 0;
  const Atom* previous_visible = nullptr;
  for (std::size_t i = start; i < limit_end; ++i) {
    const Atom& a = atoms[i];
    if (a.visible() && offset >= min_offset && i > start) {
      if (a.value == '\n' && previous_visible && previous_visible->value == '\n')
        paragraph = i;
      else if (a.is_newline())
        line = i;
      else if (a.is_space())
        space = i;
    }
    if (a.visible()) {
      offset += a.units;
      previous_visible = &a;
    }
  }
  // A cut at a paragraph break keeps the first '\n' in this part; it is trimmed anyway.
  if (paragraph) return paragraph;
  if (line) return line;
  if (space) return space;
  return limit_end;
}

}  // namespace

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::size_t utf16_length(std::string_view text) {
  std::size_t units = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    auto cp = decode_utf8(text, pos);
    units += units_of(cp.value);
    pos += cp.bytes;
  }
  return units;
}

std::size_t html_visible_length(std::string_view html) {
  std::size_t units = 0;
  for (const auto& a : tokenize(html, true)) units += a.units;
  return units;
}

std::vector<std::string> split_text(std::string_view text, std::size_t limit, bool html) {
  limit = std::max<std::size_t>(limit, 2);  // room for any one character
  auto atoms = tokenize(text, html);
  std::vector<std::string> parts;
  std::vector<OpenTag> stack;
  std::size_t start = 0;
  while (start < atoms.size()) {
    std::string prefix;
    for (const auto& t : stack) prefix += t.raw;
    // Leading whitespace (tags in between still count for the formatting state).
    std::string leading_tags;
    while (start < atoms.size() && (atoms[start].is_space() || !atoms[start].visible())) {
      if (!atoms[start].visible()) {
        leading_tags +=
            std::string(text.substr(atoms[start].begin, atoms[start].end - atoms[start].begin));
        apply_tag(stack, atoms[start], text);
      }
      ++start;
    }
    if (start >= atoms.size()) break;
    prefix += leading_tags;
    // The furthest atom that still fits.
    std::size_t units = 0, end = start;
    while (end < atoms.size() && units + atoms[end].units <= limit) units += atoms[end++].units;
    std::size_t cut = choose_cut(atoms, start, end, limit);
    // Trailing whitespace is dropped, trailing tags kept.
    std::size_t last = cut;
    while (last > start && (atoms[last - 1].is_space() || !atoms[last - 1].visible())) --last;
    std::string body;
    bool has_visible = false;
    for (std::size_t i = start; i < cut; ++i) {
      const Atom& a = atoms[i];
      if (i >= last && a.is_space()) continue;
      body += text.substr(a.begin, a.end - a.begin);
      if (a.visible()) has_visible = true;
      apply_tag(stack, a, text);
    }
    std::string suffix;
    for (auto it = stack.rbegin(); it != stack.rend(); ++it) suffix += "</" + it->name + ">";
    if (has_visible) parts.push_back(prefix + body + (html ? suffix : std::string()));
    start = cut;
  }
  return parts;
}

std::string html_to_plain(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  for (const auto& a : tokenize(html, true)) {
    if (a.kind == Atom::Kind::character)
      out += html.substr(a.begin, a.end - a.begin);
    else if (a.kind == Atom::Kind::entity)
      append_utf8(out, a.value);
  }
  return out;
}

std::string truncate_text(std::string_view text, std::size_t limit) {
  if (utf16_length(text) <= limit) return std::string(text);
  if (limit == 0) return {};
  std::size_t units = 0, pos = 0;
  while (pos < text.size()) {
    auto cp = decode_utf8(text, pos);
    if (units + units_of(cp.value) > limit - 1) break;
    units += units_of(cp.value);
    pos += cp.bytes;
  }
  return std::string(text.substr(0, pos)) + "\u2026";
}

}  // namespace kb::telegram
