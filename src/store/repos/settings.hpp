// Runtime settings changed by admins (key/value) and per-model overrides of the catalog.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "store/db/connection.hpp"

namespace kb::store {

// A field left empty means "as the catalog says".
struct ModelOverride {
  std::string model_id;
  std::optional<bool> enabled;
  std::optional<bool> free;
  std::optional<std::int64_t> updated_by;
  std::int64_t updated_at = 0;
};

class Settings {
 public:
  explicit Settings(db::Connection& c) : c_(c) {}

  Result<std::optional<std::string>> get(std::string_view key);
  Result<void> set(std::string_view key, std::string_view value, std::int64_t now);
  // False when the key was not set.
  Result<bool> erase(std::string_view key);

  Result<std::optional<ModelOverride>> model_override(std::string_view model_id);
  // Replaces the whole override row (unset fields become "as the catalog says").
  Result<void> set_model_override(const ModelOverride& override_row, std::int64_t now);
  Result<std::vector<ModelOverride>> model_overrides();

 private:
  db::Connection& c_;
};

}  // namespace kb::store
