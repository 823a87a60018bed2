// tessera: community detection by label propagation (CDLP), as LDBC Graphalytics defines it.
//
// Every vertex starts with its own label (its id, or a caller-supplied initial label such as
// the id written in the input file). Each iteration is synchronous: every vertex takes the
// label that is most frequent among its neighbours' labels of the previous iteration, the
// smallest such label on a tie, and keeps its label when it has no neighbours. On a directed
// graph a neighbour's label counts once per edge in each direction: once for every out-edge
// u -> v and once for every in-edge v -> u (so a mutual neighbour counts twice), which is the
// Graphalytics rule. On an undirected (symmetric) graph each neighbour counts once per edge.
// Multi-edges count with multiplicity, self loops count the vertex's own label.
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/parallel.hpp>
#include <tessera/detail/algorithm/neighborhood.hpp>
#include <tessera/graph/concepts.hpp>

#include <algorithm>
#include <atomic>
#include <concepts>
#include <cstddef>
#include <numeric>
#include <optional>
#include <span>
#include <vector>

TESSERA_NAMESPACE_BEGIN

/// Parameters of cdlp().
struct cdlp_options {
  /// The number of synchronous iterations (LDBC's max-iterations). The run stops earlier only
  /// at a fixed point, where further iterations could not change any label.
  std::size_t iterations = 10;
  /// Whether labels also flow along in-edges (the directed rule). Unset: true unless the graph
  /// reports is_directed() == false. The directed rule on a symmetric graph doubles every count
  /// and so gives the same labels, at twice the work.
  std::optional<bool> directed;
};

namespace detail {
template <class L>
[[nodiscard]] L most_frequent_smallest(std::vector<L>& labels) {
  std::sort(labels.begin(), labels.end());
  L best = labels[0];
  std::size_t best_count = 0;
  for (std::size_t i = 0; i < labels.size();) {
    std::size_t j = i + 1;
    while (j < labels.size() && labels[j] == labels[i]) ++j;
    if (j - i > best_count) { // strictly more: ties keep the earlier, smaller label
      best_count = j - i;
      best = labels[i];
    }
    i = j;
  }
  return best;
}
} // namespace detail

/// CDLP with caller-supplied initial labels (initial[v] for vertex v; LDBC uses the external
/// vertex ids). Returns the labels after options.iterations iterations.
/// Precondition: initial.size() == num_vertices(g).
///
/// Complexity: O(iterations * (n + m log dmax)) work (each vertex sorts its neighbours'
/// labels), O(n + m) extra memory when a directed graph has no stored in-edges (a transpose is
/// built once), O(n) otherwise. Parallel over vertices; the result is the same for every thread
/// count.
template <adjacency_list G, std::totally_ordered L>
[[nodiscard]] std::vector<L> cdlp(const G& g, std::span<const L> initial,
                                  const cdlp_options& options = {}) {
  using V = vertex_t<G>;
  const std::size_t n = tessera::num_vertices(g);
  TESSERA_ASSERT(initial.size() == n, "one initial label per vertex");
  const bool directed = options.directed.value_or(!detail::reports_undirected(g));
  constexpr bool stored_in = bidirectional_adjacency_list<G>;
  detail::transposed_csr<V, char> in_edges;
  if (directed && !stored_in) in_edges = detail::transpose_edges<G, char>(g, false);

  std::vector<L> current(initial.begin(), initial.end());
  std::vector<L> next(n);
  for (std::size_t iteration = 0; iteration < options.iterations; ++iteration) {
    std::atomic<bool> changed{false};
    parallel_for_chunks(
        std::size_t{0}, n,
        [&](std::size_t b, std::size_t e) {
          std::vector<L> seen;
          bool local_change = false;
          for (std::size_t u = b; u < e; ++u) {
            seen.clear();
            detail::walk_out(g, u, [&](V v) { seen.push_back(current[detail::index_of(v)]); });
            if (directed) {
              const auto add_in = [&](V v) { seen.push_back(current[detail::index_of(v)]); };
              if constexpr (stored_in)
                detail::walk_in(g, u, add_in);
              else
                for (const V v : in_edges.sources_of(u)) add_in(v);
            }
            next[u] = seen.empty() ? current[u] : detail::most_frequent_smallest(seen);
            local_change = local_change || !(next[u] == current[u]);
          }
          if (local_change) changed.store(true, std::memory_order_relaxed);
        },
        512);
    current.swap(next);
    if (!changed.load()) break;
  }
  return current;
}

/// CDLP with every vertex's initial label its own index 0 .. n - 1; labels are vertex ids.
template <adjacency_list G>
[[nodiscard]] std::vector<vertex_t<G>> cdlp(const G& g, const cdlp_options& options = {}) {
  using V = vertex_t<G>;
  std::vector<V> initial(tessera::num_vertices(g));
  for (std::size_t v = 0; v < initial.size(); ++v) initial[v] = static_cast<V>(v);
  return cdlp(g, std::span<const V>(initial), options);
}

TESSERA_NAMESPACE_END
