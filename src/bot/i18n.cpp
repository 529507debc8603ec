// Locale loading, fallback and placeholder substitution.
#include "bot/i18n.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>
#include <fmt/format.h>

#include "core/embedded.hpp"
#include "core/log.hpp"

namespace kb::bot {
namespace {

Result<void> flatten(const YAML::Node& node, const std::string& prefix,
                     std::map<std::string, std::string, std::less<>>& out) {
  if (node.IsMap()) {
    for (const auto& kv : node) {
      auto key = kv.first.as<std::string>();
      KB_TRY(flatten(kv.second, prefix.empty() ? key : prefix + "." + key, out));
    }
    return {};
  }
  if (node.IsScalar()) {
    out[prefix] = node.as<std::string>();
    return {};
  }
  if (node.IsNull()) return {};
  return fail(Errc::invalid_input, fmt::format("locale key {}: expected text or a map", prefix));
}

Result<std::map<std::string, std::string, std::less<>>> parse_one(std::string_view yaml,
                                                                 std::string_view name) {
  std::map<std::string, std::string, std::less<>> out;
  try {
    auto root = YAML::Load(std::string(yaml));
    if (!root.IsMap()) return fail(Errc::invalid_input, fmt::format("{}: the file must be a map of texts", name));
    auto r = flatten(root, "", out);
    if (!r) return fail(Errc::invalid_input, fmt::format("{}: {}", name, r.error().message));
  } catch (const YAML::Exception& e) {
    return fail(Errc::invalid_input, fmt::format("{}: {}", name, e.what()));
  }
  return out;
}

}  // namespace

std::string_view lang_code(Lang lang) { return lang == Lang::en ? "en" : "ru"; }

Lang lang_from_code(std::string_view code) {
  // Russian is the default; users of other languages read English more often than Russian,
  // except for the languages of the region where Russian is widely read.
  if (code.empty()) return Lang::ru;
  auto base = code.substr(0, code.find('-'));
  for (std::string_view ru_readers : {"ru", "uk", "be", "kk", "uz", "ky", "tg", "hy", "az"})
    if (base == ru_readers) return Lang::ru;
  return Lang::en;
}

std::string substitute(std::string_view text, const TextParams& params) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '{') {
      auto close = text.find('}', i);
      if (close != std::string_view::npos) {
        auto name = text.substr(i + 1, close - i - 1);
        bool replaced = false;
        for (const auto& [k, v] : params) {
          if (k == name) {
            out += v;
            replaced = true;
            break;
          }
        }
        if (replaced) {
          i = close + 1;
          continue;
        }
      }
    }
    out.push_back(text[i++]);
  }
  return out;
}

Result<Texts> Texts::parse(std::string_view ru_yaml, std::string_view en_yaml) {
  return parse(std::vector<Document>{{Lang::ru, "ru.yaml", ru_yaml}, {Lang::en, "en.yaml", en_yaml}});
}

Result<Texts> Texts::parse(const std::vector<Document>& documents) {
  Texts t;
  for (const auto& doc : documents) {
    auto parsed = KB_TRY(parse_one(doc.yaml, doc.name));
    auto& target = doc.lang == Lang::en ? t.en_ : t.ru_;
    for (auto& [k, v] : parsed) {
      if (target.count(k))
        return fail(Errc::invalid_input, fmt::format("{}: key {} is defined twice", doc.name, k));
      target.emplace(k, std::move(v));
    }
  }
  return t;
}

Result<Texts> Texts::load(const std::string& dir) {
  std::vector<std::string> contents;  // owns file contents read from disk
  std::vector<Document> docs;
  if (dir.empty()) {
    for (auto name : embedded::names()) {
      for (auto [lang, prefix] : {std::pair{Lang::ru, "locales/ru/"}, std::pair{Lang::en, "locales/en/"}}) {
        if (name.starts_with(prefix) && name.ends_with(".yaml"))
          docs.push_back({lang, std::string(name.substr(8)), embedded::file(name)});
      }
    }
  } else {
    namespace fs = std::filesystem;
    std::vector<std::pair<Lang, fs::path>> files;
    for (auto [lang, sub] : {std::pair{Lang::ru, "ru"}, std::pair{Lang::en, "en"}}) {
      std::error_code ec;
      for (const auto& entry : fs::directory_iterator(fs::path(dir) / sub, ec))
        if (entry.path().extension() == ".yaml") files.emplace_back(lang, entry.path());
      if (ec) return fail(Errc::invalid_input, fmt::format("LOCALES_DIR {}: cannot read {}/: {}", dir, sub, ec.message()));
    }
    std::sort(files.begin(), files.end());
    contents.reserve(files.size());
    for (auto& [lang, path] : files) {
      std::ifstream in(path, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      if (!in) return fail(Errc::io, fmt::format("cannot read {}", path.string()));
      contents.push_back(ss.str());
      docs.push_back({lang, path.parent_path().filename().string() + "/" + path.filename().string(), contents.back()});
    }
  }
  if (docs.empty()) return fail(Errc::invalid_input, "no locale files found");
  return parse(docs);
}

bool Texts::has(Lang lang, std::string_view key) const {
  const auto& m = lang == Lang::en ? en_ : ru_;
  return m.find(key) != m.end();
}

std::string Texts::get(Lang lang, std::string_view key, const TextParams& params) const {
  const std::string* text = nullptr;
  if (lang == Lang::en) {
    if (auto it = en_.find(key); it != en_.end()) text = &it->second;
  }
  if (!text) {
    if (auto it = ru_.find(key); it != ru_.end()) {
      text = &it->second;
      if (lang == Lang::en) {
        std::lock_guard lock(warn_->mutex);
        if (warn_->warned.insert("en:" + std::string(key)).second)
          log::warn("locale_key_missing", {{"lang", "en"}, {"key", key}, {"fallback", "ru"}});
      }
    }
  }
  if (!text) {
    std::lock_guard lock(warn_->mutex);
    if (warn_->warned.insert("*:" + std::string(key)).second)
      log::warn("locale_key_missing", {{"lang", lang_code(lang)}, {"key", key}, {"fallback", "key"}});
    return std::string(key);
  }
  if (params.empty() && globals_.empty()) return *text;
  TextParams all = params;
  all.insert(all.end(), globals_.begin(), globals_.end());
  return substitute(*text, all);
}

std::vector<std::tuple<Lang, std::string, std::string>> Texts::all() const {
  std::vector<std::tuple<Lang, std::string, std::string>> out;
  for (const auto& [k, v] : ru_) out.emplace_back(Lang::ru, k, v);
  for (const auto& [k, v] : en_) out.emplace_back(Lang::en, k, v);
  return out;
}

std::vector<std::string> Texts::missing_in_en() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : ru_)
    if (!en_.count(k)) out.push_back(k);
  return out;
}

}  // namespace kb::bot
