// Read-only aggregates for the admin panel and the admin alerts (new users, free-to-paid
// conversion, jobs stuck past a time, failures in a window).
#pragma once

#include <cstdint>
#include <vector>

#include "core/result.hpp"
#include "store/db/connection.hpp"

namespace kb::store {

struct Conversion {
  std::int64_t free_users = 0;  // users with a free generation since the time
  std::int64_t converted = 0;   // of them: a paid generation or a top-up since the time
};

struct UnfinishedJob {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string model_id;
  std::string state;
  std::int64_t created_at = 0;
};

class AdminStats {
 public:
  explicit AdminStats(db::Connection& c) : c_(c) {}

  Result<std::int64_t> new_users_since(std::int64_t since_ms);
  // Users a broadcast would go to: not blocked, not banned.
  Result<std::int64_t> reachable_users();
  Result<Conversion> free_to_paid_since(std::int64_t since_ms);
  // Jobs not finished (finished_at empty) created before `created_before`, oldest first.
  Result<std::vector<UnfinishedJob>> unfinished_created_before(std::int64_t created_before,
                                                               int limit);
  // Jobs finished since a time: all of them and the failed/expired ones.
  struct Finished {
    std::int64_t total = 0;
    std::int64_t failed = 0;
  };
  Result<Finished> finished_since(std::int64_t since_ms);

 private:
  db::Connection& c_;
};

}  // namespace kb::store
