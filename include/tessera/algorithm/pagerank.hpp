// tessera: PageRank by pull-based power iteration, with its semantics pinned down: damping,
// normalisation (ranks start at 1/n and sum to 1 unless dangling mass is dropped), the dangling
// policy, the stopping rule (L1 tolerance with an iteration cap, or a fixed iteration count),
// personalization and edge weights.
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/core/parallel.hpp>
#include <tessera/detail/algorithm/graph_access.hpp>
#include <tessera/detail/core/huge_pages.hpp>
#include <tessera/graph/concepts.hpp>

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

TESSERA_NAMESPACE_BEGIN

/// Where the rank of vertices without out-edges (out-weight 0) goes each iteration.
enum class dangling_policy : std::uint8_t {
  uniform,         ///< spread evenly over all vertices (LDBC Graphalytics, igraph, networkx)
  personalization, ///< spread as the personalization vector (networkx with personalization)
  drop,            ///< lost: ranks sum to less than 1 (GAP, Boost.Graph)
};

/// Options of pagerank().
struct pagerank_options {
  double damping = 0.85; ///< probability of following an edge; in [0, 1]
  /// Stop once the L1 norm of the change of the rank vector falls below this.
  double tolerance = 1e-6;
  std::size_t max_iterations = 100; ///< cap when stopping by tolerance
  /// If non-zero, run exactly this many iterations (as LDBC does), whatever the change.
  std::size_t fixed_iterations = 0;
  dangling_policy dangling = dangling_policy::uniform;
  /// Teleport distribution (one non-negative value per vertex, normalised here); empty: uniform.
  std::span<const double> personalization{};
  /// Follow edges in proportion to their weight (weighted graphs only); otherwise each edge
  /// counts once (multi-edges count as many times as they are stored).
  bool use_weights = false;
  /// The caller promises every edge is stored both ways, so out-edges serve as in-edges.
  /// tessera's compressed_graph with direction() undirected says so itself.
  bool symmetric = false;
};

/// The result of pagerank(). `converged` says whether the last iteration changed the ranks by
/// less than the tolerance in L1; `residual` is that change.
template <std::floating_point R>
struct pagerank_result {
  std::vector<R> rank;
  std::size_t iterations = 0;
  bool converged = false;
  double residual = 0;
};

namespace detail {

// In-edges held as raw CSR arrays.
template <class R, class O, class S, class W>
struct pull_arrays {
  const O* offsets;
  const S* sources;
  const W* weights; // null: unweighted
};

template <class R>
struct pr_state {
  // rank is updated in place (no vertex reads another's rank); contributions rank / out-weight
  // are double-buffered, as every vertex of an iteration must pull the previous ones.
  std::vector<R> rank, contrib, contrib_next, inv_out; // inv_out 0 for dangling vertices
  std::vector<R> base, share;                          // empty: uniform values below
  std::vector<R> partial; // a vertex's sum over the source segments done so far
  R base_uniform = 0, share_uniform = 0;
};

// Source segments. Pulling contrib[source] is a random read into n values: once they outgrow
// the core's L2 cache, most reads miss it and wait on the shared cache (about two thirds of an
// iteration's time). With the in-edges copied once into segments by source range (each a CSR of
// its own), an iteration makes one pass per segment and the values it pulls fit in L2; a
// vertex's sum carries over from one pass to the next in `partial`. Within a segment edges keep
// their order, so when in-edge lists are sorted by source the sum is taken in the same order as
// without segments and the ranks are the same to the bit (deterministic either way). Each pass
// streams the per-vertex arrays again, so segments pay only on graphs of some average degree,
// for runs of several iterations, and there are at most pr_max_segments of them.
inline constexpr std::size_t pr_segment_bytes = std::size_t{2} << 20;
inline constexpr std::size_t pr_max_segments = 4;
inline constexpr std::size_t pr_min_degree_per_segment = 4;
inline constexpr std::size_t pr_min_iterations_to_segment = 8;

template <class S>
struct pr_segments {
  std::size_t count = 1; // 1: no segments
  int shift = 0;         // source s lies in segment s >> shift
  // Segment k: vertex v's in-edges are sources[first[k] + offsets[k * (n + 1) + v] ...
  // first[k] + offsets[k * (n + 1) + v + 1]).
  // Not value-initialised (every element is written before it is read): zeroing them first
  // cost as much as filling them.
  std::unique_ptr<std::uint32_t[]> offsets;
  std::vector<std::size_t> first;
  std::unique_ptr<S[]> sources;
};

// Segments of about segment_bytes of pulled values each for n vertices and their in-edges, to be
// pulled over `iterations` iterations, or count 1 where they would not pay.
template <class R, class O, class S>
[[nodiscard]] pr_segments<S> pr_make_segments(std::size_t n, const O* offsets, const S* sources,
                                              std::size_t iterations,
                                              std::size_t segment_bytes = pr_segment_bytes) {
  pr_segments<S> seg;
  const std::size_t m = static_cast<std::size_t>(offsets[n]);
  const std::size_t per = std::max<std::size_t>(segment_bytes / sizeof(R), 1);
  if (n <= per || iterations < pr_min_iterations_to_segment || m > UINT32_MAX) return seg;
  const std::size_t want = std::min((n + per - 1) / per, pr_max_segments);
  if (m / n < pr_min_degree_per_segment * want) return seg;
  while ((std::size_t{1} << seg.shift) * want < n) ++seg.shift;
  seg.count = ((n - 1) >> seg.shift) + 1;
  const std::size_t stride = n + 1, count = seg.count;
  const int shift = seg.shift;
  seg.offsets.reset(new std::uint32_t[count * stride]);
  std::uint32_t* off = seg.offsets.get();
  advise_huge_pages(off, count * stride * sizeof(std::uint32_t));
  seg.first.assign(count + 1, 0);
  seg.sources.reset(new S[m]);
  S* out = seg.sources.get();
  advise_huge_pages(out, m * sizeof(S));
  // Per vertex and segment, the edges in it, at offsets[k * stride + v + 1]: a branch-free
  // count of the sources below each boundary (faster than a binary search on short lists).
  parallel_for_chunks(
      std::size_t{0}, n,
      [&](std::size_t b, std::size_t e) {
        for (std::size_t v = b; v < e; ++v) {
          const auto eb = static_cast<std::size_t>(offsets[v]);
          const auto ee = static_cast<std::size_t>(offsets[v + 1]);
          std::size_t prev = 0;
          for (std::size_t k = 0; k < count; ++k) {
            std::size_t upto = ee - eb;
            if (k + 1 < count) {
              const std::size_t bound = (k + 1) << shift;
              upto = 0;
              for (std::size_t i = eb; i < ee; ++i) upto += index_of(sources[i]) < bound;
            }
            off[k * stride + v + 1] = static_cast<std::uint32_t>(upto - prev);
            prev = upto;
          }
        }
      },
      4096);
  for (std::size_t k = 0; k < count; ++k) {
    std::uint32_t* o = off + k * stride;
    o[0] = 0;
    for (std::size_t v = 0; v < n; ++v) o[v + 1] += o[v];
    seg.first[k + 1] = seg.first[k] + o[n];
  }
  // Each segment's edges of v, in their order. Lists are usually sorted by source (a build
  // with sort_neighbors, a transpose), and then a segment's edges are a run of the list.
  parallel_for_chunks(
      std::size_t{0}, n,
      [&](std::size_t b, std::size_t e) {
        for (std::size_t v = b; v < e; ++v) {
          const auto eb = static_cast<std::size_t>(offsets[v]);
          const auto ee = static_cast<std::size_t>(offsets[v + 1]);
          bool sorted = true;
          for (std::size_t i = eb + 1; i < ee; ++i)
            sorted &= index_of(sources[i - 1]) <= index_of(sources[i]);
          std::size_t i = eb;
          for (std::size_t k = 0; k < count; ++k) {
            S* to = out + seg.first[k] + off[k * stride + v];
            if (sorted) {
              const std::size_t end = i + (off[k * stride + v + 1] - off[k * stride + v]);
              for (; i < end; ++i) *to++ = sources[i];
            } else {
              for (std::size_t j = eb; j < ee; ++j)
                if ((index_of(sources[j]) >> shift) == k) *to++ = sources[j];
            }
          }
        }
      },
      4096);
  return seg;
}

// One iteration: pull contributions (segment by segment when there are segments), update rank
// in place, write the next contributions, and return (L1 change, rank of dangling vertices).
template <class R, class O, class S, class W>
std::pair<double, double> pr_iterate(std::size_t n, pull_arrays<R, O, S, W> in,
                                     const pr_segments<S>& seg, pr_state<R>& st, R damping,
                                     R dangling_rank) {
  struct acc {
    double l1 = 0, dangling = 0;
  };
  const R* contrib = st.contrib.data();
  R* contrib_next = st.contrib_next.data();
  R* rank = st.rank.data();
  R* partial = st.partial.data();
  const R* inv_out = st.inv_out.data();
  const R* base = st.base.empty() ? nullptr : st.base.data();
  const R* share = st.share.empty() ? nullptr : st.share.data();
  const R dangling_term = damping * dangling_rank;
  const std::size_t last = seg.count - 1;
  // The in-edges of v in the last (or only) segment, added to `sum`.
  const auto gather_last = [&](R sum, std::size_t v) {
    if (last > 0) {
      const std::uint32_t* o = seg.offsets.get() + last * (n + 1);
      const S* src = seg.sources.get() + seg.first[last];
      for (std::size_t i = o[v]; i < o[v + 1]; ++i) sum += contrib[index_of(src[i])];
    } else if (in.weights) {
      for (auto i = static_cast<std::size_t>(in.offsets[v]);
           i < static_cast<std::size_t>(in.offsets[v + 1]); ++i)
        sum += contrib[index_of(in.sources[i])] * static_cast<R>(in.weights[i]);
    } else {
      for (auto i = static_cast<std::size_t>(in.offsets[v]);
           i < static_cast<std::size_t>(in.offsets[v + 1]); ++i)
        sum += contrib[index_of(in.sources[i])];
    }
    return sum;
  };
  for (std::size_t k = 0; k < last; ++k) {
    const std::uint32_t* o = seg.offsets.get() + k * (n + 1);
    const S* src = seg.sources.get() + seg.first[k];
    parallel_for_chunks(
        std::size_t{0}, n,
        [&](std::size_t b, std::size_t e) {
          for (std::size_t v = b; v < e; ++v) {
            R sum = k == 0 ? R(0) : partial[v];
            for (std::size_t i = o[v]; i < o[v + 1]; ++i) sum += contrib[index_of(src[i])];
            partial[v] = sum;
          }
        },
        1 << 12);
  }
  const acc a = parallel_reduce(
      std::size_t{0}, n, acc{},
      [&](acc& x, std::size_t b, std::size_t e) {
        for (std::size_t v = b; v < e; ++v) {
          const R sum = gather_last(last == 0 ? R(0) : partial[v], v);
          const R r = (base ? base[v] : st.base_uniform) + damping * sum +
                      dangling_term * (share ? share[v] : st.share_uniform);
          contrib_next[v] = r * inv_out[v];
          if (inv_out[v] == R(0)) x.dangling += static_cast<double>(r);
          x.l1 += std::abs(static_cast<double>(r) - static_cast<double>(rank[v]));
          rank[v] = r;
        }
      },
      [](acc x, const acc& y) {
        return acc{x.l1 + y.l1, x.dangling + y.dangling};
      },
      1 << 12);
  return {a.l1, a.dangling};
}

template <std::floating_point R, adjacency_list G>
expected<pagerank_result<R>> pagerank_impl(const G& g, const pagerank_options& opt) {
  using V = vertex_t<G>;
  const std::size_t n = tessera::num_vertices(g);
  const auto fail = [](std::string m) { return make_error(errc::invalid_argument, std::move(m)); };
  if (!(opt.damping >= 0 && opt.damping <= 1)) return fail("damping must lie in [0, 1]");
  if (opt.fixed_iterations == 0 && !(opt.tolerance >= 0))
    return fail("tolerance must be non-negative");
  if (!opt.personalization.empty() && opt.personalization.size() != n)
    return fail("personalization has " + std::to_string(opt.personalization.size()) +
                " values for " + std::to_string(n) + " vertices");
  if (opt.use_weights && !weighted_adjacency_list<G>)
    return fail("use_weights needs a weighted graph");

  pagerank_result<R> res;
  if (n == 0) {
    res.converged = true;
    return res;
  }

  // Personalization, normalised to sum 1.
  pr_state<R> st;
  const auto d = static_cast<R>(opt.damping);
  const R uniform = R(1) / static_cast<R>(n);
  if (!opt.personalization.empty()) {
    double total = 0;
    for (const double p : opt.personalization) {
      if (!(p >= 0) || !std::isfinite(p))
        return fail("personalization values must be finite and non-negative");
      total += p;
    }
    if (!(total > 0)) return fail("personalization values sum to zero");
    st.base.resize(n);
    for (std::size_t v = 0; v < n; ++v)
      st.base[v] = static_cast<R>((1 - opt.damping) * opt.personalization[v] / total);
    if (opt.dangling == dangling_policy::personalization) {
      st.share.resize(n);
      for (std::size_t v = 0; v < n; ++v)
        st.share[v] = static_cast<R>(opt.personalization[v] / total);
    }
  } else {
    st.base_uniform = (R(1) - d) * uniform;
  }
  if (opt.dangling == dangling_policy::uniform ||
      (opt.dangling == dangling_policy::personalization && opt.personalization.empty()))
    st.share_uniform = uniform;

  // Out-weights (or out-degrees), inverted once.
  st.inv_out.assign(n, R(0));
  bool bad_weight = false;
  parallel_for(
      std::size_t{0}, n,
      [&](std::size_t u) {
        double w = 0;
        if constexpr (weighted_adjacency_list<G>) {
          if (opt.use_weights) {
            walk_out_weighted(g, u, [&](V, auto x) {
              if (!(static_cast<double>(x) >= 0)) atomic_store(bad_weight, true);
              w += static_cast<double>(x);
            });
          } else {
            w = static_cast<double>(out_degree(g, u));
          }
        } else {
          w = static_cast<double>(out_degree(g, u));
        }
        st.inv_out[u] = w > 0 ? static_cast<R>(1 / w) : R(0);
      },
      4096);
  if (bad_weight) return fail("PageRank weights must be non-negative");

  st.rank.assign(n, uniform);
  st.contrib.resize(n);
  st.contrib_next.assign(n, R(0));
  double dangling = 0;
  for (std::size_t u = 0; u < n; ++u) {
    st.contrib[u] = st.rank[u] * st.inv_out[u];
    if (st.inv_out[u] == R(0)) dangling += static_cast<double>(st.rank[u]);
  }
  const bool spread = opt.dangling != dangling_policy::drop;

  const auto run = [&](auto in) {
    const std::size_t cap = opt.fixed_iterations ? opt.fixed_iterations : opt.max_iterations;
    pr_segments<std::remove_cvref_t<decltype(*in.sources)>> seg;
    if (in.weights == nullptr) seg = pr_make_segments<R>(n, in.offsets, in.sources, cap);
    if (seg.count > 1) st.partial.resize(n);
    for (std::size_t it = 0; it < cap; ++it) {
      const auto [l1, dangling_next] =
          pr_iterate(n, in, seg, st, d, spread ? static_cast<R>(dangling) : R(0));
      st.contrib.swap(st.contrib_next);
      dangling = dangling_next;
      res.iterations = it + 1;
      res.residual = l1;
      res.converged = l1 < opt.tolerance;
      if (opt.fixed_iterations == 0 && res.converged) break;
    }
  };

  // In-edges as raw arrays: stored in-edges, the out-edges of a symmetric graph, or a transpose.
  const bool symmetric = opt.symmetric || reports_undirected(g);
  (void)symmetric;
  bool done = false;
  if constexpr (in_csr_arrays<G>) {
    const auto& in = g.in();
    using IG = std::remove_cvref_t<decltype(in)>;
    if constexpr (weighted_csr_arrays<IG>) {
      if (opt.use_weights) {
        run(pull_arrays<R, std::remove_cvref_t<decltype(*in.offsets().data())>, V,
                        std::remove_cvref_t<decltype(*in.weights().data())>>{
            in.offsets().data(), in.targets().data(), in.weights().data()});
        done = true;
      }
    }
    if (!done && !opt.use_weights) {
      run(pull_arrays<R, std::remove_cvref_t<decltype(*in.offsets().data())>, V, R>{
          in.offsets().data(), in.targets().data(), nullptr});
      done = true;
    }
  }
  if constexpr (csr_arrays<G>) {
    if (!done && symmetric) {
      using O = std::remove_cvref_t<decltype(*g.offsets().data())>;
      if constexpr (weighted_csr_arrays<G>) {
        if (opt.use_weights) {
          run(pull_arrays<R, O, V, std::remove_cvref_t<decltype(*g.weights().data())>>{
              g.offsets().data(), g.targets().data(), g.weights().data()});
          done = true;
        }
      }
      if (!done && !opt.use_weights) {
        run(pull_arrays<R, O, V, R>{g.offsets().data(), g.targets().data(), nullptr});
        done = true;
      }
    }
  }
  if (!done) {
    const auto t = transpose_edges<G, R>(g, opt.use_weights);
    run(pull_arrays<R, std::size_t, V, R>{t.offsets.data(), t.sources.data(),
                                          opt.use_weights ? t.weights.data() : nullptr});
  }
  res.rank = std::move(st.rank);
  return res;
}

} // namespace detail

/// PageRank of every vertex by power iteration:
///   rank'(v) = (1 - d) p(v) + d * (sum over edges u -> v of rank(u) w(u, v) / W(u)
///                                   + dangling * s(v))
/// with p the personalization (uniform 1/n by default), W(u) u's out-weight (out-degree when
/// unweighted), `dangling` the rank of vertices with W(u) = 0 and s(v) = 1/n (uniform),
/// p(v) (personalization) or 0 (drop). Ranks start at 1/n. With the uniform and personalization
/// policies ranks sum to 1. It stops when the L1 change drops below opt.tolerance or after
/// opt.max_iterations (converged = false: never a silent stop), or runs exactly
/// opt.fixed_iterations. Computed in R (double by default); sums per vertex in R, the L1 norm and
/// the dangling mass in double, deterministic for any thread count.
///
/// Pull-based: each iteration reads every in-edge once, O(n + m), parallel over vertices.
/// In-edges come from the graph's CSC (bidirectional_graph), from the out-edges when the graph is
/// symmetric (opt.symmetric or an undirected compressed_graph), or else from a transpose built
/// once (O(n + m) time and memory). Memory: 4 arrays of n values of R besides that. On large
/// unweighted graphs the in-edges are also copied once into segments by source range (m ids and
/// 4 bytes per vertex per segment, at most 4 segments, plus a fifth array of n values), so that
/// the values an iteration pulls fit a core's cache; each vertex still sums its in-edges in list
/// order, so the ranks do not change.
/// Errors: invalid_argument for a damping outside [0, 1], a negative tolerance, a
/// personalization of the wrong size, negative, non-finite or all zero, use_weights on an
/// unweighted graph, or a negative weight.
template <std::floating_point R = double, adjacency_list G>
[[nodiscard]] expected<pagerank_result<R>> try_pagerank(const G& g,
                                                        const pagerank_options& opt = {}) {
  return detail::pagerank_impl<R>(g, opt);
}

/// try_pagerank() that throws tessera::exception on error.
template <std::floating_point R = double, adjacency_list G>
[[nodiscard]] pagerank_result<R> pagerank(const G& g, const pagerank_options& opt = {}) {
  return try_pagerank<R>(g, opt).value();
}

TESSERA_NAMESPACE_END
