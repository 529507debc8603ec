// HTTP routes of the fake Bot API: /bot<token>/<method> (and /test/), /file/bot<token>/<path>,
// and the request pipeline (token check, parameter parsing, faults, flood control, recording).
#include <algorithm>
#include <cctype>

#include "core/with_timeout.hpp"
#include "sandbox/fake_telegram/methods.hpp"

namespace kb::sandbox::tg {
namespace {

// The local server's token rules; the cloud answers a well-formed unknown token with plain
// "Unauthorized".
bool token_well_formed(std::string_view token) {
  if (token.empty() || token.size() > 80 || token.front() == '0') return false;
  if (token.find('/') != std::string_view::npos) return false;
  auto colon = token.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::uint64_t id = 0;
  for (char c : token.substr(0, colon)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    id = id * 10 + static_cast<std::uint64_t>(c - '0');
    if (id >= (std::uint64_t{1} << 54)) return false;
  }
  return id > 0;
}

net::Response envelope_response(const Outcome& outcome) {
  if (outcome.error) {
    auto r = net::Response::json(outcome.error->code, error_body(*outcome.error));
    if (outcome.error->retry_after)
      r.headers.set("Retry-After", std::to_string(*outcome.error->retry_after));
    return r;
  }
  return net::Response::json(200, ok_body(outcome.result, outcome.description));
}

net::Response error_response(const ApiError& error) {
  return envelope_response(Outcome(error));
}

// Takes the first queued fault rule matching `method`.
std::optional<FaultRule> take_fault_locked(World& world, std::string_view method_lower) {
  for (auto it = world.faults.begin(); it != world.faults.end(); ++it) {
    if (it->method != "*" && it->method != method_lower) continue;
    FaultRule rule = *it;
    if (--it->remaining <= 0) world.faults.erase(it);
    return rule;
  }
  return std::nullopt;
}

}  // namespace

std::uint64_t begin_call(Impl& impl, const std::string& method, const ApiParams& params) {
  ReceivedCall call;
  call.method = method;
  for (const auto& [k, v] : params.values) call.params.emplace(k, v);
  for (const auto& [k, f] : params.files)
    call.files.push_back(UploadedFile{k, f.filename.value_or(""), f.content_type, f.data.size()});
  call.encoding = params.encoding;
  const auto* spec = find_method(ascii_lower(method));
  call.message_send = spec && spec->flood == FloodClass::message;
  std::lock_guard lock(impl.mu);
  call.at_ms = impl.now_ms();
  impl.world.calls.push_back(std::move(call));
  impl.world.call_ids.push_back(++impl.world.last_call_id);
  return impl.world.last_call_id;
}

void finish_call(Impl& impl, std::uint64_t call_id, const Outcome& outcome) {
  {
    std::lock_guard lock(impl.mu);
    auto& ids = impl.world.call_ids;
    for (std::size_t i = ids.size(); i-- > 0;) {
      if (ids[i] != call_id) continue;
      auto& call = impl.world.calls[i];
      call.status = http_status_of(outcome);
      if (outcome.error) call.description = outcome.error->description;
      break;
    }
  }
  impl.after_change();
}

namespace {

Task<net::Response> handle_api(std::shared_ptr<Impl> impl, net::Request& request) {
  auto bot_segment = request.param("bot");
  if (bot_segment.substr(0, 3) != "bot") co_return error_response(not_found());
  auto token = bot_segment.substr(3);
  if (!token_well_formed(token)) co_return error_response(unauthorized("invalid token specified"));
  if (token != impl->options.token) co_return error_response(unauthorized());
  auto method_segment = std::string(request.param("method"));
  auto canonical = canonical_method(ascii_lower(method_segment));
  auto method = canonical.value_or(method_segment);
  auto params =
      parse_api_params(request.headers.get_or("Content-Type"), request.query, request.body);
  // The call is logged before it runs, so it is visible no later than its effects.
  auto call_id = begin_call(*impl, method, params ? *params : ApiParams{});
  Outcome outcome;
  if (!params) {
    outcome = Outcome(bad_request(params.error().message));
  } else if (!canonical) {
    outcome = Outcome(not_found("method not found"));
  } else {
    outcome = co_await run_method(*impl, method, *params);
  }
  finish_call(*impl, call_id, outcome);
  co_return envelope_response(outcome);
}

Task<net::Response> handle_file(std::shared_ptr<Impl> impl, net::Request& request) {
  auto bot_segment = request.param("bot");
  if (bot_segment.substr(0, 3) != "bot" || bot_segment.substr(3) != impl->options.token)
    co_return error_response(not_found());
  std::shared_ptr<const std::string> bytes;
  std::string mime;
  {
    std::lock_guard lock(impl->mu);
    const auto* file = impl->world.files.find_by_path(request.param("path"));
    if (file) {
      bytes = file->bytes;
      mime = file->mime_type;
    }
  }
  if (!bytes) co_return error_response(not_found());
  net::Response r;
  r.status = 200;
  r.body = *bytes;
  r.headers.set("Content-Type", mime.empty() ? "application/octet-stream" : mime);
  co_return r;
}

}  // namespace

std::optional<std::string> canonical_method(std::string_view lower_name) {
  const auto* spec = find_method(lower_name);
  if (!spec) return std::nullopt;
  return std::string(spec->name);
}

namespace {

// Remembers until when a chat must not get message sends after a 429 answered to one.
void note_retry_after(Impl& impl, std::int64_t chat_id, const Outcome& outcome) {
  if (chat_id == 0 || !outcome.error || outcome.error->code != 429 || !outcome.error->retry_after)
    return;
  std::lock_guard lock(impl.mu);
  auto& until = impl.world.retry_after_until[chat_id];
  until = std::max<std::int64_t>(until, impl.now_ms() + *outcome.error->retry_after * 1000LL);
}

}  // namespace

Task<Outcome> run_method(Impl& impl, const std::string& method, const ApiParams& params) {
  auto method_lower = ascii_lower(method);
  const auto* spec = find_method(method_lower);
  if (!spec) co_return Outcome(not_found("method not found"));
  const std::int64_t send_chat =
      spec->flood == FloodClass::message ? to_integer(params.get_or("chat_id")) : 0;
  std::optional<FaultRule> fault;
  bool random_flood = false;
  {
    std::lock_guard lock(impl.mu);
    auto& world = impl.world;
    if (send_chat != 0) {
      auto until = world.retry_after_until.find(send_chat);
      if (until != world.retry_after_until.end() && impl.now_ms() < until->second)
        ++world.early_retries;
    }
    fault = take_fault_locked(world, method_lower);
    if (!fault && send_chat != 0 && world.random_flood_share > 0 &&
        static_cast<double>(world.next_random() % 1'000'000) <
            world.random_flood_share * 1'000'000) {
      random_flood = true;
      ++world.random_floods;
    }
  }
  if (fault && fault->delay.count() > 0) co_await sleep_for(fault->delay);
  if (random_flood) {
    int seconds = 0;
    {
      std::lock_guard lock(impl.mu);
      seconds = impl.world.random_flood_retry_after;
    }
    Outcome refused(too_many_requests(seconds));
    note_retry_after(impl, send_chat, refused);
    co_return refused;
  }
  if (fault && fault->error) {
    const auto& e = *fault->error;
    Outcome injected(ApiError{e.error_code, e.description, e.retry_after, e.migrate_to_chat_id});
    note_retry_after(impl, send_chat, injected);
    co_return injected;
  }
  bool counted = false;
  std::int64_t flood_chat = 0;
  if (spec->flood != FloodClass::none) {
    int wait = 0;
    {
      std::lock_guard lock(impl.mu);
      flood_chat = to_integer(params.get_or("chat_id"));
      counted = flood_chat != 0 &&
                (spec->flood == FloodClass::message || impl.world.flood.limits().count_edits);
      if (counted) wait = impl.world.flood.check(flood_chat, impl.now_ms());
    }
    if (wait > 0) {
      Outcome refused(too_many_requests(wait));
      note_retry_after(impl, send_chat, refused);
      co_return refused;
    }
  }
  Outcome outcome;
  if (spec->sync) {
    std::lock_guard lock(impl.mu);
    outcome = spec->sync(impl, params);
  } else {
    outcome = co_await spec->async(impl, params);
  }
  if (counted && outcome.is_ok()) {
    std::lock_guard lock(impl.mu);
    impl.world.flood.commit(flood_chat, impl.now_ms());
  }
  co_return outcome;
}

void Impl::register_routes() {
  std::weak_ptr<Impl> weak = weak_from_this();
  auto api = [weak](net::Request& request) -> Task<net::Response> {
    auto self = weak.lock();
    if (!self) co_return error_response(not_found());
    co_return co_await handle_api(self, request);
  };
  auto file = [weak](net::Request& request) -> Task<net::Response> {
    auto self = weak.lock();
    if (!self) co_return error_response(not_found());
    co_return co_await handle_file(self, request);
  };
  auto other = [](net::Request&) -> Task<net::Response> { co_return error_response(not_found()); };
  for (const char* verb : {"GET", "POST"}) {
    router.add(verb, "/file/{bot}/{path*}", file);
    router.add(verb, "/{bot}/{method}", api);
    router.add(verb, "/{bot}/test/{method}", api);
    router.add(verb, "/{rest*}", other);
  }
}

}  // namespace kb::sandbox::tg
