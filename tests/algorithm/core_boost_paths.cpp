// Parity with Boost.Graph on random graphs: Dijkstra distances (both tessera algorithms) over
// id types and weight types int/float/double/long double (Dijkstra's radix heap and its 4-ary
// heap for long double), and PageRank with the dangling mass dropped.
#include "core_boost.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

using namespace core_fixtures;
using namespace core_boost;

TEST_CASE_TEMPLATE("sssp matches Boost.Graph's Dijkstra", T, combo<std::uint32_t, int>,
                   combo<std::uint64_t, float>, combo<std::int32_t, double>,
                   combo<std::int64_t, int>, combo<std::uint32_t, long double>) {
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
              for (const auto& [t, w] : vv[p])
                if (static_cast<std::size_t>(t) == v &&
                    std::abs(static_cast<double>(r.distance[p]) + static_cast<double>(w) -
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

// Integer distances are computed in 32 bits when n * max weight fits, else in 64: weights near
// 2^36 take the wide path. A hub joined to every other vertex makes the degrees skewed (a
// vertex whose edges delta-stepping may relax more than once).
TEST_CASE("integer sssp matches Boost.Graph for small and huge weights, every algorithm") {
  const std::size_t n = 3000;
  for (const std::int64_t scale : {std::int64_t{1}, std::int64_t{1} << 36}) {
    for (const bool hub : {false, true}) {
      edge_list el = random_edges(n, 12000, 41);
      if (hub)
        for (std::size_t v = 1; v < n; v += 2) el.edges.push_back({0, v, 100.0});
      using bw =
          boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property,
                                boost::property<boost::edge_weight_t, std::int64_t>>;
      bw bg(el.n);
      for (const edge& e : el.edges)
        boost::add_edge(e.u, e.v, static_cast<std::int64_t>(e.w) * scale, bg);
      std::vector<std::int64_t> want(n);
      boost::dijkstra_shortest_paths(bg, 5, boost::distance_map(want.data()));
      edge_list scaled = el;
      for (edge& e : scaled.edges) e.w *= static_cast<double>(scale);
      const auto csr = make_csr<std::uint32_t, std::int64_t>(scaled);
      for (int threads : {1, 2}) {
        tessera::set_num_threads(threads);
        for (auto algo : {tessera::sssp_algorithm::automatic, tessera::sssp_algorithm::dijkstra,
                          tessera::sssp_algorithm::delta_stepping}) {
          CAPTURE(scale);
          CAPTURE(hub);
          CAPTURE(threads);
          tessera::sssp_options opt;
          opt.algorithm = algo;
          const auto r = tessera::sssp(csr, std::uint32_t{5}, opt);
          for (std::size_t v = 0; v < n; ++v) {
            if (want[v] == std::numeric_limits<std::int64_t>::max())
              REQUIRE(r.distance[v] == tessera::sssp_unreachable<std::int64_t>);
            else
              REQUIRE(r.distance[v] == want[v]);
          }
        }
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
