// tessera: builders that append values and nulls and finish into an immutable column.
//
// Needs only the standard library.
#pragma once

#include <tessera/column/buffer.hpp>
#include <tessera/column/column.hpp>
#include <tessera/column/types.hpp>
#include <tessera/config.hpp>
#include <tessera/core/aligned_buffer.hpp>
#include <tessera/core/bitmap.hpp>
#include <tessera/core/error.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>

TESSERA_NAMESPACE_BEGIN

namespace detail {
/// Grows an aligned_buffer geometrically (aligned_buffer::reserve allocates exactly).
template <class T>
void grow_for(aligned_buffer<T>& b, std::size_t extra) {
  const std::size_t need = b.size() + extra;
  if (need > b.capacity()) b.reserve(std::max(need, b.capacity() * 2));
}

/// Validity bits that stay unmaterialised until the first null: a column without nulls carries no
/// bitmap at all (Arrow allows the validity buffer to be absent).
class lazy_validity {
public:
  void append_valid() {
    if (active_) bits_.push_back(true);
    ++size_;
  }
  void append_valid(std::size_t n) {
    if (active_) bits_.resize(bits_.size() + n, true);
    size_ += n;
  }
  void append_null() {
    if (!active_) {
      bits_.resize(size_, true);
      active_ = true;
    }
    bits_.push_back(false);
    ++size_;
    ++nulls_;
  }
  void reserve(std::size_t) noexcept {}
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::size_t null_count() const noexcept { return nulls_; }
  /// The finished bitmap (empty when there were no nulls); resets the builder.
  buffer finish() {
    buffer out = active_ ? buffer(std::move(bits_)) : buffer();
    *this = lazy_validity();
    return out;
  }

private:
  bitmap bits_;
  std::size_t size_ = 0;
  std::size_t nulls_ = 0;
  bool active_ = false;
};
} // namespace detail

/// Builds a fixed-width column of T (numbers; date32 with int32_t; timestamp with int64_t).
/// append is amortised O(1); no bitmap is allocated until the first null.
template <column_number T>
class primitive_builder {
public:
  /// A builder of `type`, whose physical type must be T (asserted): the default is type_of_v<T>.
  explicit primitive_builder(data_type type = type_of_v<T>) : type_(type) {
    TESSERA_ASSERT(is_fixed_width(type.id) && type.id != type_id::dictionary &&
                       fixed_width_bytes(type.id) == sizeof(T) &&
                       (std::is_floating_point_v<T> == is_floating(type.id)),
                   "primitive_builder<T>: T is not the physical type of this column type");
  }

  /// Makes room for n more values.
  void reserve(std::size_t n) { values_.reserve(values_.size() + n); }
  void append(T v) {
    values_.push_back(v);
    valid_.append_valid();
  }
  /// Appends a null (its value slot holds T{}).
  void append_null() {
    values_.push_back(T{});
    valid_.append_null();
  }
  /// Appends the value, or a null for nullopt.
  void append_optional(const std::optional<T>& v) { v ? append(*v) : append_null(); }
  /// Appends many non-null values with one copy.
  void append(std::span<const T> vs) {
    detail::grow_for(values_, vs.size());
    const std::size_t old = values_.size();
    values_.resize(old + vs.size(), tessera::uninitialized);
    if (!vs.empty()) std::memcpy(values_.data() + old, vs.data(), vs.size_bytes());
    valid_.append_valid(vs.size());
  }
  [[nodiscard]] std::size_t size() const noexcept { return values_.size(); }
  [[nodiscard]] std::size_t null_count() const noexcept { return valid_.null_count(); }

  /// The column built so far; the builder is left empty and reusable.
  [[nodiscard]] column finish() {
    const std::size_t n = values_.size();
    const std::size_t nulls = valid_.null_count();
    buffer validity = valid_.finish();
    buffer values(std::move(values_));
    values_ = aligned_buffer<T>();
    return column::unchecked(type_, n, std::move(validity), std::move(values), {}, {}, 0, nulls);
  }

private:
  data_type type_;
  aligned_buffer<T> values_;
  detail::lazy_validity valid_;
};

/// Builds a boolean column (bit-packed values).
class bool_builder {
public:
  void reserve(std::size_t) noexcept {}
  void append(bool v) {
    values_.push_back(v);
    valid_.append_valid();
  }
  void append_null() {
    values_.push_back(false);
    valid_.append_null();
  }
  /// Appends the value, or a null for nullopt.
  void append_optional(const std::optional<bool>& v) { v ? append(*v) : append_null(); }
  [[nodiscard]] std::size_t size() const noexcept { return values_.size(); }
  [[nodiscard]] std::size_t null_count() const noexcept { return valid_.null_count(); }
  [[nodiscard]] column finish() {
    const std::size_t n = values_.size();
    const std::size_t nulls = valid_.null_count();
    buffer validity = valid_.finish();
    buffer values(std::move(values_));
    values_ = bitmap();
    return column::unchecked(type_id::boolean, n, std::move(validity), std::move(values), {}, {}, 0,
                             nulls);
  }

private:
  bitmap values_;
  detail::lazy_validity valid_;
};

/// Builds a string (Offset = int32_t) or large_string (Offset = int64_t) column.
/// append copies the bytes; amortised O(length of the string).
template <class Offset = std::int32_t>
requires(std::is_same_v<Offset, std::int32_t> ||
         std::is_same_v<Offset, std::int64_t>) class basic_string_builder {
public:
  basic_string_builder() { offsets_.push_back(0); }

  /// Makes room for n more strings holding `bytes` more bytes in total.
  void reserve(std::size_t n, std::size_t bytes = 0) {
    offsets_.reserve(offsets_.size() + n);
    bytes_.reserve(bytes_.size() + bytes);
  }
  /// Appends s. Throws tessera::exception (errc::overflow) when the total bytes would exceed
  /// what Offset can address (2^31 - 1 for string: use large_string beyond that); the builder is
  /// unchanged then.
  void append(std::string_view s) {
    if (s.size() > static_cast<std::size_t>(std::numeric_limits<Offset>::max()) - bytes_.size())
      throw_error(error(errc::overflow, "string column exceeds " +
                                            std::to_string(std::numeric_limits<Offset>::max()) +
                                            " bytes; use large_string"));
    detail::grow_for(bytes_, s.size());
    const std::size_t old = bytes_.size();
    bytes_.resize(old + s.size(), tessera::uninitialized);
    if (!s.empty()) std::memcpy(bytes_.data() + old, s.data(), s.size());
    offsets_.push_back(static_cast<Offset>(bytes_.size()));
    valid_.append_valid();
  }
  /// Appends a null (an empty slot).
  void append_null() {
    offsets_.push_back(static_cast<Offset>(bytes_.size()));
    valid_.append_null();
  }
  /// Appends the value, or a null for nullopt.
  void append_optional(const std::optional<std::string_view>& s) { s ? append(*s) : append_null(); }
  [[nodiscard]] std::size_t size() const noexcept { return offsets_.size() - 1; }
  [[nodiscard]] std::size_t null_count() const noexcept { return valid_.null_count(); }
  [[nodiscard]] std::size_t byte_size() const noexcept { return bytes_.size(); }

  [[nodiscard]] column finish() {
    const std::size_t n = size();
    const std::size_t nulls = valid_.null_count();
    buffer validity = valid_.finish();
    buffer offsets(std::move(offsets_));
    buffer bytes(std::move(bytes_));
    offsets_ = aligned_buffer<Offset>();
    offsets_.push_back(0);
    bytes_ = aligned_buffer<char>();
    constexpr type_id id =
        std::is_same_v<Offset, std::int32_t> ? type_id::string : type_id::large_string;
    return column::unchecked(id, n, std::move(validity), std::move(offsets), std::move(bytes), {},
                             0, nulls);
  }

private:
  aligned_buffer<Offset> offsets_;
  aligned_buffer<char> bytes_;
  detail::lazy_validity valid_;
};
using string_builder = basic_string_builder<std::int32_t>;
using large_string_builder = basic_string_builder<std::int64_t>;

/// Builds a dictionary-encoded string column: each distinct string is stored once, in order of
/// first appearance, and elements hold int32 indices. Throws tessera::exception (errc::overflow)
/// past 2^31 - 1 distinct strings or dictionary bytes.
class dictionary_builder {
public:
  void append(std::string_view s) {
    auto it = index_.find(s);
    std::int32_t k;
    if (it != index_.end()) {
      k = it->second;
    } else {
      if (dict_.size() >= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
        throw_error(error(errc::overflow, "dictionary exceeds 2^31 - 1 distinct strings"));
      dict_.append(s);
      k = static_cast<std::int32_t>(dict_.size() - 1);
      index_.emplace(std::string(s), k);
    }
    indices_.append(k);
  }
  void append_null() { indices_.append_null(); }
  /// Appends the value, or a null for nullopt.
  void append_optional(const std::optional<std::string_view>& s) { s ? append(*s) : append_null(); }
  [[nodiscard]] std::size_t size() const noexcept { return indices_.size(); }
  [[nodiscard]] std::size_t dictionary_size() const noexcept { return dict_.size(); }

  [[nodiscard]] column finish() {
    auto dictionary = std::make_shared<const column>(dict_.finish());
    column idx = indices_.finish();
    index_.clear();
    return column::unchecked(type_id::dictionary, idx.size(), idx.validity_buffer(),
                             idx.values_buffer(), {}, std::move(dictionary), 0, idx.null_count());
  }

private:
  struct hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  std::unordered_map<std::string, std::int32_t, hash, std::equal_to<>> index_;
  string_builder dict_;
  primitive_builder<std::int32_t> indices_{data_type(type_id::int32)};
};

// ---------------------------------------------------------------------------------------------
// Conveniences for small columns (tests, examples, literals).

/// A column holding a copy of `values` (no nulls), of `type` (default: type_of_v<T>).
template <column_number T>
[[nodiscard]] column make_column(std::span<const T> values, data_type type = type_of_v<T>) {
  primitive_builder<T> b(type);
  b.append(values);
  return b.finish();
}
/// A column of T where nullopt is null.
template <column_primitive T>
[[nodiscard]] column make_column(std::initializer_list<std::optional<T>> values) {
  if constexpr (std::is_same_v<T, bool>) {
    bool_builder b;
    for (const auto& v : values) b.append_optional(v);
    return b.finish();
  } else {
    primitive_builder<T> b;
    for (const auto& v : values) b.append_optional(v);
    return b.finish();
  }
}
/// A string column (or dictionary when `type` is type_id::dictionary, large_string likewise)
/// where nullopt is null.
[[nodiscard]] inline column
make_string_column(std::span<const std::optional<std::string_view>> values,
                   type_id type = type_id::string) {
  if (type == type_id::dictionary) {
    dictionary_builder b;
    for (const auto& v : values) b.append_optional(v);
    return b.finish();
  }
  if (type == type_id::large_string) {
    large_string_builder b;
    for (const auto& v : values) b.append_optional(v);
    return b.finish();
  }
  string_builder b;
  for (const auto& v : values) b.append_optional(v);
  return b.finish();
}
[[nodiscard]] inline column
make_string_column(std::initializer_list<std::optional<std::string_view>> values,
                   type_id type = type_id::string) {
  return make_string_column(
      std::span<const std::optional<std::string_view>>(values.begin(), values.size()), type);
}

TESSERA_NAMESPACE_END
