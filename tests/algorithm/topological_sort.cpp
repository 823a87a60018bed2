// Topological sort: parity with Boost.Graph's topological_sort on random DAGs and cyclic graphs
// over several id types; the cycle error names a real cycle; edge cases.
#include <tessera/algorithm/topological_sort.hpp>
#include <tessera/graph/compressed_graph.hpp>

#include "more_fixtures.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/topological_sort.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <iterator>
#include <set>
#include <vector>

using namespace more_fixtures;

namespace {

std::vector<edge> random_dag(std::size_t n, std::size_t m, std::uint64_t seed) {
  // Edges follow a random permutation's order, so the DAG is not trivially sorted by id.
  rng r{{seed}};
  std::vector<std::size_t> perm(n);
  for (std::size_t i = 0; i < n; ++i) perm[i] = i;
  for (std::size_t i = n; i > 1; --i) std::swap(perm[i - 1], perm[r.below(i)]);
  std::vector<edge> edges;
  for (std::size_t i = 0; i < m; ++i) {
    std::size_t a = r.below(n), b = r.below(n);
    if (a == b) continue;
    if (a > b) std::swap(a, b);
    edges.push_back({perm[a], perm[b]});
  }
  return edges;
}

template <class V>
bool is_topological(std::size_t n, const std::vector<edge>& edges, const std::vector<V>& order) {
  if (order.size() != n) return false;
  std::vector<std::size_t> pos(n, n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto v = static_cast<std::size_t>(order[i]);
    if (v >= n || pos[v] != n) return false;
    pos[v] = i;
  }
  for (const auto& e : edges)
    if (pos[e.u] >= pos[e.v]) return false;
  return true;
}

// Boost's answer: an order, or nothing when it throws not_a_dag.
std::optional<std::vector<std::size_t>> boost_topo(std::size_t n, const std::vector<edge>& edges) {
  boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS> g(n);
  for (const auto& e : edges) boost::add_edge(e.u, e.v, g);
  std::vector<std::size_t> reversed;
  try {
    boost::topological_sort(g, std::back_inserter(reversed));
  } catch (const boost::not_a_dag&) {
    return std::nullopt;
  }
  return std::vector<std::size_t>(reversed.rbegin(), reversed.rend());
}

// Lexicographically smallest order, by the definition.
std::vector<std::size_t> smallest_order(std::size_t n, const std::vector<edge>& edges) {
  std::vector<std::size_t> indeg(n, 0);
  std::vector<std::vector<std::size_t>> adj(n);
  for (const auto& e : edges) ++indeg[e.v], adj[e.u].push_back(e.v);
  std::set<std::size_t> ready;
  for (std::size_t v = 0; v < n; ++v)
    if (indeg[v] == 0) ready.insert(v);
  std::vector<std::size_t> out;
  while (!ready.empty()) {
    const auto u = *ready.begin();
    ready.erase(ready.begin());
    out.push_back(u);
    for (auto v : adj[u])
      if (--indeg[v] == 0) ready.insert(v);
  }
  return out;
}

} // namespace

TEST_CASE_TEMPLATE("topological_sort: parity with Boost.Graph", V, std::uint32_t, std::uint64_t,
                   std::int32_t, std::int64_t) {
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    const std::size_t n = 20 + 15 * seed;
    auto edges = random_dag(n, n * 3, seed);
    {
      const auto g = make_csr<V>(n, edges);
      const auto boost_order = boost_topo(n, edges);
      REQUIRE(boost_order.has_value());
      CHECK(is_topological(n, edges, *boost_order));
      const auto order = tessera::topological_sort(g);
      CHECK(is_topological(n, edges, order));
      const auto smallest = tessera::topological_sort(g, {.smallest_first = true});
      CHECK(is_topological(n, edges, smallest));
      const auto want = smallest_order(n, edges);
      CHECK(std::equal(smallest.begin(), smallest.end(), want.begin(), want.end(),
                       [](V a, std::size_t b) { return static_cast<std::size_t>(a) == b; }));
      CHECK_FALSE(tessera::find_cycle(g).has_value());
    }
    // Close a cycle with one backward edge along a path of the order, or a self loop.
    const auto order = *boost_topo(n, edges);
    if (seed % 3 == 0)
      edges.push_back({order[n / 2], order[n / 2]});
    else
      edges.push_back({order[n - 1 - seed], order[seed]});
    edges.push_back({order[seed], order[n - 1 - seed]}); // make sure a path exists
    const auto g = make_csr<V>(n, edges);
    CHECK_FALSE(boost_topo(n, edges).has_value());
    const auto result = tessera::try_topological_sort(g);
    REQUIRE_FALSE(result.has_value());
    CHECK(result.error().code() == tessera::errc::cycle);
    CHECK_THROWS_AS((void)tessera::topological_sort(g), tessera::exception);
    const auto cycle = tessera::find_cycle(g);
    REQUIRE(cycle.has_value());
    REQUIRE_FALSE(cycle->empty());
    std::set<std::pair<std::size_t, std::size_t>> arcs;
    for (const auto& e : edges) arcs.emplace(e.u, e.v);
    std::set<std::size_t> distinct;
    for (std::size_t i = 0; i < cycle->size(); ++i) {
      const auto a = static_cast<std::size_t>((*cycle)[i]);
      const auto b = static_cast<std::size_t>((*cycle)[(i + 1) % cycle->size()]);
      CHECK(arcs.count({a, b}) == 1);
      distinct.insert(a);
    }
    CHECK(distinct.size() == cycle->size());
  }
}

TEST_CASE("topological_sort: the error names the cycle in order") {
  // 0 -> 1 -> 2 -> 3 -> 1, and 3 -> 4.
  const std::vector<std::vector<int>> g{{1}, {2}, {3}, {1, 4}, {}};
  const auto r = tessera::try_topological_sort(g);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message() == "the graph has a cycle of 3 vertices: 1 -> 2 -> 3 -> 1");
  const std::vector<std::vector<int>> loop{{}, {1}};
  CHECK(tessera::try_topological_sort(loop).error().message() ==
        "the graph has a cycle of 1 vertex: 1 -> 1");
}

TEST_CASE("topological_sort: empty graph, isolated vertices, multi-edges") {
  CHECK(tessera::topological_sort(std::vector<std::vector<int>>{}).empty());
  CHECK(tessera::topological_sort(std::vector<std::vector<int>>(3)) == std::vector<int>{0, 1, 2});
  const std::vector<std::vector<int>> g{{}, {0, 0}, {1, 0}};
  CHECK(tessera::topological_sort(g) == std::vector<int>{2, 1, 0});
  CHECK(tessera::topological_sort(g, {.smallest_first = true}) == std::vector<int>{2, 1, 0});
}
