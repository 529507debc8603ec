// UpdateIntake: storing updates in the inbox.
#include "telegram/intake/update_intake.hpp"

#include <charconv>
#include <iterator>

#include "core/log.hpp"
#include "telegram/intake/inbox_entry.hpp"

namespace kb::telegram {
namespace {

// One raw update into the inbox (or inbox_rejects): inside the caller's transaction.
// Group commit bounds: one transaction holds at most this many webhook bodies / bytes.
constexpr std::size_t kMaxBatchUpdates = 256;
constexpr std::size_t kMaxBatchBytes = 8u << 20;

Result<IntakeOutcome> insert_update(store::Tx& tx, std::string_view raw, std::int64_t now) {
  auto entry = inbox_entry_for(raw);
  if (!entry) {
    KB_TRY(tx.inbox().insert_bad(raw, entry.error().message, now));
    return IntakeOutcome::rejected;
  }
  bool inserted =
      KB_TRY(tx.inbox().insert(entry->update_id, entry->chat_key, entry->kind, raw, now));
  return inserted ? IntakeOutcome::stored : IntakeOutcome::duplicate;
}

// "<owner> <until_ms>"
struct Lease {
  std::string owner;
  std::int64_t until = 0;
};

std::optional<Lease> parse_lease(std::string_view text) {
  auto space = text.rfind(' ');
  if (space == std::string_view::npos) return std::nullopt;
  Lease lease{std::string(text.substr(0, space)), 0};
  auto digits = text.substr(space + 1);
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), lease.until);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) return std::nullopt;
  return lease;
}

}  // namespace

UpdateIntake::UpdateIntake(std::function<store::Database*()> database, const Clock& clock)
    : database_(std::move(database)), clock_(clock) {}

store::Database* UpdateIntake::database() const {
  if (closed_ || !database_) return nullptr;
  return database_();
}

void UpdateIntake::notify(std::size_t new_rows) {
  if (new_rows == 0) return;
  stored_ += new_rows;
  if (on_stored_) on_stored_();
}

Task<Result<IntakeOutcome>> UpdateIntake::store(std::string body) {
  if (!database())
    co_return fail(Errc::unavailable, closed_ ? "shutting down" : "the database is not open yet");
  UpdateIntake* self = this;
  auto* body_ref = &body;
  // GCC 12: the initiation lambda captures raw pointers only (see architecture.md).
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable),
                                          void(Result<IntakeOutcome>)>(
      [self, body_ref](auto handler) {
        auto executor = asio::get_associated_executor(handler);
        self->enqueue(std::move(*body_ref), Completion<Result<IntakeOutcome>>(std::move(handler)),
                      executor);
      },
      asio::use_awaitable);
}

void UpdateIntake::enqueue(std::string body, Completion<Result<IntakeOutcome>> done,
                           const asio::any_io_executor& executor) {
  bool start = false;
  {
    std::lock_guard lock(waiting_mutex_);
    waiting_.push_back(Waiting{std::move(body), std::move(done)});
    ++webhook_received_;
    start = !committing_;
    committing_ = true;
  }
  if (start) asio::co_spawn(executor, commit_waiting(), asio::detached);
}

Task<void> UpdateIntake::commit_waiting() {
  for (;;) {
    std::vector<Waiting> batch;
    {
      std::lock_guard lock(waiting_mutex_);
      if (waiting_.empty()) {
        committing_ = false;
        co_return;
      }
      // Bounded batches: a flood of large bodies still commits in steps of reasonable size.
      std::size_t count = 0;
      std::size_t bytes = 0;
      while (count < waiting_.size() && count < kMaxBatchUpdates &&
             (count == 0 || bytes + waiting_[count].body.size() <= kMaxBatchBytes)) {
        bytes += waiting_[count].body.size();
        ++count;
      }
      batch.assign(std::make_move_iterator(waiting_.begin()),
                   std::make_move_iterator(waiting_.begin() + static_cast<std::ptrdiff_t>(count)));
      waiting_.erase(waiting_.begin(), waiting_.begin() + static_cast<std::ptrdiff_t>(count));
    }
    try {
      co_await commit_batch(batch);
    } catch (const std::exception& e) {
      log::error("webhook_commit_crashed", {{"error", e.what()}});
    }
    // Whatever the batch did not answer (an exception above) is refused, never left hanging.
    for (auto& w : batch)
      if (w.done) w.done(fail(Errc::internal, "the update could not be stored"));
  }
}

Task<void> UpdateIntake::commit_batch(std::vector<Waiting>& batch) {
  auto* db = database();
  if (!db) {
    for (auto& w : batch)
      answer(w, fail(Errc::unavailable, closed_ ? "shutting down" : "the database is not open yet"));
    co_return;
  }
  const auto now = clock_.now_ms();
  auto outcomes = co_await db->transact<std::vector<IntakeOutcome>>(
      [&](store::Tx& tx) -> Result<std::vector<IntakeOutcome>> {
        std::vector<IntakeOutcome> out;
        out.reserve(batch.size());
        for (const auto& w : batch) out.push_back(KB_TRY(insert_update(tx, w.body, now)));
        return out;
      });
  ++webhook_commits_;
  std::size_t fresh = 0;
  if (outcomes) {
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if ((*outcomes)[i] == IntakeOutcome::stored) ++fresh;
      answer(batch[i], (*outcomes)[i]);
    }
    notify(fresh);
    co_return;
  }
  // An unreachable database refuses everyone at once; any other failure may belong to one body
  // (a constraint, a value the database refuses), so each is tried alone and only it is refused.
  if (batch.size() == 1 || outcomes.error().code == Errc::unavailable) {
    for (auto& w : batch) answer(w, Unexpected(outcomes.error()));
    co_return;
  }
  for (auto& w : batch) {
    auto one = co_await db->transact<IntakeOutcome>(
        [&](store::Tx& tx) { return insert_update(tx, w.body, now); });
    ++webhook_commits_;
    if (one && *one == IntakeOutcome::stored) ++fresh;
    answer(w, std::move(one));
  }
  notify(fresh);
}

void UpdateIntake::answer(Waiting& waiting, Result<IntakeOutcome> outcome) {
  if (outcome && *outcome == IntakeOutcome::rejected)
    log::warn("update_rejected", {{"bytes", waiting.body.size()}, {"hint", "kept in inbox_rejects"}});
  waiting.done(std::move(outcome));
}

Task<Result<int>> UpdateIntake::store_batch(std::vector<RawUpdate> updates,
                                            std::int64_t next_offset) {
  auto* db = database();
  if (!db) co_return fail(Errc::unavailable, "the database is not open yet");
  auto now = clock_.now_ms();
  auto offset_text = std::to_string(next_offset);
  auto stored = co_await db->transact<int>([&](store::Tx& tx) -> Result<int> {
    int fresh = 0;
    for (const auto& u : updates) {
      auto outcome = KB_TRY(insert_update(tx, u.json, now));
      if (outcome == IntakeOutcome::stored) ++fresh;
    }
    KB_TRY(tx.settings().set(kPollingOffsetKey, offset_text, now));
    return fresh;
  });
  if (stored) notify(static_cast<std::size_t>(*stored));
  co_return stored;
}

Task<Result<std::int64_t>> UpdateIntake::polling_offset() {
  auto* db = database();
  if (!db) co_return fail(Errc::unavailable, "the database is not open yet");
  auto value = co_await db->read<std::optional<std::string>>(
      [](store::Tx& tx) { return tx.settings().get(kPollingOffsetKey); });
  if (!value) co_return Unexpected(std::move(value).error());
  if (!*value) co_return std::int64_t{0};
  std::int64_t offset = 0;
  const auto& text = **value;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), offset);
  if (ec != std::errc() || ptr != text.data() + text.size())
    co_return fail(Errc::invalid_input, "stored polling offset is not a number: " + text);
  co_return offset;
}

Task<Result<bool>> UpdateIntake::acquire_poll_lease(std::string owner, std::int64_t lease_ms) {
  auto* db = database();
  if (!db) co_return fail(Errc::unavailable, "the database is not open yet");
  auto now = clock_.now_ms();
  co_return co_await db->transact<bool>([&](store::Tx& tx) -> Result<bool> {
    auto current = KB_TRY(tx.settings().get(kPollerLeaseKey));
    if (current) {
      auto lease = parse_lease(*current);
      if (lease && lease->owner != owner && lease->until > now) return false;
    }
    KB_TRY(tx.settings().set(kPollerLeaseKey, owner + " " + std::to_string(now + lease_ms), now));
    return true;
  });
}

Task<Result<void>> UpdateIntake::release_poll_lease(std::string owner) {
  auto* db = database();
  if (!db) co_return fail(Errc::unavailable, "the database is not open yet");
  co_return co_await db->transact<void>([&](store::Tx& tx) -> Result<void> {
    auto current = KB_TRY(tx.settings().get(kPollerLeaseKey));
    if (!current) return {};
    auto lease = parse_lease(*current);
    if (lease && lease->owner == owner) KB_TRY(tx.settings().erase(kPollerLeaseKey));
    return {};
  });
}

}  // namespace kb::telegram
