// tessera: the single-pass statistics kernel (min, max, null count, NaN count) that the file
// format stores per column chunk.
//
// Semantics: nulls are skipped and counted in null_count. NaNs are counted in nan_count and
// excluded from min and max (so min/max are the extremes of the ordered values; -0.0 and +0.0
// compare equal, the first seen is kept). min/max are empty when no valid non-NaN value exists
// (empty column, all null, all NaN). Strings compare bytewise.
#pragma once

#include <tessera/column/column.hpp>
#include <tessera/column/scalar.hpp>
#include <tessera/config.hpp>
#include <tessera/detail/column/blocks.hpp>
#include <tessera/detail/column/simd.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

TESSERA_NAMESPACE_BEGIN

/// Statistics of a primitive view of T.
template <class T>
struct statistics {
  std::optional<T> min;       ///< smallest valid non-NaN value
  std::optional<T> max;       ///< largest valid non-NaN value
  std::size_t count = 0;      ///< valid (non-null) elements, NaNs included
  std::size_t null_count = 0; ///< null elements
  std::size_t nan_count = 0;  ///< valid elements that are NaN (floating point only)
};

/// Statistics of a column of any type; min/max as scalars (null when absent; integers of
/// date32/timestamp columns; strings for string-like columns; bool for boolean).
struct column_statistics {
  scalar min;
  scalar max;
  std::size_t count = 0;
  std::size_t null_count = 0;
  std::size_t nan_count = 0;
};

namespace detail {

template <class Path, column_number T>
statistics<T> compute_statistics(primitive_view<T> v) {
  statistics<T> st;
  st.null_count = v.valid.present() ? v.null_count : 0;
  st.count = v.size - st.null_count;
  constexpr bool fp = std::is_floating_point_v<T>;
  T lo = fp ? std::numeric_limits<T>::infinity() : std::numeric_limits<T>::max();
  T hi = fp ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::lowest();
  std::size_t nans = 0;
  const auto one = [&](T x) {
    if constexpr (fp) {
      if (x != x) {
        ++nans;
        return;
      }
    }
    lo = x < lo ? x : lo;
    hi = x > hi ? x : hi;
  };
#if !defined(TESSERA_NO_SIMD)
  if constexpr (std::is_same_v<Path, simd::vector_path> && 64 % simd::width<T> == 0 &&
                simd::width<T> * 4 <= 64) {
    using B = simd::batch<T>;
    constexpr std::size_t W = simd::width<T>;
    // Four independent accumulator pairs hide the latency of min/max.
    B mn[4] = {B(lo), B(lo), B(lo), B(lo)};
    B mx[4] = {B(hi), B(hi), B(hi), B(hi)};
    std::size_t vnan = 0;
    const auto block = [&](const T* p) {
      for (std::size_t j = 0; j < 64; j += 4 * W) {
        for (std::size_t u = 0; u < 4; ++u) {
          B x = simd::load(p + j + u * W);
          if constexpr (fp) {
            const auto isnan = x != x;
            const std::uint64_t m = simd::to_mask(isnan);
            if (m != 0) {
              vnan += static_cast<std::size_t>(std::popcount(m));
              mn[u] = simd::min(mn[u], simd::select(isnan, B(lo), x));
              mx[u] = simd::max(mx[u], simd::select(isnan, B(hi), x));
              continue;
            }
          }
          mn[u] = simd::min(mn[u], x);
          mx[u] = simd::max(mx[u], x);
        }
      }
    };
    for_valid_blocks(v, block, one);
    for (std::size_t u = 0; u < 4; ++u) {
      const T a = simd::reduce_min(mn[u]);
      const T b = simd::reduce_max(mx[u]);
      lo = a < lo ? a : lo;
      hi = b > hi ? b : hi;
    }
    nans += vnan;
  } else
#endif
  {
    for_valid_blocks(
        v,
        [&](const T* p) {
          for (std::size_t j = 0; j < 64; ++j) one(p[j]);
        },
        one);
  }
  st.nan_count = nans;
  if (st.count > nans) {
    st.min = lo;
    st.max = hi;
  }
  return st;
}

template <class Path>
column_statistics column_stats(const column& c) {
  column_statistics out;
  out.null_count = c.null_count();
  out.count = c.size() - c.null_count();
  if (is_string_like(c.id())) {
    std::optional<std::string_view> lo, hi;
    for (std::size_t i = 0; i < c.size(); ++i) {
      if (!c.is_valid(i)) continue;
      const std::string_view s = c.string_at(i);
      if (!lo || s < *lo) lo = s;
      if (!hi || s > *hi) hi = s;
    }
    if (lo) out.min = scalar(std::string(*lo));
    if (hi) out.max = scalar(std::string(*hi));
    return out;
  }
  if (c.id() == type_id::boolean) {
    const auto v = c.bool_view();
    bool any_true = false, any_false = false;
    for (std::size_t i = 0; i < c.size(); ++i) {
      if (!v.is_valid(i)) continue;
      (v[i] ? any_true : any_false) = true;
    }
    if (any_true || any_false) {
      out.min = scalar(!any_false);
      out.max = scalar(any_true);
    }
    return out;
  }
  visit_physical(c.id(), [&]<class T>(std::type_identity<T>) {
    if constexpr (column_number<T>) {
      const auto st = compute_statistics<Path, T>(c.view<T>());
      out.nan_count = st.nan_count;
      if (st.min) out.min = scalar(*st.min);
      if (st.max) out.max = scalar(*st.max);
    }
    return 0;
  });
  return out;
}

} // namespace detail

/// Single-pass min, max, count, null count and NaN count of a typed view (see the header comment
/// for semantics). O(n), SIMD; reads each value once.
template <column_number T>
[[nodiscard]] statistics<T> compute_statistics(primitive_view<T> v) {
  return detail::compute_statistics<detail::simd::default_path, T>(v);
}

/// Statistics of any column.
[[nodiscard]] inline column_statistics compute_statistics(const column& c) {
  return detail::column_stats<detail::simd::default_path>(c);
}

TESSERA_NAMESPACE_END
