// tessera: betweenness centrality (Brandes), exact or on a sample of sources.
//
// For each source s, a shortest-path search (BFS, or Dijkstra with weights) counts the shortest
// paths sigma(v) and orders the reached vertices by distance; walking that order backwards
// accumulates the dependencies delta(v) = sum over successors w on shortest paths of
// sigma(v) / sigma(w) * (1 + delta(w)), and the centrality of v is the sum of delta(v) over
// sources s != v. Parallel edges are distinct paths (as in Boost.Graph); self loops never lie
// on a shortest path.
//
// Scaling, as a table (n vertices, k sources used):
//   raw (default)            sum of dependencies; on an undirected graph halved, because each
//                            pair is seen from both ends (Boost.Graph's brandes_betweenness_-
//                            centrality convention)
//   sampled (k < n)          multiplied by n / k when `extrapolate` (networkx's k= convention),
//                            an unbiased estimate of the raw value
//   normalize                divided by the number of pairs a vertex can lie between: (n - 1)
//                            (n - 2) ordered pairs (directed) or (n - 1)(n - 2) / 2 unordered
//                            pairs (undirected), i.e. networkx's normalized=True; for
//                            undirected graphs it equals Boost's relative_betweenness_centrality
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/core/parallel.hpp>
#include <tessera/detail/algorithm/graph_access.hpp>
#include <tessera/detail/core/random.hpp>
#include <tessera/graph/concepts.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <queue>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

TESSERA_NAMESPACE_BEGIN

/// Parameters of betweenness_centrality() and weighted_betweenness_centrality().
struct betweenness_options {
  /// 0: every vertex is a source (exact). k > 0: k distinct sources drawn uniformly with `seed`
  /// (all vertices when k >= n). The draw depends only on (n, k, seed).
  std::size_t samples = 0;
  std::uint64_t seed = 0;
  /// With sampling, multiply by n / k so the result estimates the exact value.
  bool extrapolate = true;
  /// Whether the graph is undirected (every edge stored both ways): the result is then halved.
  /// Unset: taken from g.is_directed() when the graph has it, else directed.
  std::optional<bool> undirected;
  /// Divide by the number of (ordered, directed; unordered, undirected) pairs of other vertices.
  bool normalize = false;
};

namespace detail {
/// The sources: all of 0 .. n - 1, or k of them drawn without replacement (Floyd), in
/// increasing order.
[[nodiscard]] inline std::vector<std::size_t> betweenness_sources(std::size_t n, std::size_t k,
                                                                  std::uint64_t seed) {
  std::vector<std::size_t> sources;
  if (k == 0 || k >= n) {
    sources.resize(n);
    for (std::size_t i = 0; i < n; ++i) sources[i] = i;
    return sources;
  }
  std::vector<bool> chosen(n, false);
  splitmix64 rng{seed};
  for (std::size_t j = n - k; j < n; ++j) {
    const auto t = static_cast<std::size_t>(rng.uniform(static_cast<std::uint64_t>(j) + 1));
    chosen[chosen[t] ? j : t] = true;
  }
  sources.reserve(k);
  for (std::size_t i = 0; i < n; ++i)
    if (chosen[i]) sources.push_back(i);
  return sources;
}

/// Distances of weighted searches: double for floating weights, 64-bit integers otherwise.
template <class W>
using bc_distance_t =
    std::conditional_t<std::is_floating_point_v<W>, std::common_type_t<W, double>,
                       std::conditional_t<std::is_signed_v<W>, std::int64_t, std::uint64_t>>;

/// Runs `one_source(state, s, centrality)` for every source, spread over the threads with a
/// fixed round-robin assignment (so the result is the same for a given thread count), then
/// sums the per-thread centralities in thread order and applies the scaling.
template <class State, class MakeState, class OneSource>
[[nodiscard]] std::vector<double> brandes_driver(std::size_t n, const betweenness_options& options,
                                                 bool undirected, MakeState&& make_state,
                                                 OneSource&& one_source) {
  const auto sources = betweenness_sources(n, options.samples, options.seed);
  const std::size_t workers =
      std::max<std::size_t>(1, std::min(sources.size(), static_cast<std::size_t>(num_threads())));
  std::vector<std::vector<double>> partial(workers);
  parallel_for_chunks(
      std::size_t{0}, workers,
      [&](std::size_t b, std::size_t e) {
        for (std::size_t w = b; w < e; ++w) {
          partial[w].assign(n, 0.0);
          State state = make_state();
          for (std::size_t i = w; i < sources.size(); i += workers)
            one_source(state, sources[i], partial[w]);
        }
      },
      1);
  std::vector<double> result = std::move(partial[0]);
  if (result.empty()) result.assign(n, 0.0);
  double scale = undirected ? 0.5 : 1.0;
  if (options.extrapolate && !sources.empty() && sources.size() < n)
    scale *= static_cast<double>(n) / static_cast<double>(sources.size());
  if (options.normalize) {
    const double pairs = n > 2 ? static_cast<double>(n - 1) * static_cast<double>(n - 2) : 0.0;
    if (pairs > 0) scale *= (undirected ? 2.0 : 1.0) / pairs;
  }
  parallel_for(
      std::size_t{0}, n,
      [&](std::size_t v) {
        double c = result[v];
        for (std::size_t w = 1; w < workers; ++w) c += partial[w][v];
        result[v] = c * scale;
      },
      1 << 14);
  return result;
}
} // namespace detail

/// Betweenness centrality of every vertex, counting hops (edge weights, if any, are ignored).
///
/// Complexity: O(k (n + m)) time for k sources (k = n exact), O(n) memory per thread plus the
/// graph. Parallel over sources; the result is deterministic for a given thread count and
/// differs between thread counts only by floating-point rounding.
template <adjacency_list G>
[[nodiscard]] std::vector<double> betweenness_centrality(const G& g,
                                                         const betweenness_options& options = {}) {
  using V = vertex_t<G>;
  const std::size_t n = tessera::num_vertices(g);
  static constexpr std::size_t unreached = std::numeric_limits<std::size_t>::max();
  struct state {
    std::vector<std::size_t> dist;
    std::vector<double> sigma, delta;
    std::vector<V> order;
  };
  const auto make_state = [n] {
    state s;
    s.dist.assign(n, unreached);
    s.sigma.assign(n, 0.0);
    s.delta.assign(n, 0.0);
    s.order.reserve(n);
    return s;
  };
  const auto one_source = [&](state& st, std::size_t s, std::vector<double>& centrality) {
    st.order.clear();
    st.order.push_back(static_cast<V>(s));
    st.dist[s] = 0;
    st.sigma[s] = 1.0;
    for (std::size_t head = 0; head < st.order.size(); ++head) {
      const std::size_t u = detail::index_of(st.order[head]);
      const std::size_t next_level = st.dist[u] + 1;
      const double su = st.sigma[u];
      detail::walk_out(g, u, [&](V wv) {
        const std::size_t w = detail::index_of(wv);
        if (st.dist[w] == unreached) {
          st.dist[w] = next_level;
          st.order.push_back(wv);
        }
        if (st.dist[w] == next_level) st.sigma[w] += su;
      });
    }
    for (std::size_t i = st.order.size(); i-- > 0;) {
      const std::size_t u = detail::index_of(st.order[i]);
      const std::size_t next_level = st.dist[u] + 1;
      double acc = 0.0;
      detail::walk_out(g, u, [&](V wv) {
        const std::size_t w = detail::index_of(wv);
        if (st.dist[w] == next_level) acc += (1.0 + st.delta[w]) / st.sigma[w];
      });
      st.delta[u] = st.sigma[u] * acc;
      if (u != s) centrality[u] += st.delta[u];
    }
    for (const V v : st.order) { // reset only what this source touched
      const std::size_t x = detail::index_of(v);
      st.dist[x] = unreached;
      st.sigma[x] = 0.0;
      st.delta[x] = 0.0;
    }
  };
  const bool undirected = options.undirected.value_or(detail::reports_undirected(g));
  return detail::brandes_driver<state>(n, options, undirected, make_state, one_source);
}

/// Weighted betweenness centrality (shortest paths by total weight, Dijkstra per source), or an
/// error of kind invalid_argument naming an edge whose weight is not positive (zero, negative
/// or NaN weights break the shortest-path order Brandes relies on). Distances are accumulated
/// in double for floating weights and in 64-bit integers for integral weights; paths tie when
/// their sums compare equal.
///
/// Complexity: O(k (m + n) log n) time for k sources, O(n) memory per thread. Parallel over
/// sources, deterministic for a given thread count.
template <weighted_adjacency_list G>
[[nodiscard]] expected<std::vector<double>>
try_weighted_betweenness_centrality(const G& g, const betweenness_options& options = {}) {
  using V = vertex_t<G>;
  using W = weight_t<G>;
  using D = detail::bc_distance_t<W>;
  const std::size_t n = tessera::num_vertices(g);
  for (std::size_t u = 0; u < n; ++u) {
    std::optional<std::pair<V, W>> bad;
    detail::walk_out_weighted(g, u, [&](V v, W w) {
      if (!bad && !(w > W{0})) bad.emplace(v, w);
    });
    if (bad) {
      std::string shown;
      if constexpr (std::is_floating_point_v<W>)
        shown = std::isnan(bad->second) ? std::string("NaN") : std::to_string(bad->second);
      else
        shown = std::to_string(bad->second);
      return make_error(errc::invalid_argument,
                        "edge " + std::to_string(u) + " -> " + std::to_string(bad->first) +
                            " has weight " + shown +
                            "; weighted betweenness needs positive weights");
    }
  }
  static constexpr D infinite = std::numeric_limits<D>::has_infinity
                                    ? std::numeric_limits<D>::infinity()
                                    : std::numeric_limits<D>::max();
  struct state {
    std::vector<D> dist;
    std::vector<double> sigma, delta;
    std::vector<V> order;
    std::vector<char> settled;
    std::vector<std::pair<D, V>> heap;
  };
  const auto make_state = [n] {
    state s;
    s.dist.assign(n, infinite);
    s.sigma.assign(n, 0.0);
    s.delta.assign(n, 0.0);
    s.settled.assign(n, 0);
    s.order.reserve(n);
    return s;
  };
  const auto one_source = [&](state& st, std::size_t s, std::vector<double>& centrality) {
    const auto later = std::greater<std::pair<D, V>>();
    st.order.clear();
    st.heap.clear();
    st.dist[s] = D{0};
    st.sigma[s] = 1.0;
    st.heap.emplace_back(D{0}, static_cast<V>(s));
    while (!st.heap.empty()) {
      std::pop_heap(st.heap.begin(), st.heap.end(), later);
      // No structured binding: clang cannot capture one inside an OpenMP region.
      const D du = st.heap.back().first;
      const V uv = st.heap.back().second;
      st.heap.pop_back();
      const std::size_t u = detail::index_of(uv);
      if (st.settled[u] || du != st.dist[u]) continue;
      st.settled[u] = 1;
      st.order.push_back(uv);
      const double su = st.sigma[u];
      detail::walk_out_weighted(g, u, [&](V wv, W weight) {
        const std::size_t w = detail::index_of(wv);
        const D candidate = du + static_cast<D>(weight);
        if (candidate < st.dist[w]) {
          st.dist[w] = candidate;
          st.sigma[w] = su;
          st.heap.emplace_back(candidate, wv);
          std::push_heap(st.heap.begin(), st.heap.end(), later);
        } else if (candidate == st.dist[w]) {
          st.sigma[w] += su;
        }
      });
    }
    for (std::size_t i = st.order.size(); i-- > 0;) {
      const std::size_t u = detail::index_of(st.order[i]);
      const D du = st.dist[u];
      double acc = 0.0;
      detail::walk_out_weighted(g, u, [&](V wv, W weight) {
        const std::size_t w = detail::index_of(wv);
        if (du + static_cast<D>(weight) == st.dist[w]) acc += (1.0 + st.delta[w]) / st.sigma[w];
      });
      st.delta[u] = st.sigma[u] * acc;
      if (u != s) centrality[u] += st.delta[u];
    }
    // Every relaxed vertex is settled before the heap drains, so order holds all it touched.
    for (const V v : st.order) {
      const std::size_t x = detail::index_of(v);
      st.dist[x] = infinite;
      st.sigma[x] = 0.0;
      st.delta[x] = 0.0;
      st.settled[x] = 0;
    }
  };
  const bool undirected = options.undirected.value_or(detail::reports_undirected(g));
  return detail::brandes_driver<state>(n, options, undirected, make_state, one_source);
}

/// Throwing convenience for try_weighted_betweenness_centrality: throws tessera::exception.
template <weighted_adjacency_list G>
[[nodiscard]] std::vector<double>
weighted_betweenness_centrality(const G& g, const betweenness_options& options = {}) {
  auto r = try_weighted_betweenness_centrality(g, options);
  if (!r) throw_error(std::move(r).error());
  return std::move(*r);
}

TESSERA_NAMESPACE_END
