// Exact price derivation: USD list price × FX × markup, rounded up, times the unit count.
#include "catalog/pricing.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <set>
#include <variant>

#include <fmt/format.h>

namespace kb::catalog {
namespace {

using Int = __int128;

std::optional<Int> checked_mul(Int a, Int b) {
  Int out;
  if (__builtin_mul_overflow(a, b, &out)) return std::nullopt;
  return out;
}

Int pow10(int n) {
  Int v = 1;
  while (n-- > 0) v *= 10;
  return v;
}

const InputValue* value_or_default(const Input& input, const InputValues& values) {
  if (!input.hidden) {
    auto it = values.find(input.name);
    if (it != values.end()) return &it->second;
  }
  return input.default_value ? &*input.default_value : nullptr;
}

// The part of a table key for one input: the enum value or "true"/"false"; nullopt when unset.
Result<std::optional<std::string>> table_key_part(const Input& input, const InputValues& values) {
  const InputValue* v = value_or_default(input, values);
  if (v == nullptr) return std::optional<std::string>{};
  if (input.type == InputType::boolean) {
    if (auto b = std::get_if<bool>(v)) return std::optional<std::string>{*b ? "true" : "false"};
  } else if (auto s = std::get_if<std::string>(v)) {
    if (!input.has_value(*s))
      return fail(Errc::invalid_input,
                  fmt::format("input {}: \"{}\" is not one of the values", input.name, *s));
    return std::optional<std::string>{*s};
  }
  return fail(Errc::invalid_input, fmt::format("input {}: wrong kind of value", input.name));
}

Result<Kopecks> unit_price(const Model& model, const InputValues& values) {
  const PriceRule& rule = model.price;
  if (rule.rub) return *rule.rub;
  std::optional<Decimal> usd = rule.usd;
  if (rule.table) {
    std::string key;
    bool complete = true;
    for (std::size_t k = 0; k < rule.table->keys.size(); ++k) {
      const std::string& name = rule.table->keys[k];
      const Input* input = model.input(name);
      if (input == nullptr)
        return fail(Errc::internal, fmt::format("price table key {} is not an input", name));
      auto part = KB_TRY(table_key_part(*input, values));
      if (!part) {
        complete = false;
        break;
      }
      if (k > 0) key += '|';
      key += *part;
    }
    if (complete) {
      auto it = rule.table->usd.find(key);
      if (it != rule.table->usd.end()) usd = it->second;
    }
  }
  if (!usd)
    return fail(Errc::internal, fmt::format("model {}: no price for these options", model.id));
  return usd_to_kopecks(*usd, model.pricing);
}

Result<std::int64_t> unit_count(const Model& model, const InputValues& values) {
  if (!model.price.per_unit) return 1;
  const Input* input = model.input(*model.price.per_unit);
  if (input == nullptr)
    return fail(Errc::internal, fmt::format("per_unit {} is not an input", *model.price.per_unit));
  const InputValue* v = value_or_default(*input, values);
  if (v == nullptr)
    return fail(Errc::invalid_input, fmt::format("input {} is needed for the price", input->name));
  std::optional<std::int64_t> count;
  if (auto i = std::get_if<std::int64_t>(v)) count = *i;
  if (auto s = std::get_if<std::string>(v)) {
    auto n = parse_number(*s);
    if (n && n->is_integer() && input->has_value(*s)) count = n->units;
  }
  if (auto n = std::get_if<Number>(v); n && n->is_integer()) count = n->units;
  if (!count || *count < 1)
    return fail(Errc::invalid_input,
                fmt::format("input {}: not a positive whole number of units", input->name));
  return *count;
}

}  // namespace

Result<Kopecks> usd_to_kopecks(Decimal usd, const Pricing& pricing) {
  auto overflow = [] { return fail(Errc::invalid_input, "price too large"); };
  std::optional<Int> numerator = checked_mul(usd.units, pricing.fx_rub_per_usd.units);
  if (numerator) numerator = checked_mul(*numerator, pricing.markup.units);
  if (numerator) numerator = checked_mul(*numerator, 100);
  if (!numerator) return overflow();
  Int denominator = pow10(usd.scale + pricing.fx_rub_per_usd.scale + pricing.markup.scale);
  Int step = denominator * std::max<Kopecks>(pricing.round_up_to_kopecks, 1);
  Int steps = (*numerator + step - 1) / step;
  auto kopecks = checked_mul(steps, std::max<Kopecks>(pricing.round_up_to_kopecks, 1));
  if (!kopecks || *kopecks > std::numeric_limits<Kopecks>::max()) return overflow();
  return static_cast<Kopecks>(*kopecks);
}

Result<Kopecks> price_of(const Model& model, const InputValues& values) {
  Kopecks unit = KB_TRY(unit_price(model, values));
  std::int64_t count = KB_TRY(unit_count(model, values));
  Kopecks total;
  if (__builtin_mul_overflow(unit, count, &total))
    return fail(Errc::invalid_input, "price too large");
  return total;
}

bool affects_price(const Model& model, std::string_view input_name) {
  if (model.price.per_unit && *model.price.per_unit == input_name) return true;
  if (!model.price.table) return false;
  const auto& keys = model.price.table->keys;
  return std::find(keys.begin(), keys.end(), input_name) != keys.end();
}

Result<PriceRange> price_range(const Model& model) {
  // Every price-relevant input with each of its possible values (nullopt = left unset).
  struct Choices {
    std::string name;
    std::vector<std::optional<InputValue>> options;
  };
  std::vector<Choices> choices;
  for (const auto& input : model.inputs) {
    if (!affects_price(model, input.name) || input.hidden) continue;
    Choices c{input.name, {}};
    if (input.type == InputType::enumeration) {
      for (const auto& v : input.values) c.options.emplace_back(InputValue{v});
    } else if (input.type == InputType::boolean) {
      c.options = {InputValue{false}, InputValue{true}};
    } else if (input.type == InputType::integer && input.min && input.max) {
      c.options = {InputValue{input.min->units}, InputValue{input.max->units}};
    }
    if (!input.required || c.options.empty()) c.options.emplace_back(std::nullopt);
    choices.push_back(std::move(c));
  }
  std::size_t combinations = 1;
  for (const auto& c : choices) {
    combinations *= c.options.size();
    if (combinations > 100'000) return fail(Errc::invalid_input, "too many price combinations");
  }
  std::optional<PriceRange> range;
  for (std::size_t n = 0; n < combinations; ++n) {
    InputValues values;
    std::size_t rest = n;
    for (const auto& c : choices) {
      const auto& option = c.options[rest % c.options.size()];
      rest /= c.options.size();
      if (option) values.emplace(c.name, *option);
    }
    Kopecks p = KB_TRY(price_of(model, values));
    if (!range)
      range = PriceRange{p, p};
    else
      range = PriceRange{std::min(range->min, p), std::max(range->max, p)};
  }
  return *range;
}

}  // namespace kb::catalog
