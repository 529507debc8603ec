// Receiver of callback hints: "the provider says task X changed". The job runner implements it by
// confirming with recordInfo (callbacks are unsigned hints or may be lost, duplicated, replayed).
#pragma once

#include <string>

namespace kb::kie {

class KieCallbackSink {
 public:
  virtual ~KieCallbackSink() = default;
  // Called on the HTTP thread for every accepted callback, duplicates included: must be quick and
  // must not throw (schedule the confirmation, do not perform it here).
  virtual void on_callback_hint(std::string task_id) = 0;
};

}  // namespace kb::kie
