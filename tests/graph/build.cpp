// Builders: every option and every error path, over id, offset and weight types; checked against
// a naive reference (a map from (source, target) to the weights in input order).
#include <tessera/graph/build.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <list>
#include <map>
#include <random>
#include <tuple>
#include <utility>
#include <vector>

using namespace tessera;

namespace {

template <class G>
std::vector<std::vector<std::size_t>> rows_of(const G& g) {
  std::vector<std::vector<std::size_t>> rows(g.num_vertices());
  for (std::size_t u = 0; u < g.num_vertices(); ++u)
    for (auto t : g.targets_of(u)) rows[u].push_back(static_cast<std::size_t>(t));
  return rows;
}

template <class G>
auto weighted_rows_of(const G& g) {
  using W = typename G::weight_type;
  std::vector<std::vector<std::pair<std::size_t, W>>> rows(g.num_vertices());
  for (std::size_t u = 0; u < g.num_vertices(); ++u)
    for (auto e : g.neighbors(u))
      rows[u].emplace_back(static_cast<std::size_t>(target(e)), edge_weight(e));
  return rows;
}

// The reference: what a graph built with `opt` must hold, computed the slow obvious way.
template <class W>
std::vector<std::vector<std::pair<std::size_t, W>>>
reference(std::size_t n, const std::vector<std::size_t>& s, const std::vector<std::size_t>& t,
          const std::vector<W>& w, const build_options& opt) {
  std::vector<std::vector<std::pair<std::size_t, W>>> rows(n);
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == t[i] && opt.drop_self_loops) continue;
    rows[s[i]].emplace_back(t[i], w[i]);
    if (opt.symmetrize && s[i] != t[i]) rows[t[i]].emplace_back(s[i], w[i]);
  }
  for (auto& r : rows) {
    if (opt.duplicates != duplicate_policy::keep) {
      std::vector<std::pair<std::size_t, W>> merged;
      for (const auto& edge : r) {
        const std::size_t v = edge.first;
        const W x = edge.second;
        auto it = std::find_if(merged.begin(), merged.end(), [v](auto& p) { return p.first == v; });
        if (it == merged.end()) {
          merged.emplace_back(v, x);
        } else if (opt.duplicates == duplicate_policy::min) {
          it->second = std::min(it->second, x);
        } else if (opt.duplicates == duplicate_policy::sum) {
          it->second = static_cast<W>(it->second + x);
        }
      }
      r = merged;
    }
    if (opt.sort_neighbors)
      std::stable_sort(r.begin(), r.end(), [](auto& a, auto& b) { return a.first < b.first; });
  }
  return rows;
}

} // namespace

TEST_CASE_TEMPLATE("every build option against a reference, over id types", V, std::uint32_t,
                   std::uint64_t, std::int32_t, std::int64_t) {
  // A random multigraph with self loops, duplicates and reversed duplicates.
  std::mt19937_64 rng(42);
  const std::size_t n = 40;
  std::vector<std::size_t> s, t;
  std::vector<double> w;
  for (int i = 0; i < 400; ++i) {
    s.push_back(rng() % n);
    t.push_back(rng() % 12 == 0 ? s.back() : rng() % n);
    w.push_back(static_cast<double>(rng() % 1000) / 8.0);
  }
  std::vector<V> sv(s.begin(), s.end()), tv(t.begin(), t.end());
  for (bool drop : {false, true})
    for (bool sym : {false, true})
      for (bool sort : {false, true})
        for (auto rule : {duplicate_policy::keep, duplicate_policy::first, duplicate_policy::min,
                          duplicate_policy::sum}) {
          build_options opt;
          opt.drop_self_loops = drop;
          opt.symmetrize = sym;
          opt.sort_neighbors = sort;
          opt.duplicates = rule;
          CAPTURE(drop);
          CAPTURE(sym);
          CAPTURE(sort);
          CAPTURE(static_cast<int>(rule));
          const auto expect = reference<double>(n, s, t, w, opt);
          const auto g = build_graph<V, std::uint64_t, double>(sv, tv, w, opt);
          CHECK(g.num_vertices() == n);
          CHECK(g.is_directed() == !sym);
          CHECK(weighted_rows_of(g) == expect);
          const auto u = build_graph<V>(sv, tv, opt);
          std::vector<std::vector<std::size_t>> plain(n);
          for (std::size_t x = 0; x < n; ++x)
            for (auto [v, unused] : expect[x]) plain[x].push_back(v);
          CHECK(rows_of(u) == plain);
          CHECK(u.num_edges() == g.num_edges());
        }
}

TEST_CASE_TEMPLATE("weight types: integer sums, float mins", W, int, float, double, std::int64_t) {
  const std::vector<int> s{0, 0, 1, 0}, t{1, 1, 0, 1};
  const std::vector<W> w{W(3), W(1), W(7), W(2)};
  build_options opt;
  opt.duplicates = duplicate_policy::sum;
  auto g = build_graph<std::uint32_t, std::uint32_t, W>(s, t, w, opt);
  REQUIRE(g.num_edges() == 2);
  CHECK(g.weights_of(0)[0] == W(6));
  opt.duplicates = duplicate_policy::min;
  CHECK(build_graph<std::uint32_t, std::uint32_t, W>(s, t, w, opt).weights_of(0)[0] == W(1));
  opt.duplicates = duplicate_policy::first;
  CHECK(build_graph<std::uint32_t, std::uint32_t, W>(s, t, w, opt).weights_of(0)[0] == W(3));
  // Symmetrized, 1 -> 0 meets the three 0 -> 1 copies in both rows.
  opt.symmetrize = true;
  opt.duplicates = duplicate_policy::sum;
  auto sym = build_graph<std::uint32_t, std::uint32_t, W>(s, t, w, opt);
  CHECK(sym.num_edges() == 2);
  CHECK(sym.weights_of(0)[0] == W(13));
  CHECK(sym.weights_of(1)[0] == W(13));
}

TEST_CASE("stable order: each vertex's edges keep their input order") {
  const std::vector<int> s{2, 0, 2, 0, 2}, t{5, 3, 1, 1, 5};
  const auto g = build_graph<int>(s, t);
  CHECK(rows_of(g) == std::vector<std::vector<std::size_t>>{{3, 1}, {}, {5, 1, 5}, {}, {}, {}});
  build_options opt;
  opt.duplicates = duplicate_policy::first;
  CHECK(rows_of(build_graph<int>(s, t, opt))[2] == std::vector<std::size_t>{5, 1});
  opt.sort_neighbors = true;
  CHECK(rows_of(build_graph<int>(s, t, opt))[2] == std::vector<std::size_t>{1, 5});
}

TEST_CASE("empty graphs, isolated vertices, explicit vertex counts") {
  const std::vector<int> none;
  const auto empty = build_graph<std::uint32_t>(none, none);
  CHECK(empty.num_vertices() == 0);
  CHECK(empty.num_edges() == 0);
  build_options opt;
  opt.num_vertices = 5;
  const auto isolated = build_graph<std::uint32_t>(none, none, opt);
  CHECK(isolated.num_vertices() == 5);
  for (std::size_t u = 0; u < 5; ++u) CHECK(isolated.degree(u) == 0);
  const std::vector<int> s{3}, t{3};
  const auto loop = build_graph<std::uint32_t>(s, t, opt);
  CHECK(loop.num_vertices() == 5);
  CHECK(rows_of(loop)[3] == std::vector<std::size_t>{3});
  opt.drop_self_loops = true;
  CHECK(build_graph<std::uint32_t>(s, t, opt).num_edges() == 0);
  opt.symmetrize = true;
  opt.drop_self_loops = false;
  CHECK(build_graph<std::uint32_t>(s, t, opt).num_edges() == 1); // a loop is stored once
  opt.num_vertices = 0;
  CHECK(build_graph<std::uint32_t>(none, none, opt).num_vertices() == 0);
}

TEST_CASE("ranges of pairs, tuples and arrays; non-random-access ranges") {
  const std::vector<std::pair<int, int>> pairs{{0, 1}, {1, 2}};
  CHECK(rows_of(build_graph<std::uint16_t>(pairs)) ==
        std::vector<std::vector<std::size_t>>{{1}, {2}, {}});
  const std::list<std::tuple<long, long, float>> triples{{1, 0, 2.5f}, {0, 1, 1.5f}};
  const auto g = build_graph<std::uint32_t, std::uint32_t, double>(triples);
  CHECK(g.weights_of(1)[0] == 2.5);
  CHECK(g.weights_of(0)[0] == 1.5);
  const std::vector<std::array<std::uint64_t, 2>> arrays{{4, 0}};
  CHECK(build_graph<std::uint8_t>(arrays).num_vertices() == 5);
  const std::vector<std::tuple<int, int>> none;
  CHECK(build_graph<int>(none).num_vertices() == 0);
}

TEST_CASE("every error path: a typed error, and the throwing form throws it") {
  const std::vector<int> s{0, -1}, t{1, 2};
  auto neg = try_build_graph<std::uint32_t>(s, t);
  REQUIRE(!neg);
  CHECK(neg.error().code() == errc::out_of_range);
  CHECK(neg.error().message() == "edge 1: source id -1 is negative");
  const std::vector<int> s2{0, 1}, t2{1, -7};
  CHECK(try_build_graph<std::uint32_t>(s2, t2).error().message() ==
        "edge 1: target id -7 is negative");

  build_options opt;
  opt.num_vertices = 2;
  const std::vector<int> s3{0, 1, 2}, t3{1, 1, 0};
  auto range = try_build_graph<std::uint32_t>(s3, t3, opt);
  CHECK(range.error().code() == errc::out_of_range);
  CHECK(range.error().message() == "edge 2: source id 2 is not below the vertex count 2");

  // The same checks when the vertex count is given (validated during the counting pass).
  build_options five;
  five.num_vertices = 5;
  CHECK(try_build_graph<std::uint32_t>(s, t, five).error().message() ==
        "edge 1: source id -1 is negative");
  CHECK(try_build_graph<std::uint32_t>(s2, t2, five).error().message() ==
        "edge 1: target id -7 is negative");
  const std::vector<int> s4{0, 1, 2, 3}, t4{1, 5, 9, 1};
  CHECK(try_build_graph<std::uint32_t>(s4, t4, five).error().message() ==
        "edge 1: target id 5 is not below the vertex count 5");
  five.symmetrize = true;
  CHECK(try_build_graph<std::uint32_t>(s4, t4, five).error().code() == errc::out_of_range);

  // Ids that do not fit the vertex type: 256 in uint8, 2^31 in int32, never truncated.
  const std::vector<std::int64_t> big{256}, zero{0};
  auto v8 = try_build_graph<std::uint8_t>(zero, big);
  CHECK(v8.error().code() == errc::overflow);
  CHECK(v8.error().message() == "edge 0: target id 256 does not fit the vertex id type (max 255)");
  const std::vector<std::int64_t> big32{std::int64_t{1} << 31};
  CHECK(try_build_graph<std::int32_t>(big32, zero).error().code() == errc::overflow);
  const std::vector<std::int64_t> max8{255};
  CHECK(try_build_graph<std::uint8_t>(max8, zero)->num_vertices() == 256);

  // A vertex count the vertex type cannot number.
  build_options many;
  many.num_vertices = 257;
  CHECK(try_build_graph<std::uint8_t>(zero, zero, many).error().code() == errc::overflow);
  many.num_vertices = 256;
  CHECK(try_build_graph<std::uint8_t>(zero, zero, many).has_value());

  // Edge counts that do not fit the offset type, also when symmetrizing doubles them.
  std::vector<int> a(200, 0), b(200, 1);
  CHECK(try_build_graph<int, std::uint8_t>(a, b).has_value());
  build_options sym;
  sym.symmetrize = true;
  auto e8 = try_build_graph<int, std::uint8_t>(a, b, sym);
  CHECK(e8.error().code() == errc::overflow);
  CHECK(e8.error().message() == "400 stored edges do not fit the edge offset type (max 255)");
  build_options merged = sym;
  merged.duplicates = duplicate_policy::first; // merging happens after: still too many to sort
  CHECK(!try_build_graph<int, std::uint8_t>(a, b, merged).has_value());
  std::vector<int> c(128, 0), d(128, 1);
  CHECK(try_build_graph<int, std::int8_t>(c, d).error().code() == errc::overflow);
  CHECK(try_build_graph<int, std::int8_t>(std::span(c).first(127), std::span(d).first(127))
            .has_value());

  // Mismatched sizes.
  const std::vector<int> one{0};
  CHECK(try_build_graph<int>(one, a).error().code() == errc::invalid_argument);
  const std::vector<double> w{1.0, 2.0};
  CHECK(try_build_graph<int, std::uint64_t, double>(one, one, w).error().message() ==
        "2 weights for 1 edges");

  // Integer weight sums that overflow.
  const std::vector<int> ss{0, 0}, tt{1, 1};
  const std::vector<std::int8_t> ww{100, 100};
  build_options sum;
  sum.duplicates = duplicate_policy::sum;
  auto of = try_build_graph<int, std::uint32_t, std::int8_t>(ss, tt, ww, sum);
  CHECK(of.error().code() == errc::overflow);
  CHECK(of.error().message().find("vertex 0") != std::string::npos);
  sum.sort_neighbors = true;
  CHECK(!try_build_graph<int, std::uint32_t, std::int8_t>(ss, tt, ww, sum).has_value());

  CHECK_THROWS_AS((void)build_graph<std::uint32_t>(s, t), tessera::exception);
  try {
    (void)build_graph<std::uint32_t>(s, t);
  } catch (const tessera::exception& e) {
    CHECK(e.code() == errc::out_of_range);
  }
}

TEST_CASE_TEMPLATE("the same graph for every thread count", V, std::uint32_t, std::int64_t) {
  // Enough edges for several blocks.
  std::mt19937_64 rng(7);
  const std::size_t n = 1000;
  std::vector<V> s, t;
  std::vector<float> w;
  for (int i = 0; i < 100000; ++i) {
    s.push_back(static_cast<V>(rng() % n));
    t.push_back(static_cast<V>(rng() % n));
    w.push_back(static_cast<float>(i));
  }
  build_options opt;
  opt.symmetrize = true;
  opt.duplicates = duplicate_policy::min;
  const auto build = [&](int threads) {
    thread_limit_scope limit(threads);
    return build_graph<V, std::uint64_t, float>(s, t, w, opt);
  };
  const auto one = build(1);
  for (int threads : {2, 3, 4}) {
    const auto many = build(threads);
    CHECK(std::ranges::equal(one.offsets(), many.offsets()));
    CHECK(std::ranges::equal(one.targets(), many.targets()));
    CHECK(std::ranges::equal(one.weights(), many.weights()));
  }
  // Symmetric: every edge has its reverse with the same weight.
  const auto rows = weighted_rows_of(one);
  for (std::size_t u = 0; u < n; ++u)
    for (auto [v, x] : rows[u]) {
      const auto& back = rows[v];
      CHECK(std::find(back.begin(), back.end(), std::pair<std::size_t, float>{u, x}) != back.end());
    }
}

TEST_CASE_TEMPLATE("transpose and bidirectional graphs", V, std::uint32_t, std::int32_t,
                   std::uint64_t, std::int64_t) {
  std::mt19937_64 rng(3);
  const std::size_t n = 50;
  std::vector<V> s, t;
  std::vector<int> w;
  for (int i = 0; i < 70000; ++i) {
    s.push_back(static_cast<V>(rng() % n));
    t.push_back(static_cast<V>(rng() % n));
    w.push_back(i);
  }
  const auto g = build_graph<V, std::uint64_t, int>(s, t, w);
  const auto gt = transpose(g);
  // The transpose is the graph built from the reversed edges, ordered by source then edge.
  std::vector<std::tuple<std::size_t, std::size_t, int>> expect, got;
  for (std::size_t u = 0; u < n; ++u)
    for (auto e : g.neighbors(u))
      expect.emplace_back(static_cast<std::size_t>(target(e)), u, edge_weight(e));
  std::stable_sort(expect.begin(), expect.end(),
                   [](auto& a, auto& b) { return std::get<0>(a) < std::get<0>(b); });
  for (std::size_t v = 0; v < n; ++v)
    for (auto e : gt.neighbors(v))
      got.emplace_back(v, static_cast<std::size_t>(target(e)), edge_weight(e));
  CHECK(got == expect);
  // Transposing twice gives g with each neighbour list sorted (stably: in g's edge order).
  auto sorted = rows_of(g);
  for (auto& r : sorted) std::sort(r.begin(), r.end());
  CHECK(rows_of(transpose(gt)) == sorted);

  const auto bg = make_bidirectional(g.clone());
  CHECK(bg.num_vertices() == n);
  CHECK(bg.num_edges() == g.num_edges());
  for (std::size_t v = 0; v < n; ++v) CHECK(bg.in_degree(v) == gt.degree(v));

  const std::vector<V> none;
  const auto empty = build_graph<V>(none, none);
  CHECK(transpose(empty).num_vertices() == 0);
  build_options iso;
  iso.num_vertices = 3;
  const auto lonely = transpose(build_graph<V>(none, none, iso));
  CHECK(lonely.num_vertices() == 3);
  CHECK(lonely.num_edges() == 0);
}
