// tessera: deterministic graph generators for tests and benchmarks.
//
//   try_generate_kronecker   Kronecker/R-MAT with Graph500 parameters, vertex ids permuted
//   try_generate_uniform     m edges with independently uniform endpoints (Erdos-Renyi G(n, m)
//                            with replacement, as GAP's -u generator)
//   try_generate_grid        a rows x columns 2D grid, each undirected edge once
//   generate_weights         uniform integer weights for m edges
//
// Every random number is a pure function of (seed, edge index, draw), computed with a
// counter-based generator, so the output is identical for every thread count and every run.
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/concepts.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/core/parallel.hpp>
#include <tessera/detail/core/random.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

TESSERA_NAMESPACE_BEGIN

/// Edges from a generator: parallel arrays of endpoints and the vertex count.
template <vertex_id V = std::uint32_t>
struct generated_edges {
  std::vector<V> sources;
  std::vector<V> targets;
  std::size_t num_vertices = 0;
  [[nodiscard]] std::size_t size() const noexcept { return sources.size(); }
};

/// Kronecker (R-MAT) parameters; the defaults are Graph500's.
struct kronecker_options {
  unsigned scale = 16;                 ///< 2^scale vertices
  std::size_t edge_factor = 16;        ///< edges per vertex: m = edge_factor * 2^scale
  double a = 0.57, b = 0.19, c = 0.19; ///< quadrant probabilities (d = 1 - a - b - c)
  std::uint64_t seed = 1;
  bool permute_vertices = true; ///< relabel vertices by a seeded random permutation (Graph500)
};

namespace detail {
template <class V>
expected<void> check_vertex_count(std::size_t n) {
  if (n > 0 && n - 1 > static_cast<std::uint64_t>(std::numeric_limits<V>::max()))
    return make_error(errc::overflow, std::to_string(n) +
                                          " vertices do not fit the vertex id type (max id " +
                                          std::to_string(std::numeric_limits<V>::max()) + ")");
  return {};
}
} // namespace detail

/// A Graph500-style Kronecker graph: m = edge_factor * 2^scale directed edges (self loops and
/// duplicates included, as Graph500 and GAP generate them), each edge choosing one quadrant
/// per level with probabilities a, b, c, d; then, if permute_vertices, vertex ids are relabelled
/// by a random permutation drawn from the seed. O(m scale) work in parallel; deterministic.
/// Errors: errc::invalid_argument (scale > 62, probabilities outside [0, 1] or summing above
/// 1), errc::overflow (2^scale vertices do not fit V, m overflows).
template <vertex_id V = std::uint32_t>
[[nodiscard]] expected<generated_edges<V>> try_generate_kronecker(const kronecker_options& opt) {
  if (opt.scale > 62)
    return make_error(errc::invalid_argument,
                      "Kronecker scale " + std::to_string(opt.scale) + " is above 62");
  const double d = 1.0 - opt.a - opt.b - opt.c;
  if (!(opt.a >= 0 && opt.b >= 0 && opt.c >= 0 && d >= -1e-12))
    return make_error(errc::invalid_argument,
                      "Kronecker probabilities a, b, c must be non-negative with a + b + c <= 1");
  const std::size_t n = std::size_t{1} << opt.scale;
  if (auto ok = detail::check_vertex_count<V>(n); !ok) return unexpected(ok.error());
  if (opt.edge_factor != 0 && n > std::numeric_limits<std::size_t>::max() / opt.edge_factor)
    return make_error(errc::overflow, "the Kronecker edge count overflows");
  const std::size_t m = n * opt.edge_factor;
  generated_edges<V> out;
  out.num_vertices = n;
  out.sources.resize(m);
  out.targets.resize(m);
  const double a = opt.a, ab = opt.a + opt.b, abc = opt.a + opt.b + opt.c;
  parallel_for_chunks(
      std::size_t{0}, m,
      [&](std::size_t lo, std::size_t hi) {
        for (std::size_t e = lo; e < hi; ++e) {
          std::uint64_t u = 0, v = 0;
          for (unsigned level = 0; level < opt.scale; ++level) {
            // Quadrant (0,0) with probability a, (0,1) b, (1,0) c, (1,1) d.
            const double x = detail::unit_double(detail::counter_random(opt.seed, e, level));
            const bool row = x >= ab;
            const bool col = row ? x >= abc : x >= a;
            u = (u << 1) | static_cast<std::uint64_t>(row);
            v = (v << 1) | static_cast<std::uint64_t>(col);
          }
          out.sources[e] = static_cast<V>(u);
          out.targets[e] = static_cast<V>(v);
        }
      },
      std::size_t{1} << 14);
  if (opt.permute_vertices && n > 1) {
    // Fisher-Yates with counter-based draws: the same permutation for every thread count.
    std::vector<V> perm(n);
    std::iota(perm.begin(), perm.end(), V{0});
    for (std::size_t i = n - 1; i > 0; --i) {
      const auto j = static_cast<std::size_t>(
          detail::below(detail::counter_random(opt.seed ^ 0x5bd1e995ULL, ~std::uint64_t{0}, i),
                        static_cast<std::uint64_t>(i) + 1));
      std::swap(perm[i], perm[j]);
    }
    parallel_for(std::size_t{0}, m, [&](std::size_t e) {
      out.sources[e] = perm[static_cast<std::size_t>(out.sources[e])];
      out.targets[e] = perm[static_cast<std::size_t>(out.targets[e])];
    });
  }
  return out;
}

/// m directed edges whose endpoints are independent and uniform over n vertices (self loops
/// and duplicates possible). O(m) in parallel; deterministic. Errors: errc::overflow (n does
/// not fit V), errc::invalid_argument (m > 0 with n == 0).
template <vertex_id V = std::uint32_t>
[[nodiscard]] expected<generated_edges<V>> try_generate_uniform(std::size_t n, std::size_t m,
                                                                std::uint64_t seed = 1) {
  if (auto ok = detail::check_vertex_count<V>(n); !ok) return unexpected(ok.error());
  if (n == 0 && m > 0) return make_error(errc::invalid_argument, "edges need at least one vertex");
  generated_edges<V> out;
  out.num_vertices = n;
  out.sources.resize(m);
  out.targets.resize(m);
  parallel_for_chunks(
      std::size_t{0}, m,
      [&](std::size_t lo, std::size_t hi) {
        for (std::size_t e = lo; e < hi; ++e) {
          out.sources[e] = static_cast<V>(detail::below(detail::counter_random(seed, e, 0), n));
          out.targets[e] = static_cast<V>(detail::below(detail::counter_random(seed, e, 1), n));
        }
      },
      std::size_t{1} << 14);
  return out;
}

/// A rows x columns grid: vertex r * columns + c joins its right and lower neighbours, each
/// undirected edge listed once (build with symmetrize for the undirected grid). O(n).
/// Errors: errc::overflow (the vertex count does not fit V or size_t).
template <vertex_id V = std::uint32_t>
[[nodiscard]] expected<generated_edges<V>> try_generate_grid(std::size_t rows,
                                                             std::size_t columns) {
  if (columns != 0 && rows > std::numeric_limits<std::size_t>::max() / columns)
    return make_error(errc::overflow, "the grid's vertex count overflows");
  const std::size_t n = rows * columns;
  if (auto ok = detail::check_vertex_count<V>(n); !ok) return unexpected(ok.error());
  generated_edges<V> out;
  out.num_vertices = n;
  const std::size_t m =
      rows * (columns > 0 ? columns - 1 : 0) + (rows > 0 ? rows - 1 : 0) * columns;
  out.sources.reserve(m);
  out.targets.reserve(m);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < columns; ++c) {
      const std::size_t u = r * columns + c;
      if (c + 1 < columns) {
        out.sources.push_back(static_cast<V>(u));
        out.targets.push_back(static_cast<V>(u + 1));
      }
      if (r + 1 < rows) {
        out.sources.push_back(static_cast<V>(u));
        out.targets.push_back(static_cast<V>(u + columns));
      }
    }
  return out;
}

/// m integer weights uniform in [lo, hi] (GAP's generator uses [1, 255]), deterministic.
/// Precondition: lo <= hi.
template <weight W = int>
requires std::integral<W>
[[nodiscard]] std::vector<W> generate_weights(std::size_t m, W lo = W{1}, W hi = W{255},
                                              std::uint64_t seed = 1) {
  TESSERA_ASSERT(lo <= hi, "empty weight range");
  std::vector<W> w(m);
  // Modular arithmetic in 64 bits handles signed and unsigned W alike.
  const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo) + 1;
  parallel_for(std::size_t{0}, m, [&](std::size_t e) {
    const std::uint64_t r = detail::counter_random(seed ^ 0x77ULL, e, 2);
    w[e] =
        static_cast<W>(static_cast<std::uint64_t>(lo) + (span == 0 ? r : detail::below(r, span)));
  });
  return w;
}

/// Throwing forms.
template <vertex_id V = std::uint32_t>
[[nodiscard]] generated_edges<V> generate_kronecker(const kronecker_options& opt) {
  return try_generate_kronecker<V>(opt).value();
}
template <vertex_id V = std::uint32_t>
[[nodiscard]] generated_edges<V> generate_uniform(std::size_t n, std::size_t m,
                                                  std::uint64_t seed = 1) {
  return try_generate_uniform<V>(n, m, seed).value();
}
template <vertex_id V = std::uint32_t>
[[nodiscard]] generated_edges<V> generate_grid(std::size_t rows, std::size_t columns) {
  return try_generate_grid<V>(rows, columns).value();
}

TESSERA_NAMESPACE_END
