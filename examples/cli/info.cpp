// `tessera info`: what this build of tessera is and what it can use.
#include "command.hpp"

#include <tessera/tessera.hpp>

#include <iostream>

namespace tessera_cli {
namespace {

void add_info_commands(command_table& table, const global_options& /*options*/) {
  table.add("info", "Print the version, the components built in and the threads available", [] {
    std::cout << "tessera " << TESSERA_VERSION_STRING << '\n'
              << "parallel loops: " << (TESSERA_HAS_OPENMP ? "OpenMP" : "serial") << '\n'
              << "hardware threads: " << tessera::hardware_threads() << '\n'
              << "threads used: " << tessera::num_threads() << '\n';
    return exit_ok;
  });
}

const register_commands registered(&add_info_commands);

} // namespace
} // namespace tessera_cli
