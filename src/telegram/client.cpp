// BotClient: the HTTP call path (limiter, encoding, envelope, retries, fallbacks) and the typed
// methods on top of it.
#include "telegram/client.hpp"

#include <random>

#include <fmt/format.h>

#include "core/log.hpp"
#include "core/with_timeout.hpp"
#include "net/http_client.hpp"
#include "net/metrics.hpp"
#include "telegram/envelope.hpp"
#include "telegram/file_location.hpp"
#include "telegram/local_file_stream.hpp"
#include "telegram/parse.hpp"

namespace kb::telegram {
namespace {

using Json = nlohmann::json;

double unit_random() {
  thread_local std::minstd_rand engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

FailureType transport_failure(Errc code) {
  switch (code) {
    case Errc::unavailable:
      return FailureType::not_sent;
    case Errc::timeout:
    case Errc::upstream:
      return FailureType::ambiguous;
    default:
      return FailureType::final;  // a malformed request: repeating it cannot help
  }
}

std::string trimmed_base(const std::string& url) {
  std::string base = url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

net::ClientRequest make_request(const ClientConfig& config, const ApiCall& call) {
  net::ClientRequest req;
  req.method = "POST";
  req.url = trimmed_base(config.api_url) + "/bot" + config.token + "/" + call.method;
  req.upstream = "telegram";
  req.timeout = call.uploads.empty() ? config.request_timeout : config.upload_timeout;
  if (call.method == "getUpdates") {
    auto t = call.params.find("timeout");
    std::int64_t seconds =
        t != call.params.end() && t->is_number_integer() ? t->get<std::int64_t>() : 0;
    req.timeout =
        std::chrono::seconds(std::clamp<std::int64_t>(seconds, 0, 50)) + config.long_poll_grace;
  }
  if (call.uploads.empty()) {
    req.headers.set("Content-Type", "application/json");
    req.body = call.params.dump(-1, ' ', false, Json::error_handler_t::replace);
    return req;
  }
  for (auto& [name, value] : form_fields(call.params)) {
    net::MultipartPart part;
    part.name = std::move(name);
    part.data = std::move(value);
    req.multipart.push_back(std::move(part));
  }
  for (const auto& upload : call.uploads) {
    const auto& f = upload.file;
    net::MultipartPart part;
    part.name = upload.name;
    part.filename = f.filename.empty() ? upload.name : f.filename;
    part.content_type = f.content_type;
    switch (f.source) {
      case InputFile::Source::memory:
        part.data = f.data;
        break;
      case InputFile::Source::path:
        part.file_path = f.path;
        break;
      case InputFile::Source::stream:
        part.stream = f.stream;
        part.stream_size = f.stream_size;
        break;
      case InputFile::Source::remote:
        break;
    }
    req.multipart.push_back(std::move(part));
  }
  return req;
}

std::vector<log::Field> call_fields(const ApiCall& call) {
  std::vector<log::Field> fields{{"method", call.method}};
  if (call.chat_id) fields.emplace_back("chat_id", *call.chat_id);
  return fields;
}

void log_failure(const ApiCall& call, const ApiFailure& f, const ErrorInfo& info) {
  auto fields = call_fields(call);
  fields.emplace_back("error_code", f.error_code);
  fields.emplace_back("kind", error_kind_name(info.kind));
  fields.emplace_back("description", f.description);
  switch (info.error_class) {
    case ErrorClass::expected:
      log::emit(log::Level::info, "telegram_call_expected_error", fields);
      break;
    case ErrorClass::retryable:
      log::emit(log::Level::warn, "telegram_call_failed", fields);
      break;
    case ErrorClass::fatal:
    case ErrorClass::bug:
      log::emit(log::Level::error, "telegram_call_failed", fields);
      break;
  }
}

Result<void> expect_true(const Json& result) {
  if (result.is_boolean() && result.get<bool>()) return {};
  return fail(Errc::upstream, "$: expected true");
}

Result<std::string> expect_string(const Json& result) {
  if (result.is_string()) return result.get<std::string>();
  return fail(Errc::upstream, "$: expected a string");
}

template <class T>
Task<Result<T>> run(BotClient& client, Result<ApiCall> built, Result<T> (*parse)(const Json&)) {
  if (!built) {
    log::error("telegram_request_invalid", {{"error", built.error().message}});
    co_return fail(built.error());
  }
  std::string method = built->method;
  // Tasks are created in their own statement: GCC 12 destroys by-value arguments of a coroutine
  // call twice when they are created inside the co_await expression.
  auto calling = client.call(std::move(*built));
  auto result = co_await std::move(calling);
  if (!result) co_return fail(result.error());
  auto parsed = parse(*result);
  if (!parsed) {
    log::error("telegram_unexpected_result",
               {{"method", method}, {"error", parsed.error().message}});
    co_return fail(Errc::upstream,
                   fmt::format("unexpected {} result: {}", method, parsed.error().message));
  }
  co_return std::move(*parsed);
}

Task<Result<void>> run_void(BotClient& client, Result<ApiCall> built) {
  if (!built) {
    log::error("telegram_request_invalid", {{"error", built.error().message}});
    co_return fail(built.error());
  }
  std::string method = built->method;
  // Tasks are created in their own statement: GCC 12 destroys by-value arguments of a coroutine
  // call twice when they are created inside the co_await expression.
  auto calling = client.call(std::move(*built));
  auto result = co_await std::move(calling);
  if (!result) co_return fail(result.error());
  if (auto ok = expect_true(*result); !ok) {
    log::error("telegram_unexpected_result", {{"method", method}, {"error", ok.error().message}});
    co_return fail(Errc::upstream, fmt::format("unexpected {} result", method));
  }
  co_return Result<void>{};
}

}  // namespace

struct BotClient::Attempt {
  bool ok = false;
  Json result;
  std::optional<Error> transport;  // no HTTP answer at all
  ApiFailure failure;              // an answer that was not ok
};

BotClient::BotClient(asio::any_io_executor executor, net::HttpClient& http, ClientConfig config,
                     net::MetricsRegistry* metrics)
    : http_(http),
      config_(std::move(config)),
      metrics_(metrics),
      limiter_(std::move(executor), config_.limits) {
  if (config_.file_url.empty()) config_.file_url = config_.api_url;
}

BotClient::~BotClient() = default;

void BotClient::record(std::string_view method, std::string_view outcome) {
  if (!metrics_) return;
  metrics_
      ->counter("kiebot_telegram_calls_total", "Bot API calls by method and outcome",
                {{"method", std::string(method)}, {"outcome", std::string(outcome)}})
      .inc();
}

Task<BotClient::Attempt> BotClient::attempt(const ApiCall& call) {
  Attempt a;
  auto sending = http_.send(make_request(config_, call));  // see the GCC 12 note in run()
  auto response = co_await std::move(sending);
  if (!response) {
    a.transport = response.error();
    co_return a;
  }
  auto env = parse_envelope(response->status, response->body, response->headers.get("Retry-After"));
  a.ok = env.ok;
  a.result = std::move(env.result);
  a.failure = std::move(env.failure);
  co_return a;
}

Task<Result<Json>> BotClient::call(ApiCall call) {
  RetryState state;
  bool plain_text_tried = false;
  // A message call holds its limiter slot from its turn until it is finished, through retries
  // and their waits: no later call of the same chat can overtake it.
  std::optional<OutboundLimiter::Permit> permit;
  for (;;) {
    if (call.throttle == Throttle::message) {
      Result<void> turn;
      if (permit) {
        permit->dismiss();  // reacquire() hands the slot back itself
        permit.reset();
        turn = co_await limiter_.reacquire(call.chat_id, call.cost);
      } else {
        turn = co_await limiter_.acquire(call.chat_id, call.cost);
      }
      if (!turn) co_return fail(turn.error());
      permit.emplace(limiter_, call.chat_id);
    }
    auto a = co_await attempt(call);
    if (a.ok) {
      record(call.method, "ok");
      co_return std::move(a.result);
    }

    if (a.transport) {
      auto decision =
          decide_retry(config_.retry, state, transport_failure(a.transport->code), std::nullopt,
                       call.may_duplicate, call.single_shot, unit_random());
      auto fields = call_fields(call);
      fields.emplace_back("error", errc_name(a.transport->code));
      fields.emplace_back("detail", a.transport->message);
      if (!decision.retry) {
        log::emit(log::Level::warn, "telegram_call_failed", fields);
        record(call.method, "network");
        co_return fail(*a.transport);
      }
      fields.emplace_back("delay_ms", static_cast<std::int64_t>(decision.delay.count()));
      log::emit(log::Level::info, "telegram_call_retry", fields);
      co_await sleep_for(decision.delay);
      continue;
    }

    const auto& f = a.failure;
    auto info = f.info();
    if (info.kind == ErrorKind::cant_parse_entities && !plain_text_tried && !call.single_shot &&
        strip_formatting(call.params)) {
      // Our markup was wrong (a bug to fix), but the user still gets the text, once, plainly.
      plain_text_tried = true;
      auto fields = call_fields(call);
      fields.emplace_back("description", f.description);
      log::emit(log::Level::error, "telegram_markup_rejected", fields);
      continue;
    }
    if (info.kind == ErrorKind::too_many_requests) {
      int seconds = std::max(1, f.retry_after.value_or(1));
      std::optional<LimiterCore::Scope> scope;
      if (call.throttle == Throttle::message)
        scope = limiter_.on_rate_limited(call.chat_id, std::chrono::seconds(seconds));
      auto decision = decide_retry(config_.retry, state, FailureType::rate_limited, seconds,
                                   call.may_duplicate, call.single_shot, unit_random());
      auto fields = call_fields(call);
      fields.emplace_back("retry_after", seconds);
      if (scope)
        fields.emplace_back("scope", *scope == LimiterCore::Scope::chat ? "chat" : "global");
      if (!decision.retry) {
        log::emit(log::Level::warn, "telegram_rate_limit_gave_up", fields);
        record(call.method, "rate_limited");
        co_return fail(f.to_error());
      }
      log::emit(log::Level::info, "telegram_rate_limited", fields);
      // A throttled call waits in the limiter for the pause to end (the pause is set before the
      // permit is released, so no later call of the chat slips in); any other call sleeps the
      // given time itself.
      if (!scope) co_await sleep_for(decision.delay);
      continue;
    }
    if (info.error_class == ErrorClass::retryable) {
      auto decision = decide_retry(config_.retry, state, FailureType::ambiguous, std::nullopt,
                                   call.may_duplicate, call.single_shot, unit_random());
      if (decision.retry) {
        auto fields = call_fields(call);
        fields.emplace_back("error_code", f.error_code);
        fields.emplace_back("delay_ms", static_cast<std::int64_t>(decision.delay.count()));
        log::emit(log::Level::info, "telegram_call_retry", fields);
        co_await sleep_for(decision.delay);
        continue;
      }
    }
    log_failure(call, f, info);
    record(call.method, error_class_name(info.error_class));
    co_return fail(f.to_error());
  }
}

Task<Result<BotInfo>> BotClient::get_me() {
  return run<BotInfo>(*this, build_get_me(), parse_bot_info);
}

Task<Result<void>> BotClient::set_webhook(SetWebhook params) {
  return run_void(*this, build_set_webhook(params));
}

Task<Result<void>> BotClient::delete_webhook(bool drop_pending_updates) {
  return run_void(*this, build_delete_webhook(drop_pending_updates));
}

Task<Result<WebhookInfo>> BotClient::get_webhook_info() {
  return run<WebhookInfo>(*this, build_get_webhook_info(), parse_webhook_info);
}

Task<Result<std::vector<RawUpdate>>> BotClient::get_updates(GetUpdates params) {
  return run<std::vector<RawUpdate>>(*this, build_get_updates(params), parse_raw_updates);
}

Task<Result<Message>> BotClient::send_message(SendMessage params) {
  return run<Message>(*this, build_send_message(params), parse_message);
}

Task<Result<Message>> BotClient::edit_message_text(EditMessageText params) {
  return run<Message>(*this, build_edit_message_text(params), parse_message);
}

Task<Result<Message>> BotClient::edit_message_reply_markup(EditMessageReplyMarkup params) {
  return run<Message>(*this, build_edit_message_reply_markup(params), parse_message);
}

Task<Result<void>> BotClient::delete_message(std::int64_t chat_id, std::int64_t message_id) {
  return run_void(*this, build_delete_message(chat_id, message_id));
}

Task<Result<void>> BotClient::answer_callback_query(AnswerCallbackQuery params) {
  return run_void(*this, build_answer_callback_query(params));
}

Task<Result<Message>> BotClient::send_media(SendMedia params) {
  return run<Message>(*this, build_send_media(params), parse_message);
}

Task<Result<std::vector<Message>>> BotClient::send_media_group(SendMediaGroup params) {
  return run<std::vector<Message>>(*this, build_send_media_group(params), parse_messages);
}

Task<Result<void>> BotClient::send_chat_action(std::int64_t chat_id, std::string action) {
  return run_void(*this, build_send_chat_action(chat_id, action));
}

Task<Result<File>> BotClient::get_file(std::string file_id) {
  return run<File>(*this, build_get_file(file_id), parse_file);
}

Task<Result<void>> BotClient::set_my_commands(SetMyCommands params) {
  return run_void(*this, build_set_my_commands(params));
}

Task<Result<Message>> BotClient::send_invoice(SendInvoice params) {
  return run<Message>(*this, build_send_invoice(params), parse_message);
}

Task<Result<std::string>> BotClient::create_invoice_link(Invoice params) {
  return run<std::string>(*this, build_create_invoice_link(params), expect_string);
}

Task<Result<void>> BotClient::answer_pre_checkout_query(AnswerPreCheckoutQuery params) {
  return run_void(*this, build_answer_pre_checkout_query(params));
}

Task<Result<void>> BotClient::refund_star_payment(std::int64_t user_id,
                                                  std::string telegram_payment_charge_id) {
  return run_void(*this, build_refund_star_payment(user_id, telegram_payment_charge_id));
}

Task<Result<std::unique_ptr<net::ResponseStream>>> BotClient::open_file(File file) {
  auto location = locate_file(file, config_.file_url, config_.token, config_.local_mode);
  if (!location) co_return fail(location.error());
  if (location->on_disk) co_return open_local_file(location->path);

  RetryState state;
  for (;;) {
    net::ClientRequest req;
    req.method = "GET";
    req.url = location->url;
    req.timeout = config_.download_timeout;
    req.upstream = "telegram_file";
    auto opening = http_.open(std::move(req));  // see the GCC 12 note in run()
    auto stream = co_await std::move(opening);
    std::optional<Error> error;
    FailureType failure = FailureType::final;
    if (!stream) {
      error = stream.error();
      failure = transport_failure(stream.error().code);
    } else if ((*stream)->status() != 200) {
      int status = (*stream)->status();
      error = Error{status == 404 ? Errc::not_found : Errc::upstream,
                    fmt::format("file download answered HTTP {}", status)};
      failure = status >= 500 ? FailureType::ambiguous : FailureType::final;
    } else {
      record("downloadFile", "ok");
      co_return std::move(*stream);
    }
    // A download is a GET: repeating it is always safe.
    auto decision =
        decide_retry(config_.retry, state, failure, std::nullopt, false, false, unit_random());
    if (!decision.retry) {
      log::warn("telegram_download_failed", {{"file_id", file.file_id}, {"error", error->message}});
      record("downloadFile", "failed");
      co_return fail(*error);
    }
    co_await sleep_for(decision.delay);
  }
}

}  // namespace kb::telegram
