// `tessera graph ALGO INPUT ...`: runs one graph kernel on a graph file and prints LDBC
// Graphalytics-style output, one `ID VALUE` line per vertex in the input's own ids, sorted by id.
#include "command.hpp"

#include <tessera/algorithm/betweenness.hpp>
#include <tessera/algorithm/bfs.hpp>
#include <tessera/algorithm/cdlp.hpp>
#include <tessera/algorithm/components.hpp>
#include <tessera/algorithm/dfs.hpp>
#include <tessera/algorithm/lcc.hpp>
#include <tessera/algorithm/pagerank.hpp>
#include <tessera/algorithm/sssp.hpp>
#include <tessera/algorithm/topological_sort.hpp>
#include <tessera/algorithm/triangle_count.hpp>
#include <tessera/core/parallel.hpp>
#include <tessera/core/progress.hpp>
#include <tessera/graph/build.hpp>
#include <tessera/graph/read.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

namespace tessera_cli {
namespace {

using vid = std::uint32_t;

constexpr std::int64_t ldbc_unreachable = std::numeric_limits<std::int64_t>::max();

struct graph_args {
  std::string algo;
  std::string input;
  std::string format;
  bool directed = false;
  bool undirected = false;
  bool weighted = false;
  bool simplify = false;
  std::optional<std::int64_t> source;
  std::optional<std::size_t> iterations;
  double damping = 0.85;
  std::optional<double> tolerance;
  int threads = -1;
  std::string output;
};

/// Formats values and writes them, in the input's ids sorted by id, to stdout or a file (written
/// to a temporary name and renamed, so a failed run leaves no half-written file).
class output_sink {
public:
  explicit output_sink(std::string path) : path_(std::move(path)) {}

  void integer(std::int64_t id, std::int64_t value) {
    append_int(id);
    text_ += ' ';
    append_int(value);
    text_ += '\n';
  }
  void unsigned_line(std::int64_t id, std::uint64_t value) {
    append_int(id);
    text_ += ' ';
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, value);
    text_.append(buf, r.ptr);
    text_ += '\n';
  }
  void real(std::int64_t id, double value) {
    append_int(id);
    text_ += ' ';
    if (std::isinf(value) && value > 0) {
      text_ += "infinity";
    } else {
      char buf[40];
      const int len = std::snprintf(buf, sizeof buf, "%.17g", value);
      text_.append(buf, static_cast<std::size_t>(len));
    }
    text_ += '\n';
  }
  void raw(const std::string& line) { text_ += line; }

  void flush() {
    if (path_.empty()) {
      std::cout << text_ << std::flush;
      return;
    }
    const std::string tmp = path_ + ".tmp" + std::to_string(::getpid());
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << text_;
      out.flush();
      if (!out) {
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
        fail_io("cannot write " + tmp);
      }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path_, ec);
    if (ec) {
      std::filesystem::remove(tmp, ec);
      fail_io("cannot rename the output into place: " + ec.message());
    }
  }

private:
  void append_int(std::int64_t v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    text_.append(buf, r.ptr);
  }
  [[noreturn]] void fail_io(const std::string& message) const {
    tessera::location where;
    where.file = path_;
    tessera::throw_error(tessera::error(tessera::errc::io_error, message, std::move(where)));
  }

  std::string path_;
  std::string text_;
};

tessera::graph_format format_of(const graph_args& a) {
  if (a.format == "el") return tessera::graph_format::edge_list;
  if (a.format == "mtx") return tessera::graph_format::matrix_market;
  if (a.format == "gr") return tessera::graph_format::dimacs;
  if (a.format == "ldbc") {
    // PREFIX.v / PREFIX.e, or LDBC's adjacency-form `*-input` file given directly.
    std::error_code ec;
    if (!std::filesystem::exists(a.input + ".v", ec) &&
        std::filesystem::is_regular_file(a.input, ec) &&
        tessera::guess_graph_format(a.input) != tessera::graph_format::ldbc)
      return tessera::graph_format::adjacency_list;
    return tessera::graph_format::ldbc;
  }
  return tessera::guess_graph_format(a.input);
}

/// Reads and builds the graph the algorithm needs, with the vertex map.
template <class W>
tessera::loaded_graph<vid, std::uint64_t, W> load(const graph_args& a, bool sorted_rows,
                                                  bool weights_required) {
  tessera::read_options ropt;
  if (a.directed) ropt.direction = tessera::graph_direction::directed;
  if (a.undirected) ropt.direction = tessera::graph_direction::undirected;
  if (!weights_required) ropt.default_weight = 1.0;
  tessera::build_options shape;
  if (a.simplify) {
    shape.drop_self_loops = true;
    shape.duplicates = tessera::duplicate_policy::min;
  }
  shape.sort_neighbors = sorted_rows || a.simplify;
  return tessera::load_graph<vid, std::uint64_t, W>(a.input, format_of(a), ropt, shape);
}

vid source_of(const graph_args& a, const tessera::vertex_map<std::int64_t>& vertices) {
  const auto v = vertices.find(*a.source);
  if (!v)
    tessera::throw_error(
        tessera::error(tessera::errc::not_found,
                       "the source vertex " + std::to_string(*a.source) + " is not in the graph"));
  return static_cast<vid>(*v);
}

/// PageRank as the CLI defines it: LDBC's dangling policy (spread over all vertices);
/// --iterations alone runs exactly N iterations, --tolerance stops on the L1 change (capped by
/// --iterations, default 100). A run that stops at the cap says so on stderr.
template <class G>
std::vector<double> run_pagerank(const G& g, const graph_args& a, bool weighted) {
  tessera::pagerank_options opt;
  opt.damping = a.damping;
  opt.dangling = tessera::dangling_policy::uniform;
  opt.use_weights = weighted;
  if (a.tolerance) {
    opt.tolerance = *a.tolerance;
    opt.max_iterations = a.iterations.value_or(100);
  } else if (a.iterations) {
    opt.fixed_iterations = *a.iterations;
  }
  auto r = tessera::pagerank(g, opt);
  if (opt.fixed_iterations == 0 && !r.converged)
    std::cerr << "tessera graph pagerank: warning: not converged after " << r.iterations
              << " iterations (L1 change " << r.residual << ", tolerance " << opt.tolerance
              << ")\n";
  return std::move(r.rank);
}

int run_graph(const graph_args& a) {
  if (a.threads >= 0) tessera::set_num_threads(a.threads);
  if ((a.algo == "bfs" || a.algo == "sssp") && !a.source) {
    std::cerr << "tessera graph " << a.algo << ": --source ID is required\n";
    return exit_usage;
  }
  if (a.tolerance && !(*a.tolerance >= 0)) {
    std::cerr << "tessera graph: --tolerance must be non-negative\n";
    return exit_usage;
  }
  const bool interactive = ::isatty(2) != 0;
  tessera::progress_bar bar(std::cerr, "tessera graph " + a.algo, interactive);
  const auto step = [&](std::uint64_t done) {
    if (interactive) bar.update(done, 3);
  };
  output_sink out(a.output);
  step(0);

  const bool weighted_algo =
      a.algo == "sssp" || (a.weighted && (a.algo == "pagerank" || a.algo == "bc"));
  if (weighted_algo) {
    auto lg = load<double>(a, false, a.weighted);
    step(1);
    const auto& g = lg.graph;
    const auto order = lg.vertices.order_by_key();
    const auto key = [&](std::size_t v) { return lg.vertices.key(v); };
    if (a.algo == "sssp") {
      tessera::sssp_options opt;
      opt.compute_predecessors = false;
      const auto r = tessera::sssp(g, source_of(a, lg.vertices), opt);
      step(2);
      for (auto v : order) out.real(key(v), static_cast<double>(r.distance[v]));
    } else if (a.algo == "pagerank") {
      const auto r = run_pagerank(g, a, true);
      step(2);
      for (auto v : order) out.real(key(v), r[v]);
    } else { // weighted bc
      const auto r = tessera::weighted_betweenness_centrality(g);
      step(2);
      for (auto v : order) out.real(key(v), r[v]);
    }
    out.flush();
    step(3);
    return exit_ok;
  }

  const bool sorted_rows = a.algo == "lcc" || a.algo == "tc" || a.algo == "cdlp";
  auto lg = load<void>(a, sorted_rows, false);
  step(1);
  const auto& g = lg.graph;
  const auto order = lg.vertices.order_by_key();
  const auto key = [&](std::size_t v) { return lg.vertices.key(v); };
  if (a.algo == "bfs") {
    tessera::bfs_options opt;
    opt.compute_parents = false;
    const auto r = tessera::bfs(g, source_of(a, lg.vertices), opt);
    step(2);
    for (auto v : order) {
      const auto l = r.level[v];
      out.integer(key(v), l == tessera::bfs_unreached<vid> ? ldbc_unreachable
                                                           : static_cast<std::int64_t>(l));
    }
  } else if (a.algo == "pagerank") {
    const auto r = run_pagerank(g, a, false);
    step(2);
    for (auto v : order) out.real(key(v), r[v]);
  } else if (a.algo == "wcc" || a.algo == "scc") {
    const auto r = a.algo == "wcc" ? tessera::weakly_connected_components(g)
                                   : tessera::strongly_connected_components(g);
    step(2);
    // Labels are the smallest dense id of each component, i.e. its smallest input id.
    for (auto v : order) out.integer(key(v), key(static_cast<std::size_t>(r.component[v])));
  } else if (a.algo == "cdlp") {
    std::vector<std::int64_t> initial(g.num_vertices());
    for (std::size_t v = 0; v < initial.size(); ++v) initial[v] = key(v);
    tessera::cdlp_options opt;
    opt.iterations = a.iterations.value_or(10);
    const auto labels = tessera::cdlp(g, std::span<const std::int64_t>(initial), opt);
    step(2);
    for (auto v : order) out.integer(key(v), labels[v]);
  } else if (a.algo == "lcc") {
    const auto r = tessera::lcc(g);
    step(2);
    for (auto v : order) out.real(key(v), r[v]);
  } else if (a.algo == "tc") {
    const auto count = tessera::triangle_count(g);
    step(2);
    out.raw(std::to_string(count) + "\n");
  } else if (a.algo == "bc") {
    const auto r = tessera::betweenness_centrality(g);
    step(2);
    for (auto v : order) out.real(key(v), r[v]);
  } else if (a.algo == "dfs") {
    tessera::dfs_options opt;
    opt.compute_parents = false;
    opt.compute_postorder = false;
    opt.compute_times = false;
    const auto r =
        a.source ? tessera::dfs(g, source_of(a, lg.vertices), opt) : tessera::dfs(g, opt);
    step(2);
    // The value is the vertex's position in DFS preorder; unvisited as BFS's unreachable.
    std::vector<std::int64_t> position(g.num_vertices(), ldbc_unreachable);
    for (std::size_t i = 0; i < r.preorder.size(); ++i)
      position[static_cast<std::size_t>(r.preorder[i])] = static_cast<std::int64_t>(i);
    for (auto v : order) out.integer(key(v), position[v]);
  } else if (a.algo == "topo") {
    auto r = tessera::try_topological_sort(g);
    if (!r) {
      // Name the cycle in the input's ids, not tessera's dense ones.
      std::string cycle;
      if (const auto c = tessera::find_cycle(g)) {
        for (std::size_t i = 0; i < c->size() && i < 32; ++i)
          cycle += std::to_string(key(static_cast<std::size_t>((*c)[i]))) + " -> ";
        cycle += c->size() > 32 ? "..." : std::to_string(key(static_cast<std::size_t>((*c)[0])));
        tessera::throw_error(tessera::error(tessera::errc::cycle, "the graph has a cycle of " +
                                                                      std::to_string(c->size()) +
                                                                      " vertices: " + cycle));
      }
      tessera::throw_error(std::move(r).error());
    }
    step(2);
    // The value is the vertex's position in the topological order.
    std::vector<std::int64_t> position(g.num_vertices(), 0);
    for (std::size_t i = 0; i < r->size(); ++i)
      position[static_cast<std::size_t>((*r)[i])] = static_cast<std::int64_t>(i);
    for (auto v : order) out.integer(key(v), position[v]);
  }
  out.flush();
  step(3);
  return exit_ok;
}

void add_graph_commands(command_table& table, const global_options& /*options*/) {
  static graph_args args;
  CLI::App* sub = table.add(
      "graph", "Run a graph algorithm on a graph file; prints `ID VALUE` per vertex (LDBC style)",
      [] { return run_graph(args); });
  sub->add_option("algo", args.algo,
                  "bfs | sssp (distance) | pagerank | wcc | scc (smallest id of the component) | "
                  "cdlp | lcc | tc (one line: the triangle count) | bc (betweenness) | dfs "
                  "(preorder position) | topo (position in a topological order)")
      ->required()
      ->check(CLI::IsMember(
          {"bfs", "sssp", "pagerank", "wcc", "scc", "cdlp", "lcc", "tc", "bc", "dfs", "topo"}));
  sub->add_option("input", args.input,
                  "Graph file; with --format ldbc the PREFIX of PREFIX.v / PREFIX.e")
      ->required();
  sub->add_option("--format", args.format,
                  "el (edge list) | mtx (Matrix Market) | gr (DIMACS) | ldbc; default: from the "
                  "file name (.mtx, .gr, .v/.e, *-input, else el)")
      ->check(CLI::IsMember({"el", "mtx", "gr", "ldbc"}));
  auto* dir = sub->add_flag("--directed", args.directed,
                            "Read the graph as directed (default: as the file says, else "
                            "directed)");
  sub->add_flag("--undirected", args.undirected, "Read the graph as undirected")->excludes(dir);
  sub->add_flag("--weighted", args.weighted,
                "Use edge weights (required in the file); sssp always uses weights (1 if absent)");
  sub->add_flag("--simplify", args.simplify,
                "Drop self loops and merge duplicate edges (keeping the smallest weight)");
  sub->add_option("--source", args.source, "Source vertex id, as written in the input");
  sub->add_option("--iterations", args.iterations,
                  "PageRank: exactly N iterations (or the cap with --tolerance); CDLP: N "
                  "iterations (default 10)");
  sub->add_option("--damping", args.damping, "PageRank damping factor (default 0.85)")
      ->check(CLI::Range(0.0, 1.0));
  sub->add_option("--tolerance", args.tolerance,
                  "PageRank: stop once the L1 change falls below T (default without "
                  "--iterations: 1e-6, at most 100 iterations)");
  sub->add_option("--threads", args.threads, "Threads for parallel kernels (0: all)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--output", args.output, "Write the result to FILE instead of stdout");
}

const register_commands registered(&add_graph_commands);

} // namespace
} // namespace tessera_cli
