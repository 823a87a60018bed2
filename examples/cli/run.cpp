// `tessera run WORKFLOW.yaml [--events FILE] [--threads N]`: runs a YAML workflow on the
// executor. Schema (unknown keys are errors, reported with their line before anything runs):
//
//   steps:
//     - name: fetch                  # required, unique
//       type: shell                  # required; `shell` runs params.command with /bin/sh -c
//       params: {command: "curl -fsS https://example.org -o page.html"}
//       depends_on: [setup]          # names of steps that must succeed first
//       pool: io                     # cpu or io (default: io for shell)
//       retries: {attempts: 3, delay: 0.5, multiplier: 2, cap: 10, jitter: 0.1}  # seconds
//       timeout: 30                  # seconds
//
// Only `shell` steps exist so far: tessera's reader/algorithm operations are not wrapped yet.
// Progress: a live status line on a terminal, plain lines otherwise. Ctrl-C cancels: running
// commands get SIGTERM, pending steps are skipped. Exit code: 0 success, 1 a step failed (named
// on stderr), 2 bad workflow file, 130 cancelled.
#include "command.hpp"

#include <tessera/exec/executor.hpp>

#include <yaml-cpp/yaml.h>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace tessera_cli {
namespace {

namespace exec = tessera::exec;

[[noreturn]] void workflow_error(const std::string& file, const YAML::Node& at,
                                 const std::string& what) {
  tessera::location where;
  where.file = file;
  if (at && at.Mark().line >= 0) {
    where.line = static_cast<std::uint64_t>(at.Mark().line) + 1;
    where.column = static_cast<std::uint64_t>(at.Mark().column) + 1;
  }
  tessera::throw_error(tessera::error(tessera::errc::parse_error, what, where));
}

void only_keys(const std::string& file, const YAML::Node& map, const std::set<std::string>& allowed,
               const std::string& where) {
  for (const auto& kv : map) {
    const auto key = kv.first.as<std::string>();
    if (!allowed.count(key)) {
      std::string list;
      for (const auto& k : allowed) list += (list.empty() ? "" : ", ") + k;
      workflow_error(file, kv.first,
                     "unknown key '" + key + "' in " + where + " (expected " + list + ")");
    }
  }
}

double seconds(const std::string& file, const YAML::Node& n, const std::string& what) {
  double v = 0;
  try {
    v = n.as<double>();
  } catch (const YAML::Exception&) {
    workflow_error(file, n, what + " must be a number of seconds");
  }
  if (!(v >= 0) || v > 1e9) workflow_error(file, n, what + " must be between 0 and 1e9 seconds");
  return v;
}

exec::clock::duration to_duration(double s) {
  return std::chrono::duration_cast<exec::clock::duration>(std::chrono::duration<double>(s));
}

// Runs `command` with /bin/sh -c in its own process group; SIGTERM to the group when the step
// is asked to stop (cancellation, timeout). Throws on a non-zero exit.
void run_shell(const std::string& command, exec::node_context& ctx) {
  ctx.throw_if_stopped();
  const pid_t pid = fork();
  if (pid < 0) tessera::throw_error(tessera::error(tessera::errc::io_error, "fork failed"));
  if (pid == 0) {
    setpgid(0, 0);
    std::signal(SIGINT, SIG_DFL);
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  setpgid(pid, pid); // also here: no race with the stop callback below
  {
    std::stop_callback kill_on_stop(ctx.stop_token(), [pid] { kill(-pid, SIGTERM); });
    siginfo_t info{};
    // Wait without reaping, so the pid cannot be reused while the callback may still fire.
    while (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR) {
    }
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (ctx.stop_requested())
    tessera::throw_error(tessera::error(tessera::errc::cancelled, "stopped"));
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
  const std::string why = WIFEXITED(status)
                              ? "exited with status " + std::to_string(WEXITSTATUS(status))
                              : "killed by signal " + std::to_string(WTERMSIG(status));
  throw std::runtime_error("command `" + command + "` " + why);
}

void build_workflow(const std::string& file, exec::task_graph& g) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(file);
  } catch (const YAML::BadFile&) {
    tessera::throw_error(
        tessera::error(tessera::errc::io_error, "cannot read the workflow file '" + file + "'"));
  } catch (const YAML::ParserException& e) {
    tessera::location where;
    where.file = file;
    where.line = static_cast<std::uint64_t>(e.mark.line) + 1;
    where.column = static_cast<std::uint64_t>(e.mark.column) + 1;
    tessera::throw_error(tessera::error(tessera::errc::parse_error, e.msg, where));
  }
  if (!root.IsMap()) workflow_error(file, root, "a workflow is a map with a `steps:` list");
  only_keys(file, root, {"steps"}, "the workflow");
  const YAML::Node steps = root["steps"];
  if (!steps || !steps.IsSequence() || steps.size() == 0)
    workflow_error(file, root, "`steps:` must be a non-empty list");
  for (const auto& step : steps) {
    if (!step.IsMap()) workflow_error(file, step, "each step is a map");
    only_keys(file, step, {"name", "type", "params", "depends_on", "pool", "retries", "timeout"},
              "a step");
    if (!step["name"] || !step["name"].IsScalar())
      workflow_error(file, step, "a step needs a `name`");
    const auto name = step["name"].as<std::string>();
    const std::string in_step = "step '" + name + "'";
    if (!step["type"]) workflow_error(file, step, in_step + " needs a `type`");
    const auto type = step["type"].as<std::string>();
    const YAML::Node params = step["params"];
    if (params && !params.IsMap())
      workflow_error(file, params, in_step + ": `params` must be a map");
    if (type != "shell")
      workflow_error(file, step["type"],
                     in_step + ": unknown step type '" + type + "' (this build knows: shell)");
    only_keys(file, params, {"command"}, in_step + "'s params");
    if (!params || !params["command"] || !params["command"].IsScalar())
      workflow_error(file, step, in_step + ": a shell step needs `params: {command: ...}`");
    auto node = g.add(name, [command = params["command"].as<std::string>()](
                                exec::node_context& ctx) { run_shell(command, ctx); });
    node.on(exec::pool_kind::io);
    if (const auto pool = step["pool"]) {
      const auto p = pool.as<std::string>();
      if (p != "cpu" && p != "io")
        workflow_error(file, pool, in_step + ": `pool` is cpu or io, not '" + p + "'");
      node.on(p == "cpu" ? exec::pool_kind::cpu : exec::pool_kind::io);
    }
    if (const auto deps = step["depends_on"]) {
      if (!deps.IsSequence())
        workflow_error(file, deps, in_step + ": `depends_on` is a list of step names");
      for (const auto& d : deps) node.after(d.as<std::string>());
    }
    if (const auto r = step["retries"]) {
      if (!r.IsMap()) workflow_error(file, r, in_step + ": `retries` must be a map");
      only_keys(file, r, {"attempts", "delay", "multiplier", "cap", "jitter"},
                in_step + "'s retries");
      exec::retry_policy policy;
      if (r["attempts"]) {
        policy.max_attempts = r["attempts"].as<int>();
        if (policy.max_attempts < 1)
          workflow_error(file, r["attempts"], in_step + ": `attempts` must be at least 1");
      }
      if (r["delay"]) policy.initial_delay = to_duration(seconds(file, r["delay"], "`delay`"));
      if (r["multiplier"]) {
        policy.multiplier = r["multiplier"].as<double>();
        if (!(policy.multiplier >= 1))
          workflow_error(file, r["multiplier"], in_step + ": `multiplier` must be at least 1");
      }
      if (r["cap"]) policy.max_delay = to_duration(seconds(file, r["cap"], "`cap`"));
      if (r["jitter"]) {
        policy.jitter = r["jitter"].as<double>();
        if (!(policy.jitter >= 0 && policy.jitter <= 1))
          workflow_error(file, r["jitter"], in_step + ": `jitter` must be in [0, 1]");
      }
      node.retry(policy);
    }
    if (const auto t = step["timeout"]) {
      const double s = seconds(file, t, "`timeout`");
      if (s <= 0) workflow_error(file, t, in_step + ": `timeout` must be positive");
      node.timeout(to_duration(s));
    }
  }
  if (auto v = g.validate(); !v) tessera::throw_error(std::move(v).error().in_file(file));
}

// Ctrl-C: the handler only writes to a pipe; a watcher thread turns that into request_stop().
int interrupt_pipe[2] = {-1, -1};
extern "C" void on_interrupt(int) {
  const char c = 'i';
  [[maybe_unused]] const auto n = write(interrupt_pipe[1], &c, 1);
}

/// Prints events: plain lines, or on a terminal a live status line under the finished steps.
class progress_printer {
public:
  progress_printer(bool live, std::size_t total) : live_(live), total_(total) {}
  void operator()(const exec::event& e) {
    std::lock_guard lock(mutex_);
    using k = exec::event::kind;
    const std::string node(e.node);
    const double t = std::chrono::duration<double>(e.at).count();
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "[%7.2fs] ", t);
    std::string line;
    switch (e.what) {
    case k::started:
      running_.insert(node);
      if (!live_)
        line =
            "started   " + node + (e.attempt > 1 ? " (try " + std::to_string(e.attempt) + ")" : "");
      break;
    case k::succeeded:
      running_.erase(node);
      ++done_;
      line = "ok        " + node;
      break;
    case k::failed:
      running_.erase(node);
      ++done_;
      line = "FAILED    " + node + ": " + std::string(e.message);
      break;
    case k::retrying: {
      running_.erase(node);
      char d[32];
      std::snprintf(d, sizeof d, "%.2fs", std::chrono::duration<double>(e.delay).count());
      line = "retrying  " + node + " in " + d + " (try " + std::to_string(e.attempt) + ": " +
             std::string(e.message) + ")";
      break;
    }
    case k::skipped:
      ++done_;
      line = "skipped   " + node + ": " + std::string(e.message);
      break;
    case k::cancelled:
      running_.erase(node);
      ++done_;
      line = "cancelled " + node;
      break;
    }
    if (live_) std::cerr << "\r\033[K";
    if (!line.empty()) std::cerr << stamp << line << '\n';
    if (live_) {
      std::string names;
      for (const auto& r : running_) names += (names.empty() ? "" : ", ") + r;
      std::cerr << "[" << done_ << "/" << total_ << " done] "
                << (names.empty() ? "" : "running: " + names) << std::flush;
    }
  }
  void finish() {
    std::lock_guard lock(mutex_);
    if (live_) std::cerr << "\r\033[K" << std::flush;
  }

private:
  std::mutex mutex_;
  bool live_;
  std::size_t total_;
  std::size_t done_ = 0;
  std::set<std::string> running_;
};

int run_workflow(const std::string& file, const std::string& events,
                 const global_options& options) {
  exec::task_graph g;
  try {
    build_workflow(file, g);
  } catch (const tessera::exception& e) {
    std::cerr << "tessera: " << e.what() << '\n';
    return e.code() == tessera::errc::io_error ? exit_failure : exit_usage;
  }

  exec::executor_options eo;
  if (options.threads > 0) {
    eo.cpu_threads = static_cast<unsigned>(options.threads);
    eo.io_threads = static_cast<unsigned>(options.threads);
  }
  exec::executor ex(eo);

  std::stop_source stop;
  if (pipe(interrupt_pipe) != 0)
    tessera::throw_error(tessera::error(tessera::errc::io_error, "pipe failed"));
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  struct sigaction old_int {
  }, old_term{};
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);
  std::thread watcher([&] {
    char c = 0;
    while (read(interrupt_pipe[0], &c, 1) < 0 && errno == EINTR) {
    }
    if (c == 'i') {
      std::cerr << "\ntessera: interrupted, cancelling\n";
      stop.request_stop();
    }
  });

  progress_printer printer(!options.quiet && isatty(STDERR_FILENO) != 0, g.size());
  exec::run_options ro;
  ro.stop = stop.get_token();
  ro.events_file = events;
  ro.on_event = [&](const exec::event& e) {
    if (!options.quiet) printer(e);
  };
  auto result = ex.try_run(g, ro);
  printer.finish();

  const char done = 'd';
  [[maybe_unused]] const auto w = write(interrupt_pipe[1], &done, 1);
  watcher.join();
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGTERM, &old_term, nullptr);
  close(interrupt_pipe[0]);
  close(interrupt_pipe[1]);

  if (!result) {
    std::cerr << "tessera: " << result.error().to_string() << '\n';
    return exit_failure;
  }
  const auto& rep = result->report();
  char summary[128];
  std::snprintf(summary, sizeof summary, "%zu of %zu steps succeeded in %.2fs (parallelism %.2f)",
                rep.count(exec::node_status::succeeded), rep.nodes.size(),
                std::chrono::duration<double>(rep.wall).count(), rep.parallelism());
  switch (rep.status) {
  case exec::run_status::succeeded:
    if (!options.quiet) std::cerr << "tessera: " << summary << '\n';
    return exit_ok;
  case exec::run_status::failed:
    std::cerr << "tessera: workflow failed at step '" << rep.failed_node << "': " << rep.error
              << " (" << summary << ")\n";
    return exit_failure;
  case exec::run_status::cancelled:
    std::cerr << "tessera: workflow cancelled (" << summary << ")\n";
    return 130;
  }
  return exit_failure;
}

void add_run_commands(command_table& table, const global_options& options) {
  auto file = std::make_shared<std::string>();
  auto events = std::make_shared<std::string>();
  CLI::App* sub =
      table.add("run", "Run a YAML workflow of steps (see examples/workflows/)",
                [file, events, &options] { return run_workflow(*file, *events, options); });
  sub->add_option("workflow", *file, "The workflow file (YAML)")->required();
  sub->add_option("--events", *events, "Also append progress events to FILE as JSON lines");
}

const register_commands registered(&add_run_commands);

} // namespace
} // namespace tessera_cli
