// User-facing texts from operator-editable locale files (ru default, en), with {placeholders}.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace kb::bot {

enum class Lang { ru, en };
std::string_view lang_code(Lang lang);
// Telegram's language_code ("en", "en-US", "ru", "uk"…) → the closest supported language.
Lang lang_from_code(std::string_view code);

using TextParams = std::vector<std::pair<std::string, std::string>>;

class Texts {
 public:
  // Parses two YAML documents (nested maps are flattened to dotted keys). A broken file is an
  // error; keys missing from `en` fall back to `ru` at lookup time.
  static Result<Texts> parse(std::string_view ru_yaml, std::string_view en_yaml);

  struct Document {
    Lang lang;
    std::string name;  // for error messages, e.g. "ru/jobs.yaml"
    std::string_view yaml;
  };
  // Several files per language (one per feature); the same key in two files is an error.
  static Result<Texts> parse(const std::vector<Document>& documents);
  // The shipped locales (embedded `locales/<lang>/*.yaml`), or the files of `dir` when not empty.
  static Result<Texts> load(const std::string& dir);

  // Never fails: a key missing in the language falls back to ru with one WARN per key; a key missing
  // everywhere yields the key itself (and one WARN). {brand} and {support} come from `set_globals`.
  std::string get(Lang lang, std::string_view key, const TextParams& params = {}) const;
  bool has(Lang lang, std::string_view key) const;

  void set_globals(TextParams globals) { globals_ = std::move(globals); }
  // Every (language, key, text), for checks such as "no text mentions the provider".
  std::vector<std::tuple<Lang, std::string, std::string>> all() const;
  // Keys present in ru but missing in en.
  std::vector<std::string> missing_in_en() const;

 private:
  std::map<std::string, std::string, std::less<>> ru_, en_;
  TextParams globals_;
  struct WarnState {
    std::mutex mutex;
    std::set<std::string, std::less<>> warned;
  };
  std::shared_ptr<WarnState> warn_ = std::make_shared<WarnState>();
};

// Replaces {name} placeholders; unknown placeholders are left as they are.
std::string substitute(std::string_view text, const TextParams& params);

}  // namespace kb::bot
