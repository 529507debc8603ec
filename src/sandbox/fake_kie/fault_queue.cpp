// Fault queues and default messages.
#include "sandbox/fake_kie/fault_queue.hpp"

namespace kb::sandbox {

void FaultQueue::push(const std::string& route, const Fault& fault, int times) {
  auto& q = queues_[route];
  for (int i = 0; i < times; ++i) q.push_back(fault);
}

std::optional<Fault> FaultQueue::take(std::string_view route) {
  auto it = queues_.find(route);
  if (it == queues_.end() || it->second.empty()) return std::nullopt;
  Fault f = it->second.front();
  it->second.pop_front();
  return f;
}

bool FaultQueue::empty() const {
  for (const auto& [route, q] : queues_)
    if (!q.empty()) return false;
  return true;
}

FaultReply fault_reply(const Fault& fault) {
  FaultReply r;
  r.http_status = fault.http_status;
  if (fault.close_without_response) {
    r.kind = FaultReply::Kind::cut;
  } else if (fault.malformed_json) {
    r.kind = FaultReply::Kind::malformed;
  } else if (fault.code != 0 || fault.http_status != 200) {
    r.kind = FaultReply::Kind::envelope;
    r.code = fault.code != 0 ? fault.code : fault.http_status;
    r.msg = fault.msg.empty() ? standard_message(r.code) : fault.msg;
  }
  return r;
}

std::string standard_message(int code) {
  switch (code) {
    case 200:
      return "success";
    case 400:
      return "Bad request";
    case 401:
      return "You do not have access permissions";
    case 402:
      return "Credits insufficient";
    case 404:
      return "Task not found";
    case 408:
      return "Generation timed out";
    case 422:
      return "recordInfo is null";
    case 429:
      return "Your call frequency is too high. Please try again later.";
    case 433:
      return "Request Limit - Sub-key Usage Exceeds Limit";
    case 451:
      return "Failed to fetch the file from the given URL";
    case 455:
      return "Service unavailable: maintenance in progress";
    case 500:
      return "Server Error - An unexpected error occurred while processing the request";
    case 501:
      return "Generation failed";
    case 505:
      return "The feature is disabled";
    case 550:
      return "The queue is full, please try again later";
    default:
      return "Error";
  }
}

}  // namespace kb::sandbox
