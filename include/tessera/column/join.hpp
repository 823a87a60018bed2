// tessera: hash join of two tables on one or more key columns: inner, left, right, full, semi,
// anti.
//
// Semantics (SQL): keys match when every key column is equal; a null key never matches (NaN
// keys match NaN, -0.0 matches +0.0, string encodings match each other). Output rows come in
// the order of the left table, each followed by its matches in right-table order; right and full
// joins then append the unmatched right rows in right-table order. Columns: every left column,
// then every right column that is not a key; a right name that collides with a left one gets
// `options.right_suffix`. In right and full joins the key columns take the right value on rows
// with no left match. Semi and anti joins return the left rows (each at most once, in order)
// that have / have no match.
// Build on the right table: expected O(|left| + |right| + |output|) time, O(|right|) memory
// (an integer key spanning at most max(2^16, 4 |right|) values: an array indexed by value).
// A single fixed-width key probes in parallel, and every join writes its output rows and gathers
// fixed-width columns in parallel (tessera's parallel loops, OpenMP); results never depend on
// the thread count.
#pragma once

#include <tessera/column/cast.hpp>
#include <tessera/column/column.hpp>
#include <tessera/column/concatenate.hpp>
#include <tessera/column/statistics.hpp>
#include <tessera/column/table.hpp>
#include <tessera/config.hpp>
#include <tessera/core/aligned_buffer.hpp>
#include <tessera/core/bitmap.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/core/parallel.hpp>
#include <tessera/detail/column/gather.hpp>
#include <tessera/detail/column/hashing.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

TESSERA_NAMESPACE_BEGIN

/// The kind of a join.
enum class join_kind : std::uint8_t { inner, left, right, full, semi, anti };

/// Options of join.
struct join_options {
  std::string right_suffix = "_right"; ///< appended to right column names that collide
};

namespace detail {

inline bool any_key_null(std::span<const column* const> keys, std::size_t row) {
  for (const column* c : keys)
    if (!c->is_valid(row)) return true;
  return false;
}

/// The right rows grouped by key (CSR: rows of group g are rows[start[g] .. start[g+1])), and for
/// each left row the group it matches (or id_table::empty). When every key occurs once on the
/// right (`direct`), left_group holds the matching right row itself and there is no CSR: the
/// common case of a join against a table's unique key needs no second random access per row.
struct join_match {
  bool direct = false;
  aligned_buffer<std::uint32_t> group_start;
  aligned_buffer<std::uint32_t> rows;
  aligned_buffer<std::uint32_t> left_group;

  void build_csr(const aligned_buffer<std::uint32_t>& right_group, std::size_t groups) {
    group_start = aligned_buffer<std::uint32_t>(groups + 1);
    for (const std::uint32_t g : right_group)
      if (g != id_table::empty) ++group_start[g + 1];
    for (std::size_t g = 0; g < groups; ++g) group_start[g + 1] += group_start[g];
    rows = aligned_buffer<std::uint32_t>(group_start[groups], tessera::uninitialized);
    aligned_buffer<std::uint32_t> fill(groups);
    for (std::size_t i = 0; i < right_group.size(); ++i) {
      const std::uint32_t g = right_group[i];
      if (g != id_table::empty) rows[group_start[g] + fill[g]++] = static_cast<std::uint32_t>(i);
    }
  }
  /// The right rows that left row i matches, in right-table order.
  [[nodiscard]] std::span<const std::uint32_t> rows_of(std::size_t i) const noexcept {
    const std::uint32_t& g = left_group[i];
    if (g == id_table::empty) return {};
    if (direct) return {&g, 1};
    return {rows.data() + group_start[g], group_start[g + 1] - group_start[g]};
  }
  /// A hint that rows_of(i) is asked for soon.
  void prefetch(std::size_t i) const noexcept {
    const std::uint32_t g = left_group[i];
    if (!direct && g != id_table::empty) detail::prefetch(group_start.data() + g);
  }
};

/// Single fixed-width key of one type on both sides: the right keys grouped by key_grouper (an
/// array indexed by value for integer keys spanning at most max(2^16, 4 x right rows) values, a
/// typed hash table otherwise), then probed in parallel.
template <class T>
join_match match_typed(const column& l, const column& r) {
  join_match m;
  const auto lv = l.view<T>();
  const auto rv = r.view<T>();
  key_grouper<T> kg(rv, std::max<std::uint64_t>(std::uint64_t{1} << 16, 4 * std::uint64_t{rv.size}),
                    rv.size);
  if constexpr (std::is_integral_v<T>) {
    const auto s = compute_statistics(rv); // one pass over the (smaller) build side
    if (s.min) kg.expect_range(*s.min, *s.max);
  }
  aligned_buffer<std::uint32_t> right_group(rv.size, tessera::uninitialized);
  std::vector<std::size_t> first_row; // of each group
  kg.assign(0, rv.size, right_group.data(), first_row);
  if (rv.null_count != 0)
    for (std::size_t j = 0; j < rv.size; ++j)
      if (!rv.is_valid(j)) right_group[j] = id_table::empty; // null keys match nothing
  const std::size_t key_groups = first_row.size() - (kg.saw_null() ? 1 : 0);
  if (key_groups == rv.size - rv.null_count) {
    m.direct = true;
    kg.relabel([&](std::uint32_t g) { return static_cast<std::uint32_t>(first_row[g]); });
  } else {
    m.build_csr(right_group, first_row.size());
  }
  // The probe reads the finished table only: parallel over left rows.
  m.left_group = aligned_buffer<std::uint32_t>(lv.size, tessera::uninitialized);
  const bool ahead = kg.large();
  parallel_for_chunks(
      std::size_t{0}, lv.size,
      [&](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) {
          if (ahead && i + prefetch_distance < e) kg.prefetch(lv.data[i + prefetch_distance]);
          m.left_group[i] = lv.is_valid(i) ? kg.find(lv.data[i]) : id_table::empty;
        }
      },
      1 << 14);
  return m;
}

/// Any keys: row hashes, then candidates checked cell by cell.
inline join_match match_generic(std::span<const column* const> lk, std::size_t nl,
                                std::span<const column* const> rk, std::size_t nr) {
  join_match m;
  const auto rhash = hash_rows(rk, nr);
  id_table table(nr);
  std::vector<std::size_t> first_row;
  aligned_buffer<std::uint32_t> right_group(nr, id_table::empty);
  for (std::size_t j = 0; j < nr; ++j) {
    if (any_key_null(rk, j)) continue;
    bool inserted = false;
    const auto next = static_cast<std::uint32_t>(first_row.size());
    right_group[j] = table.find_or_insert(
        rhash[j], next, [&](std::uint32_t g) { return rows_equal(rk, first_row[g], rk, j); },
        inserted);
    if (inserted) first_row.push_back(j);
  }
  m.build_csr(right_group, first_row.size());
  const auto lhash = hash_rows(lk, nl);
  m.left_group = aligned_buffer<std::uint32_t>(nl, id_table::empty);
  for (std::size_t i = 0; i < nl; ++i) {
    if (any_key_null(lk, i)) continue;
    std::uint32_t& found = m.left_group[i];
    table.for_each_candidate(lhash[i], [&](std::uint32_t g) {
      if (found == id_table::empty && rows_equal(lk, i, rk, first_row[g])) found = g;
    });
  }
  return m;
}

inline expected<std::vector<const column*>> find_keys(const table& t,
                                                      std::span<const std::string> names) {
  std::vector<const column*> out;
  for (const auto& n : names) {
    const column* c = t.find(n);
    if (!c) return unexpected(t.column_by_name(n).error());
    out.push_back(c);
  }
  return out;
}

/// The joined table from the matches (see try_join), with row indices of type Idx (max():
/// missing side).
template <class Idx>
expected<table>
join_output(const table& left, const table& right, std::span<const column* const> rk,
            std::span<const std::string> left_keys, std::span<const std::string> right_keys,
            join_kind kind, const join_options& options, const join_match& match) {
  // Output row indices, sized exactly by a counting pass, then filled chunk by chunk in parallel
  // at each chunk's offset.
  constexpr Idx missing = std::numeric_limits<Idx>::max();
  const std::size_t nl = left.num_rows(), nr = right.num_rows();
  const bool semi_anti = kind == join_kind::semi || kind == join_kind::anti;
  const bool keep_left = kind == join_kind::left || kind == join_kind::full;
  const bool track_right = kind == join_kind::right || kind == join_kind::full;
  constexpr std::uint32_t none = id_table::empty;
  const std::uint32_t* found = match.left_group.data(); // direct: the right row, or none
  const auto out_rows = [&](std::size_t i) -> std::size_t {
    const std::size_t k = match.rows_of(i).size();
    if (semi_anti) return (k != 0) == (kind == join_kind::semi) ? 1 : 0;
    return k == 0 && keep_left ? 1 : k;
  };
  constexpr std::size_t chunk = std::size_t{1} << 16;
  const std::size_t chunks = (nl + chunk - 1) / chunk;
  std::vector<std::size_t> offset(chunks + 1, 0);
  bitmap right_matched(track_right ? nr : 0);
  const auto count_chunk = [&](std::size_t c) {
    std::size_t out = 0;
    const std::size_t b = c * chunk, e = std::min(nl, b + chunk);
    if (match.direct && !track_right) { // at most one match per row: counts vectorize
      if (keep_left) {
        out = e - b;
      } else {
        for (std::size_t i = b; i < e; ++i) out += found[i] != none;
        if (kind == join_kind::anti) out = (e - b) - out;
      }
    } else {
      for (std::size_t i = b; i < e; ++i) {
        if (i + prefetch_distance < e) match.prefetch(i + prefetch_distance);
        out += out_rows(i);
        if (track_right)
          for (const std::uint32_t j : match.rows_of(i)) right_matched.set(j);
      }
    }
    offset[c + 1] = out;
  };
  if (track_right) { // right_matched is shared: one thread
    for (std::size_t c = 0; c < chunks; ++c) count_chunk(c);
  } else {
    parallel_for(std::size_t{0}, chunks, count_chunk, 1);
  }
  for (std::size_t c = 0; c < chunks; ++c) offset[c + 1] += offset[c];
  const std::size_t unmatched_right = track_right ? nr - right_matched.count() : 0;
  const std::size_t n = offset[chunks] + unmatched_right;
  aligned_buffer<Idx> li(n, tessera::uninitialized);
  aligned_buffer<Idx> ri(semi_anti ? 0 : n, tessera::uninitialized);
  const auto fill_chunk = [&](std::size_t c) {
    std::size_t o = offset[c];
    const std::size_t oend = offset[c + 1];
    const std::size_t b = c * chunk, e = std::min(nl, b + chunk);
    if (match.direct && !keep_left) {
      // Branch-free compaction (matches are unpredictable): each row is written at o, which
      // advances only for kept rows; stop once the chunk's share is full, so that no write
      // lands in the next chunk's.
      const bool want_match = kind != join_kind::anti;
      for (std::size_t i = b; i < e && o < oend; ++i) {
        const std::uint32_t g = found[i];
        li[o] = static_cast<Idx>(i);
        if (!semi_anti) ri[o] = static_cast<Idx>(g);
        o += (g != none) == want_match;
      }
      return;
    }
    if (match.direct) { // left join: one row per left row
      for (std::size_t i = b; i < e; ++i) {
        const std::uint32_t g = found[i];
        li[o] = static_cast<Idx>(i);
        ri[o++] = g == none ? missing : static_cast<Idx>(g);
      }
      return;
    }
    for (std::size_t i = b; i < e; ++i) {
      if (i + prefetch_distance < e) match.prefetch(i + prefetch_distance);
      const auto rows = match.rows_of(i);
      if (semi_anti) {
        if (rows.empty() != (kind == join_kind::semi)) li[o++] = static_cast<Idx>(i);
        continue;
      }
      for (const std::uint32_t j : rows) {
        li[o] = static_cast<Idx>(i);
        ri[o++] = static_cast<Idx>(j);
      }
      if (rows.empty() && keep_left) {
        li[o] = static_cast<Idx>(i);
        ri[o++] = missing;
      }
    }
  };
  parallel_for(std::size_t{0}, chunks, fill_chunk, 1);
  if (track_right) {
    std::size_t o = offset[chunks];
    for (std::size_t j = 0; j < nr; ++j) {
      if (right_matched[j]) continue;
      li[o] = missing;
      ri[o++] = static_cast<Idx>(j);
    }
  }

  const auto row_of = [](const aligned_buffer<Idx>& idx) {
    return [&idx](std::size_t k) {
      return idx[k] == missing ? std::size_t{0} : static_cast<std::size_t>(idx[k]);
    };
  };
  const auto gather_side = [n, &row_of](const column& c, const aligned_buffer<Idx>& idx,
                                        bool may_miss) {
    if (!may_miss) return gather_rows(c, n, row_of(idx), std::false_type{});
    return gather_rows(c, n, row_of(idx), [&](std::size_t k) { return idx[k] == missing; });
  };
  std::vector<field> fields;
  std::vector<column> cols;
  try {
    if (semi_anti) {
      for (std::size_t c = 0; c < left.num_columns(); ++c) {
        fields.push_back(left.schema()[c]);
        cols.push_back(gather_rows(
            left[c], n, [&](std::size_t k) { return static_cast<std::size_t>(li[k]); },
            std::false_type{}));
      }
      return table::make(schema(std::move(fields)), std::move(cols));
    }
    const bool coalesce_keys = kind == join_kind::right || kind == join_kind::full;
    for (std::size_t c = 0; c < left.num_columns(); ++c) {
      field f = left.schema()[c];
      f.nullable = true;
      std::size_t key_index = left_keys.size();
      for (std::size_t k = 0; k < left_keys.size(); ++k)
        if (left_keys[k] == f.name) key_index = k;
      if (coalesce_keys && key_index < left_keys.size()) {
        // Left value where there is a left row, else the right key's value.
        auto rcol = try_cast(*rk[key_index], left[c].type());
        if (!rcol) return unexpected(std::move(rcol.error()));
        const column both[] = {left[c], *rcol};
        auto cat = try_concatenate(std::span<const column>(both));
        if (!cat) return unexpected(std::move(cat.error()));
        cols.push_back(gather_rows(
            *cat, n,
            [&](std::size_t k) {
              return li[k] != missing ? static_cast<std::size_t>(li[k])
                                      : nl + static_cast<std::size_t>(ri[k]);
            },
            std::false_type{}));
      } else {
        cols.push_back(gather_side(left[c], li, track_right));
      }
      fields.push_back(std::move(f));
    }
    for (std::size_t c = 0; c < right.num_columns(); ++c) {
      field f = right.schema()[c];
      bool is_key = false;
      for (const auto& k : right_keys) is_key = is_key || k == f.name;
      if (is_key) continue;
      if (left.schema().index_of(f.name)) f.name += options.right_suffix;
      f.nullable = true;
      cols.push_back(gather_side(right[c], ri, keep_left));
      fields.push_back(std::move(f));
    }
  } catch (const tessera::exception& e) {
    return unexpected(e.error());
  }
  return table::make(schema(std::move(fields)), std::move(cols));
}

} // namespace detail

/// Joins `left` and `right` where left_keys equal right_keys (see the header comment).
/// Errors: errc::not_found for an unknown key, errc::invalid_argument for key lists of different
/// lengths, no keys, or incompatible key types; errc::overflow for a string result beyond
/// 2^31 - 1 bytes.
[[nodiscard]] inline expected<table> try_join(const table& left, const table& right,
                                              std::span<const std::string> left_keys,
                                              std::span<const std::string> right_keys,
                                              join_kind kind, const join_options& options = {}) {
  if (left_keys.empty() || left_keys.size() != right_keys.size())
    return unexpected(error(errc::invalid_argument,
                            "join needs the same number (at least one) of left and right keys"));
  auto lk = detail::find_keys(left, left_keys);
  if (!lk) return unexpected(std::move(lk.error()));
  auto rk = detail::find_keys(right, right_keys);
  if (!rk) return unexpected(std::move(rk.error()));
  if (auto ok = detail::check_key_types(*lk, *rk, left_keys); !ok)
    return unexpected(std::move(ok.error()));

  const std::size_t nl = left.num_rows(), nr = right.num_rows();
  if (nr >= detail::id_table::empty)
    return unexpected(error(errc::overflow, "join: the right table has " + std::to_string(nr) +
                                                " rows; at most 2^32 - 2 are supported"));
  detail::join_match match;
  const column& l0 = *(*lk)[0];
  const column& r0 = *(*rk)[0];
  if (lk->size() == 1 && is_fixed_width(l0.id()) && l0.type() == r0.type()) {
    visit_physical(l0.id(), [&]<class T>(std::type_identity<T>) {
      if constexpr (column_number<T>) match = detail::match_typed<T>(l0, r0);
      return 0;
    });
  } else {
    match = detail::match_generic(*lk, nl, *rk, nr);
  }
  // 32-bit row indices whenever both sides fit (half the memory traffic of 64-bit ones).
  if (std::max(nl, nr) < std::numeric_limits<std::uint32_t>::max())
    return detail::join_output<std::uint32_t>(left, right, *rk, left_keys, right_keys, kind,
                                              options, match);
  return detail::join_output<std::uint64_t>(left, right, *rk, left_keys, right_keys, kind, options,
                                            match);
}

/// Joins on key columns that have the same names on both sides.
[[nodiscard]] inline expected<table> try_join(const table& left, const table& right,
                                              std::span<const std::string> keys, join_kind kind,
                                              const join_options& options = {}) {
  return try_join(left, right, keys, keys, kind, options);
}
/// Throwing form of try_join.
[[nodiscard]] inline table join(const table& left, const table& right,
                                std::span<const std::string> keys, join_kind kind,
                                const join_options& options = {}) {
  return try_join(left, right, keys, keys, kind, options).value();
}

TESSERA_NAMESPACE_END
