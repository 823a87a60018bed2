// BFS / DFS / SSSP / PageRank / components: empty graphs, isolated vertices, self loops,
// multi-edges, errors, options (depth limit, multi-source, personalization, weights, stopping
// rules), deep graphs (no recursion), an archetype graph that models only adjacency_list, and
// cross-checks on the real graphs in ../shared/data/graphs/real.
#include "core_fixtures.hpp"
#include "support/shared_data.hpp"

#include <tessera/algorithm/bfs.hpp>
#include <tessera/algorithm/components.hpp>
#include <tessera/algorithm/dfs.hpp>
#include <tessera/algorithm/pagerank.hpp>
#include <tessera/algorithm/sssp.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <numeric>
#include <optional>
#include <set>
#include <span>
#include <sstream>
#include <utility>
#include <vector>

using namespace core_fixtures;

namespace {

// A forward-only, unsized, non-borrowed range returned by value: the least a graph may offer.
template <class T>
class forward_view {
public:
  class iterator {
  public:
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    explicit iterator(const T* p) : p_(p) {}
    const T& operator*() const { return *p_; }
    iterator& operator++() { return ++p_, *this; }
    iterator operator++(int) {
      auto c = *this;
      ++p_;
      return c;
    }
    friend bool operator==(const iterator&, const iterator&) = default;

  private:
    const T* p_ = nullptr;
  };
  forward_view(const T* b, const T* e) : b_(b), e_(e) {}
  iterator begin() const { return iterator(b_); }
  iterator end() const { return iterator(e_); }

private:
  const T* b_;
  const T* e_;
};

/// Models adjacency_list (or weighted_adjacency_list with pair elements) and nothing else: no
/// degree(), no offsets, no in-edges, no direction.
template <class E>
struct archetype_graph {
  std::vector<std::vector<E>> rows;
  std::size_t num_vertices() const { return rows.size(); }
  forward_view<E> neighbors(std::size_t u) const {
    return {rows[u].data(), rows[u].data() + rows[u].size()};
  }
};

static_assert(tessera::adjacency_list<archetype_graph<int>>);
static_assert(!tessera::bidirectional_adjacency_list<archetype_graph<int>>);
static_assert(!tessera::compressed_adjacency<archetype_graph<int>>);
static_assert(!std::ranges::sized_range<forward_view<int>>);
static_assert(!std::ranges::borrowed_range<forward_view<int>>);
static_assert(tessera::weighted_adjacency_list<archetype_graph<std::pair<int, double>>>);

/// Dense reference PageRank straight from the definition.
std::vector<double> reference_pagerank(const edge_list& el, double d, std::size_t iterations,
                                       bool weighted, const std::vector<double>& pers,
                                       tessera::dangling_policy policy) {
  const std::size_t n = el.n;
  std::vector<double> out(n, 0), p(n, 1.0 / static_cast<double>(n));
  if (!pers.empty()) {
    const double s = std::accumulate(pers.begin(), pers.end(), 0.0);
    for (std::size_t v = 0; v < n; ++v) p[v] = pers[v] / s;
  }
  for (const edge& e : el.edges) out[e.u] += weighted ? e.w : 1.0;
  std::vector<double> r(n, 1.0 / static_cast<double>(n));
  for (std::size_t it = 0; it < iterations; ++it) {
    double dangling = 0;
    for (std::size_t v = 0; v < n; ++v)
      if (out[v] == 0) dangling += r[v];
    std::vector<double> next(n);
    for (std::size_t v = 0; v < n; ++v) {
      double share = 0;
      if (policy == tessera::dangling_policy::uniform) share = 1.0 / static_cast<double>(n);
      if (policy == tessera::dangling_policy::personalization) share = p[v];
      next[v] = (1 - d) * p[v] + d * dangling * share;
    }
    for (const edge& e : el.edges) next[e.v] += d * r[e.u] * (weighted ? e.w : 1.0) / out[e.u];
    r = next;
  }
  return r;
}

edge_list small_graph() {
  // 0 -> 1 twice (multi-edge), 1 -> 1 (self loop), 1 -> 2, 2 -> 0, 3 -> 2, 4 isolated, 5 -> 5
  return edge_list{6,
                   {{0, 1, 2}, {0, 1, 5}, {1, 1, 1}, {1, 2, 3}, {2, 0, 1}, {3, 2, 4}, {5, 5, 1}}};
}

} // namespace

TEST_CASE("algorithms on the empty graph") {
  const std::vector<std::vector<int>> g;
  CHECK(tessera::try_bfs(g, 0).error().code() == tessera::errc::out_of_range);
  CHECK(tessera::bfs(g, std::span<const int>()).level.empty());
  CHECK(tessera::dfs(g).preorder.empty());
  CHECK(tessera::weakly_connected_components(g).count == 0);
  CHECK(tessera::strongly_connected_components(g).count == 0);
  const auto pr = tessera::pagerank(g);
  CHECK(pr.rank.empty());
  CHECK(pr.converged);
  const std::vector<std::vector<std::pair<int, double>>> w;
  CHECK(tessera::sssp(w, std::span<const int>()).distance.empty());
  CHECK_THROWS_AS((void)tessera::sssp(w, 0), tessera::exception);
}

TEST_CASE("self loops, multi-edges and isolated vertices") {
  const edge_list el = small_graph();
  const auto g = make_csr<std::int32_t, int>(el);
  const auto b = tessera::bfs(g, 0);
  CHECK(b.level == std::vector<std::uint32_t>{0, 1, 2, tessera::bfs_unreached<std::int32_t>,
                                              tessera::bfs_unreached<std::int32_t>,
                                              tessera::bfs_unreached<std::int32_t>});
  CHECK(b.parent == std::vector<std::int32_t>{0, 0, 1, -1, -1, -1});
  CHECK(b.reached == 3);
  CHECK(b.max_level == 2);

  for (auto algo : {tessera::sssp_algorithm::dijkstra, tessera::sssp_algorithm::delta_stepping}) {
    tessera::sssp_options opt;
    opt.algorithm = algo;
    const auto s = tessera::sssp(g, 0, opt); // the lighter of the two 0 -> 1 edges counts
    CHECK(s.distance == std::vector<std::int64_t>{0, 2, 5, tessera::sssp_unreachable<std::int64_t>,
                                                  tessera::sssp_unreachable<std::int64_t>,
                                                  tessera::sssp_unreachable<std::int64_t>});
    CHECK(s.predecessor == std::vector<std::int32_t>{0, 0, 1, -1, -1, -1});
  }

  const auto w = tessera::weakly_connected_components(g);
  CHECK(w.component == std::vector<std::int32_t>{0, 0, 0, 0, 4, 5});
  CHECK(w.count == 3);
  const auto s = tessera::strongly_connected_components(g);
  CHECK(s.component == std::vector<std::int32_t>{0, 0, 0, 3, 4, 5});
  CHECK(s.count == 4);
  tessera::components_options dense;
  dense.labels = tessera::component_labels::dense;
  CHECK(tessera::strongly_connected_components(g, dense).component ==
        std::vector<std::int32_t>{0, 0, 0, 1, 2, 3});

  // PageRank: multi-edges count twice, self loops keep rank, vertex 4 is dangling.
  for (auto policy : {tessera::dangling_policy::uniform, tessera::dangling_policy::drop}) {
    for (bool weighted : {false, true}) {
      tessera::pagerank_options opt;
      opt.fixed_iterations = 30;
      opt.dangling = policy;
      opt.use_weights = weighted;
      const auto r = tessera::pagerank(g, opt);
      const auto want = reference_pagerank(el, 0.85, 30, weighted, {}, policy);
      for (std::size_t v = 0; v < el.n; ++v)
        CHECK(r.rank[v] == doctest::Approx(want[v]).epsilon(1e-12));
    }
  }
}

TEST_CASE("sssp: a bad weight in a compressed graph names its vertex, past empty rows") {
  // Vertices 1 and 2 have no out-edges, so offsets repeat before vertex 3's row.
  const edge_list el{5, {{0, 1, 1}, {3, 4, 2}, {3, 0, -1}, {4, 2, 3}}};
  const auto ints = tessera::try_sssp(make_csr<std::uint32_t, int>(el), 0);
  REQUIRE(!ints);
  CHECK(ints.error().code() == tessera::errc::invalid_argument);
  CHECK(ints.error().message().find("vertex 3") != std::string::npos);
  edge_list nan = el;
  nan.edges[2].w = 5;
  nan.edges[3].w = std::nan("");
  const auto floats = tessera::try_sssp(make_csr<std::int64_t, float>(nan), std::int64_t{0});
  REQUIRE(!floats);
  CHECK(floats.error().message().find("vertex 4") != std::string::npos);
  // Zero weights only: no positive weight to size delta-stepping's buckets from.
  edge_list zeros = el;
  for (edge& e : zeros.edges) e.w = 0;
  for (auto algo : {tessera::sssp_algorithm::dijkstra, tessera::sssp_algorithm::delta_stepping}) {
    tessera::sssp_options opt;
    opt.algorithm = algo;
    const auto r = tessera::sssp(make_csr<std::uint32_t, double>(zeros), 0, opt);
    const double inf = tessera::sssp_unreachable<double>;
    CHECK(r.distance == std::vector<double>{0, 0, inf, inf, inf});
  }
}

TEST_CASE("errors: negative weights, bad sources, bad options, ids too narrow") {
  const std::vector<std::vector<std::pair<int, double>>> neg{{{1, 1.0}}, {{0, -0.5}}};
  const auto r = tessera::try_sssp(neg, 0);
  REQUIRE(!r);
  CHECK(r.error().code() == tessera::errc::invalid_argument);
  CHECK(r.error().message().find("vertex 1") != std::string::npos);
  const std::vector<std::vector<std::pair<int, double>>> nan{{{1, std::nan("")}}, {}};
  CHECK(!tessera::try_sssp(nan, 0));
  tessera::sssp_options bad_delta;
  bad_delta.delta = -1;
  CHECK(!tessera::try_sssp(std::vector<std::vector<std::pair<int, double>>>{{}}, 0, bad_delta));

  const std::vector<std::vector<int>> g{{1}, {}};
  CHECK(tessera::try_bfs(g, 2).error().code() == tessera::errc::out_of_range);
  CHECK(tessera::try_bfs(g, -1).error().code() == tessera::errc::out_of_range);
  CHECK(tessera::try_dfs(g, 5).error().code() == tessera::errc::out_of_range);
  CHECK_THROWS_AS((void)tessera::bfs(g, 7), tessera::exception);

  tessera::pagerank_options p;
  p.damping = 1.5;
  CHECK(tessera::try_pagerank(g, p).error().code() == tessera::errc::invalid_argument);
  p.damping = 0.85;
  const std::vector<double> wrong_size{1.0};
  p.personalization = wrong_size;
  CHECK(!tessera::try_pagerank(g, p));
  const std::vector<double> zeros{0.0, 0.0};
  p.personalization = zeros;
  CHECK(!tessera::try_pagerank(g, p));
  tessera::pagerank_options weights;
  weights.use_weights = true;
  CHECK(!tessera::try_pagerank(g, weights)); // unweighted graph

  // 256 vertices numbered by uint8_t leave no value for "no vertex"; 255 do.
  const std::vector<std::vector<std::uint8_t>> narrow(256);
  CHECK(tessera::try_bfs(narrow, 0).error().code() == tessera::errc::overflow);
  CHECK(tessera::try_weakly_connected_components(narrow).error().code() == tessera::errc::overflow);
  const std::vector<std::vector<std::uint8_t>> fits(255);
  CHECK(tessera::try_weakly_connected_components(fits)->count == 255);
  CHECK(tessera::try_bfs(fits, 254)->reached == 1);
  // DFS numbers of strong components run to 254 beside uint8_t's 255: a cycle through all 255
  // vertices is one component, a path 255 of them.
  std::vector<std::vector<std::uint8_t>> cycle(255), path(255);
  for (std::size_t v = 0; v < 255; ++v) {
    cycle[v].push_back(static_cast<std::uint8_t>((v + 1) % 255));
    if (v + 1 < 255) path[v].push_back(static_cast<std::uint8_t>(v + 1));
  }
  const auto one = tessera::try_strongly_connected_components(cycle);
  REQUIRE(one);
  CHECK(one->count == 1);
  CHECK(std::all_of(one->component.begin(), one->component.end(),
                    [](std::uint8_t c) { return c == 0; }));
  const auto many = tessera::try_strongly_connected_components(path);
  REQUIRE(many);
  CHECK(many->count == 255);
  CHECK(many->component[254] == 254);
}

TEST_CASE("bfs: depth limit, multiple sources, parents off") {
  // A path 0 -> 1 -> ... -> 9 and a second path 10 -> 11 -> ... -> 19.
  edge_list el{20, {}};
  for (std::size_t i = 0; i + 1 < 10; ++i) el.edges.push_back({i, i + 1, 1});
  for (std::size_t i = 10; i + 1 < 20; ++i) el.edges.push_back({i, i + 1, 1});
  const auto g = make_csr<std::uint64_t>(el);
  tessera::bfs_options opt;
  opt.max_depth = 3;
  const auto r = tessera::bfs(g, 0, opt);
  for (std::size_t v = 0; v < 20; ++v)
    CHECK(r.level[v] == (v <= 3 ? v : tessera::bfs_unreached<std::uint64_t>));
  opt.max_depth = 0;
  CHECK(tessera::bfs(g, 0, opt).reached == 1);

  const std::vector<std::uint64_t> sources{12, 0, 12};
  tessera::bfs_options no_parents;
  no_parents.compute_parents = false;
  const auto m = tessera::bfs(g, sources, no_parents);
  CHECK(m.parent.empty());
  for (std::size_t v = 0; v < 20; ++v) {
    const std::uint64_t want = v < 10    ? v
                               : v >= 12 ? v - 12
                                         : tessera::bfs_unreached<std::uint64_t>;
    CHECK(m.level[v] == want);
  }
  // Multi-source on a random graph equals the minimum over single sources.
  const edge_list rnd = random_edges(2000, 20000, 5);
  const auto big = make_bidirectional<std::uint32_t>(rnd);
  const std::vector<std::uint32_t> srcs{3, 900, 1500};
  const auto all = tessera::bfs(big, srcs);
  std::vector<std::uint32_t> best(2000, tessera::bfs_unreached<std::uint32_t>);
  for (auto s : srcs) {
    const auto one = tessera::bfs(big, s);
    for (std::size_t v = 0; v < 2000; ++v) best[v] = std::min(best[v], one.level[v]);
  }
  CHECK(all.level == best);
}

TEST_CASE("bfs: bottom-up steps agree with top-down (isolated vertices, depth limits, sources)") {
  // Vertices 0..3999 densely connected (direction switching kicks in), 4000..4099 a sparse
  // separate part, 4100..4999 isolated.
  edge_list el = random_edges(4000, 40000, 17);
  el.n = 5000;
  for (std::size_t i = 4000; i + 1 < 4100; i += 2) el.edges.push_back({i, i + 1, 1});
  const edge_list sym = symmetrize(el);
  const auto undirected = make_csr<std::uint32_t>(sym, tessera::graph_direction::undirected);
  const auto bidi = make_bidirectional<std::uint32_t>(el);
  std::set<std::pair<std::size_t, std::size_t>> has;
  for (const edge& e : el.edges) has.insert({e.u, e.v});
  const auto check = [&](const auto& g, std::span<const std::uint32_t> srcs, std::size_t depth,
                         bool symmetric) {
    tessera::bfs_options opt, td;
    opt.max_depth = td.max_depth = depth;
    td.direction = tessera::bfs_direction::top_down;
    const auto r = tessera::bfs(g, srcs, opt);
    const auto want = tessera::bfs(g, srcs, td);
    REQUIRE(r.level == want.level);
    std::size_t reached = 0, deepest = 0;
    for (std::size_t v = 0; v < el.n; ++v) {
      if (r.level[v] == tessera::bfs_unreached<std::uint32_t>) {
        CHECK(r.parent[v] == tessera::invalid_vertex<std::uint32_t>);
        continue;
      }
      ++reached;
      deepest = std::max<std::size_t>(deepest, r.level[v]);
      if (r.level[v] == 0) continue;
      const std::size_t p = r.parent[v];
      REQUIRE(p < el.n);
      CHECK(r.level[p] + 1 == r.level[v]);
      CHECK((has.count({p, v}) == 1 || (symmetric && has.count({v, p}) == 1)));
    }
    CHECK(r.reached == reached);
    CHECK(r.max_level == deepest);
    CHECK(want.reached == reached);
    CHECK(want.max_level == deepest);
  };
  const std::vector<std::vector<std::uint32_t>> source_sets{{7}, {7, 3999, 4500, 4001}, {4002}};
  for (int threads : {1, 2}) {
    tessera::set_num_threads(threads);
    for (const auto& srcs : source_sets)
      for (std::size_t depth : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{4},
                                std::numeric_limits<std::size_t>::max()}) {
        check(undirected, srcs, depth, true);
        check(bidi, srcs, depth, false);
      }
  }
  tessera::set_num_threads(0);
}

TEST_CASE("sssp: multiple sources, zero weights, predecessors form a tree") {
  // Zero-weight cycle 1 <-> 2 reached from 0, and 3 -> 4 with weight 0.
  const edge_list el{5, {{0, 1, 1}, {1, 2, 0}, {2, 1, 0}, {2, 3, 2}, {3, 4, 0}}};
  for (auto algo : {tessera::sssp_algorithm::dijkstra, tessera::sssp_algorithm::delta_stepping}) {
    tessera::sssp_options opt;
    opt.algorithm = algo;
    const auto r = tessera::sssp(make_csr<std::uint32_t, float>(el), 0, opt);
    CHECK(r.distance == std::vector<float>{0, 1, 1, 3, 3});
    // Following predecessors from any vertex reaches the source without a cycle.
    for (std::size_t v = 0; v < 5; ++v) {
      std::size_t x = v, steps = 0;
      while (x != 0 && steps++ < 10) x = r.predecessor[x];
      CHECK(x == 0);
    }
    const std::vector<std::uint32_t> srcs{0, 3};
    const auto m = tessera::sssp(make_csr<std::uint32_t, float>(el), srcs, opt);
    CHECK(m.distance == std::vector<float>{0, 1, 1, 0, 0});
  }
}

TEST_CASE("pagerank: personalization, tolerance, iteration cap, undirected and float ranks") {
  const edge_list el = random_edges(200, 800, 41, false);
  std::vector<double> pers(200, 0.0);
  pers[3] = 2, pers[17] = 1, pers[150] = 1;
  for (auto policy : {tessera::dangling_policy::uniform, tessera::dangling_policy::personalization,
                      tessera::dangling_policy::drop}) {
    tessera::pagerank_options opt;
    opt.fixed_iterations = 25;
    opt.personalization = pers;
    opt.dangling = policy;
    opt.use_weights = true;
    const auto r = tessera::pagerank(make_bidirectional<std::int32_t, double>(el), opt);
    const auto want = reference_pagerank(el, 0.85, 25, true, pers, policy);
    for (std::size_t v = 0; v < 200; ++v)
      CHECK(r.rank[v] == doctest::Approx(want[v]).epsilon(1e-10));
  }
  tessera::pagerank_options tol;
  tol.tolerance = 1e-10;
  tol.max_iterations = 1000;
  const auto c = tessera::pagerank(make_csr<std::uint32_t>(el), tol);
  CHECK(c.converged);
  CHECK(c.residual < 1e-10);
  CHECK(c.iterations < 1000);
  CHECK(std::accumulate(c.rank.begin(), c.rank.end(), 0.0) == doctest::Approx(1.0));
  tol.max_iterations = 3;
  const auto capped = tessera::pagerank(make_csr<std::uint32_t>(el), tol);
  CHECK(!capped.converged);
  CHECK(capped.iterations == 3);

  const edge_list sym = symmetrize(el);
  tessera::pagerank_options fixed;
  fixed.fixed_iterations = 40;
  const auto u =
      tessera::pagerank(make_csr<std::uint32_t>(sym, tessera::graph_direction::undirected), fixed);
  const auto want = reference_pagerank(sym, 0.85, 40, false, {}, tessera::dangling_policy::uniform);
  for (std::size_t v = 0; v < 200; ++v) CHECK(u.rank[v] == doctest::Approx(want[v]).epsilon(1e-10));
  const auto f = tessera::pagerank<float>(make_vv<std::int64_t>(sym), fixed);
  for (std::size_t v = 0; v < 200; ++v)
    CHECK(static_cast<double>(f.rank[v]) == doctest::Approx(want[v]).epsilon(1e-4));
}

// Large graphs pull their in-edges segment by segment (source ranges whose values fit a core's
// cache); segments of a few hundred bytes make a small graph take that path.
TEST_CASE_TEMPLATE("pagerank: source segments hold every in-edge once and change no rank", R, float,
                   double) {
  const std::size_t n = 3000;
  const edge_list el = random_edges(n, 60000, 43);
  for (const bool sorted : {true, false}) {
    // In-edges; make_csr keeps input order, so sorting the edges sorts each list.
    edge_list in = reversed(el);
    if (sorted)
      std::stable_sort(in.edges.begin(), in.edges.end(),
                       [](const edge& a, const edge& b) { return a.v < b.v; });
    const auto csc = make_csr<std::uint32_t>(in);
    const std::uint64_t* off = csc.offsets().data();
    const std::uint32_t* src = csc.targets().data();
    CHECK(tessera::detail::pr_make_segments<R>(n, off, src, 1000).count == 1);    // fits in cache
    CHECK(tessera::detail::pr_make_segments<R>(n, off, src, 3, 1024).count == 1); // too few rounds
    const auto seg = tessera::detail::pr_make_segments<R>(n, off, src, 1000, 1024);
    REQUIRE(seg.count > 1);
    CHECK(seg.count <= tessera::detail::pr_max_segments);
    for (std::size_t v = 0; v < n; ++v) {
      std::vector<std::uint32_t> all;
      for (std::size_t k = 0; k < seg.count; ++k) {
        const std::uint32_t* o = seg.offsets.get() + k * (n + 1);
        REQUIRE(o[v] <= o[v + 1]);
        for (std::size_t i = o[v]; i < o[v + 1]; ++i) {
          const std::uint32_t s = seg.sources[seg.first[k] + i];
          CHECK((s >> seg.shift) == k);
          all.push_back(s);
        }
      }
      // Each segment keeps the list's order: the segments' concatenation is the list stably
      // partitioned by segment.
      std::vector<std::uint32_t> want(src + off[v], src + off[v + 1]);
      std::stable_sort(want.begin(), want.end(), [&](std::uint32_t a, std::uint32_t b) {
        return (a >> seg.shift) < (b >> seg.shift);
      });
      REQUIRE(all == want);
    }

    // Iterations with and without segments from the same state.
    using pull = tessera::detail::pull_arrays<R, std::uint64_t, std::uint32_t, R>;
    const pull arrays{off, src, nullptr};
    const auto out = make_csr<std::uint32_t>(el);
    tessera::detail::pr_state<R> one, split;
    for (auto* st : {&one, &split}) {
      st->rank.assign(n, R(1) / R(n));
      st->inv_out.resize(n);
      st->contrib.resize(n);
      st->contrib_next.resize(n);
      st->partial.resize(n);
      st->base_uniform = R(0.15) / R(n);
      st->share_uniform = R(1) / R(n);
      for (std::size_t v = 0; v < n; ++v) {
        const auto d = out.degree(v);
        st->inv_out[v] = d ? R(1) / static_cast<R>(d) : R(0);
        st->contrib[v] = st->rank[v] * st->inv_out[v];
      }
    }
    const tessera::detail::pr_segments<std::uint32_t> none;
    for (int it = 0; it < 10; ++it) {
      const auto a = tessera::detail::pr_iterate(n, arrays, none, one, R(0.85), R(0.01));
      const auto b = tessera::detail::pr_iterate(n, arrays, seg, split, R(0.85), R(0.01));
      one.contrib.swap(one.contrib_next);
      split.contrib.swap(split.contrib_next);
      if (sorted) {
        CHECK(a == b); // the same sums in the same order
      } else {
        CHECK(b.first == doctest::Approx(a.first).epsilon(1e-3));
        CHECK(b.second == doctest::Approx(a.second).epsilon(1e-3));
      }
    }
    if (sorted) {
      CHECK(one.rank == split.rank);
    } else {
      for (std::size_t v = 0; v < n; ++v) // sums in another order
        CHECK(split.rank[v] == doctest::Approx(one.rank[v]).epsilon(1e-5));
    }
  }
}

TEST_CASE("dfs: roots, forest mode, parents and deep paths without recursion") {
  const edge_list el{6, {{0, 1}, {1, 2}, {0, 3}, {4, 5}}};
  const auto g = make_csr<std::uint32_t>(el);
  const auto one = tessera::dfs(g, 0);
  CHECK(one.preorder == std::vector<std::uint32_t>{0, 1, 2, 3});
  CHECK(one.postorder == std::vector<std::uint32_t>{2, 1, 3, 0});
  CHECK(one.discovery[4] == tessera::dfs_unvisited);
  CHECK(one.parent[2] == 1);
  CHECK(one.parent[0] == tessera::invalid_vertex<std::uint32_t>);
  tessera::dfs_options forest;
  forest.forest = true;
  const auto all = tessera::dfs(g, 4, forest);
  CHECK(all.roots == std::vector<std::uint32_t>{4, 0});
  CHECK(all.preorder == std::vector<std::uint32_t>{4, 5, 0, 1, 2, 3});

  // A 200,000-vertex path and one big cycle: recursion would overflow the stack under ASan.
  const std::size_t n = 200000;
  std::vector<std::vector<std::uint32_t>> path(n);
  for (std::size_t i = 0; i + 1 < n; ++i) path[i].push_back(static_cast<std::uint32_t>(i + 1));
  CHECK(tessera::dfs(path, 0).finish[0] == 2 * n - 1);
  path[n - 1].push_back(0);
  const auto scc = tessera::strongly_connected_components(path);
  CHECK(scc.count == 1);
  CHECK(scc.component[n - 1] == 0);
}

TEST_CASE("archetype: every algorithm accepts a graph that models only adjacency_list") {
  const edge_list el = random_edges(300, 900, 51);
  archetype_graph<int> a;
  archetype_graph<std::pair<int, double>> aw;
  a.rows.resize(el.n);
  aw.rows.resize(el.n);
  for (const edge& e : el.edges) {
    a.rows[e.u].push_back(static_cast<int>(e.v));
    aw.rows[e.u].emplace_back(static_cast<int>(e.v), e.w);
  }
  const auto csr = make_csr<int, double>(el);
  CHECK(tessera::bfs(a, 0).level == tessera::bfs(csr, 0).level);
  CHECK(tessera::dfs(a).discovery == tessera::dfs(csr).discovery);
  CHECK(tessera::sssp(aw, 0).distance == tessera::sssp(csr, 0).distance);
  tessera::sssp_options delta;
  delta.algorithm = tessera::sssp_algorithm::delta_stepping;
  CHECK(tessera::sssp(aw, 0, delta).distance == tessera::sssp(csr, 0).distance);
  CHECK(tessera::weakly_connected_components(a).component ==
        tessera::weakly_connected_components(csr).component);
  CHECK(tessera::strongly_connected_components(a).component ==
        tessera::strongly_connected_components(csr).component);
  tessera::pagerank_options opt;
  opt.fixed_iterations = 10;
  const auto pa = tessera::pagerank(a, opt), pc = tessera::pagerank(csr, opt);
  for (std::size_t v = 0; v < el.n; ++v) CHECK(pa.rank[v] == doctest::Approx(pc.rank[v]));
  opt.use_weights = true;
  const auto wa = tessera::pagerank(aw, opt), wc = tessera::pagerank(csr, opt);
  for (std::size_t v = 0; v < el.n; ++v) CHECK(wa.rank[v] == doctest::Approx(wc.rank[v]));
}

namespace {
// `u v` lines (comments with # or %), ids as written; n = largest id + 1.
std::optional<edge_list> read_pairs(const std::string& relative, std::size_t skip_lines = 0) {
  const auto p = tessera_test::shared_data(relative);
  if (!p) return std::nullopt;
  std::istringstream in(slurp(*p));
  std::string line;
  edge_list el;
  for (std::size_t i = 0; i < skip_lines; ++i) std::getline(in, line);
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line[0] == '%') continue;
    std::istringstream ls(line);
    std::size_t u = 0, v = 0;
    if (!(ls >> u >> v)) continue;
    el.edges.push_back({u, v, 1.0});
    el.n = std::max({el.n, u + 1, v + 1});
  }
  return el;
}
} // namespace

TEST_CASE(
    "real graphs: BFS levels equal unit-weight SSSP; WCC equals WCC of the symmetrized graph") {
  for (const char* name : {"graphs/real/facebook_combined.txt", "graphs/real/Wiki-Vote.txt",
                           "graphs/real/USPowerGrid.txt", "graphs/real/luxembourg_osm.el"}) {
    const auto el = read_pairs(name);
    if (!el) return;
    INFO(name);
    REQUIRE(el->n > 1000);
    const auto bidi = make_bidirectional<std::uint32_t>(*el);
    const auto weighted = make_csr<std::uint32_t, std::uint32_t>(*el);
    for (std::uint32_t s : {0u, 1u, static_cast<std::uint32_t>(el->n / 2)}) {
      const auto b = tessera::bfs(bidi, s);
      for (auto algo :
           {tessera::sssp_algorithm::dijkstra, tessera::sssp_algorithm::delta_stepping}) {
        tessera::sssp_options opt;
        opt.algorithm = algo;
        const auto d = tessera::sssp(weighted, s, opt);
        for (std::size_t v = 0; v < el->n; ++v)
          REQUIRE((b.level[v] == tessera::bfs_unreached<std::uint32_t>
                       ? d.distance[v] == tessera::sssp_unreachable<std::uint64_t>
                       : d.distance[v] == b.level[v]));
      }
    }
    const auto w = tessera::weakly_connected_components(make_csr<std::uint32_t>(*el));
    const auto ws = tessera::weakly_connected_components(
        make_csr<std::uint32_t>(symmetrize(*el), tessera::graph_direction::undirected));
    CHECK(w.component == ws.component);
    CHECK(w.count == ws.count);
    // Strong components refine weak ones.
    const auto s = tessera::strongly_connected_components(bidi);
    for (std::size_t v = 0; v < el->n; ++v)
      CHECK(w.component[static_cast<std::size_t>(s.component[v])] == w.component[v]);
  }
}
