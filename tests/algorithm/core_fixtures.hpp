// Fixtures for the BFS / DFS / SSSP / PageRank / components tests: edge lists, CSR and
// vector-of-vectors graphs built from them, deterministic random graphs, and a reader of the
// LDBC Graphalytics validation files (adjacency form `v n1 n2 ...`, `.v`/`.e` edge files).
#pragma once

#include <tessera/core/aligned_buffer.hpp>
#include <tessera/graph/compressed_graph.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace core_fixtures {

struct edge {
  std::size_t u, v;
  double w = 1.0;
};

struct edge_list {
  std::size_t n = 0;
  std::vector<edge> edges;
};

/// A deterministic random multigraph (self loops and duplicates possible), weights in [1, 100].
inline edge_list random_edges(std::size_t n, std::size_t m, std::uint64_t seed,
                              bool integer_weights = true) {
  std::mt19937_64 rng(seed);
  edge_list el{n, {}};
  if (n == 0) return el;
  std::uniform_int_distribution<std::size_t> pick(0, n - 1);
  std::uniform_int_distribution<int> wi(1, 100);
  std::uniform_real_distribution<double> wr(0.0, 10.0);
  for (std::size_t i = 0; i < m; ++i) {
    const std::size_t u = pick(rng), v = pick(rng);
    el.edges.push_back({u, v, integer_weights ? static_cast<double>(wi(rng)) : wr(rng)});
  }
  return el;
}

/// Both directions of every edge.
inline edge_list symmetrize(const edge_list& el) {
  edge_list s{el.n, {}};
  for (const edge& e : el.edges) {
    s.edges.push_back(e);
    if (e.u != e.v) s.edges.push_back({e.v, e.u, e.w});
  }
  return s;
}

inline edge_list reversed(const edge_list& el) {
  edge_list r{el.n, {}};
  for (const edge& e : el.edges) r.edges.push_back({e.v, e.u, e.w});
  return r;
}

/// A CSR of the edges, stable order within each row.
template <class V, class W = void>
tessera::compressed_graph<V, std::uint64_t, W>
make_csr(const edge_list& el, tessera::graph_direction dir = tessera::graph_direction::directed) {
  tessera::aligned_buffer<std::uint64_t> off(el.n + 1);
  for (std::size_t i = 0; i <= el.n; ++i) off[i] = 0;
  for (const edge& e : el.edges) ++off[e.u + 1];
  for (std::size_t i = 0; i < el.n; ++i) off[i + 1] += off[i];
  std::vector<std::uint64_t> pos(off.begin(), off.begin() + static_cast<std::ptrdiff_t>(el.n));
  tessera::aligned_buffer<V> t(el.edges.size());
  if constexpr (std::is_void_v<W>) {
    for (const edge& e : el.edges) t[pos[e.u]++] = static_cast<V>(e.v);
    return tessera::compressed_graph<V, std::uint64_t, W>::from_arrays(std::move(off), std::move(t),
                                                                       dir)
        .value();
  } else {
    tessera::aligned_buffer<W> w(el.edges.size());
    for (const edge& e : el.edges) {
      const auto p = pos[e.u]++;
      t[p] = static_cast<V>(e.v);
      w[p] = static_cast<W>(e.w);
    }
    return tessera::compressed_graph<V, std::uint64_t, W>::from_arrays(std::move(off), std::move(t),
                                                                       std::move(w), dir)
        .value();
  }
}

template <class V, class W = void>
tessera::bidirectional_graph<V, std::uint64_t, W> make_bidirectional(const edge_list& el) {
  return tessera::bidirectional_graph<V, std::uint64_t, W>(make_csr<V, W>(el),
                                                           make_csr<V, W>(reversed(el)));
}

template <class V>
std::vector<std::vector<V>> make_vv(const edge_list& el) {
  std::vector<std::vector<V>> g(el.n);
  for (const edge& e : el.edges) g[e.u].push_back(static_cast<V>(e.v));
  return g;
}

template <class V, class W>
std::vector<std::vector<std::pair<V, W>>> make_weighted_vv(const edge_list& el) {
  std::vector<std::vector<std::pair<V, W>>> g(el.n);
  for (const edge& e : el.edges) g[e.u].emplace_back(static_cast<V>(e.v), static_cast<W>(e.w));
  return g;
}

/// An LDBC validation graph with its external ids mapped to 0 .. n - 1 in increasing order.
struct ldbc_graph {
  std::vector<std::int64_t> ids; // dense -> external, sorted
  std::map<std::int64_t, std::size_t> index;
  edge_list el;
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  REQUIRE_MESSAGE(in.good(), "cannot open " << p.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void index_ids(ldbc_graph& g) {
  std::sort(g.ids.begin(), g.ids.end());
  g.ids.erase(std::unique(g.ids.begin(), g.ids.end()), g.ids.end());
  for (std::size_t i = 0; i < g.ids.size(); ++i) g.index[g.ids[i]] = i;
  g.el.n = g.ids.size();
}

/// Adjacency form: each line `v n1 n2 ...` (every vertex has a line).
inline ldbc_graph read_adjacency(const std::filesystem::path& p) {
  ldbc_graph g;
  std::vector<std::pair<std::int64_t, std::int64_t>> raw;
  std::istringstream lines(slurp(p));
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream ls(line);
    std::int64_t v = 0, w = 0;
    if (!(ls >> v)) continue;
    g.ids.push_back(v);
    while (ls >> w) raw.emplace_back(v, w), g.ids.push_back(w);
  }
  index_ids(g);
  for (auto [a, b] : raw) g.el.edges.push_back({g.index[a], g.index[b], 1.0});
  return g;
}

/// `.v` (one id per line) and `.e` (`src dst [weight]`) files.
inline ldbc_graph read_vertex_edge(const std::filesystem::path& v, const std::filesystem::path& e) {
  ldbc_graph g;
  std::istringstream vs(slurp(v));
  std::int64_t id = 0;
  while (vs >> id) g.ids.push_back(id);
  index_ids(g);
  std::istringstream es(slurp(e));
  std::string line;
  while (std::getline(es, line)) {
    std::istringstream ls(line);
    std::int64_t a = 0, b = 0;
    double w = 1.0;
    if (!(ls >> a >> b)) continue;
    if (!(ls >> w)) w = 1.0;
    g.el.edges.push_back({g.index.at(a), g.index.at(b), w});
  }
  return g;
}

/// Expected output: `id value` lines; value as text (for "infinity" / 9223372036854775807).
inline std::map<std::int64_t, std::string> read_output(const std::filesystem::path& p) {
  std::map<std::int64_t, std::string> out;
  std::istringstream lines(slurp(p));
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream ls(line);
    std::int64_t v = 0;
    std::string value;
    if (ls >> v >> value) out[v] = value;
  }
  return out;
}

} // namespace core_fixtures
