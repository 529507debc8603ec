// Admin overrides (enabled / free per model, kept in the database) applied on top of the file.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalog/model.hpp"

namespace kb::catalog {

struct ModelOverride {
  std::string model_id;
  std::optional<bool> enabled;  // nullopt: as in the file
  std::optional<bool> free;
};

// A copy of `catalog` with the overrides applied. Overrides for ids the catalog no longer has are
// ignored (a model removed from the file stays removed).
Catalog apply_overrides(const Catalog& catalog, const std::vector<ModelOverride>& overrides);

}  // namespace kb::catalog
