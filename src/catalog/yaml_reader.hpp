// Strict reading of YAML maps for the catalog loader: every key must be known, every value typed,
// and each problem becomes one error line with its context ("model z-image: input prompt: ...").
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "catalog/model.hpp"
#include "catalog/number.hpp"
#include "core/money.hpp"

namespace kb::catalog::detail {

using Errors = std::vector<std::string>;

enum class Need { optional, required };

// The text of a scalar for messages: "2:1" quoted, so an empty or spaced value stays visible.
std::string in_quotes(std::string_view s);

class MapReader {
 public:
  // `context` prefixes every message and ends with ": " (or is empty at the top level).
  MapReader(const YAML::Node& node, std::string context, Errors& errors);

  bool is_map() const { return is_map_; }
  const std::string& context() const { return context_; }
  Errors& errors() { return errors_; }
  bool has(std::string_view key) const;

  // Raw access: marks the key as known. An absent key gives an undefined node.
  YAML::Node take(std::string_view key);

  std::optional<std::string> text(std::string_view key, Need need);
  std::optional<bool> flag(std::string_view key);
  std::optional<std::int64_t> integer(std::string_view key, Need need, std::int64_t min,
                                      std::int64_t max);
  std::optional<Number> number(std::string_view key);
  std::optional<Decimal> decimal(std::string_view key, Need need);
  std::optional<Localized> localized(std::string_view key, Need need);
  std::optional<std::vector<std::string>> strings(std::string_view key, Need need);

  // Reports every key that no accessor asked for, in file order.
  void finish();

  void error(std::string_view key, std::string_view problem);
  void error(std::string_view problem);

 private:
  std::optional<std::string> scalar(std::string_view key, Need need, std::string_view expected);

  YAML::Node node_;
  std::string context_;
  Errors& errors_;
  bool is_map_ = false;
  std::set<std::string, std::less<>> taken_;
};

// {ru, en}, both non-empty; `context` names the field ("model x: title: ").
std::optional<Localized> read_localized(const YAML::Node& node, const std::string& context,
                                        Errors& errors);

}  // namespace kb::catalog::detail
