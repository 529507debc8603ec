// Catalog lookups, the slug rule, admin overrides and the reloadable holder.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "catalog/holder.hpp"
#include "catalog/overrides.hpp"
#include "catalog_fixture.hpp"

namespace kb::catalog::test {
namespace {

const Catalog& shipped() {
  static const Catalog catalog = [] {
    auto r = load_catalog({});
    EXPECT_TRUE(r.ok());
    for (const auto& e : r.errors) ADD_FAILURE() << e;
    return r.ok() ? *r.catalog : Catalog{};
  }();
  return catalog;
}

std::vector<std::string> ids(const std::vector<const Model*>& models) {
  std::vector<std::string> out;
  for (const auto* m : models) out.push_back(m->id);
  return out;
}

TEST(SlugFor, LowerCasesAndReplacesEverythingOutsideTheAlphabet) {
  EXPECT_EQ(slug_for("seedream/4.5-edit"), "seedream-4-5-edit");
  EXPECT_EQ(slug_for("google/nano-banana-edit"), "google-nano-banana-edit");
  EXPECT_EQ(slug_for("Kling-2.6/Text_To_Video"), "kling-2-6-text-to-video");
  EXPECT_EQ(slug_for("z-image"), "z-image");
}

TEST(ShippedCatalog, HasThe42ModelsAndTheyPassValidation) {
  EXPECT_EQ(shipped().models.size(), 42u);
  EXPECT_EQ(shipped().version, 1);
}

TEST(ShippedCatalog, FindsByIdAndBySlug) {
  const Model* m = shipped().find("seedream/4.5-edit");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->slug, "seedream-4-5-edit");
  EXPECT_EQ(shipped().find_by_slug("seedream-4-5-edit"), m);
  EXPECT_EQ(shipped().find("no/such-model"), nullptr);
  EXPECT_EQ(shipped().find_by_slug("seedream/4.5-edit"), nullptr);
}

TEST(ShippedCatalog, ByFormatListsEnabledModelsInFileOrder) {
  auto tools = ids(shipped().by_format(Format::tools));
  // grok-imagine/upscale is in the file but disabled.
  EXPECT_EQ(std::find(tools.begin(), tools.end(), "grok-imagine/upscale"), tools.end());
  EXPECT_EQ(tools.front(), "recraft/remove-background");
  std::size_t total = 0;
  for (auto f : {Format::image, Format::video, Format::audio, Format::tools})
    total += shipped().by_format(f).size();
  EXPECT_EQ(total, shipped().enabled_count());
  EXPECT_EQ(shipped().enabled_count(), 41u);
}

TEST(ShippedCatalog, PopularIsOrderedByPopularity) {
  auto popular = shipped().popular();
  ASSERT_GE(popular.size(), 3u);
  EXPECT_EQ(popular[0]->id, "z-image");
  EXPECT_EQ(popular[1]->id, "google/imagen4-fast");
  for (std::size_t i = 1; i < popular.size(); ++i)
    EXPECT_LT(*popular[i - 1]->popularity, *popular[i]->popularity);
}

TEST(ShippedCatalog, FreeModels) {
  EXPECT_EQ(ids(shipped().free_models()),
            (std::vector<std::string>{"z-image", "google/imagen4-fast", "google/imagen4",
                                      "google/nano-banana", "recraft/remove-background"}));
}

TEST(ShippedCatalog, EverySlugFitsADeepLink) {
  for (const auto& m : shipped().models) EXPECT_LE(("m-" + m.slug).size(), 64u) << m.id;
}

TEST(ApplyOverrides, EnablesDisablesAndChangesTheFreeTierWithoutTouchingTheOriginal) {
  std::vector<ModelOverride> overrides{
      {"grok-imagine/upscale", true, std::nullopt},
      {"z-image", false, false},
      {"google/imagen4-ultra", std::nullopt, true},
      {"removed/model", false, std::nullopt},
  };
  Catalog c = apply_overrides(shipped(), overrides);
  EXPECT_TRUE(c.find("grok-imagine/upscale")->enabled);
  EXPECT_FALSE(c.find("z-image")->enabled);
  EXPECT_FALSE(c.find("z-image")->free);
  EXPECT_TRUE(c.find("google/imagen4-ultra")->free);
  EXPECT_TRUE(c.find("google/imagen4-ultra")->enabled);
  EXPECT_EQ(c.models.size(), shipped().models.size());
  EXPECT_TRUE(shipped().find("z-image")->enabled);  // pure: the input is unchanged
  auto free = ids(c.free_models());
  EXPECT_EQ(std::find(free.begin(), free.end(), "z-image"), free.end());
}

// A catalog file of its own per test (ctest runs tests in parallel processes).
class TempFile {
 public:
  explicit TempFile(std::string_view content) {
    static std::atomic<int> counter{0};
    path_ =
        std::filesystem::temp_directory_path() / ("kiebot-catalog-" + std::to_string(::getpid()) +
                                                  "-" + std::to_string(++counter) + ".yaml");
    write(content);
  }
  ~TempFile() { std::filesystem::remove(path_); }
  void write(std::string_view content) { std::ofstream(path_, std::ios::binary) << content; }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

TEST(CatalogHolder, ReloadSwapsInAGoodFileAndKeepsTheRunningCatalogOnABadOne) {
  TempFile file(kMinimalCatalog);
  CatalogSource source{file.path(), {}};
  auto first = load_catalog(source);
  ASSERT_TRUE(first.ok());
  CatalogHolder holder(first.catalog);
  auto before = holder.get();
  EXPECT_EQ(before->models.size(), 1u);

  file.write(with_model(kMinimalCatalog, kVideoModel));
  EXPECT_TRUE(holder.reload(source));
  EXPECT_EQ(holder.get()->models.size(), 2u);
  EXPECT_EQ(before->models.size(), 1u);  // a reader's snapshot never changes under it

  file.write(replaced(kMinimalCatalog, "default: \"1:1\"", "default: \"2:1\""));
  EXPECT_FALSE(holder.reload(source));
  EXPECT_EQ(holder.get()->models.size(), 2u);
}

TEST(CatalogHolder, OverridesSurviveAReload) {
  TempFile file(kMinimalCatalog);
  CatalogSource source{file.path(), {}};
  CatalogHolder holder(load_catalog(source).catalog);
  holder.set_overrides({{"test/image-model", false, std::nullopt}});
  EXPECT_FALSE(holder.get()->find("test/image-model")->enabled);
  EXPECT_TRUE(holder.from_file()->find("test/image-model")->enabled);
  file.write(with_model(kMinimalCatalog, kVideoModel));
  ASSERT_TRUE(holder.reload(source));
  EXPECT_FALSE(holder.get()->find("test/image-model")->enabled);
  EXPECT_TRUE(holder.get()->find("test/video-model")->enabled);
}

TEST(CatalogHolder, ConcurrentReadersAlwaysSeeACompleteCatalog) {
  auto one = std::make_shared<const Catalog>(parse_ok(kMinimalCatalog));
  auto two = std::make_shared<const Catalog>(parse_ok(with_model(kMinimalCatalog, kVideoModel)));
  CatalogHolder holder(one);
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::thread reader([&] {
    while (!stop) {
      auto c = holder.get();
      if (c->models.size() != 1 && c->models.size() != 2) ++bad;
    }
  });
  for (int i = 0; i < 2000; ++i) holder.set_file_catalog(i % 2 ? one : two);
  stop = true;
  reader.join();
  EXPECT_EQ(bad, 0);
}

}  // namespace
}  // namespace kb::catalog::test
