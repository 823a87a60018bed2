// Betweenness: parity with Boost.Graph's brandes_betweenness_centrality (directed, undirected,
// unweighted, weighted) over id and weight types; sampled sources against a naive all-pairs
// reference; normalisation; weight errors; edge cases.
#include <tessera/algorithm/betweenness.hpp>
#include <tessera/graph/compressed_graph.hpp>

#include "more_fixtures.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/betweenness_centrality.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <queue>
#include <vector>

using namespace more_fixtures;

namespace {

template <class Dir>
using boost_graph = boost::adjacency_list<boost::vecS, boost::vecS, Dir, boost::no_property,
                                          boost::property<boost::edge_weight_t, double>>;

template <class Dir>
std::vector<double> boost_bc(std::size_t n, const std::vector<edge>& edges, bool weighted,
                             bool relative = false) {
  boost_graph<Dir> g(n);
  for (const auto& e : edges) boost::add_edge(e.u, e.v, e.w, g);
  std::vector<double> c(n, 0.0);
  auto cmap = boost::make_iterator_property_map(c.begin(), boost::get(boost::vertex_index, g));
  if (weighted)
    boost::brandes_betweenness_centrality(
        g, boost::centrality_map(cmap).weight_map(boost::get(boost::edge_weight, g)));
  else
    boost::brandes_betweenness_centrality(g, boost::centrality_map(cmap));
  if (relative) boost::relative_betweenness_centrality(g, cmap);
  return c;
}

void check_close(const std::vector<double>& got, const std::vector<double>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t v = 0; v < got.size(); ++v) {
    INFO("vertex " << v << ": " << got[v] << " vs " << want[v]);
    CHECK(std::abs(got[v] - want[v]) <= 1e-9 * std::max(1.0, std::abs(want[v])));
  }
}

// Dependencies delta_s(v) = sum_t sigma_st(v) / sigma_st from all-pairs BFS counts (no Brandes).
std::vector<std::vector<double>> naive_dependencies(std::size_t n, const std::vector<edge>& edges) {
  std::vector<std::vector<std::size_t>> adj(n);
  for (const auto& e : edges) adj[e.u].push_back(e.v);
  const std::size_t inf = static_cast<std::size_t>(-1);
  std::vector<std::vector<std::size_t>> d(n, std::vector<std::size_t>(n, inf));
  std::vector<std::vector<double>> sigma(n, std::vector<double>(n, 0.0));
  for (std::size_t s = 0; s < n; ++s) {
    std::queue<std::size_t> q;
    d[s][s] = 0;
    sigma[s][s] = 1;
    q.push(s);
    while (!q.empty()) {
      const auto u = q.front();
      q.pop();
      for (auto v : adj[u]) {
        if (d[s][v] == inf) d[s][v] = d[s][u] + 1, q.push(v);
        if (d[s][v] == d[s][u] + 1) sigma[s][v] += sigma[s][u];
      }
    }
  }
  std::vector<std::vector<double>> dep(n, std::vector<double>(n, 0.0));
  for (std::size_t s = 0; s < n; ++s)
    for (std::size_t v = 0; v < n; ++v)
      for (std::size_t t = 0; t < n; ++t)
        if (v != s && t != s && t != v && d[s][v] != inf && d[v][t] != inf && d[s][t] != inf &&
            d[s][v] + d[v][t] == d[s][t])
          dep[s][v] += sigma[s][v] * sigma[v][t] / sigma[s][t];
  return dep;
}

} // namespace

TEST_CASE_TEMPLATE("betweenness: unweighted, parity with Boost.Graph", V, std::uint32_t,
                   std::uint64_t, std::int32_t, std::int64_t) {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    const std::size_t n = 30 + 11 * seed;
    const auto edges = random_edges(n, n * 3, seed * 5);
    check_close(tessera::betweenness_centrality(make_csr<V>(n, edges)),
                boost_bc<boost::directedS>(n, edges, false));
    const auto sym = make_csr<V>(n, symmetric(edges), tessera::graph_direction::undirected);
    check_close(tessera::betweenness_centrality(sym),
                boost_bc<boost::undirectedS>(n, edges, false));
    check_close(tessera::betweenness_centrality(sym, {.normalize = true}),
                boost_bc<boost::undirectedS>(n, edges, false, true));
  }
}

TEST_CASE_TEMPLATE("betweenness: weighted, parity with Boost.Graph", W, int, std::uint32_t, float,
                   double) {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    const std::size_t n = 25 + 9 * seed;
    const auto edges = random_edges(n, n * 3, seed * 13); // weights 1..9: exact sums
    check_close(tessera::weighted_betweenness_centrality(make_csr<std::uint32_t, W>(n, edges)),
                boost_bc<boost::directedS>(n, edges, true));
    const auto sym =
        make_csr<std::int64_t, W>(n, symmetric(edges), tessera::graph_direction::undirected);
    check_close(tessera::weighted_betweenness_centrality(sym),
                boost_bc<boost::undirectedS>(n, edges, true));
  }
  // A vector of (target, weight) pairs is a weighted graph too.
  std::vector<std::vector<std::pair<int, W>>> pairs{{{1, W(1)}, {2, W(3)}}, {{2, W(2)}}, {}};
  // 0 -> 2 directly (3) ties with 0 -> 1 -> 2 (1 + 2): vertex 1 carries half of that pair.
  CHECK(tessera::weighted_betweenness_centrality(pairs) == std::vector<double>{0.0, 0.5, 0.0});
}

TEST_CASE("betweenness: sampled sources") {
  const std::size_t n = 40;
  const auto edges = random_edges(n, 140, 77);
  const auto g = make_csr<std::uint32_t>(n, edges);
  const auto dep = naive_dependencies(n, edges);
  for (std::size_t k : {1u, 5u, 17u}) {
    const auto sources = tessera::detail::betweenness_sources(n, k, 42);
    REQUIRE(sources.size() == k);
    std::vector<double> want(n, 0.0);
    for (auto s : sources)
      for (std::size_t v = 0; v < n; ++v) want[v] += dep[s][v];
    check_close(
        tessera::betweenness_centrality(g, {.samples = k, .seed = 42, .extrapolate = false}), want);
    for (auto& x : want) x *= static_cast<double>(n) / static_cast<double>(k);
    check_close(tessera::betweenness_centrality(g, {.samples = k, .seed = 42}), want);
  }
  // Different seeds draw different sources; k >= n is exact.
  CHECK(tessera::detail::betweenness_sources(n, 5, 1) !=
        tessera::detail::betweenness_sources(n, 5, 2));
  check_close(tessera::betweenness_centrality(g, {.samples = n + 3, .seed = 1}),
              boost_bc<boost::directedS>(n, edges, false));
  // The exact result also matches the naive all-pairs sums.
  std::vector<double> exact(n, 0.0);
  for (std::size_t s = 0; s < n; ++s)
    for (std::size_t v = 0; v < n; ++v) exact[v] += dep[s][v];
  check_close(tessera::betweenness_centrality(g), exact);
}

TEST_CASE("betweenness: thread counts agree") {
  const std::size_t n = 200;
  const auto edges = random_edges(n, 900, 5);
  const auto g = make_csr<std::uint32_t, double>(n, edges);
  std::vector<double> one, two;
  {
    tessera::thread_limit_scope limit(1);
    one = tessera::weighted_betweenness_centrality(g);
  }
  {
    tessera::thread_limit_scope limit(2);
    two = tessera::weighted_betweenness_centrality(g);
  }
  check_close(one, two);
}

TEST_CASE("betweenness: weight errors and edge cases") {
  auto edges = random_edges(10, 30, 3);
  edges.push_back({4, 7, -2.0});
  const auto bad = tessera::try_weighted_betweenness_centrality(make_csr<int, double>(10, edges));
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().code() == tessera::errc::invalid_argument);
  CHECK(bad.error().message().find("4 -> 7 has weight -2") != std::string::npos);
  edges.back().w = 0.0;
  CHECK_THROWS_AS((void)tessera::weighted_betweenness_centrality(make_csr<int, float>(10, edges)),
                  tessera::exception);

  CHECK(tessera::betweenness_centrality(std::vector<std::vector<int>>{}).empty());
  CHECK(tessera::betweenness_centrality(std::vector<std::vector<int>>{}, {.samples = 3}).empty());
  // Path 0 -> 1 -> 2 with a self loop on 1, a duplicate 1 -> 2 (two shortest paths 0 ~> 2, both
  // through 1) and an isolated vertex 3.
  const std::vector<std::vector<int>> g{{1}, {1, 2, 2}, {}, {}};
  CHECK(tessera::betweenness_centrality(g) == std::vector<double>{0, 1, 0, 0});
  CHECK(tessera::betweenness_centrality(g, {.normalize = true}) ==
        std::vector<double>{0, 1.0 / 6, 0, 0});
}
