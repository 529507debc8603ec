// Polling the model overrides' version counter.
#include "services/admin/overrides_sync.hpp"

#include <atomic>
#include <optional>

#include "catalog/holder.hpp"
#include "core/log.hpp"
#include "core/with_timeout.hpp"
#include "services/admin/admin_ops.hpp"
#include "store/database.hpp"

namespace kb::services::admin {

struct OverridesSync::Impl {
  Impl(store::Database& d, catalog::CatalogHolder& c, OverridesSyncOptions o)
      : db(d), catalog(c), options(o) {}
  store::Database& db;
  catalog::CatalogHolder& catalog;
  OverridesSyncOptions options;
  // The counter value whose overrides are applied; -1: none yet.
  std::atomic<std::int64_t> applied{-1};
};

namespace {

struct Snapshot {
  std::int64_t version = 0;
  std::vector<catalog::ModelOverride> overrides;
};

// The counter and the rows in one transaction, so the version names exactly these rows.
Result<Snapshot> read_snapshot(store::Tx& tx) {
  Snapshot s;
  s.version = KB_TRY(model_overrides_version(tx));
  s.overrides = KB_TRY(load_model_overrides(tx));
  return s;
}

void apply(OverridesSync::Impl& self, Snapshot snapshot) {
  // A slower poll must not undo a newer snapshot applied meanwhile.
  auto seen = self.applied.load();
  if (snapshot.version < seen) return;
  self.catalog.set_overrides(std::move(snapshot.overrides));
  self.applied = snapshot.version;
}

Task<Result<bool>> poll(std::shared_ptr<OverridesSync::Impl> self) {
  auto version = co_await self->db.read<std::int64_t>(
      [](store::Tx& tx) { return model_overrides_version(tx); });
  if (!version) co_return fail(version.error());
  if (*version == self->applied.load()) co_return false;
  auto snapshot = co_await self->db.read<Snapshot>(read_snapshot);
  if (!snapshot) co_return fail(snapshot.error());
  log::info("model_overrides_reloaded",
            {{"version", snapshot->version}, {"overrides", snapshot->overrides.size()}});
  apply(*self, std::move(*snapshot));
  co_return true;
}

}  // namespace

OverridesSync::OverridesSync(store::Database& db, catalog::CatalogHolder& catalog,
                             OverridesSyncOptions options)
    : impl_(std::make_shared<Impl>(db, catalog, options)) {}

OverridesSync::~OverridesSync() = default;

Result<void> OverridesSync::load_blocking() {
  auto snapshot = KB_TRY(impl_->db.read_blocking<Snapshot>(read_snapshot));
  apply(*impl_, std::move(snapshot));
  return {};
}

Task<Result<bool>> OverridesSync::check_once() {
  return poll(impl_);
}

void OverridesSync::start(asio::any_io_executor executor) {
  auto self = impl_;
  loop_.start(executor, self->options.interval, PeriodicTask::First::wait, [self]() -> Task<void> {
    auto r = co_await poll(self);
    if (!r) log::warn("model_overrides_reload_failed", {{"error", r.error().message}});
  });
}

Task<void> OverridesSync::stop(std::chrono::milliseconds grace) {
  bool stopped = co_await loop_.stop(grace);
  if (!stopped) log::warn("overrides_sync_stop_timeout", {});
}

}  // namespace kb::services::admin
