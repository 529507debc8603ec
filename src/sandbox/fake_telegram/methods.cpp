// The method table: canonical names, lookup by lower-case name.
#include "sandbox/fake_telegram/methods.hpp"

#include <map>

namespace kb::sandbox::tg {
namespace {

std::map<std::string, MethodSpec, std::less<>> build_table() {
  std::map<std::string, MethodSpec, std::less<>> table;
  for (auto group :
       {core_methods(), update_methods(), message_methods(), media_methods(), payment_methods()}) {
    for (const auto& spec : group) table.emplace(ascii_lower(spec.name), spec);
  }
  return table;
}

}  // namespace

const MethodSpec* find_method(std::string_view lower_name) {
  static const auto table = build_table();
  auto it = table.find(lower_name);
  return it == table.end() ? nullptr : &it->second;
}

}  // namespace kb::sandbox::tg
