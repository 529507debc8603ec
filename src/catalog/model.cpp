// Names of the catalog enums, lookups and the slug rule.
#include "catalog/model.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace kb::catalog {
namespace {

template <class E, std::size_t N>
std::optional<E> parse_named(const std::array<std::pair<E, std::string_view>, N>& names,
                             std::string_view s) {
  for (const auto& [value, name] : names)
    if (name == s) return value;
  return std::nullopt;
}

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& names, E e) {
  for (const auto& [value, name] : names)
    if (value == e) return name;
  return "?";
}

constexpr std::array<std::pair<Format, std::string_view>, 4> kFormats{{
    {Format::image, "image"},
    {Format::video, "video"},
    {Format::audio, "audio"},
    {Format::tools, "tools"},
}};
constexpr std::array<std::pair<OutputKind, std::string_view>, 4> kOutputs{{
    {OutputKind::image, "image"},
    {OutputKind::video, "video"},
    {OutputKind::audio, "audio"},
    {OutputKind::text, "text"},
}};
constexpr std::array<std::pair<InputType, std::string_view>, 8> kInputTypes{{
    {InputType::text, "text"},
    {InputType::enumeration, "enum"},
    {InputType::integer, "integer"},
    {InputType::number, "number"},
    {InputType::boolean, "boolean"},
    {InputType::image, "image"},
    {InputType::video, "video"},
    {InputType::audio, "audio"},
}};

}  // namespace

std::string_view format_name(Format f) {
  return name_of(kFormats, f);
}
std::string_view output_kind_name(OutputKind k) {
  return name_of(kOutputs, k);
}
std::string_view input_type_name(InputType t) {
  return name_of(kInputTypes, t);
}
std::optional<Format> parse_format(std::string_view s) {
  return parse_named(kFormats, s);
}
std::optional<OutputKind> parse_output_kind(std::string_view s) {
  return parse_named(kOutputs, s);
}
std::optional<InputType> parse_input_type(std::string_view s) {
  return parse_named(kInputTypes, s);
}

bool is_media(InputType t) {
  return t == InputType::image || t == InputType::video || t == InputType::audio;
}

const Localized* Input::value_label(std::string_view value) const {
  auto it = value_labels.find(value);
  return it == value_labels.end() ? nullptr : &it->second;
}

bool Input::has_value(std::string_view value) const {
  return std::find(values.begin(), values.end(), value) != values.end();
}

const Input* Model::input(std::string_view name) const {
  for (const auto& i : inputs)
    if (i.name == name) return &i;
  return nullptr;
}

const Model* Catalog::find(std::string_view id) const {
  for (const auto& m : models)
    if (m.id == id) return &m;
  return nullptr;
}

const Model* Catalog::find_by_slug(std::string_view slug) const {
  for (const auto& m : models)
    if (m.slug == slug) return &m;
  return nullptr;
}

std::vector<const Model*> Catalog::by_format(Format format) const {
  std::vector<const Model*> out;
  for (const auto& m : models)
    if (m.enabled && m.format == format) out.push_back(&m);
  return out;
}

std::vector<const Model*> Catalog::popular() const {
  std::vector<const Model*> out;
  for (const auto& m : models)
    if (m.enabled && m.popularity) out.push_back(&m);
  std::stable_sort(out.begin(), out.end(),
                   [](const Model* a, const Model* b) { return *a->popularity < *b->popularity; });
  return out;
}

std::vector<const Model*> Catalog::free_models() const {
  std::vector<const Model*> out;
  for (const auto& m : models)
    if (m.enabled && m.free) out.push_back(&m);
  return out;
}

std::size_t Catalog::enabled_count() const {
  return static_cast<std::size_t>(
      std::count_if(models.begin(), models.end(), [](const Model& m) { return m.enabled; }));
}

std::string slug_for(std::string_view model_id) {
  std::string slug;
  slug.reserve(model_id.size());
  for (char c : model_id) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    bool safe = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    slug.push_back(safe ? c : '-');
  }
  return slug;
}

}  // namespace kb::catalog
