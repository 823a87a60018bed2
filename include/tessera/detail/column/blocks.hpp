// tessera internal: drive a reduction over a primitive view in blocks of 64 elements, handing
// fully valid blocks to a (SIMD) block function and the valid elements of the others to a scalar
// function one at a time.
#pragma once

#include <tessera/column/column.hpp>
#include <tessera/config.hpp>
#include <tessera/detail/column/bits.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>

TESSERA_NAMESPACE_BEGIN
namespace detail {

/// block(const T* p) sees 64 valid elements; one(T x) sees a single valid element.
template <class T, class Block, class One>
void for_valid_blocks(primitive_view<T> v, Block&& block, One&& one) {
  const std::size_t full = v.size / 64;
  const bool has_nulls = v.valid.present() && v.null_count != 0;
  for (std::size_t k = 0; k < full; ++k) {
    const T* p = v.data + k * 64;
    if (!has_nulls) {
      block(p);
      continue;
    }
    std::uint64_t w = view_word(v.valid.bits, k);
    if (w == ~std::uint64_t{0}) {
      block(p);
    } else {
      for (; w != 0; w &= w - 1) one(p[std::countr_zero(w)]);
    }
  }
  for (std::size_t i = full * 64; i < v.size; ++i)
    if (v.is_valid(i)) one(v.data[i]);
}

} // namespace detail
TESSERA_NAMESPACE_END
