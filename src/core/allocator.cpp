// glibc malloc settings (see allocator.hpp).
#include "core/allocator.hpp"

#include <malloc.h>

#include <algorithm>
#include <thread>

namespace kb::allocator {

void limit_arenas() {
  mallopt(M_ARENA_MAX, static_cast<int>(std::max(2u, std::thread::hardware_concurrency())));
}

void release_free_memory() {
  malloc_trim(0);
}

}  // namespace kb::allocator
