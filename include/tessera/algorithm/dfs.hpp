// tessera: depth-first search without recursion: preorder, postorder, discovery and finish
// times, parents; from given roots or over the whole graph (a DFS forest).
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/detail/algorithm/graph_access.hpp>
#include <tessera/graph/concepts.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

TESSERA_NAMESPACE_BEGIN

/// The time stamp of a vertex that DFS did not reach.
inline constexpr std::size_t dfs_unvisited = std::numeric_limits<std::size_t>::max();

/// Options of dfs().
struct dfs_options {
  /// After the given roots, start new trees from every still unvisited vertex in increasing id
  /// order (a DFS forest, as Boost's depth_first_search). Without roots this is always on.
  bool forest = false;
  bool compute_times = true;     ///< fill discovery and finish
  bool compute_parents = true;   ///< fill parent
  bool compute_preorder = true;  ///< fill preorder
  bool compute_postorder = true; ///< fill postorder
};

/// The result of dfs(). Times count discoveries and finishes together (0 .. 2k - 1 for k visited
/// vertices), so discovery[u] < discovery[v] < finish[v] < finish[u] when v descends from u.
/// parent[v] is v's tree parent (invalid_vertex<V> for roots and unvisited vertices).
template <vertex_id V>
struct dfs_result {
  std::vector<V> preorder;            ///< visited vertices in discovery order
  std::vector<V> postorder;           ///< visited vertices in finish order
  std::vector<std::size_t> discovery; ///< or dfs_unvisited
  std::vector<std::size_t> finish;    ///< or dfs_unvisited
  std::vector<V> parent;
  std::vector<V> roots; ///< the root of every tree, in the order the trees were grown
};

namespace detail {
template <adjacency_list G>
expected<dfs_result<vertex_t<G>>> dfs_impl(const G& g, std::span<const vertex_t<G>> roots,
                                           const dfs_options& opt) {
  using V = vertex_t<G>;
  const std::size_t n = tessera::num_vertices(g);
  if (auto ok = check_id_room<V>(n); !ok) return unexpected(ok.error());
  if (auto ok = check_source_ids(roots, n); !ok) return unexpected(ok.error());

  dfs_result<V> r;
  if (opt.compute_times) {
    r.discovery.assign(n, dfs_unvisited);
    r.finish.assign(n, dfs_unvisited);
  }
  if (opt.compute_parents) r.parent.assign(n, invalid_vertex<V>);
  if (opt.compute_preorder) r.preorder.reserve(n);
  if (opt.compute_postorder) r.postorder.reserve(n);
  std::vector<bool> seen(n, false);
  std::size_t clock = 0;

  struct frame {
    V u;
    out_cursor<G> next;
  };
  std::vector<frame> stack;
  const auto discover = [&](V v) {
    const std::size_t vi = index_of(v);
    seen[vi] = true;
    if (opt.compute_times) r.discovery[vi] = clock;
    ++clock;
    if (opt.compute_preorder) r.preorder.push_back(v);
    stack.push_back(frame{v, out_cursor<G>(g, vi)});
  };
  const auto grow = [&](V root) {
    if (seen[index_of(root)]) return;
    r.roots.push_back(root);
    discover(root);
    while (!stack.empty()) {
      frame& f = stack.back();
      bool descended = false;
      while (!f.next.done()) {
        const V v = f.next.next(g);
        if (!seen[index_of(v)]) {
          if (opt.compute_parents) r.parent[index_of(v)] = f.u;
          discover(v); // invalidates f
          descended = true;
          break;
        }
      }
      if (descended) continue;
      const V u = f.u;
      if (opt.compute_times) r.finish[index_of(u)] = clock;
      ++clock;
      if (opt.compute_postorder) r.postorder.push_back(u);
      stack.pop_back();
    }
  };
  for (const V s : roots) grow(s);
  if (roots.empty() || opt.forest)
    for (std::size_t u = 0; u < n; ++u) grow(static_cast<V>(u));
  return r;
}
} // namespace detail

/// Depth-first search from `roots` in order (a root already visited is skipped), then, with
/// opt.forest, from every unvisited vertex in id order. Neighbours are taken in the order the
/// graph stores them, so the result equals that of the recursive algorithm (and Boost's
/// depth_first_search). Iterative: an explicit stack of at most n frames, no recursion limit.
///
/// Complexity: O(n + m) time (O(n + sum of degree^2) for forward-only neighbour ranges that are
/// returned by value and so cannot be resumed), O(n) extra memory. Serial.
/// Errors: out_of_range for a root that is not a vertex; overflow as bfs().
template <adjacency_list G>
[[nodiscard]] expected<dfs_result<vertex_t<G>>>
try_dfs(const G& g, std::span<const vertex_t<G>> roots, const dfs_options& opt = {}) {
  return detail::dfs_impl(g, roots, opt);
}

/// DFS from one root (the forest option still applies).
template <adjacency_list G>
[[nodiscard]] expected<dfs_result<vertex_t<G>>> try_dfs(const G& g, vertex_t<G> root,
                                                        const dfs_options& opt = {}) {
  return detail::dfs_impl(g, std::span<const vertex_t<G>>(&root, 1), opt);
}

/// The DFS forest of the whole graph (roots in id order).
template <adjacency_list G>
[[nodiscard]] expected<dfs_result<vertex_t<G>>> try_dfs(const G& g, const dfs_options& opt = {}) {
  return detail::dfs_impl(g, std::span<const vertex_t<G>>(), opt);
}

/// try_dfs() that throws tessera::exception on error.
template <adjacency_list G>
[[nodiscard]] dfs_result<vertex_t<G>> dfs(const G& g, std::span<const vertex_t<G>> roots,
                                          const dfs_options& opt = {}) {
  return try_dfs(g, roots, opt).value();
}
template <adjacency_list G>
[[nodiscard]] dfs_result<vertex_t<G>> dfs(const G& g, vertex_t<G> root,
                                          const dfs_options& opt = {}) {
  return try_dfs(g, root, opt).value();
}
template <adjacency_list G>
[[nodiscard]] dfs_result<vertex_t<G>> dfs(const G& g, const dfs_options& opt = {}) {
  return try_dfs(g, opt).value();
}

TESSERA_NAMESPACE_END
