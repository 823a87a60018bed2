// tessera: gather rows of a column or table by index.
#pragma once

#include <tessera/column/column.hpp>
#include <tessera/column/table.hpp>
#include <tessera/config.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/detail/column/gather.hpp>

#include <concepts>
#include <cstddef>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

TESSERA_NAMESPACE_BEGIN

namespace detail {
template <std::integral I>
expected<void*> check_indices(std::span<const I> indices, std::size_t size) {
  for (std::size_t k = 0; k < indices.size(); ++k) {
    const I i = indices[k];
    bool bad = false;
    if constexpr (std::is_signed_v<I>) bad = i < 0;
    if (bad || static_cast<std::make_unsigned_t<I>>(i) >= size)
      return unexpected(error(errc::out_of_range,
                              "index " + std::to_string(i) + " at position " + std::to_string(k) +
                                  " is outside a column of " + std::to_string(size) + " rows"));
  }
  return nullptr;
}
} // namespace detail

/// out[k] = c[indices[k]] (indices may repeat and come in any order; nulls stay null).
/// O(indices.size()). Errors: errc::out_of_range for a negative or too large index;
/// errc::overflow when a string result would exceed 2^31 - 1 bytes.
template <std::integral I>
requires(!std::is_same_v<I, bool>)
    [[nodiscard]] expected<column> try_take(const column& c, std::span<const I> indices) {
  if (auto ok = detail::check_indices(indices, c.size()); !ok)
    return unexpected(std::move(ok.error()));
  try {
    return detail::gather_rows(
        c, indices.size(), [&](std::size_t k) { return static_cast<std::size_t>(indices[k]); },
        std::false_type{});
  } catch (const tessera::exception& e) {
    return unexpected(e.error());
  }
}
/// Throwing form of try_take.
template <std::integral I>
requires(!std::is_same_v<I, bool>) [[nodiscard]] column
    take(const column& c, std::span<const I> indices) {
  return try_take(c, indices).value();
}

/// The rows `indices` of every column of `t`. Errors as try_take.
template <std::integral I>
requires(!std::is_same_v<I, bool>)
    [[nodiscard]] expected<table> try_take(const table& t, std::span<const I> indices) {
  std::vector<column> cols;
  cols.reserve(t.num_columns());
  for (const auto& c : t.columns()) {
    auto r = try_take(c, indices);
    if (!r) return unexpected(std::move(r.error()));
    cols.push_back(std::move(*r));
  }
  return t.with_columns(std::move(cols));
}
/// Throwing form of try_take.
template <std::integral I>
requires(!std::is_same_v<I, bool>) [[nodiscard]] table
    take(const table& t, std::span<const I> indices) {
  return try_take(t, indices).value();
}

TESSERA_NAMESPACE_END
