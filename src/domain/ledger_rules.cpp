// Ledger entry specs and their idempotency keys.
#include "domain/ledger_rules.hpp"

#include <array>
#include <utility>

#include <fmt/format.h>

namespace kb::domain {
namespace {
constexpr std::array<std::pair<EntryKind, std::string_view>, 10> kNames = {{
    {EntryKind::stars_topup, "stars_topup"},
    {EntryKind::manual_topup, "manual_topup"},
    {EntryKind::welcome_bonus, "welcome_bonus"},
    {EntryKind::referral_reward, "referral_reward"},
    {EntryKind::hold, "hold"},
    {EntryKind::capture, "capture"},
    {EntryKind::release, "release"},
    {EntryKind::stars_refund, "stars_refund"},
    {EntryKind::admin_adjustment, "admin_adjustment"},
    {EntryKind::legacy_import, "legacy_import"},
}};
}  // namespace

std::string_view to_string(EntryKind kind) {
  for (auto& [k, n] : kNames)
    if (k == kind) return n;
  return "unknown";
}

std::optional<EntryKind> parse_entry_kind(std::string_view text) {
  for (auto& [k, n] : kNames)
    if (n == text) return k;
  return std::nullopt;
}

std::string settlement_key(std::int64_t job_id) { return fmt::format("job:{}:settle", job_id); }

EntrySpec hold_for_job(std::int64_t job_id, Kopecks price) {
  return {EntryKind::hold, 0, price, fmt::format("job:{}:hold", job_id)};
}
EntrySpec capture_for_job(std::int64_t job_id, Kopecks price) {
  return {EntryKind::capture, -price, -price, settlement_key(job_id)};
}
EntrySpec release_for_job(std::int64_t job_id, Kopecks price) {
  return {EntryKind::release, 0, -price, settlement_key(job_id)};
}
EntrySpec stars_topup(std::string_view charge_id, Kopecks credit) {
  return {EntryKind::stars_topup, credit, 0, fmt::format("stars:{}", charge_id)};
}
EntrySpec stars_refund(std::string_view charge_id, Kopecks credit) {
  return {EntryKind::stars_refund, -credit, 0, fmt::format("stars_refund:{}", charge_id)};
}
EntrySpec manual_topup(std::int64_t request_id, Kopecks amount) {
  return {EntryKind::manual_topup, amount, 0, fmt::format("manual:{}", request_id)};
}
EntrySpec welcome_bonus(std::int64_t user_id, Kopecks amount) {
  return {EntryKind::welcome_bonus, amount, 0, fmt::format("welcome:{}", user_id)};
}
EntrySpec referral_reward(std::int64_t invited_user_id, Kopecks amount) {
  return {EntryKind::referral_reward, amount, 0, fmt::format("referral:{}", invited_user_id)};
}
EntrySpec admin_adjustment(std::int64_t admin_action_id, Kopecks delta) {
  return {EntryKind::admin_adjustment, delta, 0, fmt::format("admin:{}", admin_action_id)};
}
EntrySpec legacy_import(std::string_view source_ref, Kopecks amount) {
  return {EntryKind::legacy_import, amount, 0, fmt::format("legacy:{}", source_ref)};
}

}  // namespace kb::domain
