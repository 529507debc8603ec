// The shared part of the environment of `kiebot serve` against the fakes.
#include "support/serve_env.hpp"

#include <fmt/format.h>

#include "sandbox/fake_kie/fake_kie.hpp"
#include "sandbox/fake_telegram/fake_telegram.hpp"

namespace kb::test {

std::map<std::string, std::string> serve_env(const sandbox::tg::FakeTelegram& telegram,
                                             const sandbox::FakeKie* kie, std::uint16_t port,
                                             const std::filesystem::path& data_dir,
                                             const std::string& webhook_secret) {
  std::map<std::string, std::string> env{
      {"PORT", std::to_string(port)},
      {"BIND_ADDRESS", "127.0.0.1"},
      {"DATA_DIR", data_dir.string()},
      {"TELEGRAM_BOT_TOKEN", telegram.token()},
      {"TELEGRAM_API_URL", telegram.api_url()},
      {"TELEGRAM_WEBHOOK_SECRET_TOKEN", webhook_secret},
      {"WEBHOOK_BASE_URL", fmt::format("http://127.0.0.1:{}", port)},
      {"BOT_MODE", "webhook"},
      {"SHUTDOWN_GRACE_MS", "3000"},
      {"LOG_LEVEL", "warn"},
      {"PATH", "/usr/bin:/bin"}};
  if (kie) {
    env["KIE_API_KEY"] = sandbox::FakeKieOptions{}.api_key;
    env["KIE_BASE_URL"] = kie->base_url();
    env["KIE_UPLOAD_BASE_URL"] = kie->base_url();
  }
  return env;
}

}  // namespace kb::test
