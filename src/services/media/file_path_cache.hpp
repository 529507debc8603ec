// getFile answers (file_path, size) remembered per Telegram file id for less than the hour
// Telegram keeps a download link valid, so repeated and ranged fetches of one file make one
// getFile call. Bounded; safe from several threads.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/clock.hpp"
#include "telegram/types.hpp"

namespace kb::services {

class FilePathCache {
 public:
  // `ttl` must stay below one hour (Telegram: "the link is valid for at least 1 hour").
  FilePathCache(const Clock& clock, std::chrono::seconds ttl, std::size_t max_entries);

  std::optional<telegram::File> get(const std::string& file_id);
  void put(const std::string& file_id, telegram::File file);
  // A download with the cached path failed: ask getFile again next time.
  void forget(const std::string& file_id);
  std::size_t size() const;

 private:
  struct Entry {
    telegram::File file;
    std::int64_t stored_ms = 0;
  };
  void evict_locked(std::int64_t now_ms);

  const Clock& clock_;
  std::int64_t ttl_ms_;
  std::size_t max_entries_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace kb::services
