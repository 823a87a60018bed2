// tessera internals of the .tsr format: the header, the footer (serialised and parsed), the
// trailer, and the validation of every offset, length and count the footer declares, so that
// the decoder may trust them. See docs/format.md.
#pragma once

#include <tessera/column/types.hpp>
#include <tessera/config.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/detail/io/tsr_codec.hpp>
#include <tessera/io/tsr_metadata.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <variant>

TESSERA_NAMESPACE_BEGIN
namespace detail::tsr {

namespace fmt = tessera::tsr;

inline constexpr char magic[4] = {'T', 'S', 'R', '\0'};
inline constexpr std::size_t header_size = 8;   // magic + u16 major + u16 minor
inline constexpr std::size_t data_start = 64;   // first stream; [8, 64) is zero
inline constexpr std::size_t trailer_size = 24; // u64 footer length, u64 checksum, magic+version
inline constexpr std::uint64_t max_string_stat = 1024;
// Decoded sizes a zstd stream may claim relative to its stored size (zstd's own worst case is
// about 32768:1, an RLE block of 128 KiB in 4 bytes); larger claims are corrupt.
inline constexpr std::uint64_t max_zstd_ratio = 65536;

[[nodiscard]] constexpr std::uint64_t align64(std::uint64_t x) noexcept {
  return (x + 63) / 64 * 64;
}

inline void put_header(byte_writer& w) {
  w.bytes(magic, 4);
  w.put(fmt::format_major);
  w.put(fmt::format_minor);
}

inline void put_kv(byte_writer& w, const key_value_metadata& kv) {
  w.u32(static_cast<std::uint32_t>(kv.size()));
  for (const auto& [k, v] : kv) {
    w.str(k);
    w.str(v);
  }
}

inline void put_scalar(byte_writer& w, const scalar& s) {
  const auto& v = s.get();
  w.u8(static_cast<std::uint8_t>(v.index()));
  switch (v.index()) {
  case 1:
    w.u8(std::get<1>(v) ? 1 : 0);
    break;
  case 2:
    w.put(std::get<2>(v));
    break;
  case 3:
    w.put(std::get<3>(v));
    break;
  case 4:
    w.put(std::get<4>(v));
    break;
  case 5:
    w.str(std::get<5>(v));
    break;
  default:
    break;
  }
}

/// The footer bytes (without the trailer).
[[nodiscard]] inline std::vector<std::byte> serialize_footer(const fmt::file_metadata& m) {
  byte_writer w;
  w.u32(static_cast<std::uint32_t>(m.schema.size()));
  for (const auto& f : m.schema.fields()) {
    w.str(f.name);
    w.u8(static_cast<std::uint8_t>(f.type.id));
    w.u8(static_cast<std::uint8_t>(f.type.unit));
    w.u8(f.nullable ? 1 : 0);
    put_kv(w, f.metadata);
  }
  put_kv(w, m.schema.metadata());
  w.u64(m.num_rows);
  w.u64(m.row_groups.size());
  for (const auto& rg : m.row_groups) {
    w.u64(rg.num_rows);
    for (const auto& c : rg.columns) {
      w.u8(static_cast<std::uint8_t>(c.encoding));
      w.u64(c.data_bytes);
      w.u64(c.stats.null_count);
      w.u64(c.stats.nan_count);
      w.u64(c.stats.distinct_estimate);
      put_scalar(w, c.stats.min);
      put_scalar(w, c.stats.max);
      w.u8(static_cast<std::uint8_t>(c.streams.size()));
      for (const auto& s : c.streams) {
        w.u8(static_cast<std::uint8_t>(s.role));
        w.u8(static_cast<std::uint8_t>(s.encoding));
        w.u8(static_cast<std::uint8_t>(s.codec));
        w.put(s.level);
        w.u64(s.count);
        w.u64(s.offset);
        w.u64(s.stored_size);
        w.u64(s.decoded_size);
        w.u64(s.checksum);
      }
    }
  }
  return std::move(w.data());
}

// ---------------------------------------------------------------------------------------------
// Parsing and validation

inline error corrupt(std::string message, std::string context = {},
                     std::uint64_t byte = location::no_offset) {
  location where;
  where.context = std::move(context);
  where.byte_offset = byte;
  return error(errc::corrupt_data, std::move(message), std::move(where));
}

inline std::string chunk_context(const fmt::file_metadata& m, std::size_t rg, std::size_t col) {
  return "column '" + m.schema[col].name + "', chunk " + std::to_string(rg) + " (row group " +
         std::to_string(rg) + ")";
}

inline bool get_kv(byte_reader& r, key_value_metadata& kv) {
  std::uint32_t n = 0;
  if (!r.get(n)) return false;
  for (std::uint32_t i = 0; i < n; ++i) {
    std::string k, v;
    if (!r.str(k) || !r.str(v)) return false;
    kv.emplace_back(std::move(k), std::move(v));
  }
  return true;
}

// g++ 12 at -O1 with sanitizers warns that the string alternative of the variant "may be used
// uninitialized" when another alternative is assigned: a known false positive (GCC PR 80635).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
inline bool get_scalar(byte_reader& r, scalar& s) {
  std::uint8_t tag = 0;
  if (!r.get(tag)) return false;
  switch (tag) {
  case 0:
    s = scalar();
    return true;
  case 1: {
    std::uint8_t b = 0;
    if (!r.get(b) || b > 1) return false;
    s = scalar(b == 1);
    return true;
  }
  case 2: {
    std::int64_t v = 0;
    if (!r.get(v)) return false;
    s = scalar(v);
    return true;
  }
  case 3: {
    std::uint64_t v = 0;
    if (!r.get(v)) return false;
    s = scalar(v);
    return true;
  }
  case 4: {
    double v = 0;
    if (!r.get(v)) return false;
    s = scalar(v);
    return true;
  }
  case 5: {
    std::string v;
    if (!r.str(v, max_string_stat)) return false;
    s = scalar(std::move(v));
    return true;
  }
  default:
    return false;
  }
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

/// Checks that a chunk's streams are exactly the ones its type and encoding need, with counts
/// and decoded sizes consistent with the row count (so decoding may allocate and index freely).
inline expected<void> validate_chunk(const fmt::chunk_info& c, const field& f, std::uint64_t rows) {
  using fmt::stream_encoding;
  using fmt::stream_role;
  const type_id id = f.type.id;
  const bool strings = is_string_like(id);
  if (c.stats.null_count > rows)
    return unexpected(corrupt("null count " + std::to_string(c.stats.null_count) + " exceeds " +
                              std::to_string(rows) + " rows"));
  if (!f.nullable && c.stats.null_count != 0)
    return unexpected(corrupt("nulls in a non-nullable column"));
  if (c.stats.nan_count > rows - c.stats.null_count)
    return unexpected(corrupt("NaN count exceeds the non-null values"));
  if (c.encoding == fmt::chunk_encoding::dictionary && !strings)
    return unexpected(corrupt("dictionary encoding on a non-string column"));
  if (!strings && c.data_bytes != 0)
    return unexpected(corrupt("string byte count on a non-string column"));
  if ((id == type_id::string || id == type_id::dictionary) && c.data_bytes > 0x7fffffffu)
    return unexpected(corrupt("string chunk holds more than 2^31 - 1 bytes"));

  // The roles a chunk must have, in order.
  std::vector<stream_role> roles;
  if (c.stats.null_count > 0) roles.push_back(stream_role::validity);
  roles.push_back(stream_role::values);
  if (strings && c.encoding == fmt::chunk_encoding::plain) roles.push_back(stream_role::data);
  if (c.encoding == fmt::chunk_encoding::dictionary) {
    roles.push_back(stream_role::dict_offsets);
    roles.push_back(stream_role::dict_data);
  }
  if (c.streams.size() != roles.size())
    return unexpected(corrupt("chunk has " + std::to_string(c.streams.size()) + " streams, " +
                              std::to_string(roles.size()) + " expected"));
  std::uint64_t dict_count = 0;
  for (std::size_t i = 0; i < roles.size(); ++i) {
    const auto& s = c.streams[i];
    const std::string what = std::string(fmt::to_string(roles[i])) + " stream";
    if (s.role != roles[i])
      return unexpected(corrupt("stream " + std::to_string(i) + " should be the " + what));
    if (s.codec == fmt::compression::none) {
      if (s.decoded_size != s.stored_size)
        return unexpected(corrupt(what + ": uncompressed but sizes differ", {}, s.offset));
    } else if (s.codec == fmt::compression::zstd) {
      if (s.decoded_size / max_zstd_ratio > s.stored_size)
        return unexpected(
            corrupt(what + ": implausible decompressed size " + std::to_string(s.decoded_size), {},
                    s.offset));
    } else {
      return unexpected(
          corrupt(what + ": unknown compression " + std::to_string(static_cast<int>(s.codec)), {},
                  s.offset));
    }
    // Which element width this stream has, and whether integer encodings are allowed.
    std::uint64_t width = 0; // bytes per element for plain; 0: bits
    bool integer_stream = false;
    std::uint64_t count = 0;
    switch (s.role) {
    case stream_role::validity:
      count = rows;
      break;
    case stream_role::values:
      if (c.encoding == fmt::chunk_encoding::dictionary) {
        count = rows, width = 4, integer_stream = true;
      } else if (strings) {
        count = rows + 1, width = id == type_id::large_string ? 8 : 4, integer_stream = true;
      } else if (id == type_id::boolean) {
        count = rows;
      } else {
        count = rows, width = fixed_width_bytes(id), integer_stream = !is_floating(id);
      }
      break;
    case stream_role::data:
      count = c.data_bytes, width = 1;
      break;
    case stream_role::dict_offsets:
      count = s.count, width = 4, integer_stream = true;
      if (count == 0 || count - 1 > rows)
        return unexpected(corrupt(what + ": dictionary of " + std::to_string(count - 1) +
                                      " strings for " + std::to_string(rows) + " rows",
                                  {}, s.offset));
      dict_count = count - 1;
      break;
    case stream_role::dict_data:
      count = s.count, width = 1;
      break;
    }
    if (s.count != count)
      return unexpected(corrupt(what + ": count " + std::to_string(s.count) + ", expected " +
                                    std::to_string(count),
                                {}, s.offset));
    if (s.encoding == stream_encoding::plain) {
      const std::uint64_t need = width == 0 ? (count + 7) / 8 : count * width;
      if (s.decoded_size != need)
        return unexpected(corrupt(what + ": " + std::to_string(s.decoded_size) +
                                      " bytes, expected " + std::to_string(need),
                                  {}, s.offset));
    } else if ((s.encoding == stream_encoding::delta_bitpack ||
                s.encoding == stream_encoding::for_bitpack) &&
               integer_stream) {
      const std::uint64_t blocks = (count + block_values - 1) / block_values;
      if (s.decoded_size > blocks * 9 + count * 8 + 8)
        return unexpected(corrupt(what + ": bit-packed size too large", {}, s.offset));
    } else {
      return unexpected(corrupt(what + ": encoding " +
                                    std::to_string(static_cast<int>(s.encoding)) +
                                    " is not allowed here",
                                {}, s.offset));
    }
  }
  (void)dict_count;
  return {};
}

/// Parses and validates the header, trailer and footer of a whole file held in memory.
/// `verify` false skips the footer checksum (fuzzing, trusted files); everything else is checked.
inline expected<fmt::file_metadata> parse_file(const std::byte* data, std::size_t size,
                                               bool verify = true) {
  if (size < data_start + trailer_size)
    return unexpected(corrupt("file of " + std::to_string(size) +
                              " bytes is too small to be a .tsr file (truncated?)"));
  if (std::memcmp(data, magic, 4) != 0)
    return unexpected(corrupt("not a .tsr file (bad magic)", {}, 0));
  fmt::file_metadata m;
  std::memcpy(&m.version_major, data + 4, 2);
  std::memcpy(&m.version_minor, data + 6, 2);
  if (m.version_major != fmt::format_major) {
    location where;
    where.byte_offset = 4;
    return unexpected(error(errc::unsupported,
                            ".tsr format version " + std::to_string(m.version_major) + "." +
                                std::to_string(m.version_minor) + " (this reader reads " +
                                std::to_string(fmt::format_major) + ".x)",
                            std::move(where)));
  }
  for (std::size_t i = header_size; i < data_start; ++i)
    if (data[i] != std::byte{0}) return unexpected(corrupt("non-zero header padding", {}, i));
  const std::byte* trailer = data + size - trailer_size;
  if (std::memcmp(trailer + 16, data, header_size) != 0)
    return unexpected(
        corrupt("trailer magic/version missing (truncated or unfinished file)", {}, size - 8));
  std::uint64_t footer_size = 0, footer_sum = 0;
  std::memcpy(&footer_size, trailer, 8);
  std::memcpy(&footer_sum, trailer + 8, 8);
  if (footer_size > size - data_start - trailer_size)
    return unexpected(corrupt("footer length " + std::to_string(footer_size) + " exceeds the file",
                              {}, size - trailer_size));
  const std::uint64_t footer_offset = size - trailer_size - footer_size;
  if (footer_offset % 64 != 0)
    return unexpected(corrupt("footer does not start on a 64-byte boundary", {}, footer_offset));
  // The checksum covers the footer and the footer length field.
  if (verify && checksum(data + footer_offset, footer_size + 8) != footer_sum)
    return unexpected(corrupt("footer checksum mismatch", "footer", footer_offset));
  m.file_size = size;
  m.footer_offset = footer_offset;
  m.footer_size = footer_size;

  byte_reader r(data + footer_offset, footer_size);
  const auto bad = [&](const std::string& what, std::string ctx = "footer") {
    return unexpected(corrupt(what, std::move(ctx), footer_offset + r.position()));
  };
  std::uint32_t nfields = 0;
  if (!r.get(nfields)) return bad("truncated footer");
  std::vector<field> fields;
  for (std::uint32_t i = 0; i < nfields; ++i) {
    field f;
    std::uint8_t id = 0, unit = 0, nullable = 0;
    if (!r.str(f.name) || !r.get(id) || !r.get(unit) || !r.get(nullable) || !get_kv(r, f.metadata))
      return bad("truncated schema field " + std::to_string(i));
    if (id > static_cast<std::uint8_t>(type_id::dictionary) ||
        unit > static_cast<std::uint8_t>(time_unit::nanosecond) || nullable > 1)
      return bad("field '" + f.name + "' has an invalid type");
    f.type = data_type(static_cast<type_id>(id), static_cast<time_unit>(unit));
    f.nullable = nullable == 1;
    fields.push_back(std::move(f));
  }
  key_value_metadata meta;
  if (!get_kv(r, meta)) return bad("truncated schema metadata");
  m.schema = tessera::schema(std::move(fields), std::move(meta));
  std::uint64_t nrg = 0;
  if (!r.get(m.num_rows) || !r.get(nrg)) return bad("truncated footer");
  // Every row group needs at least 8 bytes: a bound that keeps hostile counts from looping long.
  if (nrg > r.remaining() / 8) return bad("row group count exceeds the footer");
  std::uint64_t expected_offset = data_start;
  std::uint64_t rows_so_far = 0;
  for (std::uint64_t g = 0; g < nrg; ++g) {
    fmt::row_group_info rg;
    if (!r.get(rg.num_rows)) return bad("truncated row group " + std::to_string(g));
    if (rg.num_rows > m.num_rows - rows_so_far)
      return bad("row groups hold more rows than the file declares");
    rg.first_row = rows_so_far;
    rows_so_far += rg.num_rows;
    for (std::size_t col = 0; col < m.schema.size(); ++col) {
      fmt::chunk_info c;
      std::uint8_t enc = 0, nstreams = 0;
      if (!r.get(enc) || !r.get(c.data_bytes) || !r.get(c.stats.null_count) ||
          !r.get(c.stats.nan_count) || !r.get(c.stats.distinct_estimate) ||
          !get_scalar(r, c.stats.min) || !get_scalar(r, c.stats.max) || !r.get(nstreams))
        return bad("truncated or invalid chunk header", chunk_context(m, g, col));
      if (enc > 1) return bad("unknown chunk encoding", chunk_context(m, g, col));
      c.encoding = static_cast<fmt::chunk_encoding>(enc);
      for (std::uint8_t s = 0; s < nstreams; ++s) {
        fmt::stream_info st;
        std::uint8_t role = 0, senc = 0, codec = 0;
        if (!r.get(role) || !r.get(senc) || !r.get(codec) || !r.get(st.level) || !r.get(st.count) ||
            !r.get(st.offset) || !r.get(st.stored_size) || !r.get(st.decoded_size) ||
            !r.get(st.checksum))
          return bad("truncated stream " + std::to_string(s), chunk_context(m, g, col));
        if (role > 4 || (senc != 0 && senc != 2 && senc != 3) || codec > 1)
          return bad("invalid stream " + std::to_string(s), chunk_context(m, g, col));
        st.role = static_cast<fmt::stream_role>(role);
        st.encoding = static_cast<fmt::stream_encoding>(senc);
        st.codec = static_cast<fmt::compression>(codec);
        // Streams tile the data region in footer order, each on a 64-byte boundary.
        if (st.offset != expected_offset)
          return bad("stream " + std::to_string(s) + " at offset " + std::to_string(st.offset) +
                         ", expected " + std::to_string(expected_offset),
                     chunk_context(m, g, col));
        if (st.stored_size > footer_offset - st.offset)
          return bad("stream " + std::to_string(s) + " runs into the footer",
                     chunk_context(m, g, col));
        expected_offset = align64(st.offset + st.stored_size);
        c.streams.push_back(st);
      }
      if (auto ok = validate_chunk(c, m.schema[col], rg.num_rows); !ok) {
        auto e = std::move(ok.error());
        e.add_context(chunk_context(m, g, col));
        return unexpected(std::move(e));
      }
      rg.columns.push_back(std::move(c));
    }
    m.row_groups.push_back(std::move(rg));
  }
  if (rows_so_far != m.num_rows) return bad("row groups hold fewer rows than the file declares");
  if (r.remaining() != 0) return bad("trailing bytes in the footer");
  if (expected_offset != footer_offset)
    return unexpected(corrupt("data region ends at " + std::to_string(expected_offset) +
                                  " but the footer starts at " + std::to_string(footer_offset),
                              "footer", footer_offset));
  return m;
}

} // namespace detail::tsr
TESSERA_NAMESPACE_END
