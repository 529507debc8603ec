// Loading a catalog: YAML text (a file, or the copy embedded in the binary) → a validated snapshot.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/model.hpp"

namespace kb::catalog {

// PRICE_FX_RUB_PER_USD / PRICE_MARKUP: decimal strings replacing the file's values.
struct PricingOverrides {
  std::optional<std::string> fx_rub_per_usd;
  std::optional<std::string> markup;
};

struct LoadResult {
  std::shared_ptr<const Catalog> catalog;  // null unless `errors` is empty
  std::vector<std::string> errors;         // every problem, one line each, in file order

  bool ok() const { return catalog != nullptr; }
};

// Parses, applies the pricing overrides and validates.
LoadResult parse_catalog(std::string_view yaml, const PricingOverrides& overrides = {});

// Where the catalog comes from: a file path (CATALOG_PATH), or the shipped copy when empty.
struct CatalogSource {
  std::string path;
  PricingOverrides pricing;

  // For messages: the path, or "the built-in data/catalog.yaml".
  std::string describe() const;
};
LoadResult load_catalog(const CatalogSource& source);

// Semantic checks of a parsed catalog (ranges, defaults, slugs, prices, translations, brand);
// `parse_catalog` runs them. Exposed for tests.
std::vector<std::string> validate_catalog(const Catalog& catalog);

}  // namespace kb::catalog
