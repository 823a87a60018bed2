// tessera internal: word-at-a-time access to bitmaps at any bit offset.
#pragma once

#include <tessera/column/column.hpp>
#include <tessera/config.hpp>
#include <tessera/core/bitmap.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

TESSERA_NAMESPACE_BEGIN
namespace detail {

/// Bits [bit, bit + nbits) of a little-endian bitmap as the low bits of a word (nbits <= 64),
/// reading only the bytes that hold them (foreign buffers carry no padding).
inline std::uint64_t read_bits(const std::uint8_t* data, std::size_t bit,
                               std::size_t nbits) noexcept {
  if (nbits == 0) return 0;
  const std::size_t byte = bit / 8;
  const auto shift = static_cast<unsigned>(bit % 8);
  const std::size_t nbytes = (shift + nbits + 7) / 8; // <= 9
  std::uint64_t lo = 0;
  std::memcpy(&lo, data + byte, std::min<std::size_t>(nbytes, 8));
  std::uint64_t r = lo >> shift;
  if (nbytes > 8) r |= static_cast<std::uint64_t>(data[byte + 8]) << (64 - shift);
  if (nbits < 64) r &= (std::uint64_t{1} << nbits) - 1;
  return r;
}

/// Word k (bits [64k, 64k + 64) clipped to the size) of a view.
inline std::uint64_t view_word(bitmap_view v, std::size_t k) noexcept {
  const std::size_t first = k * 64;
  return read_bits(v.data(), v.offset() + first, std::min<std::size_t>(64, v.size() - first));
}

/// Word k of a validity (all ones, clipped, when absent).
inline std::uint64_t validity_word(const validity_view& v, std::size_t size,
                                   std::size_t k) noexcept {
  if (v.present()) return view_word(v.bits, k);
  const std::size_t n = std::min<std::size_t>(64, size - k * 64);
  return n == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
}

/// ANDs a validity into a bitmap of the same size (clears the bits of null elements).
inline void and_validity(bitmap& out, const validity_view& v) noexcept {
  if (!v.present()) return;
  auto words = out.words();
  for (std::size_t k = 0; k < words.size(); ++k) words[k] &= view_word(v.bits, k);
}

/// A bitmap copy of a view at offset 0.
inline bitmap copy_bits(bitmap_view v) {
  bitmap out(v.size());
  auto words = out.words();
  for (std::size_t k = 0; k < words.size(); ++k) words[k] = view_word(v, k);
  return out;
}

} // namespace detail
TESSERA_NAMESPACE_END
