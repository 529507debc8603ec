// The runtime image provides every shared library kiebot needs: each library `ldd` resolves for
// the binary belongs (dpkg -S) to a package the Dockerfile's runtime stage installs, or to one
// of their dependencies (which apt installs with them).
#include <gtest/gtest.h>

#include <fstream>
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

// The packages of the `apt-get install` in the stage that starts at `FROM debian:12-slim`.
std::set<std::string> runtime_packages(std::string dockerfile) {
  dockerfile = std::regex_replace(dockerfile, std::regex("\\\\\n"), " ");
  auto stage = dockerfile.find("FROM debian:12-slim");
  if (stage == std::string::npos) return {};
  std::istringstream lines(dockerfile.substr(stage));
  std::string line;
  std::set<std::string> packages;
  while (std::getline(lines, line)) {
    auto at = line.find("apt-get install");
    if (at == std::string::npos) continue;
    std::istringstream tokens(line.substr(at + 15));
    std::string t;
    while (tokens >> t && t != "&&") {
      if (!t.starts_with("-")) packages.insert(t);
    }
  }
  return packages;
}

std::string strip_arch(std::string package) {
  auto colon = package.find(':');
  return colon == std::string::npos ? package : package.substr(0, colon);
}

// The package that owns a file; merged /usr means dpkg may know it under the other prefix.
std::string owner_of(const std::string& path) {
  std::vector<std::string> candidates{path};
  if (path.starts_with("/usr/"))
    candidates.push_back(path.substr(4));
  else
    candidates.push_back("/usr" + path);
  auto real = shell("realpath " + shell_quoted(path));
  if (real.code == 0) candidates.push_back(real.output.substr(0, real.output.find('\n')));
  for (const auto& p : candidates) {
    auto r = shell("dpkg -S " + shell_quoted(p));
    if (r.code == 0) return strip_arch(r.output.substr(0, r.output.find(": ")));
  }
  return "";
}

// The installed packages reachable through Depends / Pre-Depends from `roots`.
std::set<std::string> dependency_closure(const std::set<std::string>& roots) {
  std::set<std::string> seen;
  std::vector<std::string> todo(roots.begin(), roots.end());
  while (!todo.empty()) {
    auto p = todo.back();
    todo.pop_back();
    if (!seen.insert(p).second) continue;
    auto r = shell("dpkg-query -W -f='${Depends},${Pre-Depends}' " + shell_quoted(p));
    if (r.code != 0) continue;  // not installed here: its own name still counts
    std::istringstream items(r.output);
    std::string item;
    while (std::getline(items, item, ',')) {
      std::istringstream alternatives(item);
      std::string alt;
      while (std::getline(alternatives, alt, '|')) {
        std::istringstream name_only(alt);
        std::string name;
        name_only >> name;
        name = strip_arch(name);
        if (!name.empty()) todo.push_back(name);
      }
    }
  }
  return seen;
}

TEST(RuntimeLibraries, TheDockerfileRuntimeStageInstallsOnlyRuntimePackages) {
  auto packages =
      runtime_packages(read_file(std::string(KIEBOT_SOURCE_DIR) + "/deploy/Dockerfile"));
  ASSERT_FALSE(packages.empty()) << "no apt-get install found after FROM debian:12-slim";
  for (const auto& p : packages) {
    EXPECT_FALSE(p.ends_with("-dev")) << p << " is a development package";
    EXPECT_NE(p, "g++");
  }
}

TEST(RuntimeLibraries, EveryLibraryLddResolvesComesFromARuntimePackage) {
  auto binary = store::test::kiebot_binary();
  if (!binary) GTEST_SKIP() << "KIEBOT_BINARY is not set";
  if (shell("command -v dpkg").code != 0) GTEST_SKIP() << "not a Debian system (no dpkg)";
  auto installed =
      runtime_packages(read_file(std::string(KIEBOT_SOURCE_DIR) + "/deploy/Dockerfile"));
  ASSERT_FALSE(installed.empty());
  auto provided = dependency_closure(installed);

  auto ldd = shell("ldd " + shell_quoted(*binary));
  ASSERT_EQ(ldd.code, 0) << ldd.output;
  ASSERT_EQ(ldd.output.find("not found"), std::string::npos) << ldd.output;
  // "libx.so.1 => /path/libx.so.1 (0x…)" or "/lib64/ld-linux-x86-64.so.2 (0x…)"; the vDSO has no
  // file.
  static const std::regex resolved(R"((?:=>\s*)?(/\S+)\s+\(0x)");
  int libraries = 0;
  std::istringstream lines(ldd.output);
  std::string line;
  while (std::getline(lines, line)) {
    std::smatch m;
    if (!std::regex_search(line, m, resolved)) continue;
    ++libraries;
    auto package = owner_of(m[1]);
    ASSERT_FALSE(package.empty()) << m[1] << " belongs to no Debian package";
    EXPECT_TRUE(provided.contains(package))
        << m[1] << " comes from " << package
        << ", which the Dockerfile's runtime stage does not install (add it to its apt-get line)";
  }
  EXPECT_GE(libraries, 5) << ldd.output;  // libc, libstdc++, curl, sqlite, pqxx at least
}

}  // namespace
}  // namespace kb::deploy::test
