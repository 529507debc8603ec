// The real binary: `kiebot catalog check` on the shipped and on broken catalogs, `serve` refusing
// an invalid catalog, and SIGHUP reloading the catalog of a running server.
#include <signal.h>

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
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using Env = std::map<std::string, std::string>;

std::string binary() { return kb::store::test::kiebot_binary().value_or(""); }

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

// Writes `content` to <dir>/<name> (replacing it) and returns the path.
fs::path write_file(const kb::test::TempDir& dir, std::string_view name, std::string_view content) {
  fs::path p = dir.path() / name;
  std::ofstream(p, std::ios::binary) << content;
  return p;
}

struct Outcome {
  int status;
  std::string output;
};

Outcome run_kiebot(std::vector<std::string> args, Env env = {}) {
  args.insert(args.begin(), binary());
  kb::store::test::ChildProcess child(args, env);
  auto status = child.wait(std::chrono::seconds(60));
  return {status.value_or(-1), child.output()};
}

class CatalogCli : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(binary().empty()) << "KIEBOT_BINARY is not set"; }
  kb::test::TempDir dir_{"kiebot-catalog-cli-"};
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
  fs::path file = write_file(dir_, "broken.yaml", yaml);
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
      write_file(dir_, "env.yaml", replace_first(shipped_catalog(), "version: 1", "version: 7"));
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

Env serve_env(const kb::test::TempDir& dir, const fs::path& catalog) {
  return {{"CATALOG_PATH", catalog.string()},
          {"PORT", std::to_string(kb::store::test::free_tcp_port())},
          {"BIND_ADDRESS", "127.0.0.1"},
          {"DATA_DIR", (dir.path() / "data").string()},
          {"SHUTDOWN_GRACE_MS", "1000"}};
}

TEST_F(CatalogCli, ServeRefusesToStartWithAnInvalidCatalog) {
  fs::path file = write_file(dir_, 
      "bad.yaml", replace_first(shipped_catalog(), "default: \"1:1\"", "default: \"2:1\""));
  kb::store::test::ChildProcess child({binary(), "serve"}, serve_env(dir_, file));
  EXPECT_EQ(child.wait(std::chrono::seconds(20)).value_or(-1), 1) << child.output();
  // One ERROR line naming the file, the first problem and the command that lists them all.
  EXPECT_NE(child.output().find(" ERROR start_failed "), std::string::npos) << child.output();
  EXPECT_NE(child.output().find("bad.yaml is invalid"), std::string::npos) << child.output();
  EXPECT_NE(child.output().find("kiebot catalog check"), std::string::npos) << child.output();
  EXPECT_NE(child.output().find("default \\\"2:1\\\" is not one of the values"), std::string::npos)
      << child.output();
}

TEST_F(CatalogCli, SighupReloadsTheCatalogAndABadFileKeepsTheServerRunning) {
  fs::path file = write_file(dir_, "live.yaml", shipped_catalog());
  kb::store::test::ChildProcess child({binary(), "serve"}, serve_env(dir_, file));
  ASSERT_TRUE(child.wait_for_output(" INFO listening ")) << child.output();

  std::size_t mark = child.output().size();
  child.signal(SIGHUP);
  ASSERT_TRUE(child.wait_for_output(" INFO catalog_reloaded ", mark)) << child.output();
  EXPECT_TRUE(child.running());

  write_file(dir_, "live.yaml", replace_first(shipped_catalog(), "default: \"1:1\"", "default: \"2:1\""));
  mark = child.output().size();
  child.signal(SIGHUP);
  ASSERT_TRUE(child.wait_for_output(" WARN catalog_reload_rejected ", mark)) << child.output();
  EXPECT_TRUE(child.running());

  child.signal(SIGTERM);
  EXPECT_EQ(child.wait(std::chrono::seconds(20)).value_or(-1), 0) << child.output();
}

}  // namespace
