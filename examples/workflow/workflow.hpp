// tessera_workflow: runs YAML workflows of typed steps on tessera's DAG executor. Used by the
// `tessera run` command and the Python module; the schema and the step types are described in
// examples/workflow/README.md.
#pragma once

#include <map>
#include <stop_token>
#include <string>
#include <vector>

namespace tessera_workflow {

/// How a workflow runs.
struct run_options {
  int threads = 0;         ///< executor threads per pool (0: the executor's defaults)
  std::string events_file; ///< if not empty, progress events are appended as JSON lines
  /// Values for the workflow's `vars:` (overriding their defaults). A name the workflow does not
  /// declare is an error.
  std::map<std::string, std::string> variables;
  /// Progress on stderr: a live status line on a terminal, plain lines otherwise.
  bool progress = true;
};

/// One step's line in a run's result.
struct step_result {
  std::string name, type;
  std::string status; ///< succeeded, failed, timed out, cancelled, skipped
  std::string error;  ///< why, unless it succeeded
  int attempts = 0;
  double seconds = 0; ///< time spent running (all tries)
};

/// What a run did.
struct run_result {
  bool ok = false;
  bool cancelled = false;
  std::vector<step_result> steps; ///< in the file's order
  double wall_seconds = 0;
  double parallelism = 0;  ///< Σ step time / wall time
  std::string failed_step; ///< the first step that failed for good, if any
  std::string error;       ///< its error
  /// Readable report: per-step timings, then one line with the totals and the parallelism.
  std::string summary;
};

/// Reads, checks and runs the workflow in `path`. Everything that can be checked before running
/// is (YAML syntax, unknown keys, step types and params, variables, the kinds of values flowing
/// between steps, missing dependencies, cycles): such errors throw tessera::exception with the
/// file, line and column, before any step runs. A failing step is not an exception: see
/// run_result::ok. `stop` cancels the run (running shell commands get SIGTERM, pending steps
/// are cancelled).
run_result run_file(const std::string& path, const run_options& options, std::stop_token stop = {});

/// Checks the workflow in `path` as run_file does, without running it. Throws as run_file.
void check_file(const std::string& path, const run_options& options);

/// The step types this build knows, one "type: what it does; params" paragraph each.
std::string describe_step_types();

} // namespace tessera_workflow
