// Version and git commit baked in at build time (see cmake/build_info.cmake).
#pragma once

namespace kb::build_info {
const char* version();
const char* commit();
}  // namespace kb::build_info
