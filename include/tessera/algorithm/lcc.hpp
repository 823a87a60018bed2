// tessera: local clustering coefficient, as LDBC Graphalytics defines it.
//
// For a vertex v, N(v) is the set of its neighbours in either direction, v itself excluded. Its
// coefficient is the number of edges between members of N(v), counted as directed edges (u -> w
// and w -> u are two; an undirected edge, stored both ways, is two), divided by |N(v)| (|N(v)|
// - 1); it is 0 when |N(v)| < 2. For an undirected graph this is the textbook 2 T(v) / (d (d -
// 1)). Self loops are ignored and multi-edges count once.
//
// The kernel lists each triangle of the underlying undirected graph once (degree-ordered, as
// triangle_count.hpp) and credits each corner with the number of directions (1 or 2) of the
// opposite edge, so directed and undirected graphs cost the same O(m^1.5).
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/parallel.hpp>
#include <tessera/detail/algorithm/neighborhood.hpp>
#include <tessera/graph/concepts.hpp>

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

TESSERA_NAMESPACE_BEGIN

/// How lcc() reads the input graph.
struct lcc_options {
  /// Whether every edge is stored in both directions (an undirected graph): only out-edges are
  /// then read. Unset: true for graphs that report is_directed() == false, false otherwise.
  /// The directed reading is correct for symmetric graphs too (each edge is seen both ways).
  std::optional<bool> symmetric;
};

/// The local clustering coefficient of every vertex (LDBC Graphalytics LCC), indexed by vertex.
/// Directed graphs without stored in-edges get a transpose built internally.
///
/// Complexity: O((n + m) log dmax) to build the simple undirected closure with direction flags
/// (O(n + m) when rows are sorted), O(m^1.5) to list triangles; O(n + m) extra memory.
/// Parallel over vertices.
template <adjacency_list G>
[[nodiscard]] std::vector<double> lcc(const G& g, const lcc_options& options = {}) {
  const bool symmetric = options.symmetric.value_or(detail::reports_undirected(g));
  const auto closure = detail::undirected_closure(g, symmetric, true);
  const auto d = detail::orient_by_degree(closure);
  const std::size_t n = closure.num_vertices();
  std::vector<std::uint64_t> links(n, 0);
  const auto add = [&](std::size_t v, std::uint64_t k) {
    std::atomic_ref<std::uint64_t>(links[v]).fetch_add(k, std::memory_order_relaxed);
  };
  const auto directions = [&](std::size_t e) -> std::uint64_t {
    return static_cast<std::uint64_t>(std::popcount(static_cast<unsigned>(d.flags[e])));
  };
  detail::for_each_triangle(
      d, [] { return 0; },
      [&](int&, std::size_t u, std::size_t e_uv, std::size_t e_uw, std::size_t e_vw) {
        add(u, directions(e_vw));
        add(detail::index_of(d.targets[e_uv]), directions(e_uw));
        add(detail::index_of(d.targets[e_uw]), directions(e_uv));
      },
      [](int&) {});
  std::vector<double> result(n, 0.0);
  parallel_for(std::size_t{0}, n, [&](std::size_t v) {
    const auto k = static_cast<double>(closure.degree(v));
    if (k >= 2) result[v] = static_cast<double>(links[v]) / (k * (k - 1));
  });
  return result;
}

TESSERA_NAMESPACE_END
