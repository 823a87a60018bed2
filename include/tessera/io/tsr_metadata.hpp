// tessera: the metadata model of a .tsr file (tessera's columnar format; docs/format.md): the
// schema, row groups, and per column chunk its encoding, streams and statistics.
//
// Needs only the standard library (the reader and writer in tsr.hpp need zstd and xxhash).
#pragma once

#include <tessera/column/scalar.hpp>
#include <tessera/column/table.hpp>
#include <tessera/config.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

TESSERA_NAMESPACE_BEGIN
namespace tsr {

/// Format version written by this library; readers accept any minor of the same major.
inline constexpr std::uint16_t format_major = 1;
inline constexpr std::uint16_t format_minor = 0;

/// The encoding of a column chunk (how its values are laid out before compression).
enum class chunk_encoding : std::uint8_t {
  plain = 0,      ///< the Arrow layout of the values
  dictionary = 1, ///< strings: a dictionary of distinct strings + int32 indices
};

/// The encoding of one stream of a chunk.
enum class stream_encoding : std::uint8_t {
  plain = 0,         ///< raw little-endian values (or bits, or bytes)
  delta_bitpack = 2, ///< integers: deltas, per 1024-value block min + bit-packed remainders
  for_bitpack = 3,   ///< integers: per 1024-value block min (frame of reference) + bit-packing
};

/// The compression of one stream.
enum class compression : std::uint8_t { none = 0, zstd = 1 };

/// What a stream of a chunk holds.
enum class stream_role : std::uint8_t {
  validity = 0,     ///< Arrow validity bits (present only when the chunk has nulls)
  values = 1,       ///< values, bits (boolean), string offsets, or dictionary indices
  data = 2,         ///< UTF-8 bytes of a plain string chunk
  dict_offsets = 3, ///< int32 offsets of the dictionary strings
  dict_data = 4,    ///< UTF-8 bytes of the dictionary strings
};

[[nodiscard]] constexpr std::string_view to_string(chunk_encoding e) noexcept {
  return e == chunk_encoding::plain        ? "plain"
         : e == chunk_encoding::dictionary ? "dictionary"
                                           : "?";
}
[[nodiscard]] constexpr std::string_view to_string(stream_encoding e) noexcept {
  switch (e) {
  case stream_encoding::plain:
    return "plain";
  case stream_encoding::delta_bitpack:
    return "delta_bitpack";
  case stream_encoding::for_bitpack:
    return "for_bitpack";
  }
  return "?";
}
[[nodiscard]] constexpr std::string_view to_string(compression c) noexcept {
  return c == compression::none ? "none" : c == compression::zstd ? "zstd" : "?";
}
[[nodiscard]] constexpr std::string_view to_string(stream_role r) noexcept {
  switch (r) {
  case stream_role::validity:
    return "validity";
  case stream_role::values:
    return "values";
  case stream_role::data:
    return "data";
  case stream_role::dict_offsets:
    return "dict_offsets";
  case stream_role::dict_data:
    return "dict_data";
  }
  return "?";
}

/// One stored stream: where it is, how it is encoded and compressed, and its checksum.
struct stream_info {
  stream_role role = stream_role::values;
  stream_encoding encoding = stream_encoding::plain;
  compression codec = compression::none;
  std::int8_t level = 0;          ///< the zstd level used (informational)
  std::uint64_t count = 0;        ///< logical elements: bits, values, offsets or bytes
  std::uint64_t offset = 0;       ///< from the start of the file; a multiple of 64
  std::uint64_t stored_size = 0;  ///< bytes in the file
  std::uint64_t decoded_size = 0; ///< bytes after decompression (before decoding)
  std::uint64_t checksum = 0;     ///< XXH3-64 of the stored bytes
};

/// Statistics of a column chunk. min/max are null scalars when absent (all values null or NaN,
/// or strings longer than 1024 bytes). Integers, date32 and timestamps store int64 (uint64 for
/// unsigned types), floats double, booleans bool, strings string.
struct chunk_statistics {
  std::uint64_t null_count = 0;
  std::uint64_t nan_count = 0;
  std::uint64_t distinct_estimate = 0; ///< exact below 256 distinct values (KMV sketch above)
  scalar min;
  scalar max;
};

/// One column of one row group.
struct chunk_info {
  chunk_encoding encoding = chunk_encoding::plain;
  std::uint64_t data_bytes = 0; ///< strings: total bytes of the values; 0 otherwise
  chunk_statistics stats;
  std::vector<stream_info> streams;

  /// The stream with `role`, or nullptr.
  [[nodiscard]] const stream_info* find(stream_role role) const noexcept {
    for (const auto& s : streams)
      if (s.role == role) return &s;
    return nullptr;
  }
  /// Bytes this chunk occupies in the file.
  [[nodiscard]] std::uint64_t stored_bytes() const noexcept {
    std::uint64_t n = 0;
    for (const auto& s : streams) n += s.stored_size;
    return n;
  }
};

/// A horizontal slice of the table: rows [first_row, first_row + num_rows), one chunk per field.
struct row_group_info {
  std::uint64_t num_rows = 0;
  std::uint64_t first_row = 0;
  std::vector<chunk_info> columns;
};

/// Everything the footer says, after validation.
struct file_metadata {
  std::uint16_t version_major = format_major;
  std::uint16_t version_minor = format_minor;
  tessera::schema schema;
  std::uint64_t num_rows = 0;
  std::vector<row_group_info> row_groups;
  std::uint64_t file_size = 0;
  std::uint64_t footer_offset = 0;
  std::uint64_t footer_size = 0;
};

} // namespace tsr
TESSERA_NAMESPACE_END
