// tessera: keep the rows of a column or table whose bit is set in a selection bitmap.
#pragma once

#include <tessera/column/column.hpp>
#include <tessera/column/table.hpp>
#include <tessera/config.hpp>
#include <tessera/core/aligned_buffer.hpp>
#include <tessera/core/bitmap.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/detail/column/bits.hpp>
#include <tessera/detail/column/gather.hpp>

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#if defined(__BMI2__)
#include <immintrin.h>
#endif

TESSERA_NAMESPACE_BEGIN

namespace detail {
inline std::uint64_t compress_bits(std::uint64_t value, std::uint64_t select) noexcept {
#if defined(__BMI2__)
  return _pext_u64(value, select);
#else
  std::uint64_t out = 0;
  for (unsigned j = 0; select != 0; select &= select - 1, ++j)
    out |= ((value >> std::countr_zero(select)) & 1u) << j;
  return out;
#endif
}

/// Positions of the set bits of a selection, in order.
inline aligned_buffer<std::uint64_t> selected_rows(bitmap_view sel) {
  aligned_buffer<std::uint64_t> rows(sel.count(), tessera::uninitialized);
  std::size_t n = 0;
  const std::size_t words = (sel.size() + 63) / 64;
  for (std::size_t k = 0; k < words; ++k)
    for (std::uint64_t w = view_word(sel, k); w != 0; w &= w - 1)
      rows[n++] = k * 64 + static_cast<unsigned>(std::countr_zero(w));
  return rows;
}

template <column_number T>
column filter_fixed(const column& c, bitmap_view sel, std::size_t count) {
  const auto v = c.view<T>();
  aligned_buffer<T> out(count, tessera::uninitialized);
  T* dst = out.data();
  const bool has_validity = v.valid.present();
  bitmap validity(has_validity ? count : 0);
  bit_writer bw{validity.words().data()};
  const std::size_t words = (sel.size() + 63) / 64;
  for (std::size_t k = 0; k < words; ++k) {
    std::uint64_t w = view_word(sel, k);
    if (w == 0) continue;
    const T* src = v.data + k * 64;
    if (has_validity)
      bw.append(compress_bits(view_word(v.valid.bits, k), w),
                static_cast<unsigned>(std::popcount(w)));
    if (w == ~std::uint64_t{0}) {
      std::memcpy(dst, src, 64 * sizeof(T));
      dst += 64;
      continue;
    }
    for (; w != 0; w &= w - 1) *dst++ = src[std::countr_zero(w)];
  }
  return column::unchecked(c.type(), count, has_validity ? buffer(std::move(validity)) : buffer(),
                           buffer(std::move(out)), {}, c.dictionary());
}
} // namespace detail

/// The elements of `c` whose bit in `selection` is set, in order (nulls stay null). O(n);
/// fixed-width columns copy whole 64-element runs. Precondition: selection.size() == c.size().
/// Never fails on data: a filtered string column is never larger than its source.
[[nodiscard]] inline column filter(const column& c, bitmap_view selection) {
  TESSERA_ASSERT(selection.size() == c.size(), "selection and column differ in length");
  const std::size_t count = selection.count();
  if (count == c.size()) return c;
  if (is_fixed_width(c.id()) || c.id() == type_id::dictionary) {
    return visit_physical(c.id() == type_id::dictionary ? type_id::int32 : c.id(),
                          [&]<class T>(std::type_identity<T>) -> column {
                            if constexpr (column_number<T>) {
                              return detail::filter_fixed<T>(c, selection, count);
                            } else {
                              return column();
                            }
                          });
  }
  const auto rows = detail::selected_rows(selection);
  return detail::gather_rows(
      c, rows.size(), [&](std::size_t k) { return static_cast<std::size_t>(rows[k]); },
      std::false_type{});
}

/// The rows of `t` whose bit in `selection` is set. Precondition: selection.size() ==
/// t.num_rows().
[[nodiscard]] inline table filter(const table& t, bitmap_view selection) {
  std::vector<column> cols;
  cols.reserve(t.num_columns());
  for (const auto& c : t.columns()) cols.push_back(filter(c, selection));
  return t.with_columns(std::move(cols)).value();
}

TESSERA_NAMESPACE_END
