// tessera_workflow: reading and checking a workflow file, wiring its steps into a task_graph,
// running it with progress, and the run's summary.
#include "workflow.hpp"

#include "step.hpp"

#include <tessera/exec/executor.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

namespace tessera_workflow {

namespace exec = tessera::exec;

const char* to_string(value_kind k) noexcept {
  switch (k) {
  case value_kind::table:
    return "a table";
  case value_kind::graph:
    return "a graph";
  default:
    return "nothing";
  }
}

void fail_at(const std::string& file, const YAML::Node& at, const std::string& what) {
  tessera::location where;
  where.file = file;
  if (at && at.Mark().line >= 0) {
    where.line = static_cast<std::uint64_t>(at.Mark().line) + 1;
    where.column = static_cast<std::uint64_t>(at.Mark().column) + 1;
  }
  tessera::throw_error(tessera::error(tessera::errc::parse_error, what, where));
}

std::string substitute(const std::string& text, const step_site& site, const YAML::Node& at) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 3, "$${") == 0) {
      out += "${";
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") != 0) {
      out += text[i++];
      continue;
    }
    const auto end = text.find('}', i + 2);
    if (end == std::string::npos)
      fail_at(site.file, at, "step '" + site.name + "': unterminated ${ in '" + text + "'");
    const std::string name = text.substr(i + 2, end - i - 2);
    const auto* vars = site.variables;
    const auto it = vars ? vars->find(name) : decltype(vars->end()){};
    if (!vars || it == vars->end()) {
      std::string known;
      if (vars)
        for (const auto& [k, v] : *vars) known += (known.empty() ? "" : ", ") + k;
      fail_at(site.file, at,
              "step '" + site.name + "': unknown variable '" + name +
                  "' (declared in `vars:`: " + (known.empty() ? "none" : known) + ")");
    }
    out += it->second;
    i = end + 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// params

std::string params::scalar(const YAML::Node& n, const std::string& key) const {
  if (!n.IsScalar()) fail(key, "`" + key + "` must be a single value");
  return substitute(n.Scalar(), *site_, n);
}

void params::fail(const std::string& key, const std::string& what) const {
  const YAML::Node at = has(key) ? node(key) : node_;
  fail_at(site_->file, at, "step '" + site_->name + "': " + what);
}

std::optional<std::string> params::string(const std::string& key) const {
  if (!has(key)) return std::nullopt;
  return scalar(node(key), key);
}

std::string params::string(const std::string& key, const std::string& fallback) const {
  return string(key).value_or(fallback);
}

std::string params::required_string(const std::string& key) const {
  auto s = string(key);
  if (!s) fail(key, "the param `" + key + "` is required");
  return *s;
}

std::optional<std::int64_t> params::integer(const std::string& key, std::int64_t lo,
                                            std::int64_t hi) const {
  const auto s = string(key);
  if (!s || s->empty()) return std::nullopt;
  std::int64_t v = 0;
  std::size_t used = 0;
  try {
    v = std::stoll(*s, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != s->size())
    fail(key, "`" + key + "` must be an integer, not '" + *s + "'");
  if (v < lo || v > hi)
    fail(key, "`" + key + "` must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                  ", not " + *s);
  return v;
}

std::optional<double> params::number(const std::string& key, double lo, double hi) const {
  const auto s = string(key);
  if (!s || s->empty()) return std::nullopt;
  double v = 0;
  std::size_t used = 0;
  try {
    v = std::stod(*s, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != s->size()) fail(key, "`" + key + "` must be a number, not '" + *s + "'");
  if (!(v >= lo && v <= hi))
    fail(key, "`" + key + "` must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                  ", not " + *s);
  return v;
}

std::optional<bool> params::boolean(const std::string& key) const {
  const auto s = string(key);
  if (!s || s->empty()) return std::nullopt;
  if (*s == "true" || *s == "yes" || *s == "on" || *s == "1") return true;
  if (*s == "false" || *s == "no" || *s == "off" || *s == "0") return false;
  fail(key, "`" + key + "` must be true or false, not '" + *s + "'");
}

std::optional<char> params::character(const std::string& key) const {
  const auto s = string(key);
  if (!s || s->empty()) return std::nullopt;
  if (*s == "tab" || *s == "\\t" || *s == "\t") return '\t';
  if (*s == "space") return ' ';
  if (*s == "none") return '\0';
  if (s->size() != 1)
    fail(key, "`" + key + "` must be one character (or tab, space, none), not '" + *s + "'");
  return (*s)[0];
}

std::vector<std::string> params::strings(const std::string& key) const {
  std::vector<std::string> out;
  if (!has(key)) return out;
  const YAML::Node n = node(key);
  if (n.IsScalar()) {
    if (auto v = scalar(n, key); !v.empty()) out.push_back(std::move(v));
    return out;
  }
  if (!n.IsSequence()) fail(key, "`" + key + "` must be a name or a list of names");
  for (const auto& item : n) out.push_back(scalar(item, key));
  return out;
}

std::vector<std::pair<std::string, std::string>> params::string_map(const std::string& key) const {
  std::vector<std::pair<std::string, std::string>> out;
  if (!has(key)) return out;
  const YAML::Node n = node(key);
  if (!n.IsMap()) fail(key, "`" + key + "` must be a map");
  for (const auto& kv : n)
    out.emplace_back(substitute(kv.first.Scalar(), *site_, kv.first), scalar(kv.second, key));
  return out;
}

std::optional<std::string> params::choice(const std::string& key,
                                          const std::vector<std::string>& choices) const {
  auto s = string(key);
  if (!s || s->empty()) return std::nullopt;
  if (std::find(choices.begin(), choices.end(), *s) != choices.end()) return s;
  std::string list;
  for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
  fail(key, "`" + key + "` is one of " + list + ", not '" + *s + "'");
}

std::set<std::string> step_type::param_names() const {
  std::set<std::string> names;
  for (const auto& h : param_help) names.insert(h.substr(0, h.find(':')));
  if (max_inputs > 0) names.insert("input");
  return names;
}

const step_table& step_types() {
  static const step_table table = [] {
    step_table t;
    add_shell_step(t);
    add_io_steps(t);
    add_graph_steps(t);
    add_table_steps(t);
    return t;
  }();
  return table;
}

std::string describe_step_types() {
  std::string out;
  for (const auto& [name, type] : step_types()) {
    out += name + ": " + type.summary + "\n";
    if (type.max_inputs > 0) {
      out += "    input: " + std::string(type.max_inputs == 1 ? "the step" : "the steps (a list)") +
             " whose result it takes (" + to_string(type.input_kind) + ")\n";
    }
    for (const auto& h : type.param_help) out += "    " + h + "\n";
    out += "    result: " + std::string(to_string(type.output)) + "\n";
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Output shared by steps that print and the progress display.

namespace {
std::mutex output_mutex;
bool live_line = false; // a live status line is on stderr (guarded by output_mutex)
} // namespace

void print_output(const std::string& text) {
  std::lock_guard lock(output_mutex);
  if (live_line) std::cerr << "\r\033[K" << std::flush;
  std::cout << text << std::flush;
}

namespace {

void only_keys(const std::string& file, const YAML::Node& map, const std::set<std::string>& allowed,
               const std::string& where) {
  for (const auto& kv : map) {
    const auto key = kv.first.as<std::string>();
    if (!allowed.count(key)) {
      std::string list;
      for (const auto& k : allowed) list += (list.empty() ? "" : ", ") + k;
      fail_at(file, kv.first,
              "unknown key '" + key + "' in " + where + " (expected " +
                  (list.empty() ? std::string("none") : list) + ")");
    }
  }
}

double seconds(const std::string& file, const YAML::Node& n, const std::string& what) {
  double v = 0;
  try {
    v = n.as<double>();
  } catch (const YAML::Exception&) {
    fail_at(file, n, what + " must be a number of seconds");
  }
  if (!(v >= 0) || v > 1e9) fail_at(file, n, what + " must be between 0 and 1e9 seconds");
  return v;
}

exec::clock::duration to_duration(double s) {
  return std::chrono::duration_cast<exec::clock::duration>(std::chrono::duration<double>(s));
}

// One step as read from the file.
struct step_def {
  std::string name;
  const step_type* type = nullptr;
  YAML::Node node;
  std::vector<std::string> inputs;
  std::vector<std::size_t> input_steps; // indices into the step list
  YAML::Node input_node;                // where `input:` is, for messages
  std::unique_ptr<step_site> site;
  step_body body;
};

exec::node<value> add_node(exec::task_graph& g, const std::string& name, step_body body,
                           const std::vector<exec::node<value>>& in) {
  using ctx_t = exec::node_context;
  switch (in.size()) {
  case 0:
    return g.add(name, [body](ctx_t& ctx) { return body(ctx, {}); });
  case 1:
    return g.add(
        name,
        [body](ctx_t& ctx, const value& a) {
          const value* v[] = {&a};
          return body(ctx, v);
        },
        in[0]);
  case 2:
    return g.add(
        name,
        [body](ctx_t& ctx, const value& a, const value& b) {
          const value* v[] = {&a, &b};
          return body(ctx, v);
        },
        in[0], in[1]);
  case 3:
    return g.add(
        name,
        [body](ctx_t& ctx, const value& a, const value& b, const value& c) {
          const value* v[] = {&a, &b, &c};
          return body(ctx, v);
        },
        in[0], in[1], in[2]);
  default:
    return g.add(
        name,
        [body](ctx_t& ctx, const value& a, const value& b, const value& c, const value& d) {
          const value* v[] = {&a, &b, &c, &d};
          return body(ctx, v);
        },
        in[0], in[1], in[2], in[3]);
  }
}

constexpr std::size_t most_inputs = 4;

/// A workflow read, checked and wired into a task_graph.
struct workflow {
  std::string file;
  std::map<std::string, std::string> variables;
  std::vector<step_def> steps;
  exec::task_graph graph;
};

YAML::Node load_yaml(const std::string& file) {
  try {
    return YAML::LoadFile(file);
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
}

void read_variables(workflow& w, const YAML::Node& root, const run_options& options) {
  if (const YAML::Node vars = root["vars"]) {
    if (!vars.IsMap()) fail_at(w.file, vars, "`vars:` must be a map of names to default values");
    for (const auto& kv : vars) {
      if (!kv.second.IsScalar())
        fail_at(w.file, kv.second,
                "variable '" + kv.first.as<std::string>() + "' needs a single default value");
      w.variables[kv.first.as<std::string>()] = kv.second.Scalar();
    }
  }
  for (const auto& [name, v] : options.variables) {
    auto it = w.variables.find(name);
    if (it == w.variables.end()) {
      std::string known;
      for (const auto& [k, d] : w.variables) known += (known.empty() ? "" : ", ") + k;
      tessera::location where;
      where.file = w.file;
      tessera::throw_error(
          tessera::error(tessera::errc::invalid_argument,
                         "--set " + name + "=...: the workflow declares no variable '" + name +
                             "' (its `vars:` are: " + (known.empty() ? "none" : known) + ")",
                         where));
    }
    it->second = v;
  }
}

void read_step(workflow& w, const YAML::Node& step) {
  const std::string& file = w.file;
  if (!step.IsMap()) fail_at(file, step, "each step is a map");
  only_keys(file, step, {"name", "type", "params", "depends_on", "pool", "retries", "timeout"},
            "a step");
  if (!step["name"] || !step["name"].IsScalar()) fail_at(file, step, "a step needs a `name`");
  step_def d;
  d.name = step["name"].as<std::string>();
  d.node = step;
  const std::string in_step = "step '" + d.name + "'";
  if (!step["type"] || !step["type"].IsScalar()) fail_at(file, step, in_step + " needs a `type`");
  const auto type = step["type"].as<std::string>();
  const auto& types = step_types();
  const auto it = types.find(type);
  if (it == types.end()) {
    std::string known;
    for (const auto& [n, t] : types) known += (known.empty() ? "" : ", ") + n;
    fail_at(file, step["type"],
            in_step + ": unknown step type '" + type + "' (this build knows: " + known + ")");
  }
  d.type = &it->second;
  const YAML::Node p = step["params"];
  if (p && !p.IsMap()) fail_at(file, p, in_step + ": `params` must be a map");
  if (p)
    only_keys(file, p, d.type->param_names(),
              "the params of " + in_step + " (a " + type + " step)");
  d.site = std::make_unique<step_site>(step_site{file, d.name, &w.variables});
  const params ps(p, *d.site);
  if (d.type->max_inputs > 0) {
    d.inputs = ps.strings("input");
    d.input_node = ps.has("input") ? ps.node("input") : step;
    const auto lo = d.type->min_inputs, hi = d.type->max_inputs;
    if (d.inputs.size() < lo || d.inputs.size() > hi) {
      const std::string want = lo == hi       ? std::to_string(lo)
                               : hi == lo + 1 ? std::to_string(lo) + " or " + std::to_string(hi)
                                              : std::to_string(lo) + " to " + std::to_string(hi);
      fail_at(file, d.input_node,
              in_step + ": a " + type + " step takes " + want + " input step" +
                  (hi == 1 ? "" : "s") + " in `params: {input: ...}`, not " +
                  std::to_string(d.inputs.size()));
    }
  }
  d.body = d.type->make(ps);
  w.steps.push_back(std::move(d));
}

// Resolves `input:` names, orders the steps so that inputs come first (cycles through inputs are
// errors), and checks the kinds of values each step receives.
std::vector<std::size_t> order_and_check(workflow& w) {
  std::map<std::string, std::size_t> by_name;
  for (std::size_t i = 0; i < w.steps.size(); ++i) {
    auto [it, fresh] = by_name.emplace(w.steps[i].name, i);
    if (!fresh)
      fail_at(w.file, w.steps[i].node["name"], "duplicate step name '" + w.steps[i].name + "'");
  }
  for (auto& d : w.steps) {
    for (const auto& in : d.inputs) {
      const auto it = by_name.find(in);
      if (it == by_name.end())
        fail_at(w.file, d.input_node,
                "step '" + d.name + "': its input '" + in + "' is not a step of this workflow");
      d.input_steps.push_back(it->second);
    }
  }
  // Depth-first order over inputs, with the path kept for a cycle's message.
  std::vector<int> state(w.steps.size(), 0); // 0 new, 1 on the path, 2 done
  std::vector<std::size_t> order, path;
  const std::function<void(std::size_t)> visit = [&](std::size_t i) {
    if (state[i] == 2) return;
    if (state[i] == 1) {
      std::string cycle;
      auto from = std::find(path.begin(), path.end(), i);
      for (; from != path.end(); ++from) cycle += w.steps[*from].name + " -> ";
      tessera::location where;
      where.file = w.file;
      tessera::throw_error(
          tessera::error(tessera::errc::cycle,
                         "the steps' inputs form a cycle: " + cycle + w.steps[i].name, where));
    }
    state[i] = 1;
    path.push_back(i);
    for (auto in : w.steps[i].input_steps) visit(in);
    path.pop_back();
    state[i] = 2;
    order.push_back(i);
  };
  for (std::size_t i = 0; i < w.steps.size(); ++i) visit(i);
  for (auto i : order) {
    const auto& d = w.steps[i];
    for (std::size_t k = 0; k < d.input_steps.size(); ++k) {
      const auto& src = w.steps[d.input_steps[k]];
      if (src.type->output != d.type->input_kind)
        fail_at(w.file, d.input_node,
                "step '" + d.name + "': its input '" + src.name + "' (a " + src.type->name +
                    " step) gives " + to_string(src.type->output) + ", but a " + d.type->name +
                    " step takes " + to_string(d.type->input_kind));
    }
  }
  return order;
}

void configure_node(const workflow& w, const step_def& d, exec::node<value>& node) {
  const std::string& file = w.file;
  const YAML::Node& step = d.node;
  const std::string in_step = "step '" + d.name + "'";
  node.on(d.type->pool);
  if (const auto pool = step["pool"]) {
    const auto p = pool.as<std::string>();
    if (p != "cpu" && p != "io")
      fail_at(file, pool, in_step + ": `pool` is cpu or io, not '" + p + "'");
    node.on(p == "cpu" ? exec::pool_kind::cpu : exec::pool_kind::io);
  }
  if (const auto deps = step["depends_on"]) {
    if (!deps.IsSequence()) fail_at(file, deps, in_step + ": `depends_on` is a list of step names");
    for (const auto& dep : deps) node.after(dep.as<std::string>());
  }
  if (const auto r = step["retries"]) {
    if (!r.IsMap()) fail_at(file, r, in_step + ": `retries` must be a map");
    only_keys(file, r, {"attempts", "delay", "multiplier", "cap", "jitter"},
              "the retries of " + in_step);
    exec::retry_policy policy;
    try {
      if (r["attempts"]) {
        policy.max_attempts = r["attempts"].as<int>();
        if (policy.max_attempts < 1)
          fail_at(file, r["attempts"], in_step + ": `attempts` must be at least 1");
      }
      if (r["delay"]) policy.initial_delay = to_duration(seconds(file, r["delay"], "`delay`"));
      if (r["multiplier"]) {
        policy.multiplier = r["multiplier"].as<double>();
        if (!(policy.multiplier >= 1))
          fail_at(file, r["multiplier"], in_step + ": `multiplier` must be at least 1");
      }
      if (r["cap"]) policy.max_delay = to_duration(seconds(file, r["cap"], "`cap`"));
      if (r["jitter"]) {
        policy.jitter = r["jitter"].as<double>();
        if (!(policy.jitter >= 0 && policy.jitter <= 1))
          fail_at(file, r["jitter"], in_step + ": `jitter` must be in [0, 1]");
      }
    } catch (const YAML::Exception&) {
      fail_at(file, r, in_step + ": `retries` values must be numbers");
    }
    node.retry(policy);
  }
  if (const auto t = step["timeout"]) {
    const double s = seconds(file, t, "`timeout`");
    if (s <= 0) fail_at(file, t, in_step + ": `timeout` must be positive");
    node.timeout(to_duration(s));
  }
}

std::unique_ptr<workflow> build(const std::string& file, const run_options& options) {
  auto w = std::make_unique<workflow>();
  w->file = file;
  const YAML::Node root = load_yaml(file);
  if (!root.IsMap()) fail_at(file, root, "a workflow is a map with a `steps:` list");
  only_keys(file, root, {"steps", "vars", "description"}, "the workflow");
  read_variables(*w, root, options);
  const YAML::Node steps = root["steps"];
  if (!steps || !steps.IsSequence() || steps.size() == 0)
    fail_at(file, root, "`steps:` must be a non-empty list");
  for (const auto& step : steps) read_step(*w, step);
  const auto order = order_and_check(*w);
  std::vector<std::optional<exec::node<value>>> nodes(w->steps.size());
  for (auto i : order) {
    auto& d = w->steps[i];
    std::vector<exec::node<value>> in;
    for (auto s : d.input_steps) in.push_back(*nodes[s]);
    static_assert(most_inputs == 4, "add_node handles up to four inputs");
    auto node = add_node(w->graph, d.name, d.body, in);
    configure_node(*w, d, node);
    nodes[i] = node;
  }
  if (auto v = w->graph.validate(); !v) tessera::throw_error(std::move(v).error().in_file(file));
  return w;
}

/// Prints events: plain lines, or on a terminal a live status line under the finished steps.
class progress_printer {
public:
  progress_printer(bool live, std::size_t total) : live_(live), total_(total) {}
  void operator()(const exec::event& e) {
    std::lock_guard lock(output_mutex);
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
      live_line = true;
    }
  }
  void finish() {
    std::lock_guard lock(output_mutex);
    if (live_) std::cerr << "\r\033[K" << std::flush;
    live_line = false;
  }

private:
  bool live_;
  std::size_t total_;
  std::size_t done_ = 0;
  std::set<std::string> running_;
};

std::string format_summary(const run_result& r) {
  std::string out;
  std::size_t width = 4;
  for (const auto& s : r.steps) width = std::max(width, s.name.size());
  char line[512];
  std::size_t ok = 0;
  for (const auto& s : r.steps) {
    ok += s.status == "succeeded";
    std::snprintf(line, sizeof line, "  %-*s  %-14s %-10s %8.3fs%s\n", static_cast<int>(width),
                  s.name.c_str(), s.type.c_str(), s.status.c_str(), s.seconds,
                  s.attempts > 1 ? (" (" + std::to_string(s.attempts) + " tries)").c_str() : "");
    out += line;
  }
  std::snprintf(line, sizeof line, "%zu of %zu steps succeeded in %.2fs (parallelism %.2f)", ok,
                r.steps.size(), r.wall_seconds, r.parallelism);
  return out + line;
}

} // namespace

void check_file(const std::string& path, const run_options& options) {
  static_cast<void>(build(path, options));
}

run_result run_file(const std::string& path, const run_options& options, std::stop_token stop) {
  auto w = build(path, options);

  exec::executor_options eo;
  if (options.threads > 0) {
    eo.cpu_threads = static_cast<unsigned>(options.threads);
    eo.io_threads = static_cast<unsigned>(options.threads);
  }
  exec::executor ex(eo);

  progress_printer printer(options.progress && isatty(STDERR_FILENO) != 0, w->graph.size());
  exec::run_options ro;
  ro.stop = std::move(stop);
  ro.events_file = options.events_file;
  if (options.progress) ro.on_event = [&](const exec::event& e) { printer(e); };
  auto result = ex.try_run(w->graph, ro);
  printer.finish();
  if (!result) tessera::throw_error(std::move(result).error());

  const auto& rep = result->report();
  run_result out;
  out.ok = rep.ok();
  out.cancelled = rep.status == exec::run_status::cancelled;
  out.wall_seconds = std::chrono::duration<double>(rep.wall).count();
  out.parallelism = rep.parallelism();
  out.failed_step = rep.failed_node;
  out.error = rep.error;
  for (const auto& d : w->steps) {
    const auto& n = rep.at(d.name);
    step_result s;
    s.name = d.name;
    s.type = d.type->name;
    s.status = std::string(exec::to_string(n.status));
    s.error = n.error;
    s.attempts = n.attempts;
    s.seconds = std::chrono::duration<double>(n.busy).count();
    out.steps.push_back(std::move(s));
  }
  out.summary = format_summary(out);
  return out;
}

} // namespace tessera_workflow
