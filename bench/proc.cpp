// Reading another process's memory from /proc.
#include "proc.hpp"

#include <fstream>
#include <sstream>

namespace kb::bench {

std::map<std::string, std::size_t> proc_status(pid_t pid) {
  std::map<std::string, std::size_t> fields;
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::istringstream rest(line.substr(colon + 1));
    std::size_t value = 0;
    std::string unit;
    if (!(rest >> value)) continue;
    rest >> unit;
    fields[line.substr(0, colon)] = unit == "kB" ? value * 1024 : value;
  }
  return fields;
}

std::map<std::string, std::size_t> resident_by_mapping(pid_t pid) {
  std::map<std::string, std::size_t> by;
  std::ifstream in("/proc/" + std::to_string(pid) + "/smaps");
  std::string line, current = "anon";
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    // A mapping header starts with "<from>-<to> ": the optional sixth field names it.
    auto dash = line.find('-');
    auto space = line.find(' ');
    if (dash != std::string::npos && space != std::string::npos && dash < space &&
        line.find(':') > space) {
      std::istringstream h(line);
      std::string range, perms, offset, dev, inode, name;
      h >> range >> perms >> offset >> dev >> inode;
      std::getline(h >> std::ws, name);
      current = name.empty() ? "anon" : name;
      continue;
    }
    if (line.rfind("Rss:", 0) == 0) {
      std::istringstream v(line.substr(4));
      std::size_t kb = 0;
      v >> kb;
      by[current] += kb * 1024;
    }
  }
  return by;
}

}  // namespace kb::bench
