// Prices in kopecks: the one function that both the confirm screen and the ledger use.
#pragma once

#include <string_view>

#include "catalog/model.hpp"
#include "core/money.hpp"
#include "core/result.hpp"

namespace kb::catalog {

// ceil_to(round_up_to_kopecks, usd × fx_rub_per_usd × markup × 100), exactly (128-bit integers).
Result<Kopecks> usd_to_kopecks(Decimal usd, const Pricing& pricing);

// The price of one generation with these inputs. Unset inputs are priced by their default; a table
// key without a value (optional, skipped, no default) is priced by the base price. Whether the user
// pays it (free tier) is not the catalog's business: free models have a price too.
Result<Kopecks> price_of(const Model& model, const InputValues& values);

struct PriceRange {
  Kopecks min = 0;
  Kopecks max = 0;
};
// The cheapest and dearest choice over every option that changes the price ("from 19 RUB").
Result<PriceRange> price_range(const Model& model);

// True when this input's value changes the price (a table key or the per_unit input): the wizard
// shows the price on its buttons.
bool affects_price(const Model& model, std::string_view input_name);

}  // namespace kb::catalog
