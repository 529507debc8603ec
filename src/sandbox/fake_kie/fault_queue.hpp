// Queued one-shot faults per route, and KIE's wording for each business code.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "sandbox/fake_kie/fake_kie_types.hpp"

namespace kb::sandbox {

class FaultQueue {
 public:
  void push(const std::string& route, const Fault& fault, int times);
  // The next fault queued for `route`, removed from the queue.
  std::optional<Fault> take(std::string_view route);
  bool empty() const;

 private:
  std::map<std::string, std::deque<Fault>, std::less<>> queues_;
};

// The answer a fault replaces the normal one with.
struct FaultReply {
  enum class Kind { none, envelope, malformed, cut } kind = Kind::none;
  int http_status = 200;
  int code = 0;
  std::string msg;
};
// What the fault does to the answer; Kind::none for a pure delay.
FaultReply fault_reply(const Fault& fault);

// KIE's message for a business code (documented wording where there is one, §2–§7 of the
// reference; a plain paraphrase otherwise).
std::string standard_message(int code);

}  // namespace kb::sandbox
