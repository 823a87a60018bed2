// tessera: building compressed graphs from edge lists, transposing them, pairing CSR with CSC.
//
//   try_build_graph<V, E, W>(sources, targets [, weights], options)   -> expected<compressed_graph>
//   try_build_graph<V, E, W>(range of (source, target [, weight]) tuples, options)
//   build_graph<...>(...)                                              throwing convenience
//   transpose(g)             the in-edges (CSC) of a compressed graph, as a compressed graph
//   make_bidirectional(g)    a bidirectional_graph holding g and its transpose
//
// Construction is a parallel counting sort: the edges are cut into one block per thread, each
// block counts the out-degrees it contributes, a prefix sum turns the counts into write cursors
// (block by block, so the order within each vertex is the input order), and the blocks scatter.
// The result is identical for every thread count. Optional passes then drop self loops, merge
// duplicate edges and sort neighbour lists.
//
// Every data-dependent failure is an error, never a wraparound: a negative id, an id not below
// the requested vertex count, an id or vertex count the vertex type V cannot hold, an edge count
// the offset type E cannot hold, an integer weight sum that overflows W.
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/aligned_buffer.hpp>
#include <tessera/core/concepts.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/core/parallel.hpp>
#include <tessera/detail/core/huge_pages.hpp>
#include <tessera/graph/compressed_graph.hpp>

#include <algorithm>
#include <atomic>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <ranges>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

TESSERA_NAMESPACE_BEGIN

/// What to do with several edges between the same ordered pair of vertices.
enum class duplicate_policy : std::uint8_t {
  keep,  ///< keep every copy (a multigraph), the default
  first, ///< keep one edge carrying the weight of the first copy in input order
  min,   ///< keep one edge carrying the smallest weight
  sum,   ///< keep one edge carrying the sum of the weights (integers: overflow is an error)
};

/// How try_build_graph shapes the graph.
struct build_options {
  /// Vertex count; ids must be below it. Unset: one more than the largest id (0 without edges).
  std::optional<std::size_t> num_vertices;
  /// Drop edges u -> u.
  bool drop_self_loops = false;
  /// Merge parallel edges (after symmetrizing, so u -> v and v -> u given both meet).
  duplicate_policy duplicates = duplicate_policy::keep;
  /// Store every edge u -> v also as v -> u (a self loop once) and mark the graph undirected.
  bool symmetrize = false;
  /// Sort each neighbour list by target. Otherwise each vertex's edges keep their input order
  /// (with duplicates merged into the position of their first copy).
  bool sort_neighbors = false;
  /// The direction recorded in the graph when symmetrize is false (for input that already lists
  /// both directions of every undirected edge).
  graph_direction direction = graph_direction::directed;
};

namespace detail {

// Algorithms read a graph's arrays at random (a vertex's row, then its neighbours' rows), and with
// 4 KiB pages nearly every such read of a large graph also misses the TLB. Fresh arrays are
// advised to be backed by 2 MiB pages before they are first written (delta-stepping on the
// uniform 1M/10M benchmark graph: 8% less CPU time). A hint: contents are unaffected.
template <class E, class V, class WB>
void advise_graph_pages(const aligned_buffer<E>& offsets, const aligned_buffer<V>& targets,
                        const WB& weights) {
  advise_huge_pages(offsets.data(), offsets.size() * sizeof(E));
  advise_huge_pages(targets.data(), targets.size() * sizeof(V));
  if constexpr (!std::is_same_v<WB, no_weights>)
    advise_huge_pages(weights.data(), weights.size() * sizeof(*weights.data()));
}

template <class T>
std::string type_max_string() {
  return std::to_string(std::numeric_limits<T>::max());
}

template <class T>
std::string id_string(T v) {
  return std::to_string(v);
}

/// The number of blocks the counting sort cuts m input edges into: one per thread while each
/// block has enough edges to pay for its own histogram of n counters.
inline std::size_t build_blocks(std::size_t n, std::size_t m) {
  const auto threads = static_cast<std::size_t>(std::max(1, num_threads()));
  if (m < (std::size_t{1} << 15)) return 1;
  const std::size_t by_density = 1 + m / std::max<std::size_t>(n, 1);
  return std::max<std::size_t>(1, std::min(threads, by_density));
}

/// Exclusive prefix sum of counts[0..n) into offsets[0..n]; values fit E (checked by callers).
template <class E>
void exclusive_scan_offsets(std::span<const std::size_t> counts, std::span<E> offsets) {
  std::size_t run = 0;
  offsets[0] = E{0};
  for (std::size_t v = 0; v < counts.size(); ++v) {
    run += counts[v];
    offsets[v + 1] = static_cast<E>(run);
  }
}

/// The counting sort. count_block(b, h) adds to h[row] for every entry block b stores and
/// returns the index of an invalid input edge it met (`no_edge` if none), after which the build
/// fails with on_bad(index) (the first invalid edge in input order); for_each_in_block(b, f)
/// calls f(row, col, weight_index) for the same entries, in input order.
inline constexpr std::size_t no_edge = std::numeric_limits<std::size_t>::max();

template <class V, class E, class W, class Count, class ForEach, class WeightAt, class OnBad>
expected<compressed_graph<V, E, W>>
counting_sort(std::size_t n, std::size_t blocks, Count&& count_block, ForEach&& for_each_in_block,
              WeightAt&& weight_at, graph_direction direction, OnBad&& on_bad) {
  constexpr bool weighted = !std::is_void_v<W>;
  // Counts per block and vertex, turned into each block's write cursors. size_t counters: E may
  // be narrower than the intermediate sums (its overflow is reported, not wrapped).
  std::vector<std::size_t> cursor(blocks * n, 0);
  std::vector<std::size_t> bad(blocks, no_edge);
  parallel_for_chunks(
      std::size_t{0}, blocks,
      [&](std::size_t bb, std::size_t be) {
        for (std::size_t b = bb; b < be; ++b) bad[b] = count_block(b, cursor.data() + b * n);
      },
      1);
  for (const std::size_t i : bad) // blocks are consecutive: the first bad block has the first edge
    if (i != no_edge) return on_bad(i);
  std::vector<std::size_t> degree(n, 0);
  parallel_for_chunks(
      std::size_t{0}, n,
      [&](std::size_t vb, std::size_t ve) {
        for (std::size_t b = 0; b < blocks; ++b) {
          const std::size_t* h = cursor.data() + b * n;
          for (std::size_t v = vb; v < ve; ++v) degree[v] += h[v];
        }
      },
      std::size_t{1} << 14);
  std::size_t m_out = 0;
  for (const std::size_t d : degree) m_out += d; // at most 2 entries per input edge: no overflow
  if (m_out > static_cast<std::uint64_t>(std::numeric_limits<E>::max()) ||
      m_out > aligned_buffer<V>::max_size())
    return make_error(errc::overflow, std::to_string(m_out) +
                                          " stored edges do not fit the edge offset type (max " +
                                          type_max_string<E>() + ")");
  aligned_buffer<E> offsets(n + 1, uninitialized);
  aligned_buffer<V> targets(m_out, uninitialized);
  weight_buffer<W> weights{};
  if constexpr (weighted) weights = aligned_buffer<W>(m_out, uninitialized);
  advise_graph_pages(offsets, targets, weights);
  exclusive_scan_offsets<E>(degree, offsets.span());
  parallel_for_chunks(
      std::size_t{0}, n,
      [&](std::size_t vb, std::size_t ve) {
        for (std::size_t v = vb; v < ve; ++v) {
          auto run = static_cast<std::size_t>(offsets[v]);
          for (std::size_t b = 0; b < blocks; ++b) {
            const std::size_t c = cursor[b * n + v];
            cursor[b * n + v] = run;
            run += c;
          }
        }
      },
      std::size_t{1} << 14);
  degree = {};
  V* t = targets.data();
  [[maybe_unused]] auto* w = [&] {
    if constexpr (weighted)
      return weights.data();
    else
      return static_cast<void*>(nullptr);
  }();
  parallel_for_chunks(
      std::size_t{0}, blocks,
      [&](std::size_t bb, std::size_t be) {
        for (std::size_t b = bb; b < be; ++b) {
          std::size_t* c = cursor.data() + b * n;
          for_each_in_block(b, [&](std::size_t row, std::size_t col, std::size_t wi) {
            const std::size_t pos = c[row]++;
            t[pos] = static_cast<V>(col);
            if constexpr (weighted) w[pos] = static_cast<W>(weight_at(wi));
          });
        }
      },
      1);
  if constexpr (weighted)
    return compressed_graph<V, E, W>::from_trusted_arrays(std::move(offsets), std::move(targets),
                                                          std::move(weights), direction);
  else
    return compressed_graph<V, E, W>::from_trusted_arrays(std::move(offsets), std::move(targets),
                                                          direction);
}

template <class W>
bool combine_weight(W& acc, W w, duplicate_policy rule) {
  switch (rule) {
  case duplicate_policy::min:
    if (w < acc) acc = w;
    return true;
  case duplicate_policy::sum:
    if constexpr (std::is_integral_v<W>) {
      W r{};
      if (__builtin_add_overflow(acc, w, &r)) return false;
      acc = r;
    } else {
      acc = static_cast<W>(acc + w);
    }
    return true;
  default:
    return true;
  }
}

/// Sorts and/or merges the neighbour lists of g in parallel; returns the new graph.
template <class V, class E, class W>
expected<compressed_graph<V, E, W>> tidy_rows(compressed_graph<V, E, W> g, bool sort,
                                              duplicate_policy rule) {
  constexpr bool weighted = !std::is_void_v<W>;
  const bool merge = rule != duplicate_policy::keep;
  const std::size_t n = g.num_vertices();
  if (n == 0 || (!sort && !merge)) return g;
  const auto offsets = g.offsets();
  // Mutable access to the arrays we own: the graph is ours until we return it.
  V* t = const_cast<V*>(g.targets().data());
  [[maybe_unused]] auto* w = [&] {
    if constexpr (weighted)
      return g.mutable_weights().data();
    else
      return static_cast<void*>(nullptr);
  }();
  std::vector<std::size_t> kept(n);
  std::atomic<std::size_t> overflow_row{std::numeric_limits<std::size_t>::max()};

  parallel_for_chunks(
      std::size_t{0}, n,
      [&](std::size_t vb, std::size_t ve) {
        // Scratch reused across the rows of this chunk.
        std::vector<std::pair<V, std::size_t>> order;
        std::vector<V> tmp_t;
        std::vector<std::conditional_t<weighted, W, char>> tmp_w;
        std::vector<char> alive;
        for (std::size_t u = vb; u < ve; ++u) {
          const auto b = static_cast<std::size_t>(offsets[u]);
          const auto e = static_cast<std::size_t>(offsets[u + 1]);
          const std::size_t d = e - b;
          if (d <= 1) {
            kept[u] = d;
            continue;
          }
          if (sort) {
            if constexpr (weighted) {
              order.clear();
              for (std::size_t k = b; k < e; ++k) order.emplace_back(t[k], k);
              std::sort(order.begin(), order.end()); // (target, position): stable by target
              tmp_w.resize(d);
              for (std::size_t k = 0; k < d; ++k) tmp_w[k] = w[order[k].second];
              for (std::size_t k = 0; k < d; ++k) {
                t[b + k] = order[k].first;
                w[b + k] = tmp_w[k];
              }
            } else {
              std::sort(t + b, t + e);
            }
            if (!merge) {
              kept[u] = d;
              continue;
            }
            std::size_t out = b;
            for (std::size_t k = b + 1; k < e; ++k) {
              if (t[k] == t[out]) {
                if constexpr (weighted) {
                  if (!combine_weight(w[out], w[k], rule)) {
                    std::size_t cur = overflow_row.load();
                    while (u < cur && !overflow_row.compare_exchange_weak(cur, u)) {
                    }
                  }
                }
              } else {
                ++out;
                t[out] = t[k];
                if constexpr (weighted) w[out] = w[k];
              }
            }
            kept[u] = out + 1 - b;
          } else {
            // Merge in place, keeping each survivor at its first copy's position.
            order.clear();
            for (std::size_t k = b; k < e; ++k) order.emplace_back(t[k], k);
            std::sort(order.begin(), order.end());
            alive.assign(d, 0);
            for (std::size_t i = 0; i < d;) {
              const std::size_t first = order[i].second;
              alive[first - b] = 1;
              std::size_t j = i + 1;
              for (; j < d && order[j].first == order[i].first; ++j) {
                if constexpr (weighted) {
                  if (!combine_weight(w[first], w[order[j].second], rule)) {
                    std::size_t cur = overflow_row.load();
                    while (u < cur && !overflow_row.compare_exchange_weak(cur, u)) {
                    }
                  }
                }
              }
              i = j;
            }
            std::size_t out = b;
            for (std::size_t k = b; k < e; ++k) {
              if (!alive[k - b]) continue;
              t[out] = t[k];
              if constexpr (weighted) w[out] = w[k];
              ++out;
            }
            kept[u] = out - b;
          }
        }
      },
      256);
  if (const std::size_t bad = overflow_row.load(); bad != std::numeric_limits<std::size_t>::max())
    return make_error(errc::overflow, "the sum of the weights of duplicate edges out of vertex " +
                                          std::to_string(bad) + " overflows the weight type (max " +
                                          type_max_string<std::conditional_t<weighted, W, int>>() +
                                          ")");
  if (!merge) return g;

  // Compact the surviving prefixes of every row into fresh arrays.
  aligned_buffer<E> new_offsets(n + 1, uninitialized);
  exclusive_scan_offsets<E>(kept, new_offsets.span());
  const auto m2 = static_cast<std::size_t>(new_offsets[n]);
  aligned_buffer<V> new_targets(m2, uninitialized);
  weight_buffer<W> new_weights{};
  if constexpr (weighted) new_weights = aligned_buffer<W>(m2, uninitialized);
  advise_graph_pages(new_offsets, new_targets, new_weights);
  parallel_for_chunks(
      std::size_t{0}, n,
      [&](std::size_t vb, std::size_t ve) {
        for (std::size_t u = vb; u < ve; ++u) {
          const auto src = static_cast<std::size_t>(offsets[u]);
          const auto dst = static_cast<std::size_t>(new_offsets[u]);
          std::copy_n(t + src, kept[u], new_targets.data() + dst);
          if constexpr (weighted) std::copy_n(w + src, kept[u], new_weights.data() + dst);
        }
      },
      1024);
  if constexpr (weighted)
    return compressed_graph<V, E, W>::from_trusted_arrays(
        std::move(new_offsets), std::move(new_targets), std::move(new_weights), g.direction());
  else
    return compressed_graph<V, E, W>::from_trusted_arrays(std::move(new_offsets),
                                                          std::move(new_targets), g.direction());
}

/// Result of the validation pass over the input edges.
struct edge_scan {
  static constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
  std::uint64_t max_id = 0;
  bool any = false;
  std::size_t loops = 0;
  std::size_t bad_edge = none; // smallest index of an invalid edge
  int bad_end = 0;             // 0 source, 1 target
  int bad_kind = 0;            // 1 negative, 2 >= n, 3 does not fit V
  std::int64_t bad_signed = 0;
  std::uint64_t bad_value = 0;
};

template <class V, class Source, class Target>
expected<std::pair<std::size_t, std::size_t>>
check_edges(std::size_t m, Source&& source_at, Target&& target_at, const build_options& opt) {
  constexpr std::uint64_t vmax = static_cast<std::uint64_t>(std::numeric_limits<V>::max());
  if (opt.num_vertices && *opt.num_vertices > 0 && *opt.num_vertices - 1 > vmax)
    return make_error(errc::overflow, std::to_string(*opt.num_vertices) +
                                          " vertices do not fit the vertex id type (max id " +
                                          type_max_string<V>() + ")");
  if (opt.num_vertices && *opt.num_vertices == std::numeric_limits<std::size_t>::max())
    return make_error(errc::overflow, "the vertex count does not fit in memory");
  const std::uint64_t limit =
      opt.num_vertices ? static_cast<std::uint64_t>(*opt.num_vertices) : vmax + 1 /* may be 0 */;
  const bool have_limit = opt.num_vertices.has_value();

  auto scan = parallel_reduce(
      std::size_t{0}, m, edge_scan{},
      [&](edge_scan& acc, std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) {
          const auto s = source_at(i);
          const auto d = target_at(i);
          const auto check_one = [&](auto x, int end) {
            using X = decltype(x);
            if constexpr (std::is_signed_v<X>) {
              if (x < 0) {
                acc.bad_edge = i, acc.bad_end = end, acc.bad_kind = 1;
                acc.bad_signed = static_cast<std::int64_t>(x);
                return false;
              }
            }
            const auto ux = static_cast<std::uint64_t>(x);
            if (have_limit ? ux >= limit : ux > vmax) {
              acc.bad_edge = i, acc.bad_end = end, acc.bad_kind = have_limit ? 2 : 3;
              acc.bad_value = ux;
              return false;
            }
            if (!acc.any || ux > acc.max_id) acc.max_id = ux;
            acc.any = true;
            return true;
          };
          if (!check_one(s, 0) || !check_one(d, 1)) return;
          if (static_cast<std::uint64_t>(s) == static_cast<std::uint64_t>(d)) ++acc.loops;
        }
      },
      [](edge_scan a, edge_scan b) {
        if (a.bad_edge != edge_scan::none) return a;
        if (b.bad_edge != edge_scan::none) {
          b.max_id = std::max(a.max_id, b.max_id);
          return b;
        }
        a.any = a.any || b.any;
        a.max_id = std::max(a.max_id, b.max_id);
        a.loops += b.loops;
        return a;
      });
  if (scan.bad_edge != edge_scan::none) {
    const std::string which =
        "edge " + std::to_string(scan.bad_edge) + (scan.bad_end == 0 ? ": source" : ": target");
    switch (scan.bad_kind) {
    case 1:
      return make_error(errc::out_of_range,
                        which + " id " + std::to_string(scan.bad_signed) + " is negative");
    case 2:
      return make_error(errc::out_of_range, which + " id " + std::to_string(scan.bad_value) +
                                                " is not below the vertex count " +
                                                std::to_string(*opt.num_vertices));
    default:
      return make_error(errc::overflow, which + " id " + std::to_string(scan.bad_value) +
                                            " does not fit the vertex id type (max " +
                                            type_max_string<V>() + ")");
    }
  }
  std::size_t n = 0;
  if (opt.num_vertices)
    n = *opt.num_vertices;
  else if (scan.any) {
    if (scan.max_id >= std::numeric_limits<std::size_t>::max())
      return make_error(errc::overflow, "the vertex count does not fit in memory");
    n = static_cast<std::size_t>(scan.max_id) + 1;
  }
  return std::pair{n, scan.loops};
}

template <class V, class E, class W, class Source, class Target, class WeightAt>
expected<compressed_graph<V, E, W>> build_from(std::size_t m, Source&& source_at,
                                               Target&& target_at, WeightAt&& weight_at,
                                               const build_options& opt) {
  // Without a vertex count a first pass finds the largest id (and checks every id); with one,
  // the counting pass checks the ids itself and the input is read once less.
  std::size_t n = 0;
  const bool prechecked = !opt.num_vertices.has_value();
  if (prechecked) {
    auto checked = check_edges<V>(m, source_at, target_at, opt);
    if (!checked) return unexpected(std::move(checked).error());
    n = checked->first;
  } else {
    n = *opt.num_vertices;
    constexpr std::uint64_t vmax = static_cast<std::uint64_t>(std::numeric_limits<V>::max());
    if (n > 0 && n - 1 > vmax)
      return make_error(errc::overflow, std::to_string(n) +
                                            " vertices do not fit the vertex id type (max id " +
                                            type_max_string<V>() + ")");
  }
  if (n >= aligned_buffer<E>::max_size() || n >= std::numeric_limits<std::size_t>::max() / 2)
    return make_error(errc::overflow, std::to_string(n) + " vertices do not fit in memory");

  const std::size_t blocks = build_blocks(n, m);
  const bool drop = opt.drop_self_loops;
  const bool sym = opt.symmetrize;
  const auto block_range = [m, blocks](std::size_t b) {
    const std::size_t lo = m / blocks * b + std::min(b, m % blocks);
    return std::pair{lo, lo + m / blocks + (b < m % blocks ? 1 : 0)};
  };
  const auto emit = [drop, sym](std::size_t i, std::size_t s, std::size_t d, auto&& f) {
    if (s == d) {
      if (!drop) f(s, d, i);
      return;
    }
    f(s, d, i);
    if (sym) f(d, s, i);
  };
  const auto valid = [n](auto x) {
    if constexpr (std::is_signed_v<decltype(x)>) {
      if (x < 0) return false;
    }
    return static_cast<std::uint64_t>(x) < static_cast<std::uint64_t>(n);
  };
  const auto count_block = [&](std::size_t b, std::size_t* h) {
    const auto [lo, hi] = block_range(b);
    const auto add = [h](std::size_t row, std::size_t, std::size_t) { ++h[row]; };
    for (std::size_t i = lo; i < hi; ++i) {
      const auto s = source_at(i);
      const auto d = target_at(i);
      if (!prechecked && !(valid(s) && valid(d))) return i;
      emit(i, static_cast<std::size_t>(s), static_cast<std::size_t>(d), add);
    }
    return no_edge;
  };
  const auto for_each_in_block = [&](std::size_t b, auto&& f) {
    const auto [lo, hi] = block_range(b);
    for (std::size_t i = lo; i < hi; ++i)
      emit(i, static_cast<std::size_t>(source_at(i)), static_cast<std::size_t>(target_at(i)), f);
  };
  const auto on_bad = [&](std::size_t i) -> unexpected<error> {
    const auto s = source_at(i);
    const auto d = target_at(i);
    const bool source_bad = !valid(s);
    const std::string which = "edge " + std::to_string(i) + (source_bad ? ": source" : ": target");
    const auto describe = [&](auto x) -> unexpected<error> {
      if constexpr (std::is_signed_v<decltype(x)>) {
        if (x < 0)
          return make_error(errc::out_of_range,
                            which + " id " + std::to_string(x) + " is negative");
      }
      return make_error(errc::out_of_range, which + " id " + std::to_string(x) +
                                                " is not below the vertex count " +
                                                std::to_string(n));
    };
    return source_bad ? describe(s) : describe(d);
  };
  const graph_direction dir = sym ? graph_direction::undirected : opt.direction;
  auto g =
      counting_sort<V, E, W>(n, blocks, count_block, for_each_in_block, weight_at, dir, on_bad);
  if (!g) return g;
  return tidy_rows(std::move(*g), opt.sort_neighbors, opt.duplicates);
}

template <class R>
concept id_range = std::ranges::random_access_range<R> && std::ranges::sized_range<R> &&
    std::integral<std::remove_cvref_t<std::ranges::range_reference_t<R>>>;

template <class R>
concept weight_range = std::ranges::random_access_range<R> && std::ranges::sized_range<R> &&
    std::is_arithmetic_v<std::remove_cvref_t<std::ranges::range_reference_t<R>>>;

template <class T>
concept tuple_edge_record = requires(const T& e) {
  std::tuple_size<T>::value;
  requires std::integral<std::remove_cvref_t<decltype(std::get<0>(e))>>;
  requires std::integral<std::remove_cvref_t<decltype(std::get<1>(e))>>;
};

inline expected<void> check_same_size(std::size_t s, std::size_t t, std::size_t w, bool weighted) {
  if (s != t)
    return make_error(errc::invalid_argument,
                      std::to_string(s) + " sources but " + std::to_string(t) + " targets");
  if (weighted && w != s)
    return make_error(errc::invalid_argument,
                      std::to_string(w) + " weights for " + std::to_string(s) + " edges");
  return {};
}

} // namespace detail

/// Builds an unweighted compressed graph from parallel ranges of source and target ids (any
/// integer types, random access). O(n + m) work in parallel, plus O(d log d) per vertex of
/// degree d when sorting or merging. Errors: errc::invalid_argument (sizes differ),
/// errc::out_of_range (negative id, id >= options.num_vertices), errc::overflow (an id or the
/// vertex count does not fit V, the stored edge count does not fit E).
template <vertex_id V = std::uint32_t, edge_offset E = std::uint64_t, weight_or_void W = void,
          detail::id_range Rs, detail::id_range Rt>
requires std::is_void_v<W>
[[nodiscard]] expected<compressed_graph<V, E, W>>
try_build_graph(const Rs& sources, const Rt& targets, const build_options& options = {}) {
  const auto ns = static_cast<std::size_t>(std::ranges::size(sources));
  const auto nt = static_cast<std::size_t>(std::ranges::size(targets));
  if (auto ok = detail::check_same_size(ns, nt, 0, false); !ok) return unexpected(ok.error());
  const auto sb = std::ranges::begin(sources);
  const auto tb = std::ranges::begin(targets);
  using Ds = std::ranges::range_difference_t<const Rs>;
  using Dt = std::ranges::range_difference_t<const Rt>;
  return detail::build_from<V, E, W>(
      ns, [sb](std::size_t i) { return sb[static_cast<Ds>(i)]; },
      [tb](std::size_t i) { return tb[static_cast<Dt>(i)]; }, [](std::size_t) { return 0; },
      options);
}

/// Builds a weighted compressed graph: weights[i] belongs to edge i and converts to W. Same
/// errors as the unweighted form, plus errc::invalid_argument when the weight count differs and
/// errc::overflow when duplicate_policy::sum overflows an integer W.
template <vertex_id V = std::uint32_t, edge_offset E = std::uint64_t, weight W = double,
          detail::id_range Rs, detail::id_range Rt, detail::weight_range Rw>
[[nodiscard]] expected<compressed_graph<V, E, W>>
try_build_graph(const Rs& sources, const Rt& targets, const Rw& weights,
                const build_options& options = {}) {
  const auto ns = static_cast<std::size_t>(std::ranges::size(sources));
  const auto nt = static_cast<std::size_t>(std::ranges::size(targets));
  const auto nw = static_cast<std::size_t>(std::ranges::size(weights));
  if (auto ok = detail::check_same_size(ns, nt, nw, true); !ok) return unexpected(ok.error());
  const auto sb = std::ranges::begin(sources);
  const auto tb = std::ranges::begin(targets);
  const auto wb = std::ranges::begin(weights);
  using Ds = std::ranges::range_difference_t<const Rs>;
  using Dt = std::ranges::range_difference_t<const Rt>;
  using Dw = std::ranges::range_difference_t<const Rw>;
  return detail::build_from<V, E, W>(
      ns, [sb](std::size_t i) { return sb[static_cast<Ds>(i)]; },
      [tb](std::size_t i) { return tb[static_cast<Dt>(i)]; },
      [wb](std::size_t i) { return static_cast<W>(wb[static_cast<Dw>(i)]); }, options);
}

/// Builds from a range of (source, target) or (source, target, weight) tuple-like records
/// (std::pair, std::tuple, std::array): get<2> is the weight when W is not void. A range that
/// is not random access is copied first. Same errors as the forms above.
template <vertex_id V = std::uint32_t, edge_offset E = std::uint64_t, weight_or_void W = void,
          std::ranges::input_range R>
requires detail::tuple_edge_record<std::remove_cvref_t<std::ranges::range_reference_t<R>>>
[[nodiscard]] expected<compressed_graph<V, E, W>>
try_build_graph(R&& edges, const build_options& options = {}) {
  using T = std::remove_cvref_t<std::ranges::range_reference_t<R>>;
  if constexpr (!std::is_void_v<W>)
    static_assert(std::tuple_size_v<T> >= 3, "a weighted graph needs (source, target, weight)");
  if constexpr (std::ranges::random_access_range<R> && std::ranges::sized_range<R>) {
    const auto b = std::ranges::begin(edges);
    using D = std::ranges::range_difference_t<R>;
    const auto m = static_cast<std::size_t>(std::ranges::size(edges));
    const auto src = [b](std::size_t i) { return std::get<0>(b[static_cast<D>(i)]); };
    const auto dst = [b](std::size_t i) { return std::get<1>(b[static_cast<D>(i)]); };
    if constexpr (std::is_void_v<W>)
      return detail::build_from<V, E, W>(
          m, src, dst, [](std::size_t) { return 0; }, options);
    else
      return detail::build_from<V, E, W>(
          m, src, dst,
          [b](std::size_t i) { return static_cast<W>(std::get<2>(b[static_cast<D>(i)])); },
          options);
  } else {
    std::vector<T> copy;
    for (auto&& e : edges) copy.push_back(T(e));
    return try_build_graph<V, E, W>(copy, options);
  }
}

/// Throwing forms of try_build_graph: tessera::exception carries the error.
template <vertex_id V = std::uint32_t, edge_offset E = std::uint64_t, weight_or_void W = void,
          class... Args>
[[nodiscard]] compressed_graph<V, E, W> build_graph(Args&&... args) requires requires {
  try_build_graph<V, E, W>(std::forward<Args>(args)...);
}
{ return try_build_graph<V, E, W>(std::forward<Args>(args)...).value(); }

/// The transpose of g: a graph whose u -> v edges are g's v -> u edges, with weights carried
/// along. Built from a CSR it is the CSC (in-edges). In-edges of each vertex are ordered by
/// source, then by g's edge order, so the result is deterministic. O(n + m), parallel.
template <vertex_id V, edge_offset E, weight_or_void W>
[[nodiscard]] compressed_graph<V, E, W> transpose(const compressed_graph<V, E, W>& g) {
  const std::size_t n = g.num_vertices();
  const std::size_t m = g.num_edges();
  const auto offsets = g.offsets();
  const auto targets = g.targets();
  const std::size_t blocks = detail::build_blocks(n, m);
  // Block b covers the rows whose first edge lies in [b m / blocks, (b + 1) m / blocks).
  std::vector<std::size_t> first_row(blocks + 1, n);
  first_row[0] = 0;
  for (std::size_t b = 1; b < blocks; ++b) {
    const auto cut = static_cast<E>(m / blocks * b);
    first_row[b] = static_cast<std::size_t>(
        std::lower_bound(offsets.begin(), offsets.end() - 1, cut) - offsets.begin());
    first_row[b] = std::max(first_row[b], first_row[b - 1]);
  }
  const auto for_each_in_block = [&](std::size_t b, auto&& f) {
    for (std::size_t u = first_row[b]; u < first_row[b + 1]; ++u)
      for (auto e = static_cast<std::size_t>(offsets[u]);
           e < static_cast<std::size_t>(offsets[u + 1]); ++e)
        f(static_cast<std::size_t>(targets[e]), u, e);
  };
  const auto count_block = [&](std::size_t b, std::size_t* h) {
    for_each_in_block(b, [h](std::size_t row, std::size_t, std::size_t) { ++h[row]; });
    return detail::no_edge;
  };
  // A valid graph has no bad edges and its edge count fits E: the build cannot fail.
  const auto never = [](std::size_t) { return make_error(errc::corrupt_data, "unreachable"); };
  if constexpr (std::is_void_v<W>) {
    return std::move(*detail::counting_sort<V, E, W>(
        n, blocks, count_block, for_each_in_block, [](std::size_t) { return 0; }, g.direction(),
        never));
  } else {
    const auto weights = g.weights();
    return std::move(*detail::counting_sort<V, E, W>(
        n, blocks, count_block, for_each_in_block, [weights](std::size_t e) { return weights[e]; },
        g.direction(), never));
  }
}

/// A bidirectional graph of g's out-edges and their transpose. O(n + m), parallel.
template <vertex_id V, edge_offset E, weight_or_void W>
[[nodiscard]] bidirectional_graph<V, E, W> make_bidirectional(compressed_graph<V, E, W> g) {
  auto in = transpose(g);
  return bidirectional_graph<V, E, W>(std::move(g), std::move(in));
}

TESSERA_NAMESPACE_END
