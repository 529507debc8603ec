// Typed values of a model's inputs, as the wizard collects them and the payload/price use them.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/number.hpp"
#include "core/result.hpp"

namespace kb::catalog {

struct Model;

// Media inputs always hold a list (one element for a single-file input); the payload builder
// decides between a string and an array from the catalog.
using MediaUrls = std::vector<std::string>;

// text and enum: std::string; integer: std::int64_t; number: Number; boolean: bool; media:
// MediaUrls.
using InputValue = std::variant<std::string, std::int64_t, Number, bool, MediaUrls>;

// Only the inputs the user set (or chose); unset inputs fall back to the catalog's rules.
using InputValues = std::map<std::string, InputValue, std::less<>>;

// Storage form (conversation state, job rows): a JSON object; numbers are kept as exact decimal
// strings so a stored value never drifts through floating point.
nlohmann::json values_to_json(const InputValues& values);
// Reads the storage form back, typed by the model's inputs; unknown names and wrong types are
// errors (a model edited since the values were stored).
Result<InputValues> values_from_json(const Model& model, const nlohmann::json& json);

}  // namespace kb::catalog
