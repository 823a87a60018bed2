// tessera internals shared by the neighbourhood kernels (CDLP, LCC, triangle counting,
// betweenness): uniform edge access with fast paths for compressed graphs, a flat CSR scratch
// type, the transpose, the simple undirected closure (sorted, deduplicated, no self loops,
// optionally remembering which directions each edge had), its degree-ordered orientation, and
// triangle listing over that orientation.
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/parallel.hpp>
#include <tessera/graph/concepts.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

TESSERA_NAMESPACE_BEGIN
namespace detail {

/// Calls f(v) for every out-edge u -> v (v as vertex_t<G>), through targets_of() when the graph
/// has contiguous target arrays.
template <adjacency_list G, class F>
inline void for_each_out(const G& g, std::size_t u, F&& f) {
  if constexpr (requires { g.targets_of(u); }) {
    for (const auto v : g.targets_of(u)) f(static_cast<vertex_t<G>>(v));
  } else {
    for (auto&& e : tessera::neighbors(g, u)) f(static_cast<vertex_t<G>>(tessera::target(e)));
  }
}

/// Calls f(v) for every in-edge v -> u of a bidirectional graph.
template <bidirectional_adjacency_list G, class F>
inline void for_each_in(const G& g, std::size_t u, F&& f) {
  for (auto&& e : tessera::in_neighbors(g, u)) f(static_cast<vertex_t<G>>(tessera::target(e)));
}

/// Calls f(v, w) for every weighted out-edge u -> v of weight w.
template <weighted_adjacency_list G, class F>
inline void for_each_weighted_out(const G& g, std::size_t u, F&& f) {
  if constexpr (requires { g.targets_of(u), g.weights_of(u); }) {
    const auto ts = g.targets_of(u);
    const auto ws = g.weights_of(u);
    for (std::size_t i = 0; i < ts.size(); ++i) f(static_cast<vertex_t<G>>(ts[i]), ws[i]);
  } else {
    for (auto&& e : tessera::neighbors(g, u))
      f(static_cast<vertex_t<G>>(tessera::target(e)), tessera::edge_weight(e));
  }
}

/// True when the graph says it is undirected (symmetric storage), e.g. an undirected
/// compressed_graph; graphs that do not say are treated as directed.
template <class G>
[[nodiscard]] constexpr bool known_undirected(const G& g) noexcept {
  if constexpr (requires { g.is_directed(); })
    return !static_cast<bool>(g.is_directed());
  else
    return false;
}

[[nodiscard]] inline std::size_t as_index(std::integral auto v) noexcept {
  return static_cast<std::size_t>(v);
}

/// A flat CSR used as scratch by the kernels: offsets (n + 1) and targets, plus optional
/// per-edge direction flags (bit 0: the row vertex has an edge to the target, bit 1: the target
/// has an edge to the row vertex).
template <class V>
struct flat_adjacency {
  std::vector<std::size_t> offsets{0};
  std::vector<V> targets;
  std::vector<std::uint8_t> flags;

  [[nodiscard]] std::size_t num_vertices() const noexcept { return offsets.size() - 1; }
  [[nodiscard]] std::size_t num_edges() const noexcept { return targets.size(); }
  [[nodiscard]] std::size_t degree(std::size_t u) const noexcept {
    return offsets[u + 1] - offsets[u];
  }
  [[nodiscard]] std::span<const V> targets_of(std::size_t u) const noexcept {
    return {targets.data() + offsets[u], offsets[u + 1] - offsets[u]};
  }
  [[nodiscard]] std::span<const std::uint8_t> flags_of(std::size_t u) const noexcept {
    return {flags.data() + offsets[u], offsets[u + 1] - offsets[u]};
  }
};

/// Exclusive prefix sum of counts[0..n) into offsets[0..n]; returns the total.
inline std::size_t prefix_sum(const std::vector<std::size_t>& counts,
                              std::vector<std::size_t>& offsets) {
  offsets.assign(counts.size() + 1, 0);
  std::size_t sum = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    offsets[i] = sum;
    sum += counts[i];
  }
  offsets[counts.size()] = sum;
  return sum;
}

/// The in-edges of g as a flat CSR (row u lists the sources of u's in-edges, with multiplicity;
/// sorted when `sorted`). Parallel counting sort: O(n + m) work (+ sorting).
template <adjacency_list G>
[[nodiscard]] flat_adjacency<vertex_t<G>> transpose(const G& g, bool sorted) {
  using V = vertex_t<G>;
  const std::size_t n = tessera::num_vertices(g);
  std::vector<std::size_t> count(n, 0);
  parallel_for_chunks(std::size_t{0}, n, [&](std::size_t b, std::size_t e) {
    for (std::size_t u = b; u < e; ++u)
      for_each_out(g, u, [&](V v) {
        std::atomic_ref<std::size_t>(count[as_index(v)]).fetch_add(1, std::memory_order_relaxed);
      });
  });
  flat_adjacency<V> t;
  const std::size_t m = prefix_sum(count, t.offsets);
  t.targets.resize(m);
  std::copy(t.offsets.begin(), t.offsets.end() - 1, count.begin()); // count becomes the cursors
  parallel_for_chunks(std::size_t{0}, n, [&](std::size_t b, std::size_t e) {
    for (std::size_t u = b; u < e; ++u)
      for_each_out(g, u, [&](V v) {
        const std::size_t at = std::atomic_ref<std::size_t>(count[as_index(v)])
                                   .fetch_add(1, std::memory_order_relaxed);
        t.targets[at] = static_cast<V>(u);
      });
  });
  if (sorted)
    parallel_for(
        std::size_t{0}, n,
        [&](std::size_t u) {
          std::sort(t.targets.begin() + static_cast<std::ptrdiff_t>(t.offsets[u]),
                    t.targets.begin() + static_cast<std::ptrdiff_t>(t.offsets[u + 1]));
        },
        256);
  return t;
}

/// The simple undirected graph underlying g: row u holds every v != u joined to u by an edge in
/// either direction, once, in increasing order. With `with_flags`, flags say which directions
/// exist (bit 0: u -> v, bit 1: v -> u). When g is known to be symmetric (`symmetric`), only
/// out-edges are read and every edge gets both bits. O(n + m log(max degree)) work, parallel.
template <adjacency_list G>
[[nodiscard]] flat_adjacency<vertex_t<G>> undirected_closure(const G& g, bool symmetric,
                                                             bool with_flags) {
  using V = vertex_t<G>;
  const std::size_t n = tessera::num_vertices(g);
  flat_adjacency<V> in_edges;
  constexpr bool stored_in = bidirectional_adjacency_list<G>;
  if (!symmetric && !stored_in) in_edges = transpose(g, false);

  // Upper bound per row: out-degree + in-degree; rows are written at these raw offsets, then
  // compacted.
  std::vector<std::size_t> raw(n);
  parallel_for_chunks(std::size_t{0}, n, [&](std::size_t b, std::size_t e) {
    for (std::size_t u = b; u < e; ++u) {
      std::size_t d = tessera::degree(g, u);
      if (!symmetric) {
        if constexpr (stored_in)
          d += static_cast<std::size_t>(std::ranges::distance(tessera::in_neighbors(g, u)));
        else
          d += in_edges.degree(u);
      }
      raw[u] = d;
    }
  });
  std::vector<std::size_t> raw_offsets;
  const std::size_t bound = prefix_sum(raw, raw_offsets);
  std::vector<V> buffer(bound);
  std::vector<std::uint8_t> flag_buffer(with_flags ? bound : 0);

  parallel_for_chunks(
      std::size_t{0}, n,
      [&](std::size_t b, std::size_t e) {
        std::vector<std::pair<V, std::uint8_t>> scratch;
        for (std::size_t u = b; u < e; ++u) {
          scratch.clear();
          const auto self = static_cast<V>(u);
          const std::uint8_t out_bit = symmetric ? 3 : 1;
          for_each_out(g, u, [&](V v) {
            if (v != self) scratch.emplace_back(v, out_bit);
          });
          if (!symmetric) {
            const auto add_in = [&](V v) {
              if (v != self) scratch.emplace_back(v, std::uint8_t{2});
            };
            if constexpr (stored_in)
              for_each_in(g, u, add_in);
            else
              for (const V v : in_edges.targets_of(u)) add_in(v);
          }
          const auto by_target = [](const auto& x, const auto& y) { return x.first < y.first; };
          if (!std::is_sorted(scratch.begin(), scratch.end(), by_target))
            std::sort(scratch.begin(), scratch.end(), by_target);
          std::size_t at = raw_offsets[u];
          const std::size_t first = at;
          for (std::size_t i = 0; i < scratch.size();) {
            const V v = scratch[i].first;
            std::uint8_t f = 0;
            for (; i < scratch.size() && scratch[i].first == v; ++i) f |= scratch[i].second;
            buffer[at] = v;
            if (with_flags) flag_buffer[at] = f;
            ++at;
          }
          raw[u] = at - first;
        }
      },
      256);

  flat_adjacency<V> c;
  const std::size_t m = prefix_sum(raw, c.offsets);
  c.targets.resize(m);
  if (with_flags) c.flags.resize(m);
  parallel_for_chunks(
      std::size_t{0}, n,
      [&](std::size_t b, std::size_t e) {
        for (std::size_t u = b; u < e; ++u) {
          const auto src = static_cast<std::ptrdiff_t>(raw_offsets[u]);
          const auto len = static_cast<std::ptrdiff_t>(raw[u]);
          std::copy(buffer.begin() + src, buffer.begin() + src + len,
                    c.targets.begin() + static_cast<std::ptrdiff_t>(c.offsets[u]));
          if (with_flags)
            std::copy(flag_buffer.begin() + src, flag_buffer.begin() + src + len,
                      c.flags.begin() + static_cast<std::ptrdiff_t>(c.offsets[u]));
        }
      },
      4096);
  return c;
}

/// Keeps each undirected edge once, at its endpoint of lower rank, rank being (degree, id): the
/// degree ordering that bounds every row by O(sqrt(m)) and makes triangle listing
/// O(m^1.5). Rows stay sorted by id; flags stay with their edges.
template <class V>
[[nodiscard]] flat_adjacency<V> orient_by_degree(const flat_adjacency<V>& c) {
  const std::size_t n = c.num_vertices();
  const bool with_flags = !c.flags.empty();
  const auto lower = [&](std::size_t u, std::size_t v) {
    const std::size_t du = c.degree(u), dv = c.degree(v);
    return du < dv || (du == dv && u < v);
  };
  std::vector<std::size_t> count(n);
  parallel_for_chunks(std::size_t{0}, n, [&](std::size_t b, std::size_t e) {
    for (std::size_t u = b; u < e; ++u) {
      std::size_t k = 0;
      for (const V v : c.targets_of(u)) k += static_cast<std::size_t>(lower(u, as_index(v)));
      count[u] = k;
    }
  });
  flat_adjacency<V> d;
  const std::size_t m = prefix_sum(count, d.offsets);
  d.targets.resize(m);
  if (with_flags) d.flags.resize(m);
  parallel_for_chunks(std::size_t{0}, n, [&](std::size_t b, std::size_t e) {
    for (std::size_t u = b; u < e; ++u) {
      std::size_t at = d.offsets[u];
      const auto ts = c.targets_of(u);
      for (std::size_t i = 0; i < ts.size(); ++i) {
        if (!lower(u, as_index(ts[i]))) continue;
        d.targets[at] = ts[i];
        if (with_flags) d.flags[at] = c.flags[c.offsets[u] + i];
        ++at;
      }
    }
  });
  return d;
}

/// Lists every triangle of an oriented graph once: calls on_triangle(state, u, e_uv, e_uw, e_vw)
/// with u the lowest-ranked corner and e_* edge positions (into d.targets / d.flags) of its
/// three edges. Each worker thread owns one `make_state()` (passed to `finish` at its end) and a
/// marker array of n entries: row(u) is marked with positions, then every row(v), v in row(u),
/// is scanned against the marks, which costs |row(v)| random reads of an array that stays in
/// cache rather than a merge of row(u) and row(v) with a mispredicted branch per step.
/// Vertices are handed out in chunks dynamically; on_triangle must be safe to call
/// concurrently for distinct u.
template <class V, class MakeState, class OnTriangle, class Finish>
void for_each_triangle(const flat_adjacency<V>& d, MakeState&& make_state, OnTriangle&& on_triangle,
                       Finish&& finish) {
  const std::size_t n = d.num_vertices();
  constexpr std::size_t chunk = 256;
  const std::size_t workers = std::max<std::size_t>(
      1, std::min(static_cast<std::size_t>(num_threads()), (n + chunk - 1) / chunk));
  std::atomic<std::size_t> next{0};
  parallel_for_chunks(
      std::size_t{0}, workers,
      [&](std::size_t wb, std::size_t we) {
        for (std::size_t worker = wb; worker < we; ++worker) {
          auto state = make_state();
          // mark[w] = 1 + position of w in row(u), 0 when w is not in row(u).
          std::vector<std::uint32_t> mark(n, 0);
          for (;;) {
            const std::size_t b = next.fetch_add(chunk, std::memory_order_relaxed);
            if (b >= n) break;
            const std::size_t e = std::min(n, b + chunk);
            for (std::size_t u = b; u < e; ++u) {
              const auto nu = d.targets_of(u);
              if (nu.size() < 2) continue;
              const std::size_t base_u = d.offsets[u];
              for (std::size_t i = 0; i < nu.size(); ++i)
                mark[as_index(nu[i])] = static_cast<std::uint32_t>(i + 1);
              for (std::size_t k = 0; k < nu.size(); ++k) {
                const std::size_t v = as_index(nu[k]);
                const std::size_t base_v = d.offsets[v];
                const auto nv = d.targets_of(v);
                for (std::size_t j = 0; j < nv.size(); ++j) {
                  const std::uint32_t at = mark[as_index(nv[j])];
                  if (at != 0) on_triangle(state, u, base_u + k, base_u + at - 1, base_v + j);
                }
              }
              for (const V w : nu) mark[as_index(w)] = 0;
            }
          }
          finish(state);
        }
      },
      1);
}

/// Counts the triangles of an oriented graph (each once), with a bitmap of row(u) per worker.
template <class V>
[[nodiscard]] std::uint64_t count_triangles(const flat_adjacency<V>& d) {
  const std::size_t n = d.num_vertices();
  constexpr std::size_t chunk = 256;
  const std::size_t workers = std::max<std::size_t>(
      1, std::min(static_cast<std::size_t>(num_threads()), (n + chunk - 1) / chunk));
  std::atomic<std::size_t> next{0};
  std::atomic<std::uint64_t> total{0};
  parallel_for_chunks(
      std::size_t{0}, workers,
      [&](std::size_t wb, std::size_t we) {
        for (std::size_t worker = wb; worker < we; ++worker) {
          std::vector<std::uint64_t> bits((n + 63) / 64, 0);
          std::uint64_t local = 0;
          for (;;) {
            const std::size_t b = next.fetch_add(chunk, std::memory_order_relaxed);
            if (b >= n) break;
            const std::size_t e = std::min(n, b + chunk);
            for (std::size_t u = b; u < e; ++u) {
              const auto nu = d.targets_of(u);
              if (nu.size() < 2) continue;
              for (const V w : nu) bits[as_index(w) >> 6] |= std::uint64_t{1} << (as_index(w) & 63);
              for (const V v : nu)
                for (const V w : d.targets_of(as_index(v)))
                  local += (bits[as_index(w) >> 6] >> (as_index(w) & 63)) & 1;
              for (const V w : nu) bits[as_index(w) >> 6] = 0;
            }
          }
          total.fetch_add(local, std::memory_order_relaxed);
        }
      },
      1);
  return total.load();
}

} // namespace detail
TESSERA_NAMESPACE_END
