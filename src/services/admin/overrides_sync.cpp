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
  std::optional<asio::any_io_executor> executor;
  std::unique_ptr<asio::steady_timer> timer;
  std::atomic<bool> stopping{false};
  std::atomic<bool> running{false};
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
  self->executor = executor;
  self->timer = std::make_unique<asio::steady_timer>(executor);
  self->running = true;
  asio::co_spawn(
      executor,
      [self]() -> Task<void> {
        while (!self->stopping) {
          self->timer->expires_after(self->options.interval);
          boost::system::error_code ec;
          co_await self->timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
          if (self->stopping) break;
          auto r = co_await poll(self);
          if (!r) log::warn("model_overrides_reload_failed", {{"error", r.error().message}});
        }
        self->running = false;
      },
      asio::detached);
}

Task<void> OverridesSync::stop(std::chrono::milliseconds grace) {
  auto self = impl_;
  self->stopping = true;
  if (self->executor && self->timer) asio::post(*self->executor, [self] { self->timer->cancel(); });
  std::function<bool()> idle = [self] { return !self->running; };
  if (!co_await wait_until(std::move(idle), grace)) log::warn("overrides_sync_stop_timeout", {});
}

}  // namespace kb::services::admin
