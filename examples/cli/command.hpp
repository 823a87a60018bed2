// The `tessera` command's plumbing: how subcommands register, and how failures become exit codes.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <string>
#include <vector>

namespace tessera_cli {

/// Exit codes: 0 success, 1 the work failed (bad input file, failed step), 2 bad usage.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;
inline constexpr int exit_usage = 2;

/// Options every subcommand shares.
struct global_options {
  int threads = 0; ///< 0: all hardware threads
  bool quiet = false;
};

/// The subcommands a group adds, each with the action to run when it is chosen.
class command_table {
public:
  explicit command_table(CLI::App& app) : app_(&app) {}
  /// Adds a subcommand; `run` is called after parsing when it was chosen and returns the exit code.
  CLI::App* add(const std::string& name, const std::string& description, std::function<int()> run) {
    CLI::App* sub = app_->add_subcommand(name, description);
    entries_.push_back({sub, std::move(run)});
    return sub;
  }
  [[nodiscard]] const auto& entries() const { return entries_; }
  [[nodiscard]] CLI::App& app() { return *app_; }

private:
  struct entry {
    CLI::App* sub;
    std::function<int()> run;
  };
  CLI::App* app_;
  std::vector<entry> entries_;
};

/// Adds a group of subcommands (one source file in examples/cli/ each).
using command_group = void (*)(command_table& table, const global_options& options);

/// Every group linked into the program, in registration order.
inline std::vector<command_group>& command_groups() {
  static std::vector<command_group> groups;
  return groups;
}

/// A group registers itself with a namespace-scope object in its own source file:
///   static const tessera_cli::register_commands registered(&add_graph_commands);
struct register_commands {
  explicit register_commands(command_group group) { command_groups().push_back(group); }
};

} // namespace tessera_cli
