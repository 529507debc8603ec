// createTask `input` construction with typed values.
#include "catalog/payload.hpp"

#include <fmt/format.h>

#include "catalog/input_check.hpp"

namespace kb::catalog {
namespace {

nlohmann::json number_json(Number n) {
  if (n.is_integer()) return n.units;
  // The exact decimal text parsed by JSON's own number grammar: the shortest double that reads
  // back as this decimal, so "0.7" is sent as 0.7.
  return nlohmann::json::parse(format_number(n));
}

Result<nlohmann::json> enum_json(const Input& input, const std::string& value) {
  switch (input.send_as) {
    case SendAs::string:
      return nlohmann::json(value);
    case SendAs::integer:
    case SendAs::number: {
      auto n = parse_number(value);
      if (!n || (input.send_as == SendAs::integer && !n->is_integer()))
        return fail(Errc::internal,
                    fmt::format("input {}: value \"{}\" cannot be sent as {}", input.name, value,
                                input.send_as == SendAs::integer ? "an integer" : "a number"));
      return number_json(*n);
    }
  }
  return fail(Errc::internal, "unknown send_as");
}

Result<nlohmann::json> value_json(const Input& input, const InputValue& value) {
  if (auto e = check_value(input, value))
    return fail(Errc::invalid_input, fmt::format("input {}: {}", input.name, e->describe()));
  switch (input.type) {
    case InputType::text:
      return nlohmann::json(std::get<std::string>(value));
    case InputType::enumeration:
      return enum_json(input, std::get<std::string>(value));
    case InputType::integer:
      return nlohmann::json(std::get<std::int64_t>(value));
    case InputType::number:
      if (auto i = std::get_if<std::int64_t>(&value)) return nlohmann::json(*i);
      return number_json(std::get<Number>(value));
    case InputType::boolean:
      return nlohmann::json(std::get<bool>(value));
    case InputType::image:
    case InputType::video:
    case InputType::audio: {
      const auto& urls = std::get<MediaUrls>(value);
      if (input.array) return nlohmann::json(urls);
      return nlohmann::json(urls.front());
    }
  }
  return fail(Errc::internal, "unknown input type");
}

}  // namespace

Result<nlohmann::json> build_payload(const Model& model, const InputValues& values) {
  for (const auto& [name, value] : values)
    if (model.input(name) == nullptr)
      return fail(Errc::invalid_input, fmt::format("model {} has no input {}", model.id, name));
  nlohmann::json out = nlohmann::json::object();
  for (const auto& input : model.inputs) {
    const InputValue* value = nullptr;
    if (!input.hidden) {
      if (auto it = values.find(input.name); it != values.end()) value = &it->second;
    }
    if (value == nullptr && (input.hidden || input.required)) {
      if (!input.default_value)
        return fail(Errc::invalid_input, fmt::format("missing required input {}", input.name));
      value = &*input.default_value;
    }
    if (value == nullptr) continue;
    out[input.name] = KB_TRY(value_json(input, *value));
  }
  return out;
}

}  // namespace kb::catalog
