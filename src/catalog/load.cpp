// The catalog loader: strict YAML → typed structures (structural errors), then the validator.
#include "catalog/load.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "catalog/yaml_reader.hpp"
#include "core/embedded.hpp"

namespace kb::catalog {
namespace {

using detail::Errors;
using detail::in_quotes;
using detail::MapReader;
using detail::Need;

constexpr std::int64_t kMaxSeconds = 7 * 24 * 3600;
constexpr std::int64_t kMaxCount = 1'000'000;

// Which input types a type-specific key applies to, for "applies only to ..." messages.
struct KeyScope {
  std::string_view key;
  bool (*applies)(InputType);
  std::string_view description;
};
constexpr KeyScope kScopedKeys[] = {
    {"values", [](InputType t) { return t == InputType::enumeration; }, "enum inputs"},
    {"value_labels", [](InputType t) { return t == InputType::enumeration; }, "enum inputs"},
    {"send_as", [](InputType t) { return t == InputType::enumeration; }, "enum inputs"},
    {"min", [](InputType t) { return t == InputType::integer || t == InputType::number; },
     "integer and number inputs"},
    {"max", [](InputType t) { return t == InputType::integer || t == InputType::number; },
     "integer and number inputs"},
    {"min_length", [](InputType t) { return t == InputType::text; }, "text inputs"},
    {"max_length", [](InputType t) { return t == InputType::text; }, "text inputs"},
    {"array", is_media, "media inputs"},
    {"min_items", is_media, "media inputs"},
    {"max_items", is_media, "media inputs"},
    {"max_mb", is_media, "media inputs"},
    {"default", [](InputType t) { return !is_media(t); }, "non-media inputs"},
};

std::optional<InputValue> read_default(MapReader& r, InputType type) {
  YAML::Node n = r.take("default");
  if (!n.IsDefined()) return std::nullopt;
  if (!n.IsScalar()) {
    r.error("default", "expected a plain value");
    return std::nullopt;
  }
  const std::string& s = n.Scalar();
  switch (type) {
    case InputType::text:
    case InputType::enumeration:
      return InputValue{s};
    case InputType::integer: {
      auto v = parse_number(s);
      if (v && v->is_integer() && s.find_first_of(".,") == std::string::npos)
        return InputValue{v->units};
      r.error(fmt::format("default {} is not a whole number", in_quotes(s)));
      return std::nullopt;
    }
    case InputType::number: {
      auto v = parse_number(s);
      if (v && s.find(',') == std::string::npos) return InputValue{*v};
      r.error(fmt::format("default {} is not a number", in_quotes(s)));
      return std::nullopt;
    }
    case InputType::boolean:
      if (s == "true" || s == "false") return InputValue{s == "true"};
      r.error(fmt::format("default {} is not true or false", in_quotes(s)));
      return std::nullopt;
    default:
      return std::nullopt;  // media: reported by the scope check
  }
}

std::optional<Number> read_bound(MapReader& r, std::string_view key, InputType type) {
  auto v = r.number(key);
  if (v && type == InputType::integer && !v->is_integer()) {
    r.error(key, fmt::format("{} is not a whole number", format_number(*v)));
    return std::nullopt;
  }
  return v;
}

void read_enum_details(MapReader& r, Input& in) {
  if (auto v = r.strings("values", Need::required)) in.values = std::move(*v);
  YAML::Node labels = r.take("value_labels");
  if (labels.IsDefined()) {
    if (!labels.IsMap()) {
      r.error("value_labels", "expected a map of value → {ru, en}");
    } else {
      for (auto it = labels.begin(); it != labels.end(); ++it) {
        std::string value = it->first.IsScalar() ? it->first.Scalar() : std::string();
        auto text = detail::read_localized(
            it->second, fmt::format("{}value_labels {}: ", r.context(), in_quotes(value)),
            r.errors());
        if (text && !in.value_labels.emplace(value, *text).second)
          r.error("value_labels", fmt::format("{} is labelled twice", in_quotes(value)));
      }
    }
  }
  if (auto s = r.text("send_as", Need::optional)) {
    if (*s == "string")
      in.send_as = SendAs::string;
    else if (*s == "integer")
      in.send_as = SendAs::integer;
    else if (*s == "number")
      in.send_as = SendAs::number;
    else
      r.error("send_as", fmt::format("expected string, integer or number, got {}", in_quotes(*s)));
  }
}

// Reads one input; nullopt when it has a structural problem (already reported).
std::optional<Input> read_input(const YAML::Node& node, const std::string& model_context,
                                std::size_t index, Errors& errors) {
  std::string name;
  if (node.IsMap())
    for (auto it = node.begin(); it != node.end(); ++it)
      if (it->first.IsScalar() && it->first.Scalar() == "name" && it->second.IsScalar())
        name = it->second.Scalar();
  std::string context = name.empty() ? fmt::format("{}input #{}: ", model_context, index + 1)
                                     : fmt::format("{}input {}: ", model_context, name);
  std::size_t errors_before = errors.size();
  MapReader r(node, context, errors);
  if (!r.is_map()) return std::nullopt;

  Input in;
  if (auto v = r.text("name", Need::required)) in.name = *v;
  auto type_text = r.text("type", Need::required);
  if (type_text) {
    if (auto t = parse_input_type(*type_text))
      in.type = *t;
    else
      r.error("type", fmt::format("unknown type {} (text, enum, integer, number, boolean, image, "
                                  "video or audio)",
                                  in_quotes(*type_text)));
  }
  bool typed = type_text && parse_input_type(*type_text);
  for (const auto& scope : kScopedKeys) {
    if (!r.has(scope.key)) continue;
    // Without a type nothing else can be judged; the missing type is the one error to report.
    if (!typed) r.take(scope.key);
    if (typed && !scope.applies(in.type)) {
      r.take(scope.key);
      r.error(fmt::format("{} applies only to {}", in_quotes(scope.key), scope.description));
    }
  }

  in.required = r.flag("required").value_or(false);
  in.hidden = r.flag("hidden").value_or(false);
  if (auto l = r.localized("label", Need::required)) in.label = *l;
  in.hint = r.localized("hint", Need::optional);

  if (typed) {
    in.default_value = read_default(r, in.type);
    switch (in.type) {
      case InputType::enumeration:
        read_enum_details(r, in);
        break;
      case InputType::integer:
      case InputType::number:
        in.min = read_bound(r, "min", in.type);
        in.max = read_bound(r, "max", in.type);
        break;
      case InputType::text:
        in.min_length = r.integer("min_length", Need::optional, 0, kMaxCount);
        in.max_length = r.integer("max_length", Need::optional, 1, kMaxCount);
        break;
      case InputType::image:
      case InputType::video:
      case InputType::audio:
        in.array = r.flag("array").value_or(false);
        in.min_items = r.integer("min_items", Need::optional, 1, 100).value_or(1);
        in.max_items = r.integer("max_items", Need::optional, 1, 100).value_or(1);
        in.max_mb = r.integer("max_mb", Need::optional, 1, 2000).value_or(20);
        break;
      case InputType::boolean:
        break;
    }
  }
  r.finish();
  if (errors.size() != errors_before) return std::nullopt;
  return in;
}

std::optional<PriceRule> read_price(const YAML::Node& node, const std::string& model_context,
                                    Errors& errors) {
  std::size_t errors_before = errors.size();
  MapReader r(node, model_context + "price: ", errors);
  if (!r.is_map()) return std::nullopt;
  PriceRule p;
  p.usd = r.decimal("usd", Need::optional);
  if (auto rub = r.text("rub", Need::optional)) {
    auto k = parse_rubles(*rub);
    if (k && rub->find(',') == std::string::npos)
      p.rub = *k;
    else
      r.error("rub", fmt::format("expected rubles like \"19.90\", got {}", in_quotes(*rub)));
  }
  p.per_unit = r.text("per_unit", Need::optional);
  YAML::Node table = r.take("table");
  if (table.IsDefined()) {
    MapReader t(table, model_context + "price: table: ", errors);
    if (t.is_map()) {
      PriceTable pt;
      if (auto keys = t.strings("keys", Need::required)) pt.keys = std::move(*keys);
      YAML::Node usd = t.take("usd");
      if (!usd.IsDefined()) {
        t.error(fmt::format("missing {}", in_quotes("usd")));
      } else if (!usd.IsMap()) {
        t.error("usd", "expected a map of \"value|value\" → decimal");
      } else {
        MapReader entries(usd, model_context + "price: table: usd: ", errors);
        for (auto it = usd.begin(); it != usd.end(); ++it) {
          if (!it->first.IsScalar()) continue;  // reported by MapReader
          auto d = entries.decimal(it->first.Scalar(), Need::required);
          if (d) pt.usd.emplace(it->first.Scalar(), *d);
        }
      }
      t.finish();
      p.table = std::move(pt);
    }
  }
  r.finish();
  if (errors.size() != errors_before) return std::nullopt;
  return p;
}

// Reads one model; nullopt when it has a structural problem (already reported).
std::optional<Model> read_model(const YAML::Node& node, std::size_t index, Errors& errors) {
  std::string id;
  if (node.IsMap())
    for (auto it = node.begin(); it != node.end(); ++it)
      if (it->first.IsScalar() && it->first.Scalar() == "id" && it->second.IsScalar())
        id = it->second.Scalar();
  std::string context =
      id.empty() ? fmt::format("model #{}: ", index + 1) : fmt::format("model {}: ", id);
  std::size_t errors_before = errors.size();
  MapReader r(node, context, errors);
  if (!r.is_map()) return std::nullopt;

  Model m;
  if (auto v = r.text("id", Need::required)) m.id = *v;
  if (auto v = r.text("slug", Need::optional))
    m.slug = *v;
  else
    m.slug = slug_for(m.id);
  if (auto v = r.text("format", Need::required)) {
    if (auto f = parse_format(*v))
      m.format = *f;
    else
      r.error("format",
              fmt::format("unknown format {} (image, video, audio or tools)", in_quotes(*v)));
  }
  if (auto v = r.text("category", Need::required)) m.category = *v;
  if (auto v = r.text("output", Need::required)) {
    if (auto o = parse_output_kind(*v))
      m.output = *o;
    else
      r.error("output",
              fmt::format("unknown output {} (image, video, audio or text)", in_quotes(*v)));
  }
  if (auto v = r.localized("title", Need::required)) m.title = *v;
  if (auto v = r.localized("description", Need::required)) m.description = *v;
  m.enabled = r.flag("enabled").value_or(true);
  m.free = r.flag("free").value_or(false);
  m.popularity = r.integer("popularity", Need::optional, 1, kMaxCount);
  m.expected = std::chrono::seconds(
      r.integer("expected_seconds", Need::required, 1, kMaxSeconds).value_or(0));
  m.patience = std::chrono::seconds(
      r.integer("patience_seconds", Need::required, 1, kMaxSeconds).value_or(0));
  m.hard_limit = std::chrono::seconds(
      r.integer("hard_limit_seconds", Need::required, 1, kMaxSeconds).value_or(0));
  YAML::Node examples = r.take("examples");
  if (examples.IsDefined()) {
    if (!examples.IsSequence()) {
      r.error("examples", "expected a list of {ru, en}");
    } else {
      std::size_t n = 0;
      for (const auto& e : examples) {
        ++n;
        if (auto text =
                detail::read_localized(e, fmt::format("{}example {}: ", context, n), errors))
          m.examples.push_back(*text);
      }
    }
  }
  if (auto v = r.text("notes", Need::optional)) m.notes = *v;

  YAML::Node price = r.take("price");
  if (!price.IsDefined())
    r.error(fmt::format("missing {}", in_quotes("price")));
  else if (auto p = read_price(price, context, errors))
    m.price = std::move(*p);

  YAML::Node inputs = r.take("inputs");
  if (!inputs.IsDefined()) {
    r.error(fmt::format("missing {}", in_quotes("inputs")));
  } else if (!inputs.IsSequence()) {
    r.error("inputs", "expected a list of inputs");
  } else {
    std::size_t n = 0;
    for (const auto& i : inputs)
      if (auto in = read_input(i, context, n++, errors)) m.inputs.push_back(std::move(*in));
  }
  r.finish();
  if (errors.size() != errors_before) return std::nullopt;
  return m;
}

void read_pricing(MapReader& root, Catalog& c) {
  YAML::Node node = root.take("pricing");
  if (!node.IsDefined()) {
    root.error(fmt::format("missing {}", in_quotes("pricing")));
    return;
  }
  MapReader r(node, "pricing: ", root.errors());
  if (!r.is_map()) return;
  if (auto d = r.decimal("fx_rub_per_usd", Need::required)) c.pricing.fx_rub_per_usd = *d;
  if (auto d = r.decimal("markup", Need::required)) c.pricing.markup = *d;
  if (auto k = r.integer("round_up_to_kopecks", Need::required, 1, 100'000))
    c.pricing.round_up_to_kopecks = *k;
  r.finish();
}

void apply_pricing_overrides(const PricingOverrides& o, Pricing& p, Errors& errors) {
  for (auto [name, text, target] :
       {std::tuple{"PRICE_FX_RUB_PER_USD", &o.fx_rub_per_usd, &p.fx_rub_per_usd},
        std::tuple{"PRICE_MARKUP", &o.markup, &p.markup}}) {
    if (!*text) continue;
    auto d = parse_decimal(**text);
    if (!d || d->units == 0)
      errors.push_back(
          fmt::format("{}: {} is not a positive decimal number", name, in_quotes(**text)));
    else
      *target = *d;
  }
}

Catalog read_catalog(const YAML::Node& root_node, Errors& errors) {
  Catalog c;
  MapReader root(root_node, "", errors);
  if (!root.is_map()) return c;
  if (auto v = root.integer("version", Need::required, 0, kMaxCount); v && *v != 1)
    root.error("version", fmt::format("unsupported format version {} (only 1 exists)", *v));
  read_pricing(root, c);
  YAML::Node models = root.take("models");
  if (!models.IsDefined()) {
    root.error(fmt::format("missing {}", in_quotes("models")));
  } else if (!models.IsSequence()) {
    root.error("models", "expected a list of models");
  } else if (models.size() == 0) {
    root.error("models", "the list is empty");
  } else {
    std::size_t n = 0;
    for (const auto& node : models)
      if (auto m = read_model(node, n++, errors)) c.models.push_back(std::move(*m));
  }
  root.finish();
  return c;
}

}  // namespace

LoadResult parse_catalog(std::string_view yaml, const PricingOverrides& overrides) {
  LoadResult result;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    result.errors.push_back(
        fmt::format("line {}, column {}: {}", e.mark.line + 1, e.mark.column + 1, e.msg));
    return result;
  }
  Catalog catalog = read_catalog(root, result.errors);
  apply_pricing_overrides(overrides, catalog.pricing, result.errors);
  for (auto& m : catalog.models) m.pricing = catalog.pricing;
  auto semantic = validate_catalog(catalog);
  result.errors.insert(result.errors.end(), semantic.begin(), semantic.end());
  if (result.errors.empty()) result.catalog = std::make_shared<const Catalog>(std::move(catalog));
  return result;
}

std::string CatalogSource::describe() const {
  return path.empty() ? "the built-in data/catalog.yaml" : path;
}

LoadResult load_catalog(const CatalogSource& source) {
  if (source.path.empty()) return parse_catalog(embedded::file("catalog.yaml"), source.pricing);
  std::ifstream in(source.path, std::ios::binary);
  if (!in) {
    LoadResult r;
    r.errors.push_back(fmt::format("cannot read {}: {}", source.path, std::strerror(errno)));
    return r;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_catalog(text.str(), source.pricing);
}

}  // namespace kb::catalog
