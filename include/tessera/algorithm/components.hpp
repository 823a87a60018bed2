// tessera: connected components. Weak components by Afforest (Sutton, Ben-Nun, Barak 2018, as in
// the GAP benchmark suite): parallel union-find with neighbour sampling and a skip of the largest
// component. Strong components by Tarjan's algorithm with an explicit stack (no recursion).
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/core/parallel.hpp>
#include <tessera/detail/algorithm/graph_access.hpp>
#include <tessera/graph/concepts.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <unordered_map>
#include <vector>

TESSERA_NAMESPACE_BEGIN

/// How components are labelled.
enum class component_labels : std::uint8_t {
  smallest_vertex, ///< each vertex gets the smallest vertex id of its component (canonical)
  dense,           ///< 0 .. count - 1, numbered in the order of their smallest vertex
};

/// Options of the component algorithms.
struct components_options {
  component_labels labels = component_labels::smallest_vertex;
  /// Weak components: the caller promises every edge is stored both ways (an undirected
  /// compressed_graph says so itself), which lets Afforest skip the largest component's edges.
  bool symmetric = false;
  /// Afforest: how many neighbours of each vertex are linked before sampling (GAP uses 2).
  std::size_t neighbor_rounds = 2;
};

/// component[v] labels v's component as options.labels says; count is the number of components.
template <vertex_id V>
struct components_result {
  std::vector<V> component;
  std::size_t count = 0;
};

namespace detail {

// Hooks the larger root under the smaller one; every pointer goes from a larger id to a smaller
// one, so each tree's root is the smallest vertex of its component.
template <class V>
inline void afforest_link(V* comp, V u, V v) {
  V p1 = atomic_load(comp[index_of(u)]);
  V p2 = atomic_load(comp[index_of(v)]);
  while (p1 != p2) {
    const V high = std::max(p1, p2);
    const V low = std::min(p1, p2);
    V p_high = atomic_load(comp[index_of(high)]);
    if (p_high == low) break;
    if (p_high == high && atomic_cas(comp[index_of(high)], p_high, low)) break;
    p1 = atomic_load(comp[index_of(atomic_load(comp[index_of(high)]))]);
    p2 = atomic_load(comp[index_of(low)]);
  }
}

template <class V>
inline void afforest_compress(V* comp, std::size_t n) {
  parallel_for_chunks(
      std::size_t{0}, n,
      [&](std::size_t b, std::size_t e) {
        constexpr std::size_t ahead = 16;
        for (std::size_t v = b; v < e; ++v) {
          if (v + ahead < e) prefetch(comp + index_of(atomic_load(comp[v + ahead])));
          while (true) {
            const V p = atomic_load(comp[v]);
            const V gp = atomic_load(comp[index_of(p)]);
            if (p == gp) break;
            atomic_store(comp[v], gp);
          }
        }
      },
      1 << 14);
}

// Calls f(v) for out-neighbours of u from the `first`-th on (all of them: first = 0).
template <adjacency_list G, class F>
inline void walk_out_from(const G& g, std::size_t u, std::size_t first, F&& f) {
  if constexpr (csr_arrays<G>) {
    const auto* off = g.offsets().data();
    const auto* t = g.targets().data();
    const auto b = static_cast<std::size_t>(off[u]), e = static_cast<std::size_t>(off[u + 1]);
    for (std::size_t i = b + first; i < e; ++i) f(t[i]);
  } else {
    std::size_t k = 0;
    walk_out(g, u, [&](vertex_t<G> v) {
      if (k++ >= first) f(v);
    });
  }
}

template <class V>
void relabel(std::vector<V>& comp, component_labels labels, std::size_t& count) {
  const std::size_t n = comp.size();
  count = 0;
  if (labels == component_labels::smallest_vertex) {
    for (std::size_t v = 0; v < n; ++v) count += index_of(comp[v]) == v;
    return;
  }
  // comp[v] <= v is a component's smallest vertex, so one pass in id order numbers them.
  std::vector<V> dense(n, invalid_vertex<V>);
  for (std::size_t v = 0; v < n; ++v) {
    const std::size_t root = index_of(comp[v]);
    if (root == v) dense[v] = static_cast<V>(count++);
    comp[v] = dense[root];
  }
}

template <adjacency_list G>
expected<components_result<vertex_t<G>>> wcc_impl(const G& g, const components_options& opt) {
  using V = vertex_t<G>;
  const std::size_t n = tessera::num_vertices(g);
  if (auto ok = check_id_room<V>(n); !ok) return unexpected(ok.error());
  components_result<V> r;
  r.component.resize(n);
  V* const comp = r.component.data();
  parallel_for(
      std::size_t{0}, n, [&](std::size_t v) { comp[v] = static_cast<V>(v); }, 1 << 16);
  if (n == 0) return r;

  const std::size_t rounds = opt.neighbor_rounds;
  for (std::size_t round = 0; round < rounds; ++round) {
    if constexpr (csr_arrays<G>) {
      // Link each vertex to its round-th neighbour; the neighbour's label is prefetched a few
      // vertices ahead, since these loads miss the cache and do not depend on each other.
      const auto* off = g.offsets().data();
      const V* t = g.targets().data();
      parallel_for_chunks(
          std::size_t{0}, n,
          [&](std::size_t b, std::size_t e) {
            constexpr std::size_t ahead = 16;
            for (std::size_t u = b; u < e; ++u) {
              if (u + ahead < e) {
                const auto p = static_cast<std::size_t>(off[u + ahead]) + round;
                if (p < static_cast<std::size_t>(off[u + ahead + 1]))
                  prefetch(comp + index_of(t[p]));
              }
              const auto p = static_cast<std::size_t>(off[u]) + round;
              if (p < static_cast<std::size_t>(off[u + 1]))
                afforest_link(comp, static_cast<V>(u), t[p]);
            }
          },
          1 << 12);
    } else {
      parallel_for(
          std::size_t{0}, n,
          [&](std::size_t u) {
            std::size_t k = 0;
            walk_out_until(g, u, [&](V v) {
              if (k++ < round) return false;
              afforest_link(comp, static_cast<V>(u), v);
              return true;
            });
          },
          1 << 12);
    }
    afforest_compress(comp, n);
  }

  // The most frequent label among a deterministic sample is (likely) the giant component.
  V giant = comp[0];
  {
    std::unordered_map<std::size_t, std::size_t> freq;
    std::uint64_t state = 0x9E3779B97F4A7C15ULL;
    std::size_t best = 0;
    for (int i = 0; i < 1024; ++i) {
      state ^= state << 13, state ^= state >> 7, state ^= state << 17; // xorshift64
      const V label = comp[static_cast<std::size_t>(state % n)];
      const std::size_t c = ++freq[index_of(label)];
      if (c > best) best = c, giant = label;
    }
  }

  constexpr bool has_in = bidirectional_adjacency_list<G>;
  const bool symmetric = opt.symmetric || reports_undirected(g);
  // Edges leaving the giant component are seen from their other end: directly in a symmetric
  // graph, through in-edges in a bidirectional one. Otherwise every vertex links all its edges.
  const bool skip_giant = symmetric || has_in;
  parallel_for(
      std::size_t{0}, n,
      [&](std::size_t u) {
        if (skip_giant && atomic_load(comp[u]) == giant) return;
        walk_out_from(g, u, rounds, [&](V v) { afforest_link(comp, static_cast<V>(u), v); });
        if constexpr (has_in) {
          if (!symmetric)
            walk_in_until(g, u, [&](V v) {
              afforest_link(comp, static_cast<V>(u), v);
              return false;
            });
        }
      },
      256);
  afforest_compress(comp, n);
  relabel(r.component, opt.labels, r.count);
  return r;
}

template <adjacency_list G>
expected<components_result<vertex_t<G>>> scc_impl(const G& g, const components_options& opt) {
  using V = vertex_t<G>;
  using U = std::make_unsigned_t<V>;
  const std::size_t n = tessera::num_vertices(g);
  if (auto ok = check_id_room<V>(n); !ok) return unexpected(ok.error());
  components_result<V> r;
  r.component.assign(n, invalid_vertex<V>);
  constexpr U unvisited = std::numeric_limits<U>::max();
  std::vector<U> index(n, unvisited), low(n);
  std::vector<V> scc_stack;
  struct frame {
    V u;
    out_cursor<G> next;
  };
  std::vector<frame> call;
  U counter = 0;
  V* const comp = r.component.data();

  const auto discover = [&](V v) {
    const std::size_t vi = index_of(v);
    index[vi] = low[vi] = counter++;
    scc_stack.push_back(v);
    call.push_back(frame{v, out_cursor<G>(g, vi)});
  };
  for (std::size_t s = 0; s < n; ++s) {
    if (index[s] != unvisited) continue;
    discover(static_cast<V>(s));
    while (!call.empty()) {
      frame& f = call.back();
      const std::size_t ui = index_of(f.u);
      bool descended = false;
      while (!f.next.done()) {
        const V w = f.next.next(g);
        const std::size_t wi = index_of(w);
        if (index[wi] == unvisited) {
          discover(w); // invalidates f
          descended = true;
          break;
        }
        if (comp[wi] == invalid_vertex<V>) low[ui] = std::min(low[ui], index[wi]); // on stack
      }
      if (descended) continue;
      call.pop_back();
      if (low[ui] == index[ui]) {
        // Pop the component; label it with its smallest vertex.
        auto it = scc_stack.end();
        V smallest = static_cast<V>(ui);
        do {
          --it;
          smallest = std::min(smallest, *it);
        } while (index_of(*it) != ui);
        for (auto j = it; j != scc_stack.end(); ++j) comp[index_of(*j)] = smallest;
        scc_stack.erase(it, scc_stack.end());
      }
      if (!call.empty()) {
        const std::size_t pi = index_of(call.back().u);
        low[pi] = std::min(low[pi], low[ui]);
      }
    }
  }
  relabel(r.component, opt.labels, r.count);
  return r;
}

} // namespace detail

/// Weakly connected components (edge directions ignored) by Afforest: sample-link each vertex's
/// first neighbor_rounds edges, find the likely giant component, then link the remaining edges
/// of vertices outside it. Labels follow opt.labels; the default labels each vertex with the
/// smallest vertex id of its component, which needs no extra pass.
///
/// Complexity: O(n + m) expected work (near-linear union-find), parallel over vertices; the
/// giant-component skip applies to symmetric graphs and graphs with stored in-edges, otherwise
/// every edge is linked. Memory: the result plus a 1024-entry sample table.
/// Errors: overflow if V cannot number n vertices and still spare invalid_vertex<V>.
template <adjacency_list G>
[[nodiscard]] expected<components_result<vertex_t<G>>>
try_weakly_connected_components(const G& g, const components_options& opt = {}) {
  return detail::wcc_impl(g, opt);
}

/// try_weakly_connected_components() that throws tessera::exception on error.
template <adjacency_list G>
[[nodiscard]] components_result<vertex_t<G>>
weakly_connected_components(const G& g, const components_options& opt = {}) {
  return try_weakly_connected_components(g, opt).value();
}

/// Strongly connected components by Tarjan's algorithm, iterative (an explicit stack of at most
/// n frames, so no recursion limit). Labels as weakly_connected_components().
///
/// Complexity: O(n + m) time, serial; memory O(n) (two n-entry index arrays and the stacks).
/// Errors: overflow as weakly_connected_components().
template <adjacency_list G>
[[nodiscard]] expected<components_result<vertex_t<G>>>
try_strongly_connected_components(const G& g, const components_options& opt = {}) {
  return detail::scc_impl(g, opt);
}

/// try_strongly_connected_components() that throws tessera::exception on error.
template <adjacency_list G>
[[nodiscard]] components_result<vertex_t<G>>
strongly_connected_components(const G& g, const components_options& opt = {}) {
  return try_strongly_connected_components(g, opt).value();
}

TESSERA_NAMESPACE_END
