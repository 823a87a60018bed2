// tessera: triangle counting, in total and per vertex.
//
// Triangles are those of the simple undirected graph underlying the input: an edge in either
// direction joins two vertices, self loops are ignored, and multi-edges count once. The kernel
// is the degree-ordered listing that GAP's tc uses when it relabels by degree: every undirected
// edge is kept once, at its endpoint of lower (degree, id) rank, so no row is longer than
// O(sqrt(m)), and each triangle u < v < w (in rank) is found once, as w in row(u) ∩ row(v).
// The intersection marks row(u) in a per-thread bitmap (total count) or position array
// (per-vertex counts) and scans each row(v) against it: one cached read per step, no
// mispredicted merge branches (measured 2.5x faster than a merge on Kronecker scale 20).
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/parallel.hpp>
#include <tessera/detail/algorithm/neighborhood.hpp>
#include <tessera/graph/concepts.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

TESSERA_NAMESPACE_BEGIN

/// How triangle counting reads the input graph.
struct triangle_count_options {
  /// Whether every edge is stored in both directions (an undirected graph). When set, only
  /// out-edges are read (no transpose is built). Unset: true for graphs that report
  /// is_directed() == false (undirected compressed_graph), false otherwise; a directed reading
  /// is always correct, merely slower, and gives the same counts for a symmetric graph.
  std::optional<bool> symmetric;
};

namespace detail {
template <adjacency_list G>
[[nodiscard]] flat_adjacency<vertex_t<G>>
oriented_for_triangles(const G& g, const triangle_count_options& options, bool with_flags) {
  const bool symmetric = options.symmetric.value_or(reports_undirected(g));
  return orient_by_degree(undirected_closure(g, symmetric, with_flags));
}
} // namespace detail

/// The number of triangles of the undirected simple graph underlying g.
///
/// Complexity: O(m log dmax) to build the degree-ordered orientation (O(m) when rows are
/// already sorted), then O(m^1.5) for the listing (exactly: the number of 2-paths u -> v -> w
/// of the orientation, usually far less); O(n + m) extra memory plus n bits per thread.
/// Parallel over vertices.
template <adjacency_list G>
[[nodiscard]] std::uint64_t triangle_count(const G& g, const triangle_count_options& options = {}) {
  return detail::count_triangles(detail::oriented_for_triangles(g, options, false));
}

/// For every vertex, the number of triangles of the underlying undirected simple graph it is a
/// corner of; the sum over vertices is 3 * triangle_count(g). Same complexity as
/// triangle_count, plus O(n) memory for the counts and 4n bytes per thread for the marks.
template <adjacency_list G>
[[nodiscard]] std::vector<std::uint64_t>
triangle_count_per_vertex(const G& g, const triangle_count_options& options = {}) {
  const auto d = detail::oriented_for_triangles(g, options, false);
  std::vector<std::uint64_t> counts(d.num_vertices(), 0);
  const auto bump = [&](std::size_t v) {
    std::atomic_ref<std::uint64_t>(counts[v]).fetch_add(1, std::memory_order_relaxed);
  };
  struct local {
    std::size_t u = static_cast<std::size_t>(-1);
    std::uint64_t at_u = 0;
  };
  // The lowest corner u is the chunk's own vertex: its count accumulates locally and is
  // published once per vertex; the other two corners are shared.
  detail::for_each_triangle(
      d, [] { return local{}; },
      [&](local& s, std::size_t u, std::size_t e_uv, std::size_t, std::size_t e_vw) {
        if (s.u != u) {
          if (s.at_u != 0) std::atomic_ref<std::uint64_t>(counts[s.u]).fetch_add(s.at_u);
          s.u = u;
          s.at_u = 0;
        }
        ++s.at_u;
        bump(detail::index_of(d.targets[e_uv]));
        bump(detail::index_of(d.targets[e_vw]));
      },
      [&](local& s) {
        if (s.at_u != 0) std::atomic_ref<std::uint64_t>(counts[s.u]).fetch_add(s.at_u);
      });
  return counts;
}

TESSERA_NAMESPACE_END
