// Purpose hooks the services own (the conversation registers its own `screen` hook).
#pragma once

#include "services/outbox/outbox_sender.hpp"

namespace kb::services {

// `job_progress` (ref: the job id): the sent message becomes the job's progress message.
void register_standard_hooks(OutboxSender& sender);

}  // namespace kb::services
