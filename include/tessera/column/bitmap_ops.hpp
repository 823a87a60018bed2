// tessera: and/or/xor/and-not/not on selection bitmaps given as views at any bit offset.
//
// core/bitmap.hpp already combines two offset-0 bitmaps in place; these take views (slices of
// validity buffers, imported Arrow bitmaps) and return a new offset-0 bitmap. Word at a time.
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/bitmap.hpp>
#include <tessera/detail/column/bits.hpp>

#include <cstddef>
#include <cstdint>

TESSERA_NAMESPACE_BEGIN

namespace detail {
template <class Op>
bitmap combine_views(bitmap_view a, bitmap_view b, Op op) {
  TESSERA_ASSERT(a.size() == b.size(), "bitmap sizes differ");
  bitmap out(a.size());
  auto words = out.words();
  for (std::size_t k = 0; k < words.size(); ++k) words[k] = op(view_word(a, k), view_word(b, k));
  // op may set bits past the size (not): clear them.
  if (a.size() % 64 != 0 && !words.empty())
    words[words.size() - 1] &= (std::uint64_t{1} << (a.size() % 64)) - 1;
  return out;
}
} // namespace detail

/// a AND b. Precondition: equal sizes. O(n / 64).
[[nodiscard]] inline bitmap bitmap_and(bitmap_view a, bitmap_view b) {
  return detail::combine_views(a, b, [](std::uint64_t x, std::uint64_t y) { return x & y; });
}
/// a OR b. Precondition: equal sizes.
[[nodiscard]] inline bitmap bitmap_or(bitmap_view a, bitmap_view b) {
  return detail::combine_views(a, b, [](std::uint64_t x, std::uint64_t y) { return x | y; });
}
/// a XOR b. Precondition: equal sizes.
[[nodiscard]] inline bitmap bitmap_xor(bitmap_view a, bitmap_view b) {
  return detail::combine_views(a, b, [](std::uint64_t x, std::uint64_t y) { return x ^ y; });
}
/// a AND NOT b. Precondition: equal sizes.
[[nodiscard]] inline bitmap bitmap_and_not(bitmap_view a, bitmap_view b) {
  return detail::combine_views(a, b, [](std::uint64_t x, std::uint64_t y) { return x & ~y; });
}
/// NOT a.
[[nodiscard]] inline bitmap bitmap_not(bitmap_view a) {
  return detail::combine_views(a, a, [](std::uint64_t x, std::uint64_t) { return ~x; });
}

TESSERA_NAMESPACE_END
