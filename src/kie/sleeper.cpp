// Real sleeping on the current executor.
#include "kie/sleeper.hpp"

#include "core/with_timeout.hpp"

namespace kb::kie {

Task<void> AsioSleeper::sleep(std::chrono::milliseconds duration) {
  co_await sleep_for(duration);
}

}  // namespace kb::kie
