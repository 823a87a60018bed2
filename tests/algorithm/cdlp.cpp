// CDLP: LDBC Graphalytics validation (directed and undirected), an independent reference on
// random graphs over several id types, and the edge cases.
#include <tessera/algorithm/cdlp.hpp>
#include <tessera/graph/compressed_graph.hpp>
#include <tessera/graph/read.hpp>

#include "more_fixtures.hpp"
#include "support/shared_data.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

using namespace more_fixtures;

namespace {

// The Graphalytics rule written plainly: count every out-neighbour's and (directed) every
// in-neighbour's label with a map, most frequent wins, smallest on ties.
std::vector<std::int64_t> reference_cdlp(std::size_t n, const std::vector<edge>& edges,
                                         const std::vector<std::int64_t>& initial, bool directed,
                                         std::size_t iterations) {
  std::vector<std::int64_t> labels = initial;
  for (std::size_t it = 0; it < iterations; ++it) {
    std::vector<std::map<std::int64_t, std::size_t>> counts(n);
    for (const auto& e : edges) {
      ++counts[e.u][labels[e.v]];
      if (directed) ++counts[e.v][labels[e.u]];
    }
    std::vector<std::int64_t> next = labels;
    for (std::size_t v = 0; v < n; ++v) {
      std::size_t best = 0;
      for (const auto& [label, c] : counts[v])
        if (c > best) best = c, next[v] = label;
    }
    labels = next;
  }
  return labels;
}

// `input` is an LDBC adjacency file (`*-input`) or, with `ldbc_prefix`, a PREFIX of .v/.e files;
// both are read with tessera's own readers.
void check_ldbc(const std::string& input, const std::string& expected, bool directed,
                std::size_t iterations, bool ldbc_prefix = false) {
  auto ldbc = load_ldbc_case<std::uint32_t>(input, expected, directed, ldbc_prefix);
  if (!ldbc) return;
  const auto& loaded = ldbc->loaded;
  const auto& csr = loaded.graph;
  const std::size_t n = csr.num_vertices();
  std::vector<std::int64_t> ids(n);
  for (std::size_t v = 0; v < n; ++v) ids[v] = loaded.vertices.key(v);
  const auto want = read_ldbc_output<std::int64_t>(ldbc->expected);
  REQUIRE(want.size() == n);
  const auto labels =
      tessera::cdlp(csr, std::span<const std::int64_t>(ids), {.iterations = iterations});
  for (std::size_t v = 0; v < n; ++v) {
    INFO(input << " vertex " << ids[v]);
    CHECK(labels[v] == want.at(ids[v]));
  }
  // The same through a plain vector of vectors (directed reading, transposed internally).
  std::vector<std::vector<int>> adj(n);
  for (std::size_t u = 0; u < n; ++u)
    for (const auto v : csr.targets_of(u)) adj[u].push_back(static_cast<int>(v));
  const auto again = tessera::cdlp(adj, std::span<const std::int64_t>(ids),
                                   {.iterations = iterations, .directed = directed});
  CHECK(again == labels);
}

} // namespace

TEST_CASE("cdlp: LDBC Graphalytics validation graphs") {
  check_ldbc("cdlp/dir-input", "cdlp/dir-output", true, 5);
  check_ldbc("cdlp/undir-input", "cdlp/undir-output", false, 5);
  check_ldbc("example/example-directed-input", "example/example-directed-CDLP", true, 2);
  check_ldbc("example/example-undirected-input", "example/example-undirected-CDLP", false, 2);
  check_ldbc("example/example-directed", "example/example-directed-CDLP", true, 2, true);
  check_ldbc("example/example-undirected", "example/example-undirected-CDLP", false, 2, true);
}

TEST_CASE_TEMPLATE("cdlp: matches the plain rule on random graphs", V, std::uint32_t, std::uint64_t,
                   std::int32_t, std::int64_t) {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const std::size_t n = 40 + seed * 7;
    const auto edges = random_edges(n, n * 3, seed); // self loops and multi-edges included
    std::vector<std::int64_t> initial(n);
    for (std::size_t v = 0; v < n; ++v) initial[v] = static_cast<std::int64_t>((v * 37) % 101);
    const auto csr = make_csr<V>(n, edges);
    for (bool directed : {true, false}) {
      const auto got = tessera::cdlp(csr, std::span<const std::int64_t>(initial),
                                     {.iterations = 4, .directed = directed});
      CHECK(got == reference_cdlp(n, edges, initial, directed, 4));
    }
    // Stored in-edges give the same answer as the internal transpose.
    std::vector<edge> reversed;
    for (const auto& e : edges) reversed.push_back({e.v, e.u});
    const tessera::bidirectional_graph<V> both(make_csr<V>(n, edges), make_csr<V>(n, reversed));
    CHECK(tessera::cdlp(both, {.iterations = 3}) == tessera::cdlp(csr, {.iterations = 3}));
    // Symmetric storage: the undirected reading equals the directed reading.
    const auto sym = make_csr<V>(n, symmetric(edges), tessera::graph_direction::undirected);
    CHECK(tessera::cdlp(sym, {.iterations = 3}) ==
          tessera::cdlp(sym, {.iterations = 3, .directed = true}));
  }
}

TEST_CASE("cdlp: empty graph, isolated vertices, self loops, zero iterations") {
  const std::vector<std::vector<int>> empty;
  CHECK(tessera::cdlp(empty).empty());
  // 0 -> 1, 2 isolated, 3 has only a self loop, 4 -> 1 twice.
  const std::vector<std::vector<int>> g{{1}, {}, {}, {3}, {1, 1}};
  // Directed: 0 sees out-label 1; 1 sees in-labels {0, 4, 4}; 2 keeps its own; 3 sees itself
  // twice; 4 sees 1 twice.
  CHECK(tessera::cdlp(g, {.iterations = 1}) == std::vector<int>{1, 4, 2, 3, 1});
  // Out-edges only: 1 has no out-neighbours and keeps its label.
  CHECK(tessera::cdlp(g, {.iterations = 1, .directed = false}) == std::vector<int>{1, 1, 2, 3, 1});
  CHECK(tessera::cdlp(g, {.iterations = 0}) == std::vector<int>{0, 1, 2, 3, 4});
}
