// tessera: the graph concept family every algorithm is constrained by.
//
// A graph is anything that answers four questions, found by customization-point expressions:
//   num_vertices(g)     vertices are 0 .. num_vertices(g) - 1
//   neighbors(g, u)     a forward range of u's out-edges
//   target(e)           the vertex an edge element points to: the element itself when it is an
//                       integer, else get<0>(e) (pairs, tuples, tessera's weighted edges)
//   edge_weight(e)      get<1>(e), only for weighted graphs
// so std::vector<std::vector<int>> is a graph, std::vector<std::vector<std::pair<int, double>>>
// is a weighted graph, and tessera's compressed graphs are both, with fast paths on top.
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/concepts.hpp>

#include <concepts>
#include <cstddef>
#include <iterator>
#include <ranges>
#include <tuple>
#include <type_traits>
#include <utility>

TESSERA_NAMESPACE_BEGIN

/// The number of vertices: g.num_vertices() if it exists, else std::ranges::size(g).
template <class G>
[[nodiscard]] constexpr std::size_t num_vertices(const G& g) {
  if constexpr (requires { g.num_vertices(); })
    return static_cast<std::size_t>(g.num_vertices());
  else
    return static_cast<std::size_t>(std::ranges::size(g));
}

/// The out-edges of u: g.neighbors(u) if it exists, else the u-th element of the range g.
/// Precondition: u < num_vertices(g).
template <class G>
[[nodiscard]] constexpr decltype(auto) neighbors(const G& g, std::size_t u) {
  if constexpr (requires { g.neighbors(u); })
    return g.neighbors(u);
  else
    return std::ranges::begin(g)[static_cast<std::ranges::range_difference_t<const G>>(u)];
}

/// The in-edges of u, for graphs that store them: g.in_neighbors(u).
template <class G>
requires requires(const G& g, std::size_t u) {
  g.in_neighbors(u);
}
[[nodiscard]] constexpr decltype(auto) in_neighbors(const G& g, std::size_t u) {
  return g.in_neighbors(u);
}

namespace detail {
/// An edge element that is a tuple-like (target, ...) record: get<0> found by ADL or in std.
template <class E>
concept tuple_edge = !vertex_id<E> && requires(const E& e) {
  std::tuple_size<E>::value;
  requires vertex_id<std::remove_cvref_t<decltype(get<0>(e))>>;
};
template <class E>
concept id_edge = vertex_id<E> || tuple_edge<E>;
} // namespace detail

/// The vertex an edge element points to: the element itself when it is an integer, else get<0>(e).
template <detail::id_edge E>
[[nodiscard]] constexpr auto target(const E& e) {
  if constexpr (vertex_id<E>) {
    return e;
  } else {
    return static_cast<std::remove_cvref_t<decltype(get<0>(e))>>(get<0>(e));
  }
}

/// The weight of an edge element of a weighted graph: get<1>(e).
template <detail::tuple_edge E>
requires(std::tuple_size<E>::value >= 2) && requires(const E& e) {
  get<1>(e);
}
[[nodiscard]] constexpr auto edge_weight(const E& e) {
  return static_cast<std::remove_cvref_t<decltype(get<1>(e))>>(get<1>(e));
}

/// Out-degree of u: g.degree(u) if it exists, else the size (or length) of neighbors(g, u).
template <class G>
[[nodiscard]] constexpr std::size_t degree(const G& g, std::size_t u) {
  if constexpr (requires { g.degree(u); }) {
    return static_cast<std::size_t>(g.degree(u));
  } else {
    auto&& r = tessera::neighbors(g, u);
    if constexpr (std::ranges::sized_range<decltype(r)>)
      return static_cast<std::size_t>(std::ranges::size(r));
    else
      return static_cast<std::size_t>(std::ranges::distance(r));
  }
}

/// The range type neighbors() returns for G, its element type, vertex id type and weight type.
template <class G>
using neighbor_range_t = decltype(tessera::neighbors(std::declval<const G&>(), std::size_t{}));
template <class G>
using edge_t = std::ranges::range_reference_t<neighbor_range_t<G>>;
template <class G>
using vertex_t =
    std::remove_cvref_t<decltype(tessera::target(std::declval<std::remove_cvref_t<edge_t<G>>>()))>;
template <class G>
using weight_t = std::remove_cvref_t<decltype(tessera::edge_weight(
    std::declval<std::remove_cvref_t<edge_t<G>>>()))>;

namespace detail {
template <class G>
concept has_vertex_type = requires {
  typename vertex_t<G>;
}
&&vertex_id<vertex_t<G>>;
} // namespace detail

/// A graph whose vertices are 0 .. num_vertices(g) - 1 and whose out-edges of each vertex can be
/// traversed more than once. Algorithms ask for nothing more unless they say so.
template <class G>
concept adjacency_list = requires(const G& g, std::size_t u) {
  { tessera::num_vertices(g) } -> std::convertible_to<std::size_t>;
  { tessera::neighbors(g, u) } -> std::ranges::forward_range;
}
&&detail::has_vertex_type<G>;

/// An adjacency list whose edges carry arithmetic weights.
template <class G>
concept weighted_adjacency_list = adjacency_list<G> && requires(std::remove_cvref_t<edge_t<G>> e) {
  { tessera::edge_weight(e) } -> weight;
};

/// An adjacency list that also stores every vertex's in-edges (for pull-based and bottom-up work).
template <class G>
concept bidirectional_adjacency_list = adjacency_list<G> && requires(const G& g, std::size_t u) {
  { tessera::in_neighbors(g, u) } -> std::ranges::forward_range;
  requires std::same_as<std::remove_cvref_t<decltype(tessera::target(
                            *std::ranges::begin(tessera::in_neighbors(g, u))))>,
                        vertex_t<G>>;
};

/// A graph stored as compressed sparse rows: offsets (n + 1 entries) and targets (m entries)
/// exposed as contiguous ranges, so algorithms can take their fastest path.
template <class G>
concept compressed_adjacency = adjacency_list<G> && requires(const G& g) {
  { g.offsets() } -> std::ranges::contiguous_range;
  { g.targets() } -> std::ranges::contiguous_range;
  { g.num_edges() } -> std::convertible_to<std::size_t>;
};

TESSERA_NAMESPACE_END
