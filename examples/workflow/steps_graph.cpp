// Steps that make graphs and run graph algorithms: edge_list, generate_graph, build_graph,
// degree, pagerank, bfs, sssp, wcc, scc. Algorithm results are tables keyed by the input's own
// vertex keys (column `vertex`).
#include "step.hpp"

#include <tessera/algorithm/bfs.hpp>
#include <tessera/algorithm/components.hpp>
#include <tessera/algorithm/pagerank.hpp>
#include <tessera/algorithm/sssp.hpp>
#include <tessera/column/builder.hpp>
#include <tessera/column/cast.hpp>
#include <tessera/column/take.hpp>
#include <tessera/graph/build.hpp>
#include <tessera/graph/generate.hpp>
#include <tessera/io/csv.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace tessera_workflow {

// The CSV dialect params, shared with read_csv (steps_io.cpp).
tessera::csv::read_options csv_dialect(const params& p);
extern const std::vector<std::string> csv_dialect_help;

tessera::column graph_value::key_column() const {
  if (const auto* ints = std::get_if<tessera::vertex_map<std::int64_t>>(&vertices)) {
    std::vector<std::int64_t> keys(ints->size());
    for (std::size_t v = 0; v < keys.size(); ++v) keys[v] = ints->key(v);
    return tessera::make_column<std::int64_t>(std::span<const std::int64_t>(keys));
  }
  const auto& strs = std::get<tessera::vertex_map<std::string>>(vertices);
  tessera::string_builder b;
  for (std::size_t v = 0; v < strs.size(); ++v) b.append(strs.key(v));
  return b.finish();
}

std::string graph_value::key_text(std::size_t v) const {
  if (const auto* ints = std::get_if<tessera::vertex_map<std::int64_t>>(&vertices))
    return std::to_string(ints->key(v));
  return "'" + std::get<tessera::vertex_map<std::string>>(vertices).key(v) + "'";
}

namespace {

using tessera::exec::node_context;
using tessera::exec::pool_kind;
using inputs_t = std::span<const value* const>;
using graph_type = graph_value::graph_type;
using vid = std::uint32_t;

/// A string param where an empty value means not given.
std::optional<std::string> optional_param(const params& p, const std::string& key) {
  auto s = p.string(key);
  if (s && s->empty()) s.reset();
  return s;
}

[[noreturn]] void fail(tessera::errc code, const std::string& what) {
  tessera::throw_error(tessera::error(code, what));
}

// ---------------------------------------------------------------------------------------------
// Making graphs.

struct shape_options {
  bool directed = true;
  bool simplify = false;
};

const std::vector<std::string> shape_help = {
    "directed: false: an undirected graph (each edge stored both ways; default true)",
    "simplify: true: drop self loops and merge parallel edges (keeping the smallest weight)"};

shape_options read_shape(const params& p) {
  shape_options s;
  s.directed = p.boolean("directed").value_or(true);
  s.simplify = p.boolean("simplify").value_or(false);
  return s;
}

tessera::build_options build_options_of(const shape_options& s, std::size_t n) {
  tessera::build_options b;
  b.num_vertices = n;
  b.symmetrize = !s.directed;
  if (s.simplify) {
    b.drop_self_loops = true;
    b.duplicates = tessera::duplicate_policy::min;
    b.sort_neighbors = true;
  }
  return b;
}

/// A key column as int64 (any integer type) or nullptr for a string-like one; nulls and other
/// types are errors naming the column.
std::optional<tessera::column> integer_keys(const tessera::column& c, const std::string& name) {
  if (c.null_count() != 0) {
    std::size_t row = 0;
    while (c.is_valid(row)) ++row;
    fail(tessera::errc::invalid_argument,
         "column '" + name + "' holds a null vertex key (row " + std::to_string(row + 1) + ")");
  }
  if (tessera::is_string_like(c.id())) return std::nullopt;
  if (!tessera::is_integer(c.id()))
    fail(tessera::errc::invalid_argument, "column '" + name + "' holds " +
                                              tessera::to_string(c.type()) +
                                              " values; vertex keys are integers or strings");
  return tessera::cast(c, tessera::data_type(tessera::type_id::int64));
}

/// The graph of the edges src[i] -> dst[i] (with weights if given), keyed by their values.
std::shared_ptr<const graph_value>
graph_from_columns(const tessera::column& src, const tessera::column& dst,
                   const tessera::column* weight, const std::string& src_name,
                   const std::string& dst_name, const shape_options& shape) {
  auto out = std::make_shared<graph_value>();
  const auto s64 = integer_keys(src, src_name);
  const auto d64 = integer_keys(dst, dst_name);
  if (s64.has_value() != d64.has_value())
    fail(tessera::errc::invalid_argument, "columns '" + src_name + "' and '" + dst_name +
                                              "' must both hold integers or both strings");
  std::vector<std::uint64_t> sources, targets;
  if (s64) {
    const auto sv = s64->view<std::int64_t>().values();
    const auto dv = d64->view<std::int64_t>().values();
    auto keyed = tessera::map_vertex_keys<std::int64_t>(sv, dv);
    out->vertices = std::move(keyed.vertices);
    sources = std::move(keyed.sources);
    targets = std::move(keyed.targets);
  } else {
    std::vector<std::string> ss(src.size()), ds(dst.size());
    for (std::size_t i = 0; i < ss.size(); ++i) {
      ss[i] = std::string(src.string_at(i));
      ds[i] = std::string(dst.string_at(i));
    }
    auto keyed = tessera::map_vertex_keys<std::string>(ss, ds);
    out->vertices = std::move(keyed.vertices);
    sources = std::move(keyed.sources);
    targets = std::move(keyed.targets);
  }
  const std::size_t n = std::visit([](const auto& m) { return m.size(); }, out->vertices);
  std::vector<double> weights;
  if (weight != nullptr) {
    if (!tessera::is_numeric(weight->id()) || weight->null_count() != 0)
      fail(tessera::errc::invalid_argument,
           "the weight column must hold numbers without nulls, not " +
               tessera::to_string(weight->type()));
    const auto w = tessera::cast(*weight, tessera::data_type(tessera::type_id::float64),
                                 tessera::cast_policy::checked);
    const auto wv = w.view<double>().values();
    weights.assign(wv.begin(), wv.end());
    out->weighted = true;
  } else {
    weights.assign(sources.size(), 1.0);
  }
  out->graph = tessera::build_graph<vid, std::uint64_t, double>(sources, targets, weights,
                                                                build_options_of(shape, n));
  return out;
}

/// Kronecker edges as a table of int64 columns src, dst.
tessera::table kronecker_table(const tessera::kronecker_options& k) {
  const auto e = tessera::generate_kronecker<std::uint32_t>(k);
  std::vector<std::int64_t> s(e.sources.begin(), e.sources.end());
  std::vector<std::int64_t> d(e.targets.begin(), e.targets.end());
  return tessera::table::from_columns(
             {{"src", tessera::make_column<std::int64_t>(std::span<const std::int64_t>(s))},
              {"dst", tessera::make_column<std::int64_t>(std::span<const std::int64_t>(d))}})
      .value();
}

const std::vector<std::string> kronecker_help = {
    "scale: 2^scale vertices (default 16)", "edge_factor: edges per vertex (default 16)",
    "seed: random seed (default 1); the same seed gives the same graph"};

tessera::kronecker_options read_kronecker(const params& p) {
  tessera::kronecker_options k;
  k.scale = static_cast<unsigned>(p.integer("scale", 1, 31).value_or(16));
  k.edge_factor = static_cast<std::size_t>(p.integer("edge_factor", 1, 1024).value_or(16));
  k.seed = static_cast<std::uint64_t>(p.integer("seed", 0, INT64_MAX).value_or(1));
  return k;
}

/// A column of `t` named by `spec` (a name, or a 1-based position), or nullptr when absent.
const tessera::column* column_of(const tessera::table& t, const std::string& spec,
                                 std::string& name) {
  if (const auto* c = t.find(spec)) {
    name = spec;
    return c;
  }
  if (!spec.empty() && spec.find_first_not_of("0123456789") == std::string::npos) {
    const auto k = std::stoul(spec);
    if (k >= 1 && k <= t.num_columns()) {
      name = t.schema()[k - 1].name;
      return &t[k - 1];
    }
  }
  std::string names;
  for (const auto& f : t.schema().fields()) names += (names.empty() ? "'" : ", '") + f.name + "'";
  fail(tessera::errc::not_found, "no column '" + spec + "' (columns: " + names + ")");
}

step_type edge_list_step() {
  step_type s;
  s.name = "edge_list";
  s.summary = "the edges of a graph as a table (src, dst[, weight]): read from the CSV file "
              "`path`, or, when `path` is empty, generated (a Kronecker graph, Graph500 "
              "parameters)";
  s.param_help = {"path: a CSV edge list; empty: generate a Kronecker graph",
                  "source: the CSV column of edge sources, a name or a 1-based position "
                  "(default 1)",
                  "target: the CSV column of edge targets (default 2)",
                  "weight: the CSV column of edge weights (default: none)"};
  s.param_help.insert(s.param_help.end(), kronecker_help.begin(), kronecker_help.end());
  s.param_help.insert(s.param_help.end(), csv_dialect_help.begin(), csv_dialect_help.end());
  s.output = value_kind::table;
  s.pool = pool_kind::io;
  s.make = [](const params& p) -> step_body {
    const std::string path = p.string("path", "");
    const auto options = csv_dialect(p);
    const auto kron = read_kronecker(p);
    const std::string src = p.string("source", "1"), dst = p.string("target", "2");
    const auto weight = optional_param(p, "weight");
    return [=](node_context& ctx, inputs_t) {
      check_stop(ctx);
      if (path.empty()) return value::of(kronecker_table(kron));
      auto r = tessera::csv::try_read(path, options);
      if (!r) tessera::throw_error(std::move(r).error());
      const auto& t = r->table;
      std::string sn, dn, wn;
      std::vector<std::pair<std::string, tessera::column>> cols;
      cols.emplace_back("src", *column_of(t, src, sn));
      cols.emplace_back("dst", *column_of(t, dst, dn));
      if (weight) cols.emplace_back("weight", *column_of(t, *weight, wn));
      return value::of(tessera::table::from_columns(std::move(cols)).value());
    };
  };
  return s;
}

step_type generate_graph_step() {
  step_type s;
  s.name = "generate_graph";
  s.summary = "generates a Kronecker (R-MAT) graph with Graph500 parameters; vertex keys are "
              "0 .. 2^scale - 1 (those with edges)";
  s.param_help = kronecker_help;
  s.param_help.insert(s.param_help.end(), shape_help.begin(), shape_help.end());
  s.output = value_kind::graph;
  s.make = [](const params& p) -> step_body {
    const auto kron = read_kronecker(p);
    const auto shape = read_shape(p);
    return [=](node_context& ctx, inputs_t) {
      check_stop(ctx);
      const auto t = kronecker_table(kron);
      return value::of(graph_from_columns(t[0], t[1], nullptr, "src", "dst", shape));
    };
  };
  return s;
}

step_type build_graph_step() {
  step_type s;
  s.name = "build_graph";
  s.summary = "builds a graph from a table of edges; vertex keys are the values of the source "
              "and target columns (integers or strings)";
  s.param_help = {"source: the column of edge sources (default src)",
                  "target: the column of edge targets (default dst)",
                  "weight: the column of edge weights (default: none, every weight 1)"};
  s.param_help.insert(s.param_help.end(), shape_help.begin(), shape_help.end());
  s.input_kind = value_kind::table;
  s.min_inputs = s.max_inputs = 1;
  s.output = value_kind::graph;
  s.make = [](const params& p) -> step_body {
    const std::string src = p.string("source", "src"), dst = p.string("target", "dst");
    const auto weight = optional_param(p, "weight");
    const auto shape = read_shape(p);
    return [=](node_context& ctx, inputs_t in) {
      check_stop(ctx);
      const auto& t = in[0]->table;
      std::string sn, dn, wn;
      const auto* sc = column_of(t, src, sn);
      const auto* dc = column_of(t, dst, dn);
      const auto* wc = weight ? column_of(t, *weight, wn) : nullptr;
      return value::of(graph_from_columns(*sc, *dc, wc, sn, dn, shape));
    };
  };
  return s;
}

// ---------------------------------------------------------------------------------------------
// Algorithms.

/// (vertex, <name>) with the given value column.
value result_table(const graph_value& g, const std::string& name, tessera::column c) {
  return value::of(
      tessera::table::from_columns({{"vertex", g.key_column()}, {name, std::move(c)}}).value());
}

/// The dense id of the vertex with key `key`, or the vertex of highest out-degree (the smallest
/// key among ties) when `key` is empty.
vid source_vertex(const graph_value& g, const std::optional<std::string>& key) {
  const auto& graph = g.graph;
  if (graph.num_vertices() == 0) fail(tessera::errc::invalid_argument, "the graph has no vertices");
  if (!key) {
    std::size_t best = 0;
    for (std::size_t v = 1; v < graph.num_vertices(); ++v)
      if (graph.degree(v) > graph.degree(best)) best = v;
    return static_cast<vid>(best);
  }
  std::optional<std::size_t> v;
  if (const auto* ints = std::get_if<tessera::vertex_map<std::int64_t>>(&g.vertices)) {
    std::size_t used = 0;
    std::int64_t k = 0;
    try {
      k = std::stoll(*key, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == key->size()) v = ints->find(k);
  } else {
    v = std::get<tessera::vertex_map<std::string>>(g.vertices).find(*key);
  }
  if (!v) fail(tessera::errc::not_found, "the source vertex " + *key + " is not in the graph");
  return static_cast<vid>(*v);
}

step_type degree_step() {
  step_type s;
  s.name = "degree";
  s.summary = "the out-degree of every vertex (edges stored both ways count once per direction)";
  s.param_help = {"column: the result column's name (default degree)"};
  s.input_kind = value_kind::graph;
  s.min_inputs = s.max_inputs = 1;
  s.output = value_kind::table;
  s.make = [](const params& p) -> step_body {
    const std::string name = p.string("column", "degree");
    return [name](node_context&, inputs_t in) {
      const auto& g = *in[0]->graph;
      std::vector<std::int64_t> d(g.graph.num_vertices());
      for (std::size_t v = 0; v < d.size(); ++v)
        d[v] = static_cast<std::int64_t>(g.graph.degree(v));
      return result_table(g, name,
                          tessera::make_column<std::int64_t>(std::span<const std::int64_t>(d)));
    };
  };
  return s;
}

step_type pagerank_step() {
  step_type s;
  s.name = "pagerank";
  s.summary = "PageRank by power iteration (ranks sum to 1; the rank of vertices without "
              "out-edges is spread over all vertices, as networkx, igraph and LDBC do); the same "
              "definition as `tessera graph pagerank`";
  s.param_help = {"damping: the damping factor (default 0.85)",
                  "tolerance: stop once the L1 change falls below it (default 1e-6)",
                  "max_iterations: the cap when stopping by tolerance (default 100)",
                  "iterations: run exactly this many iterations instead",
                  "weighted: true: follow edges in proportion to their weights",
                  "column: the result column's name (default rank)"};
  s.input_kind = value_kind::graph;
  s.min_inputs = s.max_inputs = 1;
  s.output = value_kind::table;
  s.make = [](const params& p) -> step_body {
    tessera::pagerank_options o;
    o.damping = p.number("damping", 0, 1).value_or(0.85);
    o.tolerance = p.number("tolerance", 0, 1e9).value_or(1e-6);
    o.max_iterations =
        static_cast<std::size_t>(p.integer("max_iterations", 1, 1'000'000).value_or(100));
    o.fixed_iterations =
        static_cast<std::size_t>(p.integer("iterations", 1, 1'000'000).value_or(0));
    o.dangling = tessera::dangling_policy::uniform;
    o.use_weights = p.boolean("weighted").value_or(false);
    const std::string name = p.string("column", "rank");
    return [o, name](node_context& ctx, inputs_t in) {
      check_stop(ctx);
      const auto& g = *in[0]->graph;
      if (o.use_weights && !g.weighted)
        fail(tessera::errc::invalid_argument,
             "weighted: true, but the graph was built without a weight column");
      auto r = tessera::pagerank(g.graph, o);
      return result_table(g, name, tessera::make_column<double>(std::span<const double>(r.rank)));
    };
  };
  return s;
}

step_type bfs_step() {
  step_type s;
  s.name = "bfs";
  s.summary = "breadth-first search: the number of edges from the source to every vertex "
              "(null where unreachable)";
  s.param_help = {"source: the source vertex's key (default: the vertex of highest out-degree, "
                  "the smallest key among ties)",
                  "max_depth: leave vertices farther than this unreached",
                  "column: the result column's name (default level)"};
  s.input_kind = value_kind::graph;
  s.min_inputs = s.max_inputs = 1;
  s.output = value_kind::table;
  s.make = [](const params& p) -> step_body {
    const auto key = optional_param(p, "source");
    tessera::bfs_options o;
    o.compute_parents = false;
    if (auto d = p.integer("max_depth", 0, INT64_MAX)) o.max_depth = static_cast<std::size_t>(*d);
    const std::string name = p.string("column", "level");
    return [key, o, name](node_context& ctx, inputs_t in) {
      check_stop(ctx);
      const auto& g = *in[0]->graph;
      const auto r = tessera::bfs(g.graph, source_vertex(g, key), o);
      tessera::primitive_builder<std::int64_t> b;
      b.reserve(r.level.size());
      for (const auto l : r.level)
        l == tessera::bfs_unreached<vid> ? b.append_null() : b.append(static_cast<std::int64_t>(l));
      return result_table(g, name, b.finish());
    };
  };
  return s;
}

step_type sssp_step() {
  step_type s;
  s.name = "sssp";
  s.summary = "single-source shortest paths over the edge weights (1 without a weight column); "
              "null where unreachable";
  s.param_help = {"source: the source vertex's key (default: the vertex of highest out-degree)",
                  "column: the result column's name (default distance)"};
  s.input_kind = value_kind::graph;
  s.min_inputs = s.max_inputs = 1;
  s.output = value_kind::table;
  s.make = [](const params& p) -> step_body {
    const auto key = optional_param(p, "source");
    const std::string name = p.string("column", "distance");
    return [key, name](node_context& ctx, inputs_t in) {
      check_stop(ctx);
      const auto& g = *in[0]->graph;
      tessera::sssp_options o;
      o.compute_predecessors = false;
      const auto r = tessera::sssp(g.graph, source_vertex(g, key), o);
      tessera::primitive_builder<double> b;
      b.reserve(r.distance.size());
      for (const auto d : r.distance)
        std::isinf(static_cast<double>(d)) ? b.append_null() : b.append(static_cast<double>(d));
      return result_table(g, name, b.finish());
    };
  };
  return s;
}

/// wcc or scc: each vertex labelled with the smallest key of its component (integer keys) or the
/// first-seen key (string keys).
step_type components_step(bool strong) {
  step_type s;
  s.name = strong ? "scc" : "wcc";
  s.summary = std::string(strong ? "strongly" : "weakly") +
              " connected components: each vertex gets the key of its component's first vertex "
              "(the smallest key for integer keys)";
  s.param_help = {"column: the result column's name (default component)"};
  s.input_kind = value_kind::graph;
  s.min_inputs = s.max_inputs = 1;
  s.output = value_kind::table;
  s.make = [strong](const params& p) -> step_body {
    const std::string name = p.string("column", "component");
    return [strong, name](node_context& ctx, inputs_t in) {
      check_stop(ctx);
      const auto& g = *in[0]->graph;
      const auto r = strong ? tessera::strongly_connected_components(g.graph)
                            : tessera::weakly_connected_components(g.graph);
      const auto keys = g.key_column();
      std::vector<std::uint32_t> label(r.component.begin(), r.component.end());
      return result_table(g, name, tessera::take(keys, std::span<const std::uint32_t>(label)));
    };
  };
  return s;
}

} // namespace

void add_graph_steps(step_table& t) {
  for (auto s :
       {edge_list_step(), generate_graph_step(), build_graph_step(), degree_step(), pagerank_step(),
        bfs_step(), sssp_step(), components_step(false), components_step(true)})
    t.emplace(s.name, std::move(s));
}

} // namespace tessera_workflow
