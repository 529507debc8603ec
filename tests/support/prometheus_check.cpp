// Validates metric names, label syntax and escaping, values, TYPE/HELP placement, histogram shape.
#include "support/prometheus_check.hpp"

#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>

namespace kb::test {
namespace {

bool valid_name(std::string_view n) {
  if (n.empty()) return false;
  auto first = n[0];
  if (!(std::isalpha(static_cast<unsigned char>(first)) || first == '_' || first == ':'))
    return false;
  for (char c : n)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':')) return false;
  return true;
}

bool valid_label_name(std::string_view n) {
  if (n.empty() || !(std::isalpha(static_cast<unsigned char>(n[0])) || n[0] == '_')) return false;
  for (char c : n)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

bool valid_value(std::string_view v) {
  if (v == "NaN" || v == "+Inf" || v == "-Inf") return true;
  try {
    std::size_t used = 0;
    std::stod(std::string(v), &used);
    return used == v.size();
  } catch (...) {
    return false;
  }
}

// Parses `{a="b",c="d"}` starting at text[pos] == '{'; returns the end position or npos.
std::size_t parse_labels(std::string_view text, std::size_t pos,
                         std::map<std::string, std::string>& out, std::string& error) {
  ++pos;
  while (pos < text.size() && text[pos] != '}') {
    auto eq = text.find('=', pos);
    if (eq == std::string_view::npos) {
      error = "label without =";
      return std::string_view::npos;
    }
    std::string name(text.substr(pos, eq - pos));
    if (!valid_label_name(name)) {
      error = "bad label name '" + name + "'";
      return std::string_view::npos;
    }
    if (eq + 1 >= text.size() || text[eq + 1] != '"') {
      error = "label value not quoted";
      return std::string_view::npos;
    }
    std::string value;
    std::size_t i = eq + 2;
    for (; i < text.size() && text[i] != '"'; ++i) {
      if (text[i] == '\\') {
        if (i + 1 >= text.size() ||
            (text[i + 1] != '\\' && text[i + 1] != '"' && text[i + 1] != 'n')) {
          error = "bad escape in label value";
          return std::string_view::npos;
        }
        ++i;
      } else if (text[i] == '\n') {
        error = "raw newline in label value";
        return std::string_view::npos;
      }
      value.push_back(text[i]);
    }
    if (i >= text.size()) {
      error = "unterminated label value";
      return std::string_view::npos;
    }
    if (out.count(name)) {
      error = "duplicate label " + name;
      return std::string_view::npos;
    }
    out[name] = value;
    pos = i + 1;
    if (pos < text.size() && text[pos] == ',') ++pos;
  }
  if (pos >= text.size()) {
    error = "unterminated label set";
    return std::string_view::npos;
  }
  return pos + 1;
}

}  // namespace

std::vector<std::string> check_prometheus_text(std::string_view text) {
  std::vector<std::string> errors;
  std::map<std::string, std::string> types;
  std::set<std::string> helps, seen_series, families_with_samples;
  struct Hist {
    std::vector<std::pair<double, double>> buckets;
    double count = -1;
  };
  std::map<std::string, Hist> histograms;  // family+labels-without-le → data
  if (!text.empty() && text.back() != '\n') errors.push_back("text does not end with a newline");
  std::istringstream in{std::string(text)};
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    auto where = [&](std::string msg) {
      errors.push_back(fmt::format("line {}: {}: {}", lineno, msg, line));
    };
    if (line.empty()) continue;
    if (line[0] == '#') {
      std::istringstream ls(line);
      std::string hash, kind, name;
      ls >> hash >> kind >> name;
      if (kind == "HELP") {
        if (!valid_name(name)) where("bad metric name in HELP");
        if (!helps.insert(name).second) where("second HELP for the same metric");
      } else if (kind == "TYPE") {
        std::string type;
        ls >> type;
        if (!valid_name(name)) where("bad metric name in TYPE");
        if (type != "counter" && type != "gauge" && type != "histogram" && type != "summary" &&
            type != "untyped")
          where("unknown type");
        if (types.count(name)) where("second TYPE for the same metric");
        if (families_with_samples.count(name)) where("TYPE after samples of the metric");
        types[name] = type;
      }
      continue;
    }
    std::size_t name_end = 0;
    while (name_end < line.size() && line[name_end] != '{' && line[name_end] != ' ') ++name_end;
    std::string name = line.substr(0, name_end);
    if (!valid_name(name)) {
      where("bad metric name");
      continue;
    }
    std::map<std::string, std::string> labels;
    std::size_t pos = name_end;
    if (pos < line.size() && line[pos] == '{') {
      std::string error;
      pos = parse_labels(line, pos, labels, error);
      if (pos == std::string::npos) {
        where(error);
        continue;
      }
    }
    if (pos >= line.size() || line[pos] != ' ') {
      where("missing space before value");
      continue;
    }
    std::string rest = line.substr(pos + 1);
    auto sp = rest.find(' ');
    std::string value = rest.substr(0, sp);
    if (!valid_value(value)) where("bad sample value");
    std::string family = name;
    std::string suffix;
    for (std::string s : {"_bucket", "_sum", "_count"}) {
      if (name.size() > s.size() && name.ends_with(s) &&
          types.count(name.substr(0, name.size() - s.size())) &&
          types[name.substr(0, name.size() - s.size())] == "histogram") {
        family = name.substr(0, name.size() - s.size());
        suffix = s;
      }
    }
    families_with_samples.insert(family);
    if (!types.count(family)) where("sample without a TYPE line");
    std::string series_key = name;
    for (auto& [k, v] : labels) series_key += "|" + k + "=" + v;
    if (!seen_series.insert(series_key).second) where("duplicate series");
    if (types[family] == "counter" && valid_value(value) && std::stod(value) < 0)
      where("negative counter");
    if (types[family] == "histogram") {
      auto no_le = labels;
      no_le.erase("le");
      std::string key = family;
      for (auto& [k, v] : no_le) key += "|" + k + "=" + v;
      if (suffix == "_bucket") {
        if (!labels.count("le")) {
          where("bucket without le");
          continue;
        }
        double le = labels["le"] == "+Inf" ? INFINITY : std::stod(labels["le"]);
        histograms[key].buckets.emplace_back(le, std::stod(value));
      } else if (suffix == "_count") {
        histograms[key].count = std::stod(value);
      } else if (suffix.empty()) {
        where("histogram sample without _bucket/_sum/_count suffix");
      }
    }
  }
  for (auto& [key, h] : histograms) {
    double prev_le = -INFINITY, prev_count = -1;
    bool has_inf = false;
    for (auto& [le, c] : h.buckets) {
      if (le <= prev_le) errors.push_back(key + ": buckets not in increasing le order");
      if (c < prev_count) errors.push_back(key + ": bucket counts decrease");
      prev_le = le;
      prev_count = c;
      if (std::isinf(le)) {
        has_inf = true;
        if (h.count >= 0 && c != h.count)
          errors.push_back(key + ": +Inf bucket differs from _count");
      }
    }
    if (!has_inf) errors.push_back(key + ": no +Inf bucket");
    if (h.count < 0) errors.push_back(key + ": no _count");
  }
  return errors;
}

}  // namespace kb::test
