// Live updates of the sandbox page: every change of a chat in the fake Bot API, streamed to the
// browser as server-sent events (text/event-stream) through the HTTP server's streaming bodies.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "net/http_types.hpp"
#include "sandbox/fake_telegram/fake_telegram.hpp"

namespace kb::sandbox::web {

class EventHub {
 public:
  // Subscribes to `telegram` until destroyed; `keepalive` is the longest silence on a stream (a
  // comment line keeps proxies and the browser from timing out).
  explicit EventHub(tg::FakeTelegram& telegram,
                    std::chrono::milliseconds keepalive = std::chrono::seconds(15));
  ~EventHub();
  EventHub(const EventHub&) = delete;
  EventHub& operator=(const EventHub&) = delete;

  // A response streaming the events of one chat until the client goes away or close_all().
  net::Response open(std::int64_t chat_id);
  // Ends every stream (shutdown: lets the HTTP server drain at once).
  void close_all();

  // A stream that lags this many events behind is ended; the page reconnects and reloads.
  static constexpr std::size_t kMaxQueued = 2000;

  struct Subscriber;

 private:
  void publish(const tg::ChatEvent& event);

  tg::FakeTelegram& telegram_;
  std::chrono::milliseconds keepalive_;
  std::uint64_t subscription_ = 0;
  mutable std::mutex mu_;
  std::vector<std::weak_ptr<Subscriber>> subscribers_;
  bool closed_ = false;
};

}  // namespace kb::sandbox::web
