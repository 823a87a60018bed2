// tessera internals: a radix heap (Ahuja, Mehlhorn, Orlin & Tarjan), the monotone priority queue
// of Dijkstra. Keys are unsigned integers that never fall below the last key popped; entry e
// waits in bucket bit_width(e.key ^ last), so a push is an append, and a pop that finds bucket 0
// empty moves the lowest non-empty bucket's entries down once they share the new minimum's high
// bits. Each entry moves O(log C) times at most (C the largest key). Everything is sequential
// appends and scans: no sifting, no position index scattered over n vertices.
#pragma once

#include <tessera/config.hpp>

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

TESSERA_NAMESPACE_BEGIN
namespace detail {

/// The order-preserving unsigned image of a non-negative distance: the value itself for integers,
/// the bit pattern for IEEE floating point (which orders non-negative values, +inf included, as
/// their magnitudes). -0.0 maps to the image of +0.0.
template <class D>
[[nodiscard]] inline std::uint64_t radix_key(D x) noexcept {
  if constexpr (std::is_floating_point_v<D>) {
    static_assert(std::numeric_limits<D>::is_iec559 && (sizeof(D) == 4 || sizeof(D) == 8));
    using bits = std::conditional_t<sizeof(D) == 4, std::uint32_t, std::uint64_t>;
    const D y = x + D(0); // -0.0 + 0.0 == +0.0
    bits b;
    std::memcpy(&b, &y, sizeof b);
    return b;
  } else {
    return static_cast<std::uint64_t>(x);
  }
}

/// A monotone min-queue of (key, vertex) entries with 64-bit unsigned keys. Entries may repeat a
/// vertex (callers skip stale ones), and pushed keys must not be below the last popped key.
template <class V>
class radix_heap {
public:
  struct entry {
    std::uint64_t key;
    V vertex;
  };

  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

  /// Adds (k, v). Precondition: k is not below the last key popped.
  void push(std::uint64_t k, V v) {
    buckets_[bucket_of(k)].push_back(entry{k, v});
    ++size_;
  }

  /// Removes and returns an entry of the smallest key. Precondition: !empty().
  entry pop() {
    if (buckets_[0].empty()) {
      std::size_t i = 1;
      while (buckets_[i].empty()) ++i;
      auto& from = buckets_[i];
      std::uint64_t lowest = from.front().key;
      for (const entry& e : from) lowest = e.key < lowest ? e.key : lowest;
      last_ = lowest;
      // Every entry of bucket i agrees with the new minimum above bit i - 1, so each lands in a
      // bucket below i.
      for (const entry& e : from) buckets_[bucket_of(e.key)].push_back(e);
      from.clear();
    }
    const entry e = buckets_[0].back();
    buckets_[0].pop_back();
    --size_;
    return e;
  }

private:
  [[nodiscard]] std::size_t bucket_of(std::uint64_t k) const noexcept {
    return static_cast<std::size_t>(std::bit_width(k ^ last_));
  }

  std::array<std::vector<entry>, 65> buckets_{};
  std::uint64_t last_ = 0;
  std::size_t size_ = 0;
};

} // namespace detail
TESSERA_NAMESPACE_END
