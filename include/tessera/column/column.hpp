// tessera: the type-erased column in Arrow layout, and typed, non-owning views of it.
//
// Needs only the standard library.
#pragma once

#include <tessera/column/buffer.hpp>
#include <tessera/column/types.hpp>
#include <tessera/config.hpp>
#include <tessera/core/bitmap.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

TESSERA_NAMESPACE_BEGIN

/// Validity of a view: bit i set means element i is valid (not null). A default (null-data)
/// validity means "every element is valid", as in Arrow when the bitmap is absent.
struct validity_view {
  bitmap_view bits;

  /// True when element i is not null. Precondition: i < size of the column.
  [[nodiscard]] bool operator()(std::size_t i) const noexcept {
    return bits.data() == nullptr || bits[i];
  }
  /// True when a bitmap is present (it may still have no zero bits).
  [[nodiscard]] bool present() const noexcept { return bits.data() != nullptr; }
};

/// A typed, non-owning view of a fixed-width column of T (numbers, date32 and timestamp as their
/// integers, dictionary indices). Valid while the column it came from (or its buffers) live.
template <column_number T>
struct primitive_view {
  using value_type = T;
  const T* data = nullptr; ///< size values; a null element's value is unspecified (but readable)
  std::size_t size = 0;
  validity_view valid;
  std::size_t null_count = 0;

  [[nodiscard]] T operator[](std::size_t i) const noexcept {
    TESSERA_ASSERT(i < size, "column index out of range");
    return data[i];
  }
  [[nodiscard]] bool is_valid(std::size_t i) const noexcept { return valid(i); }
  [[nodiscard]] std::span<const T> values() const noexcept { return {data, size}; }
};

/// A non-owning view of a boolean column: values and validity are both bitmaps.
struct boolean_view {
  using value_type = bool;
  bitmap_view bits;
  std::size_t size = 0;
  validity_view valid;
  std::size_t null_count = 0;

  [[nodiscard]] bool operator[](std::size_t i) const noexcept { return bits[i]; }
  [[nodiscard]] bool is_valid(std::size_t i) const noexcept { return valid(i); }
};

/// A non-owning view of a string column with Offset (int32 or int64) offsets: element i is bytes
/// [offsets[i], offsets[i+1]). Offsets are validated when the column is made, so every element is
/// inside `bytes`.
template <class Offset>
struct string_view_of {
  using value_type = std::string_view;
  const Offset* offsets = nullptr; ///< size + 1 entries (absent when size == 0)
  const char* bytes = nullptr;
  std::size_t size = 0;
  validity_view valid;
  std::size_t null_count = 0;

  [[nodiscard]] std::string_view operator[](std::size_t i) const noexcept {
    TESSERA_ASSERT(i < size, "column index out of range");
    const auto b = static_cast<std::size_t>(offsets[i]);
    const auto e = static_cast<std::size_t>(offsets[i + 1]);
    return {bytes + b, e - b};
  }
  [[nodiscard]] bool is_valid(std::size_t i) const noexcept { return valid(i); }
};
using string_view_32 = string_view_of<std::int32_t>;
using string_view_64 = string_view_of<std::int64_t>;

class column;

/// A column: a logical type, a length, and Arrow-layout buffers shared with every copy and
/// slice. Immutable: kernels produce new columns. Copying is O(1) (buffers are shared).
///
/// Layout (Arrow columnar format, offset applied to every buffer):
///  - validity: optional bitmap; bit (offset + i) set means element i is valid;
///  - values: fixed-width values, boolean bits, string offsets (size + 1), or dictionary indices;
///  - data: the UTF-8 bytes of string and large_string;
///  - dictionary: the string column that dictionary indices refer to.
class column {
public:
  /// An empty int64 column.
  column() = default;

  /// Makes a column from buffers after checking that they hold everything the type and length
  /// need: buffer sizes, alignment, string offsets (monotone, inside the bytes) and dictionary
  /// indices (inside the dictionary). O(length) for strings and dictionaries, O(length / 64)
  /// otherwise (the null count). Errors: errc::invalid_argument or errc::corrupt_data.
  [[nodiscard]] static expected<column> make(data_type type, std::size_t length, buffer validity,
                                             buffer values, buffer data = {},
                                             std::shared_ptr<const column> dictionary = {},
                                             std::size_t offset = 0);

  /// Makes a column without checks, for kernels and builders that produced consistent buffers.
  /// Preconditions: those make() checks (asserted in debug builds where cheap). `null_count` may
  /// be unknown_null_count, in which case it is counted.
  static constexpr std::size_t unknown_null_count = std::numeric_limits<std::size_t>::max();
  [[nodiscard]] static column unchecked(data_type type, std::size_t length, buffer validity,
                                        buffer values, buffer data = {},
                                        std::shared_ptr<const column> dictionary = {},
                                        std::size_t offset = 0,
                                        std::size_t null_count = unknown_null_count);

  [[nodiscard]] const data_type& type() const noexcept { return type_; }
  [[nodiscard]] type_id id() const noexcept { return type_.id; }
  [[nodiscard]] std::size_t size() const noexcept { return length_; }
  [[nodiscard]] bool empty() const noexcept { return length_ == 0; }
  /// Elements skipped at the start of every buffer (non-zero for slices and some imports).
  [[nodiscard]] std::size_t offset() const noexcept { return offset_; }
  [[nodiscard]] std::size_t null_count() const noexcept { return null_count_; }

  /// Validity of element i (true: not null). Precondition: i < size().
  [[nodiscard]] bool is_valid(std::size_t i) const noexcept {
    TESSERA_ASSERT(i < length_, "column index out of range");
    return validity().operator()(i);
  }
  [[nodiscard]] bool is_null(std::size_t i) const noexcept { return !is_valid(i); }
  /// The validity bits of the elements [0, size()); absent when no bitmap is stored.
  [[nodiscard]] validity_view validity() const noexcept {
    if (validity_.empty()) return {};
    return {bitmap_view(reinterpret_cast<const std::uint8_t*>(validity_.data()), offset_, length_)};
  }

  /// Elements [first, first + length) sharing this column's buffers. O(length / 64) (the null
  /// count of the slice). Precondition: first + length <= size().
  [[nodiscard]] column slice(std::size_t first, std::size_t length) const;

  /// The typed view of a fixed-width column (T must match the physical type: same id, or the
  /// integer of date32 (int32), timestamp (int64) or dictionary indices (int32)).
  /// Precondition (asserted): the types match; use holds<T>() to test.
  template <column_number T>
  [[nodiscard]] primitive_view<T> view() const noexcept {
    TESSERA_ASSERT(holds<T>(), "column::view<T>: T is not the physical type of this column");
    const T* base =
        values_.empty() ? nullptr : reinterpret_cast<const T*>(values_.data()) + offset_;
    return {base, length_, validity(), null_count_};
  }
  /// The view of a boolean column. Precondition: id() == type_id::boolean.
  [[nodiscard]] boolean_view bool_view() const noexcept {
    TESSERA_ASSERT(id() == type_id::boolean, "column::bool_view on a non-boolean column");
    return {bitmap_view(reinterpret_cast<const std::uint8_t*>(values_.data()), offset_, length_),
            length_, validity(), null_count_};
  }
  /// The view of a string (Offset = int32) or large_string (Offset = int64) column.
  template <class Offset>
  [[nodiscard]] string_view_of<Offset> string_view() const noexcept {
    TESSERA_ASSERT((std::is_same_v<Offset, std::int32_t> && id() == type_id::string) ||
                       (std::is_same_v<Offset, std::int64_t> && id() == type_id::large_string),
                   "column::string_view: wrong offset type for this column");
    const Offset* offs =
        values_.empty() ? nullptr : reinterpret_cast<const Offset*>(values_.data()) + offset_;
    return {offs, reinterpret_cast<const char*>(data_.data()), length_, validity(), null_count_};
  }
  /// True when view<T>() is allowed.
  template <class T>
  [[nodiscard]] bool holds() const noexcept {
    if constexpr (!column_number<T>) {
      return std::is_same_v<T, bool> && id() == type_id::boolean;
    } else {
      constexpr type_id want = type_of_v<T>;
      if (id() == want) return true;
      if constexpr (want == type_id::int32) {
        return id() == type_id::date32 || id() == type_id::dictionary;
      } else if constexpr (want == type_id::int64) {
        return id() == type_id::timestamp;
      } else {
        return false;
      }
    }
  }

  /// Element i of a fixed-width or boolean column as T (see view<T>). Precondition: i < size().
  template <column_primitive T>
  [[nodiscard]] T value(std::size_t i) const noexcept {
    TESSERA_ASSERT(i < length_, "column index out of range");
    if constexpr (std::is_same_v<T, bool>) {
      return bool_view()[i];
    } else {
      return view<T>()[i];
    }
  }
  /// Element i of a string, large_string or dictionary column (the empty string for nulls of a
  /// dictionary). Precondition: is_string_like(id()) and i < size().
  [[nodiscard]] std::string_view string_at(std::size_t i) const noexcept;

  /// Buffers, for exporters and kernels. Offsets apply (see offset()).
  [[nodiscard]] const buffer& validity_buffer() const noexcept { return validity_; }
  [[nodiscard]] const buffer& values_buffer() const noexcept { return values_; }
  [[nodiscard]] const buffer& data_buffer() const noexcept { return data_; }
  /// The dictionary of a dictionary column (a string or large_string column); null otherwise.
  [[nodiscard]] const std::shared_ptr<const column>& dictionary() const noexcept {
    return dictionary_;
  }

  /// Logical equality: same type, length, nulls, and values at the valid positions (floating
  /// point values compare equal when both are NaN or when ==; dictionary columns compare by
  /// string). Offsets and buffer identity do not matter.
  [[nodiscard]] bool equals(const column& other) const;

private:
  column(data_type type, std::size_t length, std::size_t offset, buffer validity, buffer values,
         buffer data, std::shared_ptr<const column> dictionary)
      : type_(type), length_(length), offset_(offset), validity_(std::move(validity)),
        values_(std::move(values)), data_(std::move(data)), dictionary_(std::move(dictionary)) {}
  void count_nulls() noexcept {
    null_count_ = validity_.empty() ? 0 : length_ - validity().bits.count();
  }

  data_type type_{type_id::int64};
  std::size_t length_ = 0;
  std::size_t offset_ = 0;
  std::size_t null_count_ = 0;
  buffer validity_;
  buffer values_;
  buffer data_;
  std::shared_ptr<const column> dictionary_;
};

// ---------------------------------------------------------------------------------------------

namespace detail {
inline error column_error(errc code, std::string message) {
  return error(code, std::move(message));
}
inline bool add_fits(std::size_t a, std::size_t b) noexcept {
  return a <= std::numeric_limits<std::size_t>::max() - b;
}
template <class Offset>
expected<void*> check_string_offsets(const buffer& offsets, const buffer& bytes, std::size_t off,
                                     std::size_t length) {
  if (length == 0 && offsets.empty()) return nullptr;
  if (reinterpret_cast<std::uintptr_t>(offsets.data()) % alignof(Offset) != 0)
    return unexpected(column_error(errc::corrupt_data, "string offsets buffer is misaligned"));
  if (!add_fits(off, length + 1) || offsets.size() / sizeof(Offset) < off + length + 1)
    return unexpected(column_error(errc::corrupt_data,
                                   "string offsets buffer holds fewer than offset + length + 1 "
                                   "entries"));
  const Offset* o = offsets.as<Offset>().data() + off;
  if (o[0] < 0) return unexpected(column_error(errc::corrupt_data, "string offset is negative"));
  for (std::size_t i = 0; i < length; ++i)
    if (o[i + 1] < o[i])
      return unexpected(column_error(errc::corrupt_data,
                                     "string offsets decrease at element " + std::to_string(i)));
  if (static_cast<std::uint64_t>(o[length]) > bytes.size())
    return unexpected(
        column_error(errc::corrupt_data, "string offsets point past the end of the byte buffer (" +
                                             std::to_string(o[length]) + " > " +
                                             std::to_string(bytes.size()) + ")"));
  return nullptr;
}
} // namespace detail

inline expected<column> column::make(data_type type, std::size_t length, buffer validity,
                                     buffer values, buffer data,
                                     std::shared_ptr<const column> dictionary, std::size_t offset) {
  using detail::column_error;
  if (!detail::add_fits(offset, length) || offset + length > (std::size_t{1} << 62))
    return unexpected(column_error(errc::invalid_argument, "column offset + length too large"));
  const std::size_t end = offset + length;
  if (!validity.empty() && validity.size() < (end + 7) / 8)
    return unexpected(column_error(errc::corrupt_data,
                                   "validity bitmap has " + std::to_string(validity.size()) +
                                       " bytes, " + std::to_string((end + 7) / 8) + " needed"));
  const type_id id = type.id;
  if (id == type_id::boolean) {
    if (length != 0 && values.size() < (end + 7) / 8)
      return unexpected(column_error(errc::corrupt_data, "boolean values bitmap is too short"));
  } else if (is_fixed_width(id) || id == type_id::dictionary) {
    const std::size_t w = fixed_width_bytes(id);
    if (reinterpret_cast<std::uintptr_t>(values.data()) % w != 0)
      return unexpected(column_error(errc::corrupt_data, "values buffer is misaligned for " +
                                                             std::string(to_string(id))));
    if (length != 0 && values.size() / w < end)
      return unexpected(column_error(errc::corrupt_data,
                                     "values buffer holds " + std::to_string(values.size() / w) +
                                         " values, " + std::to_string(end) + " needed"));
    if (id == type_id::dictionary) {
      if (!dictionary ||
          !(dictionary->id() == type_id::string || dictionary->id() == type_id::large_string))
        return unexpected(
            column_error(errc::invalid_argument, "a dictionary column needs a string dictionary"));
      const auto* idx = values.as<std::int32_t>().data() + offset;
      const auto dict_size = dictionary->size();
      const validity_view valid =
          validity.empty()
              ? validity_view{}
              : validity_view{bitmap_view(reinterpret_cast<const std::uint8_t*>(validity.data()),
                                          offset, length)};
      for (std::size_t i = 0; i < length; ++i)
        if (valid(i) && (idx[i] < 0 || static_cast<std::size_t>(idx[i]) >= dict_size))
          return unexpected(column_error(
              errc::corrupt_data, "dictionary index " + std::to_string(idx[i]) + " at element " +
                                      std::to_string(i) + " is outside the dictionary of " +
                                      std::to_string(dict_size)));
    }
  } else if (id == type_id::string) {
    auto ok = detail::check_string_offsets<std::int32_t>(values, data, offset, length);
    if (!ok) return unexpected(std::move(ok.error()));
  } else {
    auto ok = detail::check_string_offsets<std::int64_t>(values, data, offset, length);
    if (!ok) return unexpected(std::move(ok.error()));
  }
  if (id != type_id::dictionary) dictionary.reset();
  column c(type, length, offset, std::move(validity), std::move(values), std::move(data),
           std::move(dictionary));
  c.count_nulls();
  return c;
}

inline column column::unchecked(data_type type, std::size_t length, buffer validity, buffer values,
                                buffer data, std::shared_ptr<const column> dictionary,
                                std::size_t offset, std::size_t null_count) {
  TESSERA_ASSERT(validity.empty() || validity.size() * 8 >= offset + length,
                 "validity bitmap too short");
  TESSERA_ASSERT((!is_fixed_width(type.id) && type.id != type_id::dictionary) || length == 0 ||
                     values.size() >= (offset + length) * fixed_width_bytes(type.id),
                 "values buffer too short");
  TESSERA_ASSERT(type.id != type_id::dictionary || dictionary != nullptr,
                 "dictionary column without a dictionary");
  column c(type, length, offset, std::move(validity), std::move(values), std::move(data),
           std::move(dictionary));
  if (null_count == unknown_null_count) {
    c.count_nulls();
  } else {
    TESSERA_ASSERT(null_count <= length, "null count larger than the column");
    c.null_count_ = c.validity_.empty() ? 0 : null_count;
  }
  return c;
}

inline column column::slice(std::size_t first, std::size_t length) const {
  TESSERA_ASSERT(first <= length_ && length <= length_ - first, "column slice out of range");
  column c(*this);
  c.offset_ = offset_ + first;
  c.length_ = length;
  if (first == 0 && length == length_) return c;
  c.count_nulls();
  return c;
}

inline std::string_view column::string_at(std::size_t i) const noexcept {
  TESSERA_ASSERT(i < length_, "column index out of range");
  switch (id()) {
  case type_id::string:
    return string_view<std::int32_t>()[i];
  case type_id::large_string:
    return string_view<std::int64_t>()[i];
  case type_id::dictionary: {
    if (!is_valid(i)) return {};
    const auto k = static_cast<std::size_t>(view<std::int32_t>()[i]);
    return dictionary_->string_at(k);
  }
  default:
    TESSERA_ASSERT(false, "column::string_at on a column that does not hold strings");
    return {};
  }
}

inline bool column::equals(const column& other) const {
  if (!(type_ == other.type_) || length_ != other.length_ || null_count_ != other.null_count_)
    return false;
  for (std::size_t i = 0; i < length_; ++i)
    if (is_valid(i) != other.is_valid(i)) return false;
  if (is_string_like(id())) {
    for (std::size_t i = 0; i < length_; ++i)
      if (is_valid(i) && string_at(i) != other.string_at(i)) return false;
    return true;
  }
  return visit_physical(id(), [&]<class T>(std::type_identity<T>) {
    if constexpr (std::is_same_v<T, std::string_view>) {
      return false;
    } else {
      for (std::size_t i = 0; i < length_; ++i) {
        if (!is_valid(i)) continue;
        const T a = value<T>(i);
        const T b = other.value<T>(i);
        if constexpr (std::is_floating_point_v<T>) {
          if (std::isnan(a) && std::isnan(b)) continue;
        }
        if (a != b) return false;
      }
      return true;
    }
  });
}

TESSERA_NAMESPACE_END
