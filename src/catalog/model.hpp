// The catalog's data model: models, their inputs, price rules and the whole catalog snapshot.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/input_value.hpp"
#include "catalog/number.hpp"
#include "core/money.hpp"

namespace kb::catalog {

// A user-facing text in both languages.
struct Localized {
  std::string ru;
  std::string en;

  // "en" → en, anything else → ru (Russian first).
  const std::string& in(std::string_view language) const { return language == "en" ? en : ru; }
};

enum class Format { image, video, audio, tools };
enum class OutputKind { image, video, audio, text };
enum class InputType { text, enumeration, integer, number, boolean, image, video, audio };
enum class SendAs { string, integer, number };

std::string_view format_name(Format f);
std::string_view output_kind_name(OutputKind k);
std::string_view input_type_name(InputType t);
std::optional<Format> parse_format(std::string_view s);
std::optional<OutputKind> parse_output_kind(std::string_view s);
std::optional<InputType> parse_input_type(std::string_view s);
bool is_media(InputType t);

struct Input {
  std::string name;  // the field name inside KIE's `input` object
  InputType type = InputType::text;
  bool required = false;
  bool hidden = false;
  Localized label;
  std::optional<Localized> hint;
  std::optional<InputValue> default_value;

  // enum
  std::vector<std::string> values;
  std::map<std::string, Localized, std::less<>> value_labels;
  SendAs send_as = SendAs::string;

  // integer / number (inclusive)
  std::optional<Number> min;
  std::optional<Number> max;

  // text, in Unicode code points
  std::optional<std::int64_t> min_length;
  std::optional<std::int64_t> max_length;

  // media
  bool array = false;
  std::int64_t min_items = 1;
  std::int64_t max_items = 1;
  std::int64_t max_mb = 20;

  // The caption of an enum value (its label, or null when the value is shown as is).
  const Localized* value_label(std::string_view value) const;
  bool has_value(std::string_view value) const;
};

struct PriceTable {
  std::vector<std::string> keys;  // enum/boolean input names
  // "v1|v2" (values in `keys` order; booleans as true/false) → USD list price
  std::map<std::string, Decimal, std::less<>> usd;
};

struct PriceRule {
  std::optional<Decimal> usd;  // base USD price per generation
  std::optional<PriceTable> table;
  std::optional<std::string> per_unit;  // multiply by this input's numeric value
  std::optional<Kopecks> rub;           // fixed RUB price; replaces the USD derivation
};

// How USD list prices become kopecks (after the PRICE_* environment overrides).
struct Pricing {
  Decimal fx_rub_per_usd{95, 0};
  Decimal markup{2, 0};
  Kopecks round_up_to_kopecks = 100;
};

struct Model {
  std::string id;    // the KIE model id
  std::string slug;  // resolved: the file's `slug` or slug_for(id)
  Format format = Format::image;
  std::string category;
  OutputKind output = OutputKind::image;
  Localized title;
  Localized description;
  bool enabled = true;
  bool free = false;
  std::optional<std::int64_t> popularity;
  std::chrono::seconds expected{0};
  std::chrono::seconds patience{0};
  std::chrono::seconds hard_limit{0};
  std::vector<Localized> examples;
  std::string notes;
  PriceRule price;
  Pricing pricing;            // a copy of the catalog's, so price_of needs only the model
  std::vector<Input> inputs;  // in wizard order

  const Input* input(std::string_view name) const;
};

// One immutable snapshot of the catalog. Lookups are linear: a catalog has tens of models.
struct Catalog {
  int version = 1;
  Pricing pricing;
  std::vector<Model> models;  // file order

  const Model* find(std::string_view id) const;
  const Model* find_by_slug(std::string_view slug) const;
  // Enabled models of one menu section, in file order.
  std::vector<const Model*> by_format(Format format) const;
  // Enabled models with a popularity, by popularity (ties keep file order).
  std::vector<const Model*> popular() const;
  // Enabled free-tier models, in file order.
  std::vector<const Model*> free_models() const;
  std::size_t enabled_count() const;
};

// The deep-link slug rule (PRODUCT.md §2): lower-case, every character outside [a-z0-9-] → '-'.
std::string slug_for(std::string_view model_id);

}  // namespace kb::catalog
