// Wizard input validation (pure): the user's text, button choice or files → a typed value, or a
// structured error the conversation layer turns into a localized message.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "catalog/model.hpp"

namespace kb::catalog {

enum class InputErrorCode {
  empty,           // nothing usable was sent
  too_short,       // text: {min, length}
  too_long,        // text: {max, length}
  not_a_number,    // number/integer: not a decimal number at all
  not_an_integer,  // integer: has a fractional part
  out_of_range,    // number/integer: {min, max} (either may be absent)
  not_one_of,      // enum: {values} ("1:1, 16:9")
  not_a_boolean,   // boolean typed as text: not yes/no
  not_a_link,      // media: text that is not an http(s) link
  too_few_files,   // media: {min, count}
  too_many_files,  // media: {max, count}
  wrong_kind,      // a value of another type (a stale stored value, a caller's bug)
};

// Stable snake_case names ("too_long"): locale keys are built from them.
std::string_view input_error_code_name(InputErrorCode code);

struct InputError {
  InputErrorCode code = InputErrorCode::empty;
  std::vector<std::pair<std::string, std::string>> params;  // in a fixed order per code

  // The parameter's value, or "" when absent.
  std::string param(std::string_view key) const;
  // For logs and error messages: "too_long max=1000 length=1200".
  std::string describe() const;

  friend bool operator==(const InputError&, const InputError&) = default;
};

// Either a typed value or an error.
class InputCheck {
 public:
  InputCheck(InputValue value) : result_(std::move(value)) {}
  InputCheck(InputError error) : result_(std::move(error)) {}

  bool ok() const { return result_.index() == 0; }
  const InputValue& value() const { return std::get<0>(result_); }
  const InputError& error() const { return std::get<1>(result_); }

 private:
  std::variant<InputValue, InputError> result_;
};

// A typed answer for any input type. Text is trimmed and counted in code points; numbers accept ","
// as the decimal separator; enums accept a value or its caption (any case); booleans accept
// yes/no/true/false/on/off/1/0/да/нет; media accept whitespace-separated http(s) links.
InputCheck parse_answer(const Input& input, std::string_view text);
// An enum button press.
InputCheck choose_option(const Input& input, std::string_view value);
// Files the user sent (already turned into URLs KIE can fetch), checked against the item limits.
InputCheck attach_media(const Input& input, MediaUrls urls);

// Re-checks a typed value against the input (stored values, the payload builder).
std::optional<InputError> check_value(const Input& input, const InputValue& value);

// Wizard helpers: the inputs the wizard asks (not hidden), in order; whether Skip is offered
// (optional inputs); whether "Use default" is offered (required inputs with a default).
std::vector<const Input*> asked_inputs(const Model& model);
inline bool can_skip(const Input& input) {
  return !input.required;
}
inline bool offers_default(const Input& input) {
  return input.required && input.default_value.has_value();
}

}  // namespace kb::catalog
