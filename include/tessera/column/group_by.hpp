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
// Expected O(rows) time. One fixed-width key: O(groups) extra memory (plus an id per possible
// value when an integer key spans a small range), rows streamed in cache-sized chunks; other
// keys: a group id per row besides.
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

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
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

/// Rows per chunk of the single-key path: the chunk's group ids stay in L1 while every aggregate
/// consumes them, instead of a 4-byte id per row going to memory and back.
inline constexpr std::size_t group_chunk_rows = 4096;

/// The running state of one aggregate, fed the group ids of consecutive row ranges.
class aggregate_state {
public:
  virtual ~aggregate_state() = default;
  /// Rows [begin, end) belong to groups ids[0 .. end - begin); `groups` groups exist so far.
  virtual void update(std::size_t begin, std::size_t end, const std::uint32_t* ids,
                      std::size_t groups) = 0;
  /// The result column over `groups` groups (errc::overflow for an integer sum past 64 bits).
  virtual expected<column> finish(std::size_t groups) = 0;
};

/// count(*) (c null) or count(c).
class count_state final : public aggregate_state {
public:
  explicit count_state(const column* c) : c_(c) {}
  void update(std::size_t begin, std::size_t end, const std::uint32_t* ids,
              std::size_t groups) override {
    n_.resize(groups);
    std::int64_t* n = n_.data();
    if (c_ == nullptr || c_->null_count() == 0) {
      for (std::size_t i = begin; i < end; ++i) ++n[ids[i - begin]];
    } else {
      const validity_view valid = c_->validity();
      for (std::size_t i = begin; i < end; ++i)
        if (valid(i)) ++n[ids[i - begin]];
    }
  }
  expected<column> finish(std::size_t groups) override {
    n_.resize(groups);
    return column::unchecked(
        type_id::int64, groups, {},
        buffer(aligned_buffer<std::int64_t>(std::span<const std::int64_t>(n_))));
  }

private:
  const column* c_;
  std::vector<std::int64_t> n_;
};

/// sum or mean of a numeric column, accumulated exactly for integers (128 bits), in double for
/// floating point, each group in row order.
template <class T>
class sum_state final : public aggregate_state {
public:
  sum_state(primitive_view<T> v, bool mean) : v_(v), mean_(mean) {}
  void update(std::size_t begin, std::size_t end, const std::uint32_t* ids,
              std::size_t groups) override {
    acc_.resize(groups);
    slot* a = acc_.data();
    const T* v = v_.data;
    if (v_.null_count == 0) {
      // Many groups miss the cache on every row: prefetch a few rows ahead so misses overlap.
      if (groups > (std::size_t{1} << 16)) {
        for (std::size_t i = begin; i < end; ++i) {
          if (i + prefetch_distance < end) prefetch(a + ids[i + prefetch_distance - begin]);
          slot& s = a[ids[i - begin]];
          s.sum += static_cast<wide>(v[i]);
          ++s.n;
        }
        return;
      }
      for (std::size_t i = begin; i < end; ++i) {
        slot& s = a[ids[i - begin]];
        s.sum += static_cast<wide>(v[i]);
        ++s.n;
      }
    } else {
      for (std::size_t i = begin; i < end; ++i) {
        if (!v_.is_valid(i)) continue;
        slot& s = a[ids[i - begin]];
        s.sum += static_cast<wide>(v[i]);
        ++s.n;
      }
    }
  }
  expected<column> finish(std::size_t ng) override {
    acc_.resize(ng);
    bitmap has(ng);
    for (std::size_t k = 0; k < ng; ++k)
      if (acc_[k].n != 0) has.set(k);
    const bool all = has.all();
    if (mean_) {
      aligned_buffer<double> out(ng);
      for (std::size_t k = 0; k < ng; ++k)
        if (acc_[k].n != 0)
          out[k] = static_cast<double>(static_cast<long double>(acc_[k].sum) /
                                       static_cast<long double>(acc_[k].n));
      return column::unchecked(type_id::float64, ng, all ? buffer() : buffer(std::move(has)),
                               buffer(std::move(out)));
    }
    using R = sum_t<T>;
    aligned_buffer<R> out(ng);
    for (std::size_t k = 0; k < ng; ++k) {
      if constexpr (!std::is_floating_point_v<T>) {
        const wide x = acc_[k].sum;
        if (x > static_cast<wide>(std::numeric_limits<R>::max()) ||
            (std::is_signed_v<T> && x < static_cast<wide>(std::numeric_limits<R>::lowest())))
          return unexpected(error(errc::overflow, "sum of group " + std::to_string(k) +
                                                      " does not fit in 64 bits"));
      }
      out[k] = static_cast<R>(acc_[k].sum);
    }
    return column::unchecked(type_of_v<R>, ng, all ? buffer() : buffer(std::move(has)),
                             buffer(std::move(out)));
  }

private:
  using wide = std::conditional_t<std::is_floating_point_v<T>, double,
                                  std::conditional_t<std::is_signed_v<T>, int128_t, uint128_t>>;
  struct slot { // sum and count side by side: one cache line per row when groups are many
    wide sum = 0;
    std::int64_t n = 0;
  };
  primitive_view<T> v_;
  bool mean_;
  std::vector<slot> acc_;
};

/// min or max of a fixed-width column (nulls and NaNs skipped; the first of equal values kept).
template <class T>
class min_max_state final : public aggregate_state {
public:
  min_max_state(primitive_view<T> v, bool want_min, data_type type)
      : v_(v), want_min_(want_min), type_(std::move(type)) {}
  void update(std::size_t begin, std::size_t end, const std::uint32_t* ids,
              std::size_t groups) override {
    best_.resize(groups);
    has_.resize(groups, 0);
    for (std::size_t i = begin; i < end; ++i) {
      if (!v_.is_valid(i)) continue;
      const T x = v_.data[i];
      if constexpr (std::is_floating_point_v<T>) {
        if (x != x) continue;
      }
      const std::uint32_t k = ids[i - begin];
      if (!has_[k]) {
        has_[k] = 1;
        best_[k] = x;
      } else if (want_min_ ? x < best_[k] : x > best_[k]) {
        best_[k] = x;
      }
    }
  }
  expected<column> finish(std::size_t ng) override {
    best_.resize(ng);
    has_.resize(ng, 0);
    bitmap has(ng);
    aligned_buffer<T> best(ng);
    for (std::size_t k = 0; k < ng; ++k) {
      if (!has_[k]) continue;
      has.set(k);
      best[k] = best_[k];
    }
    const bool all = has.all();
    return column::unchecked(type_, ng, all ? buffer() : buffer(std::move(has)),
                             buffer(std::move(best)));
  }

private:
  primitive_view<T> v_;
  bool want_min_;
  data_type type_;
  std::vector<T> best_;
  std::vector<std::uint8_t> has_;
};

/// min or max of a string or boolean column: the winning row of each group, gathered at the end
/// (rare in practice).
class min_max_row_state final : public aggregate_state {
public:
  min_max_row_state(const column& c, bool want_min) : c_(c), want_min_(want_min) {}
  void update(std::size_t begin, std::size_t end, const std::uint32_t* ids,
              std::size_t groups) override {
    best_.resize(groups, missing);
    const bool boolean = c_.id() == type_id::boolean;
    for (std::size_t i = begin; i < end; ++i) {
      if (!c_.is_valid(i)) continue;
      std::size_t& b = best_[ids[i - begin]];
      if (b == missing) {
        b = i;
        continue;
      }
      const bool better = boolean ? (want_min_ ? (!c_.value<bool>(i) && c_.value<bool>(b))
                                               : (c_.value<bool>(i) && !c_.value<bool>(b)))
                                  : (want_min_ ? c_.string_at(i) < c_.string_at(b)
                                               : c_.string_at(i) > c_.string_at(b));
      if (better) b = i;
    }
  }
  expected<column> finish(std::size_t ng) override {
    best_.resize(ng, missing);
    return gather_rows(
        c_, ng, [&](std::size_t k) { return best_[k] == missing ? std::size_t{0} : best_[k]; },
        [&](std::size_t k) { return best_[k] == missing; });
  }

private:
  static constexpr std::size_t missing = std::numeric_limits<std::size_t>::max();
  const column& c_;
  bool want_min_;
  std::vector<std::size_t> best_;
};

/// The state of aggregate `a` over column c (null for count(*)), or why it does not apply.
inline expected<std::unique_ptr<aggregate_state>> make_aggregate_state(const aggregate& a,
                                                                       const column* c) {
  using ptr = std::unique_ptr<aggregate_state>;
  if (a.kind == aggregate_kind::count) return ptr(new count_state(c));
  const bool minmax = a.kind == aggregate_kind::min || a.kind == aggregate_kind::max;
  const bool want_min = a.kind == aggregate_kind::min;
  if (minmax && (is_string_like(c->id()) || c->id() == type_id::boolean))
    return ptr(new min_max_row_state(*c, want_min));
  if (!is_numeric(c->id()) && !(minmax && is_fixed_width(c->id())))
    return unexpected(error(errc::invalid_argument, std::string(to_string(a.kind)) +
                                                        " needs a numeric column, not " +
                                                        to_string(c->type())));
  return visit_physical(c->id(), [&]<class T>(std::type_identity<T>) -> expected<ptr> {
    if constexpr (column_number<T>) {
      const auto v = c->view<T>();
      if (minmax) return ptr(new min_max_state<T>(v, want_min, c->type()));
      return ptr(new sum_state<T>(v, a.kind == aggregate_kind::mean));
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
  std::vector<std::unique_ptr<detail::aggregate_state>> states;
  for (std::size_t k = 0; k < aggregates.size(); ++k) {
    auto s = detail::make_aggregate_state(aggregates[k], agg_cols[k]);
    if (!s) return unexpected(std::move(s.error()));
    states.push_back(std::move(*s));
  }
  const std::size_t rows = t.num_rows();
  detail::grouping g;
  try {
    const column& k0 = *key_cols[0];
    if (key_cols.size() == 1 && is_fixed_width(k0.id())) {
      // One fixed-width key: ids chunk by chunk, each chunk aggregated while its ids are cached.
      visit_physical(k0.id(), [&]<class T>(std::type_identity<T>) {
        if constexpr (column_number<T>) {
          detail::key_grouper<T> kg(k0.view<T>());
          aligned_buffer<std::uint32_t> ids(std::min(rows, detail::group_chunk_rows),
                                            tessera::uninitialized);
          for (std::size_t b = 0; b < rows; b += detail::group_chunk_rows) {
            const std::size_t e = std::min(rows, b + detail::group_chunk_rows);
            kg.assign(b, e, ids.data(), g.first_row);
            for (auto& s : states) s->update(b, e, ids.data(), g.groups());
          }
        }
        return 0;
      });
    } else {
      g = detail::group_rows(key_cols, rows);
      for (auto& s : states) s->update(0, rows, g.group_of.data(), g.groups());
    }
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
    auto c = states[k]->finish(g.groups());
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
