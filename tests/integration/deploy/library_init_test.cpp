// Libraries kiebot loads but does not use are not initialised: GnuTLS, there only as librtmp's
// dependency, asks the executable's `_gnutls_global_init_skip` (app/main.cpp) and skips its set-up.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "shell_run.hpp"
#include "support/child_process.hpp"

namespace kb::deploy::test {
namespace {

TEST(LibraryInit, GnuTlsFindsTheExecutablesHookThatSkipsItsInitialisation) {
  auto binary = store::test::kiebot_binary();
  if (!binary) GTEST_SKIP() << "KIEBOT_BINARY is not set";
  // ld.so reports every symbol lookup it resolves (on stderr, which the group sends down the pipe;
  // the help text is dropped); only GnuTLS's lines are kept.
  auto run = shell("{ LD_DEBUG=bindings " + shell_quoted(*binary) +
                   " --help 2>&1 >/dev/null; } | grep gnutls");
  if (run.output.find("libgnutls") == std::string::npos)
    GTEST_SKIP() << "this libcurl does not load GnuTLS";
  static const std::regex lookup(
      R"(binding file \S*libgnutls\S* \[\d+\] to (\S+) \[\d+\]: normal symbol `_gnutls_global_init_skip')");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(run.output, m, lookup)) << "GnuTLS never asked for the hook";
  EXPECT_EQ(std::string(m[1]).find("libgnutls"), std::string::npos)
      << "the hook resolved to GnuTLS's own default (" << m[1]
      << "), so GnuTLS initialises itself: is _gnutls_global_init_skip exported by kiebot?";
}

}  // namespace
}  // namespace kb::deploy::test
