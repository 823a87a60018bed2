// Building a CSR from an edge list: tessera's parallel counting sort beside Boost.Graph's
// compressed_sparse_row_graph construction from the same edges, 1 and 2 threads, with memory.
//
// Graphs from tessera's generators (deterministic): Kronecker (Graph500 a=0.57 b=0.19 c=0.19),
// scale 20, edge factor 16, ids permuted (16.8M edges); uniform random, 2^20 vertices and
// 10 * 2^20 edges. Ids are 32-bit, offsets 64-bit on both sides.
//
//   build/tessera/<graph>    directed CSR in input order (what Boost builds)
//   build/tessera_sym/<graph> GAP-style undirected: symmetrized, self loops dropped, duplicates
//                            merged, neighbours sorted
//   build/boost/<graph>      boost::compressed_sparse_row_graph(edges_are_unsorted_multi_pass)
//   build/transpose/<graph>  the CSC of the directed CSR
//   read/edge_list/luxembourg_osm  parsing a real edge list (../shared/data), MB/s
// Counters: bytes_per_edge = CSR bytes / m (targets + offsets), offset_bytes_per_vertex.
//
//   tessera_bench_graph --benchmark_filter='build/|read/'
#include <tessera/core/parallel.hpp>
#include <tessera/graph/build.hpp>
#include <tessera/graph/generate.hpp>
#include <tessera/graph/read.hpp>

#include <boost/graph/compressed_sparse_row_graph.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace {

using V = std::uint32_t;

struct edge_input {
  std::size_t n = 0;
  std::vector<V> src, dst;
  std::vector<std::pair<V, V>> pairs; // the same edges for Boost's constructor
};

const edge_input& input(int which) {
  static edge_input cache[2];
  static bool made[2] = {false, false};
  edge_input& e = cache[which];
  if (!made[which]) {
    tessera::generated_edges<V> g;
    if (which == 0) {
      tessera::kronecker_options k;
      k.scale = 20;
      k.edge_factor = 16;
      k.seed = 27491095;
      g = tessera::generate_kronecker<V>(k);
    } else {
      g = tessera::generate_uniform<V>(std::size_t{1} << 20, std::size_t{10} << 20, 42);
    }
    e.n = g.num_vertices;
    e.src = std::move(g.sources);
    e.dst = std::move(g.targets);
    e.pairs.resize(e.src.size());
    for (std::size_t i = 0; i < e.src.size(); ++i) e.pairs[i] = {e.src[i], e.dst[i]};
    made[which] = true;
  }
  return e;
}

const char* graph_name(int which) {
  return which == 0 ? "kron20" : "uniform20";
}

// (Appending instead of operator+ sidesteps a g++ 12 -Wrestrict false positive at -O3.)
std::string bench_name(const char* prefix, const char* graph) {
  std::string name(prefix);
  name.append(graph);
  return name;
}

template <class G>
void memory_counters(benchmark::State& state, const G& g) {
  const auto m = static_cast<double>(g.num_edges());
  const auto bytes = static_cast<double>(g.memory_bytes());
  state.counters["bytes_per_edge"] = bytes / m;
  state.counters["offset_bytes_per_vertex"] =
      static_cast<double>(g.offsets().size_bytes()) / static_cast<double>(g.num_vertices());
  state.counters["target_bytes_per_edge"] = static_cast<double>(g.targets().size_bytes()) / m;
  state.counters["MiB"] = bytes / (1024.0 * 1024.0);
}

void tessera_build(benchmark::State& state, int which, bool gap_style) {
  const auto& e = input(which);
  const tessera::thread_limit_scope threads(static_cast<int>(state.range(0)));
  tessera::build_options opt;
  opt.num_vertices = e.n;
  if (gap_style) {
    opt.symmetrize = true;
    opt.drop_self_loops = true;
    opt.duplicates = tessera::duplicate_policy::first;
    opt.sort_neighbors = true;
  }
  std::size_t edges = 0;
  for (auto _ : state) {
    auto g = tessera::build_graph<V, std::uint64_t>(e.src, e.dst, opt);
    edges = g.num_edges();
    benchmark::DoNotOptimize(g.targets().data());
    state.PauseTiming();
    memory_counters(state, g);
    g = {}; // free outside the timed region
    state.ResumeTiming();
  }
  state.counters["edges"] = static_cast<double>(edges);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(e.src.size()));
}

using boost_csr =
    boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                       boost::no_property, std::uint32_t, std::uint64_t>;

void boost_build(benchmark::State& state, int which) {
  const auto& e = input(which);
  for (auto _ : state) {
    boost_csr g(boost::edges_are_unsorted_multi_pass, e.pairs.begin(), e.pairs.end(),
                static_cast<std::uint32_t>(e.n));
    benchmark::DoNotOptimize(&g);
    state.PauseTiming();
    const double m = static_cast<double>(boost::num_edges(g));
    const double bytes = static_cast<double>(g.m_forward.m_rowstart.size() * sizeof(std::uint64_t) +
                                             g.m_forward.m_column.size() * sizeof(std::uint32_t));
    state.counters["bytes_per_edge"] = bytes / m;
    state.counters["MiB"] = bytes / (1024.0 * 1024.0);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(e.src.size()));
}

void tessera_transpose(benchmark::State& state, int which) {
  const auto& e = input(which);
  const tessera::thread_limit_scope threads(static_cast<int>(state.range(0)));
  tessera::build_options opt;
  opt.num_vertices = e.n;
  const auto g = tessera::build_graph<V, std::uint64_t>(e.src, e.dst, opt);
  for (auto _ : state) {
    auto t = tessera::transpose(g);
    benchmark::DoNotOptimize(t.targets().data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(e.src.size()));
}

void read_edge_list(benchmark::State& state) {
  const std::string path = std::string(TESSERA_SHARED_DATA_DIR) + "/graphs/real/luxembourg_osm.el";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    state.SkipWithError("../shared/data is absent");
    return;
  }
  const auto size = std::filesystem::file_size(path);
  for (auto _ : state) {
    auto el = tessera::read_edge_list<void>(path);
    benchmark::DoNotOptimize(el.sources.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(size));
}

const bool registered = [] {
  for (int which : {0, 1}) {
    const char* g = graph_name(which);
    benchmark::RegisterBenchmark(bench_name("build/tessera/", g).c_str(),
                                 [which](benchmark::State& s) { tessera_build(s, which, false); })
        ->ArgName("threads")
        ->Arg(1)
        ->Arg(2)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark(bench_name("build/tessera_sym/", g).c_str(),
                                 [which](benchmark::State& s) { tessera_build(s, which, true); })
        ->ArgName("threads")
        ->Arg(1)
        ->Arg(2)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark(bench_name("build/boost/", g).c_str(),
                                 [which](benchmark::State& s) { boost_build(s, which); })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark(bench_name("build/transpose/", g).c_str(),
                                 [which](benchmark::State& s) { tessera_transpose(s, which); })
        ->ArgName("threads")
        ->Arg(1)
        ->Arg(2)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  benchmark::RegisterBenchmark("read/edge_list/luxembourg_osm", read_edge_list)
      ->Unit(benchmark::kMillisecond);
  return true;
}();

} // namespace
