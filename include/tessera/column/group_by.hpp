// tessera: hash group-by with sum, count, min, max and mean, on one or more key columns of any
// type.
//
// Semantics: rows with equal keys form a group (null keys form their own group; NaN keys one
// group; -0.0 and +0.0 one group). Groups appear in order of their first row. The result has the
// key columns (values of each group's first row) followed by one column per aggregate:
//  - count:  int64, valid values in the group (count with an empty column name counts rows);
//  - sum:    int64 / uint64 / float64 as sum_t (exact for integers; errc::overflow past 64 bits);
//            null when the group has no valid value;
//  - mean:   float64, null when the group has no valid value;
//  - min/max: the column's type; nulls and NaNs skipped; null when nothing is left.
// Expected O(rows) time and O(groups) extra memory beyond the group id of each row.
#pragma once

#include <tessera/column/buffer.hpp>
#include <tessera/column/column.hpp>
#include <tessera/column/reduce.hpp>
#include <tessera/column/table.hpp>
#include <tessera/config.hpp>
#include <tessera/core/aligned_buffer.hpp>
#include <tessera/core/bitmap.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/detail/column/gather.hpp>
#include <tessera/detail/column/hashing.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

TESSERA_NAMESPACE_BEGIN

/// An aggregate function.
enum class aggregate_kind : std::uint8_t { count, sum, min, max, mean };

/// "count", "sum", "min", "max", "mean".
[[nodiscard]] constexpr std::string_view to_string(aggregate_kind k) noexcept {
  constexpr std::string_view names[] = {"count", "sum", "min", "max", "mean"};
  return names[static_cast<unsigned>(k)];
}

/// One aggregate of a group-by: the function, its input column and the result's name
/// (default: "kind(column)", e.g. "sum(price)"; "count(*)" for a row count).
struct aggregate {
  aggregate_kind kind = aggregate_kind::count;
  std::string column; ///< empty only for count: counts rows
  std::string as;     ///< result name; empty for the default
};

namespace detail {

template <class T>
column aggregate_min_max(const primitive_view<T>& v, const grouping& g, bool want_min,
                         data_type type) {
  const std::size_t ng = g.groups();
  aligned_buffer<T> best(ng);
  bitmap has(ng);
  for (std::size_t i = 0; i < v.size; ++i) {
    if (!v.is_valid(i)) continue;
    const T x = v.data[i];
    if constexpr (std::is_floating_point_v<T>) {
      if (x != x) continue;
    }
    const std::uint32_t k = g.group_of[i];
    if (!has[k]) {
      has.set(k);
      best[k] = x;
    } else if (want_min ? x < best[k] : x > best[k]) {
      best[k] = x;
    }
  }
  const bool all = has.all();
  return column::unchecked(type, ng, all ? buffer() : buffer(std::move(has)),
                           buffer(std::move(best)));
}

template <class T>
expected<column> aggregate_sum_mean(const primitive_view<T>& v, const grouping& g, bool mean) {
  const std::size_t ng = g.groups();
  using wide = std::conditional_t<std::is_floating_point_v<T>, double,
                                  std::conditional_t<std::is_signed_v<T>, int128_t, uint128_t>>;
  std::vector<wide> acc(ng, wide{0});
  std::vector<std::int64_t> cnt(ng, 0);
  const std::uint32_t* group_of = g.group_of.data();
  if (v.null_count == 0) {
    wide* a = acc.data();
    std::int64_t* c = cnt.data();
    for (std::size_t i = 0; i < v.size; ++i) {
      const std::uint32_t k = group_of[i];
      a[k] += static_cast<wide>(v.data[i]);
      ++c[k];
    }
  } else {
    for (std::size_t i = 0; i < v.size; ++i) {
      if (!v.is_valid(i)) continue;
      const std::uint32_t k = g.group_of[i];
      acc[k] += static_cast<wide>(v.data[i]);
      ++cnt[k];
    }
  }
  bitmap has(ng);
  for (std::size_t k = 0; k < ng; ++k)
    if (cnt[k] != 0) has.set(k);
  const bool all = has.all();
  if (mean) {
    aligned_buffer<double> out(ng);
    for (std::size_t k = 0; k < ng; ++k)
      if (cnt[k] != 0)
        out[k] = static_cast<double>(static_cast<long double>(acc[k]) /
                                     static_cast<long double>(cnt[k]));
    return column::unchecked(type_id::float64, ng, all ? buffer() : buffer(std::move(has)),
                             buffer(std::move(out)));
  }
  using R = sum_t<T>;
  aligned_buffer<R> out(ng);
  for (std::size_t k = 0; k < ng; ++k) {
    if constexpr (!std::is_floating_point_v<T>) {
      if (acc[k] > static_cast<wide>(std::numeric_limits<R>::max()) ||
          (std::is_signed_v<T> && acc[k] < static_cast<wide>(std::numeric_limits<R>::lowest())))
        return unexpected(error(errc::overflow,
                                "sum of group " + std::to_string(k) + " does not fit in 64 bits"));
    }
    out[k] = static_cast<R>(acc[k]);
  }
  return column::unchecked(type_of_v<R>, ng, all ? buffer() : buffer(std::move(has)),
                           buffer(std::move(out)));
}

inline expected<column> run_aggregate(const aggregate& a, const column* c, const grouping& g,
                                      std::size_t rows) {
  const std::size_t ng = g.groups();
  if (a.kind == aggregate_kind::count) {
    aligned_buffer<std::int64_t> out(ng);
    if (c == nullptr || c->null_count() == 0) {
      for (std::size_t i = 0; i < rows; ++i) ++out[g.group_of[i]];
    } else {
      for (std::size_t i = 0; i < rows; ++i)
        if (c->is_valid(i)) ++out[g.group_of[i]];
    }
    return column::unchecked(type_id::int64, ng, {}, buffer(std::move(out)));
  }
  const bool minmax = a.kind == aggregate_kind::min || a.kind == aggregate_kind::max;
  if (minmax && (is_string_like(c->id()) || c->id() == type_id::boolean)) {
    // Rare in practice: pick the winning row per group, then gather it.
    std::vector<std::size_t> best(ng, std::numeric_limits<std::size_t>::max());
    const bool want_min = a.kind == aggregate_kind::min;
    for (std::size_t i = 0; i < rows; ++i) {
      if (!c->is_valid(i)) continue;
      std::size_t& b = best[g.group_of[i]];
      if (b == std::numeric_limits<std::size_t>::max()) {
        b = i;
        continue;
      }
      const bool better =
          c->id() == type_id::boolean
              ? (want_min ? (!c->value<bool>(i) && c->value<bool>(b))
                          : (c->value<bool>(i) && !c->value<bool>(b)))
              : (want_min ? c->string_at(i) < c->string_at(b) : c->string_at(i) > c->string_at(b));
      if (better) b = i;
    }
    return gather_rows(
        *c, ng,
        [&](std::size_t k) {
          return best[k] == std::numeric_limits<std::size_t>::max() ? std::size_t{0} : best[k];
        },
        [&](std::size_t k) { return best[k] == std::numeric_limits<std::size_t>::max(); });
  }
  if (!is_numeric(c->id()) && !(minmax && is_fixed_width(c->id())))
    return unexpected(error(errc::invalid_argument, std::string(to_string(a.kind)) +
                                                        " needs a numeric column, not " +
                                                        to_string(c->type())));
  return visit_physical(c->id(), [&]<class T>(std::type_identity<T>) -> expected<column> {
    if constexpr (column_number<T>) {
      const auto v = c->view<T>();
      if (minmax) return aggregate_min_max(v, g, a.kind == aggregate_kind::min, c->type());
      return aggregate_sum_mean(v, g, a.kind == aggregate_kind::mean);
    } else {
      return unexpected(error(errc::invalid_argument, "unsupported aggregate input"));
    }
  });
}

} // namespace detail

/// Groups `t` by the `keys` columns and computes `aggregates` per group (see the header comment).
/// Errors: errc::not_found for an unknown column, errc::invalid_argument for an aggregate on a
/// column it does not apply to (or no keys), errc::overflow for an integer sum beyond 64 bits.
[[nodiscard]] inline expected<table> try_group_by(const table& t, std::span<const std::string> keys,
                                                  std::span<const aggregate> aggregates) {
  if (keys.empty()) return unexpected(error(errc::invalid_argument, "group_by needs a key column"));
  std::vector<const column*> key_cols;
  for (const auto& k : keys) {
    const column* c = t.find(k);
    if (!c) return unexpected(t.column_by_name(k).error());
    key_cols.push_back(c);
  }
  std::vector<const column*> agg_cols;
  for (const auto& a : aggregates) {
    if (a.column.empty()) {
      if (a.kind != aggregate_kind::count)
        return unexpected(
            error(errc::invalid_argument, std::string(to_string(a.kind)) + " needs a column"));
      agg_cols.push_back(nullptr);
      continue;
    }
    const column* c = t.find(a.column);
    if (!c) return unexpected(t.column_by_name(a.column).error());
    agg_cols.push_back(c);
  }
  detail::grouping g;
  try {
    g = detail::group_rows(key_cols, t.num_rows());
  } catch (const tessera::exception& e) {
    return unexpected(e.error());
  }
  std::vector<field> fields;
  std::vector<column> cols;
  for (std::size_t k = 0; k < keys.size(); ++k) {
    const auto idx = *t.schema().index_of(keys[k]);
    fields.push_back(t.schema()[idx]);
    cols.push_back(detail::gather_rows(
        *key_cols[k], g.groups(), [&](std::size_t r) { return g.first_row[r]; },
        std::false_type{}));
  }
  for (std::size_t k = 0; k < aggregates.size(); ++k) {
    const aggregate& a = aggregates[k];
    auto c = detail::run_aggregate(a, agg_cols[k], g, t.num_rows());
    if (!c) return unexpected(std::move(c.error()));
    std::string name = !a.as.empty() ? a.as
                                     : std::string(to_string(a.kind)) + "(" +
                                           (a.column.empty() ? std::string("*") : a.column) + ")";
    fields.push_back(field{std::move(name), c->type(), true, {}});
    cols.push_back(std::move(*c));
  }
  return table::make(schema(std::move(fields)), std::move(cols));
}
/// Throwing form of try_group_by.
[[nodiscard]] inline table group_by(const table& t, std::span<const std::string> keys,
                                    std::span<const aggregate> aggregates) {
  return try_group_by(t, keys, aggregates).value();
}

TESSERA_NAMESPACE_END
