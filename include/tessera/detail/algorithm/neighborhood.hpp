// tessera internals shared by the neighbourhood kernels (CDLP, LCC, triangle counting): a flat
// CSR scratch type, the simple undirected closure (sorted, deduplicated, no self loops,
// optionally remembering which directions each edge had), its degree-ordered orientation, and
// triangle listing over that orientation.
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/parallel.hpp>
#include <tessera/detail/algorithm/graph_access.hpp>
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

/// The simple undirected graph underlying g: row u holds every v != u joined to u by an edge in
/// either direction, once, in increasing order. With `with_flags`, flags say which directions
/// exist (bit 0: u -> v, bit 1: v -> u). When g is known to be symmetric (`symmetric`), only
/// out-edges are read and every edge gets both bits. O(n + m log(max degree)) work, parallel.
template <adjacency_list G>
[[nodiscard]] flat_adjacency<vertex_t<G>> undirected_closure(const G& g, bool symmetric,
                                                             bool with_flags) {
  using V = vertex_t<G>;
  const std::size_t n = tessera::num_vertices(g);
  transposed_csr<V, char> in_edges;
  constexpr bool stored_in = bidirectional_adjacency_list<G>;
  if (!symmetric && !stored_in) in_edges = transpose_edges<G, char>(g, false);

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
          walk_out(g, u, [&](V v) {
            if (v != self) scratch.emplace_back(v, out_bit);
          });
          if (!symmetric) {
            const auto add_in = [&](V v) {
              if (v != self) scratch.emplace_back(v, std::uint8_t{2});
            };
            if constexpr (stored_in)
              walk_in(g, u, add_in);
            else
              for (const V v : in_edges.sources_of(u)) add_in(v);
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
      for (const V v : c.targets_of(u)) k += static_cast<std::size_t>(lower(u, index_of(v)));
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
        if (!lower(u, index_of(ts[i]))) continue;
        d.targets[at] = ts[i];
        if (with_flags) d.flags[at] = c.flags[c.offsets[u] + i];
        ++at;
      }
    }
  });
  return d;
}

/// Runs body(state, u) for every u in [0, n), one worker per thread taking chunks of 256
/// vertices dynamically (triangle work per vertex is skewed); each worker makes its own state
/// with make_state() and hands it to finish() at its end.
template <class MakeState, class Body, class Finish>
void for_each_vertex_dynamic(std::size_t n, MakeState&& make_state, Body&& body, Finish&& finish) {
  constexpr std::size_t chunk = 256;
  const std::size_t workers = std::max<std::size_t>(
      1, std::min(static_cast<std::size_t>(num_threads()), (n + chunk - 1) / chunk));
  std::atomic<std::size_t> next{0};
  parallel_for_chunks(
      std::size_t{0}, workers,
      [&](std::size_t wb, std::size_t we) {
        for (std::size_t worker = wb; worker < we; ++worker) {
          auto state = make_state();
          for (;;) {
            const std::size_t b = next.fetch_add(chunk, std::memory_order_relaxed);
            if (b >= n) break;
            for (std::size_t u = b, e = std::min(n, b + chunk); u < e; ++u) body(state, u);
          }
          finish(state);
        }
      },
      1);
}

/// Lists every triangle of an oriented graph once: calls on_triangle(state, u, e_uv, e_uw, e_vw)
/// with u the lowest-ranked corner and e_* edge positions (into d.targets / d.flags) of its
/// three edges. Each worker thread owns one `make_state()` (passed to `finish` at its end) and a
/// marker array of n entries: row(u) is marked with positions, then every row(v), v in row(u),
/// is scanned against the marks, which costs |row(v)| random reads of an array that stays in
/// cache rather than a merge of row(u) and row(v) with a mispredicted branch per step.
/// on_triangle must be safe to call concurrently for distinct u.
template <class V, class MakeState, class OnTriangle, class Finish>
void for_each_triangle(const flat_adjacency<V>& d, MakeState&& make_state, OnTriangle&& on_triangle,
                       Finish&& finish) {
  const std::size_t n = d.num_vertices();
  struct worker {
    decltype(make_state()) state;
    std::vector<std::uint32_t> mark; // 1 + position of w in row(u), 0 when w is not in row(u)
  };
  for_each_vertex_dynamic(
      n,
      [&] {
        return worker{make_state(), std::vector<std::uint32_t>(n, 0)};
      },
      [&](worker& w, std::size_t u) {
        const auto nu = d.targets_of(u);
        if (nu.size() < 2) return;
        const std::size_t base_u = d.offsets[u];
        for (std::size_t i = 0; i < nu.size(); ++i)
          w.mark[index_of(nu[i])] = static_cast<std::uint32_t>(i + 1);
        for (std::size_t k = 0; k < nu.size(); ++k) {
          const std::size_t v = index_of(nu[k]);
          const std::size_t base_v = d.offsets[v];
          const auto nv = d.targets_of(v);
          for (std::size_t j = 0; j < nv.size(); ++j) {
            const std::uint32_t at = w.mark[index_of(nv[j])];
            if (at != 0) on_triangle(w.state, u, base_u + k, base_u + at - 1, base_v + j);
          }
        }
        for (const V x : nu) w.mark[index_of(x)] = 0;
      },
      [&](worker& w) { finish(w.state); });
}

/// Counts the triangles of an oriented graph (each once), with a bitmap of row(u) per worker.
template <class V>
[[nodiscard]] std::uint64_t count_triangles(const flat_adjacency<V>& d) {
  const std::size_t n = d.num_vertices();
  struct worker {
    std::vector<std::uint64_t> bits;
    std::uint64_t count = 0;
  };
  std::atomic<std::uint64_t> total{0};
  for_each_vertex_dynamic(
      n,
      [&] {
        return worker{std::vector<std::uint64_t>((n + 63) / 64, 0), 0};
      },
      [&](worker& w, std::size_t u) {
        const auto nu = d.targets_of(u);
        if (nu.size() < 2) return;
        for (const V x : nu) w.bits[index_of(x) >> 6] |= std::uint64_t{1} << (index_of(x) & 63);
        for (const V v : nu)
          for (const V x : d.targets_of(index_of(v)))
            w.count += (w.bits[index_of(x) >> 6] >> (index_of(x) & 63)) & 1;
        for (const V x : nu) w.bits[index_of(x) >> 6] = 0;
      },
      [&](worker& w) { total.fetch_add(w.count, std::memory_order_relaxed); });
  return total.load();
}

} // namespace detail
TESSERA_NAMESPACE_END
