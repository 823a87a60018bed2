// Parity with Boost.Graph on random graphs: BFS levels, DFS times, Dijkstra distances (both
// tessera algorithms), weak and strong components, PageRank (dangling mass dropped, as Boost),
// over vertex id types u32/u64/i32/i64 and weight types int/float/double, on tessera's CSR,
// bidirectional and undirected graphs and on a vector of vectors.
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

using namespace core_fixtures;

namespace {

using boost_directed =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property,
                          boost::property<boost::edge_weight_t, double>>;
using boost_undirected = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

boost_directed to_boost(const edge_list& el) {
  boost_directed g(el.n);
  for (const edge& e : el.edges) boost::add_edge(e.u, e.v, e.w, g);
  return g;
}

std::vector<std::size_t> boost_bfs_levels(const edge_list& el, std::size_t s) {
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
  std::size_t reached = 0;
  for (std::size_t v = 0; v < el.n; ++v) {
    if (want[v] == std::numeric_limits<std::size_t>::max()) {
      CHECK(r.level[v] == tessera::bfs_unreached<V>);
      CHECK(r.parent[v] == tessera::invalid_vertex<V>);
      continue;
    }
    ++reached;
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

} // namespace

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

TEST_CASE_TEMPLATE("sssp matches Boost.Graph's Dijkstra", T, combo<std::uint32_t, int>,
                   combo<std::uint64_t, float>, combo<std::int32_t, double>,
                   combo<std::int64_t, int>, combo<std::uint32_t, double>,
                   combo<std::int32_t, float>) {
  using V = typename T::vertex;
  using W = typename T::weight_type;
  for (int threads : {1, 2}) {
    tessera::set_num_threads(threads);
    for (std::uint64_t seed : {11u, 12u}) {
      for (auto [n, m] : {std::pair<std::size_t, std::size_t>{300, 400}, {2000, 16000}}) {
        const edge_list el = random_edges(n, m, seed, std::is_integral_v<W>);
        // Boost computes in W, as tessera does for floating weights.
        using bw =
            boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property,
                                  boost::property<boost::edge_weight_t, W>>;
        bw bg(el.n);
        for (const edge& e : el.edges) boost::add_edge(e.u, e.v, static_cast<W>(e.w), bg);
        const std::size_t s = seed % n;
        std::vector<W> want(n);
        boost::dijkstra_shortest_paths(bg, s, boost::distance_map(want.data()));
        const auto csr = make_csr<V, W>(el);
        const auto vv = make_weighted_vv<V, W>(el);
        for (auto algo :
             {tessera::sssp_algorithm::dijkstra, tessera::sssp_algorithm::delta_stepping}) {
          tessera::sssp_options opt;
          opt.algorithm = algo;
          for (int form = 0; form < 2; ++form) {
            const auto r = form == 0 ? tessera::sssp(csr, static_cast<V>(s), opt)
                                     : tessera::sssp(vv, static_cast<V>(s), opt);
            using D = typename decltype(r.distance)::value_type;
            for (std::size_t v = 0; v < n; ++v) {
              if (want[v] == std::numeric_limits<W>::max()) {
                CHECK(r.distance[v] == tessera::sssp_unreachable<D>);
                CHECK(r.predecessor[v] == tessera::invalid_vertex<V>);
                continue;
              }
              if constexpr (std::is_integral_v<W>) {
                REQUIRE(r.distance[v] == static_cast<D>(want[v]));
              } else {
                REQUIRE(static_cast<double>(r.distance[v]) ==
                        doctest::Approx(static_cast<double>(want[v])).epsilon(1e-5));
              }
              // The predecessor edge is tight.
              const auto p = static_cast<std::size_t>(r.predecessor[v]);
              REQUIRE(p < n);
              if (v == s) continue;
              bool tight = false;
              for (const edge& e : el.edges)
                if (e.u == p && e.v == v &&
                    std::abs(static_cast<double>(r.distance[p]) +
                             static_cast<double>(static_cast<W>(e.w)) -
                             static_cast<double>(r.distance[v])) <=
                        1e-4 * (1 + static_cast<double>(r.distance[v])))
                  tight = true;
              CHECK(tight);
            }
          }
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

TEST_CASE_TEMPLATE("pagerank with dropped dangling mass matches Boost.Graph", V, std::uint32_t,
                   std::int64_t) {
  // Boost: ranks start at 1/n, rank' = (1 - d) + d * sum(rank(u) / outdeg(u)), dangling mass
  // lost. Its fixed point is n times tessera's with dangling_policy::drop; after 200 iterations
  // both are there to within 0.85^200 of the start difference.
  for (int threads : {1, 2}) {
    tessera::set_num_threads(threads);
    const edge_list el = random_edges(400, 1600, 31);
    const auto bg = to_boost(el);
    std::vector<double> want(el.n);
    boost::graph::page_rank(
        bg, boost::make_iterator_property_map(want.begin(), boost::get(boost::vertex_index, bg)),
        boost::graph::n_iterations(200), 0.85);
    tessera::pagerank_options opt;
    opt.dangling = tessera::dangling_policy::drop;
    opt.fixed_iterations = 200;
    const auto n = static_cast<double>(el.n);
    for (int form = 0; form < 3; ++form) {
      const auto r = form == 0   ? tessera::pagerank(make_bidirectional<V>(el), opt)
                     : form == 1 ? tessera::pagerank(make_csr<V>(el), opt)
                                 : tessera::pagerank(make_vv<V>(el), opt);
      CHECK(r.iterations == 200);
      for (std::size_t v = 0; v < el.n; ++v)
        REQUIRE(r.rank[v] * n == doctest::Approx(want[v]).epsilon(1e-6));
      const auto f = tessera::pagerank<float>(make_bidirectional<V>(el), opt);
      for (std::size_t v = 0; v < el.n; ++v)
        CHECK(static_cast<double>(f.rank[v]) * n == doctest::Approx(want[v]).epsilon(1e-3));
    }
  }
  tessera::set_num_threads(0);
}
