// tessera: concatenation of columns of one type, and of tables of one schema.
#pragma once

#include <tessera/column/buffer.hpp>
#include <tessera/column/builder.hpp>
#include <tessera/column/column.hpp>
#include <tessera/column/table.hpp>
#include <tessera/config.hpp>
#include <tessera/core/aligned_buffer.hpp>
#include <tessera/core/bitmap.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>

#include <cstddef>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

TESSERA_NAMESPACE_BEGIN

/// The columns one after another. All must have the same type. Dictionary columns sharing one
/// dictionary keep it; others are re-encoded. O(total size). Errors: errc::invalid_argument for
/// differing types (or no columns), errc::overflow when a string result exceeds 2^31 - 1 bytes.
[[nodiscard]] inline expected<column> try_concatenate(std::span<const column> parts) {
  if (parts.empty()) return unexpected(error(errc::invalid_argument, "nothing to concatenate"));
  const data_type type = parts[0].type();
  std::size_t n = 0;
  bool nulls = false;
  for (const auto& p : parts) {
    if (!(p.type() == type))
      return unexpected(error(errc::invalid_argument, "cannot concatenate " + to_string(type) +
                                                          " and " + to_string(p.type())));
    n += p.size();
    nulls = nulls || p.null_count() != 0;
  }
  if (parts.size() == 1) return parts[0];
  try {
    if (is_string_like(type.id)) {
      bool same_dict = type.id == type_id::dictionary;
      for (const auto& p : parts) same_dict = same_dict && p.dictionary() == parts[0].dictionary();
      const auto append_all = [&](auto& b) {
        for (const auto& p : parts)
          for (std::size_t i = 0; i < p.size(); ++i)
            p.is_valid(i) ? b.append(p.string_at(i)) : b.append_null();
        return b.finish();
      };
      if (type.id == type_id::dictionary && !same_dict) {
        dictionary_builder b;
        return append_all(b);
      }
      if (type.id == type_id::string) {
        string_builder b;
        return append_all(b);
      }
      if (type.id == type_id::large_string) {
        large_string_builder b;
        return append_all(b);
      }
    }
    bitmap validity(nulls ? n : 0);
    if (nulls) {
      std::size_t at = 0;
      for (const auto& p : parts)
        for (std::size_t i = 0; i < p.size(); ++i, ++at)
          if (p.is_valid(i)) validity.set(at);
    }
    buffer vb = nulls ? buffer(std::move(validity)) : buffer();
    if (type.id == type_id::boolean) {
      bitmap bits(n);
      std::size_t at = 0;
      for (const auto& p : parts) {
        const auto v = p.bool_view();
        for (std::size_t i = 0; i < p.size(); ++i, ++at)
          if (v[i]) bits.set(at);
      }
      return column::unchecked(type, n, std::move(vb), buffer(std::move(bits)));
    }
    const type_id phys = type.id == type_id::dictionary ? type_id::int32 : type.id;
    return visit_physical(phys, [&]<class T>(std::type_identity<T>) -> column {
      if constexpr (column_number<T>) {
        aligned_buffer<T> out(n, tessera::uninitialized);
        std::size_t at = 0;
        for (const auto& p : parts) {
          if (p.size() != 0) std::memcpy(out.data() + at, p.view<T>().data, p.size() * sizeof(T));
          at += p.size();
        }
        return column::unchecked(type, n, std::move(vb), buffer(std::move(out)), {},
                                 parts[0].dictionary());
      } else {
        return column();
      }
    });
  } catch (const tessera::exception& e) {
    return unexpected(e.error());
  }
}
/// Throwing form of try_concatenate.
[[nodiscard]] inline column concatenate(std::span<const column> parts) {
  return try_concatenate(parts).value();
}

/// The rows of the tables one after another. Every table must have the same column types and
/// names (the first table's schema is kept). Errors as try_concatenate, naming the column.
[[nodiscard]] inline expected<table> try_concatenate(std::span<const table> parts) {
  if (parts.empty()) return unexpected(error(errc::invalid_argument, "nothing to concatenate"));
  const auto& s = parts[0].schema();
  std::vector<column> cols;
  for (std::size_t k = 0; k < s.size(); ++k) {
    std::vector<column> pieces;
    for (const auto& t : parts) {
      if (t.num_columns() != s.size() || t.schema()[k].name != s[k].name)
        return unexpected(
            error(errc::invalid_argument, "tables to concatenate have different columns"));
      pieces.push_back(t[k]);
    }
    auto c = try_concatenate(std::span<const column>(pieces));
    if (!c) return unexpected(std::move(c.error()).add_context("column '" + s[k].name + "'"));
    cols.push_back(std::move(*c));
  }
  return table::make(s, std::move(cols));
}
[[nodiscard]] inline table concatenate(std::span<const table> parts) {
  return try_concatenate(parts).value();
}

TESSERA_NAMESPACE_END
