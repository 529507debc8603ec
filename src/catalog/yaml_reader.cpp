// Strict YAML map reading with one error line per problem.
#include "catalog/yaml_reader.hpp"

#include <fmt/format.h>

namespace kb::catalog::detail {
namespace {

std::optional<YAML::Node> find(const YAML::Node& map, std::string_view key) {
  for (auto it = map.begin(); it != map.end(); ++it)
    if (it->first.IsScalar() && it->first.Scalar() == key) return it->second;
  return std::nullopt;
}

}  // namespace

std::string in_quotes(std::string_view s) {
  return fmt::format("\"{}\"", s);
}

MapReader::MapReader(const YAML::Node& node, std::string context, Errors& errors)
    : node_(node), context_(std::move(context)), errors_(errors), is_map_(node.IsMap()) {
  if (!is_map_) {
    // The context already names the thing ("model x: price: "); drop the trailing ": ".
    std::string_view what = context_;
    if (what.ends_with(": ")) what.remove_suffix(2);
    errors_.push_back(what.empty() ? "the file must be a YAML map (version, pricing, models)"
                                   : fmt::format("{}: expected a map of keys", what));
    return;
  }
  std::set<std::string, std::less<>> seen;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    if (!it->first.IsScalar()) {
      error("a key must be a plain name");
      continue;
    }
    if (!seen.insert(it->first.Scalar()).second)
      error(fmt::format("key {} appears twice", in_quotes(it->first.Scalar())));
  }
}

bool MapReader::has(std::string_view key) const {
  return is_map_ && find(node_, key).has_value();
}

YAML::Node MapReader::take(std::string_view key) {
  taken_.insert(std::string(key));
  if (!is_map_) return YAML::Node(YAML::NodeType::Undefined);
  auto n = find(node_, key);
  return n ? *n : YAML::Node(YAML::NodeType::Undefined);
}

void MapReader::error(std::string_view key, std::string_view problem) {
  errors_.push_back(fmt::format("{}{}: {}", context_, key, problem));
}

void MapReader::error(std::string_view problem) {
  errors_.push_back(fmt::format("{}{}", context_, problem));
}

std::optional<std::string> MapReader::scalar(std::string_view key, Need need,
                                             std::string_view expected) {
  if (!is_map_) return std::nullopt;
  YAML::Node n = take(key);
  if (!n.IsDefined()) {
    if (need == Need::required) error(fmt::format("missing {}", in_quotes(key)));
    return std::nullopt;
  }
  if (!n.IsScalar()) {
    error(key, fmt::format("expected {}", expected));
    return std::nullopt;
  }
  return n.Scalar();
}

std::optional<std::string> MapReader::text(std::string_view key, Need need) {
  auto s = scalar(key, need, "a text value");
  if (s && s->empty()) {
    error(key, "must not be empty");
    return std::nullopt;
  }
  return s;
}

std::optional<bool> MapReader::flag(std::string_view key) {
  auto s = scalar(key, Need::optional, "true or false");
  if (!s) return std::nullopt;
  if (*s == "true") return true;
  if (*s == "false") return false;
  error(key, fmt::format("expected true or false, got {}", in_quotes(*s)));
  return std::nullopt;
}

std::optional<std::int64_t> MapReader::integer(std::string_view key, Need need, std::int64_t min,
                                               std::int64_t max) {
  auto s = scalar(key, need, "a whole number");
  if (!s) return std::nullopt;
  auto n = parse_number(*s);
  if (!n || !n->is_integer() || s->find_first_of(".,") != std::string::npos) {
    error(key, fmt::format("expected a whole number, got {}", in_quotes(*s)));
    return std::nullopt;
  }
  if (n->units < min || n->units > max) {
    error(key, fmt::format("must be between {} and {}, got {}", min, max, n->units));
    return std::nullopt;
  }
  return n->units;
}

std::optional<Number> MapReader::number(std::string_view key) {
  auto s = scalar(key, Need::optional, "a number");
  if (!s) return std::nullopt;
  auto n = parse_number(*s);
  if (!n || s->find(',') != std::string::npos) {
    error(key, fmt::format("expected a number, got {}", in_quotes(*s)));
    return std::nullopt;
  }
  return *n;
}

std::optional<Decimal> MapReader::decimal(std::string_view key, Need need) {
  auto s = scalar(key, need, "a decimal number");
  if (!s) return std::nullopt;
  auto d = parse_decimal(*s);
  if (!d || s->find(',') != std::string::npos) {
    error(key, fmt::format("expected a decimal number like \"0.09\", got {}", in_quotes(*s)));
    return std::nullopt;
  }
  return *d;
}

std::optional<Localized> MapReader::localized(std::string_view key, Need need) {
  if (!is_map_) return std::nullopt;
  YAML::Node n = take(key);
  if (!n.IsDefined()) {
    if (need == Need::required) error(fmt::format("missing {}", in_quotes(key)));
    return std::nullopt;
  }
  return read_localized(n, fmt::format("{}{}: ", context_, key), errors_);
}

std::optional<std::vector<std::string>> MapReader::strings(std::string_view key, Need need) {
  if (!is_map_) return std::nullopt;
  YAML::Node n = take(key);
  if (!n.IsDefined()) {
    if (need == Need::required) error(fmt::format("missing {}", in_quotes(key)));
    return std::nullopt;
  }
  if (!n.IsSequence()) {
    error(key, "expected a list");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : n) {
    if (!item.IsScalar()) {
      error(key, "expected a list of plain values");
      return std::nullopt;
    }
    out.push_back(item.Scalar());
  }
  return out;
}

void MapReader::finish() {
  if (!is_map_) return;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    if (!it->first.IsScalar()) continue;
    if (!taken_.contains(it->first.Scalar()))
      error(fmt::format("unknown key {}", in_quotes(it->first.Scalar())));
  }
}

std::optional<Localized> read_localized(const YAML::Node& node, const std::string& context,
                                        Errors& errors) {
  if (!node.IsMap()) {
    std::string_view what = context;
    if (what.ends_with(": ")) what.remove_suffix(2);
    errors.push_back(fmt::format("{}: expected {{ru: \"…\", en: \"…\"}}", what));
    return std::nullopt;
  }
  MapReader r(node, context, errors);
  Localized out;
  bool complete = true;
  for (auto [lang, target] : {std::pair{"ru", &out.ru}, std::pair{"en", &out.en}}) {
    YAML::Node n = r.take(lang);
    if (!n.IsDefined() || (n.IsScalar() && n.Scalar().empty()) || n.IsNull()) {
      r.error(fmt::format("missing {} translation", in_quotes(lang)));
      complete = false;
    } else if (!n.IsScalar()) {
      r.error(lang, "expected a text value");
      complete = false;
    } else {
      *target = n.Scalar();
    }
  }
  r.finish();
  if (!complete) return std::nullopt;
  return out;
}

}  // namespace kb::catalog::detail
