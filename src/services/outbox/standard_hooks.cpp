// The jobs' progress-message hook.
#include "services/outbox/standard_hooks.hpp"

#include <charconv>

#include "services/outbox/outbox_drafts.hpp"

namespace kb::services {

void register_standard_hooks(OutboxSender& sender) {
  sender.on_sent(std::string(kPurposeJobProgress),
                 [](store::Tx& tx, const store::OutboxRow& row,
                    std::optional<std::int64_t> message_id, std::int64_t now) -> Result<void> {
                   std::int64_t job_id = 0;
                   const auto& ref = row.purpose_ref;
                   auto [ptr, ec] = std::from_chars(ref.data(), ref.data() + ref.size(), job_id);
                   if (ec != std::errc() || ptr != ref.data() + ref.size())
                     return fail(Errc::invalid_input, "job_progress: purpose_ref is not a job id");
                   if (!message_id) return {};
                   store::JobPatch patch;
                   patch.progress_message_id = message_id;
                   KB_TRY(tx.jobs().update(job_id, patch, now));
                   return {};
                 });
}

}  // namespace kb::services
