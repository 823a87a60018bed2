// `tessera run WORKFLOW.yaml [--set NAME=VALUE]... [--events FILE] [--check] [--steps]`: runs a
// YAML workflow of typed steps on the executor (examples/workflow/; the schema and every step
// type with its params are in examples/workflow/README.md, and `tessera run --steps` lists them).
//
//   vars: {out: /tmp/report}        # defaults; ${out} in any param; --set out=DIR overrides
//   steps:
//     - name: edges                 # required, unique
//       type: read_csv              # required: shell, read_csv, read_tsr, generate_graph,
//       params: {path: in.csv}      #   build_graph, degree, pagerank, bfs, sssp, wcc, scc, filter,
//                                   #   select, join, group_by, sort, top, print, write_tsr,
//                                   #   write_csv; `input:` names the steps whose values it takes
//       depends_on: [setup]         # ordering only: steps that must succeed first
//       pool: io                    # cpu or io (default: io for shell and IO steps)
//       retries: {attempts: 3, delay: 0.5, multiplier: 2, cap: 10, jitter: 0.1}  # seconds
//       timeout: 30                 # seconds
//
// Everything that can be checked is checked before any step runs: unknown keys, step types,
// params and variables, inputs of the wrong kind (a table fed to pagerank), missing
// dependencies, cycles. Progress: a live status line on a terminal, plain lines otherwise.
// Ctrl-C cancels: running commands get SIGTERM, pending steps are cancelled. Exit code: 0
// success, 1 a step failed (named on stderr), 2 bad workflow file, 130 cancelled.
#include "command.hpp"

#include <workflow.hpp>

#include <tessera/core/error.hpp>

#include <cerrno>
#include <csignal>
#include <iostream>
#include <map>
#include <memory>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

namespace tessera_cli {
namespace {

struct run_args {
  std::string file;
  std::string events;
  std::vector<std::string> sets;
  bool check = false;
  bool list_steps = false;
};

// Ctrl-C: the handler only writes to a pipe; a watcher thread turns that into request_stop().
int interrupt_pipe[2] = {-1, -1};
extern "C" void on_interrupt(int) {
  const char c = 'i';
  [[maybe_unused]] const auto n = write(interrupt_pipe[1], &c, 1);
}

/// Turns SIGINT/SIGTERM into a stop request while it lives.
class interrupt_guard {
public:
  explicit interrupt_guard(std::stop_source& stop) {
    if (pipe(interrupt_pipe) != 0)
      tessera::throw_error(tessera::error(tessera::errc::io_error, "pipe failed"));
    struct sigaction sa {};
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
    watcher_ = std::thread([&stop] {
      char c = 0;
      while (read(interrupt_pipe[0], &c, 1) < 0 && errno == EINTR) {
      }
      if (c == 'i') {
        std::cerr << "\ntessera: interrupted, cancelling\n";
        stop.request_stop();
      }
    });
  }
  interrupt_guard(const interrupt_guard&) = delete;
  interrupt_guard& operator=(const interrupt_guard&) = delete;
  ~interrupt_guard() {
    const char done = 'd';
    [[maybe_unused]] const auto w = write(interrupt_pipe[1], &done, 1);
    watcher_.join();
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
    close(interrupt_pipe[0]);
    close(interrupt_pipe[1]);
  }

private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
  std::thread watcher_;
};

int run_workflow(const run_args& a, const global_options& options) {
  if (a.list_steps) {
    std::cout << tessera_workflow::describe_step_types();
    return exit_ok;
  }
  if (a.file.empty()) {
    std::cerr << "tessera: run: a workflow file is required\n";
    return exit_usage;
  }
  tessera_workflow::run_options ro;
  ro.threads = options.threads;
  ro.events_file = a.events;
  ro.progress = !options.quiet;
  for (const auto& s : a.sets) {
    const auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "tessera: run: --set expects NAME=VALUE, not '" << s << "'\n";
      return exit_usage;
    }
    ro.variables[s.substr(0, eq)] = s.substr(eq + 1);
  }

  tessera_workflow::run_result r;
  try {
    if (a.check) {
      tessera_workflow::check_file(a.file, ro);
      std::cout << a.file << ": ok\n";
      return exit_ok;
    }
    std::stop_source stop;
    interrupt_guard guard(stop);
    r = tessera_workflow::run_file(a.file, ro, stop.get_token());
  } catch (const tessera::exception& e) {
    std::cerr << "tessera: " << e.what() << '\n';
    return e.code() == tessera::errc::io_error ? exit_failure : exit_usage;
  }

  const auto cut = r.summary.rfind('\n') + 1; // per-step lines, then the totals
  const auto last_line = r.summary.substr(cut);
  if (r.ok) {
    if (!options.quiet) std::cerr << r.summary.substr(0, cut) << "tessera: " << last_line << '\n';
    return exit_ok;
  }
  if (r.cancelled) {
    std::cerr << "tessera: workflow cancelled (" << last_line << ")\n";
    return 130;
  }
  if (!options.quiet) std::cerr << r.summary.substr(0, cut);
  std::cerr << "tessera: workflow failed at step '" << r.failed_step << "': " << r.error << " ("
            << last_line << ")\n";
  return exit_failure;
}

void add_run_commands(command_table& table, const global_options& options) {
  auto a = std::make_shared<run_args>();
  CLI::App* sub = table.add("run", "Run a YAML workflow of typed steps (see examples/workflows/)",
                            [a, &options] { return run_workflow(*a, options); });
  sub->add_option("workflow", a->file, "The workflow file (YAML)");
  sub->add_option("--set", a->sets, "Set a workflow variable: NAME=VALUE (repeatable)");
  sub->add_option("--events", a->events, "Also append progress events to FILE as JSON lines");
  sub->add_flag("--check", a->check, "Check the workflow without running it");
  sub->add_flag("--steps", a->list_steps, "List the step types and their params");
}

const register_commands registered(&add_run_commands);

} // namespace
} // namespace tessera_cli
