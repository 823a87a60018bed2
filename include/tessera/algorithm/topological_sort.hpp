// tessera: topological order of a directed graph, or the cycle that prevents one.
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/detail/algorithm/graph_access.hpp>
#include <tessera/graph/concepts.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

TESSERA_NAMESPACE_BEGIN

/// Parameters of topological_sort().
struct topological_sort_options {
  /// false: Kahn's algorithm with a FIFO queue, O(n + m). true: the lexicographically smallest
  /// topological order (always the smallest ready vertex next), O(n log n + m).
  bool smallest_first = false;
};

/// A directed cycle of g, if there is one: vertices c0, c1, ..., ck-1 with edges c0 -> c1 ->
/// ... -> ck-1 -> c0 (a self loop is a cycle of one vertex). Iterative depth-first search, no
/// recursion limit. Complexity: O(n + m) time and memory.
template <adjacency_list G>
[[nodiscard]] std::optional<std::vector<vertex_t<G>>> find_cycle(const G& g) {
  using V = vertex_t<G>;
  const std::size_t n = tessera::num_vertices(g);
  // A flat copy gives every vertex an edge cursor that survives any neighbour range type.
  std::vector<std::size_t> offsets(n + 1, 0);
  std::vector<V> targets;
  for (std::size_t u = 0; u < n; ++u) {
    detail::walk_out(g, u, [&](V v) { targets.push_back(v); });
    offsets[u + 1] = targets.size();
  }
  enum : std::uint8_t { white, grey, black };
  std::vector<std::uint8_t> colour(n, white);
  std::vector<std::size_t> cursor(n, 0);
  std::vector<std::size_t> stack;
  for (std::size_t root = 0; root < n; ++root) {
    if (colour[root] != white) continue;
    stack.push_back(root);
    colour[root] = grey;
    cursor[root] = offsets[root];
    while (!stack.empty()) {
      const std::size_t u = stack.back();
      if (cursor[u] == offsets[u + 1]) {
        colour[u] = black;
        stack.pop_back();
        continue;
      }
      const std::size_t v = detail::index_of(targets[cursor[u]++]);
      if (colour[v] == grey) { // back edge u -> v: the cycle is v .. u on the stack
        const auto from = std::find(stack.begin(), stack.end(), v);
        std::vector<V> cycle;
        for (auto it = from; it != stack.end(); ++it) cycle.push_back(static_cast<V>(*it));
        return cycle;
      }
      if (colour[v] == white) {
        colour[v] = grey;
        cursor[v] = offsets[v];
        stack.push_back(v);
      }
    }
  }
  return std::nullopt;
}

namespace detail {
template <class V>
[[nodiscard]] std::string describe_cycle(const std::vector<V>& cycle) {
  constexpr std::size_t shown = 32;
  std::string text;
  for (std::size_t i = 0; i < cycle.size() && i < shown; ++i) {
    text += std::to_string(cycle[i]);
    text += " -> ";
  }
  if (cycle.size() > shown) text += "... (" + std::to_string(cycle.size() - shown) + " more) -> ";
  text += std::to_string(cycle.front());
  return text;
}
} // namespace detail

/// A topological order of g (every edge u -> v has u before v), or an error of kind
/// errc::cycle whose message names the vertices of one cycle in order, e.g.
/// "the graph has a cycle of 3 vertices: 4 -> 7 -> 2 -> 4" (the first 32 for longer cycles;
/// find_cycle() returns all of them).
///
/// Complexity: O(n + m) (O(n log n + m) with smallest_first), O(n) extra memory; the error path
/// adds O(n + m).
template <adjacency_list G>
[[nodiscard]] expected<std::vector<vertex_t<G>>>
try_topological_sort(const G& g, const topological_sort_options& options = {}) {
  using V = vertex_t<G>;
  const std::size_t n = tessera::num_vertices(g);
  std::vector<std::size_t> in_degree(n, 0);
  for (std::size_t u = 0; u < n; ++u)
    detail::walk_out(g, u, [&](V v) { ++in_degree[detail::index_of(v)]; });
  std::vector<V> order;
  order.reserve(n);
  if (options.smallest_first) {
    std::vector<V> ready; // a min-heap
    const auto after = std::greater<V>();
    for (std::size_t u = 0; u < n; ++u)
      if (in_degree[u] == 0) ready.push_back(static_cast<V>(u));
    std::make_heap(ready.begin(), ready.end(), after);
    while (!ready.empty()) {
      std::pop_heap(ready.begin(), ready.end(), after);
      const V u = ready.back();
      ready.pop_back();
      order.push_back(u);
      detail::walk_out(g, detail::index_of(u), [&](V v) {
        if (--in_degree[detail::index_of(v)] == 0) {
          ready.push_back(v);
          std::push_heap(ready.begin(), ready.end(), after);
        }
      });
    }
  } else {
    for (std::size_t u = 0; u < n; ++u)
      if (in_degree[u] == 0) order.push_back(static_cast<V>(u));
    for (std::size_t head = 0; head < order.size(); ++head)
      detail::walk_out(g, detail::index_of(order[head]), [&](V v) {
        if (--in_degree[detail::index_of(v)] == 0) order.push_back(v);
      });
  }
  if (order.size() == n) return order;
  auto cycle = find_cycle(g);
  TESSERA_ASSERT(cycle.has_value(), "a graph without a topological order has a cycle");
  return make_error(errc::cycle, "the graph has a cycle of " + std::to_string(cycle->size()) +
                                     (cycle->size() == 1 ? " vertex: " : " vertices: ") +
                                     detail::describe_cycle(*cycle));
}

/// Throwing convenience for try_topological_sort: throws tessera::exception (errc::cycle).
template <adjacency_list G>
[[nodiscard]] std::vector<vertex_t<G>>
topological_sort(const G& g, const topological_sort_options& options = {}) {
  auto r = try_topological_sort(g, options);
  if (!r) throw_error(std::move(r).error());
  return std::move(*r);
}

TESSERA_NAMESPACE_END
