// SandboxWeb: the page's routes; each action becomes a simulated user's update in the fake.
#include "sandbox/web/sandbox_web.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

#include "core/embedded.hpp"
#include "core/log.hpp"
#include "sandbox/web/page_json.hpp"

namespace kb::sandbox::web {
namespace {

using Json = nlohmann::json;

net::Response json_response(const Json& body, int status = 200) {
  auto r = net::Response::json(status, body.dump());
  r.headers.set("Cache-Control", "no-store");
  return r;
}

net::Response error(int status, std::string_view message) {
  return json_response({{"error", message}}, status);
}

std::optional<std::int64_t> to_int(std::string_view text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

std::optional<Json> json_body(const net::Request& request) {
  auto parsed = Json::parse(request.body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return std::nullopt;
  return parsed;
}

std::string content_type_of(std::string_view name) {
  auto dot = name.rfind('.');
  auto ext = dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  return "application/octet-stream";
}

net::Response static_file(std::string_view file) {
  auto name = "sandbox/web/" + std::string(file);
  if (file.find("..") != std::string_view::npos || !embedded::contains(name))
    return net::Response::text(404, "not found\n");
  net::Response r;
  r.headers.set("Content-Type", content_type_of(file));
  r.headers.set("Cache-Control", "no-cache");
  r.body = std::string(embedded::file(name));
  return r;
}

// A channel the sandbox pretends forwarded messages come from.
tg::ForwardOrigin sandbox_channel() {
  tg::ForwardOrigin origin;
  origin.type = tg::ForwardOrigin::Type::channel;
  origin.chat_title = "Sandbox Channel";
  origin.chat_username = "sandbox_channel";
  return origin;
}

// "/start ref_1" → ("start", "ref_1"); the "@botname" suffix of a command is dropped.
std::pair<std::string, std::string> split_command(std::string_view text) {
  text.remove_prefix(1);
  auto space = text.find(' ');
  auto command = text.substr(0, space);
  auto args = space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
  if (auto at = command.find('@'); at != std::string_view::npos) command = command.substr(0, at);
  return {std::string(command), std::string(args)};
}

}  // namespace

SandboxWeb::SandboxWeb(tg::FakeTelegram& telegram, WebOptions options)
    : telegram_(telegram),
      options_(std::move(options)),
      hub_(std::make_unique<EventHub>(telegram)) {}

void SandboxWeb::close() {
  hub_->close_all();
}

void SandboxWeb::add_routes(net::Router& router) {
  auto* tg = &telegram_;
  auto* opts = &options_;
  auto* hub = hub_.get();

  router.add("GET", "/",
             [](net::Request&) -> Task<net::Response> { co_return static_file("index.html"); });
  router.add("GET", "/sandbox/{file}", [](net::Request& request) -> Task<net::Response> {
    co_return static_file(request.param("file"));
  });

  router.add("GET", "/sandbox/api/state", [tg, opts](net::Request&) -> Task<net::Response> {
    Json users = Json::array();
    // Users are registered in id order from 5550001001 on; the fake lists chats, not users, so
    // walk the ids of chats plus the first few ids.
    std::set<std::int64_t> ids;
    for (auto id : tg->chat_ids())
      if (id > 0) ids.insert(id);
    for (std::int64_t id = 5550001001; id < 5550001001 + 64; ++id)
      if (tg->user(id)) ids.insert(id);
    for (auto id : ids)
      if (auto u = tg->user(id)) users.push_back(user_json(*u, opts->admin_ids));
    co_return json_response(
        {{"title", opts->title}, {"bot", {{"id", tg->bot_id()}}}, {"users", std::move(users)}});
  });

  // Everything below acts for a user: look the user up first.
  using UserHandler = std::function<Task<net::Response>(net::Request&, const tg::User&)>;
  auto for_user = [tg](bool post, UserHandler handler) -> net::Handler {
    return [tg, post, handler = std::move(handler)](net::Request& request) -> Task<net::Response> {
      if (post && request.headers.get_or("X-Sandbox-Client") != "1")
        co_return error(403, "missing X-Sandbox-Client header");
      auto id = to_int(request.param("user"));
      auto user = id ? tg->user(*id) : std::nullopt;
      if (!user) co_return error(404, "unknown user");
      co_return co_await handler(request, *user);
    };
  };

  router.add("POST", "/sandbox/api/users",
             [tg, opts](net::Request& request) -> Task<net::Response> {
               if (request.headers.get_or("X-Sandbox-Client") != "1")
                 co_return error(403, "missing X-Sandbox-Client header");
               auto body = json_body(request);
               if (!body) co_return error(400, "expected a JSON object");
               auto name = body->value("first_name", std::string());
               if (name.empty() || name.size() > 64)
                 co_return error(400, "first_name: 1-64 characters");
               auto language = body->value("language_code", std::string("en"));
               auto user = tg->make_user(name, language);
               log::info("sandbox_user_added", {{"user", user.id}, {"language", language}});
               co_return json_response(user_json(user, opts->admin_ids));
             });

  router.add("GET", "/sandbox/api/chats/{user}/messages",
             for_user(false, [tg](net::Request&, const tg::User& user) -> Task<net::Response> {
               Json list = Json::array();
               for (const auto& m : tg->messages(user.id)) list.push_back(message_json(m));
               co_return json_response(list);
             }));

  router.add("GET", "/sandbox/api/chats/{user}/events",
             for_user(false, [hub](net::Request&, const tg::User& user) -> Task<net::Response> {
               co_return hub->open(user.id);
             }));

  router.add(
      "POST", "/sandbox/api/chats/{user}/text",
      for_user(true, [tg](net::Request& request, const tg::User& user) -> Task<net::Response> {
        auto body = json_body(request);
        if (!body) co_return error(400, "expected a JSON object");
        auto text = body->value("text", std::string());
        if (text.empty() || text.size() > 4096) co_return error(400, "text: 1-4096 bytes");
        tg::UserMessage sent;
        if (body->value("forward", false)) {
          sent = tg->forward_text(user, text, sandbox_channel());
        } else if (text.front() == '/' && text.size() > 1) {
          auto [command, args] = split_command(text);
          sent = tg->send_command(user, command, args);
        } else {
          sent = tg->send_text(user, text);
        }
        co_return json_response({{"message_id", sent.message_id}});
      }));

  router.add(
      "POST", "/sandbox/api/chats/{user}/press",
      for_user(true, [tg](net::Request& request, const tg::User& user) -> Task<net::Response> {
        auto body = json_body(request);
        if (!body || !(*body)["message_id"].is_number_integer() || !(*body)["data"].is_string())
          co_return error(400, "expected {message_id, data}");
        auto press = tg->press_button(user, (*body)["message_id"].get<std::int64_t>(),
                                      (*body)["data"].get<std::string>());
        co_return json_response({{"callback_query_id", press.callback_query_id}});
      }));

  router.add(
      "POST", "/sandbox/api/chats/{user}/upload",
      for_user(true,
               [tg, opts](net::Request& request, const tg::User& user) -> Task<net::Response> {
                 if (request.body.empty()) co_return error(400, "empty file");
                 if (request.body.size() > opts->max_upload_bytes)
                   co_return error(413, "too large");
                 auto kind = request.query_param("kind").value_or("document");
                 auto name = request.query_param("name").value_or("file");
                 auto caption = request.query_param("caption").value_or("");
                 auto mime = request.query_param("mime").value_or("");
                 if (mime.empty()) mime = sniff_mime(request.body);
                 bool forward = request.query_param("forward").value_or("") == "1";
                 auto bytes = std::move(request.body);
                 tg::UserMessage sent;
                 if (kind == "photo" && forward)
                   sent = tg->forward_photo(user, std::move(bytes), sandbox_channel(), caption);
                 else if (kind == "photo")
                   sent = tg->send_photo(user, std::move(bytes), caption);
                 else if (kind == "video")
                   sent = tg->send_video(user, std::move(bytes), caption);
                 else if (kind == "audio")
                   sent = tg->send_audio(user, std::move(bytes), name, mime);
                 else if (kind == "voice")
                   sent = tg->send_voice(user, std::move(bytes), 3, mime);
                 else if (kind == "document")
                   sent = tg->send_document(user, std::move(bytes), mime, name, caption);
                 else
                   co_return error(400, "kind: photo, video, audio, voice or document");
                 co_return json_response({{"message_id", sent.message_id}});
               }));

  router.add(
      "POST", "/sandbox/api/chats/{user}/pay",
      for_user(true, [tg](net::Request& request, const tg::User& user) -> Task<net::Response> {
        auto body = json_body(request);
        if (!body || !(*body)["message_id"].is_number_integer())
          co_return error(400, "expected {message_id}");
        auto message_id = (*body)["message_id"].get<std::int64_t>();
        for (const auto& invoice : tg->invoices()) {
          if (invoice.chat_id != user.id || invoice.message_id != message_id) continue;
          auto started = tg->pay(user, invoice);
          if (!started) co_return error(409, started.error().message);
          co_return json_response({{"pre_checkout_query_id", started->pre_checkout_query_id}});
        }
        co_return error(404, "no invoice in that message");
      }));

  router.add("GET", "/sandbox/api/files/{file_id}",
             [tg](net::Request& request) -> Task<net::Response> {
               auto bytes = tg->file_content(request.param("file_id"));
               if (!bytes) co_return net::Response::text(404, "no such file\n");
               net::Response r;
               r.headers.set("Content-Type", sniff_mime(*bytes));
               r.headers.set("Cache-Control", "private, max-age=3600");
               r.body = std::move(*bytes);
               co_return r;
             });
}

}  // namespace kb::sandbox::web
