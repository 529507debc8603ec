// Provider credits, cached briefly.
#include "services/admin/credits_cache.hpp"

#include "core/log.hpp"
#include "kie/kie_api.hpp"

namespace kb::services::admin {

CreditsCache::CreditsCache(kie::KieApi& api, const Clock& clock, std::chrono::milliseconds ttl)
    : api_(api), clock_(clock), ttl_(ttl) {}

std::optional<CreditsSnapshot> CreditsCache::cached() const {
  std::lock_guard lock(mutex_);
  return last_;
}

Task<std::optional<CreditsSnapshot>> CreditsCache::refresh_if_stale() {
  auto now = clock_.now_ms();
  {
    std::lock_guard lock(mutex_);
    if (last_attempt_ >= 0 && now - last_attempt_ < ttl_.count()) co_return last_;
    last_attempt_ = now;  // concurrent callers within the TTL use the old value
  }
  auto result = co_await api_.credits();
  std::lock_guard lock(mutex_);
  if (result.ok())
    last_ = CreditsSnapshot{*result.value, clock_.now_ms()};
  else
    log::warn("provider_credits_unavailable", {{"attempts", result.attempts}});
  co_return last_;
}

}  // namespace kb::services::admin
