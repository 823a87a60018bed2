// tessera: external vertex keys (64-bit integers, strings) and the dense ids graphs use.
//
//   vertex_map<Key>        dense id -> key and key -> dense id, kept beside a graph so results
//                          are reported in the input's own ids
//   try_map_vertex_keys    turns edges between keys into edges between dense ids
//
// Integer keys are numbered in increasing key order, so dense order is key order: output sorted
// by key needs no sort, and "smallest id" rules (canonical component labels, CDLP ties) mean
// the same on both sides. Strings are numbered in order of first appearance.
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/core/parallel.hpp>

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

TESSERA_NAMESPACE_BEGIN

namespace detail {
template <class Key>
std::string key_string(const Key& k) {
  if constexpr (std::integral<Key>)
    return std::to_string(k);
  else
    return "'" + std::string(k) + "'";
}
} // namespace detail

/// A bijection between dense vertex ids 0 .. size() - 1 and external keys. Key is an integral
/// type (usually std::int64_t) or std::string.
template <class Key = std::int64_t>
class vertex_map {
  static_assert(std::integral<Key> || std::same_as<Key, std::string>,
                "vertex_map keys are integers or std::string");

public:
  using key_type = Key;

  /// An empty map (no vertices).
  vertex_map() = default;

  /// Dense id i stands for key first + i: the ids of a 0- or 1-based file. O(1) memory.
  static vertex_map contiguous(std::size_t n, Key first = Key{}) requires std::integral<Key> {
    vertex_map m;
    m.size_ = n;
    m.first_ = first;
    m.contiguous_ = true;
    m.sorted_ = true;
    return m;
  }

  /// Dense id i stands for keys[i]. Errors: errc::invalid_argument if a key appears twice.
  /// O(n log n) for unsorted integer keys and strings (an index is built), O(n) for sorted ones.
  static expected<vertex_map> from_keys(std::vector<Key> keys) {
    const Key* dup = nullptr;
    vertex_map m = build(std::move(keys), dup);
    if (dup != nullptr)
      return make_error(errc::invalid_argument,
                        "vertex " + detail::key_string(*dup) + " appears twice");
    return m;
  }

  /// As from_keys, for keys known to be distinct (a repeated key maps to its first position).
  static vertex_map from_distinct_keys(std::vector<Key> keys) {
    const Key* dup = nullptr;
    return build(std::move(keys), dup);
  }

  /// Number of vertices.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }

  /// The key of dense id v. Precondition: v < size().
  [[nodiscard]] Key key(std::size_t v) const {
    TESSERA_ASSERT(v < size_, "dense vertex id out of range");
    if constexpr (std::integral<Key>) {
      if (contiguous_) return static_cast<Key>(first_ + static_cast<Key>(v));
    }
    return keys_[v];
  }

  /// The dense id of key k, or nullopt. O(1) for contiguous, dense-range and hashed maps,
  /// O(log n) for sparse sorted integer keys.
  [[nodiscard]] std::optional<std::size_t> find(const Key& k) const {
    if constexpr (std::integral<Key>) {
      if (contiguous_) {
        if (size_ == 0 || k < first_) return std::nullopt;
        const auto d = static_cast<std::uint64_t>(k) - static_cast<std::uint64_t>(first_);
        if (d >= size_) return std::nullopt;
        return static_cast<std::size_t>(d);
      }
      if (sorted_) {
        if (keys_.empty() || k < keys_.front() || k > keys_.back()) return std::nullopt;
        if (!table_.empty()) {
          const auto d = static_cast<std::uint64_t>(k) - static_cast<std::uint64_t>(keys_.front());
          const std::size_t v = table_[static_cast<std::size_t>(d)];
          if (v == none) return std::nullopt;
          return v;
        }
        const auto it = std::lower_bound(keys_.begin(), keys_.end(), k);
        if (it == keys_.end() || *it != k) return std::nullopt;
        return static_cast<std::size_t>(it - keys_.begin());
      }
    }
    const auto it = index_.find(k);
    if (it == index_.end()) return std::nullopt;
    return it->second;
  }

  /// Whether dense order is increasing key order (always true for maps made from integer edges).
  [[nodiscard]] bool is_sorted() const noexcept { return sorted_; }

  /// The dense ids in increasing key order: for printing results sorted by the input's ids.
  [[nodiscard]] std::vector<std::size_t> order_by_key() const {
    std::vector<std::size_t> order(size_);
    std::iota(order.begin(), order.end(), std::size_t{0});
    if (!sorted_)
      std::sort(order.begin(), order.end(),
                [this](std::size_t a, std::size_t b) { return keys_[a] < keys_[b]; });
    return order;
  }

private:
  static constexpr std::size_t none = std::numeric_limits<std::size_t>::max();

  // Indexes keys; `dup` points at a repeated key if there is one.
  static vertex_map build(std::vector<Key> keys, const Key*& dup) {
    vertex_map m;
    m.size_ = keys.size();
    m.keys_ = std::move(keys);
    m.sorted_ = true;
    if constexpr (std::integral<Key>) {
      for (std::size_t i = 1; i < m.keys_.size(); ++i) {
        if (m.keys_[i] == m.keys_[i - 1] && dup == nullptr) dup = &m.keys_[i];
        if (m.keys_[i] < m.keys_[i - 1]) m.sorted_ = false;
      }
      if (m.sorted_) {
        m.build_table();
        return m;
      }
    } else {
      m.sorted_ = std::is_sorted(m.keys_.begin(), m.keys_.end());
    }
    m.index_.reserve(m.keys_.size());
    for (std::size_t i = 0; i < m.keys_.size(); ++i)
      if (!m.index_.emplace(m.keys_[i], i).second && dup == nullptr) dup = &m.keys_[i];
    return m;
  }

  // Sorted integer keys spanning a range not much wider than their count get a direct table.
  void build_table() requires std::integral<Key> {
    if (keys_.empty()) return;
    const auto range =
        static_cast<std::uint64_t>(keys_.back()) - static_cast<std::uint64_t>(keys_.front());
    if (range >= 4 * static_cast<std::uint64_t>(keys_.size()) + 1024) return;
    table_.assign(static_cast<std::size_t>(range) + 1, none);
    const auto base = static_cast<std::uint64_t>(keys_.front());
    for (std::size_t i = 0; i < keys_.size(); ++i)
      table_[static_cast<std::size_t>(static_cast<std::uint64_t>(keys_[i]) - base)] = i;
  }

  std::size_t size_ = 0;
  Key first_{};
  bool contiguous_ = false;
  bool sorted_ = true;
  std::vector<Key> keys_;
  std::vector<std::size_t> table_;
  std::unordered_map<Key, std::size_t> index_;
};

/// Edges between keys turned into edges between dense ids, with the map that inverts them.
template <class Key>
struct keyed_edges {
  vertex_map<Key> vertices;
  std::vector<std::uint64_t> sources;
  std::vector<std::uint64_t> targets;
};

/// Numbers the keys that appear in sources and targets (integers: in increasing order; strings:
/// in order of first appearance) and rewrites the edges with dense ids. Precondition: the spans
/// have equal sizes. O(m log m) for integer keys spread wider than a few times their count,
/// O(m) otherwise; integer lookups run in parallel.
template <class Key>
[[nodiscard]] keyed_edges<Key> map_vertex_keys(std::span<const Key> sources,
                                               std::span<const Key> targets) {
  TESSERA_ASSERT(sources.size() == targets.size(), "one target per source");
  keyed_edges<Key> out;
  const std::size_t m = sources.size();
  out.sources.resize(m);
  out.targets.resize(m);
  if constexpr (std::integral<Key>) {
    std::vector<Key> keys;
    if (m != 0) {
      const auto [lo_s, hi_s] = std::minmax_element(sources.begin(), sources.end());
      const auto [lo_t, hi_t] = std::minmax_element(targets.begin(), targets.end());
      const Key lo = std::min(*lo_s, *lo_t), hi = std::max(*hi_s, *hi_t);
      const auto range = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
      if (range < 4 * static_cast<std::uint64_t>(m) + 1024) {
        // Dense enough: mark the keys present in a table over [lo, hi].
        std::vector<unsigned char> present(static_cast<std::size_t>(range) + 1, 0);
        const auto mark = [&](Key k) {
          present[static_cast<std::size_t>(static_cast<std::uint64_t>(k) -
                                           static_cast<std::uint64_t>(lo))] = 1;
        };
        for (auto k : sources) mark(k);
        for (auto k : targets) mark(k);
        for (std::size_t d = 0; d < present.size(); ++d)
          if (present[d]) keys.push_back(static_cast<Key>(static_cast<std::uint64_t>(lo) + d));
      } else {
        keys.reserve(2 * m);
        keys.insert(keys.end(), sources.begin(), sources.end());
        keys.insert(keys.end(), targets.begin(), targets.end());
        std::sort(keys.begin(), keys.end());
        keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
      }
    }
    out.vertices = vertex_map<Key>::from_distinct_keys(std::move(keys));
    const auto& map = out.vertices;
    parallel_for(std::size_t{0}, m, [&](std::size_t i) {
      out.sources[i] = *map.find(sources[i]);
      out.targets[i] = *map.find(targets[i]);
    });
  } else {
    std::unordered_map<std::string_view, std::uint64_t> seen;
    std::vector<Key> keys;
    const auto id = [&](const Key& k) {
      const auto [it, fresh] = seen.emplace(std::string_view(k), keys.size());
      if (fresh) keys.push_back(k);
      return it->second;
    };
    for (std::size_t i = 0; i < m; ++i) {
      out.sources[i] = id(sources[i]);
      out.targets[i] = id(targets[i]);
    }
    out.vertices = vertex_map<Key>::from_distinct_keys(std::move(keys));
  }
  return out;
}

TESSERA_NAMESPACE_END
