// tessera: breadth-first search. Levels and parents from one or many sources, with a depth limit,
// direction-optimizing (Beamer's top-down / bottom-up switching, as in the GAP benchmark suite)
// when the graph's in-edges are at hand.
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/core/parallel.hpp>
#include <tessera/detail/algorithm/graph_access.hpp>
#include <tessera/graph/concepts.hpp>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <type_traits>
#include <vector>

TESSERA_NAMESPACE_BEGIN

/// How BFS chooses between expanding the frontier (top-down) and letting unvisited vertices look
/// for a parent in it (bottom-up).
enum class bfs_direction : std::uint8_t {
  automatic, ///< direction-optimizing when in-edges are available (bidirectional or symmetric)
  top_down,  ///< always expand the frontier's out-edges
};

/// Options of bfs().
struct bfs_options {
  /// Vertices farther than this many edges from every source are left unreached.
  std::size_t max_depth = std::numeric_limits<std::size_t>::max();
  bool compute_parents = true; ///< fill bfs_result::parent
  bfs_direction direction = bfs_direction::automatic;
  /// The caller promises every edge is stored both ways, so out-edges serve as in-edges for the
  /// bottom-up steps. tessera's compressed_graph says so itself (direction() == undirected).
  bool symmetric = false;
  /// Beamer's switching thresholds (GAP defaults): go bottom-up when the frontier's out-edges
  /// exceed (unexplored edges / alpha); back top-down when the frontier shrinks below n / beta.
  double alpha = 15.0;
  double beta = 18.0;
};

/// The level type of a BFS over vertex ids V, and its "unreached" value.
template <vertex_id V>
using bfs_level_t = std::make_unsigned_t<V>;
template <vertex_id V>
inline constexpr bfs_level_t<V> bfs_unreached = std::numeric_limits<bfs_level_t<V>>::max();

/// The result of bfs(): level[v] is the number of edges on a shortest path from the nearest
/// source (bfs_unreached<V> if none within max_depth); parent[v] is v's predecessor on one such
/// path (a source is its own parent; invalid_vertex<V> if unreached; empty unless requested).
template <vertex_id V>
struct bfs_result {
  std::vector<bfs_level_t<V>> level;
  std::vector<V> parent;
  std::size_t reached = 0;   ///< vertices with a finite level
  std::size_t max_level = 0; ///< the largest finite level
};

namespace detail {

template <class G>
[[nodiscard]] bool bfs_can_go_bottom_up(const G& g, const bfs_options& opt) {
  if (opt.direction != bfs_direction::automatic) return false;
  if constexpr (bidirectional_adjacency_list<G>) return true;
  return opt.symmetric || reports_undirected(g);
}

// In-neighbour walk for the bottom-up step: stored in-edges, or out-edges of a symmetric graph.
template <class G, class F>
inline bool bfs_any_in(const G& g, std::size_t v, F&& f) {
  if constexpr (bidirectional_adjacency_list<G>)
    return walk_in_until(g, v, std::forward<F>(f));
  else
    return walk_out_until(g, v, std::forward<F>(f));
}

// Whether v may have in-neighbours: false only when its in-degree is known to be 0 in O(1).
template <class G>
[[nodiscard]] inline bool bfs_may_have_in(const G& g, std::size_t v) {
  if constexpr (bidirectional_adjacency_list<G>) {
    if constexpr (in_csr_arrays<G>) {
      const auto* off = g.in().offsets().data();
      return off[v + 1] != off[v];
    } else {
      return true;
    }
  } else if constexpr (csr_arrays<G>) {
    const auto* off = g.offsets().data();
    return off[v + 1] != off[v];
  } else {
    return true;
  }
}

template <adjacency_list G>
expected<bfs_result<vertex_t<G>>> bfs_impl(const G& g, std::span<const vertex_t<G>> sources,
                                           const bfs_options& opt) {
  using V = vertex_t<G>;
  using L = bfs_level_t<V>;
  const std::size_t n = tessera::num_vertices(g);
  if (auto ok = check_id_room<V>(n); !ok) return unexpected(ok.error());
  if (auto ok = check_source_ids(sources, n); !ok) return unexpected(ok.error());

  bfs_result<V> r;
  r.level.assign(n, bfs_unreached<V>);
  if (opt.compute_parents) r.parent.assign(n, invalid_vertex<V>);
  if (n == 0) return r;
  L* const level = r.level.data();
  V* const parent = opt.compute_parents ? r.parent.data() : nullptr;

  // The frontier lives in one array of n slots (each vertex enters at most once): the current
  // level is [head, tail), discoveries are appended after tail (GAP's sliding queue). Every slot
  // is written before it is read, so it starts uninitialized.
  const auto queue_slots = std::make_unique_for_overwrite<V[]>(n);
  V* const queue = queue_slots.get();
  std::size_t head = 0, tail = 0;
  std::size_t scout = 0; // out-edges of the frontier
  // Which vertices are reached, one bit each: a top-down step tests a neighbour here (n / 8
  // bytes, cache-resident on large graphs) instead of its level (n ids, a cache miss per edge).
  const std::size_t words = (n + 63) / 64;
  std::vector<std::uint64_t> visited(words, 0);
  const auto bit = [](std::size_t v) { return std::uint64_t{1} << (v % 64); };
  for (const V s : sources) {
    const std::size_t si = index_of(s);
    if (visited[si / 64] & bit(si)) continue; // duplicate source
    visited[si / 64] |= bit(si);
    level[si] = 0;
    if (parent) parent[si] = s;
    queue[tail++] = s;
    scout += out_degree(g, si);
  }
  // Counted as levels are found, so no pass over the result is needed at the end.
  r.reached = tail;
  if (opt.max_depth == 0) return r;

  const bool can_bottom_up = bfs_can_go_bottom_up(g, opt);
  std::size_t edges_to_check = 0;
  if (can_bottom_up) {
    if constexpr (compressed_adjacency<G>)
      edges_to_check = static_cast<std::size_t>(g.num_edges());
    else
      for (std::size_t u = 0; u < n; ++u) edges_to_check += out_degree(g, u);
  }
  std::vector<std::uint64_t> front, next, todo;
  const bool parallel = num_threads() > 1;
  std::size_t depth = 0; // level of the current frontier

  while (head < tail && depth < opt.max_depth) {
    const auto d1 = static_cast<L>(depth + 1);
    if (can_bottom_up &&
        static_cast<double>(scout) > static_cast<double>(edges_to_check) / opt.alpha) {
      // Bottom-up phase: frontier as a bitmap; every unvisited vertex scans its in-edges. The
      // vertices still to find are a bitmap too (unreached, with in-edges), so a step walks their
      // set bits instead of testing every vertex: no work for reached or isolated vertices, and no
      // unpredictable branch per vertex.
      front.assign(words, 0);
      next.assign(words, 0);
      todo.resize(words);
      parallel_for_chunks(std::size_t{0}, words, [&](std::size_t wb, std::size_t we) {
        for (std::size_t w = wb; w < we; ++w) {
          std::uint64_t bits = 0;
          const std::size_t vb = w * 64, ve = std::min(n, vb + 64);
          for (std::size_t v = vb; v < ve; ++v)
            bits |= std::uint64_t{bfs_may_have_in(g, v)} << (v - vb);
          todo[w] = bits & ~visited[w];
        }
      });
      parallel_for(
          head, tail,
          [&](std::size_t i) {
            const std::size_t v = index_of(queue[i]);
            std::atomic_ref<std::uint64_t>(front[v / 64])
                .fetch_or(std::uint64_t{1} << (v % 64), std::memory_order_relaxed);
          },
          1 << 14);
      std::size_t awake = tail - head, old_awake = 0;
      head = tail; // the frontier is consumed; discoveries are appended below from the bitmap
      do {
        const auto dl = static_cast<L>(depth + 1);
        std::atomic<std::size_t> count{0};
        // Chunks are multiples of 64 vertices, so each thread owns whole words of `next`.
        parallel_for_chunks(
            std::size_t{0}, words,
            [&](std::size_t wb, std::size_t we) {
              std::size_t local = 0;
              for (std::size_t w = wb; w < we; ++w) {
                std::uint64_t found = 0;
                for (std::uint64_t left = todo[w]; left != 0; left &= left - 1) {
                  const auto b = static_cast<std::size_t>(std::countr_zero(left));
                  const std::size_t v = w * 64 + b;
                  bfs_any_in(g, v, [&](V u) {
                    const std::size_t ui = index_of(u);
                    if ((front[ui / 64] >> (ui % 64)) & 1U) {
                      level[v] = dl;
                      if (parent) parent[v] = u;
                      found |= std::uint64_t{1} << b;
                      return true;
                    }
                    return false;
                  });
                }
                next[w] = found;
                todo[w] &= ~found;
                visited[w] |= found;
                local += static_cast<std::size_t>(std::popcount(found));
              }
              count.fetch_add(local, std::memory_order_relaxed);
            },
            64);
        old_awake = awake;
        awake = count.load();
        front.swap(next);
        ++depth;
        if (awake > 0) {
          r.reached += awake;
          r.max_level = depth;
        }
      } while (
          awake > 0 && depth < opt.max_depth &&
          (awake >= old_awake || static_cast<double>(awake) > static_cast<double>(n) / opt.beta));
      // Back to a queue: the vertices found by the last bottom-up step, in id order.
      const std::size_t start = tail;
      for (std::size_t w = 0; w < words; ++w) {
        std::uint64_t bits = front[w];
        while (bits) {
          const auto b = static_cast<std::size_t>(std::countr_zero(bits));
          queue[tail++] = static_cast<V>(w * 64 + b);
          bits &= bits - 1;
        }
      }
      head = start;
      // As GAP: the next step is top-down whatever the frontier's size, and the count of
      // unexplored edges keeps its value from before the bottom-up phase. (An exact recount
      // would cost a pass over all vertices, and once most of the graph is reached it makes a
      // small leftover frontier look worth a bottom-up step, which scans all n vertices.)
      scout = 1;
      continue;
    }

    // Top-down step over [head, tail); discoveries appended at tail.
    if (can_bottom_up) edges_to_check -= std::min(edges_to_check, scout);
    const std::size_t end = tail;
    if (!parallel) {
      for (std::size_t i = head; i < end; ++i) {
        const V u = queue[i];
        walk_out(g, index_of(u), [&](V v) {
          const std::size_t vi = index_of(v);
          std::uint64_t& word = visited[vi / 64];
          if (!(word & bit(vi))) {
            word |= bit(vi);
            level[vi] = d1;
            if (parent) parent[vi] = u;
            queue[tail++] = v;
          }
        });
      }
      // The new frontier's out-edges, in a pass of its own: independent loads whose cache misses
      // overlap, where reading them in the loop above would stall each discovery.
      scout = 0;
      if (can_bottom_up)
        for (std::size_t i = end; i < tail; ++i) scout += out_degree(g, index_of(queue[i]));
    } else {
      std::atomic<std::size_t> shared_tail{tail}, shared_scout{0};
      parallel_for_chunks(
          head, end,
          [&](std::size_t b, std::size_t e) {
            constexpr std::size_t cap = 1024;
            V buf[cap];
            std::size_t used = 0, found_edges = 0;
            const auto flush = [&] {
              if (can_bottom_up)
                for (std::size_t k = 0; k < used; ++k)
                  found_edges += out_degree(g, index_of(buf[k]));
              const std::size_t at = shared_tail.fetch_add(used, std::memory_order_relaxed);
              std::copy(buf, buf + used, queue + at);
              used = 0;
            };
            for (std::size_t i = b; i < e; ++i) {
              const V u = queue[i];
              walk_out(g, index_of(u), [&](V v) {
                const std::size_t vi = index_of(v);
                std::atomic_ref<std::uint64_t> word(visited[vi / 64]);
                // The thread that sets the bit owns v's level and parent for this step.
                if (!(word.load(std::memory_order_relaxed) & bit(vi)) &&
                    !(word.fetch_or(bit(vi), std::memory_order_relaxed) & bit(vi))) {
                  level[vi] = d1;
                  if (parent) parent[vi] = u;
                  buf[used++] = v;
                  if (used == cap) flush();
                }
              });
            }
            if (used) flush();
            shared_scout.fetch_add(found_edges, std::memory_order_relaxed);
          },
          64);
      tail = shared_tail.load();
      scout = shared_scout.load();
    }
    head = end;
    ++depth;
    if (tail > head) {
      r.reached += tail - head;
      r.max_level = depth;
    }
  }
  return r;
}

} // namespace detail

/// Breadth-first search from several sources at once (level 0 each; duplicates are fine).
///
/// With opt.direction == automatic and in-edges available (a bidirectional_adjacency_list, or a
/// graph stored symmetrically: compressed_graph with direction() undirected, or opt.symmetric),
/// it switches between top-down and bottom-up steps as Beamer et al. (GAP) do; otherwise it is
/// top-down only. Parallel through tessera::parallel_for_chunks when num_threads() > 1; levels
/// are deterministic, parents are any valid BFS tree (the first finder wins).
///
/// Complexity: O(n + m) work top-down; each switch to bottom-up costs O(n), and each bottom-up
/// step O(n / 64) plus, for every vertex not yet reached that has in-edges, the in-edges scanned
/// until a parent is found. Memory: the result plus n ids (queue) and 4n bits.
/// Errors: out_of_range if a source is not a vertex; overflow if V cannot number n vertices
/// and still spare invalid_vertex<V>.
template <adjacency_list G>
[[nodiscard]] expected<bfs_result<vertex_t<G>>>
try_bfs(const G& g, std::span<const vertex_t<G>> sources, const bfs_options& opt = {}) {
  return detail::bfs_impl(g, sources, opt);
}

/// Single-source try_bfs().
template <adjacency_list G>
[[nodiscard]] expected<bfs_result<vertex_t<G>>> try_bfs(const G& g, vertex_t<G> source,
                                                        const bfs_options& opt = {}) {
  return detail::bfs_impl(g, std::span<const vertex_t<G>>(&source, 1), opt);
}

/// try_bfs() that throws tessera::exception on error.
template <adjacency_list G>
[[nodiscard]] bfs_result<vertex_t<G>> bfs(const G& g, std::span<const vertex_t<G>> sources,
                                          const bfs_options& opt = {}) {
  return try_bfs(g, sources, opt).value();
}

/// Single-source bfs(); throws tessera::exception on error.
template <adjacency_list G>
[[nodiscard]] bfs_result<vertex_t<G>> bfs(const G& g, vertex_t<G> source,
                                          const bfs_options& opt = {}) {
  return try_bfs(g, source, opt).value();
}

TESSERA_NAMESPACE_END
