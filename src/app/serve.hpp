// `kiebot serve`: builds every component once, runs until SIGTERM/SIGINT, then drains.
#pragma once

#include "app/config.hpp"

namespace kb::app {

int run_serve(const Config& config);

}  // namespace kb::app
