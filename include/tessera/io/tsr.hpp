// tessera: the .tsr columnar file format (docs/format.md): a streaming, atomic writer and a
// validating reader with projection, row-group pruning from a predicate, a row limit, zero-copy
// mmap for uncompressed plain chunks, and parallel decoding.
//
// Needs tessera::format (zstd; xxhash header).
#pragma once

#include <tessera/column/bitmap_ops.hpp>
#include <tessera/column/builder.hpp>
#include <tessera/column/column.hpp>
#include <tessera/column/compare.hpp>
#include <tessera/column/expression.hpp>
#include <tessera/column/filter.hpp>
#include <tessera/column/scalar.hpp>
#include <tessera/column/table.hpp>
#include <tessera/config.hpp>
#include <tessera/core/aligned_buffer.hpp>
#include <tessera/core/bitmap.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/core/parallel.hpp>
#include <tessera/detail/column/hashing.hpp>
#include <tessera/detail/io/mapped_file.hpp>
#include <tessera/detail/io/tsr_codec.hpp>
#include <tessera/detail/io/tsr_file.hpp>
#include <tessera/detail/io/tsr_footer.hpp>
#include <tessera/io/tsr_metadata.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <new>
#include <optional>
#include <ranges>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

TESSERA_NAMESPACE_BEGIN
namespace tsr {

/// How the writer encodes and compresses.
struct write_options {
  compression codec = compression::zstd; ///< none or zstd (kept per stream only when smaller)
  int level = 1;                         ///< zstd level (1..22; negative: faster)
  bool dictionary = true;                ///< allow dictionary encoding of string chunks
  bool bitpack = true;                   ///< allow delta / frame-of-reference bit-packing
  std::size_t row_group_rows = std::size_t{1} << 17; ///< write() splits tables into these
  bool sync = true; ///< fsync the file and its directory on close (crash durability)
  /// Columns stored plain and uncompressed whatever their size, so that a mapped reader gets
  /// them without copying (zero-copy loading).
  std::vector<std::string> raw_columns;
};

/// One conjunct of a predicate: `column op value`.
struct condition {
  std::string column;
  compare_op op = compare_op::eq;
  scalar value;
};

/// How to open a file.
struct open_options {
  bool use_mmap = true; ///< map the file (zero-copy, lazy I/O); false: read it whole
  /// Check the XXH3 of the footer and of every stream before decoding it. false is for fuzzing
  /// and trusted files: every offset, length and count is still validated.
  bool verify_checksums = true;
};

/// What to read.
struct read_options {
  std::vector<std::string> columns; ///< projection, in this order; empty: every column
  std::vector<condition> where;     ///< conjunction; row groups that cannot match are skipped
  /// Any filter expression (OR, NOT, column-to-column comparisons), ANDed with `where`: row groups
  /// are pruned by its top-level conjuncts that compare a column with a literal, then (with
  /// filter_rows) it is evaluated on the rows read.
  std::optional<filter_expression> filter;
  bool filter_rows = true; ///< also drop the rows that do not match (else prune only)
  std::uint64_t limit = std::numeric_limits<std::uint64_t>::max(); ///< at most this many rows
};

namespace detail_w {
using namespace tessera::detail::tsr;

struct encoded_stream {
  stream_info info;
  std::vector<std::byte> bytes;
};
struct encoded_chunk {
  chunk_info info;
  std::vector<encoded_stream> streams;
};

/// k-minimum-values distinct-count sketch over 64-bit hashes: exact below k distinct values.
class kmv {
public:
  void add(std::uint64_t h) {
    if (h < bound_) insert(h); // once full, most hashes stop here
  }
  [[nodiscard]] std::uint64_t estimate() const noexcept {
    if (heap_.size() < k) return heap_.size();
    const long double kth = static_cast<long double>(heap_.front()) + 1.0L;
    return static_cast<std::uint64_t>((k - 1) * 18446744073709551616.0L / kth);
  }

private:
  void insert(std::uint64_t h) {
    if (std::find(heap_.begin(), heap_.end(), h) != heap_.end()) return;
    if (heap_.size() == k) {
      std::pop_heap(heap_.begin(), heap_.end());
      heap_.back() = h;
    } else {
      heap_.push_back(h);
    }
    std::push_heap(heap_.begin(), heap_.end());
    if (heap_.size() == k) bound_ = heap_.front();
  }
  static constexpr std::size_t k = 256;
  std::vector<std::uint64_t> heap_;
  std::uint64_t bound_ = ~std::uint64_t{0}; // hashes at or above it cannot enter
};

inline void finish_stream(encoded_stream& s, const write_options& o) {
  s.info.decoded_size = s.bytes.size();
  s.info.codec = compression::none;
  // A stream of 256 KiB or more whose first 64 KiB do not compress by 1/10 stays raw without
  // compressing the rest: it would hardly reach the 1/8 kept below (random floating point).
  constexpr std::size_t probe = 64 * 1024;
  const bool hopeless = [&] {
    if (o.codec != compression::zstd || s.bytes.size() < 4 * probe) return false;
    const auto z = zstd_compress({s.bytes.data(), probe}, o.level);
    return z.empty() || z.size() > probe - probe / 10;
  }();
  if (o.codec == compression::zstd && s.bytes.size() >= 64 && !hopeless) {
    auto z = zstd_compress(s.bytes, o.level);
    // Keep zstd only when it saves at least 1/8: decompressing costs more than reading the
    // bytes it saves below that, and raw plain streams stay mmap-able.
    if (!z.empty() && z.size() <= s.bytes.size() - s.bytes.size() / 8) {
      s.bytes = std::move(z);
      s.info.codec = compression::zstd;
      s.info.level = static_cast<std::int8_t>(std::clamp(o.level, -128, 127));
    }
  }
  s.info.stored_size = s.bytes.size();
  s.info.checksum = checksum(s.bytes.data(), s.bytes.size());
}

/// Integers (or offsets) as the smallest of plain, frame-of-reference and delta bit-packing.
inline constexpr std::uint64_t sign_bit = std::uint64_t{1} << 63;

template <class T>
encoded_stream encode_integers(stream_role role, const T* v, std::size_t n,
                               const write_options& o) {
  encoded_stream s;
  s.info.role = role;
  s.info.count = n;
  const std::size_t plain = n * sizeof(T);
  if (o.bitpack && n > 0) {
    std::vector<std::uint64_t> wide(n);
    for (std::size_t i = 0; i < n; ++i) {
      if constexpr (std::is_signed_v<T>)
        wide[i] = static_cast<std::uint64_t>(static_cast<std::int64_t>(v[i])) ^ sign_bit;
      else
        wide[i] = static_cast<std::uint64_t>(v[i]);
    }
    const std::size_t f = packed_size(wide, false);
    const std::size_t d = packed_size(wide, true);
    if (std::min(f, d) < plain) {
      const bool delta = d < f;
      s.info.encoding = delta ? stream_encoding::delta_bitpack : stream_encoding::for_bitpack;
      s.bytes = pack(wide, delta);
      finish_stream(s, o);
      return s;
    }
  }
  s.info.encoding = stream_encoding::plain;
  s.bytes.resize(plain);
  if (plain != 0) std::memcpy(s.bytes.data(), v, plain);
  finish_stream(s, o);
  return s;
}

inline encoded_stream encode_bits(stream_role role, bitmap_view bits, const write_options& o) {
  encoded_stream s;
  s.info.role = role;
  s.info.count = bits.size();
  const bitmap copy = bitmap::copy_of(bits);
  s.bytes.resize(copy.size_bytes());
  if (!s.bytes.empty()) std::memcpy(s.bytes.data(), copy.data(), s.bytes.size());
  finish_stream(s, o);
  return s;
}

inline encoded_stream encode_bytes(stream_role role, const char* p, std::size_t n,
                                   const write_options& o) {
  encoded_stream s;
  s.info.role = role;
  s.info.count = n;
  s.bytes.resize(n);
  if (n != 0) std::memcpy(s.bytes.data(), p, n);
  finish_stream(s, o);
  return s;
}

template <class T>
void encode_fixed(const column& c, encoded_chunk& out, const write_options& o) {
  const auto view = c.view<T>();
  const std::size_t n = c.size();
  // Null slots hold unspecified values: repeat the previous value so they cost nothing (a copy
  // only when there are nulls).
  std::vector<T> vals;
  if (c.null_count() != 0) vals.assign(view.data, view.data + n);
  const T* values = vals.empty() ? view.data : vals.data();
  bool have = false;
  T lo{}, hi{};
  std::uint64_t nans = 0;
  kmv sketch;
  T prev{};
  for (std::size_t i = 0; i < n; ++i) {
    if (!vals.empty() && !view.is_valid(i)) {
      vals[i] = prev;
      continue;
    }
    const T x = values[i];
    prev = x;
    sketch.add(tessera::detail::hash_value(x)); // one value for all NaNs, one for +0.0 and -0.0
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(x)) {
        ++nans;
        continue;
      }
    }
    if (!have) {
      lo = hi = x;
      have = true;
    } else {
      lo = std::min(lo, x);
      hi = std::max(hi, x);
    }
  }
  auto& st = out.info.stats;
  st.nan_count = nans;
  st.distinct_estimate = sketch.estimate();
  if (have) {
    if constexpr (std::is_floating_point_v<T>) {
      st.min = scalar(static_cast<double>(lo));
      st.max = scalar(static_cast<double>(hi));
    } else if constexpr (std::is_signed_v<T>) {
      st.min = scalar(static_cast<std::int64_t>(lo));
      st.max = scalar(static_cast<std::int64_t>(hi));
    } else {
      st.min = scalar(static_cast<std::uint64_t>(lo));
      st.max = scalar(static_cast<std::uint64_t>(hi));
    }
  }
  if constexpr (std::is_floating_point_v<T>) {
    write_options plain = o;
    plain.bitpack = false;
    out.streams.push_back(encode_integers<T>(stream_role::values, values, n, plain));
  } else {
    out.streams.push_back(encode_integers<T>(stream_role::values, values, n, o));
  }
}

inline void encode_bool(const column& c, encoded_chunk& out, const write_options& o) {
  const auto v = c.bool_view();
  bool any_false = false, any_true = false;
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (!v.is_valid(i)) continue;
    (v[i] ? any_true : any_false) = true;
  }
  auto& st = out.info.stats;
  st.distinct_estimate = static_cast<std::uint64_t>(any_false) + any_true;
  if (any_false || any_true) {
    st.min = scalar(!any_false);
    st.max = scalar(any_true);
  }
  out.streams.push_back(encode_bits(stream_role::values, v.bits, o));
}

inline expected<void> encode_strings(const column& c, const field& f, encoded_chunk& out,
                                     const write_options& o) {
  const std::size_t n = c.size();
  std::vector<std::string_view> vals(n);
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!c.is_valid(i)) continue;
    vals[i] = c.string_at(i);
    total += vals[i].size();
  }
  const bool wide = f.type.id == type_id::large_string;
  if (!wide && total > 0x7fffffffu)
    return make_error(errc::overflow, "a string chunk holds more than 2^31 - 1 bytes; write "
                                      "smaller row groups or use large_string");
  auto& st = out.info.stats;
  out.info.data_bytes = total;
  // min/max over the distinct strings when there is a dictionary, else over the rows.
  const auto set_min_max = [&](auto&& strings) {
    std::optional<std::string_view> lo, hi;
    for (std::string_view v : strings) {
      if (!lo || v < *lo) lo = v;
      if (!hi || v > *hi) hi = v;
    }
    if (lo && lo->size() <= max_string_stat && hi->size() <= max_string_stat) {
      st.min = scalar(std::string(*lo));
      st.max = scalar(std::string(*hi));
    }
  };

  // Dictionary: tried while the distinct strings stay under half the rows. A prefix of the
  // chunk rules it out cheaply first: where most of 4096 strings differ (ids, free text), the
  // whole chunk would fill a hash map with half its rows before giving up.
  std::unordered_map<std::string_view, std::int32_t> index;
  std::vector<std::int32_t> codes;
  bool dict_ok = o.dictionary && n > 0;
  if (constexpr std::size_t sample = 4096; dict_ok && n > 2 * sample) {
    std::unordered_set<std::string_view> seen;
    seen.reserve(sample);
    std::size_t valid = 0;
    for (std::size_t i = 0; i < sample; ++i)
      if (c.is_valid(i)) ++valid, seen.insert(vals[i]);
    dict_ok = seen.size() <= valid / 2 + 1;
  }
  if (dict_ok) {
    codes.assign(n, 0);
    index.reserve(std::min<std::size_t>(n, 4096));
    for (std::size_t i = 0; i < n && dict_ok; ++i) {
      if (!c.is_valid(i)) continue;
      auto [it, added] = index.try_emplace(vals[i], static_cast<std::int32_t>(index.size()));
      codes[i] = it->second;
      if (added && index.size() > n / 2 + 1) dict_ok = false;
    }
  }
  kmv sketch;
  if (dict_ok) {
    st.distinct_estimate = index.size();
    set_min_max(index | std::views::keys);
  } else {
    for (std::size_t i = 0; i < n; ++i)
      if (c.is_valid(i)) sketch.add(checksum(vals[i].data(), vals[i].size()));
    st.distinct_estimate = sketch.estimate();
    set_min_max(std::views::iota(std::size_t{0}, n) |
                std::views::filter([&](std::size_t i) { return c.is_valid(i); }) |
                std::views::transform([&](std::size_t i) { return vals[i]; }));
  }
  std::uint64_t dict_bytes = 0;
  if (dict_ok) {
    for (const auto& kv : index) dict_bytes += kv.first.size();
    const std::uint64_t d = index.size();
    const std::uint64_t dict_size =
        (n * bits_needed(d == 0 ? 0 : d - 1) + 7) / 8 + 4 * (d + 1) + dict_bytes;
    const std::uint64_t plain_size = (n + 1) * 2 + total; // offsets pack to about 2 bytes
    dict_ok = dict_size < plain_size;
  }
  if (dict_ok) {
    out.info.encoding = chunk_encoding::dictionary;
    std::vector<std::string_view> dict(index.size());
    for (const auto& [s, k] : index) dict[static_cast<std::size_t>(k)] = s;
    std::vector<std::int32_t> offs(dict.size() + 1);
    std::string bytes;
    bytes.reserve(dict_bytes);
    for (std::size_t k = 0; k < dict.size(); ++k) {
      bytes += dict[k];
      offs[k + 1] = static_cast<std::int32_t>(bytes.size());
    }
    out.streams.push_back(encode_integers<std::int32_t>(stream_role::values, codes.data(), n, o));
    out.streams.push_back(
        encode_integers<std::int32_t>(stream_role::dict_offsets, offs.data(), offs.size(), o));
    out.streams.push_back(encode_bytes(stream_role::dict_data, bytes.data(), bytes.size(), o));
    return {};
  }
  out.info.encoding = chunk_encoding::plain;
  std::string bytes;
  bytes.reserve(total);
  const auto emit = [&]<class Offset>(std::type_identity<Offset>) {
    std::vector<Offset> offs(n + 1);
    if (n != 0 && c.null_count() == 0 &&
        c.id() == (wide ? type_id::large_string : type_id::string)) {
      // The column's own offsets and bytes, rebased: one copy of the bytes.
      const auto sv = c.string_view<Offset>();
      const Offset base = sv.offsets[0];
      for (std::size_t i = 0; i <= n; ++i) offs[i] = static_cast<Offset>(sv.offsets[i] - base);
      bytes.assign(sv.bytes + base, static_cast<std::size_t>(sv.offsets[n] - base));
    } else {
      for (std::size_t i = 0; i < n; ++i) {
        bytes += vals[i];
        offs[i + 1] = static_cast<Offset>(bytes.size());
      }
    }
    out.streams.push_back(encode_integers<Offset>(stream_role::values, offs.data(), n + 1, o));
  };
  if (wide)
    emit(std::type_identity<std::int64_t>{});
  else
    emit(std::type_identity<std::int32_t>{});
  out.streams.push_back(encode_bytes(stream_role::data, bytes.data(), bytes.size(), o));
  return {};
}

inline expected<encoded_chunk> encode_chunk(const column& c, const field& f,
                                            const write_options& options) {
  write_options o = options;
  if (std::find(o.raw_columns.begin(), o.raw_columns.end(), f.name) != o.raw_columns.end()) {
    o.codec = compression::none;
    o.bitpack = o.dictionary = false;
  }
  encoded_chunk out;
  out.info.stats.null_count = c.null_count();
  if (c.null_count() > 0)
    out.streams.push_back(encode_bits(stream_role::validity, c.validity().bits, o));
  const type_id id = f.type.id;
  if (is_string_like(id)) {
    if (auto ok = encode_strings(c, f, out, o); !ok) return unexpected(std::move(ok.error()));
  } else if (id == type_id::boolean) {
    encode_bool(c, out, o);
  } else {
    visit_physical(id, [&]<class T>(std::type_identity<T>) {
      if constexpr (column_number<T>) encode_fixed<T>(c, out, o);
    });
  }
  return out;
}
} // namespace detail_w

/// Writes a .tsr file as a stream of row groups in bounded memory: each write() encodes and
/// compresses its rows (columns in parallel) and appends them to a temporary file beside the
/// destination; close() writes the footer, syncs and renames the temporary file over the
/// destination. If the writer is destroyed without close() (or the process dies), the
/// destination is untouched. Not thread-safe.
class writer {
public:
  /// Starts a file with this schema. Errors: io_error (cannot create the temporary file).
  [[nodiscard]] static expected<writer> create(const std::filesystem::path& path, tessera::schema s,
                                               write_options options = {}) {
    auto f = detail::atomic_file::create(path);
    if (!f) return unexpected(std::move(f.error()));
    writer w;
    w.file_ = std::move(*f);
    w.options_ = options;
    w.path_ = path.string();
    w.meta_.schema = std::move(s);
    detail::tsr::byte_writer h;
    detail::tsr::put_header(h);
    h.data().resize(detail::tsr::data_start, std::byte{0});
    if (auto ok = w.file_.write(h.data().data(), h.data().size()); !ok)
      return unexpected(std::move(ok.error()));
    return w;
  }

  /// Appends the rows of `t` as row groups of at most options.row_group_rows rows (one row
  /// group when that is 0). Errors: invalid_argument (schema differs: names, types,
  /// nullability), overflow (a string chunk over 2 GiB), io_error. After an error the writer
  /// can only be destroyed.
  [[nodiscard]] expected<void> try_write(const table& t) { return try_write(t, options_); }
  /// try_write with other encoding options for these rows (codec, level, dictionary, bitpack,
  /// raw_columns, row_group_rows; sync is the writer's).
  [[nodiscard]] expected<void> try_write(const table& t, const write_options& options) {
    if (failed_ || closed_) return make_error(errc::invalid_argument, "writer is closed or failed");
    const auto& a = t.schema().fields();
    const auto& b = meta_.schema.fields();
    bool same = a.size() == b.size();
    for (std::size_t i = 0; same && i < a.size(); ++i)
      same = a[i].name == b[i].name && a[i].type == b[i].type && a[i].nullable == b[i].nullable;
    if (!same)
      return make_error(errc::invalid_argument, "table schema differs from the writer's schema");
    const std::size_t step = options.row_group_rows == 0 ? t.num_rows() : options.row_group_rows;
    if (t.num_rows() == 0) return {};
    for (std::size_t first = 0; first < t.num_rows(); first += step) {
      auto ok = write_row_group(t.slice(first, std::min(step, t.num_rows() - first)), options);
      if (!ok) {
        failed_ = true;
        return ok;
      }
    }
    return {};
  }
  /// Throwing form of try_write.
  void write(const table& t) {
    if (auto ok = try_write(t); !ok) throw_error(std::move(ok.error()));
  }

  /// Writes the footer and trailer, syncs (options.sync) and renames over the destination.
  [[nodiscard]] expected<void> try_close() {
    if (failed_ || closed_) return make_error(errc::invalid_argument, "writer is closed or failed");
    failed_ = true; // until it succeeds
    if (auto ok = pad(); !ok) return ok;
    meta_.footer_offset = file_.position();
    auto footer = detail::tsr::serialize_footer(meta_);
    const std::uint64_t len = footer.size();
    detail::tsr::byte_writer tail;
    tail.bytes(footer.data(), footer.size());
    tail.u64(len);
    const std::uint64_t sum = detail::tsr::checksum(tail.data().data(), tail.data().size());
    tail.u64(sum);
    detail::tsr::put_header(tail);
    if (auto ok = file_.write(tail.data().data(), tail.data().size()); !ok) return ok;
    meta_.footer_size = len;
    meta_.file_size = file_.position();
    if (auto ok = file_.commit(options_.sync); !ok) return ok;
    failed_ = false;
    closed_ = true;
    return {};
  }
  /// Throwing form of try_close.
  void close() {
    if (auto ok = try_close(); !ok) throw_error(std::move(ok.error()).in_file(path_));
  }

  /// The metadata written so far (complete after close()).
  [[nodiscard]] const file_metadata& metadata() const noexcept { return meta_; }

private:
  writer() = default;

  expected<void> pad() {
    static constexpr std::byte zeros[64] = {};
    const std::uint64_t at = file_.position();
    return file_.write(zeros, detail::tsr::align64(at) - at);
  }

  expected<void> write_row_group(const table& t, const write_options& options) {
    const std::size_t ncols = t.num_columns();
    std::vector<std::optional<expected<detail_w::encoded_chunk>>> chunks(ncols);
    try {
      parallel_for(
          std::size_t{0}, ncols,
          [&](std::size_t i) {
            chunks[i].emplace(detail_w::encode_chunk(t[i], meta_.schema[i], options));
          },
          1);
    } catch (const std::bad_alloc&) {
      return make_error(errc::overflow, "out of memory while encoding a row group");
    }
    row_group_info rg;
    rg.num_rows = t.num_rows();
    rg.first_row = meta_.num_rows;
    for (std::size_t i = 0; i < ncols; ++i) {
      auto& c = *chunks[i];
      if (!c) {
        auto e = std::move(c.error());
        e.add_context("column '" + meta_.schema[i].name + "', chunk " +
                      std::to_string(meta_.row_groups.size()));
        return unexpected(std::move(e.in_file(path_)));
      }
      for (auto& s : c->streams) {
        if (auto ok = pad(); !ok) return ok;
        s.info.offset = file_.position();
        if (auto ok = file_.write(s.bytes.data(), s.bytes.size()); !ok) return ok;
        c->info.streams.push_back(s.info);
        s.bytes = {};
      }
      rg.columns.push_back(std::move(c->info));
    }
    meta_.num_rows += rg.num_rows;
    meta_.row_groups.push_back(std::move(rg));
    return {};
  }

  detail::atomic_file file_;
  write_options options_;
  std::string path_;
  file_metadata meta_;
  bool failed_ = false;
  bool closed_ = false;
};

/// Writes `t` to `path` atomically (see writer).
[[nodiscard]] inline expected<void> try_write_table(const std::filesystem::path& path,
                                                    const table& t, write_options options = {}) {
  auto w = writer::create(path, t.schema(), options);
  if (!w) return unexpected(std::move(w.error()));
  if (auto ok = w->try_write(t); !ok) return ok;
  return w->try_close();
}
/// Throwing form of try_write_table.
inline void write_table(const std::filesystem::path& path, const table& t,
                        write_options options = {}) {
  if (auto ok = try_write_table(path, t, options); !ok)
    throw_error(std::move(ok.error()).in_file(path.string()));
}

// ---------------------------------------------------------------------------------------------
// Predicates

/// True unless the chunk statistics prove that no row of the chunk satisfies `c` (SQL
/// semantics: null never matches; NaN matches only !=). Conservative on type mismatches.
[[nodiscard]] inline bool may_match(const chunk_info& chunk, std::uint64_t rows,
                                    const condition& c) {
  const auto& st = chunk.stats;
  if (c.value.is_null()) return false;
  if (rows == st.null_count) return false;
  if (st.min.is_null() || st.max.is_null()) {
    // No ordered values: everything non-null is NaN (or a string too long for statistics).
    if (st.nan_count + st.null_count == rows) return c.op == compare_op::ne;
    return true;
  }
  int lo_cmp = 0, hi_cmp = 0; // sign of (min - literal), (max - literal)
  if (c.value.is_string() != st.min.is_string()) return true;
  if (c.value.is_string()) {
    const auto& lit = std::get<std::string>(c.value.get());
    const auto& lo = std::get<std::string>(st.min.get());
    const auto& hi = std::get<std::string>(st.max.get());
    lo_cmp = lo.compare(lit) < 0 ? -1 : lo == lit ? 0 : 1;
    hi_cmp = hi.compare(lit) < 0 ? -1 : hi == lit ? 0 : 1;
  } else {
    const long double lit = c.value.as_long_double();
    if (std::isnan(lit)) return c.op == compare_op::ne;
    const long double lo = st.min.as_long_double(), hi = st.max.as_long_double();
    lo_cmp = lo < lit ? -1 : lo == lit ? 0 : 1;
    hi_cmp = hi < lit ? -1 : hi == lit ? 0 : 1;
  }
  switch (c.op) {
  case compare_op::eq:
    return lo_cmp <= 0 && hi_cmp >= 0;
  case compare_op::ne:
    return !(lo_cmp == 0 && hi_cmp == 0) || st.nan_count > 0;
  case compare_op::lt:
    return lo_cmp < 0;
  case compare_op::le:
    return lo_cmp <= 0;
  case compare_op::gt:
    return hi_cmp > 0;
  case compare_op::ge:
    return hi_cmp >= 0;
  }
  return true;
}

namespace detail_where {
/// Appends the comparisons of a column with a literal that `n` is the conjunction of, and the
/// position of the first part that is something else (npos: none).
inline std::size_t conjuncts(const filter_expression::node& n, std::vector<condition>& out) {
  using kind = filter_expression::node::kind;
  if (n.k == kind::logical_and) {
    const std::size_t a = conjuncts(*n.a, out);
    const std::size_t b = conjuncts(*n.b, out);
    return a != std::string::npos ? a : b;
  }
  if (n.k != kind::compare || n.rhs.is_column) return n.pos;
  out.push_back(condition{n.lhs.name, n.op, n.rhs.value});
  return std::string::npos;
}

/// Every column name the expression refers to, in order of appearance.
inline void referenced_columns(const filter_expression::node& n, std::vector<std::string>& out) {
  if (n.k != filter_expression::node::kind::compare) {
    referenced_columns(*n.a, out);
    if (n.b) referenced_columns(*n.b, out);
    return;
  }
  for (const auto* o : {&n.lhs, &n.rhs})
    if (o->is_column && std::find(out.begin(), out.end(), o->name) == out.end())
      out.push_back(o->name);
}
} // namespace detail_where

/// Parses a conjunction of comparisons of a column with a literal, `a > 5 and name = 'x' and
/// "b c" != 2.5`, in the filter-expression language of column/expression.hpp (operators = ==
/// != <> < <= > >=; literals: integers, decimals, 'strings', true, false, null; "quoted" column
/// names). For OR, NOT and column-to-column comparisons use read_options::filter. Errors:
/// parse_error with the position.
[[nodiscard]] inline expected<std::vector<condition>> parse_where(std::string_view text) {
  auto root = tessera::detail::expr_parser(text).parse_all();
  if (!root) return unexpected(std::move(root.error()));
  std::vector<condition> out;
  if (const auto at = detail_where::conjuncts(**root, out); at != std::string::npos)
    return unexpected(tessera::detail::expr_error(
        errc::parse_error,
        "a .tsr condition is a conjunction (AND) of comparisons of a column with a literal", text,
        at));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reader

namespace detail_r {
using namespace tessera::detail::tsr;

/// Copies n bits from (src, soff) to (dst, doff), LSB-first.
inline void copy_bits(const std::uint8_t* src, std::size_t soff, std::uint8_t* dst,
                      std::size_t doff, std::size_t n) noexcept {
  if (soff % 8 == 0 && doff % 8 == 0) {
    std::memcpy(dst + doff / 8, src + soff / 8, n / 8);
    for (std::size_t i = n / 8 * 8; i < n; ++i) {
      const bool b = ((static_cast<unsigned>(src[(soff + i) / 8]) >> ((soff + i) % 8)) & 1u) != 0;
      auto& d = dst[(doff + i) / 8];
      const auto m = static_cast<std::uint8_t>(1u << ((doff + i) % 8));
      d = static_cast<std::uint8_t>(b ? (d | m) : (d & ~m));
    }
    return;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const bool b = ((static_cast<unsigned>(src[(soff + i) / 8]) >> ((soff + i) % 8)) & 1u) != 0;
    auto& d = dst[(doff + i) / 8];
    const auto m = static_cast<std::uint8_t>(1u << ((doff + i) % 8));
    d = static_cast<std::uint8_t>(b ? (d | m) : (d & ~m));
  }
}

/// The validity of the parts laid end to end (empty when no part has a null).
inline buffer joined_validity(const std::vector<column>& parts, std::size_t total,
                              std::size_t nulls) {
  if (nulls == 0) return {};
  bitmap v(total, true);
  std::size_t at = 0;
  for (const auto& p : parts) {
    if (p.null_count() > 0)
      copy_bits(p.validity().bits.data(), p.validity().bits.offset(), v.data(), at, p.size());
    at += p.size();
  }
  return buffer(std::move(v));
}

/// Concatenates columns of one type (fixed, boolean, string, large_string).
inline expected<column> concat(const std::vector<column>& parts, data_type type) {
  if (parts.size() == 1) return parts[0];
  std::size_t total = 0, nulls = 0;
  for (const auto& p : parts) total += p.size(), nulls += p.null_count();
  buffer validity = joined_validity(parts, total, nulls);
  const type_id id = type.id;
  if (id == type_id::boolean) {
    bitmap v(total);
    std::size_t at = 0;
    for (const auto& p : parts) {
      const auto b = p.bool_view().bits;
      copy_bits(b.data(), b.offset(), v.data(), at, p.size());
      at += p.size();
    }
    return column::unchecked(type, total, std::move(validity), buffer(std::move(v)), {}, {}, 0,
                             nulls);
  }
  if (id == type_id::string || id == type_id::large_string) {
    const bool wide = id == type_id::large_string;
    std::uint64_t bytes = 0;
    for (const auto& p : parts) {
      const std::size_t n = p.size();
      if (n == 0) continue;
      bytes += wide ? static_cast<std::uint64_t>(p.string_view<std::int64_t>().offsets[n] -
                                                 p.string_view<std::int64_t>().offsets[0])
                    : static_cast<std::uint64_t>(p.string_view<std::int32_t>().offsets[n] -
                                                 p.string_view<std::int32_t>().offsets[0]);
    }
    if (!wide && bytes > 0x7fffffffu)
      return make_error(errc::overflow, "the string column holds more than 2^31 - 1 bytes; read "
                                        "fewer rows or store it as large_string");
    aligned_buffer<char> data(bytes, tessera::uninitialized);
    tessera::detail::advise_huge_pages(data.data(), data.size());
    const auto fill = [&]<class Offset>(std::type_identity<Offset>) {
      aligned_buffer<Offset> offs(total + 1, tessera::uninitialized);
      tessera::detail::advise_huge_pages(offs.data(), offs.size() * sizeof(Offset));
      offs[0] = 0;
      std::size_t at = 0;
      Offset base = 0;
      for (const auto& p : parts) {
        const auto v = p.string_view<Offset>();
        if (v.size == 0) continue;
        const Offset first = v.offsets[0];
        const auto len = static_cast<std::size_t>(v.offsets[v.size] - first);
        if (len != 0) std::memcpy(data.data() + base, v.bytes + first, len);
        for (std::size_t i = 1; i <= v.size; ++i)
          offs[at + i] = static_cast<Offset>(base + (v.offsets[i] - first));
        at += v.size;
        base = static_cast<Offset>(base + static_cast<Offset>(len));
      }
      return buffer(std::move(offs));
    };
    buffer offs =
        wide ? fill(std::type_identity<std::int64_t>{}) : fill(std::type_identity<std::int32_t>{});
    return column::unchecked(type, total, std::move(validity), std::move(offs),
                             buffer(std::move(data)), {}, 0, nulls);
  }
  const std::size_t w = fixed_width_bytes(id);
  aligned_buffer<std::byte> values(total * w, tessera::uninitialized);
  tessera::detail::advise_huge_pages(values.data(), values.size());
  std::size_t at = 0;
  for (const auto& p : parts) {
    if (p.size() != 0)
      std::memcpy(values.data() + at, p.values_buffer().data() + p.offset() * w, p.size() * w);
    at += p.size() * w;
  }
  return column::unchecked(type, total, std::move(validity), buffer(std::move(values)), {}, {}, 0,
                           nulls);
}

/// The storage of one whole column that every row group's chunk decodes into (see
/// reader::try_read): fixed-width values, or string offsets and bytes. `offsets` already holds
/// the entry at every chunk boundary; a chunk writes the entries between its boundaries.
struct column_storage {
  type_id id = type_id::boolean;
  std::size_t rows = 0;
  std::shared_ptr<aligned_buffer<std::byte>> values; // fixed-width values or string offsets
  std::shared_ptr<aligned_buffer<char>> bytes;       // string bytes
  std::vector<std::size_t> first_row;                // of each chunk, in read order
  std::vector<std::uint64_t> first_byte;             // of each chunk's strings

  [[nodiscard]] bool strings() const noexcept { return is_string_like(id); }
  [[nodiscard]] std::size_t offset_width() const noexcept {
    return id == type_id::large_string ? 8 : 4;
  }
  /// A chunk's share of the storage.
  [[nodiscard]] std::byte* values_at(std::size_t chunk) const noexcept {
    return values->data() + first_row[chunk] * (strings() ? offset_width() : fixed_width_bytes(id));
  }
  [[nodiscard]] char* bytes_at(std::size_t chunk) const noexcept {
    return bytes->data() + first_byte[chunk];
  }
  [[nodiscard]] buffer bytes_buffer() const { return buffer(bytes->data(), bytes->size(), bytes); }

  /// The column made of the decoded chunks, whose values are views of this storage.
  [[nodiscard]] column assemble(const std::vector<column>& parts, data_type type) const {
    std::size_t nulls = 0;
    for (const auto& p : parts) nulls += p.null_count();
    buffer vals(values->data(), values->size(), values);
    return column::unchecked(type, rows, joined_validity(parts, rows, nulls), std::move(vals),
                             strings() ? bytes_buffer() : buffer{}, {}, 0, nulls);
  }
};

/// Whether the chunks `groups` of column `col` can decode into one column_storage: fixed-width
/// values, or strings whose chunks are all plain. (A dictionary chunk's byte count is known to be
/// true only once the chunk is decoded, so no allocation trusts it.)
inline bool placeable(const file_metadata& m, const std::vector<std::size_t>& groups,
                      std::size_t col) {
  const type_id id = m.schema[col].type.id;
  if (id == type_id::boolean) return false;
  if (!is_string_like(id)) return true;
  return std::ranges::all_of(groups, [&](std::size_t g) {
    return m.row_groups[g].columns[col].encoding == chunk_encoding::plain;
  });
}

/// Storage for the column `col` of the chunks `groups` (see placeable), with transparent huge
/// pages asked for. Errors: overflow when the strings exceed 32-bit offsets or memory runs out.
inline expected<column_storage>
make_storage(const file_metadata& m, const std::vector<std::size_t>& groups, std::size_t col) try {
  column_storage s;
  s.id = m.schema[col].type.id == type_id::dictionary ? type_id::string : m.schema[col].type.id;
  std::uint64_t bytes = 0;
  for (const auto g : groups) {
    s.first_row.push_back(s.rows);
    s.first_byte.push_back(bytes);
    s.rows += m.row_groups[g].num_rows; // the footer's rows sum to num_rows
    const std::uint64_t b = m.row_groups[g].columns[col].data_bytes;
    if (b > std::numeric_limits<std::uint64_t>::max() - bytes)
      return make_error(errc::overflow, "the column's string bytes overflow 64 bits");
    bytes += b;
  }
  if (s.rows >= std::uint64_t{1} << 58) // keeps rows * width from overflowing below
    return make_error(errc::overflow, "the column has too many rows to decode");
  if (s.strings()) {
    if (s.id == type_id::string && bytes > 0x7fffffffu)
      return make_error(errc::overflow, "the string column holds more than 2^31 - 1 bytes; read "
                                        "fewer rows or store it as large_string");
    s.values = std::make_shared<aligned_buffer<std::byte>>((s.rows + 1) * s.offset_width(),
                                                           tessera::uninitialized);
    s.bytes = std::make_shared<aligned_buffer<char>>(bytes, tessera::uninitialized);
    tessera::detail::advise_huge_pages(s.bytes->data(), s.bytes->size());
    // The entry at every chunk boundary, so that chunks never write the same entry.
    const auto boundaries = [&]<class Offset>(std::type_identity<Offset>) {
      auto* o = reinterpret_cast<Offset*>(s.values->data());
      for (std::size_t k = 0; k < groups.size(); ++k)
        o[s.first_row[k]] = static_cast<Offset>(s.first_byte[k]);
      o[s.rows] = static_cast<Offset>(bytes);
    };
    if (s.offset_width() == 8)
      boundaries(std::type_identity<std::int64_t>{});
    else
      boundaries(std::type_identity<std::int32_t>{});
  } else {
    s.values = std::make_shared<aligned_buffer<std::byte>>(s.rows * fixed_width_bytes(s.id),
                                                           tessera::uninitialized);
  }
  tessera::detail::advise_huge_pages(s.values->data(), s.values->size());
  return s;
} catch (const std::bad_alloc&) {
  return make_error(errc::overflow, "out of memory for the column");
} catch (const std::length_error&) {
  return make_error(errc::overflow, "the column is too large to decode");
}

inline column to_dictionary(const column& s) {
  dictionary_builder b;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.is_valid(i))
      b.append(s.string_at(i));
    else
      b.append_null();
  }
  return b.finish();
}
} // namespace detail_r

/// Reads .tsr files: open() reads and validates the footer only; reads decode the chunks they
/// need (in parallel), verifying every checksum, offset and length first. Errors name the file,
/// the column and the chunk. A chunk read alone (try_read_chunk, or a read of one row group)
/// that is uncompressed and plain points into the mapping (zero copy) and keeps it alive; a
/// read of several whole row groups decodes each chunk straight into one buffer per column.
/// Thread-safe for concurrent reads.
class reader {
public:
  /// Opens `path` and validates its footer (header, trailer, footer checksum, every offset,
  /// length and count). Errors: io_error, corrupt_data, unsupported (another major version).
  [[nodiscard]] static expected<reader> open(const std::filesystem::path& path,
                                             open_options options = {}) {
    auto f = detail::tsr::file_bytes::open(path, options.use_mmap);
    if (!f) return unexpected(std::move(f.error()));
    return from_file(std::move(*f), path.string(), options);
  }
  /// Reads a file image held in memory (copied once into aligned storage).
  [[nodiscard]] static expected<reader> from_memory(const void* data, std::size_t size,
                                                    std::string name = "<memory>",
                                                    open_options options = {}) {
    return from_file(detail::tsr::file_bytes::copy_of(static_cast<const std::byte*>(data), size),
                     std::move(name), options);
  }

  [[nodiscard]] const file_metadata& metadata() const noexcept { return meta_; }
  [[nodiscard]] const tessera::schema& schema() const noexcept { return meta_.schema; }
  [[nodiscard]] std::uint64_t num_rows() const noexcept { return meta_.num_rows; }
  /// True when the file is memory-mapped (zero-copy reads possible).
  [[nodiscard]] bool mapped() const noexcept { return file_->mapped(); }

  /// Indices of the row groups whose statistics allow a row to satisfy every condition.
  /// Errors: not_found for an unknown column.
  [[nodiscard]] expected<std::vector<std::size_t>>
  try_prune(const std::vector<condition>& where) const {
    std::vector<std::size_t> cols;
    for (const auto& c : where) {
      const auto i = meta_.schema.index_of(c.column);
      if (!i) return unexpected(not_found(c.column));
      cols.push_back(*i);
    }
    std::vector<std::size_t> out;
    for (std::size_t g = 0; g < meta_.row_groups.size(); ++g) {
      const auto& rg = meta_.row_groups[g];
      bool keep = true;
      for (std::size_t k = 0; keep && k < where.size(); ++k)
        keep = may_match(rg.columns[cols[k]], rg.num_rows, where[k]);
      if (keep) out.push_back(g);
    }
    return out;
  }

  /// One column chunk, decoded. Errors: corrupt_data naming the column and chunk.
  [[nodiscard]] expected<column> try_read_chunk(std::size_t row_group, std::size_t col) const {
    return read_chunk(row_group, col, nullptr, 0);
  }
  /// Reads the projected columns of the row groups that may match `options.where`, keeps the
  /// matching rows (filter_rows) and at most options.limit of them. Unread columns cost no I/O.
  [[nodiscard]] expected<table> try_read(const read_options& options = {}) const {
    std::vector<std::size_t> proj;
    if (options.columns.empty()) {
      for (std::size_t i = 0; i < meta_.schema.size(); ++i) proj.push_back(i);
    } else {
      for (const auto& n : options.columns) {
        const auto i = meta_.schema.index_of(n);
        if (!i) return unexpected(not_found(n));
        proj.push_back(*i);
      }
    }
    // The filter's conjuncts prune too; its columns are decoded for the exact evaluation.
    std::vector<condition> prune_by = options.where;
    std::vector<std::string> filter_columns;
    if (options.filter) {
      auto root = tessera::detail::expr_parser(options.filter->text()).parse_all();
      if (!root) return unexpected(std::move(root.error()));
      (void)detail_where::conjuncts(**root, prune_by);
      detail_where::referenced_columns(**root, filter_columns);
    }
    auto groups = try_prune(prune_by);
    if (!groups) return unexpected(std::move(groups.error()));
    // Columns to decode: the projection, then predicate columns not projected.
    std::vector<std::size_t> need = proj;
    const auto position = [&](std::size_t i) {
      auto it = std::find(need.begin(), need.end(), i);
      if (it == need.end()) {
        need.push_back(i);
        it = need.end() - 1;
      }
      return static_cast<std::size_t>(it - need.begin());
    };
    std::vector<std::size_t> pred_pos;   // position in `need` of each condition's column
    std::vector<std::size_t> filter_pos; // ... and of each column the filter names
    if (options.filter_rows) {
      for (const auto& c : options.where)
        pred_pos.push_back(position(*meta_.schema.index_of(c.column)));
      for (const auto& n : filter_columns) {
        const auto i = meta_.schema.index_of(n);
        if (!i) return unexpected(not_found(n));
        filter_pos.push_back(position(*i));
      }
    }
    const bool filtering = options.filter_rows && (!options.where.empty() || options.filter);
    std::vector<std::vector<column>> parts(need.size());
    // Reading whole row groups of several: each chunk decodes straight into its share of the
    // column's storage (bit-valued buffers excepted), instead of into buffers concatenated later.
    std::uint64_t selected = 0;
    for (const auto g : *groups) selected += meta_.row_groups[g].num_rows;
    std::vector<std::optional<detail_r::column_storage>> storage(need.size());
    if (!filtering && groups->size() > 1 && options.limit >= selected) {
      for (std::size_t k = 0; k < need.size(); ++k) {
        if (!detail_r::placeable(meta_, *groups, need[k])) continue;
        auto st = detail_r::make_storage(meta_, *groups, need[k]);
        if (!st) {
          auto e = std::move(st.error());
          e.add_context("column '" + meta_.schema[need[k]].name + "'");
          e.in_file(name_);
          return unexpected(std::move(e));
        }
        storage[k] = std::move(*st);
      }
    }
    std::uint64_t rows = 0;
    // Batches of row groups decoded in parallel: all at once without a limit, else growing.
    std::size_t next = 0;
    std::size_t batch = options.limit == std::numeric_limits<std::uint64_t>::max() ? groups->size()
                                                                                   : std::size_t{1};
    while (next < groups->size() && rows < options.limit) {
      const std::size_t end = std::min(groups->size(), next + batch);
      const std::size_t nrg = end - next;
      std::vector<std::optional<expected<column>>> out(nrg * need.size());
      parallel_for(
          std::size_t{0}, out.size(),
          [&](std::size_t t) {
            const std::size_t k = t % need.size();
            out[t].emplace(read_chunk((*groups)[next + t / need.size()], need[k],
                                      storage[k] ? &*storage[k] : nullptr, next + t / need.size()));
          },
          1);
      for (auto& o : out)
        if (!*o) return unexpected(std::move(o->error()));
      for (std::size_t g = 0; g < nrg && rows < options.limit; ++g) {
        std::vector<column> cols;
        for (std::size_t k = 0; k < need.size(); ++k)
          cols.push_back(std::move(**out[g * need.size() + k]));
        std::size_t n =
            cols.empty() ? meta_.row_groups[(*groups)[next + g]].num_rows : cols[0].size();
        if (filtering) {
          std::optional<bitmap> sel;
          for (std::size_t k = 0; k < options.where.size(); ++k) {
            auto b = try_compare(cols[pred_pos[k]], options.where[k].op, options.where[k].value);
            if (!b) {
              auto e = std::move(b.error());
              e.add_context("predicate on column '" + options.where[k].column + "'");
              return unexpected(std::move(e));
            }
            if (sel)
              *sel &= *b;
            else
              sel = std::move(*b);
          }
          if (options.filter) {
            std::vector<std::pair<std::string, column>> named;
            for (std::size_t k = 0; k < filter_columns.size(); ++k)
              named.emplace_back(filter_columns[k], cols[filter_pos[k]]);
            auto ft = table::from_columns(std::move(named));
            if (!ft) return unexpected(std::move(ft.error()));
            auto b = options.filter->evaluate(*ft);
            if (!b) return unexpected(std::move(b.error()));
            if (sel)
              *sel &= *b;
            else
              sel = std::move(*b);
          }
          for (auto& c : cols) c = filter(c, sel->view());
          n = sel->count();
        }
        const std::uint64_t take = std::min<std::uint64_t>(n, options.limit - rows);
        for (std::size_t k = 0; k < proj.size(); ++k)
          parts[k].push_back(take == n ? std::move(cols[k]) : cols[k].slice(0, take));
        rows += take;
      }
      next = end;
      batch *= 2;
    }
    std::vector<field> fields;
    for (auto i : proj) fields.push_back(meta_.schema[i]);
    std::vector<std::optional<expected<column>>> joined(proj.size());
    parallel_for(
        std::size_t{0}, proj.size(),
        [&](std::size_t k) {
          const data_type t = fields[k].type.id == type_id::dictionary ? data_type(type_id::string)
                                                                       : fields[k].type;
          if (parts[k].empty()) {
            joined[k].emplace(empty_column(t));
          } else if (storage[k]) {
            joined[k].emplace(storage[k]->assemble(parts[k], t));
          } else {
            joined[k].emplace(detail_r::concat(parts[k], t));
          }
          if (*joined[k] && fields[k].type.id == type_id::dictionary)
            *joined[k] = detail_r::to_dictionary(**joined[k]);
        },
        1);
    std::vector<column> cols;
    for (auto& j : joined) {
      if (!*j) return unexpected(std::move(j->error()));
      cols.push_back(std::move(**j));
    }
    return table::make(tessera::schema(std::move(fields), meta_.schema.metadata()),
                       std::move(cols));
  }
  /// Throwing form of try_read.
  [[nodiscard]] table read(const read_options& options = {}) const {
    auto t = try_read(options);
    if (!t) throw_error(std::move(t.error()));
    return std::move(*t);
  }

private:
  reader() = default;

  static expected<reader> from_file(std::shared_ptr<const detail::tsr::file_bytes> f,
                                    std::string name, open_options options) {
    auto m = detail::tsr::parse_file(f->data(), f->size(), options.verify_checksums);
    if (!m) return unexpected(std::move(m.error()).in_file(name));
    reader r;
    r.file_ = std::move(f);
    r.meta_ = std::move(*m);
    r.name_ = std::move(name);
    r.verify_ = options.verify_checksums;
    return r;
  }

  [[nodiscard]] error not_found(std::string_view name) const {
    std::string names;
    for (const auto& f : meta_.schema.fields())
      names += (names.empty() ? "'" : ", '") + f.name + "'";
    location where;
    where.file = name_;
    return error(errc::not_found,
                 "no column named '" + std::string(name) +
                     "' (columns: " + (names.empty() ? "none" : names) + ")",
                 std::move(where));
  }

  static column empty_column(data_type t) {
    switch (t.id) {
    case type_id::boolean:
      return column::unchecked(t, 0, {}, {});
    case type_id::string:
      return column::unchecked(t, 0, {}, buffer(aligned_buffer<std::int32_t>(1, 0)));
    case type_id::large_string:
      return column::unchecked(t, 0, {}, buffer(aligned_buffer<std::int64_t>(1, 0)));
    default:
      return column::unchecked(t, 0, {}, {});
    }
  }

  /// One column chunk, decoded into `into`'s share `chunk` when given (else into its own
  /// buffers). Errors: corrupt_data naming the column and chunk.
  expected<column> read_chunk(std::size_t row_group, std::size_t col,
                              const detail_r::column_storage* into, std::size_t chunk) const {
    TESSERA_ASSERT(row_group < meta_.row_groups.size() && col < meta_.schema.size(),
                   "chunk index out of range");
    expected<column> r = [&]() -> expected<column> {
      try {
        return decode_chunk(row_group, col, into, chunk);
      } catch (const std::bad_alloc&) {
        return make_error(errc::overflow, "out of memory decoding the chunk");
      } catch (const std::length_error&) {
        return make_error(errc::overflow, "chunk too large to decode");
      }
    }();
    if (!r) {
      auto e = std::move(r.error());
      e.add_context(detail::tsr::chunk_context(meta_, row_group, col));
      e.in_file(name_);
      return unexpected(std::move(e));
    }
    return r;
  }

  /// The stream's decoded bytes: a view of the file when stored uncompressed, else decompressed;
  /// written to `into` instead when given (kept alive by `owner`). Verifies the checksum and the
  /// zero padding after the stream.
  expected<buffer> load(const stream_info& s, std::byte* into = nullptr,
                        std::shared_ptr<const void> owner = {}) const {
    const std::byte* p = file_->data() + s.offset;
    const std::string what = std::string(to_string(s.role)) + " stream";
    const auto bad = [&](const std::string& msg) {
      location where;
      where.byte_offset = s.offset;
      where.context = what;
      return make_error(errc::corrupt_data, msg, std::move(where));
    };
    if (verify_ && detail::tsr::checksum(p, s.stored_size) != s.checksum)
      return bad("checksum mismatch");
    const std::uint64_t end = s.offset + s.stored_size;
    for (std::uint64_t i = end; i < detail::tsr::align64(end); ++i)
      if (file_->data()[i] != std::byte{0}) return bad("non-zero padding after the stream");
    if (s.codec == compression::none && into == nullptr)
      return buffer(p, s.stored_size, std::shared_ptr<const void>(file_));
    aligned_buffer<std::byte> own;
    if (into == nullptr) {
      own = aligned_buffer<std::byte>(s.decoded_size, tessera::uninitialized);
      into = own.data();
    }
    if (s.codec == compression::none) {
      if (s.stored_size != 0) std::memcpy(into, p, s.stored_size);
    } else if (auto ok = detail::tsr::zstd_decompress({p, s.stored_size}, into, s.decoded_size);
               !ok) {
      return bad(ok.error().message());
    }
    if (owner) return buffer(into, s.decoded_size, std::move(owner));
    return buffer(std::move(own));
  }

  /// Decodes an integer stream of `count` values of T (plain: zero-copy when possible), into
  /// `into` when given (kept alive by `owner`).
  template <class T>
  expected<buffer> load_integers(const stream_info& s, T* into = nullptr,
                                 std::shared_ptr<const void> owner = {}) const {
    // The footer allows bit-packing on integer streams only.
    if constexpr (!std::is_integral_v<T>) {
      return load(s, reinterpret_cast<std::byte*>(into), std::move(owner));
    } else {
      if (s.encoding == stream_encoding::plain)
        return load(s, reinterpret_cast<std::byte*>(into), std::move(owner));
      auto raw = load(s);
      if (!raw) return raw;
      aligned_buffer<T> own;
      if (into == nullptr) {
        own = aligned_buffer<T>(s.count, tessera::uninitialized);
        into = own.data();
      }
      if (auto ok = detail::tsr::unpack<T>({raw->data(), raw->size()}, s.count,
                                           s.encoding == stream_encoding::delta_bitpack, into);
          !ok) {
        auto e = std::move(ok.error());
        e.add_context(std::string(to_string(s.role)) + " stream");
        return unexpected(std::move(e));
      }
      if (owner) return buffer(into, s.count * sizeof(T), std::move(owner));
      return buffer(std::move(own));
    }
  }

  /// Decodes one chunk into its own buffers, or into its share `chunk` of `into` (then the
  /// column's values are views of that storage).
  expected<column> decode_chunk(std::size_t g, std::size_t col,
                                const detail_r::column_storage* into, std::size_t chunk) const {
    const auto& rg = meta_.row_groups[g];
    const auto& c = rg.columns[col];
    const field& f = meta_.schema[col];
    const std::size_t n = rg.num_rows;
    const type_id id = f.type.id;
    buffer validity;
    std::size_t k = 0;
    if (c.stats.null_count > 0) {
      auto v = load(c.streams[k++]);
      if (!v) return unexpected(std::move(v.error()));
      validity = std::move(*v);
    }
    const stream_info& vs = c.streams[k++];
    expected<column> out = make_error(errc::corrupt_data, "unreachable");
    if (is_string_like(id) && c.encoding == chunk_encoding::dictionary) {
      // Never decoded into column storage (see detail_r::placeable).
      TESSERA_ASSERT(into == nullptr, "a dictionary chunk decoded into column storage");
      auto idx = load_integers<std::int32_t>(vs);
      if (!idx) return unexpected(std::move(idx.error()));
      auto doffs = load_integers<std::int32_t>(c.streams[k]);
      if (!doffs) return unexpected(std::move(doffs.error()));
      auto ddata = load(c.streams[k + 1]);
      if (!ddata) return unexpected(std::move(ddata.error()));
      const std::size_t d = c.streams[k].count - 1;
      auto dict = column::make(type_id::string, d, {}, std::move(*doffs), std::move(*ddata));
      if (!dict) return unexpected(std::move(dict.error()).add_context("dictionary"));
      const auto dv = dict->string_view<std::int32_t>();
      const std::int32_t* ix = idx->as<std::int32_t>().data();
      const bitmap_view vb(reinterpret_cast<const std::uint8_t*>(validity.data()), 0,
                           validity.empty() ? 0 : n);
      std::uint64_t total = 0;
      for (std::size_t i = 0; i < n; ++i) {
        if (!validity.empty() && !vb[i]) continue;
        if (ix[i] < 0 || static_cast<std::size_t>(ix[i]) >= d)
          return make_error(errc::corrupt_data, "dictionary index " + std::to_string(ix[i]) +
                                                    " at row " + std::to_string(i) +
                                                    " outside a dictionary of " +
                                                    std::to_string(d));
        total += dv[static_cast<std::size_t>(ix[i])].size();
      }
      if (total != c.data_bytes)
        return make_error(errc::corrupt_data, "dictionary strings total " + std::to_string(total) +
                                                  " bytes, the footer says " +
                                                  std::to_string(c.data_bytes));
      aligned_buffer<char> bytes(total, tessera::uninitialized);
      const auto build = [&]<class Offset>(std::type_identity<Offset>) {
        aligned_buffer<Offset> offs(n + 1, tessera::uninitialized);
        offs[0] = 0;
        std::size_t at = 0;
        for (std::size_t i = 0; i < n; ++i) {
          if (validity.empty() || vb[i]) {
            const auto sv = dv[static_cast<std::size_t>(ix[i])];
            if (!sv.empty()) std::memcpy(bytes.data() + at, sv.data(), sv.size());
            at += sv.size();
          }
          offs[i + 1] = static_cast<Offset>(at);
        }
        return buffer(std::move(offs));
      };
      const bool wide = id == type_id::large_string;
      buffer offs = wide ? build(std::type_identity<std::int64_t>{})
                         : build(std::type_identity<std::int32_t>{});
      out = column::make(wide ? type_id::large_string : type_id::string, n, std::move(validity),
                         std::move(offs), buffer(std::move(bytes)));
    } else if (is_string_like(id)) {
      const bool wide = id == type_id::large_string;
      auto offs = wide ? load_integers<std::int64_t>(vs) : load_integers<std::int32_t>(vs);
      if (!offs) return unexpected(std::move(offs.error()));
      const bool zero_start =
          wide ? offs->as<std::int64_t>()[0] == 0 : offs->as<std::int32_t>()[0] == 0;
      const bool full_end =
          wide ? static_cast<std::uint64_t>(offs->as<std::int64_t>()[n]) == c.data_bytes
               : static_cast<std::uint64_t>(offs->as<std::int32_t>()[n]) == c.data_bytes;
      if (!zero_start || !full_end)
        return make_error(errc::corrupt_data, "string offsets do not span the data stream");
      auto data = into ? load(c.streams[k], reinterpret_cast<std::byte*>(into->bytes_at(chunk)),
                              into->bytes)
                       : load(c.streams[k]);
      if (!data) return unexpected(std::move(data.error()));
      if (into) {
        // The chunk's offsets, shifted to its first byte, between the boundary entries that
        // the storage holds already; the column views the whole storage.
        const auto place = [&]<class Offset>(std::type_identity<Offset>) {
          const Offset* local = offs->as<Offset>().data();
          auto* o = reinterpret_cast<Offset*>(into->values_at(chunk));
          const std::uint64_t base = into->first_byte[chunk];
          // Modulo 2^64: a hostile offset wraps to one that column::make rejects, never UB.
          for (std::size_t i = 1; i < n; ++i)
            o[i] = static_cast<Offset>(base + static_cast<std::uint64_t>(local[i]));
          return buffer(o, (n + 1) * sizeof(Offset), into->values);
        };
        offs = wide ? place(std::type_identity<std::int64_t>{})
                    : place(std::type_identity<std::int32_t>{});
        data = into->bytes_buffer();
      }
      out = column::make(wide ? type_id::large_string : type_id::string, n, std::move(validity),
                         std::move(*offs), std::move(*data));
    } else if (id == type_id::boolean) {
      auto bits = load(vs);
      if (!bits) return unexpected(std::move(bits.error()));
      out = column::make(f.type, n, std::move(validity), std::move(*bits));
    } else {
      out = visit_physical(id, [&]<class T>(std::type_identity<T>) -> expected<column> {
        if constexpr (column_number<T>) {
          auto vals = into ? load_integers<T>(vs, reinterpret_cast<T*>(into->values_at(chunk)),
                                              into->values)
                           : load_integers<T>(vs);
          if (!vals) return unexpected(std::move(vals.error()));
          return column::make(f.type, n, std::move(validity), std::move(*vals));
        } else {
          return make_error(errc::corrupt_data, "unreachable");
        }
      });
    }
    if (!out) return out;
    if (out->null_count() != c.stats.null_count)
      return make_error(errc::corrupt_data, "validity has " + std::to_string(out->null_count()) +
                                                " nulls, the statistics say " +
                                                std::to_string(c.stats.null_count));
    return out;
  }

  std::shared_ptr<const detail::tsr::file_bytes> file_;
  file_metadata meta_;
  std::string name_;
  bool verify_ = true;
};

/// Reads the metadata (footer) of a .tsr file.
[[nodiscard]] inline expected<file_metadata> try_read_metadata(const std::filesystem::path& path) {
  auto r = reader::open(path);
  if (!r) return unexpected(std::move(r.error()));
  return r->metadata();
}

/// Opens and reads a .tsr file (see reader::try_read).
[[nodiscard]] inline expected<table> try_read_table(const std::filesystem::path& path,
                                                    const read_options& options = {}) {
  auto r = reader::open(path);
  if (!r) return unexpected(std::move(r.error()));
  return r->try_read(options);
}
/// Throwing form of try_read_table.
[[nodiscard]] inline table read_table(const std::filesystem::path& path,
                                      const read_options& options = {}) {
  auto t = try_read_table(path, options);
  if (!t) throw_error(std::move(t.error()));
  return std::move(*t);
}

} // namespace tsr
TESSERA_NAMESPACE_END
