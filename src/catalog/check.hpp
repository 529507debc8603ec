// `kiebot catalog check [path]`: validate a catalog file and report every problem, or a summary.
#pragma once

#include <ostream>

#include "catalog/load.hpp"

namespace kb::catalog {

// Prints every error (one per line) and returns 1, or prints a summary (models, enabled, free,
// price range) and returns 0.
int run_catalog_check(const CatalogSource& source, std::ostream& out);

}  // namespace kb::catalog
