// World helpers.
#include "sandbox/fake_telegram/world.hpp"

namespace kb::sandbox::tg {

// xorshift64*: deterministic, so ids and jitter are reproducible between runs.
std::uint64_t World::next_random() {
  auto x = random_state;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  random_state = x;
  return x * 0x2545F4914F6CDD1DULL;
}

}  // namespace kb::sandbox::tg
