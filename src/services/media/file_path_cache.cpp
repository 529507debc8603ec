// The getFile cache.
#include "services/media/file_path_cache.hpp"

#include <algorithm>

namespace kb::services {

FilePathCache::FilePathCache(const Clock& clock, std::chrono::seconds ttl, std::size_t max_entries)
    : clock_(clock),
      ttl_ms_(std::chrono::duration_cast<std::chrono::milliseconds>(ttl).count()),
      max_entries_(std::max<std::size_t>(max_entries, 1)) {}

std::optional<telegram::File> FilePathCache::get(const std::string& file_id) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(file_id);
  if (it == entries_.end()) return std::nullopt;
  if (clock_.now_ms() - it->second.stored_ms >= ttl_ms_) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.file;
}

void FilePathCache::put(const std::string& file_id, telegram::File file) {
  auto now = clock_.now_ms();
  std::lock_guard lock(mutex_);
  if (!entries_.contains(file_id) && entries_.size() >= max_entries_) evict_locked(now);
  entries_[file_id] = Entry{std::move(file), now};
}

void FilePathCache::forget(const std::string& file_id) {
  std::lock_guard lock(mutex_);
  entries_.erase(file_id);
}

std::size_t FilePathCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void FilePathCache::evict_locked(std::int64_t now_ms) {
  std::erase_if(entries_, [&](const auto& kv) { return now_ms - kv.second.stored_ms >= ttl_ms_; });
  if (entries_.size() < max_entries_) return;
  // Still full of live entries: drop the oldest one (a linear scan only happens when full).
  auto oldest = std::min_element(
      entries_.begin(), entries_.end(),
      [](const auto& a, const auto& b) { return a.second.stored_ms < b.second.stored_ms; });
  entries_.erase(oldest);
}

}  // namespace kb::services
