// Pending update bookkeeping.
#include "sandbox/fake_telegram/update_queue.hpp"

#include <algorithm>

#include "sandbox/fake_telegram/webhook_policy.hpp"

namespace kb::sandbox::tg {
namespace {
constexpr std::size_t kMaxUpdatesJsonBytes = 4 << 20;
}

std::int64_t UpdateQueue::push(const std::string& type, Json payload, std::int64_t now_ms) {
  if (!allows(type)) return 0;
  Item item;
  item.id = next_id_++;
  item.update["update_id"] = item.id;
  item.update[type] = std::move(payload);
  item.type = type;
  item.key = update_queue_key(item.update);
  item.expires_ms = update_expiry_ms(type, now_ms);
  items_.push_back(std::move(item));
  return items_.back().id;
}

bool UpdateQueue::allows(const std::string& type) const {
  if (allowed_.empty())
    return type != "chat_member" && type != "message_reaction" && type != "message_reaction_count";
  return std::find(allowed_.begin(), allowed_.end(), type) != allowed_.end();
}

void UpdateQueue::set_allowed(std::vector<std::string> types) {
  allowed_ = std::move(types);
}

void UpdateQueue::drop_expired(std::int64_t now_ms) {
  std::erase_if(items_, [&](const Item& i) { return !i.in_flight && i.expires_ms < now_ms; });
}

std::vector<Json> UpdateQueue::fetch(std::int64_t offset, std::size_t limit, std::int64_t now_ms) {
  if (offset > 0) {
    std::erase_if(items_, [&](const Item& i) { return i.id < offset; });
  } else if (offset < 0) {
    auto keep = static_cast<std::size_t>(-offset);
    while (items_.size() > keep) items_.pop_front();
  }
  drop_expired(now_ms);
  std::vector<Json> out;
  std::size_t bytes = 0;
  for (const auto& item : items_) {
    if (out.size() >= limit) break;
    auto size = item.update.dump().size();
    if (!out.empty() && bytes + size > kMaxUpdatesJsonBytes) break;
    bytes += size;
    out.push_back(item.update);
  }
  return out;
}

bool UpdateQueue::has_fetchable(std::int64_t offset) const {
  if (offset < 0) return !items_.empty();
  return std::any_of(items_.begin(), items_.end(), [&](const Item& i) { return i.id >= offset; });
}

std::vector<UpdateQueue::Due> UpdateQueue::take_due(std::int64_t now_ms, std::size_t room) {
  std::vector<Due> out;
  std::set<std::string> blocked;  // keys with an earlier update still pending
  for (auto& item : items_) {
    if (out.size() >= room) break;
    if (!blocked.insert(item.key).second) continue;
    if (item.in_flight || item.next_attempt_ms > now_ms) continue;
    item.in_flight = true;
    out.push_back(Due{item.id, item.update});
  }
  return out;
}

void UpdateQueue::delivered(std::int64_t id) {
  std::erase_if(items_, [&](const Item& i) { return i.id == id; });
}

bool UpdateQueue::failed(std::int64_t id, std::int64_t now_ms, std::optional<int> retry_after,
                         std::uint64_t random) {
  auto* item = find(id);
  if (!item) return false;
  item->in_flight = false;
  item->failures += 1;
  item->next_attempt_ms = now_ms + webhook_retry_delay_ms(item->failures, retry_after, random);
  if (item->next_attempt_ms > item->expires_ms) {
    delivered(id);
    return false;
  }
  return true;
}

int UpdateQueue::attempts(std::int64_t id) const {
  auto* item = find(id);
  if (!item) return 0;
  return item->failures + (item->in_flight ? 1 : 0);
}

std::optional<std::int64_t> UpdateQueue::next_due_ms() const {
  std::optional<std::int64_t> best;
  std::set<std::string> seen;  // only the first pending update of each queue can be sent next
  for (const auto& item : items_) {
    if (!seen.insert(item.key).second || item.in_flight) continue;
    if (!best || item.next_attempt_ms < *best) best = item.next_attempt_ms;
  }
  return best;
}

void UpdateQueue::clear() {
  std::erase_if(items_, [](const Item& i) { return !i.in_flight; });
}

std::size_t UpdateQueue::in_flight() const {
  return static_cast<std::size_t>(
      std::count_if(items_.begin(), items_.end(), [](const Item& i) { return i.in_flight; }));
}

UpdateQueue::Item* UpdateQueue::find(std::int64_t id) {
  for (auto& i : items_)
    if (i.id == id) return &i;
  return nullptr;
}

const UpdateQueue::Item* UpdateQueue::find(std::int64_t id) const {
  for (const auto& i : items_)
    if (i.id == id) return &i;
  return nullptr;
}

}  // namespace kb::sandbox::tg
