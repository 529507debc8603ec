// The running catalog: an immutable snapshot swapped atomically on reload (SIGHUP) or when admin
// overrides change. Readers take a shared_ptr and keep a consistent view for as long as they hold
// it.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "catalog/load.hpp"
#include "catalog/model.hpp"
#include "catalog/overrides.hpp"

namespace kb::catalog {

class CatalogHolder {
 public:
  explicit CatalogHolder(std::shared_ptr<const Catalog> from_file,
                         std::vector<ModelOverride> overrides = {});

  // The effective catalog (file + overrides). Cheap: one locked shared_ptr copy.
  std::shared_ptr<const Catalog> get() const;
  // The catalog as the file says, without overrides.
  std::shared_ptr<const Catalog> from_file() const;

  // Replaces the file catalog (a successful reload); the current overrides are re-applied.
  void set_file_catalog(std::shared_ptr<const Catalog> from_file);
  // Replaces the overrides (an admin toggled a model).
  void set_overrides(std::vector<ModelOverride> overrides);

  // Reads `source` again: on success swaps it in and returns true; on failure logs every error
  // (WARN: the operator's file, not our fault) and keeps the running catalog.
  bool reload(const CatalogSource& source);

 private:
  void rebuild_locked();

  mutable std::mutex mutex_;
  std::shared_ptr<const Catalog> from_file_;
  std::vector<ModelOverride> overrides_;
  std::shared_ptr<const Catalog> effective_;
};

}  // namespace kb::catalog
