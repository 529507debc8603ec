// Token-bucket scheduling of outbound messages.
#include "telegram/limiter_core.hpp"

#include <algorithm>
#include <unordered_set>

namespace kb::telegram {
namespace {

using Seconds = std::chrono::duration<double>;
// Floating-point refill must not leave a call a hair short of its token forever.
constexpr double kEpsilon = 1e-9;

bool is_group(std::int64_t chat_id) {
  return chat_id < 0;
}

}  // namespace

LimiterCore::LimiterCore(RateLimitConfig config) : config_(config) {
  auto at_least = [](double& v, double min) { v = std::max(v, min); };
  at_least(config_.global_per_second, 1e-3);
  at_least(config_.chat_per_second, 1e-3);
  at_least(config_.group_per_minute, 1e-3);
  at_least(config_.global_burst, 1);
  at_least(config_.chat_burst, 1);
  at_least(config_.group_burst, 1);
  config_.max_in_flight = std::max(config_.max_in_flight, 1);
}

double LimiterCore::tokens(const Bucket& b, double rate, double capacity, Instant now) const {
  if (!b.initialized) return capacity;  // a fresh bucket starts full
  double elapsed = now > b.updated ? Seconds(now - b.updated).count() : 0.0;
  return std::min(capacity, b.tokens + elapsed * rate);
}

LimiterCore::Instant LimiterCore::ready_at(const Bucket& b, double rate, double capacity,
                                           double need, Instant now) const {
  need = std::min(need, capacity);
  double have = tokens(b, rate, capacity, now);
  Instant from = b.initialized && b.updated > now ? b.updated : now;
  if (have + kEpsilon >= need) return from;
  auto wait = Seconds((need - have) / rate);
  return from + std::chrono::ceil<std::chrono::microseconds>(wait);
}

void LimiterCore::take(Bucket& b, double rate, double capacity, double need, Instant now) {
  need = std::min(need, capacity);
  double have = tokens(b, rate, capacity, now);
  b.tokens = std::max(0.0, have - need);
  if (!b.initialized || now > b.updated) b.updated = now;
  b.initialized = true;
}

void LimiterCore::restart_after_pause(Bucket& b, Instant until) {
  // After a 429 the chat restarts slowly: one message at the end of the pause, then the rate.
  b.tokens = 1.0;
  b.updated = until;
  b.initialized = true;
}

bool LimiterCore::chat_ready(const ChatState& st, std::int64_t chat_id, int cost,
                             Instant now) const {
  if (st.in_flight || now < st.paused_until) return false;
  if (tokens(st.chat, config_.chat_per_second, config_.chat_burst, now) + kEpsilon <
      std::min<double>(cost, config_.chat_burst))
    return false;
  if (st.chat.initialized && st.chat.updated > now) return false;
  if (is_group(chat_id)) {
    double rate = config_.group_per_minute / 60.0;
    if (tokens(st.group, rate, config_.group_burst, now) + kEpsilon <
        std::min<double>(cost, config_.group_burst))
      return false;
    if (st.group.initialized && st.group.updated > now) return false;
  }
  return true;
}

LimiterCore::Instant LimiterCore::chat_ready_at(std::int64_t chat_id, int cost, Instant now) const {
  auto it = chats_.find(chat_id);
  if (it == chats_.end()) return now;
  const auto& st = it->second;
  Instant t = std::max(now, st.paused_until);
  t = std::max(t, ready_at(st.chat, config_.chat_per_second, config_.chat_burst, cost, now));
  if (is_group(chat_id))
    t = std::max(
        t, ready_at(st.group, config_.group_per_minute / 60.0, config_.group_burst, cost, now));
  return t;
}

LimiterCore::Ticket LimiterCore::enqueue(std::optional<std::int64_t> chat_id, int cost, Instant now,
                                         bool front) {
  (void)now;
  Entry e{next_ticket_++, chat_id, std::max(cost, 1)};
  if (front)
    queue_.push_front(e);
  else
    queue_.push_back(e);
  return e.ticket;
}

std::vector<LimiterCore::Ticket> LimiterCore::grant(Instant now) {
  std::vector<Ticket> granted;
  std::unordered_set<std::int64_t> blocked;
  for (auto it = queue_.begin(); it != queue_.end();) {
    if (now < global_paused_until_ || in_flight_ >= config_.max_in_flight) break;
    const Entry& e = *it;
    if (e.chat_id) {
      if (blocked.count(*e.chat_id)) {
        ++it;
        continue;
      }
      auto st = chats_.find(*e.chat_id);
      if (st != chats_.end() && !chat_ready(st->second, *e.chat_id, e.cost, now)) {
        blocked.insert(*e.chat_id);  // later calls of this chat keep their place
        ++it;
        continue;
      }
    }
    // Every message needs the global bucket: when it is empty nothing behind can go either.
    if (tokens(global_, config_.global_per_second, config_.global_burst, now) + kEpsilon <
            std::min<double>(e.cost, config_.global_burst) ||
        (global_.initialized && global_.updated > now))
      break;
    take(global_, config_.global_per_second, config_.global_burst, e.cost, now);
    ++in_flight_;
    if (e.chat_id) {
      auto& st = chats_[*e.chat_id];
      st.in_flight = true;
      take(st.chat, config_.chat_per_second, config_.chat_burst, e.cost, now);
      if (is_group(*e.chat_id))
        take(st.group, config_.group_per_minute / 60.0, config_.group_burst, e.cost, now);
    }
    granted.push_back(e.ticket);
    it = queue_.erase(it);
  }
  if (chats_.size() > sweep_threshold_) forget_idle_chats(now);
  return granted;
}

void LimiterCore::release(std::optional<std::int64_t> chat_id) {
  if (in_flight_ > 0) --in_flight_;
  if (!chat_id) return;
  auto it = chats_.find(*chat_id);
  if (it != chats_.end()) it->second.in_flight = false;
}

LimiterCore::Ticket LimiterCore::requeue(std::optional<std::int64_t> chat_id, int cost,
                                         Instant now) {
  release(chat_id);
  return enqueue(chat_id, cost, now, /*front=*/true);
}

std::optional<LimiterCore::Instant> LimiterCore::next_wake(Instant now) const {
  // Calls waiting for a free slot are woken by release(), not by time.
  if (queue_.empty() || in_flight_ >= config_.max_in_flight) return std::nullopt;
  Instant floor = std::max(now, global_paused_until_);
  std::optional<Instant> best;
  std::unordered_set<std::int64_t> seen;
  for (const auto& e : queue_) {
    if (e.chat_id && !seen.insert(*e.chat_id).second) continue;  // only a chat's first call
    if (e.chat_id) {
      auto st = chats_.find(*e.chat_id);
      if (st != chats_.end() && st->second.in_flight) continue;  // woken by release()
    }
    Instant t = std::max(
        floor, ready_at(global_, config_.global_per_second, config_.global_burst, e.cost, now));
    if (e.chat_id) t = std::max(t, chat_ready_at(*e.chat_id, e.cost, now));
    if (!best || t < *best) best = t;
    if (*best <= floor) break;  // nothing can be earlier than the global floor
  }
  return best;
}

bool LimiterCore::cancel(Ticket ticket) {
  auto it = std::find_if(queue_.begin(), queue_.end(),
                         [&](const Entry& e) { return e.ticket == ticket; });
  if (it == queue_.end()) return false;
  queue_.erase(it);
  return true;
}

LimiterCore::Scope LimiterCore::on_rate_limited(std::optional<std::int64_t> chat_id,
                                                std::chrono::milliseconds retry_after,
                                                Instant now) {
  Instant until = now + retry_after;
  auto pause_global = [&] {
    global_paused_until_ = std::max(global_paused_until_, until);
    restart_after_pause(global_, global_paused_until_);
    return Scope::global;
  };
  if (!chat_id) return pause_global();

  auto& st = chats_[*chat_id];
  st.paused_until = std::max(st.paused_until, until);
  restart_after_pause(st.chat, st.paused_until);
  if (is_group(*chat_id)) restart_after_pause(st.group, st.paused_until);

  while (!recent_floods_.empty() && now - recent_floods_.front().second > config_.flood_window)
    recent_floods_.pop_front();
  recent_floods_.emplace_back(*chat_id, now);
  std::unordered_set<std::int64_t> distinct;
  for (const auto& [id, at] : recent_floods_) distinct.insert(id);
  if (static_cast<int>(distinct.size()) >= config_.flood_chats) return pause_global();
  return Scope::chat;
}

LimiterCore::Instant LimiterCore::paused_until(std::optional<std::int64_t> chat_id) const {
  if (!chat_id) return global_paused_until_;
  auto it = chats_.find(*chat_id);
  return it == chats_.end() ? Instant{} : it->second.paused_until;
}

void LimiterCore::forget_idle_chats(Instant now) {
  // A chat whose buckets are full again and that is neither paused nor queued is the same as an
  // unknown chat: drop it so the map does not grow with every user ever served.
  std::unordered_set<std::int64_t> queued;
  for (const auto& e : queue_)
    if (e.chat_id) queued.insert(*e.chat_id);
  for (auto it = chats_.begin(); it != chats_.end();) {
    const auto& st = it->second;
    bool full =
        tokens(st.chat, config_.chat_per_second, config_.chat_burst, now) + kEpsilon >=
            config_.chat_burst &&
        (!is_group(it->first) ||
         tokens(st.group, config_.group_per_minute / 60.0, config_.group_burst, now) + kEpsilon >=
             config_.group_burst);
    if (full && now >= st.paused_until && !st.in_flight && !queued.count(it->first))
      it = chats_.erase(it);
    else
      ++it;
  }
  sweep_threshold_ = std::max<std::size_t>(1024, chats_.size() * 2);
}

}  // namespace kb::telegram
