// The `input` object of KIE's createTask, built from the user's typed values exactly as each model
// expects it.
#pragma once

#include <nlohmann/json.hpp>

#include "catalog/model.hpp"
#include "core/result.hpp"

namespace kb::catalog {

// Rules, per input in catalog order:
// - hidden: always its default (whatever `values` says);
// - set by the user: the typed value (numbers as numbers, booleans as booleans, enums by `send_as`,
//   media as a URL string or, for `array` inputs, a list of URLs), re-checked against the input;
// - unset and required: its default, or an error naming the input when it has none;
// - unset and optional: omitted (KIE applies its own default).
// A value for a name the model does not have is an error: an unknown key is never sent.
Result<nlohmann::json> build_payload(const Model& model, const InputValues& values);

}  // namespace kb::catalog
