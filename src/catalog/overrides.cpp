// Pure application of admin overrides.
#include "catalog/overrides.hpp"

namespace kb::catalog {

Catalog apply_overrides(const Catalog& catalog, const std::vector<ModelOverride>& overrides) {
  Catalog out = catalog;
  for (const auto& o : overrides) {
    for (auto& m : out.models) {
      if (m.id != o.model_id) continue;
      if (o.enabled) m.enabled = *o.enabled;
      if (o.free) m.free = *o.free;
    }
  }
  return out;
}

}  // namespace kb::catalog
