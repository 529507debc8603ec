// Finds the URL-valued fields of a createTask `input` object (what KIE downloads before running).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace kb::sandbox {

struct InputUrl {
  std::string input_name;  // the key holding it, e.g. "image_urls"
  std::string url;         // as sent (not necessarily http: callers decide)
};

// Keys named `image`, or ending in `_url`/`_urls`, or listed in `media_inputs`.
bool is_url_input_name(std::string_view name, const std::vector<std::string>& media_inputs = {});

// Every string (or string in an array) under a URL-valued key, searched through nested objects and
// arrays of objects (e.g. `kling_elements[].element_input_urls`), in document order.
std::vector<InputUrl> collect_input_urls(const nlohmann::json& input,
                                         const std::vector<std::string>& media_inputs = {});

}  // namespace kb::sandbox
