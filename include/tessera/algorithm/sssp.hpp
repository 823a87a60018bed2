// tessera: single-source shortest paths over non-negative edge weights: Dijkstra (radix heap)
// and parallel delta-stepping (Meyer & Sanders, organised as in the GAP benchmark suite: thread-
// local buckets and bucket fusion). One or many sources, distances and predecessors.
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/core/parallel.hpp>
#include <tessera/detail/algorithm/graph_access.hpp>
#include <tessera/detail/algorithm/indexed_heap.hpp>
#include <tessera/detail/algorithm/radix_heap.hpp>
#include <tessera/graph/concepts.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

TESSERA_NAMESPACE_BEGIN

/// Which shortest-path algorithm sssp() runs.
enum class sssp_algorithm : std::uint8_t {
  /// Dijkstra below 10,000 edges, delta-stepping above (on one thread too: on the benchmark
  /// graphs it is 10-15% faster than Dijkstra on Kronecker scale 20, whose hubs it relaxes more
  /// than once, and about twice as fast on uniform random graphs).
  automatic,

  dijkstra,       ///< serial, monotone radix heap (see sssp())
  delta_stepping, ///< parallel buckets of width delta (Dijkstra for long double distances)
};

/// Options of sssp().
struct sssp_options {
  sssp_algorithm algorithm = sssp_algorithm::automatic;
  /// Bucket width of delta-stepping; 0 picks one from the weights: mean weight / mean
  /// out-degree, at least the smallest positive weight (and for integer weights at least 1).
  double delta = 0;
  bool compute_predecessors = true; ///< fill sssp_result::predecessor
};

/// The distance type for weights W: W itself for floating weights, a 64-bit integer of the same
/// signedness for integer weights (so sums do not overflow the weight type).
template <weight W>
using sssp_distance_t =
    std::conditional_t<std::is_floating_point_v<W>, W,
                       std::conditional_t<std::is_signed_v<W>, std::int64_t, std::uint64_t>>;

/// The distance of an unreachable vertex: infinity for floating distances, else the largest value.
template <class D>
inline constexpr D sssp_unreachable = std::numeric_limits<D>::has_infinity
                                          ? std::numeric_limits<D>::infinity()
                                          : std::numeric_limits<D>::max();

/// The result of sssp(): distance[v] from the nearest source (sssp_unreachable<D> if none);
/// predecessor[v] is v's parent in a shortest-path tree (sources are their own predecessor;
/// invalid_vertex<V> if unreachable; empty unless requested).
template <vertex_id V, class D>
struct sssp_result {
  std::vector<D> distance;
  std::vector<V> predecessor;
};

namespace detail {

template <weighted_adjacency_list G>
using sssp_d = sssp_distance_t<weight_t<G>>;

struct weight_stats {
  double sum = 0, max = 0, min_positive = std::numeric_limits<double>::infinity();
  std::size_t count = 0;
  std::size_t bad_vertex = std::numeric_limits<std::size_t>::max(); // first negative/NaN weight
};

// One pass over a compressed graph's weights array in the weights' own type: no per-vertex
// loop and no branch per edge, so it vectorizes (a tenth of Dijkstra's time on 2^20 vertices
// before). The vertex of a bad weight is looked up only if there is one.
template <weighted_adjacency_list G>
weight_stats scan_weight_array(const G& g) {
  using W = std::remove_cvref_t<decltype(*g.weights().data())>;
  const std::size_t n = tessera::num_vertices(g);
  const W* const w = g.weights().data();
  const auto* const off = g.offsets().data();
  const auto first = static_cast<std::size_t>(off[0]), last = static_cast<std::size_t>(off[n]);
  struct part {
    double sum = 0;
    W max = W(0);
    W min_positive = std::numeric_limits<W>::max(); // meaningful only if max > 0
    std::size_t bad = 0;
  };
  const part p = parallel_reduce(
      first, last, part{},
      [&](part& a, std::size_t b, std::size_t e) {
        // The sum must not be one chain of dependent floating-point additions (4 cycles per
        // weight, a third of the scan's time and 7% of delta-stepping's on the uniform
        // benchmark): integers of at most 32 bits add exactly in 64 bits (a chunk of
        // parallel_reduce holds 2^16 of them), other types into four independent sums.
        using acc_t =
            std::conditional_t<std::is_integral_v<W> && sizeof(W) <= 4,
                               std::conditional_t<std::is_signed_v<W>, std::int64_t, std::uint64_t>,
                               double>;
        acc_t sum[4] = {0, 0, 0, 0};
        std::size_t i = b;
        for (; i + 4 <= e; i += 4)
          for (std::size_t j = 0; j < 4; ++j) {
            const W x = w[i + j];
            a.bad += static_cast<std::size_t>(!(x >= W(0))); // negative or NaN
            sum[j] += static_cast<acc_t>(x);
            a.max = x > a.max ? x : a.max;
            a.min_positive = x > W(0) && x < a.min_positive ? x : a.min_positive;
          }
        for (; i < e; ++i) {
          const W x = w[i];
          a.bad += static_cast<std::size_t>(!(x >= W(0)));
          sum[0] += static_cast<acc_t>(x);
          a.max = x > a.max ? x : a.max;
          a.min_positive = x > W(0) && x < a.min_positive ? x : a.min_positive;
        }
        a.sum += static_cast<double>(sum[0]) + static_cast<double>(sum[1]) +
                 static_cast<double>(sum[2]) + static_cast<double>(sum[3]);
      },
      [](part a, const part& b) {
        a.sum += b.sum;
        a.max = b.max > a.max ? b.max : a.max;
        a.min_positive = b.min_positive < a.min_positive ? b.min_positive : a.min_positive;
        a.bad += b.bad;
        return a;
      });
  weight_stats s;
  if (p.bad > 0) {
    std::size_t i = first;
    while (w[i] >= W(0)) ++i;
    // The vertex u with off[u] <= i < off[u + 1].
    const auto* const up = std::upper_bound(
        off, off + n + 1, i, [](std::size_t x, auto o) { return x < static_cast<std::size_t>(o); });
    s.bad_vertex = static_cast<std::size_t>(up - off) - 1;
    return s;
  }
  s.sum = p.sum;
  s.count = last - first;
  s.max = static_cast<double>(p.max);
  if (p.max > W(0)) s.min_positive = static_cast<double>(p.min_positive);
  return s;
}

template <weighted_adjacency_list G>
weight_stats scan_weights(const G& g) {
  using V = vertex_t<G>;
  const std::size_t n = tessera::num_vertices(g);
  if constexpr (weighted_csr_arrays<G>) {
    if (n > 0) return scan_weight_array(g);
  }
  return parallel_reduce(
      std::size_t{0}, n, weight_stats{},
      [&](weight_stats& s, std::size_t b, std::size_t e) {
        for (std::size_t u = b; u < e; ++u)
          walk_out_weighted(g, u, [&](V, auto w) {
            const auto x = static_cast<double>(w);
            if (!(x >= 0)) { // negative or NaN
              if (s.bad_vertex > u) s.bad_vertex = u;
              return;
            }
            s.sum += x;
            ++s.count;
            s.max = std::max(s.max, x);
            if (x > 0) s.min_positive = std::min(s.min_positive, x);
          });
      },
      [](weight_stats a, const weight_stats& b) {
        a.sum += b.sum;
        a.count += b.count;
        a.max = std::max(a.max, b.max);
        a.min_positive = std::min(a.min_positive, b.min_positive);
        a.bad_vertex = std::min(a.bad_vertex, b.bad_vertex);
        return a;
      },
      1 << 12);
}

// Runs kernel(d) on a distance array for dist. Integer distances that provably fit 32 bits
// (every tentative distance is at most n times the largest weight) are computed in a 32-bit
// array and widened afterwards: the kernels' random accesses then touch half the memory (4 MB
// instead of 8 MB for 2^20 vertices; 8% of delta-stepping's time on the uniform benchmark).
template <class D, class F>
void with_distances(std::vector<D>& dist, const weight_stats& ws, F&& kernel) {
  const std::size_t n = dist.size();
  if constexpr (std::is_integral_v<D> && sizeof(D) > 4) {
    if (ws.max * static_cast<double>(n) < 4.0e9) {
      constexpr std::uint32_t unreached = std::numeric_limits<std::uint32_t>::max();
      std::vector<std::uint32_t> narrow(n, unreached);
      kernel(narrow.data());
      D* const out = dist.data();
      parallel_for(
          std::size_t{0}, n,
          [&](std::size_t v) {
            out[v] = narrow[v] == unreached ? sssp_unreachable<D> : static_cast<D>(narrow[v]);
          },
          1 << 16);
      return;
    }
  }
  kernel(dist.data());
}

// Dijkstra. For distances with an order-preserving 64-bit image (integers, float, double) the
// queue is a radix heap: pushes append, and a vertex improved k times leaves k - 1 stale entries
// that are skipped when popped. Other distance types use an indexed 4-ary heap with decrease-key.
// Either way a settled vertex is never improved again: weights are non-negative and the rounding
// of a + w is monotone, so a + w >= a.
// d holds n distances of type D as delta_stepping's; p is n predecessors or null.
template <weighted_adjacency_list G, class D>
void dijkstra(const G& g, std::span<const vertex_t<G>> sources, D* const d, vertex_t<G>* const p) {
  using V = vertex_t<G>;
  constexpr bool radix = std::is_integral_v<D> || std::is_same_v<D, float> ||
                         (std::is_same_v<D, double> && std::numeric_limits<double>::is_iec559);
  if constexpr (radix) {
    radix_heap<V> heap;
    for (const V s : sources) {
      if (d[index_of(s)] == D(0)) continue; // duplicate source
      d[index_of(s)] = D(0);
      if (p) p[index_of(s)] = s;
      heap.push(radix_key(D(0)), s);
    }
    while (!heap.empty()) {
      const auto [key, u] = heap.pop();
      const D du = d[index_of(u)];
      if (radix_key(du) != key) continue; // stale: u was improved after this entry
      walk_out_weighted(g, index_of(u), [&, u = u](V v, auto w) {
        const D nd = static_cast<D>(du + static_cast<D>(w));
        if (nd < d[index_of(v)]) {
          d[index_of(v)] = nd;
          if (p) p[index_of(v)] = u;
          heap.push(radix_key(nd), v);
        }
      });
    }
  } else {
    indexed_dary_heap<D, V> heap(tessera::num_vertices(g));
    for (const V s : sources) {
      if (d[index_of(s)] == D(0)) continue;
      d[index_of(s)] = D(0);
      if (p) p[index_of(s)] = s;
      heap.push_or_decrease(s, D(0));
    }
    while (!heap.empty()) {
      const auto [du, u] = heap.pop();
      walk_out_weighted(g, index_of(u), [&, du = du, u = u](V v, auto w) {
        const D nd = static_cast<D>(du + static_cast<D>(w));
        if (nd < d[index_of(v)]) {
          d[index_of(v)] = nd;
          if (p) p[index_of(v)] = u;
          heap.push_or_decrease(v, nd);
        }
      });
    }
  }
}

// Delta-stepping. Each round, T workers (T = num_threads(); worker t keeps its own buckets) take
// frontier vertices from a shared cursor and relax their out-edges with a CAS-min on the
// distance, filing improved vertices in their bucket floor(dist / delta). A worker then keeps
// draining its own current bucket while it is small (bucket fusion). Between rounds the lowest
// non-empty bucket over all workers becomes the next frontier. d holds n distances of type D
// (the result's type, or a narrower one that cannot overflow: see delta_stepping_with),
// unreachable ones at D's largest value or infinity. Shared: more than one worker (atomic
// accesses and CAS); one worker uses plain loads and stores.
template <bool Shared, weighted_adjacency_list G, class D>
void delta_stepping_run(const G& g, std::span<const vertex_t<G>> sources, D* const d, double delta,
                        std::size_t workers) {
  using V = vertex_t<G>;
  const std::size_t n = tessera::num_vertices(g);
  constexpr std::size_t no_bin = std::numeric_limits<std::size_t>::max();
  constexpr std::size_t fusion_limit = 1000;
  std::vector<std::vector<std::vector<V>>> bins(workers);
  std::vector<V> frontier;
  frontier.reserve(n);
  for (const V s : sources) {
    if (d[index_of(s)] == D(0)) continue;
    d[index_of(s)] = D(0);
    frontier.push_back(s);
  }
  // Any non-decreasing map from distances to buckets is correct (a relaxation never files a
  // vertex below the current bucket); a multiplication costs a fifth of a division.
  const double inv_delta = 1.0 / delta;
  const auto bin_of = [inv_delta](D x) {
    return static_cast<std::size_t>(static_cast<double>(x) * inv_delta);
  };
  const auto load = [d](std::size_t v) { return Shared ? atomic_load(d[v]) : d[v]; };

  // Frontier and bucket vertices come in random order, so each costs three dependent cache
  // misses (its distance and offsets, then its edges, then its neighbours' distances). The
  // vertices a few places ahead are prefetched in two stages: distance and offsets first, their
  // edges once the offsets have arrived (uniform benchmark, one thread: 395-417 -> 323-347 ms
  // fastest of 7 runs, load ~4).
  constexpr std::size_t ahead = 8;
  const auto prefetch_vertex = [&](V u) {
    if constexpr (weighted_csr_arrays<G>) {
      prefetch(d + index_of(u));
      prefetch(g.offsets().data() + index_of(u));
    }
  };
  const auto prefetch_edges = [&](V u) {
    if constexpr (weighted_csr_arrays<G>) {
      const auto o = static_cast<std::size_t>(g.offsets().data()[index_of(u)]);
      prefetch(g.targets().data() + o);
      prefetch(g.weights().data() + o);
    }
  };

  // Bucket b of a worker lives at bins[t][b - base]. Tentative distances never exceed the
  // current bucket's end plus the largest weight, so only about max weight / delta buckets are
  // alive at once; the empty ones below the current bucket are trimmed as it advances.
  std::size_t current = 0, base = 0;
  while (!frontier.empty()) {
    std::atomic<std::size_t> cursor{0};
    const auto relax = [&](std::vector<std::vector<V>>& mine, V u, D du) {
      walk_out_weighted(g, index_of(u), [&](V v, auto w) {
        const D nd = static_cast<D>(du + static_cast<D>(w));
        D old = load(index_of(v));
        while (nd < old) {
          if constexpr (Shared) {
            if (!atomic_cas(d[index_of(v)], old, nd)) continue; // old reloaded
          } else {
            d[index_of(v)] = nd;
          }
          const std::size_t b = bin_of(nd) - base;
          if (b >= mine.size()) mine.resize(b + 1);
          mine[b].push_back(v);
          break;
        }
      });
    };
    // Relaxes the vertices of list[0, size) that are still in bucket `current` or above (the
    // others moved to a lower bucket since they were filed, and were handled there).
    const auto relax_all = [&](std::vector<std::vector<V>>& mine, const V* list, std::size_t b,
                               std::size_t e, std::size_t size) {
      for (std::size_t k = b; k < e; ++k) {
        if (k + 2 * ahead < size) prefetch_vertex(list[k + 2 * ahead]);
        if (k + ahead < size) prefetch_edges(list[k + ahead]);
        const V u = list[k];
        const D du = load(index_of(u));
        if (bin_of(du) >= current) relax(mine, u, du);
      }
    };
    const std::size_t at = current - base;
    const auto work = [&](std::size_t t) {
      auto& mine = bins[t];
      constexpr std::size_t grab = 64;
      for (;;) {
        const std::size_t i = cursor.fetch_add(grab, std::memory_order_relaxed);
        if (i >= frontier.size()) break;
        relax_all(mine, frontier.data(), i, std::min(frontier.size(), i + grab), frontier.size());
      }
      // Bucket fusion: keep settling the current bucket locally while it stays small.
      std::vector<V> copy;
      while (at < mine.size() && !mine[at].empty() && mine[at].size() < fusion_limit) {
        copy.clear();
        copy.swap(mine[at]);
        relax_all(mine, copy.data(), 0, copy.size(), copy.size());
      }
    };
    if constexpr (Shared)
      parallel_for_chunks(
          std::size_t{0}, workers,
          [&](std::size_t wb, std::size_t we) {
            for (std::size_t t = wb; t < we; ++t) work(t);
          },
          1);
    else
      work(0);
    std::size_t next = no_bin;
    for (auto& mine : bins)
      for (std::size_t b = at; b < mine.size(); ++b)
        if (!mine[b].empty()) {
          next = std::min(next, b + base);
          break;
        }
    frontier.clear();
    if (next == no_bin) break;
    for (auto& mine : bins)
      if (next - base < mine.size()) {
        auto& bucket = mine[next - base];
        frontier.insert(frontier.end(), bucket.begin(), bucket.end());
        bucket.clear();
      }
    current = next;
    if (current - base >= 1024) { // buckets below current are empty: drop them
      for (auto& mine : bins)
        mine.erase(mine.begin(), mine.begin() + static_cast<std::ptrdiff_t>(
                                                    std::min(mine.size(), current - base)));
      base = current;
    }
  }
}

template <weighted_adjacency_list G, class D>
void delta_stepping(const G& g, std::span<const vertex_t<G>> sources, D* const d, double delta) {
  const auto workers = static_cast<std::size_t>(std::max(1, num_threads()));
  if (workers > 1)
    delta_stepping_run<true>(g, sources, d, delta, workers);
  else
    delta_stepping_run<false>(g, sources, d, delta, 1);
}

// Predecessors from final distances: an edge (u, v) with dist[u] < dist[v] == dist[u] + w is
// tight and acyclic; vertices reached only over tight edges between equal distances (zero
// weights, or weights lost to rounding) get theirs by a breadth-first walk over such edges.
template <weighted_adjacency_list G>
void tight_predecessors(const G& g, std::span<const vertex_t<G>> sources,
                        const std::vector<sssp_d<G>>& dist, std::vector<vertex_t<G>>& pred) {
  using V = vertex_t<G>;
  using D = sssp_d<G>;
  const std::size_t n = tessera::num_vertices(g);
  for (const V s : sources) pred[index_of(s)] = s;
  parallel_for(
      std::size_t{0}, n,
      [&](std::size_t u) {
        const D du = dist[u];
        if (du == sssp_unreachable<D>) return;
        walk_out_weighted(g, u, [&](V v, auto w) {
          const D dv = dist[index_of(v)];
          if (du < dv && static_cast<D>(du + static_cast<D>(w)) == dv)
            atomic_store(pred[index_of(v)], static_cast<V>(u));
        });
      },
      256);
  std::vector<V> queue;
  for (std::size_t v = 0; v < n; ++v)
    if (pred[v] != invalid_vertex<V>) queue.push_back(static_cast<V>(v));
  if (queue.size() == n) return;
  for (std::size_t i = 0; i < queue.size(); ++i) {
    const V u = queue[i];
    const D du = dist[index_of(u)];
    walk_out_weighted(g, index_of(u), [&](V v, auto w) {
      if (pred[index_of(v)] == invalid_vertex<V> && dist[index_of(v)] == du &&
          static_cast<D>(du + static_cast<D>(w)) == du) {
        pred[index_of(v)] = u;
        queue.push_back(v);
      }
    });
  }
}

// Delta-stepping with its bucket width chosen from the weights (see sssp_options::delta), then
// predecessors from the distances.
template <weighted_adjacency_list G>
void delta_stepping_with(const G& g, std::span<const vertex_t<G>> sources, const weight_stats& ws,
                         const sssp_options& opt, sssp_result<vertex_t<G>, sssp_d<G>>& r) {
  using D = sssp_d<G>;
  const std::size_t n = tessera::num_vertices(g);
  double delta = opt.delta;
  if (delta == 0) {
    // Buckets about (mean weight / mean out-degree) wide: a bucket then holds about one edge's
    // worth of progress, and bucket fusion absorbs the small ones (GAP runs its random graphs,
    // weights 1..255 and degree ~16-30, with delta 1 to 2). On the benchmark graphs, one
    // thread, width 4 was 5-15% faster than twice that, and 2 no faster.
    const double mean = ws.count ? ws.sum / static_cast<double>(ws.count) : 1.0;
    const double degree = std::max(1.0, static_cast<double>(ws.count) / static_cast<double>(n));
    delta = mean / degree;
    if (std::isfinite(ws.min_positive)) delta = std::max(delta, ws.min_positive);
    if (std::is_integral_v<D>) delta = std::max(1.0, std::floor(delta));
    if (!(delta > 0)) delta = 1.0;
  }
  // Live buckets span max weight / delta: keep that addressable.
  if (ws.max / delta > 1e6) delta = ws.max / 1e6;
  with_distances(r.distance, ws, [&](auto* d) { delta_stepping(g, sources, d, delta); });
  if (opt.compute_predecessors) tight_predecessors(g, sources, r.distance, r.predecessor);
}

template <weighted_adjacency_list G>
expected<sssp_result<vertex_t<G>, sssp_d<G>>>
sssp_impl(const G& g, std::span<const vertex_t<G>> sources, const sssp_options& opt) {
  using V = vertex_t<G>;
  using D = sssp_d<G>;
  const std::size_t n = tessera::num_vertices(g);
  if (auto ok = check_id_room<V>(n); !ok) return unexpected(ok.error());
  if (auto ok = check_source_ids(sources, n); !ok) return unexpected(ok.error());
  const weight_stats ws = scan_weights(g);
  if (ws.bad_vertex != std::numeric_limits<std::size_t>::max())
    return make_error(errc::invalid_argument,
                      "shortest paths need non-negative weights; an out-edge of vertex " +
                          std::to_string(ws.bad_vertex) + " has a negative or NaN weight");
  if constexpr (std::is_integral_v<D>) {
    // Every shortest path has at most n - 1 edges; make sure their sum fits D.
    if (n > 1 && ws.max > 0 &&
        ws.max * static_cast<double>(n - 1) >= static_cast<double>(std::numeric_limits<D>::max()))
      return make_error(errc::overflow, "path lengths may overflow the 64-bit distance type");
  }
  if (opt.delta < 0 || std::isnan(opt.delta))
    return make_error(errc::invalid_argument, "delta must be positive (or 0 for automatic)");

  sssp_result<V, D> r;
  r.distance.assign(n, sssp_unreachable<D>);
  if (opt.compute_predecessors) r.predecessor.assign(n, invalid_vertex<V>);
  if (n == 0) return r;

  bool use_delta = opt.algorithm == sssp_algorithm::delta_stepping;
  if (opt.algorithm == sssp_algorithm::automatic) use_delta = ws.count >= 10000;
  // Delta-stepping's CAS-min needs lock-free atomics on D; without them (16-byte long double on
  // x86-64) it would need libatomic, so such distances always take Dijkstra.
  if constexpr (std::atomic_ref<D>::is_always_lock_free) {
    if (use_delta) {
      delta_stepping_with(g, sources, ws, opt, r);
      return r;
    }
  }
  V* const pred = opt.compute_predecessors ? r.predecessor.data() : nullptr;
  with_distances(r.distance, ws, [&](auto* d) { dijkstra(g, sources, d, pred); });
  return r;
}

} // namespace detail

/// Shortest-path distances from the nearest of `sources` over non-negative weights.
///
/// Dijkstra: serial. For integer, float and double distances the queue is a radix heap: O(n + m
/// log C) time with C the largest finite distance (each queued entry moves down at most log2 C
/// buckets; in practice close to linear), and one queue entry per improving relaxation (at most
/// m, typically a small multiple of n). Other distance types (long double) use an indexed 4-ary
/// heap with decrease-key: O((n + m) log n) time, O(n) memory, and are never delta-stepped
/// (its CAS-min needs lock-free atomics on the distance type). Delta-stepping: O(n + m + L /
/// delta) work on random graphs (L the largest distance), parallel over num_threads(); memory O(n)
/// plus O(max weight / delta) bucket vectors per worker (delta is raised to keep that under 10^6).
/// Distances are exact and identical for both algorithms on integer weights; on floating weights
/// both sum along a shortest path, so they agree up to the order of additions on equal-length
/// paths. Predecessors form a shortest-path tree (Dijkstra's relaxation order, or any tight edge
/// for delta-stepping). Distances use sssp_distance_t<W> (64-bit integers for integer weights).
/// Errors: invalid_argument for a negative or NaN weight or a negative delta; out_of_range for a
/// source outside the graph; overflow if (n - 1) * max weight may not fit the distance type or
/// V cannot number n vertices.
template <weighted_adjacency_list G>
[[nodiscard]] expected<sssp_result<vertex_t<G>, detail::sssp_d<G>>>
try_sssp(const G& g, std::span<const vertex_t<G>> sources, const sssp_options& opt = {}) {
  return detail::sssp_impl(g, sources, opt);
}
template <weighted_adjacency_list G>
[[nodiscard]] expected<sssp_result<vertex_t<G>, detail::sssp_d<G>>>
try_sssp(const G& g, vertex_t<G> source, const sssp_options& opt = {}) {
  return detail::sssp_impl(g, std::span<const vertex_t<G>>(&source, 1), opt);
}

/// try_sssp() that throws tessera::exception on error.
template <weighted_adjacency_list G>
[[nodiscard]] sssp_result<vertex_t<G>, detail::sssp_d<G>>
sssp(const G& g, std::span<const vertex_t<G>> sources, const sssp_options& opt = {}) {
  return try_sssp(g, sources, opt).value();
}
template <weighted_adjacency_list G>
[[nodiscard]] sssp_result<vertex_t<G>, detail::sssp_d<G>> sssp(const G& g, vertex_t<G> source,
                                                               const sssp_options& opt = {}) {
  return try_sssp(g, source, opt).value();
}

TESSERA_NAMESPACE_END
