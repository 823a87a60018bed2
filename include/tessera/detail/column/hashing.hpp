// tessera internal: hashing and equality of rows over one or more key columns, and grouping of
// rows into distinct keys (shared by group-by, join, distinct and the set operations).
//
// Key equality ("same group"): null equals null; for floating point all NaNs are equal and
// -0.0 equals +0.0; strings compare bytewise, whatever their encoding (string, large_string or
// dictionary). Two key columns are compatible when their types are equal or both string-like.
#pragma once

#include <tessera/column/column.hpp>
#include <tessera/config.hpp>
#include <tessera/core/aligned_buffer.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/detail/core/prefetch.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

TESSERA_NAMESPACE_BEGIN
namespace detail {

/// MurmurHash3's 64-bit finaliser (fmix64): spreads every input bit over the whole word.
inline std::uint64_t fmix64(std::uint64_t x) noexcept {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

inline std::uint64_t hash_bytes(std::string_view s) noexcept {
  std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ s.size();
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = fmix64(h ^ w) * 0x9e3779b97f4a7c15ULL;
  }
  std::uint64_t tail = 0;
  if (i < s.size()) std::memcpy(&tail, s.data() + i, s.size() - i);
  return fmix64(h ^ tail);
}

/// The hash of one value, with float keys normalised (NaN, -0.0).
template <class T>
std::uint64_t hash_value(T x) noexcept {
  if constexpr (std::is_floating_point_v<T>) {
    if (x != x) return 0x7ff8dead5eedULL;
    if (x == T(0)) x = T(0);
    std::uint64_t bits = 0;
    std::memcpy(&bits, &x, sizeof(T));
    return fmix64(bits);
  } else {
    return fmix64(static_cast<std::uint64_t>(x));
  }
}

template <class T>
bool keys_equal(T a, T b) noexcept {
  if constexpr (std::is_floating_point_v<T>) {
    if (a != a) return b != b;
  }
  return a == b;
}

inline constexpr std::uint64_t null_hash = 0x5bd1e9955bd1e995ULL;

/// Hashes of each row over the key columns (column by column, so each pass is a typed loop).
inline aligned_buffer<std::uint64_t> hash_rows(std::span<const column* const> keys,
                                               std::size_t rows) {
  aligned_buffer<std::uint64_t> h(rows, std::uint64_t{0x2545F4914F6CDD1DULL});
  for (const column* c : keys) {
    const auto combine = [&](std::size_t i, std::uint64_t v) { h[i] = fmix64(h[i] * 31 + v); };
    if (is_string_like(c->id())) {
      if (c->id() == type_id::dictionary) {
        const column& dict = *c->dictionary();
        std::vector<std::uint64_t> dh(dict.size());
        for (std::size_t k = 0; k < dict.size(); ++k) dh[k] = hash_bytes(dict.string_at(k));
        const auto idx = c->view<std::int32_t>();
        for (std::size_t i = 0; i < rows; ++i)
          combine(i, idx.is_valid(i) ? dh[static_cast<std::size_t>(idx[i])] : null_hash);
      } else {
        for (std::size_t i = 0; i < rows; ++i)
          combine(i, c->is_valid(i) ? hash_bytes(c->string_at(i)) : null_hash);
      }
      continue;
    }
    if (c->id() == type_id::boolean) {
      const auto v = c->bool_view();
      for (std::size_t i = 0; i < rows; ++i)
        combine(i, v.is_valid(i) ? hash_value<int>(v[i] ? 1 : 0) : null_hash);
      continue;
    }
    visit_physical(c->id(), [&]<class T>(std::type_identity<T>) {
      if constexpr (column_number<T>) {
        const auto v = c->view<T>();
        if (v.null_count == 0) {
          for (std::size_t i = 0; i < rows; ++i) combine(i, hash_value(v.data[i]));
        } else {
          for (std::size_t i = 0; i < rows; ++i)
            combine(i, v.is_valid(i) ? hash_value(v.data[i]) : null_hash);
        }
      }
      return 0;
    });
  }
  return h;
}

/// Row i of column a equals row j of column b under key equality. Precondition: compatible.
inline bool cell_equal(const column& a, std::size_t i, const column& b, std::size_t j) {
  const bool va = a.is_valid(i), vb = b.is_valid(j);
  if (!va || !vb) return va == vb;
  if (is_string_like(a.id())) return a.string_at(i) == b.string_at(j);
  if (a.id() == type_id::boolean) return a.value<bool>(i) == b.value<bool>(j);
  return visit_physical(a.id(), [&]<class T>(std::type_identity<T>) {
    if constexpr (column_number<T>) {
      return keys_equal(a.view<T>().data[i], b.view<T>().data[j]);
    } else {
      return false;
    }
  });
}

inline bool rows_equal(std::span<const column* const> a, std::size_t i,
                       std::span<const column* const> b, std::size_t j) {
  for (std::size_t k = 0; k < a.size(); ++k)
    if (!cell_equal(*a[k], i, *b[k], j)) return false;
  return true;
}

/// Checks that key column lists are pairwise compatible.
inline expected<void*> check_key_types(std::span<const column* const> a,
                                       std::span<const column* const> b,
                                       std::span<const std::string> names) {
  for (std::size_t k = 0; k < a.size(); ++k) {
    const bool ok =
        a[k]->type() == b[k]->type() || (is_string_like(a[k]->id()) && is_string_like(b[k]->id()));
    if (!ok)
      return unexpected(error(errc::invalid_argument,
                              "key column '" + (k < names.size() ? names[k] : std::string()) +
                                  "' has type " + to_string(a[k]->type()) + " on one side and " +
                                  to_string(b[k]->type()) + " on the other"));
  }
  return nullptr;
}

/// An open-addressing table from row hash to a dense id, with linear probing.
class id_table {
public:
  static constexpr std::uint32_t empty = std::numeric_limits<std::uint32_t>::max();

  explicit id_table(std::size_t expected_ids = 16) {
    rehash(std::bit_ceil(std::max<std::size_t>(16, expected_ids * 2)));
  }

  /// Returns the id of the key (hash h) that `same(id)` recognises, inserting `next_id` when none
  /// matches (then `inserted` is true).
  template <class Same>
  std::uint32_t find_or_insert(std::uint64_t h, std::uint32_t next_id, Same same, bool& inserted) {
    if ((used_ + 1) * 2 > slots_.size()) grow();
    std::size_t p = h & mask_;
    while (true) {
      const std::uint32_t id = ids_[p];
      if (id == empty) {
        ids_[p] = next_id;
        hashes_[p] = h;
        ++used_;
        inserted = true;
        return next_id;
      }
      if (hashes_[p] == h && same(id)) {
        inserted = false;
        return id;
      }
      p = (p + 1) & mask_;
    }
  }
  /// Calls f(id) for each id whose hash is h (candidates; the caller checks equality).
  template <class F>
  void for_each_candidate(std::uint64_t h, F f) const {
    std::size_t p = h & mask_;
    while (ids_[p] != empty) {
      if (hashes_[p] == h) f(ids_[p]);
      p = (p + 1) & mask_;
    }
  }

private:
  void rehash(std::size_t n) {
    slots_ = aligned_buffer<std::uint8_t>(n);
    ids_ = aligned_buffer<std::uint32_t>(n, empty);
    hashes_ = aligned_buffer<std::uint64_t>(n);
    mask_ = n - 1;
    used_ = 0;
  }
  void grow() {
    aligned_buffer<std::uint32_t> old_ids = std::move(ids_);
    aligned_buffer<std::uint64_t> old_hashes = std::move(hashes_);
    rehash(slots_.size() * 2);
    for (std::size_t k = 0; k < old_ids.size(); ++k) {
      if (old_ids[k] == empty) continue;
      std::size_t p = old_hashes[k] & mask_;
      while (ids_[p] != empty) p = (p + 1) & mask_;
      ids_[p] = old_ids[k];
      hashes_[p] = old_hashes[k];
      ++used_;
    }
  }

  aligned_buffer<std::uint8_t> slots_; // only its size is used: the capacity
  aligned_buffer<std::uint32_t> ids_;
  aligned_buffer<std::uint64_t> hashes_;
  std::size_t mask_ = 0;
  std::size_t used_ = 0;
};

/// An open-addressing table from fixed-width key values to dense ids, each key stored beside its
/// id (one probe touches one cache line). Keys compare under key equality (NaN = NaN, -0.0 =
/// +0.0). Large tables miss the cache on every probe: callers walking many keys call prefetch()
/// for a key a few iterations ahead, so the misses overlap.
template <class T>
class typed_id_table {
public:
  static constexpr std::uint32_t empty = std::numeric_limits<std::uint32_t>::max();

  /// Sized so that expected_ids insertions do not grow a large table.
  explicit typed_id_table(std::size_t expected_ids = 16) {
    rehash(std::bit_ceil(std::max<std::size_t>(16, expected_ids * 2 + 2)));
  }
  /// The id of x, inserting `next_id` when absent (then `inserted` is true).
  std::uint32_t find_or_insert(T x, std::uint32_t next_id, bool& inserted) {
    // Small tables stay at most 1/8 full (fewer probes, fewer mispredicted probe loops); large
    // ones at most 1/2 (memory).
    if ((used_ + 1) * (slots_.size() <= (1u << 16) ? 8 : 2) > slots_.size()) grow();
    slot* slots = slots_.data();
    std::size_t p = hash_value(x) & mask_;
    while (true) {
      slot& s = slots[p];
      if (s.id == empty) {
        s = slot{x, next_id};
        ++used_;
        inserted = true;
        return next_id;
      }
      if (keys_equal(s.key, x)) {
        inserted = false;
        return s.id;
      }
      p = (p + 1) & mask_;
    }
  }
  /// The id of x, or `empty`.
  [[nodiscard]] std::uint32_t find(T x) const noexcept {
    const slot* slots = slots_.data();
    std::size_t p = hash_value(x) & mask_;
    while (true) {
      const slot& s = slots[p];
      if (s.id == empty || keys_equal(s.key, x)) return s.id;
      p = (p + 1) & mask_;
    }
  }
  /// Replaces every stored id by f(id).
  template <class F>
  void relabel(F&& f) {
    for (slot& s : slots_)
      if (s.id != empty) s.id = f(s.id);
  }
  /// A hint that x is looked up soon.
  void prefetch(T x) const noexcept { detail::prefetch(slots_.data() + (hash_value(x) & mask_)); }

private:
  struct slot {
    T key;
    std::uint32_t id;
  };
  void rehash(std::size_t n) {
    slots_ = aligned_buffer<slot>(n, slot{T{}, empty});
    mask_ = n - 1;
    used_ = 0;
  }
  void grow() {
    aligned_buffer<slot> old = std::move(slots_);
    rehash(old.size() * 2);
    for (const slot& s : old) {
      if (s.id == empty) continue;
      std::size_t p = hash_value(s.key) & mask_;
      while (slots_[p].id != empty) p = (p + 1) & mask_;
      slots_[p] = s;
      ++used_;
    }
  }

  aligned_buffer<slot> slots_;
  std::size_t mask_ = 0;
  std::size_t used_ = 0;
};

/// How many rows ahead hash-table walks prefetch their slot: enough independent misses in flight
/// to cover memory latency, few enough that the lines are still cached when used.
inline constexpr std::size_t prefetch_distance = 16;

/// Rows grouped by key: group_of[i] is the dense group id of row i (in order of first
/// appearance) and first_row[g] the first row of group g.
struct grouping {
  aligned_buffer<std::uint32_t> group_of;
  std::vector<std::size_t> first_row;
  [[nodiscard]] std::size_t groups() const noexcept { return first_row.size(); }
};

/// Dense ids for the values of one fixed-width key column, in order of first appearance, handed
/// out chunk by chunk so that a caller can consume each chunk's ids while they are still cached.
/// Null is a key of its own; float keys follow key equality. Integer keys index an array of ids
/// directly (no hashing, no probing, one cached load per row) while the values seen span at most
/// max(2^16, rows / 4) values; the array widens as new values arrive (at least doubling, so the
/// copies cost O(span) in all), and past that limit the keys move to a typed_id_table. No pass
/// ahead over the column is needed to find its range.
template <class T>
class key_grouper {
public:
  /// Groups the rows of v; the array spans at most `limit` values (default: max(2^16, rows / 4)).
  /// `expected_ids` sizes the hash table if one is used.
  explicit key_grouper(primitive_view<T> v, std::uint64_t limit = 0, std::size_t expected_ids = 16)
      : v_(v), limit_(limit != 0 ? limit : std::max<std::size_t>(std::size_t{1} << 16, v.size / 4)),
        expected_ids_(expected_ids), hashed_(!std::is_integral_v<T>),
        table_(hashed_ ? expected_ids : 16) {}

  /// A hint, before the first assign, that the valid values lie in [lo, hi]: the array is made
  /// to span exactly that (if within the limit), with no widening later.
  void expect_range(T lo, T hi) {
    if constexpr (std::is_integral_v<T>) {
      const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
      if (hashed_ || direct_.size() != 0 || hi < lo || span >= limit_) return;
      direct_ = aligned_buffer<std::uint32_t>(static_cast<std::size_t>(span) + 1, none);
      base_ = static_cast<std::uint64_t>(lo);
    } else {
      (void)lo;
      (void)hi;
    }
  }

  /// The id of value x, or id_table::empty when x has not been seen.
  [[nodiscard]] std::uint32_t find(T x) const noexcept {
    if (hashed_) return table_.find(x);
    const std::uint64_t off = static_cast<std::uint64_t>(x) - base_;
    return off < direct_.size() ? direct_[static_cast<std::size_t>(off)] : none;
  }
  /// A hint that find(x) is called soon.
  void prefetch(T x) const noexcept {
    if (hashed_) return table_.prefetch(x);
    const std::uint64_t off = static_cast<std::uint64_t>(x) - base_;
    if (off < direct_.size()) detail::prefetch(direct_.data() + off);
  }
  /// True when find() may miss the cache (the ids do not fit in L2), so prefetching pays.
  [[nodiscard]] bool large() const noexcept {
    return hashed_ || direct_.size() > (std::size_t{1} << 16);
  }
  /// Replaces every stored id by f(id) (not the null group's).
  template <class F>
  void relabel(F&& f) {
    if (hashed_) return table_.relabel(f);
    for (std::uint32_t& id : direct_)
      if (id != none) id = f(id);
  }
  /// True when a null key was seen (it has a group of its own).
  [[nodiscard]] bool saw_null() const noexcept { return null_id_ != none; }

  /// ids[i - begin] = the group of row i for i in [begin, end), rows taken in order (each call
  /// continues where the previous one ended); appends the first row of each new group to
  /// first_row. Throws tessera::exception (errc::overflow) past 2^32 - 2 groups.
  void assign(std::size_t begin, std::size_t end, std::uint32_t* ids,
              std::vector<std::size_t>& first_row) {
    std::size_t i = begin;
    if constexpr (std::is_integral_v<T>) {
      while (!hashed_ && i < end) {
        i = assign_direct(i, end, ids + (i - begin), first_row);
        if (i < end && !widen(v_.data[i])) to_hashed(first_row.size());
      }
    }
    if (i < end) assign_hashed(i, end, ids + (i - begin), first_row);
  }

private:
  static constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();

  /// Rows from i on through the array; returns the first row whose value it does not cover (or
  /// end). ids[0] is row i's.
  std::size_t assign_direct(std::size_t i, std::size_t end, std::uint32_t* ids,
                            std::vector<std::size_t>& first_row) {
    // Beyond L2 every row misses the cache: prefetch ahead so that misses overlap.
    if (direct_.size() > (std::size_t{1} << 16)) return assign_direct<true>(i, end, ids, first_row);
    return assign_direct<false>(i, end, ids, first_row);
  }
  template <bool Prefetch>
  std::size_t assign_direct(std::size_t i, std::size_t end, std::uint32_t* ids,
                            std::vector<std::size_t>& first_row) {
    const std::size_t from = i;
    const T* v = v_.data;
    const bool nulls = v_.null_count != 0;
    std::uint32_t* map = direct_.data();
    const std::uint64_t size = direct_.size();
    for (; i < end; ++i) {
      if (Prefetch && i + prefetch_distance < v_.size)
        detail::prefetch(
            map + std::min<std::uint64_t>(
                      size - 1, static_cast<std::uint64_t>(v[i + prefetch_distance]) - base_));
      std::uint32_t* slot = &null_id_;
      if (!nulls || v_.is_valid(i)) {
        const std::uint64_t off = static_cast<std::uint64_t>(v[i]) - base_;
        if (off >= size) [[unlikely]]
          return i;
        slot = map + off;
      }
      std::uint32_t id = *slot;
      if (id == none) [[unlikely]]
        id = *slot = new_group(i, first_row);
      ids[i - from] = id;
    }
    return end;
  }

  /// Widens the array to cover x; false when that would span more than limit_ values.
  bool widen(T x) {
    using U = std::uint64_t;
    const auto u = [](T y) { return static_cast<U>(y); };
    const bool fresh = direct_.size() == 0;
    T lo = x, hi = x;
    if (!fresh) {
      lo = static_cast<T>(base_);
      hi = static_cast<T>(base_ + (direct_.size() - 1));
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    const U span = u(hi) - u(lo); // exact: hi >= lo
    if (span >= limit_) return false;
    // Slack on the side that grew (both sides at first), so that the array at least doubles.
    const U want = std::min<U>(limit_, std::max<U>(2 * (span + 1), 1024));
    const U extra = want - (span + 1);
    const U room_below = u(lo) - u(std::numeric_limits<T>::lowest());
    const U room_above = u(std::numeric_limits<T>::max()) - u(hi);
    const bool down = !fresh && x == lo;
    const U below = std::min(room_below, fresh ? extra / 2 : down ? extra : U{0});
    const U above = std::min(room_above, extra - below);
    const U new_base = u(lo) - below;
    aligned_buffer<std::uint32_t> map(static_cast<std::size_t>(span + 1 + below + above), none);
    if (!fresh)
      std::copy(direct_.begin(), direct_.end(),
                map.begin() + static_cast<std::ptrdiff_t>(base_ - new_base));
    direct_ = std::move(map);
    base_ = new_base;
    return true;
  }

  /// Moves the keys of the array into the hash table.
  void to_hashed(std::size_t groups) {
    table_ = typed_id_table<T>(std::max(groups, expected_ids_));
    for (std::size_t s = 0; s < direct_.size(); ++s) {
      if (direct_[s] == none) continue;
      bool inserted = false;
      table_.find_or_insert(static_cast<T>(base_ + s), direct_[s], inserted);
    }
    direct_ = aligned_buffer<std::uint32_t>();
    hashed_ = true;
  }

  void assign_hashed(std::size_t i, std::size_t end, std::uint32_t* ids,
                     std::vector<std::size_t>& first_row) {
    const std::size_t from = i;
    const T* v = v_.data;
    const bool nulls = v_.null_count != 0;
    for (; i < end; ++i) {
      if (nulls && !v_.is_valid(i)) {
        if (null_id_ == none) null_id_ = new_group(i, first_row);
        ids[i - from] = null_id_;
        continue;
      }
      if (i + prefetch_distance < v_.size) table_.prefetch(v[i + prefetch_distance]);
      bool inserted = false;
      const auto next = static_cast<std::uint32_t>(first_row.size());
      const std::uint32_t id = table_.find_or_insert(v[i], next, inserted);
      if (inserted) new_group(i, first_row);
      ids[i - from] = id;
    }
  }

  static std::uint32_t new_group(std::size_t row, std::vector<std::size_t>& first_row) {
    if (first_row.size() >= none - 1)
      throw_error(error(errc::overflow, "more than 2^32 - 2 groups"));
    first_row.push_back(row);
    return static_cast<std::uint32_t>(first_row.size() - 1);
  }

  primitive_view<T> v_;
  std::uint64_t limit_;
  std::size_t expected_ids_;
  bool hashed_;
  std::uint64_t base_ = 0;               // the value of direct_[0], modulo 2^64
  aligned_buffer<std::uint32_t> direct_; // ids by value - base_
  typed_id_table<T> table_;
  std::uint32_t null_id_ = none;
};

/// Groups the rows [0, rows) by the key columns. Throws tessera::exception (errc::overflow) past
/// 2^32 - 2 groups.
inline grouping group_rows(std::span<const column* const> keys, std::size_t rows) {
  grouping g;
  g.group_of = aligned_buffer<std::uint32_t>(rows, tessera::uninitialized);
  // A single fixed-width key compares typed values directly.
  if (keys.size() == 1 && is_fixed_width(keys[0]->id())) {
    visit_physical(keys[0]->id(), [&]<class T>(std::type_identity<T>) {
      if constexpr (column_number<T>) {
        key_grouper<T> kg(keys[0]->view<T>());
        kg.assign(0, rows, g.group_of.data(), g.first_row);
      }
      return 0;
    });
    return g;
  }
  const auto hashes = hash_rows(keys, rows);
  id_table table;
  for (std::size_t i = 0; i < rows; ++i) {
    bool inserted = false;
    const auto next = static_cast<std::uint32_t>(g.first_row.size());
    const std::uint32_t id = table.find_or_insert(
        hashes[i], next,
        [&](std::uint32_t other) { return rows_equal(keys, g.first_row[other], keys, i); },
        inserted);
    if (inserted) {
      if (g.first_row.size() >= id_table::empty - 1)
        throw_error(error(errc::overflow, "more than 2^32 - 2 groups"));
      g.first_row.push_back(i);
    }
    g.group_of[i] = id;
  }
  return g;
}

} // namespace detail
TESSERA_NAMESPACE_END
