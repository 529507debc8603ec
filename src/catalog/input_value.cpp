// Storage form of input values: JSON with exact numbers.
#include "catalog/input_value.hpp"

#include <fmt/format.h>

#include "catalog/model.hpp"

namespace kb::catalog {
namespace {

struct ToJson {
  nlohmann::json operator()(const std::string& s) const { return s; }
  nlohmann::json operator()(std::int64_t i) const { return i; }
  nlohmann::json operator()(const Number& n) const { return format_number(n); }
  nlohmann::json operator()(bool b) const { return b; }
  nlohmann::json operator()(const MediaUrls& urls) const { return urls; }
};

Result<InputValue> value_from_json(const Input& input, const nlohmann::json& j) {
  auto wrong = [&] {
    return fail(Errc::invalid_input, fmt::format("stored value of input {} is not a {} value",
                                                 input.name, input_type_name(input.type)));
  };
  switch (input.type) {
    case InputType::text:
    case InputType::enumeration:
      if (j.is_string()) return InputValue{j.get<std::string>()};
      return wrong();
    case InputType::integer:
      if (j.is_number_integer()) return InputValue{j.get<std::int64_t>()};
      return wrong();
    case InputType::number: {
      if (j.is_number_integer()) return InputValue{Number::integer(j.get<std::int64_t>())};
      if (!j.is_string()) return wrong();
      auto n = parse_number(j.get<std::string>());
      if (!n) return wrong();
      return InputValue{*n};
    }
    case InputType::boolean:
      if (j.is_boolean()) return InputValue{j.get<bool>()};
      return wrong();
    case InputType::image:
    case InputType::video:
    case InputType::audio: {
      if (!j.is_array()) return wrong();
      MediaUrls urls;
      for (const auto& u : j) {
        if (!u.is_string()) return wrong();
        urls.push_back(u.get<std::string>());
      }
      return InputValue{std::move(urls)};
    }
  }
  return wrong();
}

}  // namespace

nlohmann::json values_to_json(const InputValues& values) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, value] : values) out[name] = std::visit(ToJson{}, value);
  return out;
}

Result<InputValues> values_from_json(const Model& model, const nlohmann::json& json) {
  if (!json.is_object()) return fail(Errc::invalid_input, "stored input values are not an object");
  InputValues out;
  for (const auto& [name, j] : json.items()) {
    const Input* input = model.input(name);
    if (input == nullptr)
      return fail(Errc::invalid_input, fmt::format("model {} has no input {}", model.id, name));
    out.emplace(name, KB_TRY(value_from_json(*input, j)));
  }
  return out;
}

}  // namespace kb::catalog
