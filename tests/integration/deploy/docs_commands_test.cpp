// Every `kiebot …` command shown in a code block of README.md or docs/operations.md exists: each is
// run with --help on the real binary, and the help must be the help of that very subcommand.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/child_process.hpp"
#include "shell_run.hpp"

namespace kb::deploy::test {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool is_kiebot(const std::string& token) {
  auto slash = token.rfind('/');
  return (slash == std::string::npos ? token : token.substr(slash + 1)) == "kiebot";
}

// The subcommand words after each `kiebot` (or `…/kiebot`) token in fenced code blocks: words
// made of [a-z-] that do not start with '-', up to the first option, argument, comment or
// operator, or a gap of two spaces. `docker exec kiebot kiebot x` counts once, for the second
// token.
std::set<std::string> commands_in(const std::string& markdown) {
  std::set<std::string> found;
  std::istringstream lines(markdown);
  std::string line;
  bool in_code = false;
  static const std::regex word("[a-z][a-z-]*");
  static const std::regex gap("(\\S)\\s{2,}.*");
  while (std::getline(lines, line)) {
    auto first = line.find_first_not_of(' ');
    if (first != std::string::npos && line.compare(first, 3, "```") == 0) {
      in_code = !in_code;
      continue;
    }
    if (!in_code) continue;
    // A gap of two or more spaces starts a description column ("kiebot migrate   apply …").
    line = std::regex_replace(line, gap, "$1");
    std::istringstream tokens(line);
    std::vector<std::string> t{std::istream_iterator<std::string>(tokens), {}};
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (!is_kiebot(t[i]) || (i + 1 < t.size() && is_kiebot(t[i + 1]))) continue;
      std::string command;
      for (std::size_t j = i + 1; j < t.size() && std::regex_match(t[j], word); ++j)
        command += (command.empty() ? "" : " ") + t[j];
      found.insert(command);
    }
  }
  return found;
}

// `kiebot <words> --help` must exit 0 and print the usage of exactly that subcommand (CLI11
// prints the parent's help for an unknown word, so the exit code alone proves nothing).
::testing::AssertionResult help_exists(const std::string& binary, const std::string& command) {
  auto r = shell(shell_quoted(binary) + " " + command + " --help");
  if (r.code != 0)
    return ::testing::AssertionFailure()
           << "`kiebot " << command << " --help` exited " << r.code << ":\n"
           << r.output;
  auto usage = r.output.find("Usage: ");
  auto eol = r.output.find('\n', usage);
  std::string usage_line = usage == std::string::npos ? "" : r.output.substr(usage, eol - usage);
  if (usage_line.find("kiebot " + command + (command.empty() ? "" : " ")) == std::string::npos)
    return ::testing::AssertionFailure()
           << "`kiebot " << command << "` is not a command (help shows: " << usage_line << ")";
  return ::testing::AssertionSuccess();
}

TEST(DocsCommands, EveryKiebotCommandInTheDocsExists) {
  auto binary = store::test::kiebot_binary();
  if (!binary) GTEST_SKIP() << "KIEBOT_BINARY is not set";
  std::set<std::string> commands;
  for (const char* doc : {"/README.md", "/docs/operations.md"}) {
    auto text = read_file(std::string(KIEBOT_SOURCE_DIR) + doc);
    ASSERT_FALSE(text.empty()) << doc << " is missing";
    auto found = commands_in(text);
    commands.insert(found.begin(), found.end());
  }
  // The docs show at least these; a parser that finds nothing would pass vacuously.
  for (const char* expected :
       {"migrate", "ledger verify", "import-legacy", "config", "sandbox", "catalog check"})
    EXPECT_TRUE(commands.contains(expected)) << "`kiebot " << expected << "` not found in the docs";
  for (const auto& command : commands) EXPECT_TRUE(help_exists(*binary, command));
}

TEST(DocsCommands, TheCheckRefusesACommandThatDoesNotExist) {
  auto binary = store::test::kiebot_binary();
  if (!binary) GTEST_SKIP() << "KIEBOT_BINARY is not set";
  EXPECT_EQ(commands_in("```sh\nbuild/release/kiebot ledger fix --all  # no\n```\n"),
            (std::set<std::string>{"ledger fix"}));
  EXPECT_FALSE(help_exists(*binary, "ledger fix"));
  EXPECT_FALSE(help_exists(*binary, "no-such-command"));
  EXPECT_TRUE(help_exists(*binary, "ledger verify"));
}

}  // namespace
}  // namespace kb::deploy::test
