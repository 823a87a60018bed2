// tessera quick start: generate a Graph500 Kronecker graph, build a compressed graph, and run
// BFS, PageRank and weakly connected components on it. Usage: quickstart [scale]
#include <tessera/algorithm/bfs.hpp>
#include <tessera/algorithm/components.hpp>
#include <tessera/algorithm/pagerank.hpp>
#include <tessera/graph/build.hpp>
#include <tessera/graph/generate.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
  using clock = std::chrono::steady_clock;
  const auto ms = [](clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(clock::now() - t0).count();
  };
  const unsigned scale = argc > 1 ? static_cast<unsigned>(std::atoi(argv[1])) : 16;

  auto t = clock::now();
  const auto edges = tessera::generate_kronecker<std::uint32_t>({.scale = scale});
  const double t_generate = ms(t);

  t = clock::now();
  // Undirected, without self loops or parallel edges, neighbours sorted: the GAP convention.
  const auto g = tessera::build_graph<std::uint32_t, std::uint64_t>(
      edges.sources, edges.targets,
      tessera::build_options{.num_vertices = edges.num_vertices,
                             .drop_self_loops = true,
                             .duplicates = tessera::duplicate_policy::first,
                             .symmetrize = true,
                             .sort_neighbors = true});
  const double t_build = ms(t);

  std::uint32_t hub = 0; // BFS from the vertex of highest degree
  for (std::uint32_t v = 0; v < g.num_vertices(); ++v)
    if (g.degree(v) > g.degree(hub)) hub = v;
  t = clock::now();
  const auto levels = tessera::bfs(g, hub, {.compute_parents = false});
  const double t_bfs = ms(t);

  t = clock::now();
  const auto pr = tessera::pagerank(g, {.tolerance = 1e-9, .max_iterations = 100});
  const double t_pr = ms(t);

  t = clock::now();
  const auto wcc = tessera::weakly_connected_components(g);
  const double t_wcc = ms(t);

  const auto top = std::max_element(pr.rank.begin(), pr.rank.end()) - pr.rank.begin();
  std::printf("Kronecker scale %u: %zu vertices, %zu stored edges, %.1f MB (%d thread(s))\n", scale,
              g.num_vertices(), g.num_edges(), static_cast<double>(g.memory_bytes()) / 1e6,
              tessera::num_threads());
  std::printf("  generate %8.1f ms\n  build    %8.1f ms\n", t_generate, t_build);
  std::printf("  bfs      %8.1f ms  from %u: %zu reached, depth %zu\n", t_bfs, hub, levels.reached,
              levels.max_level);
  std::printf("  pagerank %8.1f ms  %zu iterations, converged: %s, top vertex %td (rank %.3g)\n",
              t_pr, pr.iterations, pr.converged ? "yes" : "no", top, pr.rank[std::size_t(top)]);
  std::printf("  wcc      %8.1f ms  %zu components\n", t_wcc, wcc.count);
  return pr.converged ? EXIT_SUCCESS : EXIT_FAILURE;
}
