// tessera: Parquet footer and metadata reader.
//
// Reads a Parquet file's FileMetaData (schema tree, row groups, column chunks, statistics,
// key/value metadata, sorting columns, page-index and bloom-filter locations) from its footer
// with exactly two reads: the last 8 bytes, then the footer. Decodes statistics to typed values.
// Files whose footer is encrypted (magic "PARE") are recognised and reported as such.
//
// Everything here needs only the standard library. Untrusted input gives
// tessera::error(errc::corrupt_data, ..., byte offset), never a crash.
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/aligned_buffer.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/detail/core/stream_store.hpp>
#include <tessera/detail/io/thrift_compact.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

TESSERA_NAMESPACE_BEGIN
namespace parquet {

// ---------------------------------------------------------------------------------------------
// Enumerations of parquet.thrift. Values outside the known range are kept as they are (a newer
// writer may use them); to_string then returns "UNKNOWN".

/// Physical (storage) type of a leaf column.
enum class physical_type : std::int32_t {
  boolean = 0,
  int32 = 1,
  int64 = 2,
  int96 = 3,
  float32 = 4,
  float64 = 5,
  byte_array = 6,
  fixed_len_byte_array = 7,
};
/// Legacy annotation of a column (superseded by logical_type).
enum class converted_type : std::int32_t {
  utf8 = 0,
  map,
  map_key_value,
  list,
  enum_,
  decimal,
  date,
  time_millis,
  time_micros,
  timestamp_millis,
  timestamp_micros,
  uint_8,
  uint_16,
  uint_32,
  uint_64,
  int_8,
  int_16,
  int_32,
  int_64,
  json,
  bson,
  interval,
};
/// Whether a field is required, optional or repeated.
enum class repetition : std::int32_t { required = 0, optional = 1, repeated = 2 };
/// Page encodings.
enum class encoding : std::int32_t {
  plain = 0,
  group_var_int = 1,
  plain_dictionary = 2,
  rle = 3,
  bit_packed = 4,
  delta_binary_packed = 5,
  delta_length_byte_array = 6,
  delta_byte_array = 7,
  rle_dictionary = 8,
  byte_stream_split = 9,
};
/// Compression codecs.
enum class compression : std::int32_t {
  uncompressed = 0,
  snappy = 1,
  gzip = 2,
  lzo = 3,
  brotli = 4,
  lz4 = 5,
  zstd = 6,
  lz4_raw = 7,
};
/// Page types (in encoding statistics).
enum class page_type : std::int32_t {
  data_page = 0,
  index_page = 1,
  dictionary_page = 2,
  data_page_v2 = 3,
};
/// Units of TIME and TIMESTAMP logical types.
enum class time_unit : std::uint8_t { none, millis, micros, nanos };

[[nodiscard]] constexpr std::string_view to_string(physical_type t) noexcept {
  constexpr std::array<std::string_view, 8> names{
      "BOOLEAN", "INT32",  "INT64",      "INT96",
      "FLOAT",   "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"};
  const auto i = static_cast<std::int32_t>(t);
  return i >= 0 && i < 8 ? names[static_cast<std::size_t>(i)] : "UNKNOWN";
}
[[nodiscard]] constexpr std::string_view to_string(converted_type t) noexcept {
  constexpr std::array<std::string_view, 22> names{"UTF8",
                                                   "MAP",
                                                   "MAP_KEY_VALUE",
                                                   "LIST",
                                                   "ENUM",
                                                   "DECIMAL",
                                                   "DATE",
                                                   "TIME_MILLIS",
                                                   "TIME_MICROS",
                                                   "TIMESTAMP_MILLIS",
                                                   "TIMESTAMP_MICROS",
                                                   "UINT_8",
                                                   "UINT_16",
                                                   "UINT_32",
                                                   "UINT_64",
                                                   "INT_8",
                                                   "INT_16",
                                                   "INT_32",
                                                   "INT_64",
                                                   "JSON",
                                                   "BSON",
                                                   "INTERVAL"};
  const auto i = static_cast<std::int32_t>(t);
  return i >= 0 && i < 22 ? names[static_cast<std::size_t>(i)] : "UNKNOWN";
}
[[nodiscard]] constexpr std::string_view to_string(repetition r) noexcept {
  constexpr std::array<std::string_view, 3> names{"REQUIRED", "OPTIONAL", "REPEATED"};
  const auto i = static_cast<std::int32_t>(r);
  return i >= 0 && i < 3 ? names[static_cast<std::size_t>(i)] : "UNKNOWN";
}
[[nodiscard]] constexpr std::string_view to_string(encoding e) noexcept {
  constexpr std::array<std::string_view, 10> names{
      "PLAIN",          "GROUP_VAR_INT",       "PLAIN_DICTIONARY",        "RLE",
      "BIT_PACKED",     "DELTA_BINARY_PACKED", "DELTA_LENGTH_BYTE_ARRAY", "DELTA_BYTE_ARRAY",
      "RLE_DICTIONARY", "BYTE_STREAM_SPLIT"};
  const auto i = static_cast<std::int32_t>(e);
  return i >= 0 && i < 10 ? names[static_cast<std::size_t>(i)] : "UNKNOWN";
}
[[nodiscard]] constexpr std::string_view to_string(compression c) noexcept {
  constexpr std::array<std::string_view, 8> names{"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO",
                                                  "BROTLI",       "LZ4",    "ZSTD", "LZ4_RAW"};
  const auto i = static_cast<std::int32_t>(c);
  return i >= 0 && i < 8 ? names[static_cast<std::size_t>(i)] : "UNKNOWN";
}
[[nodiscard]] constexpr std::string_view to_string(page_type p) noexcept {
  constexpr std::array<std::string_view, 4> names{"DATA_PAGE", "INDEX_PAGE", "DICTIONARY_PAGE",
                                                  "DATA_PAGE_V2"};
  const auto i = static_cast<std::int32_t>(p);
  return i >= 0 && i < 4 ? names[static_cast<std::size_t>(i)] : "UNKNOWN";
}
[[nodiscard]] constexpr std::string_view to_string(time_unit u) noexcept {
  switch (u) {
  case time_unit::millis:
    return "MILLIS";
  case time_unit::micros:
    return "MICROS";
  case time_unit::nanos:
    return "NANOS";
  case time_unit::none:
    break;
  }
  return "UNKNOWN";
}

// ---------------------------------------------------------------------------------------------
// The metadata model. Strings are views into the footer bytes and lists are spans over elements
// stored next to them; every file_metadata keeps that storage alive (shared between copies), so
// copying a file_metadata is cheap and views and spans stay valid. Parsing a footer of many
// column chunks thus allocates a few blocks instead of several small vectors per chunk.

/// An optional string or byte string of the footer. It behaves as
/// std::optional<std::string_view> (has_value, contextual bool, `*`, `->`, value, value_or,
/// reset, == with another optional_bytes, a string_view or std::nullopt, and conversion to and
/// from std::optional<std::string_view>) in the 16 bytes of a string_view instead of 24: a
/// null data pointer stands for "absent", and a present empty value points at a static "".
/// Column chunks hold five of these, and the size of a chunk is much of the cost of parsing a
/// footer of many of them.
class optional_bytes {
public:
  constexpr optional_bytes() noexcept = default;
  constexpr optional_bytes(std::nullopt_t) noexcept {}
  constexpr optional_bytes(std::string_view s) noexcept
      : v_(s.data() != nullptr ? s : std::string_view("", 0)) {}
  constexpr optional_bytes(const std::optional<std::string_view>& o) noexcept
      : optional_bytes(o ? optional_bytes(*o) : optional_bytes()) {}

  [[nodiscard]] constexpr bool has_value() const noexcept { return v_.data() != nullptr; }
  constexpr explicit operator bool() const noexcept { return has_value(); }
  /// The value; precondition: has_value().
  [[nodiscard]] constexpr const std::string_view& operator*() const noexcept { return v_; }
  [[nodiscard]] constexpr const std::string_view* operator->() const noexcept { return &v_; }
  /// The value; throws std::bad_optional_access when absent.
  [[nodiscard]] constexpr const std::string_view& value() const {
    if (!has_value()) throw std::bad_optional_access();
    return v_;
  }
  [[nodiscard]] constexpr std::string_view value_or(std::string_view other) const noexcept {
    return has_value() ? v_ : other;
  }
  constexpr void reset() noexcept { v_ = {}; }
  constexpr operator std::optional<std::string_view>() const {
    return has_value() ? std::optional<std::string_view>(v_) : std::nullopt;
  }

  friend constexpr bool operator==(const optional_bytes& a, const optional_bytes& b) noexcept {
    return a.has_value() == b.has_value() && (!a.has_value() || a.v_ == b.v_);
  }
  friend constexpr bool operator==(const optional_bytes& a, std::string_view b) noexcept {
    return a.has_value() && a.v_ == b;
  }
  friend constexpr bool operator==(const optional_bytes& a, std::nullopt_t) noexcept {
    return !a.has_value();
  }

private:
  std::string_view v_;
};

/// The logical type annotation (parquet.thrift LogicalType union).
struct logical_type {
  enum class kind : std::uint8_t {
    none,
    string,
    map,
    list,
    enum_,
    decimal,
    date,
    time,
    timestamp,
    integer,
    unknown,
    json,
    bson,
    uuid,
    float16,
    variant,
    geometry,
    geography,
    other ///< a union member this reader does not know (skipped safely)
  };
  kind type = kind::none;
  std::int32_t scale = 0;           ///< decimal
  std::int32_t precision = 0;       ///< decimal
  bool adjusted_to_utc = false;     ///< time, timestamp
  time_unit unit = time_unit::none; ///< time, timestamp
  std::int8_t bit_width = 0;        ///< integer
  bool is_signed = true;            ///< integer
  std::int16_t other_id = 0;        ///< the union field id when type == other
};
[[nodiscard]] constexpr std::string_view to_string(logical_type::kind k) noexcept {
  constexpr std::array<std::string_view, 19> names{
      "NONE",    "STRING",    "MAP",      "LIST",      "ENUM", "DECIMAL", "DATE",
      "TIME",    "TIMESTAMP", "INTEGER",  "UNKNOWN",   "JSON", "BSON",    "UUID",
      "FLOAT16", "VARIANT",   "GEOMETRY", "GEOGRAPHY", "OTHER"};
  return names[static_cast<std::size_t>(k)];
}

/// One node of the flattened schema tree (depth-first order; the first is the root).
struct schema_element {
  std::string_view name;
  std::optional<physical_type> type; ///< set on leaves only
  std::optional<std::int32_t> type_length;
  std::optional<repetition> repetition_type;
  std::int32_t num_children = 0; ///< 0 for leaves
  std::optional<converted_type> converted;
  std::optional<std::int32_t> scale;
  std::optional<std::int32_t> precision;
  std::optional<std::int32_t> field_id;
  logical_type logical;
  [[nodiscard]] bool is_leaf() const noexcept { return num_children == 0; }
};

/// A leaf column of the schema: where it sits in the tree and its levels.
struct column_descriptor {
  std::size_t schema_index = 0; ///< index of the leaf in file_metadata::schema
  std::span<const std::string_view> path;
  std::int16_t max_definition_level = 0;
  std::int16_t max_repetition_level = 0;
};

/// A key/value pair of metadata; the value is absent when the writer left it unset.
struct key_value {
  std::string_view key;
  optional_bytes value;
};

/// Column-chunk statistics as stored (binary values are plain-encoded, as in parquet.thrift).
struct statistics {
  optional_bytes max; ///< deprecated signed-order max
  optional_bytes min; ///< deprecated signed-order min
  std::optional<std::int64_t> null_count;
  std::optional<std::int64_t> distinct_count;
  optional_bytes max_value; ///< max in the column order
  optional_bytes min_value; ///< min in the column order
  std::optional<bool> is_max_value_exact;
  std::optional<bool> is_min_value_exact;
  std::optional<std::int64_t> nan_count;
};

/// How many pages of a type used an encoding.
struct page_encoding_stats {
  page_type page = page_type::data_page;
  encoding enc = encoding::plain;
  std::int32_t count = 0;
};

/// ColumnMetaData: what a column chunk holds and where its pages are.
struct column_metadata {
  physical_type type = physical_type::boolean;
  std::span<const encoding> encodings;
  std::span<const std::string_view> path_in_schema;
  compression codec = compression::uncompressed;
  std::int64_t num_values = 0;
  std::int64_t total_uncompressed_size = 0;
  std::int64_t total_compressed_size = 0;
  std::span<const key_value> key_value_metadata;
  std::int64_t data_page_offset = 0;
  std::optional<std::int64_t> index_page_offset;
  std::optional<std::int64_t> dictionary_page_offset;
  std::optional<statistics> stats;
  std::span<const page_encoding_stats> encoding_stats;
  std::optional<std::int64_t> bloom_filter_offset;
  std::optional<std::int32_t> bloom_filter_length;
};

/// A column chunk: its metadata (absent when encrypted) and its page-index locations.
struct column_chunk {
  optional_bytes file_path;
  std::int64_t file_offset = 0;
  std::optional<column_metadata> meta_data;
  std::optional<std::int64_t> offset_index_offset;
  std::optional<std::int32_t> offset_index_length;
  std::optional<std::int64_t> column_index_offset;
  std::optional<std::int32_t> column_index_length;
  bool encrypted = false; ///< has crypto metadata (its meta_data may then be absent)
};

/// A sort order a row group declares.
struct sorting_column {
  std::int32_t column_idx = 0;
  bool descending = false;
  bool nulls_first = false;
};

/// A row group: one column chunk per leaf column, in schema order.
struct row_group {
  std::span<const column_chunk> columns;
  std::int64_t total_byte_size = 0;
  std::int64_t num_rows = 0;
  std::span<const sorting_column> sorting_columns;
  std::optional<std::int64_t> file_offset;
  std::optional<std::int64_t> total_compressed_size;
  std::optional<std::int16_t> ordinal;
};

/// How the file (or its footer) is encrypted.
struct encryption_info {
  std::string_view algorithm; ///< "AES_GCM_V1", "AES_GCM_CTR_V1" or "UNKNOWN"
  bool has_aad_prefix = false;
  bool supply_aad_prefix = false;
  std::size_t key_metadata_size = 0;
};

/// FileMetaData.
struct file_metadata {
  std::int32_t version = 0;
  std::vector<schema_element> schema;
  std::int64_t num_rows = 0;
  std::vector<row_group> row_groups;
  std::span<const key_value> key_value_metadata;
  optional_bytes created_by;
  /// One entry per leaf column: true when TYPE_ORDER (min/max follow the logical type's
  /// order), false for an unknown order. Empty when the writer wrote none.
  std::vector<bool> column_orders;
  /// Set when the columns are encrypted but the footer is not ("plaintext footer" mode).
  std::optional<encryption_info> encryption;
  /// The leaf columns, in schema order (computed from the schema tree).
  std::vector<column_descriptor> columns;
  /// Bytes of the Thrift footer.
  std::size_t footer_size = 0;

  /// The owner of the footer bytes and list elements every view and span above points into.
  std::shared_ptr<const void> storage;
};

/// Where the footer is and how it is protected.
struct footer_info {
  std::uint64_t file_size = 0;
  std::uint64_t footer_offset = 0; ///< first byte of the footer
  std::uint32_t footer_length = 0;
  bool encrypted_footer = false; ///< magic "PARE"
};

/// What a footer read gives: the metadata, or for an encrypted footer the (plaintext) crypto
/// metadata only.
struct footer {
  footer_info info;
  std::optional<file_metadata> metadata; ///< absent iff info.encrypted_footer
  std::optional<encryption_info> crypto; ///< set iff info.encrypted_footer
  std::shared_ptr<const void> storage;   ///< as file_metadata::storage
};

// ---------------------------------------------------------------------------------------------
// Typed statistics values.

/// A decoded statistic: nothing, a boolean, a signed or unsigned integer, a floating-point
/// value, or bytes (strings, decimals in bytes, INT96, fixed-length values).
using value =
    std::variant<std::monostate, bool, std::int64_t, std::uint64_t, double, std::string_view>;

namespace detail {
using tessera::detail::thrift::compact_reader;
using tessera::detail::thrift::field_header;
using tessera::detail::thrift::wire;

inline std::uint64_t load_le(std::string_view b, std::size_t n) noexcept {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i)
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(b[i])) << (8 * i);
  return v;
}

inline bool is_unsigned(const schema_element& e) noexcept {
  if (e.logical.type == logical_type::kind::integer) return !e.logical.is_signed;
  if (e.converted) {
    const auto c = *e.converted;
    return c == converted_type::uint_8 || c == converted_type::uint_16 ||
           c == converted_type::uint_32 || c == converted_type::uint_64;
  }
  return false;
}

inline double half_to_double(std::uint16_t h) noexcept {
  const int sign = (h >> 15) & 1;
  const int exp = (h >> 10) & 0x1f;
  const int mant = h & 0x3ff;
  double v;
  if (exp == 0)
    v = std::ldexp(static_cast<double>(mant), -24);
  else if (exp == 31)
    v = mant == 0 ? HUGE_VAL : std::nan("");
  else
    v = std::ldexp(static_cast<double>(mant | 0x400), exp - 25);
  return sign ? -v : v;
}
} // namespace detail

/// Decodes a plain-encoded statistic of the leaf `leaf`. Integers annotated unsigned decode to
/// uint64_t; FLOAT16 to double; other byte arrays stay bytes. A value of the wrong size for its
/// physical type is corrupt_data.
[[nodiscard]] inline expected<value> decode_statistic(std::string_view bytes,
                                                      const schema_element& leaf) {
  const physical_type t = leaf.type.value_or(physical_type::byte_array);
  const auto wrong = [&](std::size_t want) {
    return make_error(errc::corrupt_data, "statistic of " + std::string(to_string(t)) +
                                              " column '" + std::string(leaf.name) + "' has " +
                                              std::to_string(bytes.size()) + " bytes, expected " +
                                              std::to_string(want));
  };
  switch (t) {
  case physical_type::boolean:
    if (bytes.size() != 1) return wrong(1);
    return value(bytes[0] != 0);
  case physical_type::int32: {
    if (bytes.size() != 4) return wrong(4);
    const auto u = static_cast<std::uint32_t>(detail::load_le(bytes, 4));
    if (detail::is_unsigned(leaf)) return value(static_cast<std::uint64_t>(u));
    return value(static_cast<std::int64_t>(static_cast<std::int32_t>(u)));
  }
  case physical_type::int64: {
    if (bytes.size() != 8) return wrong(8);
    const std::uint64_t u = detail::load_le(bytes, 8);
    if (detail::is_unsigned(leaf)) return value(u);
    return value(static_cast<std::int64_t>(u));
  }
  case physical_type::int96:
    if (bytes.size() != 12) return wrong(12);
    return value(bytes);
  case physical_type::float32: {
    if (bytes.size() != 4) return wrong(4);
    const auto u = static_cast<std::uint32_t>(detail::load_le(bytes, 4));
    float f;
    std::memcpy(&f, &u, 4);
    return value(static_cast<double>(f));
  }
  case physical_type::float64: {
    if (bytes.size() != 8) return wrong(8);
    const std::uint64_t u = detail::load_le(bytes, 8);
    double d;
    std::memcpy(&d, &u, 8);
    return value(d);
  }
  case physical_type::fixed_len_byte_array:
    if (leaf.logical.type == logical_type::kind::float16) {
      if (bytes.size() != 2) return wrong(2);
      return value(detail::half_to_double(static_cast<std::uint16_t>(detail::load_le(bytes, 2))));
    }
    if (leaf.type_length && *leaf.type_length >= 0 &&
        bytes.size() != static_cast<std::size_t>(*leaf.type_length))
      return wrong(static_cast<std::size_t>(*leaf.type_length));
    return value(bytes);
  case physical_type::byte_array:
    return value(bytes);
  }
  return value(bytes); // an unknown physical type: keep the bytes
}

namespace detail {
inline std::string two_digits(std::int64_t v) {
  std::string s = std::to_string(v);
  return s.size() < 2 ? "0" + s : s;
}
/// Proleptic Gregorian civil date of a day count since 1970-01-01 (H. Hinnant's algorithm).
inline std::string civil_date(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t doe = days - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = yoe + era * 400;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  std::string ys = std::to_string(y < 0 ? -y : y);
  while (ys.size() < 4) ys.insert(ys.begin(), '0');
  return (y < 0 ? "-" : "") + ys + "-" + two_digits(m) + "-" + two_digits(d);
}
inline std::string time_of_day(std::int64_t ticks, std::int64_t per_second, int digits) {
  const std::int64_t secs = ticks / per_second;
  const std::int64_t frac = ticks % per_second;
  std::string s =
      two_digits(secs / 3600) + ":" + two_digits(secs / 60 % 60) + ":" + two_digits(secs % 60);
  if (digits > 0) {
    std::string f = std::to_string(frac);
    while (f.size() < static_cast<std::size_t>(digits)) f.insert(f.begin(), '0');
    s += "." + f;
  }
  return s;
}
inline std::pair<std::int64_t, int> unit_scale(time_unit u) noexcept {
  switch (u) {
  case time_unit::millis:
    return {1000, 3};
  case time_unit::micros:
    return {1000000, 6};
  case time_unit::nanos:
    return {1000000000, 9};
  case time_unit::none:
    break;
  }
  return {1, 0};
}
inline std::string timestamp(std::int64_t ticks, time_unit u, bool utc) {
  const auto [per_second, digits] = unit_scale(u);
  const std::int64_t per_day = per_second * 86400;
  std::int64_t days = ticks / per_day;
  std::int64_t rem = ticks % per_day;
  if (rem < 0) {
    rem += per_day;
    --days;
  }
  return civil_date(days) + "T" + time_of_day(rem, per_second, digits) + (utc ? "Z" : "");
}
/// Decimal text of an unscaled two's-complement integer given big-endian.
inline std::string decimal_text(std::string_view big_endian, std::int32_t scale) {
  if (big_endian.empty() || big_endian.size() > 16 || scale < 0 || scale > 76) return {};
  __extension__ using u128 = unsigned __int128;
  u128 v = (static_cast<unsigned char>(big_endian[0]) & 0x80) ? ~u128(0) : u128(0);
  for (const char c : big_endian) v = (v << 8) | static_cast<unsigned char>(c);
  const bool negative = (static_cast<unsigned char>(big_endian[0]) & 0x80) != 0;
  u128 mag = negative ? ~v + 1 : v;
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(mag % 10)));
    mag /= 10;
  } while (mag != 0);
  const auto sc = static_cast<std::size_t>(scale);
  if (sc > 0) {
    while (digits.size() <= sc) digits.insert(digits.begin(), '0');
    digits.insert(digits.end() - static_cast<std::ptrdiff_t>(sc), '.');
  }
  return negative ? "-" + digits : digits;
}
inline std::string hex(std::string_view b) {
  static constexpr char d[] = "0123456789abcdef";
  std::string s;
  s.reserve(b.size() * 2);
  for (const char c : b) {
    s += d[static_cast<unsigned char>(c) >> 4];
    s += d[static_cast<unsigned char>(c) & 15];
  }
  return s;
}
inline std::string big_endian_of(std::uint64_t v, std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[n - 1 - i] = static_cast<char>((v >> (8 * i)) & 0xff);
  return s;
}
} // namespace detail

/// Renders a decoded statistic as text using the leaf's logical (or converted) type: dates as
/// YYYY-MM-DD, times and timestamps in ISO 8601, decimals with their scale, UUIDs in 8-4-4-4-12
/// form, strings as they are, other bytes in hex, INT96 as a timestamp (Impala's layout).
[[nodiscard]] inline std::string format_statistic(const value& v, const schema_element& leaf) {
  using kind = logical_type::kind;
  const kind k = leaf.logical.type;
  const auto conv = leaf.converted;
  const bool is_decimal = k == kind::decimal || conv == converted_type::decimal;
  const std::int32_t scale = k == kind::decimal ? leaf.logical.scale : leaf.scale.value_or(0);
  if (std::holds_alternative<std::monostate>(v)) return {};
  if (const bool* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  if (const double* d = std::get_if<double>(&v)) {
    if (std::isnan(*d)) return "NaN";
    if (std::isinf(*d)) return *d > 0 ? "Infinity" : "-Infinity";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", *d);
    return buf;
  }
  if (const std::uint64_t* u = std::get_if<std::uint64_t>(&v)) return std::to_string(*u);
  if (const std::int64_t* i = std::get_if<std::int64_t>(&v)) {
    const std::int64_t x = *i;
    if (is_decimal) {
      const std::size_t n = leaf.type == physical_type::int32 ? 4 : 8;
      return detail::decimal_text(detail::big_endian_of(static_cast<std::uint64_t>(x), n), scale);
    }
    if (k == kind::date || conv == converted_type::date) return detail::civil_date(x);
    if (k == kind::timestamp)
      return detail::timestamp(x, leaf.logical.unit, leaf.logical.adjusted_to_utc);
    if (conv == converted_type::timestamp_millis)
      return detail::timestamp(x, time_unit::millis, true);
    if (conv == converted_type::timestamp_micros)
      return detail::timestamp(x, time_unit::micros, true);
    if (k == kind::time || conv == converted_type::time_millis ||
        conv == converted_type::time_micros) {
      const time_unit u = k == kind::time                       ? leaf.logical.unit
                          : conv == converted_type::time_millis ? time_unit::millis
                                                                : time_unit::micros;
      const auto [per_second, digits] = detail::unit_scale(u);
      if (x < 0 || x >= per_second * 86400) return std::to_string(x);
      return detail::time_of_day(x, per_second, digits);
    }
    return std::to_string(x);
  }
  const std::string_view b = std::get<std::string_view>(v);
  if (leaf.type == physical_type::int96 && b.size() == 12) {
    const auto nanos = static_cast<std::int64_t>(detail::load_le(b, 8));
    const auto julian = static_cast<std::int32_t>(detail::load_le(b.substr(8), 4));
    const std::int64_t days = static_cast<std::int64_t>(julian) - 2440588;
    if (nanos < 0 || nanos >= 86400LL * 1000000000LL) return detail::hex(b);
    return detail::civil_date(days) + "T" + detail::time_of_day(nanos, 1000000000, 9);
  }
  if (is_decimal) {
    std::string s = detail::decimal_text(b, scale);
    return s.empty() ? detail::hex(b) : s;
  }
  if (k == kind::uuid && b.size() == 16) {
    const std::string h = detail::hex(b);
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
           "-" + h.substr(20);
  }
  const bool textual = k == kind::string || k == kind::enum_ || k == kind::json ||
                       conv == converted_type::utf8 || conv == converted_type::enum_ ||
                       conv == converted_type::json ||
                       (k == kind::none && !conv && leaf.type == physical_type::byte_array);
  if (textual) return std::string(b);
  return detail::hex(b);
}

// ---------------------------------------------------------------------------------------------
// Parsing.

namespace detail {

/// What a parsed footer's views and spans point into: the footer bytes, and the elements of
/// every list of the model in blocks that never move (a span stays valid while later lists are
/// added). Elements are trivially destructible, so freeing the blocks is all the cleanup.
class footer_storage {
public:
  explicit footer_storage(std::string bytes)
      : bytes_(std::move(bytes)),
        next_block_(std::clamp<std::size_t>(bytes_.size() * 8, 4096, max_block)),
        stream_(bytes_.size() >= stream_footer_bytes) {}

  [[nodiscard]] const std::string& bytes() const noexcept { return bytes_; }

  /// A list of n elements, each default-initialised just before `fill(element)` fills it (so it
  /// is still in cache when its fields are stored). The callers' n is bounded by the footer
  /// bytes left (every list element takes at least one), so a forged count cannot ask for more
  /// than a small multiple of the footer; std::bad_alloc otherwise.
  template <class T, class F>
  [[nodiscard]] std::span<const T> list(std::size_t n, F&& fill) {
    static_assert(std::is_trivially_destructible_v<T> && alignof(T) <= alignof(std::max_align_t));
    if (n == 0) return {};
    if (n > (std::size_t(-1) >> 1) / sizeof(T)) throw std::bad_alloc();
    T* p = static_cast<T*>(room(n * sizeof(T), alignof(T)));
    for (std::size_t i = 0; i < n; ++i) fill(*::new (static_cast<void*>(p + i)) T);
    return {p, n};
  }

  /// Whether the footer is large enough for streamed_list: its model, about eight times the
  /// footer, then far exceeds a core's share of the cache on common machines.
  [[nodiscard]] bool streams() const noexcept { return stream_; }

  /// As list(), but each element is filled in a local and then streamed to the block (see
  /// stream_copy), for the lists that make up most of a large footer's model (column chunks).
  template <class T, class F>
  [[nodiscard]] std::span<const T> streamed_list(std::size_t n, F&& fill) {
    if (n == 0) return {};
    if (n > (std::size_t(-1) >> 1) / sizeof(T)) throw std::bad_alloc();
    T* p = static_cast<T*>(room(n * sizeof(T), block_alignment));
    for (std::size_t i = 0; i < n; ++i) {
      alignas(block_alignment) T local{};
      fill(local);
      tessera::detail::stream_copy(p + i, &local, sizeof(T));
    }
    tessera::detail::stream_fence();
    return {p, n};
  }

private:
  // The first block holds the whole model of a typical footer (its column chunks take about
  // eight times their Thrift bytes); later blocks double. Untouched pages of a block cost
  // nothing.
  static constexpr std::size_t max_block = std::size_t{1} << 26;
  static constexpr std::size_t block_alignment = aligned_buffer<std::byte>::alignment;
  static constexpr std::size_t stream_footer_bytes = std::size_t{256} << 10;

  [[gnu::always_inline]] void* room(std::size_t size, std::size_t align) {
    const std::size_t at = (used_ + align - 1) & ~(align - 1);
    if (at > capacity_ || size > capacity_ - at) [[unlikely]]
      return new_block(size);
    used_ = at + size;
    return block_ + at;
  }

  [[gnu::noinline]] void* new_block(std::size_t size) {
    const std::size_t n = std::max(size, next_block_);
    blocks_.emplace_back(n, tessera::uninitialized);
    block_ = blocks_.back().data();
    capacity_ = n;
    next_block_ = std::min(next_block_ * 2, max_block);
    used_ = size;
    return block_;
  }

  std::string bytes_;
  std::vector<aligned_buffer<std::byte>> blocks_;
  std::byte* block_ = nullptr;
  std::size_t capacity_ = 0;
  std::size_t used_ = 0;
  std::size_t next_block_;
  bool stream_;
};

class metadata_parser {
public:
  /// Reads the footer held by `store`; offsets in errors are relative to `base_offset`.
  metadata_parser(footer_storage& store, std::uint64_t base_offset)
      : r_(reinterpret_cast<const std::uint8_t*>(store.bytes().data()), store.bytes().size(),
           base_offset),
        store_(store) {}

  void file_meta(file_metadata& m) {
    bool have_version = false, have_schema = false, have_rows = false, have_groups = false;
    fields([&](const field_header& h) {
      switch (h.id) {
      case 1:
        if (!accept(h, wire::i32)) break;
        m.version = r_.i32();
        have_version = true;
        break;
      case 2:
        if (!accept(h, wire::list)) break;
        list_of(m.schema, wire::structure, [&](schema_element& e) { schema(e); });
        have_schema = true;
        break;
      case 3:
        if (!accept(h, wire::i64)) break;
        m.num_rows = r_.i64();
        have_rows = true;
        break;
      case 4:
        if (!accept(h, wire::list)) break;
        list_of(m.row_groups, wire::structure, [&](row_group& g) { group(g); });
        have_groups = true;
        break;
      case 5:
        if (!accept(h, wire::list)) break;
        list_of(m.key_value_metadata, wire::structure, [&](key_value& kv) { pair(kv); });
        break;
      case 6:
        if (!accept(h, wire::binary)) break;
        m.created_by = r_.binary();
        break;
      case 7: {
        if (!accept(h, wire::list)) break;
        const auto lh = r_.list();
        if (lh.element != wire::structure)
          r_.fail("FileMetaData.column_orders is not a list of structs");
        m.column_orders.reserve(lh.size);
        for (std::uint32_t i = 0; i < lh.size; ++i) m.column_orders.push_back(column_order());
        break;
      }
      case 8:
        if (!accept(h, wire::structure)) break;
        m.encryption = algorithm();
        break;
      default:
        r_.skip(h.type); // 9 footer_signing_key_metadata and fields this reader does not know
      }
    });
    if (!have_version || !have_schema || !have_rows || !have_groups)
      r_.fail("FileMetaData lacks a required field (version, schema, num_rows or row_groups)");
  }

  encryption_info crypto_meta() {
    encryption_info info;
    bool have_algorithm = false;
    fields([&](const field_header& h) {
      if (h.id == 1 && h.type == wire::structure) {
        info = algorithm();
        have_algorithm = true;
      } else if (h.id == 2 && h.type == wire::binary) {
        info.key_metadata_size = r_.binary().size();
      } else {
        r_.skip(h.type);
      }
    });
    if (!have_algorithm) r_.fail("FileCryptoMetaData lacks its encryption algorithm");
    return info;
  }

private:
  /// Reads a struct's fields up to its stop marker, one level deeper (the depth limit applies):
  /// `on(h)` reads or skips the value of each field h.
  template <class F>
  void fields(F&& on) {
    compact_reader::nest guard(r_);
    std::int16_t last = 0;
    for (;;) {
      const field_header h = r_.field(last);
      if (h.type == wire::stop) return;
      on(h);
    }
  }

  /// As fields(), for the structs read once per column chunk, whose writers put the fields in
  /// id order with the wire types of parquet.thrift (`T...`, the type of field 1, 2, ... N).
  /// While they come so, each field header is recognised by comparing one byte with the header
  /// expected next, and `on(h, id)` gets the id as a std::integral_constant and h with a type
  /// known at compile time: the switch on the id and the type check fold away instead of
  /// costing a header decode, an indirect jump and a compare per field (they dominated parsing
  /// footers of many column chunks); a stop marker met on the way ends the struct without
  /// looking for the later ids. Any field may be absent. Fields in any other order, of another
  /// type or unknown to the model go through the general reader with the id as an int. Either
  /// way each field is read once, in the order it comes, by the same `on`.
  template <wire... T, class F>
  void fields_in_order(F&& on) {
    static_assert(sizeof...(T) <= 15, "the short form of a field header spans 15 ids");
    compact_reader::nest guard(r_);
    std::int16_t last = 0;
    const bool ended = [&]<int... I>(std::integer_sequence<int, I...>) {
      return (expected_field<I + 1, T>(last, on) || ...);
    }
    (std::make_integer_sequence<int, sizeof...(T)>{});
    if (ended) {
      r_.advance(); // the stop marker
      return;
    }
    for (;;) {
      const field_header h = r_.field(last);
      if (h.type == wire::stop) return;
      on(h, static_cast<int>(h.id));
    }
  }

  /// Reads field `Id` of wire type `T` when it is next (its header byte is the short form from
  /// `last`), as fields_in_order says. True when the next byte is the stop marker instead.
  template <int Id, wire T, class F>
  [[gnu::always_inline]] bool expected_field(std::int16_t& last, F& on) {
    // last < Id <= 15 here (only earlier ids of the same fold set it), so the delta fits.
    const auto delta = static_cast<unsigned>(Id - last);
    const unsigned b = r_.peek();
    field_header h;
    h.id = static_cast<std::int16_t>(Id);
    if constexpr (T == wire::bool_true || T == wire::bool_false) {
      if (b != (delta << 4 | 1u) && b != (delta << 4 | 2u)) return b == 0;
      h.type = static_cast<wire>(b & 0x0f);
      h.bool_value = h.type == wire::bool_true;
    } else {
      if (b != (delta << 4 | static_cast<unsigned>(T))) return b == 0;
      h.type = T;
    }
    r_.advance();
    last = h.id;
    on(h, std::integral_constant<int, Id>{});
    return false;
  }

  /// A list whose elements go to the footer storage (streamed there if Stream); `each(x)` reads
  /// one element into x.
  template <bool Stream = false, class T, class F>
  void list_of(std::span<const T>& out, wire element, F&& each) {
    const auto lh = r_.list();
    if (lh.element != element) r_.fail("Thrift list has unexpected element type");
    if constexpr (Stream)
      out = store_.streamed_list<T>(lh.size, each);
    else
      out = store_.list<T>(lh.size, each);
  }

  template <class T, class F>
  void list_of(std::vector<T>& out, wire element, F&& each) {
    const auto lh = r_.list();
    if (lh.element != element) r_.fail("Thrift list has unexpected element type");
    if (!out.empty()) { // the field came twice: the later list is read over the earlier one
      out.resize(lh.size);
      for (auto& x : out) each(x);
      return;
    }
    // Each element is constructed just before it is read, so it is still in cache when its
    // fields are stored (a resize first would write every element twice: row groups of wide
    // tables hold megabytes of column chunks).
    out.reserve(lh.size);
    for (std::uint32_t i = 0; i < lh.size; ++i) each(out.emplace_back());
  }

  void strings(std::span<const std::string_view>& out) {
    const auto lh = r_.list();
    if (lh.element != wire::binary) r_.fail("Thrift list of strings has unexpected element type");
    out = store_.list<std::string_view>(lh.size, [&](std::string_view& s) { s = r_.binary(); });
  }

  /// True when field h has wire type t; otherwise skips its value (a writer that used a field
  /// id for something else is tolerated; a required field then reports itself missing).
  bool accept(const field_header& h, wire t) {
    if (h.type == t) return true;
    r_.skip(h.type);
    return false;
  }

  static bool is_bool(const field_header& h) {
    return h.type == wire::bool_true || h.type == wire::bool_false;
  }

  void schema(schema_element& e) {
    bool have_name = false;
    fields_in_order<wire::i32, wire::i32, wire::i32, wire::binary, wire::i32, wire::i32, wire::i32,
                    wire::i32, wire::i32, wire::structure>([&](const field_header& h, auto id) {
      switch (static_cast<int>(id)) {
      case 1:
        if (accept(h, wire::i32)) e.type = static_cast<physical_type>(r_.i32());
        break;
      case 2:
        if (!accept(h, wire::i32)) break;
        e.type_length = r_.i32();
        break;
      case 3:
        if (accept(h, wire::i32)) e.repetition_type = static_cast<repetition>(r_.i32());
        break;
      case 4:
        if (!accept(h, wire::binary)) break;
        e.name = r_.binary();
        have_name = true;
        break;
      case 5:
        if (!accept(h, wire::i32)) break;
        e.num_children = r_.i32();
        if (e.num_children < 0) r_.fail("SchemaElement.num_children is negative");
        break;
      case 6:
        if (accept(h, wire::i32)) e.converted = static_cast<converted_type>(r_.i32());
        break;
      case 7:
        if (!accept(h, wire::i32)) break;
        e.scale = r_.i32();
        break;
      case 8:
        if (!accept(h, wire::i32)) break;
        e.precision = r_.i32();
        break;
      case 9:
        if (!accept(h, wire::i32)) break;
        e.field_id = r_.i32();
        break;
      case 10:
        if (!accept(h, wire::structure)) break;
        logical(e.logical);
        break;
      default:
        r_.skip(h.type);
      }
    });
    if (!have_name) r_.fail("SchemaElement lacks its name");
  }

  time_unit unit() {
    time_unit u = time_unit::none;
    fields([&](const field_header& h) {
      if (h.type == wire::structure && h.id >= 1 && h.id <= 3)
        u = h.id == 1 ? time_unit::millis : h.id == 2 ? time_unit::micros : time_unit::nanos;
      r_.skip(h.type);
    });
    return u;
  }

  void logical(logical_type& t) {
    using kind = logical_type::kind;
    fields([&](const field_header& h) {
      if (h.type != wire::structure) return r_.skip(h.type);
      static constexpr kind simple[] = {
          kind::none,    kind::string,  kind::map,      kind::list,      kind::enum_,
          kind::decimal, kind::date,    kind::time,     kind::timestamp, kind::other,
          kind::integer, kind::unknown, kind::json,     kind::bson,      kind::uuid,
          kind::float16, kind::variant, kind::geometry, kind::geography};
      t.type = h.id >= 1 && h.id <= 18 ? simple[static_cast<std::size_t>(h.id)] : kind::other;
      if (t.type == kind::other) t.other_id = h.id;
      fields([&](const field_header& f) {
        if (t.type == kind::decimal && f.id == 1 && f.type == wire::i32)
          t.scale = r_.i32();
        else if (t.type == kind::decimal && f.id == 2 && f.type == wire::i32)
          t.precision = r_.i32();
        else if ((t.type == kind::time || t.type == kind::timestamp) && f.id == 1 && is_bool(f))
          t.adjusted_to_utc = f.bool_value;
        else if ((t.type == kind::time || t.type == kind::timestamp) && f.id == 2 &&
                 f.type == wire::structure)
          t.unit = unit();
        else if (t.type == kind::integer && f.id == 1 && f.type == wire::i8)
          t.bit_width = r_.i8();
        else if (t.type == kind::integer && f.id == 2 && is_bool(f))
          t.is_signed = f.bool_value;
        else
          r_.skip(f.type);
      });
    });
  }

  void pair(key_value& kv) {
    bool have_key = false;
    fields([&](const field_header& h) {
      if (h.id == 1 && h.type == wire::binary) {
        kv.key = r_.binary();
        have_key = true;
      } else if (h.id == 2 && h.type == wire::binary) {
        kv.value = r_.binary();
      } else {
        r_.skip(h.type);
      }
    });
    if (!have_key) r_.fail("KeyValue lacks its key");
  }

  bool column_order() {
    bool type_order = false;
    fields([&](const field_header& h) {
      if (h.id == 1 && h.type == wire::structure) type_order = true;
      r_.skip(h.type);
    });
    return type_order;
  }

  encryption_info algorithm() {
    encryption_info info;
    info.algorithm = "UNKNOWN";
    fields([&](const field_header& h) {
      if ((h.id == 1 || h.id == 2) && h.type == wire::structure) {
        info.algorithm = h.id == 1 ? "AES_GCM_V1" : "AES_GCM_CTR_V1";
        fields([&](const field_header& f) {
          if (f.id == 1 && f.type == wire::binary) {
            (void)r_.binary();
            info.has_aad_prefix = true;
          } else if (f.id == 3 && is_bool(f)) {
            info.supply_aad_prefix = f.bool_value;
          } else {
            r_.skip(f.type);
          }
        });
      } else {
        r_.skip(h.type);
      }
    });
    return info;
  }

  void group(row_group& g) {
    bool have_columns = false, have_size = false, have_rows = false;
    fields_in_order<wire::list, wire::i64, wire::i64, wire::list, wire::i64, wire::i64, wire::i16>(
        [&](const field_header& h, auto id) {
          switch (static_cast<int>(id)) {
          case 1:
            if (!accept(h, wire::list)) break;
            store_.streams() ? chunks<true>(g.columns) : chunks<false>(g.columns);
            have_columns = true;
            break;
          case 2:
            if (!accept(h, wire::i64)) break;
            g.total_byte_size = r_.i64();
            have_size = true;
            break;
          case 3:
            if (!accept(h, wire::i64)) break;
            g.num_rows = r_.i64();
            have_rows = true;
            break;
          case 4:
            if (!accept(h, wire::list)) break;
            list_of(g.sorting_columns, wire::structure, [&](sorting_column& s) { sorting(s); });
            break;
          case 5:
            if (!accept(h, wire::i64)) break;
            g.file_offset = r_.i64();
            break;
          case 6:
            if (!accept(h, wire::i64)) break;
            g.total_compressed_size = r_.i64();
            break;
          case 7:
            if (!accept(h, wire::i16)) break;
            g.ordinal = r_.i16();
            break;
          default:
            r_.skip(h.type);
          }
        });
    if (!have_columns || !have_size || !have_rows)
      r_.fail("RowGroup lacks a required field (columns, total_byte_size or num_rows)");
  }

  /// A row group's column chunks (most of a wide footer), read by a copy of this parser that
  /// is a local variable with everything it calls inlined, except the readers' slow paths which
  /// take values: its reader's position can then live in a register instead of being stored
  /// and reloaded around every byte.
  /// Streamed to the storage when the footer is large (see streamed_list).
  template <bool Stream>
  [[gnu::flatten]] [[gnu::noinline]] void chunks(std::span<const column_chunk>& out) {
    metadata_parser local(*this);
    local.list_of<Stream>(out, wire::structure, [&](column_chunk& c) { local.chunk(c); });
    r_ = local.r_;
  }

  void sorting(sorting_column& s) {
    fields([&](const field_header& h) {
      if (h.id == 1 && h.type == wire::i32)
        s.column_idx = r_.i32();
      else if (h.id == 2 && is_bool(h))
        s.descending = h.bool_value;
      else if (h.id == 3 && is_bool(h))
        s.nulls_first = h.bool_value;
      else
        r_.skip(h.type);
    });
  }

  void chunk(column_chunk& c) {
    fields_in_order<wire::binary, wire::i64, wire::structure, wire::i64, wire::i32, wire::i64,
                    wire::i32, wire::structure, wire::binary>([&](const field_header& h, auto id) {
      switch (static_cast<int>(id)) {
      case 1:
        if (!accept(h, wire::binary)) break;
        c.file_path = r_.binary();
        break;
      case 2:
        if (!accept(h, wire::i64)) break;
        c.file_offset = r_.i64();
        break;
      case 3:
        if (!accept(h, wire::structure)) break;
        column_meta(c.meta_data.emplace());
        break;
      case 4:
        if (!accept(h, wire::i64)) break;
        c.offset_index_offset = r_.i64();
        break;
      case 5:
        if (!accept(h, wire::i32)) break;
        c.offset_index_length = r_.i32();
        break;
      case 6:
        if (!accept(h, wire::i64)) break;
        c.column_index_offset = r_.i64();
        break;
      case 7:
        if (!accept(h, wire::i32)) break;
        c.column_index_length = r_.i32();
        break;
      case 8:
      case 9:
        c.encrypted = true;
        r_.skip(h.type);
        break;
      default:
        r_.skip(h.type);
      }
    });
  }

  void column_meta(column_metadata& m) {
    unsigned required = 0;
    fields_in_order<wire::i32, wire::list, wire::list, wire::i32, wire::i64, wire::i64, wire::i64,
                    wire::list, wire::i64, wire::i64, wire::i64, wire::structure, wire::list,
                    wire::i64, wire::i32>([&](const field_header& h, auto id) {
      switch (static_cast<int>(id)) {
      case 1:
        if (accept(h, wire::i32)) m.type = static_cast<physical_type>(r_.i32());
        required |= 1u;
        break;
      case 2: {
        if (!accept(h, wire::list)) break;
        const auto lh = r_.list();
        if (lh.element != wire::i32) r_.fail("ColumnMetaData.encodings is not a list of i32");
        m.encodings = store_.list<encoding>(
            lh.size, [&](encoding& e) { e = static_cast<encoding>(r_.i32()); });
        required |= 2u;
        break;
      }
      case 3:
        if (!accept(h, wire::list)) break;
        strings(m.path_in_schema);
        required |= 4u;
        break;
      case 4:
        if (accept(h, wire::i32)) m.codec = static_cast<compression>(r_.i32());
        required |= 8u;
        break;
      case 5:
        if (!accept(h, wire::i64)) break;
        m.num_values = r_.i64();
        required |= 16u;
        break;
      case 6:
        if (!accept(h, wire::i64)) break;
        m.total_uncompressed_size = r_.i64();
        required |= 32u;
        break;
      case 7:
        if (!accept(h, wire::i64)) break;
        m.total_compressed_size = r_.i64();
        required |= 64u;
        break;
      case 8:
        if (!accept(h, wire::list)) break;
        list_of(m.key_value_metadata, wire::structure, [&](key_value& kv) { pair(kv); });
        break;
      case 9:
        if (!accept(h, wire::i64)) break;
        m.data_page_offset = r_.i64();
        required |= 128u;
        break;
      case 10:
        if (!accept(h, wire::i64)) break;
        m.index_page_offset = r_.i64();
        break;
      case 11:
        if (!accept(h, wire::i64)) break;
        m.dictionary_page_offset = r_.i64();
        break;
      case 12:
        if (!accept(h, wire::structure)) break;
        stats(m.stats.emplace());
        break;
      case 13:
        if (!accept(h, wire::list)) break;
        list_of(m.encoding_stats, wire::structure, [&](page_encoding_stats& s) { page_stats(s); });
        break;
      case 14:
        if (!accept(h, wire::i64)) break;
        m.bloom_filter_offset = r_.i64();
        break;
      case 15:
        if (!accept(h, wire::i32)) break;
        m.bloom_filter_length = r_.i32();
        break;
      default:
        r_.skip(h.type); // size and geospatial statistics, and anything newer
      }
    });
    if (required != 255u)
      r_.fail("ColumnMetaData lacks a required field (type, encodings, path_in_schema, codec, "
              "num_values, sizes or data_page_offset)");
  }

  void stats(statistics& s) {
    fields_in_order<wire::binary, wire::binary, wire::i64, wire::i64, wire::binary, wire::binary,
                    wire::bool_true, wire::bool_true, wire::i64>(
        [&](const field_header& h, auto id) {
          switch (static_cast<int>(id)) {
          case 1:
            if (!accept(h, wire::binary)) break;
            s.max = r_.binary();
            break;
          case 2:
            if (!accept(h, wire::binary)) break;
            s.min = r_.binary();
            break;
          case 3:
            if (!accept(h, wire::i64)) break;
            s.null_count = r_.i64();
            break;
          case 4:
            if (!accept(h, wire::i64)) break;
            s.distinct_count = r_.i64();
            break;
          case 5:
            if (!accept(h, wire::binary)) break;
            s.max_value = r_.binary();
            break;
          case 6:
            if (!accept(h, wire::binary)) break;
            s.min_value = r_.binary();
            break;
          case 7:
            if (is_bool(h)) s.is_max_value_exact = h.bool_value;
            break;
          case 8:
            if (is_bool(h)) s.is_min_value_exact = h.bool_value;
            break;
          case 9:
            if (!accept(h, wire::i64)) break;
            s.nan_count = r_.i64();
            break;
          default:
            r_.skip(h.type);
          }
        });
  }

  void page_stats(page_encoding_stats& s) {
    fields_in_order<wire::i32, wire::i32, wire::i32>([&](const field_header& h, auto id) {
      if (id == 1 && h.type == wire::i32)
        s.page = static_cast<page_type>(r_.i32());
      else if (id == 2 && h.type == wire::i32)
        s.enc = static_cast<encoding>(r_.i32());
      else if (id == 3 && h.type == wire::i32)
        s.count = r_.i32();
      else
        r_.skip(h.type);
    });
  }

  compact_reader r_; // held here, not referred to: one indirection less per byte read
  footer_storage& store_;
};

/// Builds the leaf descriptors from the flattened schema and checks the tree's shape.
inline void build_columns(file_metadata& m, footer_storage& store, std::uint64_t base_offset) {
  const auto bad = [&](const std::string& what) {
    location where;
    where.byte_offset = base_offset;
    throw_error(error(errc::corrupt_data, "malformed Parquet schema: " + what, std::move(where)));
  };
  if (m.schema.empty()) bad("the schema has no root element");
  struct frame {
    std::int32_t remaining;
    std::int16_t def, rep;
  };
  std::vector<frame> stack;
  std::vector<std::string_view> path;
  stack.reserve(16);
  path.reserve(16);
  m.columns.reserve(m.schema.size() - 1); // at most one leaf per element after the root
  stack.push_back({m.schema[0].num_children, 0, 0});
  for (std::size_t i = 1; i < m.schema.size(); ++i) {
    while (!stack.empty() && stack.back().remaining == 0) {
      stack.pop_back();
      if (!path.empty()) path.pop_back();
    }
    if (stack.empty()) bad("more elements than the root's children account for");
    if (stack.size() > 256) bad("nested more than 256 levels deep");
    --stack.back().remaining;
    const schema_element& e = m.schema[i];
    std::int16_t def = stack.back().def, rep = stack.back().rep;
    const repetition r = e.repetition_type.value_or(repetition::required);
    if (r == repetition::optional) ++def;
    if (r == repetition::repeated) {
      ++def;
      ++rep;
    }
    if (e.num_children > 0) {
      stack.push_back({e.num_children, def, rep});
      path.push_back(e.name);
    } else {
      if (!e.type) bad("leaf '" + std::string(e.name) + "' has no physical type");
      column_descriptor c;
      c.schema_index = i;
      std::size_t k = 0;
      c.path = store.list<std::string_view>(path.size() + 1, [&](std::string_view& s) {
        s = k < path.size() ? path[k] : e.name;
        ++k;
      });
      c.max_definition_level = def;
      c.max_repetition_level = rep;
      m.columns.push_back(std::move(c));
    }
  }
  while (!stack.empty() && stack.back().remaining == 0) stack.pop_back();
  if (!stack.empty()) bad("the schema ends before every group has its children");
  for (std::size_t g = 0; g < m.row_groups.size(); ++g) {
    if (m.row_groups[g].columns.size() != m.columns.size())
      bad("row group " + std::to_string(g) + " has " +
          std::to_string(m.row_groups[g].columns.size()) + " column chunks but the schema has " +
          std::to_string(m.columns.size()) + " leaf columns");
  }
}

inline constexpr std::string_view plain_magic = "PAR1";
inline constexpr std::string_view encrypted_magic = "PARE";

/// Checks the 8-byte tail (length + magic) of a file of `file_size` bytes.
inline expected<footer_info> check_tail(const unsigned char* tail, std::uint64_t file_size) {
  location where;
  where.byte_offset = file_size >= 8 ? file_size - 8 : 0;
  if (file_size < 12)
    return make_error(errc::corrupt_data,
                      "file of " + std::to_string(file_size) +
                          " bytes is too small to be Parquet (at least 12 bytes needed)",
                      where);
  const std::string_view magic(reinterpret_cast<const char*>(tail + 4), 4);
  footer_info info;
  info.file_size = file_size;
  if (magic == encrypted_magic) {
    info.encrypted_footer = true;
  } else if (magic != plain_magic) {
    where.byte_offset = file_size - 4;
    return make_error(errc::corrupt_data,
                      "not a Parquet file: the last 4 bytes are not the magic \"PAR1\" (or "
                      "\"PARE\" for an encrypted footer)",
                      where);
  }
  info.footer_length = static_cast<std::uint32_t>(
      load_le(std::string_view(reinterpret_cast<const char*>(tail), 4), 4));
  if (info.footer_length > file_size - 12)
    return make_error(errc::corrupt_data,
                      "footer length " + std::to_string(info.footer_length) +
                          " exceeds the file (" + std::to_string(file_size) + " bytes)",
                      where);
  info.footer_offset = file_size - 8 - info.footer_length;
  return info;
}

/// Parses `bytes` (exactly the footer).
inline expected<footer> parse_footer_bytes(std::string bytes, const footer_info& info) {
  footer out;
  out.info = info;
  try {
    const auto storage = std::make_shared<footer_storage>(std::move(bytes));
    out.storage = storage;
    metadata_parser parser(*storage, info.footer_offset);
    if (info.encrypted_footer) {
      out.crypto = parser.crypto_meta();
      return out;
    }
    file_metadata m;
    parser.file_meta(m);
    m.footer_size = storage->bytes().size();
    m.storage = storage;
    build_columns(m, *storage, info.footer_offset);
    out.metadata = std::move(m);
    return out;
  } catch (const exception& e) {
    return unexpected<error>(e.error());
  } catch (const std::bad_alloc&) {
    location where;
    where.byte_offset = info.footer_offset;
    return make_error(errc::corrupt_data, "footer too large to hold in memory", where);
  }
}
} // namespace detail

/// Parses a Parquet file held entirely in memory (`bytes` is the whole file). Errors:
/// corrupt_data with the byte offset of the problem.
[[nodiscard]] inline expected<footer> try_parse_footer(std::string_view bytes) {
  const auto size = static_cast<std::uint64_t>(bytes.size());
  const unsigned char zero[8] = {};
  const auto* tail =
      size >= 8 ? reinterpret_cast<const unsigned char*>(bytes.data() + size - 8) : zero;
  auto info = detail::check_tail(tail, size);
  if (!info) return unexpected<error>(std::move(info).error());
  return detail::parse_footer_bytes(
      std::string(bytes.substr(static_cast<std::size_t>(info->footer_offset), info->footer_length)),
      *info);
}

/// Reads the footer of the Parquet file at `path` with two reads (the last 8 bytes, then the
/// footer). A file with an encrypted footer gives a footer whose `crypto` is set and whose
/// `metadata` is absent. Errors: io_error (cannot open or read), corrupt_data (not Parquet,
/// malformed footer; with the byte offset), all naming the file.
[[nodiscard]] inline expected<footer> try_read_footer(const std::filesystem::path& path) {
  const std::string name = path.string();
  const auto io_fail = [&](const std::string& what) {
    location where;
    where.file = name;
    return make_error(errc::io_error, what, std::move(where));
  };
  std::error_code ec;
  const std::uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) return io_fail("cannot read the file size: " + ec.message());
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(name.c_str(), "rb"), &std::fclose);
  if (!f) return io_fail(std::string("cannot open: ") + std::strerror(errno));
  unsigned char tail[8] = {};
  if (size >= 8) {
    if (std::fseek(f.get(), static_cast<long>(size - 8), SEEK_SET) != 0 ||
        std::fread(tail, 1, 8, f.get()) != 8)
      return io_fail("cannot read the last 8 bytes");
  }
  auto info = detail::check_tail(tail, size);
  if (!info) return unexpected<error>(std::move(info).error().in_file(name));
  std::string bytes;
  try {
    bytes.resize(info->footer_length);
  } catch (const std::bad_alloc&) {
    return io_fail("cannot allocate " + std::to_string(info->footer_length) +
                   " bytes for the footer");
  }
  if (info->footer_length != 0 &&
      (std::fseek(f.get(), static_cast<long>(info->footer_offset), SEEK_SET) != 0 ||
       std::fread(bytes.data(), 1, bytes.size(), f.get()) != bytes.size()))
    return io_fail("cannot read the footer (" + std::to_string(info->footer_length) + " bytes)");
  auto result = detail::parse_footer_bytes(std::move(bytes), *info);
  if (!result) return unexpected<error>(std::move(result).error().in_file(name));
  return result;
}

/// The FileMetaData of the Parquet file at `path`. An encrypted footer is an error of kind
/// unsupported that says so. Otherwise as try_read_footer.
[[nodiscard]] inline expected<file_metadata> try_read_metadata(const std::filesystem::path& path) {
  auto f = try_read_footer(path);
  if (!f) return unexpected<error>(std::move(f).error());
  if (!f->metadata) {
    location where;
    where.file = path.string();
    where.byte_offset = f->info.footer_offset;
    return make_error(errc::unsupported,
                      "the footer is encrypted (magic \"PARE\", " +
                          std::string(f->crypto ? f->crypto->algorithm : "UNKNOWN") +
                          "); reading it needs the footer key",
                      std::move(where));
  }
  return std::move(*f->metadata);
}

/// Throwing convenience for try_read_metadata.
[[nodiscard]] inline file_metadata read_metadata(const std::filesystem::path& path) {
  return try_read_metadata(path).value();
}

} // namespace parquet
TESSERA_NAMESPACE_END
