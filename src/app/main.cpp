// kiebot entry point.
#include <exception>
#include <iostream>

#include "app/cli.hpp"

int main(int argc, char** argv) {
  try {
    return kb::app::run_cli(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "kiebot: fatal: " << e.what() << "\n";
    return 1;
  }
}
