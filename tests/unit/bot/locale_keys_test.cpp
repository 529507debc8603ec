// The shipped locale files: every key the conversation uses exists in ru and en, and no text
// names the provider (operators resell; PRODUCT.md §1.6).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "bot/i18n.hpp"
#include "catalog/input_check.hpp"
#include "catalog/model.hpp"
#include "domain/job_state.hpp"
#include "store/repos/ledger.hpp"
#include "telegram/media.hpp"

namespace kb::bot {
namespace {

const Texts& shipped() {
  static Texts texts = *Texts::load("");
  return texts;
}

void expect_key(const std::string& key) {
  EXPECT_TRUE(shipped().has(Lang::ru, key)) << "ru is missing " << key;
  EXPECT_TRUE(shipped().has(Lang::en, key)) << "en is missing " << key;
}

TEST(Locales, NoTextNamesTheProvider) {
  for (const auto& [lang, key, text] : shipped().all()) {
    std::string low = text;
    std::transform(low.begin(), low.end(), low.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    EXPECT_EQ(low.find("kie"), std::string::npos) << lang_code(lang) << " " << key << ": " << text;
  }
}

TEST(Locales, EnglishHasEveryRussianKey) {
  EXPECT_EQ(shipped().missing_in_en(), std::vector<std::string>{});
}

// Every literal "a.b" / "a.b.c" key in src/bot/** (found from this file's path) exists.
TEST(Locales, EveryKeyUsedInTheConversationCodeExists) {
  namespace fs = std::filesystem;
  auto root = fs::path(__FILE__).parent_path().parent_path().parent_path().parent_path();
  auto dir = root / "src" / "bot";
  ASSERT_TRUE(fs::exists(dir)) << dir;
  std::regex literal(
      R"re("((?:menu|models|card|wizard|confirm|balance|history|referral|help|settings|errors|button|job|payments|admin)\.[a-z_.]+[a-z_])")re");
  std::set<std::string> keys;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.path().extension() != ".cpp" && entry.path().extension() != ".hpp") continue;
    std::ifstream in(entry.path());
    std::stringstream ss;
    ss << in.rdbuf();
    auto text = ss.str();
    for (auto it = std::sregex_iterator(text.begin(), text.end(), literal);
         it != std::sregex_iterator(); ++it) {
      auto key = (*it)[1].str();
      if (key.back() == '.' || key.back() == '_')
        continue;  // a prefix completed at run time (below)
      keys.insert(key);
    }
  }
  EXPECT_GT(keys.size(), 60u);
  for (const auto& key : keys) expect_key(key);
}

// Keys built at run time from a prefix and a code.
TEST(Locales, EveryKeyBuiltFromACodeExists) {
  using E = catalog::InputErrorCode;
  for (auto code : {E::empty, E::too_short, E::too_long, E::not_a_number, E::not_an_integer,
                    E::out_of_range, E::not_one_of, E::not_a_boolean, E::not_a_link,
                    E::too_few_files, E::too_many_files, E::wrong_kind})
    expect_key("errors.input." + std::string(catalog::input_error_code_name(code)));
  using R = telegram::RejectReason;
  for (auto r : {R::wrong_kind, R::too_big, R::sticker, R::text_without_link, R::invalid_link,
                 R::album_not_allowed, R::no_media})
    expect_key("errors.media." + std::string(telegram::reject_reason_name(r)));
  using C = telegram::MediaCategory;
  for (auto c : {C::image, C::video, C::audio})
    expect_key("errors.media.expect." + std::string(telegram::media_category_name(c)));
  for (int k = 0;; ++k) {
    auto kind = static_cast<store::LedgerKind>(k);
    auto name = std::string(store::ledger_kind_name(kind));
    if (!store::parse_ledger_kind(name) || static_cast<int>(*store::parse_ledger_kind(name)) != k)
      break;
    expect_key("balance.kind." + name);
  }
  using S = domain::JobState;
  for (auto s : {S::created, S::submitting, S::create_unknown, S::submitted, S::succeeded,
                 S::delivered, S::failed, S::expired, S::cancelled})
    expect_key("history.state." + std::string(domain::to_string(s)));
  for (auto f : {catalog::Format::image, catalog::Format::video, catalog::Format::audio,
                 catalog::Format::tools})
    expect_key("models.title_format_" + std::string(catalog::format_name(f)));
  for (auto key : {"models.title_popular", "models.title_free", "errors.input.out_of_range_min",
                   "errors.input.out_of_range_max", "wizard.ask.media_image",
                   "wizard.ask.media_video", "wizard.ask.media_audio"})
    expect_key(key);
}

}  // namespace
}  // namespace kb::bot
