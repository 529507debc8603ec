// Semantic checks of a parsed catalog; each problem is one line naming the model and the field.
#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "catalog/load.hpp"
#include "catalog/pricing.hpp"
#include "catalog/utf8.hpp"

namespace kb::catalog {
namespace {

using Errors = std::vector<std::string>;

constexpr std::size_t kMaxTitleLength = 40;
// Telegram's /start parameter is at most 64 bytes and deep links are "m-<slug>".
constexpr std::size_t kMaxSlugLength = 64 - 2;

std::string q(std::string_view s) {
  return fmt::format("\"{}\"", s);
}

bool is_slug_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

bool is_field_name(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool mentions_provider(std::string_view text) {
  for (std::size_t i = 0; i + 3 <= text.size(); ++i) {
    auto lower = [&](std::size_t k) {
      char c = text[i + k];
      return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    };
    if (lower(0) == 'k' && lower(1) == 'i' && lower(2) == 'e') return true;
  }
  return false;
}

std::optional<std::int64_t> positive_whole(std::string_view s) {
  auto n = parse_number(s);
  if (!n || !n->is_integer() || n->units < 1 || s.find_first_of(".,") != std::string_view::npos)
    return std::nullopt;
  return n->units;
}

class ModelChecker {
 public:
  ModelChecker(const Model& m, Errors& errors)
      : m_(m), errors_(errors), context_(fmt::format("model {}: ", m.id)) {}

  void run() {
    check_identity();
    check_timing();
    check_texts();
    check_inputs();
    std::size_t before = errors_.size();
    check_price();
    // The catalog's own arithmetic over every option: catches what the rules above cannot.
    if (errors_.size() == before && !has_broken_inputs_) {
      auto range = price_range(m_);
      if (!range) error(fmt::format("price: {}", range.error().message));
    }
  }

 private:
  void error(std::string_view problem) { errors_.push_back(context_ + std::string(problem)); }
  void input_error(const Input& in, std::string_view problem) {
    error(fmt::format("input {}: {}", in.name, problem));
  }

  void check_identity() {
    if (!std::all_of(m_.slug.begin(), m_.slug.end(), is_slug_char))
      error(fmt::format("slug {}: only a-z, 0-9 and \"-\" are allowed", q(m_.slug)));
    else if (m_.slug.size() > kMaxSlugLength)
      error(
          fmt::format("slug {}: longer than {} characters (the deep link \"m-<slug>\" must fit "
                      "Telegram's 64-byte start parameter)",
                      q(m_.slug), kMaxSlugLength));
    if (!std::all_of(m_.category.begin(), m_.category.end(), is_slug_char))
      error(fmt::format("category {}: only a-z, 0-9 and \"-\" are allowed", q(m_.category)));
  }

  void check_timing() {
    if (m_.patience >= m_.hard_limit)
      error(fmt::format("patience_seconds ({}) must be less than hard_limit_seconds ({})",
                        m_.patience.count(), m_.hard_limit.count()));
    if (m_.expected > m_.patience)
      error(fmt::format("expected_seconds ({}) must not exceed patience_seconds ({})",
                        m_.expected.count(), m_.patience.count()));
  }

  void check_text(std::string_view field, const Localized& text) {
    for (auto [lang, value] : {std::pair{"ru", &text.ru}, std::pair{"en", &text.en}})
      if (mentions_provider(*value))
        error(fmt::format("{}.{}: mentions \"kie\" (user-facing texts must not name the provider)",
                          field, lang));
  }

  void check_texts() {
    for (auto [lang, value] : {std::pair{"ru", &m_.title.ru}, std::pair{"en", &m_.title.en}})
      if (code_points(*value) > kMaxTitleLength)
        error(fmt::format("title.{}: longer than {} characters", lang, kMaxTitleLength));
    check_text("title", m_.title);
    check_text("description", m_.description);
    for (std::size_t i = 0; i < m_.examples.size(); ++i)
      check_text(fmt::format("example {}", i + 1), m_.examples[i]);
  }

  void check_inputs() {
    if (m_.inputs.empty()) error("no inputs");
    std::set<std::string_view> names;
    for (const auto& in : m_.inputs) {
      if (!names.insert(in.name).second) input_error(in, "defined twice");
      if (!is_field_name(in.name)) {
        input_error(in, "the name must be letters, digits and \"_\" (KIE's field name)");
        has_broken_inputs_ = true;
      }
      check_input(in);
    }
  }

  void check_input(const Input& in) {
    std::string prefix = fmt::format("input {}: ", in.name);
    std::size_t before = errors_.size();
    check_text(prefix + "label", in.label);
    if (in.hint) check_text(prefix + "hint", *in.hint);
    if (in.hidden && is_media(in.type)) input_error(in, "a media input cannot be hidden");
    if (in.hidden && !in.default_value) input_error(in, "a hidden input needs a default");
    switch (in.type) {
      case InputType::enumeration:
        check_enum(in, prefix);
        break;
      case InputType::integer:
      case InputType::number:
        check_numeric(in);
        break;
      case InputType::text:
        check_text_input(in);
        break;
      case InputType::image:
      case InputType::video:
      case InputType::audio:
        if (!in.array && in.max_items > 1)
          input_error(in, fmt::format("max_items {} needs \"array: true\"", in.max_items));
        if (in.min_items > in.max_items)
          input_error(in, fmt::format("min_items {} is greater than max_items {}", in.min_items,
                                      in.max_items));
        break;
      case InputType::boolean:
        break;
    }
    if (errors_.size() != before) has_broken_inputs_ = true;
  }

  void check_enum(const Input& in, const std::string& prefix) {
    if (in.values.empty()) input_error(in, "values: the list is empty");
    std::set<std::string_view> seen;
    for (const auto& v : in.values) {
      if (!seen.insert(v).second) input_error(in, fmt::format("values: {} is listed twice", q(v)));
      if (in.send_as == SendAs::integer && !(parse_number(v) && parse_number(v)->is_integer()))
        input_error(in, fmt::format("value {} cannot be sent as an integer", q(v)));
      if (in.send_as == SendAs::number && !parse_number(v))
        input_error(in, fmt::format("value {} cannot be sent as a number", q(v)));
      if (in.value_label(v) == nullptr && mentions_provider(v))
        input_error(in, fmt::format("value {}: mentions \"kie\" (user-facing texts must not name "
                                    "the provider)",
                                    q(v)));
    }
    for (const auto& [value, label] : in.value_labels) {
      if (!in.has_value(value))
        input_error(in, fmt::format("value_labels: {} is not one of the values", q(value)));
      check_text(fmt::format("{}value_labels {}", prefix, q(value)), label);
    }
    if (in.default_value) {
      const auto& d = std::get<std::string>(*in.default_value);
      if (!in.has_value(d))
        input_error(in, fmt::format("default {} is not one of the values", q(d)));
    }
  }

  void check_numeric(const Input& in) {
    if (in.min && in.max && *in.min > *in.max)
      input_error(in, fmt::format("min {} is greater than max {}", format_number(*in.min),
                                  format_number(*in.max)));
    if (!in.default_value) return;
    Number d = in.type == InputType::integer
                   ? Number::integer(std::get<std::int64_t>(*in.default_value))
                   : std::get<Number>(*in.default_value);
    if (in.min && d < *in.min)
      input_error(in, fmt::format("default {} is less than min {}", format_number(d),
                                  format_number(*in.min)));
    if (in.max && d > *in.max)
      input_error(in, fmt::format("default {} is greater than max {}", format_number(d),
                                  format_number(*in.max)));
  }

  void check_text_input(const Input& in) {
    if (in.min_length && in.max_length && *in.min_length > *in.max_length)
      input_error(in, fmt::format("min_length {} is greater than max_length {}", *in.min_length,
                                  *in.max_length));
    if (!in.default_value) return;
    auto length = static_cast<std::int64_t>(code_points(std::get<std::string>(*in.default_value)));
    if (in.max_length && length > *in.max_length)
      input_error(in, fmt::format("default is longer than max_length {}", *in.max_length));
    if (in.min_length && length < *in.min_length)
      input_error(in, fmt::format("default is shorter than min_length {}", *in.min_length));
  }

  void price_error(std::string_view problem) { error(fmt::format("price: {}", problem)); }

  void check_price() {
    const PriceRule& p = m_.price;
    if (!p.usd && !p.rub && !p.table) price_error("needs \"usd\", \"rub\" or a table");
    if (p.usd && p.rub) price_error("\"usd\" and \"rub\" cannot be combined");
    if (p.rub && p.table) price_error("\"rub\" cannot be combined with a table");
    if (p.usd && p.usd->units == 0) price_error("usd must be greater than 0");
    if (p.rub && *p.rub <= 0) price_error("rub must be greater than 0");
    if (p.table) check_table(*p.table);
    if (p.per_unit) check_per_unit(*p.per_unit);
  }

  void check_table(const PriceTable& t) {
    if (t.keys.empty()) price_error("table: keys: the list is empty");
    std::vector<const Input*> keys;
    std::set<std::string_view> seen;
    for (const auto& k : t.keys) {
      const Input* in = m_.input(k);
      if (!seen.insert(k).second)
        price_error(fmt::format("table: key {} is listed twice", q(k)));
      else if (in == nullptr)
        price_error(fmt::format("table: key {} is not an input", q(k)));
      else if (in->type != InputType::enumeration && in->type != InputType::boolean)
        price_error(fmt::format("table: key {} is not an enum or boolean input", q(k)));
      else
        keys.push_back(in);
    }
    for (const auto& [key, usd] : t.usd)
      if (usd.units == 0) price_error(fmt::format("table: {} must be greater than 0", q(key)));
    if (keys.size() != t.keys.size()) return;  // entries cannot be checked against broken keys

    std::string key_names = fmt::format("{}", fmt::join(t.keys, "|"));
    for (const auto& [key, usd] : t.usd) {
      std::vector<std::string_view> parts;
      std::string_view rest = key;
      for (auto bar = rest.find('|'); bar != std::string_view::npos; bar = rest.find('|')) {
        parts.push_back(rest.substr(0, bar));
        rest.remove_prefix(bar + 1);
      }
      parts.push_back(rest);
      if (parts.size() != keys.size()) {
        price_error(fmt::format("table: {} needs {} part{} ({})", q(key), keys.size(),
                                keys.size() == 1 ? "" : "s", key_names));
        continue;
      }
      for (std::size_t i = 0; i < parts.size(); ++i) {
        const Input& in = *keys[i];
        bool valid = in.type == InputType::boolean ? (parts[i] == "true" || parts[i] == "false")
                                                   : in.has_value(parts[i]);
        if (!valid)
          price_error(fmt::format("table: {}: {} is not a value of {}{}", q(key), q(parts[i]),
                                  in.name,
                                  in.type == InputType::boolean ? " (true or false)" : ""));
      }
    }
    if (m_.price.usd || m_.price.rub) return;
    // No base price: every combination the user can choose needs its own entry.
    for (const Input* in : keys)
      if (!in->required && !in->default_value && !in->hidden)
        price_error(
            fmt::format("table: key {} can be left unset (optional, no default) and there "
                        "is no base usd",
                        q(in->name)));
    std::vector<std::vector<std::string>> options;
    for (const Input* in : keys)
      options.push_back(in->type == InputType::boolean ? std::vector<std::string>{"false", "true"}
                                                       : in->values);
    std::size_t combinations = 1;
    for (const auto& o : options) combinations *= std::max<std::size_t>(o.size(), 1);
    if (combinations > 10'000) {
      price_error("table: too many combinations to cover without a base usd");
      return;
    }
    for (std::size_t n = 0; n < combinations; ++n) {
      std::string key;
      std::size_t rest = n;
      for (std::size_t i = 0; i < options.size(); ++i) {
        if (options[i].empty()) return;
        if (i > 0) key += '|';
        key += options[i][rest % options[i].size()];
        rest /= options[i].size();
      }
      if (!t.usd.contains(key))
        price_error(fmt::format("table: no price for {} and no base usd", q(key)));
    }
  }

  void check_per_unit(const std::string& name) {
    const Input* in = m_.input(name);
    if (in == nullptr) {
      price_error(fmt::format("per_unit {} is not an input", q(name)));
      return;
    }
    if (in->type == InputType::enumeration) {
      for (const auto& v : in->values)
        if (!positive_whole(v))
          price_error(fmt::format("per_unit {}: value {} is not a whole number of at least 1",
                                  q(name), q(v)));
    } else if (in->type == InputType::integer) {
      if (!in->min || in->min->units < 1)
        price_error(fmt::format("per_unit {}: min must be at least 1", q(name)));
      if (!in->max) price_error(fmt::format("per_unit {}: needs a max", q(name)));
    } else {
      price_error(
          fmt::format("per_unit {} must be an integer input or an enum of whole numbers", q(name)));
      return;
    }
    if (!in->required && !in->default_value)
      price_error(fmt::format("per_unit {} needs a default (the input is optional)", q(name)));
  }

  const Model& m_;
  Errors& errors_;
  std::string context_;
  bool has_broken_inputs_ = false;
};

}  // namespace

std::vector<std::string> validate_catalog(const Catalog& catalog) {
  Errors errors;
  if (catalog.pricing.fx_rub_per_usd.units == 0)
    errors.push_back("pricing: fx_rub_per_usd must be greater than 0");
  if (catalog.pricing.markup.units == 0) errors.push_back("pricing: markup must be greater than 0");
  std::map<std::string_view, std::string_view> ids, slugs;
  std::map<std::int64_t, std::string_view> popularity;
  for (const auto& m : catalog.models) {
    std::string context = fmt::format("model {}: ", m.id);
    if (!ids.emplace(m.id, m.id).second)
      errors.push_back(context + "the id is used by more than one model");
    if (auto [it, fresh] = slugs.emplace(m.slug, m.id); !fresh)
      errors.push_back(
          fmt::format("{}slug {} is also the slug of model {}", context, q(m.slug), it->second));
    if (m.popularity) {
      if (auto [it, fresh] = popularity.emplace(*m.popularity, m.id); !fresh)
        errors.push_back(fmt::format("{}popularity {} is also the popularity of model {}", context,
                                     *m.popularity, it->second));
    }
    ModelChecker(m, errors).run();
  }
  return errors;
}

}  // namespace kb::catalog
