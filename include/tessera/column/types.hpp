// tessera: the logical types a column can hold, and how each maps to its physical Arrow layout.
//
// Needs only the standard library.
#pragma once

#include <tessera/config.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

TESSERA_NAMESPACE_BEGIN

/// The logical type of a column. Each maps to one Arrow layout:
///  - boolean: bit-packed values (one bit per value, Arrow bit order);
///  - int8..uint64, float32, float64: fixed-width values of the matching C++ type;
///  - date32: int32 days since 1970-01-01;
///  - timestamp: int64 count of `time_unit`s since 1970-01-01T00:00:00 UTC;
///  - string: int32 offsets (length + 1 of them) into a byte buffer of UTF-8;
///  - large_string: the same with int64 offsets;
///  - dictionary: int32 indices into a string column (the dictionary) shared by every slice.
enum class type_id : std::uint8_t {
  boolean,
  int8,
  int16,
  int32,
  int64,
  uint8,
  uint16,
  uint32,
  uint64,
  float32,
  float64,
  date32,
  timestamp,
  string,
  large_string,
  dictionary,
};

/// The unit of a timestamp.
enum class time_unit : std::uint8_t { second, millisecond, microsecond, nanosecond };

/// A logical type: the id plus its parameter (the unit of a timestamp). Cheap to copy, comparable.
struct data_type {
  type_id id = type_id::int64;
  time_unit unit = time_unit::microsecond; ///< meaningful for timestamp only

  constexpr data_type() noexcept = default;
  constexpr data_type(type_id i) noexcept : id(i) {} // NOLINT: implicit on purpose
  constexpr data_type(type_id i, time_unit u) noexcept : id(i), unit(u) {}

  friend constexpr bool operator==(const data_type& a, const data_type& b) noexcept {
    return a.id == b.id && (a.id != type_id::timestamp || a.unit == b.unit);
  }
};

/// Factory of a timestamp type with the given unit.
[[nodiscard]] constexpr data_type timestamp_type(time_unit unit) noexcept {
  return {type_id::timestamp, unit};
}

/// The stable lower-case name of a unit: "s", "ms", "us", "ns".
[[nodiscard]] constexpr std::string_view to_string(time_unit u) noexcept {
  switch (u) {
  case time_unit::second:
    return "s";
  case time_unit::millisecond:
    return "ms";
  case time_unit::microsecond:
    return "us";
  case time_unit::nanosecond:
    return "ns";
  }
  return "?";
}

/// The stable lower-case name of a type id, e.g. "int32", "large_string".
[[nodiscard]] constexpr std::string_view to_string(type_id id) noexcept {
  switch (id) {
  case type_id::boolean:
    return "bool";
  case type_id::int8:
    return "int8";
  case type_id::int16:
    return "int16";
  case type_id::int32:
    return "int32";
  case type_id::int64:
    return "int64";
  case type_id::uint8:
    return "uint8";
  case type_id::uint16:
    return "uint16";
  case type_id::uint32:
    return "uint32";
  case type_id::uint64:
    return "uint64";
  case type_id::float32:
    return "float32";
  case type_id::float64:
    return "float64";
  case type_id::date32:
    return "date32";
  case type_id::timestamp:
    return "timestamp";
  case type_id::string:
    return "string";
  case type_id::large_string:
    return "large_string";
  case type_id::dictionary:
    return "dictionary<int32, string>";
  }
  return "unknown";
}

/// The name of a type, with the unit of a timestamp: "timestamp[ms]".
[[nodiscard]] inline std::string to_string(const data_type& t) {
  std::string s(to_string(t.id));
  if (t.id == type_id::timestamp) {
    s += '[';
    s += to_string(t.unit);
    s += ']';
  }
  return s;
}

/// True for the types stored as fixed-width values of a C++ arithmetic type (not bool).
[[nodiscard]] constexpr bool is_fixed_width(type_id id) noexcept {
  return id != type_id::boolean && id != type_id::string && id != type_id::large_string &&
         id != type_id::dictionary;
}
/// True for string, large_string and dictionary (the types whose values are strings).
[[nodiscard]] constexpr bool is_string_like(type_id id) noexcept {
  return id == type_id::string || id == type_id::large_string || id == type_id::dictionary;
}
/// True for the integer types (not date32 or timestamp, which are integers physically).
[[nodiscard]] constexpr bool is_integer(type_id id) noexcept {
  return id >= type_id::int8 && id <= type_id::uint64;
}
/// True for float32 and float64.
[[nodiscard]] constexpr bool is_floating(type_id id) noexcept {
  return id == type_id::float32 || id == type_id::float64;
}
/// True for the integer and floating-point types.
[[nodiscard]] constexpr bool is_numeric(type_id id) noexcept {
  return is_integer(id) || is_floating(id);
}

/// The logical type of a C++ value type: int32_t -> int32, double -> float64, bool -> boolean.
/// `char`, `wchar_t` and the charN_t types are not column types. `long long` and `long` both map
/// to int64 when they are 64 bits wide.
template <class T>
struct type_of;
namespace detail {
template <class T, type_id Id>
struct type_of_impl {
  static constexpr type_id value = Id;
};
template <std::size_t Size, bool Signed>
struct integer_id;
template <>
struct integer_id<1, true> : std::integral_constant<type_id, type_id::int8> {};
template <>
struct integer_id<2, true> : std::integral_constant<type_id, type_id::int16> {};
template <>
struct integer_id<4, true> : std::integral_constant<type_id, type_id::int32> {};
template <>
struct integer_id<8, true> : std::integral_constant<type_id, type_id::int64> {};
template <>
struct integer_id<1, false> : std::integral_constant<type_id, type_id::uint8> {};
template <>
struct integer_id<2, false> : std::integral_constant<type_id, type_id::uint16> {};
template <>
struct integer_id<4, false> : std::integral_constant<type_id, type_id::uint32> {};
template <>
struct integer_id<8, false> : std::integral_constant<type_id, type_id::uint64> {};
template <class T>
inline constexpr bool is_char_type_v =
    std::is_same_v<T, char> || std::is_same_v<T, wchar_t> || std::is_same_v<T, char8_t> ||
    std::is_same_v<T, char16_t> || std::is_same_v<T, char32_t>;
} // namespace detail

template <class T>
requires(std::is_integral_v<T> && !std::is_same_v<T, bool> &&
         !detail::is_char_type_v<T>) struct type_of<T>
    : detail::integer_id<sizeof(T), std::is_signed_v<T>> {
};
template <>
struct type_of<bool> : std::integral_constant<type_id, type_id::boolean> {};
template <>
struct type_of<float> : std::integral_constant<type_id, type_id::float32> {};
template <>
struct type_of<double> : std::integral_constant<type_id, type_id::float64> {};

/// The type id of a C++ value type (see type_of).
template <class T>
inline constexpr type_id type_of_v = type_of<T>::value;

/// A C++ type that is the physical value of some fixed-width column or bool: the integers
/// (not the character types), float, double and bool.
template <class T>
concept column_primitive = requires {
  type_of<T>::value;
};

/// A fixed-width numeric value type (column_primitive without bool).
template <class T>
concept column_number = column_primitive<T> && !std::is_same_v<T, bool>;

/// The C++ type of the values of a fixed-width or boolean column, by id: int32 -> std::int32_t,
/// date32 -> std::int32_t, timestamp -> std::int64_t, boolean -> bool, dictionary -> std::int32_t
/// (its indices). Undefined for string and large_string.
template <type_id Id>
struct physical_type;
#define TESSERA_DETAIL_PHYSICAL(id_, T)                                                            \
  template <>                                                                                      \
  struct physical_type<type_id::id_> {                                                             \
    using type = T;                                                                                \
  };
TESSERA_DETAIL_PHYSICAL(boolean, bool)
TESSERA_DETAIL_PHYSICAL(int8, std::int8_t)
TESSERA_DETAIL_PHYSICAL(int16, std::int16_t)
TESSERA_DETAIL_PHYSICAL(int32, std::int32_t)
TESSERA_DETAIL_PHYSICAL(int64, std::int64_t)
TESSERA_DETAIL_PHYSICAL(uint8, std::uint8_t)
TESSERA_DETAIL_PHYSICAL(uint16, std::uint16_t)
TESSERA_DETAIL_PHYSICAL(uint32, std::uint32_t)
TESSERA_DETAIL_PHYSICAL(uint64, std::uint64_t)
TESSERA_DETAIL_PHYSICAL(float32, float)
TESSERA_DETAIL_PHYSICAL(float64, double)
TESSERA_DETAIL_PHYSICAL(date32, std::int32_t)
TESSERA_DETAIL_PHYSICAL(timestamp, std::int64_t)
TESSERA_DETAIL_PHYSICAL(dictionary, std::int32_t)
#undef TESSERA_DETAIL_PHYSICAL
template <type_id Id>
using physical_type_t = typename physical_type<Id>::type;

/// Bytes per value of a fixed-width type (and of the indices of a dictionary); 0 for boolean
/// (bit-packed) and the string types (variable width).
[[nodiscard]] constexpr std::size_t fixed_width_bytes(type_id id) noexcept {
  switch (id) {
  case type_id::int8:
  case type_id::uint8:
    return 1;
  case type_id::int16:
  case type_id::uint16:
    return 2;
  case type_id::int32:
  case type_id::uint32:
  case type_id::float32:
  case type_id::date32:
  case type_id::dictionary:
    return 4;
  case type_id::int64:
  case type_id::uint64:
  case type_id::float64:
  case type_id::timestamp:
    return 8;
  case type_id::boolean:
  case type_id::string:
  case type_id::large_string:
    return 0;
  }
  return 0;
}

/// Calls `f(std::type_identity<T>{})` with T the physical value type of a numeric, date32 or
/// timestamp column (bool for boolean), and returns its result. For string-like ids it calls
/// `f(std::type_identity<std::string_view>{})`. All branches must return the same type.
template <class F>
decltype(auto) visit_physical(type_id id, F&& f) {
  switch (id) {
  case type_id::boolean:
    return f(std::type_identity<bool>{});
  case type_id::int8:
    return f(std::type_identity<std::int8_t>{});
  case type_id::int16:
    return f(std::type_identity<std::int16_t>{});
  case type_id::int32:
  case type_id::date32:
    return f(std::type_identity<std::int32_t>{});
  case type_id::int64:
  case type_id::timestamp:
    return f(std::type_identity<std::int64_t>{});
  case type_id::uint8:
    return f(std::type_identity<std::uint8_t>{});
  case type_id::uint16:
    return f(std::type_identity<std::uint16_t>{});
  case type_id::uint32:
    return f(std::type_identity<std::uint32_t>{});
  case type_id::uint64:
    return f(std::type_identity<std::uint64_t>{});
  case type_id::float32:
    return f(std::type_identity<float>{});
  case type_id::float64:
    return f(std::type_identity<double>{});
  case type_id::string:
  case type_id::large_string:
  case type_id::dictionary:
    break;
  }
  return f(std::type_identity<std::string_view>{});
}

TESSERA_NAMESPACE_END
