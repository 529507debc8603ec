// Golden createTask bodies for every shipped model: sample inputs (all required ones and the first
// two optional ones) → the built payload, compared with tests/golden/payloads/<slug>.json.
// Regenerate with KIEBOT_UPDATE_GOLDEN=1 and review the diff against kie-api.md §8.2.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "catalog/load.hpp"
#include "catalog/payload.hpp"
#include "catalog/pricing.hpp"
#include "catalog/utf8.hpp"

namespace kb::catalog {
namespace {

namespace fs = std::filesystem;

const fs::path kGoldenDir = fs::path(KIEBOT_SOURCE_DIR) / "tests/golden/payloads";

bool updating() {
  const char* v = std::getenv("KIEBOT_UPDATE_GOLDEN");
  return v != nullptr && std::string_view(v) == "1";
}

const Catalog& shipped() {
  static const Catalog catalog = [] {
    auto r = load_catalog({});
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r.catalog : Catalog{};
  }();
  return catalog;
}

std::string_view extension(InputType t) {
  switch (t) {
    case InputType::video:
      return "mp4";
    case InputType::audio:
      return "mp3";
    default:
      return "jpg";
  }
}

// A deterministic sample answer: the last enum value (usually not the default, so `send_as` and the
// price table show), the range's edge for numbers, the opposite of the default for booleans.
InputValue sample_value(const Model& m, const Input& in) {
  switch (in.type) {
    case InputType::text: {
      std::string text = fmt::format("Sample {} for {}", in.name, m.slug);
      if (in.max_length) text = std::string(first_code_points(text, *in.max_length));
      return text;
    }
    case InputType::enumeration:
      return in.values.back();
    case InputType::integer:
      if (in.max) return in.max->units;
      if (in.min) return in.min->units;
      return std::int64_t{1};
    case InputType::number:
      if (in.min) return *in.min;
      return Number::integer(1);
    case InputType::boolean:
      return !(in.default_value && std::get<bool>(*in.default_value));
    case InputType::image:
    case InputType::video:
    case InputType::audio: {
      std::int64_t count =
          in.array ? std::max(in.min_items, std::min<std::int64_t>(2, in.max_items)) : 1;
      MediaUrls urls;
      for (std::int64_t i = 1; i <= count; ++i)
        urls.push_back(fmt::format("https://media.example/{}/{}-{}.{}", m.slug, in.name, i,
                                   extension(in.type)));
      return urls;
    }
  }
  return std::string();
}

InputValues sample_values(const Model& m) {
  InputValues values;
  int optional_filled = 0;
  for (const auto& in : m.inputs) {
    if (in.hidden) continue;
    if (!in.required) {
      if (optional_filled == 2) continue;
      ++optional_filled;
    }
    values.emplace(in.name, sample_value(m, in));
  }
  return values;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(GoldenPayloads, EveryModelMatchesItsGoldenFile) {
  ASSERT_EQ(shipped().models.size(), 42u);
  for (const auto& m : shipped().models) {
    SCOPED_TRACE(m.id);
    InputValues values = sample_values(m);
    auto input = build_payload(m, values);
    ASSERT_TRUE(input.has_value()) << input.error().message;
    auto price = price_of(m, values);
    ASSERT_TRUE(price.has_value()) << price.error().message;
    nlohmann::json body = {{"model", m.id}, {"input", *input}, {"price_kopecks", *price}};
    fs::path file = kGoldenDir / (m.slug + ".json");
    if (updating()) {
      fs::create_directories(kGoldenDir);
      std::ofstream(file, std::ios::binary) << body.dump(2) << "\n";
      continue;
    }
    ASSERT_TRUE(fs::exists(file)) << file << " is missing: run with KIEBOT_UPDATE_GOLDEN=1";
    nlohmann::json golden = nlohmann::json::parse(read_file(file), nullptr, false);
    ASSERT_FALSE(golden.is_discarded()) << file << " is not JSON";
    EXPECT_EQ(body, golden) << "built:\n" << body.dump(2) << "\ngolden:\n" << golden.dump(2);
  }
}

TEST(GoldenPayloads, NoGoldenFileForAModelThatIsGone) {
  if (updating()) GTEST_SKIP() << "regenerating";
  std::set<std::string> slugs;
  for (const auto& m : shipped().models) slugs.insert(m.slug + ".json");
  for (const auto& entry : fs::directory_iterator(kGoldenDir))
    EXPECT_TRUE(slugs.contains(entry.path().filename().string())) << "stale " << entry.path();
}

}  // namespace
}  // namespace kb::catalog
