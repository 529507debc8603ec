// The method table of the fake Bot API: one entry per supported method, split by area.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "sandbox/fake_telegram/impl.hpp"

namespace kb::sandbox::tg {

using Impl = FakeTelegram::Impl;
// Runs with impl.mu held; must not block.
using SyncMethod = Outcome (*)(Impl&, const ApiParams&);
// Takes impl.mu itself when needed (downloads, long polls).
using AsyncMethod = Task<Outcome> (*)(Impl&, const ApiParams&);

enum class FloodClass { none, message, edit };

struct MethodSpec {
  std::string_view name;  // canonical spelling
  SyncMethod sync = nullptr;
  AsyncMethod async = nullptr;
  FloodClass flood = FloodClass::none;
};

std::vector<MethodSpec> core_methods();     // getMe, commands, chat actions, logOut, close
std::vector<MethodSpec> update_methods();   // getUpdates, webhooks
std::vector<MethodSpec> message_methods();  // sendMessage, edits, deletes, callback answers
std::vector<MethodSpec> media_methods();    // send<Media>, sendMediaGroup, getFile
std::vector<MethodSpec> payment_methods();  // invoices, pre-checkout, refunds, transactions

const MethodSpec* find_method(std::string_view lower_name);

}  // namespace kb::sandbox::tg
