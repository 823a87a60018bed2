// LCC: LDBC Graphalytics validation (directed and undirected) and an independent set-based
// reference on random graphs with self loops and multi-edges.
#include <tessera/algorithm/lcc.hpp>
#include <tessera/graph/compressed_graph.hpp>
#include <tessera/graph/read.hpp>

#include "more_fixtures.hpp"
#include "support/shared_data.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

using namespace more_fixtures;

namespace {

// Graphalytics LCC written plainly: N(v) = in ∪ out minus v; count ordered pairs (u, w) of
// N(v), u != w, with an edge u -> w; divide by |N| (|N| - 1).
std::vector<double> reference_lcc(std::size_t n, const std::vector<edge>& edges) {
  std::set<std::pair<std::size_t, std::size_t>> arcs;
  std::vector<std::set<std::size_t>> nbr(n);
  for (const auto& e : edges) {
    if (e.u == e.v) continue;
    arcs.emplace(e.u, e.v);
    nbr[e.u].insert(e.v);
    nbr[e.v].insert(e.u);
  }
  std::vector<double> out(n, 0.0);
  for (std::size_t v = 0; v < n; ++v) {
    const double k = static_cast<double>(nbr[v].size());
    if (k < 2) continue;
    std::size_t links = 0;
    for (auto a : nbr[v])
      for (auto b : nbr[v])
        if (a != b && arcs.count({a, b})) ++links;
    out[v] = static_cast<double>(links) / (k * (k - 1));
  }
  return out;
}

void check_close(const std::vector<double>& got, const std::vector<double>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t v = 0; v < got.size(); ++v) {
    INFO("vertex " << v);
    CHECK(std::abs(got[v] - want[v]) <= 1e-6 * std::max(1.0, std::abs(want[v])));
  }
}

// `input` is an LDBC adjacency file (`*-input`) or, with `ldbc_prefix`, a PREFIX of .v/.e files;
// both are read with tessera's own readers.
void check_ldbc(const std::string& input, const std::string& expected, bool directed,
                bool ldbc_prefix = false) {
  auto ldbc = load_ldbc_case<std::int64_t>(input, expected, directed, ldbc_prefix);
  if (!ldbc) return;
  const auto& loaded = ldbc->loaded;
  const auto& csr = loaded.graph;
  const std::size_t n = csr.num_vertices();
  const auto want = read_ldbc_output<double>(ldbc->expected);
  REQUIRE(want.size() == n);
  std::vector<double> expected_values(n);
  for (std::size_t v = 0; v < n; ++v) expected_values[v] = want.at(loaded.vertices.key(v));
  INFO(input);
  check_close(tessera::lcc(csr), expected_values);
  check_close(tessera::lcc(csr, {.symmetric = false}), expected_values);
}

} // namespace

TEST_CASE("lcc: LDBC Graphalytics validation graphs") {
  check_ldbc("lcc/dir-input", "lcc/dir-output", true);
  check_ldbc("lcc/undir-input", "lcc/undir-output", false);
  check_ldbc("example/example-directed-input", "example/example-directed-LCC", true);
  check_ldbc("example/example-undirected-input", "example/example-undirected-LCC", false);
  check_ldbc("example/example-directed", "example/example-directed-LCC", true, true);
  check_ldbc("example/example-undirected", "example/example-undirected-LCC", false, true);
}

TEST_CASE_TEMPLATE("lcc: matches a set-based reference on random graphs", V, std::uint32_t,
                   std::uint64_t, std::int32_t, std::int64_t) {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const std::size_t n = 30 + 9 * seed;
    const auto edges = random_edges(n, n * (2 + seed), seed * 11);
    check_close(tessera::lcc(make_csr<V>(n, edges)), reference_lcc(n, edges));
    std::vector<edge> reversed;
    for (const auto& e : edges) reversed.push_back({e.v, e.u});
    const tessera::bidirectional_graph<V> both(make_csr<V>(n, edges), make_csr<V>(n, reversed));
    check_close(tessera::lcc(both), reference_lcc(n, edges));
    const auto sym = symmetric(edges);
    check_close(tessera::lcc(make_csr<V>(n, sym, tessera::graph_direction::undirected)),
                reference_lcc(n, sym));
  }
}

TEST_CASE("lcc: empty graph, isolated vertices, self loops, multi-edges") {
  CHECK(tessera::lcc(std::vector<std::vector<int>>{}).empty());
  // Triangle 0-1-2 one way round, with a self loop on 0, a duplicate 0 -> 1, and isolated 3.
  const std::vector<std::vector<int>> g{{0, 1, 1}, {2}, {0}, {}};
  const auto c = tessera::lcc(g);
  // Each corner: N = the other two, one directed edge between them of two possible.
  CHECK(c == std::vector<double>{0.5, 0.5, 0.5, 0.0});
}
