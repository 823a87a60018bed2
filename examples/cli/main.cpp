// The `tessera` command: parses the command line with CLI11 and runs the chosen subcommand.
#include "command.hpp"

#include <tessera/tessera.hpp>

#include <exception>
#include <iostream>

int main(int argc, char** argv) {
  CLI::App app{"tessera: columnar data and graph analytics", "tessera"};
  app.set_version_flag("--version", std::string("tessera ") + TESSERA_VERSION_STRING);
  app.require_subcommand(0, 1); // an unknown word is then reported by name
  app.fallthrough();

  tessera_cli::global_options options;
  app.add_option("--threads", options.threads, "Threads for parallel kernels (0: all)")
      ->check(CLI::NonNegativeNumber);
  app.add_flag("-q,--quiet", options.quiet, "No progress display");

  tessera_cli::command_table table(app);
  for (auto group : tessera_cli::command_groups()) group(table, options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) { // --help, --version
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e); // prints the message and the usage hint to stderr
    return tessera_cli::exit_usage;
  }

  if (app.get_subcommands().empty()) {
    std::cerr << "tessera: a subcommand is required\n" << app.help();
    return tessera_cli::exit_usage;
  }

  tessera::set_num_threads(options.threads);
  try {
    for (const auto& entry : table.entries())
      if (entry.sub->parsed()) return entry.run();
  } catch (const tessera::exception& e) {
    std::cerr << "tessera: " << e.what() << '\n';
    return tessera_cli::exit_failure;
  } catch (const std::exception& e) {
    std::cerr << "tessera: error: " << e.what() << '\n';
    return tessera_cli::exit_failure;
  }
  return tessera_cli::exit_usage; // unreachable: every subcommand has an entry
}
