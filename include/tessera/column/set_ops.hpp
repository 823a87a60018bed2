// tessera: distinct rows, and union / intersect / except of tables in ALL and DISTINCT forms.
//
// Rows are equal when every column is equal under key equality: null equals null, NaN equals NaN,
// -0.0 equals +0.0, string encodings are interchangeable (SQL's IS NOT DISTINCT FROM). Output
// keeps the order of first appearance in the left table (then the right one for union).
//  - union ALL: every row of a, then every row of b. union DISTINCT: distinct(union ALL).
//  - intersect DISTINCT: distinct rows of a that occur in b. intersect ALL: a row occurring m
//    times in a and n times in b appears min(m, n) times (its first occurrences in a).
//  - except DISTINCT: distinct rows of a that do not occur in b. except ALL: max(m - n, 0) times
//    (its first occurrences in a).
// The two tables must have the same column names and types (the left schema is kept).
// Expected O(|a| + |b|) time.
#pragma once

#include <tessera/column/column.hpp>
#include <tessera/column/concatenate.hpp>
#include <tessera/column/table.hpp>
#include <tessera/column/take.hpp>
#include <tessera/config.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/detail/column/hashing.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

TESSERA_NAMESPACE_BEGIN

/// Which set operation.
enum class set_op : std::uint8_t { union_, intersect, except };
/// ALL keeps duplicates (multiset semantics); DISTINCT removes them.
enum class set_quantifier : std::uint8_t { all, distinct };

namespace detail {
inline std::vector<const column*> all_columns(const table& t) {
  std::vector<const column*> out;
  for (const auto& c : t.columns()) out.push_back(&c);
  return out;
}
} // namespace detail

/// The distinct rows of `t` over the `columns` named (all columns when empty), first occurrence
/// kept, in order. Errors: errc::not_found for an unknown column.
[[nodiscard]] inline expected<table> try_distinct(const table& t,
                                                  std::span<const std::string> columns = {}) {
  std::vector<const column*> keys;
  if (columns.empty()) {
    keys = detail::all_columns(t);
  } else {
    for (const auto& n : columns) {
      const column* c = t.find(n);
      if (!c) return unexpected(t.column_by_name(n).error());
      keys.push_back(c);
    }
  }
  if (keys.empty()) return t;
  try {
    const auto g = detail::group_rows(keys, t.num_rows());
    return try_take(t, std::span<const std::size_t>(g.first_row));
  } catch (const tessera::exception& e) {
    return unexpected(e.error());
  }
}
[[nodiscard]] inline table distinct(const table& t, std::span<const std::string> columns = {}) {
  return try_distinct(t, columns).value();
}

/// a `op` b with quantifier `q` (see the header comment). Errors: errc::invalid_argument when
/// the tables' columns differ in names or types.
[[nodiscard]] inline expected<table> try_set_operation(const table& a, const table& b, set_op op,
                                                       set_quantifier q) {
  const table parts[] = {a, b};
  auto both = try_concatenate(std::span<const table>(parts));
  if (!both) return unexpected(std::move(both.error()));
  if (op == set_op::union_) {
    if (q == set_quantifier::all) return both;
    return try_distinct(*both);
  }
  const auto keys = detail::all_columns(*both);
  if (keys.empty()) return a;
  detail::grouping g;
  try {
    g = detail::group_rows(keys, both->num_rows());
  } catch (const tessera::exception& e) {
    return unexpected(e.error());
  }
  const std::size_t na = a.num_rows();
  std::vector<std::uint64_t> in_a(g.groups()), in_b(g.groups()), emitted(g.groups());
  for (std::size_t i = 0; i < both->num_rows(); ++i) ++(i < na ? in_a : in_b)[g.group_of[i]];
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < na; ++i) {
    const std::uint32_t k = g.group_of[i];
    std::uint64_t limit;
    if (op == set_op::intersect) {
      limit = q == set_quantifier::distinct ? (in_b[k] != 0 ? 1 : 0) : std::min(in_a[k], in_b[k]);
    } else {
      limit = q == set_quantifier::distinct ? (in_b[k] == 0 ? 1 : 0)
                                            : (in_a[k] > in_b[k] ? in_a[k] - in_b[k] : 0);
    }
    if (emitted[k] < limit) {
      ++emitted[k];
      rows.push_back(i);
    }
  }
  return try_take(a, std::span<const std::size_t>(rows));
}
/// Throwing form of try_set_operation.
[[nodiscard]] inline table set_operation(const table& a, const table& b, set_op op,
                                         set_quantifier q) {
  return try_set_operation(a, b, op, q).value();
}

TESSERA_NAMESPACE_END
