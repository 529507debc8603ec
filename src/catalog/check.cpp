// The catalog check report.
#include "catalog/check.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "catalog/pricing.hpp"

namespace kb::catalog {

int run_catalog_check(const CatalogSource& source, std::ostream& out) {
  LoadResult loaded = load_catalog(source);
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors) fmt::print(out, "{}\n", e);
    fmt::print(out, "catalog check failed: {} error{} in {}\n", loaded.errors.size(),
               loaded.errors.size() == 1 ? "" : "s", source.describe());
    return 1;
  }
  const Catalog& c = *loaded.catalog;
  fmt::print(out, "catalog OK: {}\n", source.describe());
  fmt::print(out, "models: {} (enabled {}, free {}, popular {})\n", c.models.size(),
             c.enabled_count(), c.free_models().size(), c.popular().size());
  fmt::print(out, "sections: image {}, video {}, audio {}, tools {} (enabled models)\n",
             c.by_format(Format::image).size(), c.by_format(Format::video).size(),
             c.by_format(Format::audio).size(), c.by_format(Format::tools).size());
  const Model* cheapest = nullptr;
  const Model* dearest = nullptr;
  PriceRange overall;
  for (const auto& m : c.models) {
    if (!m.enabled) continue;
    auto r = price_range(m);
    if (!r) continue;  // the validator already proved every price computes
    if (cheapest == nullptr || r->min < overall.min) {
      cheapest = &m;
      overall.min = r->min;
    }
    if (dearest == nullptr || r->max > overall.max) {
      dearest = &m;
      overall.max = r->max;
    }
  }
  if (cheapest != nullptr)
    fmt::print(out, "prices: {} RUB ({}) to {} RUB ({})\n", format_rubles(overall.min),
               cheapest->id, format_rubles(overall.max), dearest->id);
  fmt::print(out, "pricing: {} RUB per USD, markup {}, rounded up to {} RUB\n",
             format_decimal(c.pricing.fx_rub_per_usd), format_decimal(c.pricing.markup),
             format_rubles(c.pricing.round_up_to_kopecks));
  return 0;
}

}  // namespace kb::catalog
