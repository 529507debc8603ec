// Snapshot swapping for reloads and admin overrides.
#include "catalog/holder.hpp"

#include "core/log.hpp"

namespace kb::catalog {

CatalogHolder::CatalogHolder(std::shared_ptr<const Catalog> from_file,
                             std::vector<ModelOverride> overrides)
    : from_file_(std::move(from_file)), overrides_(std::move(overrides)) {
  rebuild_locked();
}

std::shared_ptr<const Catalog> CatalogHolder::get() const {
  std::lock_guard lock(mutex_);
  return effective_;
}

std::shared_ptr<const Catalog> CatalogHolder::from_file() const {
  std::lock_guard lock(mutex_);
  return from_file_;
}

void CatalogHolder::set_file_catalog(std::shared_ptr<const Catalog> from_file) {
  std::lock_guard lock(mutex_);
  from_file_ = std::move(from_file);
  rebuild_locked();
}

void CatalogHolder::set_overrides(std::vector<ModelOverride> overrides) {
  std::lock_guard lock(mutex_);
  overrides_ = std::move(overrides);
  rebuild_locked();
}

void CatalogHolder::rebuild_locked() {
  if (!from_file_) {
    effective_ = std::make_shared<const Catalog>();
    return;
  }
  effective_ = overrides_.empty()
                   ? from_file_
                   : std::make_shared<const Catalog>(apply_overrides(*from_file_, overrides_));
}

bool CatalogHolder::reload(const CatalogSource& source) {
  // Parsing happens outside the lock: readers never wait for the file.
  LoadResult loaded = load_catalog(source);
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors)
      log::warn("catalog_reload_error", {{"source", source.describe()}, {"error", e}});
    log::warn("catalog_reload_rejected",
              {{"source", source.describe()},
               {"errors", loaded.errors.size()},
               {"hint", "the running catalog stays; fix the file and send SIGHUP again"}});
    return false;
  }
  std::size_t models = loaded.catalog->models.size();
  set_file_catalog(std::move(loaded.catalog));
  log::info("catalog_reloaded", {{"source", source.describe()}, {"models", models}});
  return true;
}

}  // namespace kb::catalog
