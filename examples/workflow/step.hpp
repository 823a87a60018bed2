// tessera_workflow internals: the values that flow between steps, typed access to a step's
// params (every error names the YAML line), and the table of step types.
#pragma once

#include <tessera/column/table.hpp>
#include <tessera/core/error.hpp>
#include <tessera/exec/task_graph.hpp>
#include <tessera/graph/compressed_graph.hpp>
#include <tessera/graph/vertex_map.hpp>

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace tessera_workflow {

/// What a step produces (and what its inputs must be).
enum class value_kind { none, table, graph };

[[nodiscard]] const char* to_string(value_kind k) noexcept;

/// A graph with the keys of its vertices: dense id v stands for key v of `vertices`.
struct graph_value {
  using graph_type = tessera::compressed_graph<std::uint32_t, std::uint64_t, double>;
  graph_type graph;
  std::variant<tessera::vertex_map<std::int64_t>, tessera::vertex_map<std::string>> vertices;
  bool weighted = false; ///< the weights came from the data (otherwise every weight is 1)

  /// The vertex keys in dense order, as an int64 or string column.
  [[nodiscard]] tessera::column key_column() const;
  /// The key of dense id v, as text (for messages).
  [[nodiscard]] std::string key_text(std::size_t v) const;
};

/// A step's result: nothing, a table, or a graph (shared: several steps read it at once).
struct value {
  value_kind kind = value_kind::none;
  tessera::table table;
  std::shared_ptr<const graph_value> graph;

  static value of(tessera::table t) { return {value_kind::table, std::move(t), nullptr}; }
  static value of(std::shared_ptr<const graph_value> g) {
    return {value_kind::graph, {}, std::move(g)};
  }
};

/// Where a step's YAML came from and how to reach its variables; shared by its params.
struct step_site {
  std::string file;
  std::string name; ///< the step's name
  const std::map<std::string, std::string>* variables = nullptr;
};

/// Throws tessera::exception(errc::parse_error) at `at`'s line and column in `file`.
[[noreturn]] void fail_at(const std::string& file, const YAML::Node& at, const std::string& what);

/// `text` with every ${name} replaced by the variable's value and $${ by ${. An unknown name is
/// an error at `at`.
std::string substitute(const std::string& text, const step_site& site, const YAML::Node& at);

/// Typed, checked access to a step's `params:` map. Every accessor substitutes variables and
/// reports a wrong type at the param's line. An empty value (after substitution) counts as not
/// given for every kind but strings, so a variable with an empty default leaves a param unset.
class params {
public:
  params(YAML::Node node, const step_site& site) : node_(std::move(node)), site_(&site) {}

  [[nodiscard]] bool has(const std::string& key) const { return node_ && node_[key]; }
  [[nodiscard]] YAML::Node node(const std::string& key) const {
    return node_ ? node_[key] : YAML::Node();
  }
  [[nodiscard]] std::optional<std::string> string(const std::string& key) const;
  [[nodiscard]] std::string string(const std::string& key, const std::string& fallback) const;
  [[nodiscard]] std::string required_string(const std::string& key) const;
  [[nodiscard]] std::optional<std::int64_t> integer(const std::string& key, std::int64_t lo,
                                                    std::int64_t hi) const;
  [[nodiscard]] std::optional<double> number(const std::string& key, double lo, double hi) const;
  [[nodiscard]] std::optional<bool> boolean(const std::string& key) const;
  /// One character: "," "tab" "space" "none" (no character: '\0').
  [[nodiscard]] std::optional<char> character(const std::string& key) const;
  /// A list of strings; a single string counts as a one-element list.
  [[nodiscard]] std::vector<std::string> strings(const std::string& key) const;
  /// A map of string keys to string values (in file order).
  [[nodiscard]] std::vector<std::pair<std::string, std::string>>
  string_map(const std::string& key) const;
  /// A string that must be one of `choices`.
  [[nodiscard]] std::optional<std::string> choice(const std::string& key,
                                                  const std::vector<std::string>& choices) const;

  /// Fails at the param `key` (or at the params map if absent).
  [[noreturn]] void fail(const std::string& key, const std::string& what) const;
  [[nodiscard]] const step_site& site() const noexcept { return *site_; }

private:
  [[nodiscard]] std::string scalar(const YAML::Node& n, const std::string& key) const;
  YAML::Node node_;
  const step_site* site_;
};

/// The work of one step: gets the node context and the values of its inputs (in the order of
/// `input:`), returns its value.
using step_body =
    std::function<value(tessera::exec::node_context&, std::span<const value* const> inputs)>;

/// A kind of step: its params, its inputs and what it makes of them.
struct step_type {
  std::string name;
  std::string summary;                 ///< one line
  std::vector<std::string> param_help; ///< "name: meaning" per param (besides `input`)
  value_kind input_kind = value_kind::none;
  std::size_t min_inputs = 0, max_inputs = 0; ///< how many steps `input:` names
  value_kind output = value_kind::none;
  tessera::exec::pool_kind pool = tessera::exec::pool_kind::cpu; ///< default pool
  /// Checks the params (all of them, before anything runs) and returns the body.
  std::function<step_body(const params&)> make;

  [[nodiscard]] std::set<std::string> param_names() const;
};

/// The step types, by name.
using step_table = std::map<std::string, step_type>;

void add_shell_step(step_table& t);
void add_io_steps(step_table& t);
void add_graph_steps(step_table& t);
void add_table_steps(step_table& t);

/// Every step type of this build.
const step_table& step_types();

/// Writes `text` to stdout, clearing the live progress line first (steps that print use it).
void print_output(const std::string& text);

/// Throws errc::cancelled if the node was asked to stop (between the phases of a step).
inline void check_stop(const tessera::exec::node_context& ctx) {
  ctx.throw_if_stopped();
}

} // namespace tessera_workflow
