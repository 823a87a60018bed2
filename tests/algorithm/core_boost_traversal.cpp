// Parity with Boost.Graph on random graphs: BFS levels, DFS times, weak and strong components,
// over vertex id types u32/u64/i32/i64, on tessera's CSR, bidirectional and undirected graphs
// and on a vector of vectors.
#include "core_boost.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

using namespace core_fixtures;
using namespace core_boost;

TEST_CASE_TEMPLATE("bfs matches Boost.Graph on random graphs", V, std::uint32_t, std::uint64_t,
                   std::int32_t, std::int64_t) {
  for (int threads : {1, 2}) {
    tessera::set_num_threads(threads);
    for (std::uint64_t seed : {1u, 2u, 3u}) {
      // Sparse (many unreached vertices) and dense (direction switching kicks in).
      for (auto [n, m] : {std::pair<std::size_t, std::size_t>{400, 500}, {3000, 40000}}) {
        const edge_list el = random_edges(n, m, seed);
        const std::size_t s = seed % n;
        const auto want = boost_bfs_levels(el, s);
        check_bfs<V>(make_csr<V>(el), el, s, want);
        check_bfs<V>(make_bidirectional<V>(el), el, s, want);
        check_bfs<V>(make_vv<V>(el), el, s, want);
        const edge_list sym = symmetrize(el);
        const auto want_sym = boost_bfs_levels(sym, s);
        check_bfs<V>(make_csr<V>(sym, tessera::graph_direction::undirected), sym, s, want_sym);
        tessera::bfs_options td;
        td.direction = tessera::bfs_direction::top_down;
        const auto r = tessera::bfs(make_csr<V>(sym, tessera::graph_direction::undirected),
                                    static_cast<V>(s), td);
        for (std::size_t v = 0; v < n; ++v)
          if (want_sym[v] != std::numeric_limits<std::size_t>::max())
            CHECK(static_cast<std::size_t>(r.level[v]) == want_sym[v]);
      }
    }
  }
  tessera::set_num_threads(0);
}

TEST_CASE_TEMPLATE("dfs times match Boost.Graph's depth_first_search", V, std::uint32_t,
                   std::int64_t) {
  const edge_list el = random_edges(300, 600, 7);
  using bg = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
  bg g(el.n);
  for (const edge& e : el.edges) boost::add_edge(e.u, e.v, g);
  std::vector<std::size_t> disc(el.n), fin(el.n);
  std::size_t clock = 0;
  struct recorder : boost::default_dfs_visitor {
    std::vector<std::size_t>* d;
    std::vector<std::size_t>* f;
    std::size_t* c;
    void discover_vertex(std::size_t u, const bg&) const { (*d)[u] = (*c)++; }
    void finish_vertex(std::size_t u, const bg&) const { (*f)[u] = (*c)++; }
  };
  recorder vis;
  vis.d = &disc, vis.f = &fin, vis.c = &clock;
  boost::depth_first_search(g, boost::visitor(vis));
  const auto r1 = tessera::dfs(make_csr<V>(el));
  const auto r2 = tessera::dfs(make_vv<V>(el));
  for (std::size_t v = 0; v < el.n; ++v) {
    CHECK(r1.discovery[v] == disc[v]);
    CHECK(r1.finish[v] == fin[v]);
    CHECK(r2.discovery[v] == disc[v]);
    CHECK(r2.finish[v] == fin[v]);
  }
  REQUIRE(r1.preorder.size() == el.n);
  REQUIRE(r1.postorder.size() == el.n);
  for (std::size_t i = 0; i + 1 < el.n; ++i) {
    CHECK(r1.discovery[static_cast<std::size_t>(r1.preorder[i])] <
          r1.discovery[static_cast<std::size_t>(r1.preorder[i + 1])]);
    CHECK(r1.finish[static_cast<std::size_t>(r1.postorder[i])] <
          r1.finish[static_cast<std::size_t>(r1.postorder[i + 1])]);
  }
}

// Large enough that the sampling pass is split between threads (links race on shared roots), and
// sparse enough to leave many components; every sampling depth, including none, gives Boost's.
TEST_CASE("weak components match Boost.Graph with concurrent linking and any sampling depth") {
  const std::size_t n = 40000;
  for (std::uint64_t seed : {31u, 32u}) {
    const edge_list el = random_edges(n, 36000, seed);
    boost_undirected ug(n);
    for (const edge& e : el.edges) boost::add_edge(e.u, e.v, ug);
    std::vector<int> weak(n);
    const int weak_count = boost::connected_components(ug, weak.data());
    const auto sym = make_csr<std::uint32_t>(symmetrize(el), tessera::graph_direction::undirected);
    const auto csr = make_csr<std::uint32_t>(el);
    for (int threads : {1, 2}) {
      tessera::set_num_threads(threads);
      for (std::size_t rounds : {0u, 1u, 2u, 5u}) {
        CAPTURE(threads);
        CAPTURE(rounds);
        tessera::components_options opt;
        opt.neighbor_rounds = rounds;
        for (const auto& r : {tessera::weakly_connected_components(sym, opt),
                              tessera::weakly_connected_components(csr, opt)}) {
          CHECK(r.count == static_cast<std::size_t>(weak_count));
          CHECK(same_partition(r.component, weak));
          CHECK(smallest_vertex_labels(r.component, weak));
        }
      }
    }
  }
  tessera::set_num_threads(0);
}

TEST_CASE_TEMPLATE("weak and strong components match Boost.Graph", V, std::uint32_t, std::uint64_t,
                   std::int32_t, std::int64_t) {
  for (int threads : {1, 2}) {
    tessera::set_num_threads(threads);
    for (std::uint64_t seed : {21u, 22u, 23u}) {
      for (auto [n, m] : {std::pair<std::size_t, std::size_t>{500, 400}, {3000, 6000}}) {
        const edge_list el = random_edges(n, m, seed);
        boost_undirected ug(n);
        for (const edge& e : el.edges) boost::add_edge(e.u, e.v, ug);
        std::vector<int> weak(n);
        const int weak_count = boost::connected_components(ug, weak.data());
        const auto check_weak = [&](const tessera::components_result<V>& r) {
          CHECK(r.count == static_cast<std::size_t>(weak_count));
          CHECK(same_partition(r.component, weak));
          CHECK(smallest_vertex_labels(r.component, weak));
        };
        check_weak(tessera::weakly_connected_components(make_csr<V>(el)));
        check_weak(tessera::weakly_connected_components(make_bidirectional<V>(el)));
        check_weak(tessera::weakly_connected_components(make_vv<V>(el)));
        check_weak(tessera::weakly_connected_components(
            make_csr<V>(symmetrize(el), tessera::graph_direction::undirected)));
        tessera::components_options dense;
        dense.labels = tessera::component_labels::dense;
        const auto d = tessera::weakly_connected_components(make_csr<V>(el), dense);
        CHECK(same_partition(d.component, weak));
        for (const V label : d.component) CHECK(static_cast<std::size_t>(label) < d.count);

        const auto dg = to_boost(el);
        std::vector<int> strong(n);
        const int strong_count = boost::strong_components(dg, strong.data());
        const auto s1 = tessera::strongly_connected_components(make_csr<V>(el));
        const auto s2 = tessera::strongly_connected_components(make_vv<V>(el));
        CHECK(s1.count == static_cast<std::size_t>(strong_count));
        CHECK(same_partition(s1.component, strong));
        CHECK(smallest_vertex_labels(s1.component, strong));
        CHECK(s2.component == s1.component);
      }
    }
  }
  tessera::set_num_threads(0);
}
