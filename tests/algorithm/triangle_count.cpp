// Triangle counting: brute force on random graphs (directed input, self loops, multi-edges)
// over several id types, Zachary's karate club (45 triangles, a published figure), edge cases.
#include <tessera/algorithm/triangle_count.hpp>
#include <tessera/graph/compressed_graph.hpp>
#include <tessera/graph/read.hpp>

#include "more_fixtures.hpp"
#include "support/shared_data.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <fstream>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

using namespace more_fixtures;

namespace {

struct brute {
  std::uint64_t total = 0;
  std::vector<std::uint64_t> per_vertex;
};

// Every triple a < b < c of the undirected simple graph, checked against an adjacency matrix.
brute brute_force(std::size_t n, const std::vector<edge>& edges) {
  std::vector<std::vector<bool>> adj(n, std::vector<bool>(n, false));
  for (const auto& e : edges)
    if (e.u != e.v) adj[e.u][e.v] = adj[e.v][e.u] = true;
  brute r;
  r.per_vertex.assign(n, 0);
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = a + 1; b < n; ++b) {
      if (!adj[a][b]) continue;
      for (std::size_t c = b + 1; c < n; ++c)
        if (adj[a][c] && adj[b][c]) {
          ++r.total;
          ++r.per_vertex[a];
          ++r.per_vertex[b];
          ++r.per_vertex[c];
        }
    }
  return r;
}

} // namespace

TEST_CASE_TEMPLATE("triangle_count: brute force on random graphs", V, std::uint32_t, std::uint64_t,
                   std::int32_t, std::int64_t) {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const std::size_t n = 20 + 13 * seed;
    const auto edges = random_edges(n, n * (1 + seed), seed * 7 + 3);
    const auto want = brute_force(n, edges);
    const auto directed = make_csr<V>(n, edges);
    CHECK(tessera::triangle_count(directed) == want.total);
    CHECK(tessera::triangle_count_per_vertex(directed) == want.per_vertex);
    const auto sym = make_csr<V>(n, symmetric(edges), tessera::graph_direction::undirected);
    CHECK(tessera::triangle_count(sym) == want.total);
    CHECK(tessera::triangle_count_per_vertex(sym) == want.per_vertex);
    CHECK(tessera::triangle_count(sym, {.symmetric = false}) == want.total);
  }
  // Dense enough that the degree ordering and galloping paths matter: one hub joined to all.
  const std::size_t n = 300;
  auto edges = random_edges(n, 2000, 99);
  for (std::size_t v = 1; v < n; ++v) edges.push_back({0, v});
  const auto want = brute_force(n, edges);
  const auto g = make_csr<V>(n, edges);
  CHECK(tessera::triangle_count(g) == want.total);
  CHECK(tessera::triangle_count_per_vertex(g) == want.per_vertex);
}

TEST_CASE("triangle_count: Zachary's karate club has 45 triangles") {
  const auto path = tessera_test::shared_data("graphs/matrix-market/karate.mtx");
  if (!path) return;
  // A pattern symmetric file: the reader gives an undirected graph, built both ways.
  auto loaded =
      tessera::try_load_graph<std::uint32_t>(path->string(), tessera::graph_format::matrix_market);
  REQUIRE(loaded.has_value());
  const auto& g = loaded->graph;
  REQUIRE(g.num_vertices() == 34);
  REQUIRE(g.num_edges() == 2 * 78);
  CHECK_FALSE(g.is_directed());
  CHECK(tessera::triangle_count(g) == 45);
  const auto per = tessera::triangle_count_per_vertex(g);
  CHECK(std::accumulate(per.begin(), per.end(), std::uint64_t{0}) == 3 * 45);
  CHECK(per[0] == 18);  // member 1 (the instructor) closes 18 triangles
  CHECK(per[33] == 15); // member 34 (the administrator)
}

TEST_CASE("triangle_count: empty graph, isolated vertices, self loops, multi-edges") {
  CHECK(tessera::triangle_count(std::vector<std::vector<int>>{}) == 0);
  CHECK(tessera::triangle_count_per_vertex(std::vector<std::vector<int>>{}).empty());
  CHECK(tessera::triangle_count(std::vector<std::vector<int>>(5)) == 0);
  // One triangle 0-1-2 written with a self loop, duplicates and both directions; 3 isolated.
  const std::vector<std::vector<long>> g{{1, 1, 2, 0}, {0, 2, 2}, {0}, {}};
  CHECK(tessera::triangle_count(g) == 1);
  CHECK(tessera::triangle_count_per_vertex(g) == std::vector<std::uint64_t>{1, 1, 1, 0});
  // A 4-clique: 4 triangles, 3 at each corner.
  const std::vector<std::vector<int>> k4{{1, 2, 3}, {2, 3}, {3}, {}};
  CHECK(tessera::triangle_count(k4) == 4);
  CHECK(tessera::triangle_count_per_vertex(k4) == std::vector<std::uint64_t>{3, 3, 3, 3});
}
