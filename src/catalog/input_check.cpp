// Typed conversion and checking of wizard answers.
#include "catalog/input_check.hpp"

#include <array>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "catalog/utf8.hpp"
#include "core/text.hpp"

namespace kb::catalog {
namespace {

// ASCII and Russian Cyrillic to lower case ("Да" → "да"); other bytes unchanged.
std::string lower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if (c == 0xD0 && i + 1 < s.size()) {
      auto d = static_cast<unsigned char>(s[i + 1]);
      ++i;
      if (d >= 0x90 && d <= 0x9F) {  // А..П → а..п
        out += {static_cast<char>(0xD0), static_cast<char>(d + 0x20)};
      } else if (d >= 0xA0 && d <= 0xAF) {  // Р..Я → р..я
        out += {static_cast<char>(0xD1), static_cast<char>(d - 0x20)};
      } else if (d == 0x81) {  // Ё → ё
        out += {static_cast<char>(0xD1), static_cast<char>(0x91)};
      } else {
        out += {static_cast<char>(c), static_cast<char>(d)};
      }
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

InputError error(InputErrorCode code,
                 std::vector<std::pair<std::string, std::string>> params = {}) {
  return InputError{code, std::move(params)};
}

std::optional<InputError> check_range(const Input& input, Number n) {
  if ((input.min && n < *input.min) || (input.max && n > *input.max)) {
    InputError e{InputErrorCode::out_of_range, {}};
    if (input.min) e.params.emplace_back("min", format_number(*input.min));
    if (input.max) e.params.emplace_back("max", format_number(*input.max));
    return e;
  }
  return std::nullopt;
}

std::optional<InputError> check_text(const Input& input, std::string_view text) {
  if (trim(text).empty()) return error(InputErrorCode::empty);
  auto length = static_cast<std::int64_t>(code_points(text));
  if (input.max_length && length > *input.max_length)
    return error(InputErrorCode::too_long,
                 {{"max", std::to_string(*input.max_length)}, {"length", std::to_string(length)}});
  if (input.min_length && length < *input.min_length)
    return error(InputErrorCode::too_short,
                 {{"min", std::to_string(*input.min_length)}, {"length", std::to_string(length)}});
  return std::nullopt;
}

std::string joined_values(const Input& input) {
  return fmt::format("{}", fmt::join(input.values, ", "));
}

bool is_link(std::string_view s) {
  for (std::string_view scheme : {"https://", "http://"})
    if (s.size() > scheme.size() && lower(s.substr(0, scheme.size())) == scheme) return true;
  return false;
}

std::optional<InputError> check_media(const Input& input, const MediaUrls& urls) {
  if (urls.empty()) return error(InputErrorCode::empty);
  for (const auto& u : urls)
    if (!is_link(u)) return error(InputErrorCode::not_a_link);
  std::int64_t max = input.array ? input.max_items : 1;
  std::int64_t min = input.array ? input.min_items : 1;
  auto count = static_cast<std::int64_t>(urls.size());
  if (count > max)
    return error(InputErrorCode::too_many_files,
                 {{"max", std::to_string(max)}, {"count", std::to_string(count)}});
  if (count < min)
    return error(InputErrorCode::too_few_files,
                 {{"min", std::to_string(min)}, {"count", std::to_string(count)}});
  return std::nullopt;
}

InputCheck parse_integer(const Input& input, std::string_view text) {
  auto n = parse_number(text);
  if (!n) return error(InputErrorCode::not_a_number);
  if (!n->is_integer() || text.find_first_of(".,") != std::string_view::npos)
    return error(InputErrorCode::not_an_integer);
  if (auto e = check_range(input, *n)) return *e;
  return InputValue{n->units};
}

InputCheck parse_boolean(std::string_view text) {
  static const std::array<std::string_view, 8> kYes{"true", "yes", "y",   "on",
                                                    "1",    "да",  "вкл", "включить"};
  static const std::array<std::string_view, 8> kNo{"false", "no",  "n",    "off",
                                                   "0",     "нет", "выкл", "выключить"};
  std::string l = lower(text);
  for (auto y : kYes)
    if (l == y) return InputValue{true};
  for (auto n : kNo)
    if (l == n) return InputValue{false};
  return error(InputErrorCode::not_a_boolean);
}

InputCheck parse_enum(const Input& input, std::string_view text) {
  if (input.has_value(text)) return InputValue{std::string(text)};
  std::string wanted = lower(text);
  for (const auto& v : input.values) {
    const Localized* label = input.value_label(v);
    if (lower(v) == wanted || (label && (lower(label->ru) == wanted || lower(label->en) == wanted)))
      return InputValue{v};
  }
  return error(InputErrorCode::not_one_of, {{"values", joined_values(input)}});
}

}  // namespace

std::string_view input_error_code_name(InputErrorCode code) {
  switch (code) {
    case InputErrorCode::empty:
      return "empty";
    case InputErrorCode::too_short:
      return "too_short";
    case InputErrorCode::too_long:
      return "too_long";
    case InputErrorCode::not_a_number:
      return "not_a_number";
    case InputErrorCode::not_an_integer:
      return "not_an_integer";
    case InputErrorCode::out_of_range:
      return "out_of_range";
    case InputErrorCode::not_one_of:
      return "not_one_of";
    case InputErrorCode::not_a_boolean:
      return "not_a_boolean";
    case InputErrorCode::not_a_link:
      return "not_a_link";
    case InputErrorCode::too_few_files:
      return "too_few_files";
    case InputErrorCode::too_many_files:
      return "too_many_files";
    case InputErrorCode::wrong_kind:
      return "wrong_kind";
  }
  return "?";
}

std::string InputError::param(std::string_view key) const {
  for (const auto& [k, v] : params)
    if (k == key) return v;
  return {};
}

std::string InputError::describe() const {
  std::string out(input_error_code_name(code));
  for (const auto& [k, v] : params) out += fmt::format(" {}={}", k, v);
  return out;
}

InputCheck parse_answer(const Input& input, std::string_view raw) {
  std::string_view text = trim(raw);
  if (text.empty()) return error(InputErrorCode::empty);
  switch (input.type) {
    case InputType::text:
      if (auto e = check_text(input, text)) return *e;
      return InputValue{std::string(text)};
    case InputType::enumeration:
      return parse_enum(input, text);
    case InputType::integer:
      return parse_integer(input, text);
    case InputType::number: {
      auto n = parse_number(text);
      if (!n) return error(InputErrorCode::not_a_number);
      if (auto e = check_range(input, *n)) return *e;
      return InputValue{*n};
    }
    case InputType::boolean:
      return parse_boolean(text);
    case InputType::image:
    case InputType::video:
    case InputType::audio: {
      MediaUrls urls;
      std::size_t i = 0;
      while (i < text.size()) {
        while (i < text.size() && is_ascii_space(text[i])) ++i;
        std::size_t start = i;
        while (i < text.size() && !is_ascii_space(text[i])) ++i;
        if (i > start) urls.emplace_back(text.substr(start, i - start));
      }
      return attach_media(input, std::move(urls));
    }
  }
  return error(InputErrorCode::wrong_kind);
}

InputCheck choose_option(const Input& input, std::string_view value) {
  if (input.type != InputType::enumeration) return error(InputErrorCode::wrong_kind);
  if (!input.has_value(value))
    return error(InputErrorCode::not_one_of, {{"values", joined_values(input)}});
  return InputValue{std::string(value)};
}

InputCheck attach_media(const Input& input, MediaUrls urls) {
  if (!is_media(input.type)) return error(InputErrorCode::wrong_kind);
  if (auto e = check_media(input, urls)) return *e;
  return InputValue{std::move(urls)};
}

std::optional<InputError> check_value(const Input& input, const InputValue& value) {
  switch (input.type) {
    case InputType::text:
      if (auto s = std::get_if<std::string>(&value)) return check_text(input, *s);
      break;
    case InputType::enumeration:
      if (auto s = std::get_if<std::string>(&value)) {
        if (input.has_value(*s)) return std::nullopt;
        return error(InputErrorCode::not_one_of, {{"values", joined_values(input)}});
      }
      break;
    case InputType::integer:
      if (auto i = std::get_if<std::int64_t>(&value))
        return check_range(input, Number::integer(*i));
      break;
    case InputType::number:
      if (auto n = std::get_if<Number>(&value)) return check_range(input, *n);
      if (auto i = std::get_if<std::int64_t>(&value))
        return check_range(input, Number::integer(*i));
      break;
    case InputType::boolean:
      if (std::holds_alternative<bool>(value)) return std::nullopt;
      break;
    case InputType::image:
    case InputType::video:
    case InputType::audio:
      if (auto urls = std::get_if<MediaUrls>(&value)) return check_media(input, *urls);
      break;
  }
  return error(InputErrorCode::wrong_kind);
}

std::vector<const Input*> asked_inputs(const Model& model) {
  std::vector<const Input*> out;
  for (const auto& i : model.inputs)
    if (!i.hidden) out.push_back(&i);
  return out;
}

}  // namespace kb::catalog
