// Boost.Graph helpers for the parity tests (core_boost_*.cpp).
#pragma once

#include "core_fixtures.hpp"

#include <tessera/algorithm/bfs.hpp>
#include <tessera/algorithm/components.hpp>
#include <tessera/algorithm/dfs.hpp>
#include <tessera/algorithm/pagerank.hpp>
#include <tessera/algorithm/sssp.hpp>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/depth_first_search.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/page_rank.hpp>
#include <boost/graph/strong_components.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <vector>

namespace core_boost {
using namespace core_fixtures;

using boost_directed =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property,
                          boost::property<boost::edge_weight_t, double>>;
using boost_undirected = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

inline boost_directed to_boost(const edge_list& el) {
  boost_directed g(el.n);
  for (const edge& e : el.edges) boost::add_edge(e.u, e.v, e.w, g);
  return g;
}

inline std::vector<std::size_t> boost_bfs_levels(const edge_list& el, std::size_t s) {
  const auto g = to_boost(el);
  std::vector<std::size_t> d(el.n, std::numeric_limits<std::size_t>::max());
  d[s] = 0;
  boost::breadth_first_search(g, s,
                              boost::visitor(boost::make_bfs_visitor(
                                  boost::record_distances(d.data(), boost::on_tree_edge()))));
  return d;
}

/// Whether two labelings induce the same partition.
template <class A, class B>
bool same_partition(const std::vector<A>& a, const std::vector<B>& b) {
  if (a.size() != b.size()) return false;
  std::map<A, B> ab;
  std::map<B, A> ba;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto [x, fresh_x] = ab.emplace(a[i], b[i]);
    auto [y, fresh_y] = ba.emplace(b[i], a[i]);
    if (x->second != b[i] || y->second != a[i]) return false;
  }
  return true;
}

/// Labels equal the smallest vertex of each class of a partition.
template <class V, class B>
bool smallest_vertex_labels(const std::vector<V>& labels, const std::vector<B>& partition) {
  std::map<B, std::size_t> smallest;
  for (std::size_t i = 0; i < partition.size(); ++i) smallest.emplace(partition[i], i);
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (static_cast<std::size_t>(labels[i]) != smallest[partition[i]]) return false;
  return true;
}

template <class V, class G>
void check_bfs(const G& g, const edge_list& el, std::size_t s,
               const std::vector<std::size_t>& want) {
  const auto r = tessera::bfs(g, static_cast<V>(s));
  REQUIRE(r.level.size() == el.n);
  std::size_t reached = 0, deepest = 0;
  for (std::size_t v = 0; v < el.n; ++v) {
    if (want[v] == std::numeric_limits<std::size_t>::max()) {
      CHECK(r.level[v] == tessera::bfs_unreached<V>);
      CHECK(r.parent[v] == tessera::invalid_vertex<V>);
      continue;
    }
    ++reached;
    deepest = std::max(deepest, want[v]);
    REQUIRE(static_cast<std::size_t>(r.level[v]) == want[v]);
    if (v == s) {
      CHECK(static_cast<std::size_t>(r.parent[v]) == s);
    } else {
      const auto p = static_cast<std::size_t>(r.parent[v]);
      REQUIRE(p < el.n);
      CHECK(want[p] + 1 == want[v]);
    }
  }
  CHECK(r.reached == reached);
  CHECK(r.max_level == deepest);
  // Every parent edge exists.
  std::map<std::pair<std::size_t, std::size_t>, int> has;
  for (const edge& e : el.edges) has[{e.u, e.v}] = 1;
  for (std::size_t v = 0; v < el.n; ++v)
    if (v != s && want[v] != std::numeric_limits<std::size_t>::max())
      CHECK(has.count({static_cast<std::size_t>(r.parent[v]), v}) == 1);
}

template <class V, class W>
struct combo {
  using vertex = V;
  using weight_type = W;
};

} // namespace core_boost
