// BFS, PageRank (20 iterations), SSSP, WCC and SCC: tessera beside Boost.Graph (its compressed
// sparse row graph, the fastest Boost.Graph structure) on the same graphs, 1 and 2 threads.
//
// Graphs from tessera's generators (deterministic): uniform random, 2^20 vertices and 10 * 2^20
// edges; Kronecker (Graph500 a=0.57 b=0.19 c=0.19), scale 20, edge factor 16, ids permuted. BFS,
// PageRank, SSSP and WCC run on the symmetrized graph (self loops dropped, duplicates merged, as
// GAP builds its inputs); SCC on the directed graph. SSSP weights are integers in [1, 255] (GAP's).
//
//   tessera_bench_graph --benchmark_filter='core/'
#include <tessera/algorithm/bfs.hpp>
#include <tessera/algorithm/components.hpp>
#include <tessera/algorithm/pagerank.hpp>
#include <tessera/algorithm/sssp.hpp>
#include <tessera/core/parallel.hpp>
#include <tessera/graph/build.hpp>
#include <tessera/graph/generate.hpp>

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/dijkstra_shortest_paths_no_color_map.hpp>
#include <boost/graph/page_rank.hpp>
#include <boost/graph/strong_components.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <numeric>
#include <utility>
#include <vector>

namespace {

using V = std::uint32_t;

struct edges {
  std::size_t n = 0;
  std::vector<V> src, dst;
  std::vector<std::int32_t> w;
};

edges make_edges(int which) {
  tessera::generated_edges<V> g;
  if (which == 0) {
    g = tessera::generate_uniform<V>(std::size_t{1} << 20, std::size_t{10} << 20, 42);
  } else {
    tessera::kronecker_options k;
    k.scale = 20;
    k.edge_factor = 16;
    k.seed = 27491095;
    g = tessera::generate_kronecker<V>(k);
  }
  edges e;
  e.n = g.num_vertices;
  e.w = tessera::generate_weights<std::int32_t>(g.size(), 1, 255, 7);
  e.src = std::move(g.sources);
  e.dst = std::move(g.targets);
  return e;
}

using boost_csr =
    boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, std::int32_t>;
using boost_bidi = boost::compressed_sparse_row_graph<boost::bidirectionalS>;

struct fixture {
  tessera::compressed_graph<V, std::uint64_t, void> sym, directed;
  tessera::compressed_graph<V, std::uint64_t, std::int32_t> sym_w;
  std::unique_ptr<boost_csr> b_sym;   // symmetric, weighted
  std::unique_ptr<boost_bidi> b_bidi; // symmetric, for page_rank's in-edges
  std::unique_ptr<boost_csr> b_dir;   // directed
  std::vector<V> sources;
};

std::unique_ptr<boost_csr>
to_boost(const tessera::compressed_graph<V, std::uint64_t, std::int32_t>& g) {
  std::vector<std::pair<std::size_t, std::size_t>> el;
  std::vector<std::int32_t> w;
  el.reserve(g.num_edges());
  for (std::size_t u = 0; u < g.num_vertices(); ++u) {
    const auto t = g.targets_of(u);
    const auto ws = g.weights_of(u);
    for (std::size_t i = 0; i < t.size(); ++i) el.emplace_back(u, t[i]), w.push_back(ws[i]);
  }
  return std::make_unique<boost_csr>(boost::edges_are_sorted, el.begin(), el.end(), w.begin(),
                                     g.num_vertices());
}

fixture make_fixture(const edges& e) {
  fixture f;
  tessera::build_options sym;
  sym.num_vertices = e.n;
  sym.symmetrize = true;
  sym.drop_self_loops = true;
  sym.duplicates = tessera::duplicate_policy::min;
  sym.sort_neighbors = true;
  f.sym_w = tessera::build_graph<V, std::uint64_t, std::int32_t>(e.src, e.dst, e.w, sym);
  f.sym = tessera::build_graph<V, std::uint64_t, void>(e.src, e.dst, sym);
  tessera::build_options dir;
  dir.num_vertices = e.n;
  dir.drop_self_loops = true;
  dir.duplicates = tessera::duplicate_policy::min;
  dir.sort_neighbors = true;
  auto dir_w = tessera::build_graph<V, std::uint64_t, std::int32_t>(e.src, e.dst, e.w, dir);
  f.directed = tessera::build_graph<V, std::uint64_t, void>(e.src, e.dst, dir);
  f.b_sym = to_boost(f.sym_w);
  f.b_dir = to_boost(dir_w);
  {
    std::vector<std::pair<std::size_t, std::size_t>> el;
    for (std::size_t u = 0; u < f.sym.num_vertices(); ++u)
      for (const V v : f.sym.targets_of(u)) el.emplace_back(u, v);
    f.b_bidi = std::make_unique<boost_bidi>(boost::edges_are_unsorted_multi_pass, el.begin(),
                                            el.end(), f.sym.num_vertices());
  }
  std::uint64_t x = 7;
  while (f.sources.size() < 16) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const auto s = static_cast<V>((x >> 33) % e.n);
    if (f.sym.degree(s) > 0) f.sources.push_back(s);
  }
  return f;
}

const fixture& graph(int which) {
  static std::unique_ptr<fixture> uniform, kron;
  auto& slot = which == 0 ? uniform : kron;
  if (!slot) slot = std::make_unique<fixture>(make_fixture(make_edges(which)));
  return *slot;
}

const char* graph_name(int which) {
  return which == 0 ? "uniform-1M-10M" : "kron-20";
}

void label(benchmark::State& st, const fixture& f, int which) {
  st.SetLabel(std::string(graph_name(which)) + " n=" + std::to_string(f.sym.num_vertices()) +
              " m(sym)=" + std::to_string(f.sym.num_edges()));
}

// ---- BFS -------------------------------------------------------------------------------------
void core_bfs_tessera(benchmark::State& st) {
  const auto& f = graph(static_cast<int>(st.range(0)));
  tessera::set_num_threads(static_cast<int>(st.range(1)));
  std::size_t i = 0, reached = 0;
  for (auto _ : st) {
    auto r = tessera::bfs(f.sym, f.sources[i++ % f.sources.size()]);
    reached = r.reached;
    benchmark::DoNotOptimize(r.level.data());
  }
  st.counters["reached"] = static_cast<double>(reached);
  label(st, f, static_cast<int>(st.range(0)));
  tessera::set_num_threads(0);
}
void core_bfs_boost(benchmark::State& st) {
  const auto& f = graph(static_cast<int>(st.range(0)));
  const auto& g = *f.b_sym;
  std::size_t i = 0;
  for (auto _ : st) {
    std::vector<V> dist(num_vertices(g), 0);
    boost::breadth_first_search(g, f.sources[i++ % f.sources.size()],
                                boost::visitor(boost::make_bfs_visitor(
                                    boost::record_distances(dist.data(), boost::on_tree_edge()))));
    benchmark::DoNotOptimize(dist.data());
  }
  label(st, f, static_cast<int>(st.range(0)));
}

// ---- PageRank --------------------------------------------------------------------------------
void core_pagerank_tessera(benchmark::State& st) {
  const auto& f = graph(static_cast<int>(st.range(0)));
  tessera::set_num_threads(static_cast<int>(st.range(1)));
  tessera::pagerank_options opt;
  opt.fixed_iterations = 20;
  opt.dangling = tessera::dangling_policy::drop; // as Boost
  for (auto _ : st) {
    if (st.range(2) == 0) {
      auto r = tessera::pagerank<double>(f.sym, opt);
      benchmark::DoNotOptimize(r.rank.data());
    } else {
      auto r = tessera::pagerank<float>(f.sym, opt);
      benchmark::DoNotOptimize(r.rank.data());
    }
  }
  label(st, f, static_cast<int>(st.range(0)));
  tessera::set_num_threads(0);
}
void core_pagerank_boost(benchmark::State& st) {
  const auto& f = graph(static_cast<int>(st.range(0)));
  const auto& g = *f.b_bidi;
  for (auto _ : st) {
    std::vector<double> rank(num_vertices(g));
    boost::graph::page_rank(
        g, boost::make_iterator_property_map(rank.begin(), get(boost::vertex_index, g)),
        boost::graph::n_iterations(20), 0.85);
    benchmark::DoNotOptimize(rank.data());
  }
  label(st, f, static_cast<int>(st.range(0)));
}

// ---- SSSP ------------------------------------------------------------------------------------
// tessera's SSSP from a rotating source; st.range(0) is the graph, `threads` the thread count
// (0: the default).
void run_sssp(benchmark::State& st, tessera::sssp_options opt, int threads) {
  const auto& f = graph(static_cast<int>(st.range(0)));
  tessera::set_num_threads(threads);
  opt.compute_predecessors = false;
  std::size_t i = 0;
  for (auto _ : st) {
    auto r = tessera::sssp(f.sym_w, f.sources[i++ % f.sources.size()], opt);
    benchmark::DoNotOptimize(r.distance.data());
  }
  label(st, f, static_cast<int>(st.range(0)));
  tessera::set_num_threads(0);
}
void core_sssp_tessera_delta(benchmark::State& st) {
  tessera::sssp_options opt;
  opt.algorithm = tessera::sssp_algorithm::delta_stepping;
  opt.delta = static_cast<double>(st.range(2));
  run_sssp(st, opt, static_cast<int>(st.range(1)));
}
// sssp_algorithm::automatic: what a caller gets without choosing.
void core_sssp_tessera_auto(benchmark::State& st) {
  run_sssp(st, tessera::sssp_options{}, static_cast<int>(st.range(1)));
}
void core_sssp_tessera_dijkstra(benchmark::State& st) {
  tessera::sssp_options opt;
  opt.algorithm = tessera::sssp_algorithm::dijkstra;
  run_sssp(st, opt, 0);
}
void core_sssp_boost_dijkstra(benchmark::State& st) {
  const auto& f = graph(static_cast<int>(st.range(0)));
  const auto& g = *f.b_sym;
  std::size_t i = 0;
  for (auto _ : st) {
    std::vector<std::int64_t> dist(num_vertices(g));
    boost::dijkstra_shortest_paths_no_color_map(
        g, f.sources[i++ % f.sources.size()],
        boost::distance_map(dist.data()).weight_map(get(boost::edge_bundle, g)));
    benchmark::DoNotOptimize(dist.data());
  }
  label(st, f, static_cast<int>(st.range(0)));
}

// ---- Components ------------------------------------------------------------------------------
void core_wcc_tessera(benchmark::State& st) {
  const auto& f = graph(static_cast<int>(st.range(0)));
  tessera::set_num_threads(static_cast<int>(st.range(1)));
  for (auto _ : st) {
    auto r = tessera::weakly_connected_components(f.sym);
    benchmark::DoNotOptimize(r.component.data());
  }
  label(st, f, static_cast<int>(st.range(0)));
  tessera::set_num_threads(0);
}
void core_wcc_boost(benchmark::State& st) {
  const auto& f = graph(static_cast<int>(st.range(0)));
  const auto& g = *f.b_sym;
  for (auto _ : st) {
    std::vector<V> comp(num_vertices(g));
    benchmark::DoNotOptimize(boost::connected_components(
        g, boost::make_iterator_property_map(comp.begin(), get(boost::vertex_index, g))));
  }
  label(st, f, static_cast<int>(st.range(0)));
}
void core_scc_tessera(benchmark::State& st) {
  const auto& f = graph(static_cast<int>(st.range(0)));
  tessera::set_num_threads(static_cast<int>(st.range(1)));
  for (auto _ : st) {
    auto r = tessera::strongly_connected_components(f.directed);
    benchmark::DoNotOptimize(r.component.data());
  }
  label(st, f, static_cast<int>(st.range(0)));
  tessera::set_num_threads(0);
}
void core_scc_boost(benchmark::State& st) {
  const auto& f = graph(static_cast<int>(st.range(0)));
  const auto& g = *f.b_dir;
  for (auto _ : st) {
    std::vector<V> comp(num_vertices(g));
    benchmark::DoNotOptimize(boost::strong_components(
        g, boost::make_iterator_property_map(comp.begin(), get(boost::vertex_index, g))));
  }
  label(st, f, static_cast<int>(st.range(0)));
}

// Args: {graph (0 uniform, 1 Kronecker), threads}
void threads_args(benchmark::internal::Benchmark* b) {
  for (int g : {0, 1})
    for (int t : {1, 2}) b->Args({g, t});
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}
void boost_args(benchmark::internal::Benchmark* b) {
  for (int g : {0, 1}) b->Args({g, 1});
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}
// Args: {graph, threads, delta (0: automatic)}
void delta_args(benchmark::internal::Benchmark* b) {
  for (int g : {0, 1})
    for (int t : {1, 2}) b->Args({g, t, 0});
  for (int d : {1, 4, 16, 64}) b->Args({0, 1, d});
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}
// Args: {graph, threads, 0 double / 1 float}
void pr_args(benchmark::internal::Benchmark* b) {
  for (int g : {0, 1})
    for (int t : {1, 2})
      for (int f : {0, 1}) b->Args({g, t, f});
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}

} // namespace

BENCHMARK(core_bfs_tessera)->Apply(threads_args);
BENCHMARK(core_bfs_boost)->Apply(boost_args);
BENCHMARK(core_pagerank_tessera)->Apply(pr_args);
BENCHMARK(core_pagerank_boost)->Apply(boost_args)->Iterations(2);
BENCHMARK(core_sssp_tessera_delta)->Apply(delta_args);
BENCHMARK(core_sssp_tessera_auto)->Apply(threads_args);
BENCHMARK(core_sssp_tessera_dijkstra)->Apply(boost_args)->Iterations(3);
BENCHMARK(core_sssp_boost_dijkstra)->Apply(boost_args)->Iterations(3);
BENCHMARK(core_wcc_tessera)->Apply(threads_args);
BENCHMARK(core_wcc_boost)->Apply(boost_args)->Iterations(3);
BENCHMARK(core_scc_tessera)->Apply(threads_args);
BENCHMARK(core_scc_boost)->Apply(boost_args)->Iterations(3);
