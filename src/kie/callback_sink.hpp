// Receiver of callback hints: "the provider says task X changed". The job runner implements it by
// confirming with recordInfo (callbacks are unsigned hints or may be lost, duplicated, replayed).
#pragma once

#include <cstdint>
#include <string>

namespace kb::kie {

class KieCallbackSink {
 public:
  virtual ~KieCallbackSink() = default;
  // Called on the HTTP thread for every accepted callback, duplicates included: must be quick and
  // must not throw (schedule the confirmation, do not perform it here).
  virtual void on_callback_hint(std::string task_id) = 0;
  // The same when the callback URL names our job (`?job=<id>`): lets a job whose create call had
  // an unknown outcome learn its task id. The default ignores the job id.
  virtual void on_callback_for_job(std::int64_t job_id, std::string task_id) {
    (void)job_id;
    on_callback_hint(std::move(task_id));
  }
};

}  // namespace kb::kie
