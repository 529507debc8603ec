// glibc malloc settings for `kiebot serve`: few arenas, and the free pages left by start-up (and by
// a catalog reload) handed back to the kernel.
#pragma once

namespace kb::allocator {

// Caps glibc's malloc arenas at the number of cores (at least two). By default every thread that
// allocates gets an arena of its own, up to eight per core: each keeps its own free memory and top
// chunk, so the idle process held one mostly empty heap per database worker, HTTP client and event
// loop thread (about 1 MB on 2 cores). No more threads run at once than there are cores, and the
// per-thread cache (tcache) serves small allocations without taking an arena's lock. Must run
// before the process starts its threads.
void limit_arenas();

// Returns the free pages of every arena to the kernel (malloc_trim). glibc shrinks a heap only from
// its top, so what start-up freed in the middle (the YAML parse trees of the catalog and the texts,
// the migrations' statements) would otherwise stay resident for good: about 1.7 MB.
void release_free_memory();

}  // namespace kb::allocator
