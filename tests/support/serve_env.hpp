// The environment of `kiebot serve` in webhook mode against the in-process fakes, for the tests
// and benchmarks that run the real binary (they add or override their own tuning).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace kb::sandbox {
class FakeKie;
namespace tg {
class FakeTelegram;
}
}  // namespace kb::sandbox

namespace kb::test {

// SQLite in `data_dir`, the webhook at http://127.0.0.1:<port> with `webhook_secret`, the
// provider at `kie` (none when null), warnings and errors logged.
std::map<std::string, std::string> serve_env(const sandbox::tg::FakeTelegram& telegram,
                                             const sandbox::FakeKie* kie, std::uint16_t port,
                                             const std::filesystem::path& data_dir,
                                             const std::string& webhook_secret);

}  // namespace kb::test
