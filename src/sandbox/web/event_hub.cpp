// EventHub: fan-out of the fake Bot API's chat events to server-sent-event streams.
#include "sandbox/web/event_hub.hpp"

#include <deque>
#include <optional>
#include <string>

#include "core/asio.hpp"
#include "sandbox/web/page_json.hpp"

namespace kb::sandbox::web {

// One open stream. Events are queued by whatever thread the fake reports on; the stream's
// coroutine waits on a timer (on its connection's executor) that a new event cancels.
struct EventHub::Subscriber {
  std::int64_t chat_id = 0;
  std::mutex mu;
  std::deque<std::string> queue;
  std::shared_ptr<asio::steady_timer> timer;
  bool closed = false;

  void push(std::string chunk, bool close) {
    std::shared_ptr<asio::steady_timer> to_wake;
    {
      std::lock_guard lock(mu);
      if (closed) return;
      if (close || queue.size() >= kMaxQueued) {
        closed = true;
        queue.clear();
      } else {
        queue.push_back(std::move(chunk));
      }
      to_wake = timer;
    }
    // The timer belongs to the stream's executor: cancel it there, never from this thread. A
    // cancel that arrives before the wait started is harmless: the queue is checked first.
    if (to_wake) asio::post(to_wake->get_executor(), [to_wake] { to_wake->cancel(); });
  }
};

namespace {

class EventStream final : public net::BodySource {
 public:
  EventStream(std::shared_ptr<EventHub::Subscriber> subscriber, std::chrono::milliseconds keepalive)
      : s_(std::move(subscriber)), keepalive_(keepalive) {}

  Task<Result<std::optional<std::string>>> next_chunk() override {
    if (first_) {
      first_ = false;
      // The browser reconnects after 1 s when the stream ends.
      co_return std::optional<std::string>("retry: 1000\n\n");
    }
    auto executor = co_await asio::this_coro::executor;
    for (;;) {
      std::shared_ptr<asio::steady_timer> timer;
      {
        std::lock_guard lock(s_->mu);
        if (s_->closed) co_return std::optional<std::string>();
        if (!s_->queue.empty()) {
          std::string out;
          while (!s_->queue.empty()) {
            out += s_->queue.front();
            s_->queue.pop_front();
          }
          co_return std::optional<std::string>(std::move(out));
        }
        if (!s_->timer) s_->timer = std::make_shared<asio::steady_timer>(executor);
        timer = s_->timer;
        timer->expires_after(keepalive_);
      }
      boost::system::error_code ec;
      co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (!ec) co_return std::optional<std::string>(": keepalive\n\n");
    }
  }

 private:
  std::shared_ptr<EventHub::Subscriber> s_;
  std::chrono::milliseconds keepalive_;
  bool first_ = true;
};

}  // namespace

EventHub::EventHub(tg::FakeTelegram& telegram, std::chrono::milliseconds keepalive)
    : telegram_(telegram), keepalive_(keepalive) {
  subscription_ = telegram_.subscribe([this](const tg::ChatEvent& event) { publish(event); });
}

EventHub::~EventHub() {
  telegram_.unsubscribe(subscription_);
  close_all();
}

net::Response EventHub::open(std::int64_t chat_id) {
  auto subscriber = std::make_shared<Subscriber>();
  subscriber->chat_id = chat_id;
  {
    std::lock_guard lock(mu_);
    if (closed_) subscriber->closed = true;
    std::erase_if(subscribers_, [](const auto& w) { return w.expired(); });
    subscribers_.push_back(subscriber);
  }
  net::Response r;
  r.status = 200;
  r.headers.set("Content-Type", "text/event-stream; charset=utf-8");
  r.headers.set("Cache-Control", "no-store");
  r.stream = std::make_shared<EventStream>(std::move(subscriber), keepalive_);
  return r;
}

void EventHub::publish(const tg::ChatEvent& event) {
  std::vector<std::shared_ptr<Subscriber>> targets;
  {
    std::lock_guard lock(mu_);
    for (const auto& w : subscribers_)
      if (auto s = w.lock(); s && s->chat_id == event.chat_id) targets.push_back(std::move(s));
  }
  if (targets.empty()) return;
  auto chunk = "data: " + event_json(event).dump() + "\n\n";
  for (auto& s : targets) s->push(chunk, false);
}

void EventHub::close_all() {
  std::vector<std::shared_ptr<Subscriber>> targets;
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    for (const auto& w : subscribers_)
      if (auto s = w.lock()) targets.push_back(std::move(s));
    subscribers_.clear();
  }
  for (auto& s : targets) s->push({}, true);
}

}  // namespace kb::sandbox::web
