// The sandbox web chat: the page (embedded from data/sandbox/web/) and its HTTP API, which acts
// as the simulated users of the fake Bot API (send text, press buttons, upload files, pay
// invoices) and streams every chat change back to the browser.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include "net/router.hpp"
#include "sandbox/fake_telegram/fake_telegram.hpp"
#include "sandbox/web/event_hub.hpp"

namespace kb::sandbox::web {

struct WebOptions {
  std::set<std::int64_t> admin_ids;  // marked on the user switch
  std::string title = "kiebot sandbox";
  std::size_t max_upload_bytes = 50 << 20;
};

class SandboxWeb {
 public:
  SandboxWeb(tg::FakeTelegram& telegram, WebOptions options);

  // GET / (the page), GET /sandbox/{file} (its scripts and styles) and /sandbox/api/...:
  //   GET  state                          bot, title and the simulated users
  //   POST users {first_name, language_code}
  //   GET  chats/{user}/messages          the chat so far
  //   GET  chats/{user}/events            server-sent events (see page_json.hpp event_json)
  //   POST chats/{user}/text {text, forward?}
  //   POST chats/{user}/press {message_id, data}
  //   POST chats/{user}/upload?kind=photo|video|audio|voice|document&name=&mime=&caption=
  //        (the raw file as the body)
  //   POST chats/{user}/pay {message_id}  pays the invoice of that message
  //   GET  files/{file_id}                a stored file (media shown inline)
  // POSTs need the header `X-Sandbox-Client: 1`, so another web site cannot post from a browser
  // (a custom header forces a CORS preflight, which this server never approves).
  void add_routes(net::Router& router);

  // Ends the event streams (shutdown).
  void close();

 private:
  tg::FakeTelegram& telegram_;
  WebOptions options_;
  std::unique_ptr<EventHub> hub_;
};

}  // namespace kb::sandbox::web
