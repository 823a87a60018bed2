// Generators: sizes, structure, the Graph500 quadrant probabilities, the permutation, and the
// same output for every thread count.
#include <tessera/graph/build.hpp>
#include <tessera/graph/generate.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <vector>

using namespace tessera;

TEST_CASE_TEMPLATE("Kronecker: size, quadrant statistics, permutation, determinism", V,
                   std::uint32_t, std::int32_t, std::uint64_t, std::int64_t) {
  kronecker_options opt;
  opt.scale = 10;
  opt.permute_vertices = false;
  const auto raw = generate_kronecker<V>(opt);
  CHECK(raw.num_vertices == 1024);
  CHECK(raw.size() == 16 * 1024);
  // Without the permutation the top bit of the source is 0 with probability a + b = 0.76 and the
  // top bits of (source, target) are (0, 0) with probability a = 0.57.
  std::size_t top0 = 0, both0 = 0;
  for (std::size_t e = 0; e < raw.size(); ++e) {
    const bool s0 = raw.sources[e] < 512, t0 = raw.targets[e] < 512;
    top0 += s0;
    both0 += s0 && t0;
  }
  const double m = static_cast<double>(raw.size());
  CHECK(static_cast<double>(top0) / m == doctest::Approx(0.76).epsilon(0.02));
  CHECK(static_cast<double>(both0) / m == doctest::Approx(0.57).epsilon(0.03));
  // Vertex 0 (all quadrants a) is the hub before permutation.
  const auto g = build_graph<V>(raw.sources, raw.targets, build_options{1024});
  std::size_t hub = 0;
  for (std::size_t u = 1; u < g.num_vertices(); ++u)
    if (g.degree(u) > g.degree(hub)) hub = u;
  CHECK(hub == 0);

  // The permutation relabels: same degree multiset, hub elsewhere, ids in range.
  opt.permute_vertices = true;
  const auto perm = generate_kronecker<V>(opt);
  const auto gp = build_graph<V>(perm.sources, perm.targets, build_options{1024});
  std::vector<std::size_t> d1, d2;
  for (std::size_t u = 0; u < 1024; ++u) d1.push_back(g.degree(u)), d2.push_back(gp.degree(u));
  CHECK(d1 != d2);
  std::sort(d1.begin(), d1.end());
  std::sort(d2.begin(), d2.end());
  CHECK(d1 == d2);

  // Same output for every thread count and run; different seeds differ.
  for (int threads : {1, 2, 3}) {
    thread_limit_scope limit(threads);
    const auto again = generate_kronecker<V>(opt);
    CHECK(again.sources == perm.sources);
    CHECK(again.targets == perm.targets);
  }
  opt.seed = 2;
  CHECK(generate_kronecker<V>(opt).sources != perm.sources);
}

TEST_CASE("Kronecker errors") {
  kronecker_options opt;
  opt.scale = 9;
  CHECK(try_generate_kronecker<std::uint8_t>(opt).error().code() == errc::overflow);
  opt.scale = 8;
  opt.edge_factor = 1;
  CHECK(try_generate_kronecker<std::uint8_t>(opt)->num_vertices == 256);
  opt.scale = 63;
  CHECK(try_generate_kronecker<std::uint64_t>(opt).error().code() == errc::invalid_argument);
  opt.scale = 4;
  opt.a = 0.9;
  CHECK(try_generate_kronecker<std::uint64_t>(opt).error().code() == errc::invalid_argument);
  opt.a = 0.57;
  opt.edge_factor = 0;
  CHECK(try_generate_kronecker<std::uint32_t>(opt)->size() == 0);
}

TEST_CASE_TEMPLATE("uniform random graphs", V, std::uint32_t, std::int64_t) {
  const auto u = generate_uniform<V>(1000, 50000, 9);
  CHECK(u.num_vertices == 1000);
  CHECK(u.size() == 50000);
  double sum = 0;
  std::set<V> seen;
  for (auto s : u.sources) {
    CHECK(s >= 0);
    CHECK(s < 1000);
    sum += static_cast<double>(s);
    seen.insert(s);
  }
  CHECK(sum / 50000.0 == doctest::Approx(499.5).epsilon(0.02));
  CHECK(seen.size() == 1000);
  {
    thread_limit_scope one(1);
    CHECK(generate_uniform<V>(1000, 50000, 9).targets == u.targets);
  }
  CHECK(generate_uniform<V>(1000, 50000, 10).targets != u.targets);
  CHECK(try_generate_uniform<std::uint8_t>(257, 1).error().code() == errc::overflow);
  CHECK(try_generate_uniform<V>(0, 1).error().code() == errc::invalid_argument);
  CHECK(generate_uniform<V>(0, 0).size() == 0);
}

TEST_CASE("2D grids") {
  const auto grid = generate_grid<int>(3, 4);
  CHECK(grid.num_vertices == 12);
  CHECK(grid.size() == 3 * 3 + 2 * 4);
  build_options sym;
  sym.symmetrize = true;
  sym.num_vertices = grid.num_vertices;
  const auto g = build_graph<int>(grid.sources, grid.targets, sym);
  CHECK(g.degree(0) == 2);  // corner
  CHECK(g.degree(1) == 3);  // edge
  CHECK(g.degree(5) == 4);  // interior
  CHECK(g.degree(11) == 2); // corner
  CHECK(generate_grid<int>(1, 1).size() == 0);
  CHECK(generate_grid<int>(0, 5).num_vertices == 0);
  CHECK(try_generate_grid<std::uint8_t>(16, 17).error().code() == errc::overflow);
}

TEST_CASE("generated weights") {
  const auto w = generate_weights<int>(10000);
  CHECK(*std::min_element(w.begin(), w.end()) == 1);
  CHECK(*std::max_element(w.begin(), w.end()) == 255);
  CHECK(generate_weights<int>(10000) == w);
  const auto neg = generate_weights<std::int8_t>(1000, std::int8_t{-128}, std::int8_t{127});
  CHECK(*std::min_element(neg.begin(), neg.end()) == -128);
  const auto full = generate_weights<std::uint64_t>(10, 0, ~std::uint64_t{0});
  CHECK(full.size() == 10);
}
