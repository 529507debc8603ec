// Command-line entry: subcommands and their dispatch.
#pragma once

namespace kb::app {

int run_cli(int argc, char** argv);

}  // namespace kb::app
