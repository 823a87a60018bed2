// Triangle counting and betweenness centrality: tessera, with Boost.Graph beside it where Boost
// has the kernel (brandes_betweenness_centrality; Boost.Graph has no triangle counting), 1 and
// 2 threads.
//
// Graphs (deterministic, from tessera's generators): Kronecker scale 20, edge factor 16
// (Graph500 parameters, ids permuted) and uniform random 2^20 vertices / 10 * 2^20 edges, both
// symmetrized with self loops dropped and duplicates merged (as GAP builds its inputs).
//
// Betweenness on those graphs is sampled: 8 sources per run (exact Brandes would be 2^20
// single-source searches, hours). Boost.Graph can only compute exact betweenness (every vertex
// a source), so the side-by-side comparison uses a smaller Kronecker graph (scale 12, edge
// factor 16: 4096 vertices) on which both run exact Brandes, unweighted and weighted.
//
//   tessera_bench_graph --benchmark_filter='more/'
#include <tessera/algorithm/betweenness.hpp>
#include <tessera/algorithm/triangle_count.hpp>
#include <tessera/core/parallel.hpp>
#include <tessera/graph/build.hpp>
#include <tessera/graph/generate.hpp>

#include <boost/graph/betweenness_centrality.hpp>
#include <boost/graph/compressed_sparse_row_graph.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace {

using V = std::uint32_t;
using graph_t = tessera::compressed_graph<V, std::uint64_t, void>;
using wgraph_t = tessera::compressed_graph<V, std::uint64_t, double>;

struct input {
  std::string name;
  graph_t g;
  wgraph_t gw; // only for the small graph
};

tessera::build_options simple_symmetric(std::size_t n) {
  tessera::build_options o;
  o.num_vertices = n;
  o.symmetrize = true;
  o.drop_self_loops = true;
  o.duplicates = tessera::duplicate_policy::min;
  o.sort_neighbors = true;
  return o;
}

std::unique_ptr<input> make_input(int which) {
  auto in = std::make_unique<input>();
  tessera::generated_edges<V> e;
  if (which == 1) {
    e = tessera::try_generate_uniform<V>(std::size_t{1} << 20, std::size_t{10} << 20, 42).value();
    in->name = "uniform-1M-10M";
  } else {
    tessera::kronecker_options k;
    k.scale = which == 0 ? 20 : 12;
    k.edge_factor = 16;
    k.seed = 27491095;
    e = tessera::try_generate_kronecker<V>(k).value();
    in->name = which == 0 ? "kron-20" : "kron-12";
  }
  in->g = tessera::build_graph<V, std::uint64_t, void>(e.sources, e.targets,
                                                       simple_symmetric(e.num_vertices));
  if (which == 2) {
    std::vector<double> w(e.size());
    for (std::size_t i = 0; i < w.size(); ++i) w[i] = static_cast<double>(1 + (i * 7919) % 255);
    in->gw = tessera::build_graph<V, std::uint64_t, double>(e.sources, e.targets, w,
                                                            simple_symmetric(e.num_vertices));
  }
  return in;
}

// 0: kron-20, 1: uniform-1M-10M, 2: kron-12 (small, for exact Brandes beside Boost).
const input& graph(int which) {
  static std::unique_ptr<input> slots[3];
  auto& slot = slots[which];
  if (!slot) slot = make_input(which);
  return *slot;
}

void label(benchmark::State& st, const input& in) {
  st.SetLabel(in.name + " n=" + std::to_string(in.g.num_vertices()) +
              " m(sym)=" + std::to_string(in.g.num_edges()));
}

// A Boost.Graph CSR of the same symmetric graph (both directions stored, directedS: Boost's CSR
// has no undirected form), weighted.
using boost_csr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, double>;
const boost_csr& boost_graph(const wgraph_t& g) {
  static std::unique_ptr<boost_csr> b;
  if (!b) {
    std::vector<std::pair<std::size_t, std::size_t>> el;
    std::vector<double> w;
    for (std::size_t u = 0; u < g.num_vertices(); ++u) {
      const auto t = g.targets_of(u);
      const auto ws = g.weights_of(u);
      for (std::size_t i = 0; i < t.size(); ++i) el.emplace_back(u, t[i]), w.push_back(ws[i]);
    }
    b = std::make_unique<boost_csr>(boost::edges_are_sorted, el.begin(), el.end(), w.begin(),
                                    g.num_vertices());
  }
  return *b;
}

// ---- triangle counting -------------------------------------------------------------------------
void more_tc_tessera(benchmark::State& st) {
  const auto& in = graph(static_cast<int>(st.range(0)));
  tessera::set_num_threads(static_cast<int>(st.range(1)));
  std::uint64_t triangles = 0;
  for (auto _ : st) {
    triangles = tessera::triangle_count(in.g);
    benchmark::DoNotOptimize(triangles);
  }
  st.counters["triangles"] = static_cast<double>(triangles);
  label(st, in);
  tessera::set_num_threads(0);
}

// ---- betweenness, sampled sources on the large graphs ---------------------------------------
constexpr std::size_t sampled_sources = 8;

void more_bc_sampled_tessera(benchmark::State& st) {
  const auto& in = graph(static_cast<int>(st.range(0)));
  tessera::set_num_threads(static_cast<int>(st.range(1)));
  double top = 0;
  for (auto _ : st) {
    const auto c = tessera::betweenness_centrality(in.g, {.samples = sampled_sources, .seed = 1});
    top = *std::max_element(c.begin(), c.end());
    benchmark::DoNotOptimize(c.data());
  }
  st.counters["sources"] = static_cast<double>(sampled_sources);
  st.counters["max_bc"] = top;
  st.counters["ms/source"] = benchmark::Counter(static_cast<double>(sampled_sources) * 1e-3,
                                                benchmark::Counter::kIsIterationInvariantRate |
                                                    benchmark::Counter::kInvert);
  label(st, in);
  tessera::set_num_threads(0);
}

// ---- betweenness, exact, beside Boost.Graph on kron-12 ----------------------------------------
void more_bc_exact_tessera(benchmark::State& st) {
  const auto& in = graph(2);
  tessera::set_num_threads(static_cast<int>(st.range(0)));
  const bool weighted = st.range(1) != 0;
  for (auto _ : st) {
    const auto c = weighted ? tessera::weighted_betweenness_centrality(in.gw)
                            : tessera::betweenness_centrality(in.g);
    benchmark::DoNotOptimize(c.data());
  }
  label(st, in);
  tessera::set_num_threads(0);
}

void more_bc_exact_boost(benchmark::State& st) {
  const auto& in = graph(2);
  const auto& g = boost_graph(in.gw);
  const bool weighted = st.range(0) != 0;
  for (auto _ : st) {
    std::vector<double> c(num_vertices(g), 0.0);
    auto cmap = boost::make_iterator_property_map(c.begin(), get(boost::vertex_index, g));
    if (weighted)
      boost::brandes_betweenness_centrality(
          g, boost::centrality_map(cmap).weight_map(get(boost::edge_bundle, g)));
    else
      boost::brandes_betweenness_centrality(g, boost::centrality_map(cmap));
    benchmark::DoNotOptimize(c.data());
  }
  label(st, in);
}

BENCHMARK(more_tc_tessera)
    ->ArgNames({"graph", "threads"})
    ->Args({0, 1})
    ->Args({0, 2})
    ->Args({1, 1})
    ->Args({1, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(more_bc_sampled_tessera)
    ->ArgNames({"graph", "threads"})
    ->Args({0, 1})
    ->Args({0, 2})
    ->Args({1, 1})
    ->Args({1, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(more_bc_exact_tessera)
    ->ArgNames({"threads", "weighted"})
    ->Args({1, 0})
    ->Args({2, 0})
    ->Args({1, 1})
    ->Args({2, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(more_bc_exact_boost)
    ->ArgNames({"weighted"})
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

} // namespace
