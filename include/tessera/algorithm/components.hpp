// tessera: connected components. Weak components by Afforest (Sutton, Ben-Nun, Barak 2018, as in
// the GAP benchmark suite): union-find with path halving, neighbour sampling and a skip of the
// largest component; atomics only when the loop runs on more than one thread. Strong components by
// Tarjan's algorithm with an explicit stack (no recursion).
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

// Union-find on comp, where every pointer goes from a larger id to a smaller one, so each tree's
// root is the smallest vertex of its tree. Shared: other threads link at the same time, so
// labels are accessed atomically and a root is hooked by CAS; a loop that runs on one thread
// uses plain loads and stores.

// The root of x's tree, halving the path on the way (each visited vertex is pointed at its
// grandparent). Safe under concurrency: a vertex that is not a root never becomes one again,
// and a stale grandparent is still an ancestor, so a racing halving write only compresses less.
template <bool Shared, class V>
inline V afforest_find(V* comp, V x) {
  const auto load = [comp](V y) {
    if constexpr (Shared)
      return atomic_load(comp[index_of(y)]);
    else
      return comp[index_of(y)];
  };
  V p = load(x);
  while (p != x) {
    const V gp = load(p);
    if (gp != p) {
      if constexpr (Shared)
        atomic_store(comp[index_of(x)], gp);
      else
        comp[index_of(x)] = gp;
    }
    x = p;
    p = gp;
  }
  return x;
}

// Joins the trees of u and v: the larger root is hooked under the smaller, so the root stays
// the component's smallest vertex.
template <bool Shared, class V>
inline void afforest_link(V* comp, V u, V v) {
  while (true) {
    u = afforest_find<Shared>(comp, u);
    v = afforest_find<Shared>(comp, v);
    if (u == v) return;
    V high = std::max(u, v);
    const V low = std::min(u, v);
    if constexpr (Shared) {
      if (atomic_cas(comp[index_of(high)], high, low)) return;
      // high was hooked by another thread meanwhile: find the new roots and try again.
    } else {
      comp[index_of(high)] = low;
      return;
    }
  }
}

template <bool Shared, class V>
inline void afforest_compress_range(V* comp, std::size_t b, std::size_t e) {
  constexpr std::size_t ahead = 16;
  for (std::size_t v = b; v < e; ++v) {
    if constexpr (Shared) {
      if (v + ahead < e) prefetch(comp + index_of(atomic_load(comp[v + ahead])));
      while (true) {
        const V p = atomic_load(comp[v]);
        const V gp = atomic_load(comp[index_of(p)]);
        if (p == gp) break;
        atomic_store(comp[v], gp);
      }
    } else {
      // Serially, comp[p] for p < v is already a root, so one hop finishes every vertex.
      if (v + ahead < e) prefetch(comp + index_of(comp[v + ahead]));
      V p = comp[v];
      V gp = comp[index_of(p)];
      while (p != gp) p = gp, gp = comp[index_of(p)];
      comp[v] = p;
    }
  }
}

template <class V>
inline void afforest_compress(V* comp, std::size_t n, bool shared) {
  if (!shared) return afforest_compress_range<false>(comp, 0, n);
  parallel_for_chunks(
      std::size_t{0}, n,
      [&](std::size_t b, std::size_t e) { afforest_compress_range<true>(comp, b, e); }, 1 << 14);
}

// Afforest's sampling on a CSR: links every vertex in [b, e) to its first `rounds` neighbours.
// The rounds are fused into one pass, since a vertex's first few targets share a cache line and
// reading that line is most of the cost. Loads are pipelined: the target line is prefetched
// 2 * ahead vertices early, the targets' labels ahead vertices early.
template <bool Shared, class V, class O>
inline void afforest_sample_range(V* comp, const O* off, const V* t, std::size_t rounds,
                                  std::size_t b, std::size_t e) {
  constexpr std::size_t ahead = 16;
  for (std::size_t u = b; u < e; ++u) {
    if (u + 2 * ahead < e) prefetch(t + static_cast<std::size_t>(off[u + 2 * ahead]));
    if (u + ahead < e) {
      const auto ob = static_cast<std::size_t>(off[u + ahead]);
      const auto oe = std::min(static_cast<std::size_t>(off[u + ahead + 1]), ob + rounds);
      for (std::size_t p = ob; p < oe; ++p) prefetch(comp + index_of(t[p]));
    }
    const auto ob = static_cast<std::size_t>(off[u]);
    const auto oe = std::min(static_cast<std::size_t>(off[u + 1]), ob + rounds);
    for (std::size_t p = ob; p < oe; ++p) afforest_link<Shared>(comp, static_cast<V>(u), t[p]);
  }
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

  // One thread: plain loads and stores instead of atomics (num_threads() never undercounts the
  // threads a loop uses, so a loop that might run in parallel always takes the atomic path).
  const bool shared = num_threads() > 1;
  const std::size_t rounds = opt.neighbor_rounds;
  if constexpr (csr_arrays<G>) {
    const auto* off = g.offsets().data();
    const V* t = g.targets().data();
    if (shared) {
      parallel_for_chunks(
          std::size_t{0}, n,
          [&](std::size_t b, std::size_t e) {
            afforest_sample_range<true>(comp, off, t, rounds, b, e);
          },
          1 << 12);
    } else {
      afforest_sample_range<false>(comp, off, t, rounds, 0, n);
    }
    if (rounds > 0) afforest_compress(comp, n, shared);
  } else {
    for (std::size_t round = 0; round < rounds; ++round) {
      parallel_for(
          std::size_t{0}, n,
          [&](std::size_t u) {
            std::size_t k = 0;
            walk_out_until(g, u, [&](V v) {
              if (k++ < round) return false;
              afforest_link<true>(comp, static_cast<V>(u), v);
              return true;
            });
          },
          1 << 12);
      afforest_compress(comp, n, true);
    }
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
  const auto finish = [&](auto shared_tag, std::size_t b, std::size_t e) {
    constexpr bool sh = decltype(shared_tag)::value;
    for (std::size_t u = b; u < e; ++u) {
      if (skip_giant && (sh ? atomic_load(comp[u]) : comp[u]) == giant) continue;
      walk_out_from(g, u, rounds, [&](V v) { afforest_link<sh>(comp, static_cast<V>(u), v); });
      if constexpr (has_in) {
        if (!symmetric)
          walk_in_until(g, u, [&](V v) {
            afforest_link<sh>(comp, static_cast<V>(u), v);
            return false;
          });
      }
    }
  };
  if (shared) {
    parallel_for_chunks(
        std::size_t{0}, n, [&](std::size_t b, std::size_t e) { finish(std::true_type{}, b, e); },
        256);
  } else {
    finish(std::false_type{}, 0, n);
  }
  afforest_compress(comp, n, shared);
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
  // One random access per edge: index[w] is w's DFS number while w is on the stack, and `off`
  // both before w is visited and after its component is done; the visited bits (n / 8 bytes,
  // cache-resident) tell those two apart. Low-links live in the call frames.
  constexpr U off = std::numeric_limits<U>::max(); // n <= max(V) <= max(U): no DFS number
  std::vector<U> index(n, off);
  std::vector<std::uint64_t> visited((n + 63) / 64, 0);
  std::vector<V> scc_stack;
  struct frame {
    V u;
    U index, low;
    out_cursor<G> next;
  };
  std::vector<frame> call;
  U counter = 0;
  V* const comp = r.component.data();

  const auto discover = [&](V v) {
    const std::size_t vi = index_of(v);
    visited[vi / 64] |= std::uint64_t{1} << (vi % 64);
    index[vi] = counter;
    scc_stack.push_back(v);
    call.push_back(frame{v, counter, counter, out_cursor<G>(g, vi)});
    ++counter;
  };
  for (std::size_t s = 0; s < n; ++s) {
    if (visited[s / 64] >> (s % 64) & 1) continue;
    discover(static_cast<V>(s));
    while (!call.empty()) {
      frame& f = call.back();
      bool descended = false;
      while (!f.next.done()) {
        const V w = f.next.next(g);
        const std::size_t wi = index_of(w);
        const U iw = index[wi];
        if (iw != off) { // on the stack
          f.low = std::min(f.low, iw);
          continue;
        }
        if (!(visited[wi / 64] >> (wi % 64) & 1)) {
          discover(w); // invalidates f
          descended = true;
          break;
        }
      }
      if (descended) continue;
      const frame done = call.back();
      call.pop_back();
      if (done.low == done.index) {
        // Pop the component; label it with its smallest vertex.
        auto it = scc_stack.end();
        V smallest = done.u;
        do {
          --it;
          smallest = std::min(smallest, *it);
        } while (*it != done.u);
        for (auto j = it; j != scc_stack.end(); ++j) {
          comp[index_of(*j)] = smallest;
          index[index_of(*j)] = off;
        }
        scc_stack.erase(it, scc_stack.end());
      }
      if (!call.empty()) call.back().low = std::min(call.back().low, done.low);
    }
  }
  relabel(r.component, opt.labels, r.count);
  return r;
}

} // namespace detail

/// Weakly connected components (edge directions ignored) by Afforest: sample-link each vertex's
/// first neighbor_rounds edges (one pass over a compressed graph), find the likely giant
/// component, then link the remaining edges of vertices outside it. Finds halve their paths. Labels
/// follow opt.labels; the default labels each vertex with the smallest vertex id of its component,
/// which needs no extra pass.
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
/// Complexity: O(n + m) time, serial; memory O(n) (an n-entry index array, n bits and the
/// stacks).
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
