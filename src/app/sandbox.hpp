// `kiebot sandbox`: the real bot (the same Application as `serve`) against the built-in fake Bot
// API and fake provider on loopback, with a web chat to drive it in a browser.
#pragma once

#include <vector>

#include "app/config.hpp"

namespace kb::app {

// The environment the sandbox runs with: the variables it defaults differently from `serve`
// (BIND_ADDRESS 127.0.0.1, faster progress edits, SQLite with synchronous=normal) when unset.
Environment sandbox_environment(Environment env);

// The simulated users the sandbox starts with (first name, language); the last is the admin
// unless ADMIN_IDS names someone.
struct SandboxPerson {
  const char* first_name;
  const char* language_code;
};
const std::vector<SandboxPerson>& sandbox_people();

// Runs until SIGINT/SIGTERM; prints the page's URL on stdout once everything listens.
int run_sandbox(const Environment& env);

}  // namespace kb::app
