// `tessera info`: what this build of tessera is and what it can use.
#include "command.hpp"

#include <tessera/tessera.hpp>

#include <iostream>

namespace tessera_cli {

void add_info_commands(command_table& table, const global_options& options) {
  table.add("info", "Print the version, the components built in and the threads available",
            [&options] {
              std::cout << "tessera " << TESSERA_VERSION_STRING << '\n'
                        << "parallel loops: " << (TESSERA_HAS_OPENMP ? "OpenMP" : "serial") << '\n'
                        << "hardware threads: " << tessera::hardware_threads() << '\n'
                        << "threads used: " << tessera::num_threads() << '\n';
              (void)options;
              return exit_ok;
            });
}

} // namespace tessera_cli
