// tessera: reductions over a column: sum, min, max, mean, count, any, all, variance.
//
// Semantics shared by all: nulls are skipped. For floating point, NaN propagates through sum,
// mean and variance (a column holding a NaN sums to NaN) and is skipped by min and max (see
// statistics.hpp). Integer sums are exact: they are computed in 128 bits and returned as int64
// (signed columns) or uint64 (unsigned columns), or fail with errc::overflow when the exact sum
// does not fit. Floating sums are computed in blocks of 64 values in the column's type, blocks
// accumulated in double. A sum over no values is 0; mean, min, max and variance over no values
// (and variance over one value with ddof = 1) are null.
#pragma once

#include <tessera/column/column.hpp>
#include <tessera/column/scalar.hpp>
#include <tessera/column/statistics.hpp>
#include <tessera/config.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/detail/column/bits.hpp>
#include <tessera/detail/column/blocks.hpp>
#include <tessera/detail/column/simd.hpp>

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>

TESSERA_NAMESPACE_BEGIN

/// The result type of sum over T: int64 for signed integers, uint64 for unsigned, double for
/// floating point.
template <column_number T>
using sum_t =
    std::conditional_t<std::is_floating_point_v<T>, double,
                       std::conditional_t<std::is_signed_v<T>, std::int64_t, std::uint64_t>>;

namespace detail {
__extension__ typedef __int128 int128_t;
__extension__ typedef unsigned __int128 uint128_t;

template <class Path, column_number T>
expected<sum_t<T>> sum_typed(primitive_view<T> v) {
  if constexpr (std::is_floating_point_v<T>) {
    double total = 0;
    const auto one = [&](T x) { total += static_cast<double>(x); };
#if !defined(TESSERA_NO_SIMD)
    if constexpr (std::is_same_v<Path, simd::vector_path> && 64 % (4 * simd::width<T>) == 0) {
      using B = simd::batch<T>;
      constexpr std::size_t W = simd::width<T>;
      for_valid_blocks(
          v,
          [&](const T* p) {
            B acc[4] = {B(T(0)), B(T(0)), B(T(0)), B(T(0))};
            for (std::size_t j = 0; j < 64; j += 4 * W)
              for (std::size_t u = 0; u < 4; ++u) acc[u] += simd::load(p + j + u * W);
            total += static_cast<double>(simd::reduce_add((acc[0] + acc[1]) + (acc[2] + acc[3])));
          },
          one);
      return total;
    }
#endif
    for_valid_blocks(
        v,
        [&](const T* p) {
          T acc[4] = {0, 0, 0, 0};
          for (std::size_t j = 0; j < 64; j += 4)
            for (std::size_t u = 0; u < 4; ++u) acc[u] += p[j + u];
          total += static_cast<double>((acc[0] + acc[1]) + (acc[2] + acc[3]));
        },
        one);
    return total;
  } else {
    using wide = std::conditional_t<std::is_signed_v<T>, int128_t, uint128_t>;
    wide total = 0;
    const auto one = [&](T x) { total += static_cast<wide>(x); };
    for_valid_blocks(
        v,
        [&](const T* p) {
          if constexpr (sizeof(T) < 8) {
            // 64 values of at most 32 bits fit a 64-bit partial sum; this loop vectorises.
            using part = std::conditional_t<std::is_signed_v<T>, std::int64_t, std::uint64_t>;
            part s = 0;
            for (std::size_t j = 0; j < 64; ++j) s += static_cast<part>(p[j]);
            total += static_cast<wide>(s);
          } else {
            for (std::size_t j = 0; j < 64; ++j) total += static_cast<wide>(p[j]);
          }
        },
        one);
    using R = sum_t<T>;
    if (total > static_cast<wide>(std::numeric_limits<R>::max()) ||
        (std::is_signed_v<T> && total < static_cast<wide>(std::numeric_limits<R>::lowest())))
      return unexpected(error(errc::overflow, "integer sum does not fit in 64 bits"));
    return static_cast<R>(total);
  }
}

inline error reduce_type_error(const column& c, const char* what) {
  return error(errc::invalid_argument,
               std::string(what) + " needs a numeric column, not " + to_string(c.type()));
}

template <class Path>
expected<scalar> sum_column(const column& c) {
  if (!is_numeric(c.id())) return unexpected(reduce_type_error(c, "sum"));
  return visit_physical(c.id(), [&]<class T>(std::type_identity<T>) -> expected<scalar> {
    if constexpr (column_number<T>) {
      auto r = sum_typed<Path, T>(c.view<T>());
      if (!r) return unexpected(std::move(r.error()));
      return scalar(*r);
    } else {
      return unexpected(reduce_type_error(c, "sum"));
    }
  });
}

template <class Path>
expected<scalar> mean_column(const column& c) {
  if (!is_numeric(c.id())) return unexpected(reduce_type_error(c, "mean"));
  const std::size_t n = c.size() - c.null_count();
  if (n == 0) return scalar();
  return visit_physical(c.id(), [&]<class T>(std::type_identity<T>) -> expected<scalar> {
    if constexpr (column_number<T>) {
      if constexpr (std::is_floating_point_v<T>) {
        return scalar(*sum_typed<Path, T>(c.view<T>()) / static_cast<double>(n));
      } else {
        // Exact 128-bit sum, divided once: no overflow failure for mean.
        using wide = std::conditional_t<std::is_signed_v<T>, int128_t, uint128_t>;
        wide total = 0;
        const auto v = c.view<T>();
        for (std::size_t i = 0; i < v.size; ++i)
          if (v.is_valid(i)) total += static_cast<wide>(v[i]);
        return scalar(
            static_cast<double>(static_cast<long double>(total) / static_cast<long double>(n)));
      }
    } else {
      return unexpected(reduce_type_error(c, "mean"));
    }
  });
}

} // namespace detail

/// Sum of the valid values (see the header comment). Errors: errc::invalid_argument for a
/// non-numeric column, errc::overflow for an integer sum beyond 64 bits.
[[nodiscard]] inline expected<scalar> try_sum(const column& c) {
  return detail::sum_column<detail::simd::default_path>(c);
}
[[nodiscard]] inline scalar sum(const column& c) {
  return try_sum(c).value();
}

/// Sum of a typed view.
template <column_number T>
[[nodiscard]] expected<sum_t<T>> sum(primitive_view<T> v) {
  return detail::sum_typed<detail::simd::default_path, T>(v);
}

/// Arithmetic mean of the valid values as double (null when there are none). Integers are summed
/// exactly first. Errors: errc::invalid_argument for a non-numeric column.
[[nodiscard]] inline expected<scalar> try_mean(const column& c) {
  return detail::mean_column<detail::simd::default_path>(c);
}
[[nodiscard]] inline scalar mean(const column& c) {
  return try_mean(c).value();
}

/// Smallest valid non-NaN value (null when none); any type (strings bytewise, false < true).
[[nodiscard]] inline scalar min(const column& c) {
  return compute_statistics(c).min;
}
/// Largest valid non-NaN value (null when none).
[[nodiscard]] inline scalar max(const column& c) {
  return compute_statistics(c).max;
}

/// Number of valid (non-null) elements.
[[nodiscard]] inline std::size_t count(const column& c) noexcept {
  return c.size() - c.null_count();
}

/// True when some valid element of a boolean column is true (false for none). Errors:
/// errc::invalid_argument for a non-boolean column.
[[nodiscard]] inline expected<bool> try_any(const column& c) {
  if (c.id() != type_id::boolean) return unexpected(detail::reduce_type_error(c, "any"));
  const auto v = c.bool_view();
  const std::size_t words = (c.size() + 63) / 64;
  for (std::size_t k = 0; k < words; ++k)
    if ((detail::view_word(v.bits, k) & detail::validity_word(v.valid, c.size(), k)) != 0)
      return true;
  return false;
}
[[nodiscard]] inline bool any(const column& c) {
  return try_any(c).value();
}

/// True when every valid element of a boolean column is true (true for none).
[[nodiscard]] inline expected<bool> try_all(const column& c) {
  if (c.id() != type_id::boolean) return unexpected(detail::reduce_type_error(c, "all"));
  const auto v = c.bool_view();
  const std::size_t words = (c.size() + 63) / 64;
  for (std::size_t k = 0; k < words; ++k)
    if ((~detail::view_word(v.bits, k) & detail::validity_word(v.valid, c.size(), k)) != 0)
      return false;
  return true;
}
[[nodiscard]] inline bool all(const column& c) {
  return try_all(c).value();
}

/// Variance of the valid values with `ddof` delta degrees of freedom (1: sample variance, the
/// default; 0: population), in double, by two passes (mean, then squared deviations). Null when
/// fewer than ddof + 1 values; NaN if a value is NaN. Errors: errc::invalid_argument for a
/// non-numeric column.
[[nodiscard]] inline expected<scalar> try_variance(const column& c, unsigned ddof = 1) {
  if (!is_numeric(c.id())) return unexpected(detail::reduce_type_error(c, "variance"));
  const std::size_t n = count(c);
  if (n <= ddof) return scalar();
  const double m = std::get<double>(try_mean(c)->get());
  return visit_physical(c.id(), [&]<class T>(std::type_identity<T>) -> expected<scalar> {
    if constexpr (column_number<T>) {
      const auto v = c.view<T>();
      double ss = 0;
      for (std::size_t i = 0; i < v.size; ++i) {
        if (!v.is_valid(i)) continue;
        const double d = static_cast<double>(v[i]) - m;
        ss += d * d;
      }
      return scalar(ss / static_cast<double>(n - ddof));
    } else {
      return unexpected(detail::reduce_type_error(c, "variance"));
    }
  });
}
[[nodiscard]] inline scalar variance(const column& c, unsigned ddof = 1) {
  return try_variance(c, ddof).value();
}

TESSERA_NAMESPACE_END
