// Application: the HTTP routes of the bot (webhook, media proxy, provider callbacks). They exist
// from the first second; the ones that need the database answer 503 until it is open.
#include "app/components/application_parts.hpp"
#include "kie/callback_route.hpp"
#include "telegram/intake/webhook_route.hpp"

namespace kb::app {
namespace {

net::Response not_ready() {
  auto r = net::Response::text(503, "starting, try again shortly\n");
  r.headers.set("Retry-After", "5");
  return r;
}

// Provider callbacks before the job runner exists are dropped: the runner polls every job anyway.
class DeferredCallbackSink final : public kie::KieCallbackSink {
 public:
  explicit DeferredCallbackSink(std::atomic<Workers*>& workers) : workers_(workers) {}
  void on_callback_hint(std::string task_id) override {
    if (auto* w = workers_.load()) w->runner->on_callback_hint(std::move(task_id));
  }
  void on_callback_for_job(std::int64_t job_id, std::string task_id) override {
    if (auto* w = workers_.load()) w->runner->on_callback_for_job(job_id, std::move(task_id));
  }

 private:
  std::atomic<Workers*>& workers_;
};

}  // namespace

void Application::add_routes(net::Router& router) {
  auto& p = *p_;
  const auto& c = p.config;
  if (!c.bot_token.empty() && p.webhook_mode) {
    telegram::WebhookRouteOptions webhook;
    webhook.path = c.webhook_path;
    webhook.secret = telegram::webhook_secret_for(c.webhook_secret, c.bot_token);
    telegram::add_webhook_route(router, webhook, *p.intake, &p.metrics);
  }

  auto* workers = &p.workers;
  router.add("GET", "/media/{token}", [workers](net::Request& request) -> Task<net::Response> {
    auto* w = workers->load();
    if (!w) co_return not_ready();
    co_return co_await w->media_proxy->serve_user_media(request);
  });
  router.add("GET", "/media/r/{token}", [workers](net::Request& request) -> Task<net::Response> {
    auto* w = workers->load();
    if (!w) co_return not_ready();
    co_return co_await w->media_proxy->serve_result(request);
  });

  p.callback_sink = std::make_unique<DeferredCallbackSink>(p.workers);
  kie::add_kie_callback_route(router, *p.verifier, *p.callback_sink);
}

}  // namespace kb::app
