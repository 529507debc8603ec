// Everything the fake remembers (users, chats, messages, files, updates, webhook, payments,
// calls, faults), guarded by one mutex in FakeTelegram::Impl. Plain data: no I/O.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sandbox/fake_telegram/envelope.hpp"
#include "sandbox/fake_telegram/file_store.hpp"
#include "sandbox/fake_telegram/flood_control.hpp"
#include "sandbox/fake_telegram/records.hpp"
#include "sandbox/fake_telegram/update_queue.hpp"

namespace kb::sandbox::tg {

// One message; rendered to Bot API JSON on demand so that edits keep the server's key order.
struct StoredMessage {
  std::int64_t chat_id = 0;
  std::int64_t message_id = 0;
  bool from_bot = false;
  std::int64_t from_id = 0;
  std::int64_t date = 0;
  std::int64_t edit_date = 0;
  bool deleted = false;
  std::string kind;        // see MessageView::kind
  std::string parse_mode;  // as sent by the bot
  Json forward;            // forward_origin + legacy fields, spliced in order (object or null)
  Json reply_to;           // the replied message (rendered, without its own reply) or null
  std::string media_group_id;
  std::string text;
  Json entities = Json::array();
  std::string media_key;  // "photo", "document", … (empty for text and service messages)
  Json media;             // the value under media_key
  Json media_extra;       // extra keys spliced after the media (the animation's `document`)
  std::string caption;
  Json caption_entities = Json::array();
  bool has_media_spoiler = false;
  Json service;                       // e.g. {"successful_payment": {...}} spliced in order
  Json reply_markup;                  // as sent; null when none
  std::vector<std::string> file_ids;  // files shown by this message (main file first)
};

struct ChatState {
  std::int64_t id = 0;
  std::string type = "private";  // private | group
  std::string title;             // groups
  std::int64_t next_message_id = 1;
  std::map<std::int64_t, StoredMessage> messages;
};

struct WebhookConfig {
  std::string url;
  std::string secret_token;
  int max_connections = 40;
  bool has_custom_certificate = false;
  std::string ip_address;
  std::int64_t last_error_date = 0;
  std::string last_error_message;
  std::int64_t last_set_ms = std::numeric_limits<std::int64_t>::min() / 2;
};

struct FaultRule {
  std::string method;  // lower case, or "*"
  std::optional<InjectedError> error;
  std::chrono::milliseconds delay{0};
  int remaining = 1;
};

struct World {
  explicit World(const std::string& token, RateLimits limits) : files(token), flood(limits) {}

  std::map<std::int64_t, User> users;
  std::int64_t next_user_id = 5550001001;
  std::set<std::int64_t> blocked;
  std::map<std::int64_t, ChatState> chats;
  FileStore files;
  UpdateQueue updates;
  std::vector<Json> update_log;  // every update produced
  WebhookConfig webhook;
  FloodControl flood;
  std::vector<ReceivedCall> calls;
  std::vector<std::uint64_t> call_ids;  // parallel to `calls`, to complete a call's entry
  std::uint64_t last_call_id = 0;
  std::vector<CallbackRecord> callbacks;
  std::vector<InvoiceRecord> invoices;
  std::vector<PaymentRecord> payments;
  std::vector<DeliveryAttempt> deliveries;
  std::map<std::string, Json> commands;  // by language code ("" = default)
  std::deque<FaultRule> faults;
  double random_flood_share = 0;  // FakeTelegram::set_random_flood
  int random_flood_retry_after = 1;
  std::size_t random_floods = 0;
  // Per chat: the clock time before which a message send ignores an answered retry_after.
  std::map<std::int64_t, std::int64_t> retry_after_until;
  std::size_t early_retries = 0;
  std::deque<ChatEvent> events;  // produced under the lock, dispatched outside it
  std::uint64_t random_state = 0x9E3779B97F4A7C15ULL;
  std::uint64_t next_id_counter = 1;  // media groups, callback ids, charge ids

  std::uint64_t next_random();
};

}  // namespace kb::sandbox::tg
