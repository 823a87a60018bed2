// tessera: stable multi-key sort and argsort of tables and columns.
//
// Order: each key ascending or descending, nulls first or last (per key, independent of the
// direction). Floating point: NaN is greater than every number (last ascending, first among the
// values descending); -0.0 and +0.0 are equal. Strings compare bytewise, booleans false < true.
// Stable: rows with equal keys keep their input order. O(n log n).
#pragma once

#include <tessera/column/column.hpp>
#include <tessera/column/table.hpp>
#include <tessera/column/take.hpp>
#include <tessera/config.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

TESSERA_NAMESPACE_BEGIN

/// One sort key.
struct sort_key {
  std::string column;
  bool ascending = true;
  bool nulls_first = false;
};

namespace detail {

/// Three-way comparison of two valid values under the sort order (NaN greatest).
template <class T>
int order_values(T a, T b) noexcept {
  if constexpr (std::is_floating_point_v<T>) {
    const bool na = a != a, nb = b != b;
    if (na || nb) return na == nb ? 0 : (na ? 1 : -1);
  }
  return a < b ? -1 : (b < a ? 1 : 0);
}

/// A three-way row comparator for one key column (direction and nulls applied).
inline std::function<int(std::size_t, std::size_t)> make_row_comparator(const column& c,
                                                                        const sort_key& k) {
  const int dir = k.ascending ? 1 : -1;
  const int null_side = k.nulls_first ? -1 : 1;
  const auto wrap = [&c, dir, null_side](auto cmp) -> std::function<int(std::size_t, std::size_t)> {
    if (c.null_count() == 0)
      return [cmp, dir](std::size_t i, std::size_t j) { return dir * cmp(i, j); };
    return [&c, cmp, dir, null_side](std::size_t i, std::size_t j) {
      const bool vi = c.is_valid(i), vj = c.is_valid(j);
      if (!vi || !vj) return vi == vj ? 0 : (vi ? -null_side : null_side);
      return dir * cmp(i, j);
    };
  };
  if (is_string_like(c.id()))
    return wrap([&c](std::size_t i, std::size_t j) {
      const int r = c.string_at(i).compare(c.string_at(j));
      return r < 0 ? -1 : (r > 0 ? 1 : 0);
    });
  if (c.id() == type_id::boolean) {
    const auto v = c.bool_view();
    return wrap([v](std::size_t i, std::size_t j) { return int(v[i]) - int(v[j]); });
  }
  return visit_physical(c.id(), [&]<class T>(std::type_identity<T>) {
    if constexpr (column_number<T>) {
      const T* d = c.view<T>().data;
      return wrap([d](std::size_t i, std::size_t j) { return order_values(d[i], d[j]); });
    } else {
      return std::function<int(std::size_t, std::size_t)>();
    }
  });
}

/// Single fixed-width key without nulls: sort (value, row) pairs, contiguous and typed.
template <class T>
std::vector<std::size_t> argsort_single(const T* d, std::size_t n, bool ascending) {
  std::vector<std::pair<T, std::size_t>> p(n);
  for (std::size_t i = 0; i < n; ++i) p[i] = {d[i], i};
  const auto less = [ascending](const std::pair<T, std::size_t>& a,
                                const std::pair<T, std::size_t>& b) {
    const int c = ascending ? order_values(a.first, b.first) : order_values(b.first, a.first);
    return c != 0 ? c < 0 : a.second < b.second; // row index breaks ties: stable
  };
  std::sort(p.begin(), p.end(), less);
  std::vector<std::size_t> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = p[i].second;
  return out;
}

} // namespace detail

/// The permutation that sorts `t` by `keys` (row indices in sorted order).
/// Errors: errc::not_found for an unknown column; errc::invalid_argument for no keys.
[[nodiscard]] inline expected<std::vector<std::size_t>>
try_argsort(const table& t, std::span<const sort_key> keys) {
  if (keys.empty()) return unexpected(error(errc::invalid_argument, "sort needs a key"));
  std::vector<const column*> cols;
  for (const auto& k : keys) {
    const column* c = t.find(k.column);
    if (!c) return unexpected(t.column_by_name(k.column).error());
    cols.push_back(c);
  }
  const std::size_t n = t.num_rows();
  if (keys.size() == 1 && is_fixed_width(cols[0]->id()) && cols[0]->null_count() == 0) {
    return visit_physical(cols[0]->id(), [&]<class T>(std::type_identity<T>) {
      if constexpr (column_number<T>) {
        return detail::argsort_single(cols[0]->view<T>().data, n, keys[0].ascending);
      } else {
        return std::vector<std::size_t>();
      }
    });
  }
  std::vector<std::function<int(std::size_t, std::size_t)>> cmps;
  for (std::size_t k = 0; k < keys.size(); ++k)
    cmps.push_back(detail::make_row_comparator(*cols[k], keys[k]));
  std::vector<std::size_t> idx(n);
  for (std::size_t i = 0; i < n; ++i) idx[i] = i;
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
    for (const auto& cmp : cmps) {
      const int r = cmp(a, b);
      if (r != 0) return r < 0;
    }
    return false;
  });
  return idx;
}

/// `t` sorted by `keys` (see the header comment). Errors as try_argsort.
[[nodiscard]] inline expected<table> try_sort(const table& t, std::span<const sort_key> keys) {
  auto idx = try_argsort(t, keys);
  if (!idx) return unexpected(std::move(idx.error()));
  return try_take(t, std::span<const std::size_t>(*idx));
}
/// Throwing form of try_sort.
[[nodiscard]] inline table sort(const table& t, std::span<const sort_key> keys) {
  return try_sort(t, keys).value();
}

/// The permutation that sorts one column.
[[nodiscard]] inline std::vector<std::size_t> argsort(const column& c, bool ascending = true,
                                                      bool nulls_first = false) {
  const table t = table::from_columns({{"c", c}}).value();
  const sort_key k{"c", ascending, nulls_first};
  return try_argsort(t, std::span<const sort_key>(&k, 1)).value();
}

TESSERA_NAMESPACE_END
