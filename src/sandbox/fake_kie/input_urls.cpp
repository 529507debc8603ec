// URL-valued input discovery.
#include "sandbox/fake_kie/input_urls.hpp"

#include <algorithm>

namespace kb::sandbox {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

void walk(const nlohmann::json& node, const std::vector<std::string>& media_inputs,
          std::vector<InputUrl>& out) {
  if (node.is_array()) {
    for (const auto& item : node) walk(item, media_inputs, out);
    return;
  }
  if (!node.is_object()) return;
  for (const auto& [key, value] : node.items()) {
    if (is_url_input_name(key, media_inputs)) {
      if (value.is_string()) out.push_back({key, value.get<std::string>()});
      if (value.is_array())
        for (const auto& item : value)
          if (item.is_string()) out.push_back({key, item.get<std::string>()});
    } else {
      walk(value, media_inputs, out);
    }
  }
}

}  // namespace

bool is_url_input_name(std::string_view name, const std::vector<std::string>& media_inputs) {
  if (name == "image" || ends_with(name, "_url") || ends_with(name, "_urls")) return true;
  return std::find(media_inputs.begin(), media_inputs.end(), name) != media_inputs.end();
}

std::vector<InputUrl> collect_input_urls(const nlohmann::json& input,
                                         const std::vector<std::string>& media_inputs) {
  std::vector<InputUrl> out;
  walk(input, media_inputs, out);
  return out;
}

}  // namespace kb::sandbox
