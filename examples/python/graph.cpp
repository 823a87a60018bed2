// tessera.Graph and the graph algorithms. Every graph is a CSR of 32-bit vertex ids and 64-bit
// offsets, weighted (float64) or not; the algorithms run on a csr_view of it with the GIL
// released, so one instantiation per weight kind serves owned graphs and zero-copy views alike.
#include "common.hpp"

#include <tessera/algorithm/betweenness.hpp>
#include <tessera/algorithm/bfs.hpp>
#include <tessera/algorithm/cdlp.hpp>
#include <tessera/algorithm/components.hpp>
#include <tessera/algorithm/lcc.hpp>
#include <tessera/algorithm/pagerank.hpp>
#include <tessera/algorithm/sssp.hpp>
#include <tessera/algorithm/triangle_count.hpp>
#include <tessera/graph/build.hpp>
#include <tessera/graph/compressed_graph.hpp>
#include <tessera/graph/read.hpp>
#include <tessera/graph/vertex_map.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

namespace tessera_python {
namespace {

using vid = std::uint32_t;
using eoff = std::uint64_t;
using view_u = tessera::csr_view<vid, eoff, void>;
using view_w = tessera::csr_view<vid, eoff, double>;

/// The "no vertex" id of parents and predecessors, and the level of unreached vertices.
constexpr vid no_vertex = std::numeric_limits<vid>::max();
constexpr tessera::bfs_level_t<vid> unreached = tessera::bfs_unreached<vid>;

/// A graph as Python sees it: a CSR view plus whatever keeps its arrays alive.
struct graph {
  std::variant<view_u, view_w> view;
  bool directed = true;
  std::shared_ptr<const void> storage; ///< the compressed_graph the view reads, if owned
  std::vector<py::object> arrays;      ///< or the numpy arrays it reads (zero-copy)
  std::optional<tessera::vertex_map<std::int64_t>> keys; ///< file ids, for read_graph graphs

  [[nodiscard]] std::size_t num_vertices() const {
    return std::visit([](const auto& g) { return g.num_vertices(); }, view);
  }
  [[nodiscard]] std::size_t num_edges() const {
    return std::visit([](const auto& g) { return g.num_edges(); }, view);
  }
  [[nodiscard]] bool weighted() const { return view.index() == 1; }
};

template <class W>
graph owning(tessera::compressed_graph<vid, eoff, W>&& built) {
  auto p = std::make_shared<const tessera::compressed_graph<vid, eoff, W>>(std::move(built));
  graph out;
  out.directed = p->direction() == tessera::graph_direction::directed;
  out.view = p->view();
  out.storage = p;
  return out;
}

bool native_integer(const py::array& a, std::size_t size, bool is_signed) {
  const char kind = a.dtype().kind();
  return kind == (is_signed ? 'i' : 'u') && static_cast<std::size_t>(a.itemsize()) == size &&
         a.dtype().attr("isnative").cast<bool>() && (a.flags() & py::array::c_style) != 0;
}

void require_1d(const py::array& a, const char* what) {
  if (a.ndim() != 1)
    fail(tessera::errc::invalid_argument, std::string(what) + " must be a 1-D array, got " +
                                              std::to_string(a.ndim()) + " dimensions");
}

/// Calls f(span_of_sources, span_of_targets) over the arrays' own memory when both are
/// contiguous native int32/int64/uint32/uint64 arrays of one dtype; other integer arrays are
/// converted to int64 first (a copy). Non-integer arrays are an error.
template <class F>
auto with_id_spans(py::array src, py::array dst, F&& f) {
  require_1d(src, "src");
  require_1d(dst, "dst");
  for (const auto* a : {&src, &dst}) {
    const char kind = a->dtype().kind();
    if (kind != 'i' && kind != 'u')
      fail(tessera::errc::invalid_argument, std::string(a == &src ? "src" : "dst") +
                                                " must hold integers, got dtype " + dtype_name(*a));
  }
  const auto span = [](const py::array& a, auto tag) {
    using T = typename decltype(tag)::type;
    return std::span<const T>(static_cast<const T*>(a.data()), static_cast<std::size_t>(a.size()));
  };
  const auto same = [&](std::size_t size, bool is_signed) {
    return native_integer(src, size, is_signed) && native_integer(dst, size, is_signed);
  };
  if (same(4, false))
    return f(span(src, std::type_identity<std::uint32_t>{}),
             span(dst, std::type_identity<std::uint32_t>{}));
  if (same(8, false))
    return f(span(src, std::type_identity<std::uint64_t>{}),
             span(dst, std::type_identity<std::uint64_t>{}));
  if (same(4, true))
    return f(span(src, std::type_identity<std::int32_t>{}),
             span(dst, std::type_identity<std::int32_t>{}));
  using as_i64 = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;
  const as_i64 s = as_i64::ensure(src);
  const as_i64 d = as_i64::ensure(dst);
  if (!s || !d) throw py::error_already_set();
  return f(span(s, std::type_identity<std::int64_t>{}),
           span(d, std::type_identity<std::int64_t>{}));
}

tessera::build_options shape_options(std::optional<std::size_t> num_vertices, bool directed,
                                     bool simplify, bool weighted) {
  tessera::build_options o;
  o.num_vertices = num_vertices;
  o.symmetrize = !directed;
  o.drop_self_loops = simplify;
  o.sort_neighbors = simplify;
  if (simplify)
    o.duplicates = weighted ? tessera::duplicate_policy::min : tessera::duplicate_policy::first;
  return o;
}

using weights_array = py::array_t<double, py::array::c_style | py::array::forcecast>;

graph from_edges(py::array src, py::array dst, std::optional<weights_array> weights,
                 std::optional<std::size_t> num_vertices, bool directed, bool simplify) {
  const auto opt = shape_options(num_vertices, directed, simplify, weights.has_value());
  if (weights) {
    require_1d(*weights, "weights");
    const std::span<const double> w(weights->data(), static_cast<std::size_t>(weights->size()));
    return with_id_spans(src, dst, [&](auto s, auto d) {
      auto built = [&] {
        py::gil_scoped_release unlocked;
        return tessera::try_build_graph<vid, eoff, double>(s, d, w, opt);
      }();
      return owning(std::move(built).value());
    });
  }
  return with_id_spans(src, dst, [&](auto s, auto d) {
    auto built = [&] {
      py::gil_scoped_release unlocked;
      return tessera::try_build_graph<vid, eoff, void>(s, d, opt);
    }();
    return owning(std::move(built).value());
  });
}

graph from_csr(py::array offsets, py::array targets, std::optional<py::array> weights,
               bool directed) {
  require_1d(offsets, "offsets");
  require_1d(targets, "targets");
  if (!native_integer(offsets, 8, false) && !native_integer(offsets, 8, true))
    fail(tessera::errc::invalid_argument,
         "offsets must be a contiguous uint64 or int64 array to be viewed without a copy, got "
         "dtype " +
             dtype_name(offsets));
  if (!native_integer(targets, 4, false) && !native_integer(targets, 4, true))
    fail(tessera::errc::invalid_argument,
         "targets must be a contiguous uint32 or int32 array to be viewed without a copy, got "
         "dtype " +
             dtype_name(targets));
  // int64 and uint64 (int32 and uint32) may alias each other; negative values read as huge
  // unsigned ones, which the CSR check rejects.
  const std::span<const eoff> o(static_cast<const eoff*>(offsets.data()),
                                static_cast<std::size_t>(offsets.size()));
  const std::span<const vid> t(static_cast<const vid*>(targets.data()),
                               static_cast<std::size_t>(targets.size()));
  graph out;
  out.directed = directed;
  out.arrays = {offsets, targets};
  if (weights) {
    require_1d(*weights, "weights");
    if (weights->dtype().kind() != 'f' || weights->itemsize() != 8 ||
        !weights->dtype().attr("isnative").cast<bool>() ||
        (weights->flags() & py::array::c_style) == 0)
      fail(tessera::errc::invalid_argument,
           "weights must be a contiguous float64 array to be viewed without a copy, got dtype " +
               dtype_name(*weights));
    const std::span<const double> w(static_cast<const double*>(weights->data()),
                                    static_cast<std::size_t>(weights->size()));
    out.view = view_w::make(o, t, w).value();
    out.arrays.push_back(*weights);
  } else {
    out.view = view_u::make(o, t).value();
  }
  return out;
}

tessera::graph_format parse_format(const std::optional<std::string>& name,
                                   const std::string& path) {
  if (!name) return tessera::guess_graph_format(path);
  if (*name == "edge_list" || *name == "edges") return tessera::graph_format::edge_list;
  if (*name == "matrix_market" || *name == "mtx") return tessera::graph_format::matrix_market;
  if (*name == "dimacs" || *name == "gr") return tessera::graph_format::dimacs;
  if (*name == "ldbc") return tessera::graph_format::ldbc;
  if (*name == "adjacency_list") return tessera::graph_format::adjacency_list;
  fail(tessera::errc::invalid_argument,
       "unknown graph format '" + *name +
           "' (expected edge_list, matrix_market, dimacs, ldbc or adjacency_list)");
}

graph read_graph(const std::string& path, const std::optional<std::string>& format,
                 std::optional<bool> directed, bool weighted, std::optional<double> default_weight,
                 bool simplify, bool compact_ids) {
  const auto fmt = parse_format(format, path);
  tessera::read_options ro;
  if (directed)
    ro.direction =
        *directed ? tessera::graph_direction::directed : tessera::graph_direction::undirected;
  ro.default_weight = default_weight;
  ro.compact_ids = compact_ids;
  // The file decides direction and symmetrization (read_options above override it).
  const auto shape = shape_options(std::nullopt, true, simplify, weighted);
  const auto load = [&](auto tag) {
    using W = typename decltype(tag)::type;
    auto loaded = [&] {
      py::gil_scoped_release unlocked;
      return tessera::try_load_graph<vid, eoff, W>(path, fmt, ro, shape);
    }();
    auto l = std::move(loaded).value();
    graph g = owning(std::move(l.graph));
    g.keys = std::move(l.vertices);
    return g;
  };
  return weighted ? load(std::type_identity<double>{}) : load(std::type_identity<void>{});
}

/// A read-only numpy array over memory `owner` keeps alive.
template <class T>
py::array borrowed(std::span<const T> s, py::handle owner) {
  py::array a = py::array_t<T>(static_cast<py::ssize_t>(s.size()), s.data(), owner);
  make_read_only(a);
  return a;
}

/// Source ids from a Python int or a sequence of ints, checked against the vertex count.
std::vector<vid> sources_of(const py::object& source, std::size_t n) {
  std::vector<std::int64_t> raw;
  if (py::isinstance<py::int_>(source)) {
    try {
      raw.push_back(source.cast<std::int64_t>());
    } catch (const py::cast_error&) {
      fail(tessera::errc::out_of_range,
           "source " + py::str(source).cast<std::string>() + " is not a vertex");
    }
  } else {
    using as_i64 = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>;
    const auto a = as_i64::ensure(source);
    if (!a || a.ndim() != 1)
      fail(tessera::errc::invalid_argument,
           "source must be a vertex id or a 1-D sequence of vertex ids");
    raw.assign(a.data(), a.data() + a.size());
  }
  if (raw.empty()) fail(tessera::errc::invalid_argument, "no source vertex given");
  std::vector<vid> out;
  out.reserve(raw.size());
  for (const auto s : raw) {
    if (s < 0 || static_cast<std::uint64_t>(s) >= n)
      fail(tessera::errc::out_of_range, "source " + std::to_string(s) +
                                            " is not a vertex (the graph has " + std::to_string(n) +
                                            " vertices)");
    out.push_back(static_cast<vid>(s));
  }
  return out;
}

struct bfs_result_py {
  py::object levels, parents;
  std::size_t reached = 0, max_level = 0;
};

bfs_result_py run_bfs(const graph& g, const py::object& source, bool parents,
                      std::optional<std::size_t> max_depth) {
  const auto sources = sources_of(source, g.num_vertices());
  tessera::bfs_options opt;
  opt.compute_parents = parents;
  opt.symmetric = !g.directed;
  if (max_depth) opt.max_depth = *max_depth;
  auto r = std::visit(
      [&](const auto& v) {
        py::gil_scoped_release unlocked;
        return tessera::try_bfs(v, std::span<const vid>(sources), opt);
      },
      g.view);
  auto res = std::move(r).value();
  bfs_result_py out;
  out.reached = res.reached;
  out.max_level = res.max_level;
  out.levels = to_numpy(std::move(res.level));
  out.parents = parents ? py::object(to_numpy(std::move(res.parent))) : py::none();
  return out;
}

struct pagerank_result_py {
  py::object ranks;
  std::size_t iterations = 0;
  bool converged = false;
  double residual = 0;
};

tessera::dangling_policy parse_dangling(const std::string& s) {
  if (s == "uniform") return tessera::dangling_policy::uniform;
  if (s == "personalization") return tessera::dangling_policy::personalization;
  if (s == "drop") return tessera::dangling_policy::drop;
  fail(tessera::errc::invalid_argument,
       "unknown dangling policy '" + s + "' (expected uniform, personalization or drop)");
}

pagerank_result_py run_pagerank(const graph& g, double damping, double tolerance,
                                std::size_t max_iterations, std::size_t fixed_iterations,
                                const std::string& dangling,
                                std::optional<weights_array> personalization, bool weighted) {
  tessera::pagerank_options opt;
  opt.damping = damping;
  opt.tolerance = tolerance;
  opt.max_iterations = max_iterations;
  opt.fixed_iterations = fixed_iterations;
  opt.dangling = parse_dangling(dangling);
  opt.use_weights = weighted;
  opt.symmetric = !g.directed;
  if (personalization) {
    require_1d(*personalization, "personalization");
    opt.personalization = std::span<const double>(
        personalization->data(), static_cast<std::size_t>(personalization->size()));
  }
  auto r = std::visit(
      [&](const auto& v) {
        py::gil_scoped_release unlocked;
        return tessera::try_pagerank<double>(v, opt);
      },
      g.view);
  auto res = std::move(r).value();
  pagerank_result_py out;
  out.iterations = res.iterations;
  out.converged = res.converged;
  out.residual = res.residual;
  out.ranks = to_numpy(std::move(res.rank));
  return out;
}

struct components_result_py {
  py::object labels;
  std::size_t count = 0;
};

tessera::components_options components_opts(const graph& g, const std::string& labels) {
  tessera::components_options opt;
  if (labels == "smallest")
    opt.labels = tessera::component_labels::smallest_vertex;
  else if (labels == "dense")
    opt.labels = tessera::component_labels::dense;
  else
    fail(tessera::errc::invalid_argument,
         "unknown labelling '" + labels + "' (expected smallest or dense)");
  opt.symmetric = !g.directed;
  return opt;
}

components_result_py run_components(const graph& g, const std::string& labels, bool strong) {
  const auto opt = components_opts(g, labels);
  auto r = std::visit(
      [&](const auto& v) {
        py::gil_scoped_release unlocked;
        return strong ? tessera::try_strongly_connected_components(v, opt)
                      : tessera::try_weakly_connected_components(v, opt);
      },
      g.view);
  auto res = std::move(r).value();
  return {to_numpy(std::move(res.component)), res.count};
}

struct sssp_result_py {
  py::object distances, predecessors;
};

tessera::sssp_algorithm parse_sssp_algorithm(const std::string& s) {
  if (s == "auto") return tessera::sssp_algorithm::automatic;
  if (s == "dijkstra") return tessera::sssp_algorithm::dijkstra;
  if (s == "delta_stepping") return tessera::sssp_algorithm::delta_stepping;
  fail(tessera::errc::invalid_argument,
       "unknown SSSP algorithm '" + s + "' (expected auto, dijkstra or delta_stepping)");
}

sssp_result_py run_sssp(const graph& g, const py::object& source, const std::string& algorithm,
                        double delta, bool predecessors) {
  const auto sources = sources_of(source, g.num_vertices());
  tessera::sssp_options opt;
  opt.algorithm = parse_sssp_algorithm(algorithm);
  opt.delta = delta;
  opt.compute_predecessors = predecessors;
  sssp_result_py out;
  if (const auto* w = std::get_if<view_w>(&g.view)) {
    auto r = [&] {
      py::gil_scoped_release unlocked;
      return tessera::try_sssp(*w, std::span<const vid>(sources), opt);
    }();
    auto res = std::move(r).value();
    out.distances = to_numpy(std::move(res.distance));
    out.predecessors = predecessors ? py::object(to_numpy(std::move(res.predecessor))) : py::none();
    return out;
  }
  // Unweighted: every edge weighs 1, so BFS levels are the distances.
  tessera::bfs_options bo;
  bo.compute_parents = predecessors;
  bo.symmetric = !g.directed;
  std::vector<double> dist;
  auto r = [&] {
    py::gil_scoped_release unlocked;
    auto b = tessera::try_bfs(std::get<view_u>(g.view), std::span<const vid>(sources), bo);
    if (b) {
      dist.resize(b->level.size());
      for (std::size_t i = 0; i < dist.size(); ++i)
        dist[i] = b->level[i] == unreached ? std::numeric_limits<double>::infinity()
                                           : static_cast<double>(b->level[i]);
    }
    return b;
  }();
  auto res = std::move(r).value();
  out.distances = to_numpy(std::move(dist));
  out.predecessors = predecessors ? py::object(to_numpy(std::move(res.parent))) : py::none();
  return out;
}

} // namespace

void init_graph(py::module_& m) {
  m.attr("NO_VERTEX") = no_vertex;
  m.attr("BFS_UNREACHED") = unreached;

  py::class_<graph>(m, "Graph",
                    "A compressed sparse row graph: 32-bit vertex ids 0 .. num_vertices - 1, "
                    "64-bit edge offsets,\noptional float64 weights. Undirected graphs store "
                    "every edge both ways.")
      .def(py::init(&from_edges), py::arg("src"), py::arg("dst"), py::arg("weights") = py::none(),
           py::kw_only(), py::arg("num_vertices") = py::none(), py::arg("directed") = true,
           py::arg("simplify") = false,
           "Builds a graph from edge arrays src[i] -> dst[i] (and weights[i]).\n\n"
           "src and dst are read in place through the buffer protocol when they are contiguous\n"
           "int32, int64, uint32 or uint64 arrays of one dtype (other integer arrays are\n"
           "converted to int64 first); weights are read in place when float64. The CSR itself\n"
           "is newly allocated. num_vertices: default one more than the largest id.\n"
           "directed=False stores every edge both ways. simplify=True drops self loops, merges\n"
           "parallel edges (keeping the smallest weight) and sorts neighbour lists.\n"
           "Raises tessera.Error for negative or too large ids and mismatched lengths.")
      .def_static("from_csr", &from_csr, py::arg("offsets"), py::arg("targets"),
                  py::arg("weights") = py::none(), py::kw_only(), py::arg("directed") = true,
                  "A graph viewing existing CSR arrays without copying them: offsets (uint64 or\n"
                  "int64, num_vertices + 1 entries), targets (uint32 or int32) and optional\n"
                  "weights (float64), all C-contiguous. The graph keeps the arrays alive and\n"
                  "sees later changes to them (changing them into an invalid CSR is undefined).\n"
                  "directed=False promises every edge is stored both ways. The arrays are\n"
                  "checked once (offsets from 0, non-decreasing, ending at the edge count;\n"
                  "targets below the vertex count); a failed check raises tessera.Error.")
      .def_property_readonly("num_vertices", &graph::num_vertices, "Number of vertices.")
      .def_property_readonly("num_edges", &graph::num_edges,
                             "Number of stored edges (an undirected edge counts twice).")
      .def_property_readonly(
          "directed", [](const graph& g) { return g.directed; },
          "False when every edge is stored both ways.")
      .def_property_readonly("weighted", &graph::weighted, "Whether edges carry float64 weights.")
      .def_property_readonly(
          "offsets",
          [](py::object self) {
            const auto& g = self.cast<const graph&>();
            return std::visit([&](const auto& v) { return borrowed(v.offsets(), self); }, g.view);
          },
          "The CSR offsets (uint64, num_vertices + 1): a read-only view of the graph's memory.")
      .def_property_readonly(
          "targets",
          [](py::object self) {
            const auto& g = self.cast<const graph&>();
            return std::visit([&](const auto& v) { return borrowed(v.targets(), self); }, g.view);
          },
          "The CSR targets (uint32, num_edges): a read-only view of the graph's memory.")
      .def_property_readonly(
          "weights",
          [](py::object self) -> py::object {
            const auto& g = self.cast<const graph&>();
            if (const auto* w = std::get_if<view_w>(&g.view)) return borrowed(w->weights(), self);
            return py::none();
          },
          "The edge weights aligned with targets (float64, read-only view), or None.")
      .def_property_readonly(
          "keys",
          [](const graph& g) -> py::object {
            if (!g.keys) return py::none();
            std::vector<std::int64_t> k(g.keys->size());
            for (std::size_t i = 0; i < k.size(); ++i) k[i] = g.keys->key(i);
            return to_numpy(std::move(k));
          },
          "For graphs from read_graph: keys[v] is the id the file used for vertex v (int64).\n"
          "None for graphs built from arrays (vertex v is v).")
      .def(
          "index_of",
          [](const graph& g, std::int64_t key) -> std::size_t {
            if (!g.keys) {
              if (key < 0 || static_cast<std::uint64_t>(key) >= g.num_vertices())
                throw py::key_error("no vertex " + std::to_string(key));
              return static_cast<std::size_t>(key);
            }
            const auto v = g.keys->find(key);
            if (!v) throw py::key_error("no vertex with file id " + std::to_string(key));
            return *v;
          },
          py::arg("key"), "The vertex whose file id is `key` (KeyError if none).")
      .def("__repr__", [](const graph& g) {
        return "tessera.Graph(num_vertices=" + std::to_string(g.num_vertices()) +
               ", num_edges=" + std::to_string(g.num_edges()) +
               ", directed=" + (g.directed ? "True" : "False") +
               ", weighted=" + (g.weighted() ? "True" : "False") + ")";
      });

  m.def("read_graph", &read_graph, py::arg("path"), py::arg("format") = py::none(), py::kw_only(),
        py::arg("directed") = py::none(), py::arg("weighted") = false,
        py::arg("default_weight") = py::none(), py::arg("simplify") = false,
        py::arg("compact_ids") = true,
        "Reads a graph file: format 'edge_list' (u v [w] lines), 'matrix_market', 'dimacs'\n"
        "(.gr), 'ldbc' (PREFIX.v/.e) or 'adjacency_list'; None guesses from the name.\n"
        "directed: override the file's direction (edge lists and DIMACS default to directed;\n"
        "an undirected file lists each edge once and is stored both ways). weighted: read\n"
        "weights as float64 (default_weight for lines without one). compact_ids: number the\n"
        "file's ids 0 .. n-1 in increasing order (Graph.keys maps back). The file is read with\n"
        "the GIL released. Errors name the file, line and column.");

  py::class_<bfs_result_py>(m, "BFSResult", "Result of tessera.bfs().")
      .def_readonly("levels", &bfs_result_py::levels,
                    "uint32 levels; BFS_UNREACHED for vertices not reached.")
      .def_readonly("parents", &bfs_result_py::parents,
                    "uint32 parent in a BFS tree (a source is its own parent; NO_VERTEX if "
                    "unreached), or None.")
      .def_readonly("reached", &bfs_result_py::reached, "Number of vertices reached.")
      .def_readonly("max_level", &bfs_result_py::max_level, "The largest finite level.");
  m.def("bfs", &run_bfs, py::arg("graph"), py::arg("source"), py::kw_only(),
        py::arg("parents") = true, py::arg("max_depth") = py::none(),
        "Breadth-first search from a vertex or a sequence of vertices (all at level 0),\n"
        "direction-optimizing on undirected graphs. O(n + m); releases the GIL.");

  py::class_<pagerank_result_py>(m, "PageRankResult", "Result of tessera.pagerank().")
      .def_readonly("ranks", &pagerank_result_py::ranks, "float64 ranks (sum 1 unless dropped).")
      .def_readonly("iterations", &pagerank_result_py::iterations, "Iterations run.")
      .def_readonly("converged", &pagerank_result_py::converged,
                    "Whether the last L1 change was below the tolerance.")
      .def_readonly("residual", &pagerank_result_py::residual, "The last L1 change.");
  m.def("pagerank", &run_pagerank, py::arg("graph"), py::kw_only(), py::arg("damping") = 0.85,
        py::arg("tolerance") = 1e-6, py::arg("max_iterations") = 100,
        py::arg("fixed_iterations") = 0, py::arg("dangling") = "uniform",
        py::arg("personalization") = py::none(), py::arg("weighted") = false,
        "PageRank by power iteration (ranks start at 1/n). Stops when the L1 change of the\n"
        "rank vector drops below `tolerance` or after max_iterations (converged=False), or runs\n"
        "exactly fixed_iterations when that is non-zero (LDBC). dangling: where the rank of\n"
        "vertices without out-edges goes: 'uniform' (networkx, igraph, LDBC),\n"
        "'personalization' or 'drop' (GAP). personalization: teleport weights, one per vertex.\n"
        "weighted: follow edges in proportion to their weight. O(n + m) per iteration.");

  py::class_<components_result_py>(m, "ComponentsResult",
                                   "Result of tessera.wcc() and tessera.scc().")
      .def_readonly("labels", &components_result_py::labels,
                    "uint32 component label of each vertex.")
      .def_readonly("count", &components_result_py::count, "Number of components.");
  m.def(
      "wcc",
      [](const graph& g, const std::string& labels) { return run_components(g, labels, false); },
      py::arg("graph"), py::kw_only(), py::arg("labels") = "smallest",
      "Weakly connected components (Afforest). labels='smallest': each vertex gets the\n"
      "smallest vertex of its component; 'dense': 0 .. count-1. O(n + m); releases the GIL.");
  m.def(
      "scc",
      [](const graph& g, const std::string& labels) { return run_components(g, labels, true); },
      py::arg("graph"), py::kw_only(), py::arg("labels") = "smallest",
      "Strongly connected components (iterative Tarjan), labelled as wcc(). O(n + m).");

  py::class_<sssp_result_py>(m, "SSSPResult", "Result of tessera.sssp().")
      .def_readonly("distances", &sssp_result_py::distances,
                    "float64 distances; inf for unreachable vertices.")
      .def_readonly("predecessors", &sssp_result_py::predecessors,
                    "uint32 predecessor in a shortest-path tree (sources: themselves; "
                    "NO_VERTEX if unreachable), or None.");
  m.def("sssp", &run_sssp, py::arg("graph"), py::arg("source"), py::kw_only(),
        py::arg("algorithm") = "auto", py::arg("delta") = 0.0, py::arg("predecessors") = true,
        "Single-source (or multi-source) shortest paths over non-negative weights: 'dijkstra',\n"
        "'delta_stepping' (parallel; delta=0 picks the bucket width) or 'auto'. An unweighted\n"
        "graph has unit weights (answered by BFS). Negative weights raise tessera.Error.");

  m.def(
      "cdlp",
      [](const graph& g, std::size_t iterations) {
        tessera::cdlp_options opt;
        opt.iterations = iterations;
        opt.directed = g.directed;
        auto labels = std::visit(
            [&](const auto& v) {
              py::gil_scoped_release unlocked;
              return tessera::cdlp(v, opt);
            },
            g.view);
        return to_numpy(std::move(labels));
      },
      py::arg("graph"), py::kw_only(), py::arg("iterations") = 10,
      "Community detection by label propagation (LDBC CDLP): uint32 labels.");
  m.def(
      "lcc",
      [](const graph& g) {
        tessera::lcc_options opt;
        opt.symmetric = !g.directed;
        auto values = std::visit(
            [&](const auto& v) {
              py::gil_scoped_release unlocked;
              return tessera::lcc(v, opt);
            },
            g.view);
        return to_numpy(std::move(values));
      },
      py::arg("graph"), "Local clustering coefficient of every vertex (LDBC LCC), float64.");
  m.def(
      "triangle_count",
      [](const graph& g) {
        tessera::triangle_count_options opt;
        opt.symmetric = !g.directed;
        return std::visit(
            [&](const auto& v) {
              py::gil_scoped_release unlocked;
              return tessera::triangle_count(v, opt);
            },
            g.view);
      },
      py::arg("graph"), "Number of triangles of the underlying undirected simple graph.");
  m.def(
      "betweenness",
      [](const graph& g, std::size_t samples, std::uint64_t seed, bool normalize, bool weighted) {
        tessera::betweenness_options opt;
        opt.samples = samples;
        opt.seed = seed;
        opt.normalize = normalize;
        opt.undirected = !g.directed;
        std::vector<double> result;
        if (weighted) {
          const auto* w = std::get_if<view_w>(&g.view);
          if (w == nullptr)
            fail(tessera::errc::invalid_argument, "weighted betweenness needs a weighted graph");
          auto r = [&] {
            py::gil_scoped_release unlocked;
            return tessera::try_weighted_betweenness_centrality(*w, opt);
          }();
          result = std::move(r).value();
        } else {
          result = std::visit(
              [&](const auto& v) {
                py::gil_scoped_release unlocked;
                return tessera::betweenness_centrality(v, opt);
              },
              g.view);
        }
        return to_numpy(std::move(result));
      },
      py::arg("graph"), py::kw_only(), py::arg("samples") = 0, py::arg("seed") = 0,
      py::arg("normalize") = false, py::arg("weighted") = false,
      "Betweenness centrality (Brandes), float64. samples=k > 0 estimates it from k sources\n"
      "drawn with `seed`. weighted=True uses edge weights (all must be positive).");
}

} // namespace tessera_python
