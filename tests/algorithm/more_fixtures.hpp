// Fixtures for the CDLP / LCC / triangle / betweenness / topological sort tests: tiny CSR
// construction from edge lists, a deterministic random graph, and the LDBC output reader.
#pragma once

#include <tessera/core/aligned_buffer.hpp>
#include <tessera/detail/core/random.hpp>
#include <tessera/graph/compressed_graph.hpp>
#include <tessera/graph/read.hpp>

#include <doctest/doctest.h>

#include "support/shared_data.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace more_fixtures {

struct edge {
  std::size_t u, v;
  double w = 1.0;
};

/// A CSR of the edges in the given order (stable), via compressed_graph::from_arrays.
template <class V, class W = void>
tessera::compressed_graph<V, std::uint64_t, W>
make_csr(std::size_t n, const std::vector<edge>& edges,
         tessera::graph_direction dir = tessera::graph_direction::directed) {
  tessera::aligned_buffer<std::uint64_t> offsets(n + 1);
  for (std::size_t i = 0; i <= n; ++i) offsets[i] = 0;
  for (const auto& e : edges) ++offsets[e.u + 1];
  for (std::size_t i = 0; i < n; ++i) offsets[i + 1] += offsets[i];
  std::vector<std::uint64_t> cursor(offsets.begin(), offsets.end());
  tessera::aligned_buffer<V> targets(edges.size());
  if constexpr (std::is_void_v<W>) {
    for (const auto& e : edges) targets[cursor[e.u]++] = static_cast<V>(e.v);
    return tessera::compressed_graph<V, std::uint64_t, W>::from_arrays(std::move(offsets),
                                                                       std::move(targets), dir)
        .value();
  } else {
    tessera::aligned_buffer<W> weights(edges.size());
    for (const auto& e : edges) {
      weights[cursor[e.u]] = static_cast<W>(e.w);
      targets[cursor[e.u]++] = static_cast<V>(e.v);
    }
    return tessera::compressed_graph<V, std::uint64_t, W>::from_arrays(
               std::move(offsets), std::move(targets), std::move(weights), dir)
        .value();
  }
}

/// Both directions of every edge (an undirected graph stored symmetrically).
inline std::vector<edge> symmetric(const std::vector<edge>& edges) {
  std::vector<edge> out;
  for (const auto& e : edges) {
    out.push_back(e);
    out.push_back({e.v, e.u, e.w});
  }
  return out;
}

/// The library's fixed generator, so the random graphs are the same everywhere.
struct rng : tessera::detail::splitmix64 {
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
};

/// m random edges on n vertices (self loops and duplicates possible), integer weights 1..9.
inline std::vector<edge> random_edges(std::size_t n, std::size_t m, std::uint64_t seed) {
  rng r{{seed}};
  std::vector<edge> edges;
  for (std::size_t i = 0; i < m; ++i)
    edges.push_back({r.below(n), r.below(n), static_cast<double>(1 + r.below(9))});
  return edges;
}

/// "id value" lines into a map.
template <class T>
std::map<std::int64_t, T> read_ldbc_output(const std::filesystem::path& path) {
  std::ifstream in(path);
  REQUIRE(in);
  std::map<std::int64_t, T> out;
  std::int64_t id = 0;
  T value{};
  while (in >> id >> value) out[id] = value;
  return out;
}

/// An LDBC validation case read with tessera's own reader: `input` is an adjacency file
/// (`*-input`) or, with `ldbc_prefix`, the PREFIX of .v/.e files; `expected` names the output
/// file. Empty when ../shared/data is absent (shared_data() says so visibly).
template <class V>
struct ldbc_case {
  tessera::loaded_graph<V> loaded;
  std::filesystem::path expected;
};
template <class V>
std::optional<ldbc_case<V>> load_ldbc_case(const std::string& input, const std::string& expected,
                                           bool directed, bool ldbc_prefix) {
  const auto in =
      tessera_test::shared_data("graphs/ldbc-graphalytics/" + input + (ldbc_prefix ? ".v" : ""));
  const auto out = tessera_test::shared_data("graphs/ldbc-graphalytics/" + expected);
  if (!in || !out) return std::nullopt;
  const auto dir =
      directed ? tessera::graph_direction::directed : tessera::graph_direction::undirected;
  auto loaded = tessera::try_load_graph<V>(in->string(),
                                           ldbc_prefix ? tessera::graph_format::ldbc
                                                       : tessera::graph_format::adjacency_list,
                                           {.direction = dir});
  REQUIRE(loaded.has_value());
  CHECK(loaded->graph.is_directed() == directed);
  return ldbc_case<V>{std::move(*loaded), *out};
}

} // namespace more_fixtures
