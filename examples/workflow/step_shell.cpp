// The `shell` step: runs a command with /bin/sh -c.
#include "step.hpp"

#include <cerrno>
#include <csignal>
#include <stdexcept>

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace tessera_workflow {
namespace {

// Runs `command` with /bin/sh -c in its own process group; SIGTERM to the group when the step
// is asked to stop (cancellation, timeout). Throws on a non-zero exit.
void run_shell(const std::string& command, tessera::exec::node_context& ctx) {
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

} // namespace

void add_shell_step(step_table& t) {
  step_type s;
  s.name = "shell";
  s.summary = "runs a command with /bin/sh -c; fails on a non-zero exit (runs on the io pool)";
  s.param_help = {"command: the command line (required)"};
  s.pool = tessera::exec::pool_kind::io;
  s.make = [](const params& p) -> step_body {
    const std::string command = p.required_string("command");
    return [command](tessera::exec::node_context& ctx, std::span<const value* const>) {
      run_shell(command, ctx);
      return value{};
    };
  };
  t.emplace(s.name, std::move(s));
}

} // namespace tessera_workflow
