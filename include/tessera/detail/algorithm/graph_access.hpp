// tessera internals: how the graph algorithms walk a graph. One generic path through the concept's
// free functions, and a fast path over raw offsets/targets/weights arrays for compressed graphs.
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/core/parallel.hpp>
#include <tessera/detail/core/prefetch.hpp>
#include <tessera/graph/concepts.hpp>

#include <algorithm>
#include <atomic>
#include <compare>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

TESSERA_NAMESPACE_BEGIN

/// The "no vertex" value of an id type (parents of roots and unreached vertices): -1 for signed
/// ids, the largest value for unsigned ones. Algorithms reject graphs where it would be a vertex.
template <vertex_id V>
inline constexpr V invalid_vertex = std::is_signed_v<V> ? V(-1) : std::numeric_limits<V>::max();

namespace detail {

/// A graph exposing contiguous offsets/targets arrays whose targets are the graph's vertex ids.
template <class G>
concept csr_arrays = compressed_adjacency<G> && requires(const G& g) {
  { g.offsets().data() } -> std::convertible_to<const void*>;
  requires std::same_as<std::remove_cvref_t<decltype(*g.targets().data())>, vertex_t<G>>;
};

/// csr_arrays with a weights() array aligned to targets().
template <class G>
concept weighted_csr_arrays = csr_arrays<G> && requires(const G& g) {
  { *g.weights().data() } -> std::convertible_to<double>;
};

/// A graph whose in-edges are a compressed graph (tessera's bidirectional_graph).
template <class G>
concept in_csr_arrays = requires(const G& g) {
  requires csr_arrays<std::remove_cvref_t<decltype(g.in())>>;
  requires std::same_as<vertex_t<std::remove_cvref_t<decltype(g.in())>>, vertex_t<G>>;
};

/// Whether the graph says it stores every edge both ways (tessera's compressed_graph does).
template <class G>
[[nodiscard]] bool reports_undirected(const G& g) {
  if constexpr (requires {
                  { g.is_directed() } -> std::convertible_to<bool>;
                })
    return !static_cast<bool>(g.is_directed());
  else
    return false;
}

template <class V>
[[nodiscard]] constexpr std::size_t index_of(V v) noexcept {
  return static_cast<std::size_t>(v);
}

/// Calls f(v) for every out-neighbour v of u (v of type vertex_t<G>).
template <adjacency_list G, class F>
inline void walk_out(const G& g, std::size_t u, F&& f) {
  if constexpr (csr_arrays<G>) {
    const auto* off = g.offsets().data();
    const auto* t = g.targets().data();
    const auto b = static_cast<std::size_t>(off[u]), e = static_cast<std::size_t>(off[u + 1]);
    for (std::size_t i = b; i < e; ++i) f(t[i]);
  } else {
    for (auto&& edge : tessera::neighbors(g, u)) f(static_cast<vertex_t<G>>(tessera::target(edge)));
  }
}

/// Calls f(v) for out-neighbours of u until it returns true; returns whether one did.
template <adjacency_list G, class F>
inline bool walk_out_until(const G& g, std::size_t u, F&& f) {
  if constexpr (csr_arrays<G>) {
    const auto* off = g.offsets().data();
    const auto* t = g.targets().data();
    const auto b = static_cast<std::size_t>(off[u]), e = static_cast<std::size_t>(off[u + 1]);
    for (std::size_t i = b; i < e; ++i)
      if (f(t[i])) return true;
    return false;
  } else {
    for (auto&& edge : tessera::neighbors(g, u))
      if (f(static_cast<vertex_t<G>>(tessera::target(edge)))) return true;
    return false;
  }
}

/// Calls f(v, w) for every out-edge (u, v) of weight w.
template <weighted_adjacency_list G, class F>
inline void walk_out_weighted(const G& g, std::size_t u, F&& f) {
  if constexpr (weighted_csr_arrays<G>) {
    const auto* off = g.offsets().data();
    const auto* t = g.targets().data();
    const auto* w = g.weights().data();
    const auto b = static_cast<std::size_t>(off[u]), e = static_cast<std::size_t>(off[u + 1]);
    for (std::size_t i = b; i < e; ++i) f(t[i], w[i]);
  } else {
    for (auto&& edge : tessera::neighbors(g, u))
      f(static_cast<vertex_t<G>>(tessera::target(edge)), tessera::edge_weight(edge));
  }
}

/// Calls f(v) for in-neighbours of u until it returns true (bidirectional graphs only).
template <bidirectional_adjacency_list G, class F>
inline bool walk_in_until(const G& g, std::size_t u, F&& f) {
  if constexpr (in_csr_arrays<G>) {
    return walk_out_until(g.in(), u, std::forward<F>(f));
  } else {
    for (auto&& edge : tessera::in_neighbors(g, u))
      if (f(static_cast<vertex_t<G>>(tessera::target(edge)))) return true;
    return false;
  }
}

/// Calls f(v) for every in-neighbour v of u (bidirectional graphs only).
template <bidirectional_adjacency_list G, class F>
inline void walk_in(const G& g, std::size_t u, F&& f) {
  walk_in_until(g, u, [&](vertex_t<G> v) {
    f(v);
    return false;
  });
}

/// Out-degree, O(1) for compressed graphs.
template <adjacency_list G>
[[nodiscard]] inline std::size_t out_degree(const G& g, std::size_t u) {
  if constexpr (csr_arrays<G>) {
    const auto* off = g.offsets().data();
    return static_cast<std::size_t>(off[u + 1] - off[u]);
  } else {
    return tessera::degree(g, u);
  }
}

/// Checks that n vertices can be numbered by V with invalid_vertex<V> left free.
template <vertex_id V>
[[nodiscard]] inline expected<void> check_id_room(std::size_t n) {
  using U = std::make_unsigned_t<V>;
  const auto limit = std::is_signed_v<V> ? static_cast<std::size_t>(std::numeric_limits<V>::max())
                                         : static_cast<std::size_t>(std::numeric_limits<U>::max());
  // Vertices are 0 .. n - 1; for unsigned ids the largest value is reserved as "no vertex".
  if (n > limit)
    return make_error(errc::overflow, std::to_string(n) +
                                          " vertices leave no free 'no vertex' value in the id "
                                          "type; use a wider vertex id type");
  return {};
}

/// Checks that every source is a vertex of a graph with n vertices.
template <class S>
[[nodiscard]] inline expected<void> check_source_ids(std::span<const S> sources, std::size_t n) {
  for (const S s : sources) {
    bool bad = false;
    if constexpr (std::is_signed_v<S>) bad = s < 0;
    if (bad || static_cast<std::size_t>(s) >= n)
      return make_error(errc::out_of_range, "source vertex " + std::to_string(s) +
                                                " is not a vertex of a graph with " +
                                                std::to_string(n) + " vertices");
  }
  return {};
}

/// A transposed copy of a graph's edges: row v lists the sources u of the edges u -> v (with
/// multiplicity), in increasing order of u, with the edges' weights when requested. What pull
/// kernels build when the graph stores no in-edges.
template <class V, class W>
struct transposed_csr {
  std::vector<std::size_t> offsets;
  std::vector<V> sources;
  std::vector<W> weights; // empty unless weights were requested

  [[nodiscard]] std::size_t degree(std::size_t v) const noexcept {
    return offsets[v + 1] - offsets[v];
  }
  [[nodiscard]] std::span<const V> sources_of(std::size_t v) const noexcept {
    return {sources.data() + offsets[v], degree(v)};
  }
};

/// The transpose of g: a parallel counting sort (count in-degrees, prefix sum, scatter), then
/// each row sorted so the result does not depend on the thread count. O(n + m) memory,
/// O(n + m log(max in-degree)) work.
template <adjacency_list G, class W = double>
[[nodiscard]] transposed_csr<vertex_t<G>, W> transpose_edges(const G& g, bool with_weights) {
  using V = vertex_t<G>;
  const std::size_t n = tessera::num_vertices(g);
  const auto bump = [](std::size_t& x) {
    return std::atomic_ref<std::size_t>(x).fetch_add(1, std::memory_order_relaxed);
  };
  transposed_csr<V, W> t;
  std::vector<std::size_t> cursor(n + 1, 0);
  parallel_for_chunks(std::size_t{0}, n, [&](std::size_t b, std::size_t e) {
    for (std::size_t u = b; u < e; ++u) walk_out(g, u, [&](V v) { bump(cursor[index_of(v)]); });
  });
  t.offsets.assign(n + 1, 0);
  for (std::size_t v = 0; v < n; ++v) t.offsets[v + 1] = t.offsets[v] + cursor[v];
  std::copy(t.offsets.begin(), t.offsets.end(), cursor.begin());
  t.sources.resize(t.offsets[n]);
  bool weighted = false;
  if constexpr (weighted_adjacency_list<G>) weighted = with_weights;
  if (weighted) t.weights.resize(t.offsets[n]);
  parallel_for_chunks(std::size_t{0}, n, [&](std::size_t b, std::size_t e) {
    for (std::size_t u = b; u < e; ++u) {
      if constexpr (weighted_adjacency_list<G>) {
        if (weighted) {
          walk_out_weighted(g, u, [&](V v, auto w) {
            const std::size_t p = bump(cursor[index_of(v)]);
            t.sources[p] = static_cast<V>(u);
            t.weights[p] = static_cast<W>(w);
          });
          continue;
        }
      }
      walk_out(g, u, [&](V v) { t.sources[bump(cursor[index_of(v)])] = static_cast<V>(u); });
    }
  });
  // Rows in source order; parallel edges u -> v keep a fixed order by weight.
  parallel_for_chunks(
      std::size_t{0}, n,
      [&](std::size_t b, std::size_t e) {
        std::vector<std::pair<V, W>> row;
        for (std::size_t v = b; v < e; ++v) {
          const auto first = static_cast<std::ptrdiff_t>(t.offsets[v]);
          const auto last = static_cast<std::ptrdiff_t>(t.offsets[v + 1]);
          if (!weighted) {
            std::sort(t.sources.begin() + first, t.sources.begin() + last);
            continue;
          }
          row.clear();
          for (auto i = first; i < last; ++i)
            row.emplace_back(t.sources[static_cast<std::size_t>(i)],
                             t.weights[static_cast<std::size_t>(i)]);
          // strong_order: NaN weights must not break the sort's ordering requirement.
          std::sort(row.begin(), row.end(), [](const auto& x, const auto& y) {
            return x.first != y.first ? x.first < y.first
                                      : std::is_lt(std::strong_order(x.second, y.second));
          });
          for (auto i = first; i < last; ++i) {
            t.sources[static_cast<std::size_t>(i)] = row[static_cast<std::size_t>(i - first)].first;
            t.weights[static_cast<std::size_t>(i)] =
                row[static_cast<std::size_t>(i - first)].second;
          }
        }
      },
      1024);
  return t;
}

/// A resumable walk over u's out-neighbours, for depth-first kernels that keep their own stack:
/// positions in the targets array (compressed graphs), iterators (ranges that outlive the call,
/// such as a vector's rows), or an index (other random-access ranges). Forward-only ranges
/// returned by value are re-walked from the start, O(degree) per step.
template <adjacency_list G>
class out_cursor {
  using R = neighbor_range_t<G>;
  static constexpr int kind = csr_arrays<G> ? 0
                              : (std::is_lvalue_reference_v<R> || std::ranges::borrowed_range<R>)
                                  ? 1
                              : std::ranges::random_access_range<R> ? 2
                                                                    : 3;
  using V = vertex_t<G>;
  struct positions {
    std::size_t pos = 0, end = 0;
  };
  struct iterators {
    std::ranges::iterator_t<R> it;
    std::ranges::sentinel_t<R> end;
  };
  struct index {
    std::size_t u = 0, pos = 0, end = 0;
  };
  using state =
      std::conditional_t<kind == 0, positions, std::conditional_t<kind == 1, iterators, index>>;
  state s_;

public:
  out_cursor(const G& g, std::size_t u) {
    if constexpr (kind == 0) {
      const auto* off = g.offsets().data();
      s_ = positions{static_cast<std::size_t>(off[u]), static_cast<std::size_t>(off[u + 1])};
    } else if constexpr (kind == 1) {
      auto&& r = tessera::neighbors(g, u);
      s_ = iterators{std::ranges::begin(r), std::ranges::end(r)};
    } else {
      s_ = index{u, 0, tessera::degree(g, u)};
    }
  }
  [[nodiscard]] bool done() const noexcept {
    if constexpr (kind == 1)
      return s_.it == s_.end;
    else
      return s_.pos == s_.end;
  }
  /// The next neighbour. Precondition: !done().
  V next(const G& g) {
    if constexpr (kind == 0) {
      return g.targets().data()[s_.pos++];
    } else if constexpr (kind == 1) {
      const V v = static_cast<V>(tessera::target(*s_.it));
      ++s_.it;
      return v;
    } else if constexpr (kind == 2) {
      auto&& r = tessera::neighbors(g, s_.u);
      return static_cast<V>(tessera::target(
          std::ranges::begin(r)[static_cast<std::ranges::range_difference_t<R>>(s_.pos++)]));
    } else {
      auto&& r = tessera::neighbors(g, s_.u);
      return static_cast<V>(tessera::target(*std::ranges::next(
          std::ranges::begin(r), static_cast<std::ranges::range_difference_t<R>>(s_.pos++))));
    }
  }
};

/// Relaxed atomic access to plain array elements shared between parallel loop bodies.
template <class T>
[[nodiscard]] inline T atomic_load(const T& x) noexcept {
  return std::atomic_ref<T>(const_cast<T&>(x)).load(std::memory_order_relaxed);
}
template <class T>
inline void atomic_store(T& x, T v) noexcept {
  std::atomic_ref<T>(x).store(v, std::memory_order_relaxed);
}
template <class T>
[[nodiscard]] inline bool atomic_cas(T& x, T& expected_value, T desired) noexcept {
  return std::atomic_ref<T>(x).compare_exchange_strong(expected_value, desired,
                                                       std::memory_order_relaxed);
}

} // namespace detail

TESSERA_NAMESPACE_END
