// tessera.run_workflow: the YAML workflow runner of examples/workflow (tessera_workflow), run
// with the GIL released. Built only when that library is part of the build.
#include "common.hpp"

#if TESSERA_PYTHON_WITH_WORKFLOW
#include <workflow.hpp>
#endif

#include <map>
#include <optional>
#include <string>

namespace tessera_python {

void init_workflow(py::module_& m) {
#if TESSERA_PYTHON_WITH_WORKFLOW
  m.def(
      "run_workflow",
      [](const std::string& path, int threads,
         const std::optional<std::map<std::string, std::string>>& variables,
         const std::string& events_file, bool progress) {
        if (threads < 0)
          fail(tessera::errc::invalid_argument,
               "threads must be non-negative, got " + std::to_string(threads));
        tessera_workflow::run_options o;
        o.threads = threads;
        o.events_file = events_file;
        o.progress = progress;
        if (variables) o.variables = *variables;
        const auto r = [&] {
          py::gil_scoped_release unlocked;
          return tessera_workflow::run_file(path, o);
        }();
        py::list steps;
        for (const auto& s : r.steps) {
          py::dict d;
          d["name"] = s.name;
          d["type"] = s.type;
          d["status"] = s.status;
          d["error"] = s.error;
          d["attempts"] = s.attempts;
          d["seconds"] = s.seconds;
          steps.append(d);
        }
        py::dict out;
        out["ok"] = r.ok;
        out["cancelled"] = r.cancelled;
        out["steps"] = steps;
        out["wall_seconds"] = r.wall_seconds;
        out["parallelism"] = r.parallelism;
        out["failed_step"] = r.failed_step;
        out["error"] = r.error;
        out["summary"] = r.summary;
        return out;
      },
      py::arg("path"), py::kw_only(), py::arg("threads") = 0, py::arg("variables") = py::none(),
      py::arg("events_file") = "", py::arg("progress") = false,
      "Runs the YAML workflow in `path` (see examples/workflow/README.md) and returns its\n"
      "report as a dict: ok, cancelled, steps (name, type, status, error, attempts, seconds),\n"
      "wall_seconds, parallelism, failed_step, error, summary. variables: values for the\n"
      "workflow's vars. A failing step is reported (ok=False), not raised; a workflow that is\n"
      "invalid before running (YAML, unknown step types, cycles...) raises tessera.Error.\n"
      "The GIL is released while it runs.");
#else
  (void)m;
#endif
}

} // namespace tessera_python
