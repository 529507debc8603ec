// The real binary: `kiebot catalog check` on the shipped and on broken catalogs, `serve` refusing
// an invalid catalog, and SIGHUP reloading the catalog of a running server.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/child_process.hpp"

namespace {

namespace fs = std::filesystem;
using Env = std::map<std::string, std::string>;

std::string binary() {
  const char* b = std::getenv("KIEBOT_BINARY");
  return b ? b : "";
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string shipped_catalog() {
  return read_file(fs::path(KIEBOT_SOURCE_DIR) / "data/catalog.yaml");
}

std::string replace_first(std::string text, std::string_view from, std::string_view to) {
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "kiebot-catalog-cli-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  fs::path file(std::string_view name, std::string_view content) const {
    fs::path p = path_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// A child process with a clean environment; stdout and stderr merged into one pipe.
class Child {
 public:
  Child(const std::vector<std::string>& args, const Env& env) {
    int fds[2];
    EXPECT_EQ(::pipe(fds), 0);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], 1);
      ::dup2(fds[1], 2);
      ::close(fds[0]);
      ::close(fds[1]);
      std::vector<std::string> env_strings;
      for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
      std::vector<char*> envp, argv;
      for (auto& s : env_strings) envp.push_back(s.data());
      envp.push_back(nullptr);
      std::vector<std::string> owned = args;
      for (auto& s : owned) argv.push_back(s.data());
      argv.push_back(nullptr);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    out_ = fds[0];
  }
  ~Child() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) ::close(out_);
  }

  // Reads output until `needle` appears after `from` (an offset into output()), or the deadline.
  bool wait_for(std::string_view needle, std::size_t from = 0,
                std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (output_.find(needle, from) == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !read_some(static_cast<int>(left.count()))) return false;
    }
    return true;
  }

  // Waits for the exit and returns the exit status (reading the rest of the output).
  int wait_exit() {
    while (read_some(20'000)) {
    }
    int status = 0;
    ::waitpid(pid_, &status, 0);
    exited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  bool alive() {
    if (exited_) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      return false;
    }
    return true;
  }

  void signal(int sig) { ::kill(pid_, sig); }
  const std::string& output() const { return output_; }

 private:
  bool read_some(int timeout_ms) {
    pollfd p{out_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return false;
    char buf[4096];
    auto n = ::read(out_, buf, sizeof buf);
    if (n <= 0) return false;
    output_.append(buf, static_cast<std::size_t>(n));
    return true;
  }

  pid_t pid_ = -1;
  int out_ = -1;
  bool exited_ = false;
  std::string output_;
};

struct Outcome {
  int status;
  std::string output;
};

Outcome run_kiebot(std::vector<std::string> args, Env env = {}) {
  args.insert(args.begin(), binary());
  Child child(args, env);
  int status = child.wait_exit();
  return {status, child.output()};
}

class CatalogCli : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(binary().empty()) << "KIEBOT_BINARY is not set"; }
  TempDir dir_;
};

TEST_F(CatalogCli, TheShippedCatalogPasses) {
  Outcome r = run_kiebot({"catalog", "check"});
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("catalog OK: the built-in data/catalog.yaml\n"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("models: 42 (enabled 41, free 5, popular "), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("prices: 1 RUB (z-image) to "), std::string::npos) << r.output;
}

TEST_F(CatalogCli, AnExplicitPathToTheSameFilePasses) {
  Outcome r = run_kiebot(
      {"catalog", "check", (fs::path(KIEBOT_SOURCE_DIR) / "data/catalog.yaml").string()});
  EXPECT_EQ(r.status, 0) << r.output;
}

TEST_F(CatalogCli, ABrokenCopyFailsWithEveryErrorListed) {
  std::string yaml = shipped_catalog();
  yaml = replace_first(yaml, "default: \"1:1\"", "default: \"2:1\"");  // z-image aspect_ratio
  yaml = replace_first(yaml, "    patience_seconds: 120\n", "    patience_seconds: 900\n");
  yaml = replace_first(yaml, "title: {ru: \"Imagen 4 Fast\", en: \"Imagen 4 Fast\"}",
                       "title: {ru: \"Imagen 4 Fast\"}");
  fs::path file = dir_.file("broken.yaml", yaml);
  Outcome r = run_kiebot({"catalog", "check", file.string()});
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_EQ(r.output,
            "model google/imagen4-fast: title: missing \"en\" translation\n"
            "model z-image: patience_seconds (900) must be less than hard_limit_seconds (900)\n"
            "model z-image: input aspect_ratio: default \"2:1\" is not one of the values\n"
            "catalog check failed: 3 errors in " +
                file.string() + "\n");
}

TEST_F(CatalogCli, CatalogPathFromTheEnvironment) {
  fs::path file =
      dir_.file("env.yaml", replace_first(shipped_catalog(), "version: 1", "version: 7"));
  Outcome r = run_kiebot({"catalog", "check"}, {{"CATALOG_PATH", file.string()}});
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("version: unsupported format version 7 (only 1 exists)\n"),
            std::string::npos)
      << r.output;
}

TEST_F(CatalogCli, PriceOverridesFromTheEnvironment) {
  Outcome r =
      run_kiebot({"catalog", "check"}, {{"PRICE_FX_RUB_PER_USD", "100"}, {"PRICE_MARKUP", "3"}});
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("pricing: 100 RUB per USD, markup 3, rounded up to 1 RUB\n"),
            std::string::npos)
      << r.output;
}

TEST_F(CatalogCli, AMissingFileFails) {
  Outcome r = run_kiebot({"catalog", "check", (dir_.path() / "nope.yaml").string()});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("cannot read "), std::string::npos) << r.output;
}

Env serve_env(const TempDir& dir, const fs::path& catalog) {
  return {{"CATALOG_PATH", catalog.string()},
          {"PORT", std::to_string(kb::store::test::free_tcp_port())},
          {"BIND_ADDRESS", "127.0.0.1"},
          {"DATA_DIR", (dir.path() / "data").string()},
          {"SHUTDOWN_GRACE_MS", "1000"}};
}

TEST_F(CatalogCli, ServeRefusesToStartWithAnInvalidCatalog) {
  fs::path file = dir_.file(
      "bad.yaml", replace_first(shipped_catalog(), "default: \"1:1\"", "default: \"2:1\""));
  Child child({binary(), "serve"}, serve_env(dir_, file));
  EXPECT_EQ(child.wait_exit(), 1) << child.output();
  // One ERROR line naming the file, the first problem and the command that lists them all.
  EXPECT_NE(child.output().find(" ERROR start_failed "), std::string::npos) << child.output();
  EXPECT_NE(child.output().find("bad.yaml is invalid"), std::string::npos) << child.output();
  EXPECT_NE(child.output().find("kiebot catalog check"), std::string::npos) << child.output();
  EXPECT_NE(child.output().find("default \\\"2:1\\\" is not one of the values"), std::string::npos)
      << child.output();
}

TEST_F(CatalogCli, SighupReloadsTheCatalogAndABadFileKeepsTheServerRunning) {
  fs::path file = dir_.file("live.yaml", shipped_catalog());
  Child child({binary(), "serve"}, serve_env(dir_, file));
  ASSERT_TRUE(child.wait_for(" INFO listening ")) << child.output();

  std::size_t mark = child.output().size();
  child.signal(SIGHUP);
  ASSERT_TRUE(child.wait_for(" INFO catalog_reloaded ", mark)) << child.output();
  EXPECT_TRUE(child.alive());

  dir_.file("live.yaml", replace_first(shipped_catalog(), "default: \"1:1\"", "default: \"2:1\""));
  mark = child.output().size();
  child.signal(SIGHUP);
  ASSERT_TRUE(child.wait_for(" WARN catalog_reload_rejected ", mark)) << child.output();
  EXPECT_TRUE(child.alive());

  child.signal(SIGTERM);
  EXPECT_EQ(child.wait_exit(), 0) << child.output();
}

}  // namespace
