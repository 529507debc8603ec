// What /proc says about another process's memory (the benchmarks measure the server alone): the
// fields of /proc/<pid>/status and the resident bytes of /proc/<pid>/smaps by mapping.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <map>
#include <string>

namespace kb::bench {

// Fields of /proc/<pid>/status: bytes for the kB lines ("VmRSS", "VmHWM", "RssAnon", "RssFile"),
// plain numbers for the others ("Threads"); missing fields read 0.
std::map<std::string, std::size_t> proc_status(pid_t pid);

// Resident bytes of /proc/<pid>/smaps summed by what the mapping is: "[heap]", "[stack]", the file
// name, or "anon" for anonymous mappings (other malloc arenas, thread stacks, large allocations).
std::map<std::string, std::size_t> resident_by_mapping(pid_t pid);

}  // namespace kb::bench
