// tessera: a CSV reader into typed columns and an RFC 4180 writer.
//
// Reader: RFC 4180 plus the dialects real files use (delimiter, quote, doubled-quote or
// backslash escapes, LF/CRLF/CR records, preamble/header/footnote lines, comment lines, null
// tokens, trimming), UTF-8 with or without BOM (Latin-1 transcoded on request; UTF-16/32
// rejected with a clear message), dialect sniffing that every option overrides, type inference
// (bool, int64, float64, date32, timestamp; promotion int -> float64 -> string that never loses a
// digit) or an explicit schema, strict or permissive error handling with line and column, a
// policy for ragged rows, and parallel parsing of a memory-mapped file with quoted newlines
// handled by a quote-parity pre-pass verified against the records actually parsed.
//
// Writer: RFC 4180 text that the reader reads back to the same table.
//
// Needs only the standard library (plus POSIX mmap where available).
#pragma once

#include <tessera/column/builder.hpp>
#include <tessera/column/column.hpp>
#include <tessera/column/table.hpp>
#include <tessera/column/types.hpp>
#include <tessera/config.hpp>
#include <tessera/core/aligned_buffer.hpp>
#include <tessera/core/bitmap.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/core/parallel.hpp>
#include <tessera/core/progress.hpp>
#include <tessera/detail/io/atomic_file.hpp>
#include <tessera/detail/io/csv_tokenizer.hpp>
#include <tessera/detail/io/csv_values.hpp>
#include <tessera/detail/io/mapped_file.hpp>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

TESSERA_NAMESPACE_BEGIN
namespace csv {

/// What to do with a malformed record.
enum class error_mode : std::uint8_t {
  strict,     ///< the first malformed record is an error naming its line and column
  permissive, ///< malformed quoting is read as literal text; bad records are skipped and listed
};

/// What to do with a record whose field count differs from the header's (or the first record's).
enum class ragged_rows : std::uint8_t {
  error,           ///< a bad record (an error in strict mode, skipped in permissive mode)
  pad_with_nulls,  ///< short records get nulls; long ones are bad records
  truncate,        ///< long records lose their extra fields; short ones are bad records
  pad_or_truncate, ///< both
};

/// Text encodings of the input.
enum class encoding : std::uint8_t {
  utf8,   ///< UTF-8, with or without a byte-order mark; invalid sequences are errors
  latin1, ///< ISO-8859-1, transcoded to UTF-8
};

/// Reader options. Dialect fields left empty are sniffed from the start of the input.
struct read_options {
  std::optional<char> delimiter; ///< field separator (sniffed: , ; TAB | and others)
  std::optional<char> quote;     ///< '\0' disables quoting (sniffed: " or ')
  std::optional<char> escape;    ///< == quote: doubled quotes; '\\': backslash; '\0': none
  std::optional<std::size_t> header_lines;  ///< header records, joined with ' ' (sniffed: 0 or 1)
  std::size_t preamble_lines = 0;           ///< records skipped before the header
  std::size_t footnote_lines = 0;           ///< records skipped at the end
  char comment = '\0';                      ///< records starting with it are skipped ('\0': none)
  std::vector<std::string> null_values{""}; ///< unquoted fields equal to one of these are null
  bool trim = false;                        ///< drop spaces/tabs around fields (outside quotes)
  bool normalize_line_breaks = false;       ///< CRLF and CR inside quoted fields become LF
  /// A record with more fields than the table first drops surplus empty unquoted fields, the
  /// leftmost first (a doubled delimiter typed by mistake); then the ragged policy applies.
  bool drop_surplus_empty_fields = false;
  bool skip_blank_lines = true;
  error_mode errors = error_mode::strict;
  ragged_rows ragged = ragged_rows::error;
  tessera::csv::encoding input_encoding = tessera::csv::encoding::utf8;
  bool infer_types = true; ///< false: every column is a string column
  /// Rows the types are inferred from (0: all). A later value that does not fit its column's
  /// type makes that column be inferred again from every row, so sampling never loses data.
  std::size_t inference_rows = 65536;
  /// Types by column name (others are inferred). string, large_string and dictionary keep text.
  std::vector<std::pair<std::string, data_type>> column_types;
  /// The full schema: names (used when there is no header) and types, one field per column.
  std::optional<tessera::schema> schema;
  int threads = 0; ///< 0: tessera::num_threads()
  /// Smallest piece of the input one thread tokenizes; inputs under two of them are read by one
  /// thread. A one-pass read converts blocks of at most this size (and 256 KiB). Small values
  /// exercise the parallel split and the blocks on small inputs (tests, fuzzing).
  std::size_t chunk_bytes = std::size_t{1} << 20;
  /// Read input that needs no repair in one pass, a block at a time (faster, less memory; the
  /// same result). false: always tokenize the whole input first, as for input that does.
  bool one_pass = true;
  progress_callback progress; ///< called with (bytes parsed, total bytes)
  std::string file_name;      ///< names the input in messages (set by read_csv)
};

/// The dialect that was used (options merged with what was sniffed).
struct dialect {
  char delimiter = ',';
  char quote = '"';
  char escape = '"';
  std::size_t header_lines = 1;
  bool has_bom = false;
};

/// A record the reader skipped or repaired (permissive mode).
struct diagnostic {
  std::uint64_t line = 0;   ///< 1-based physical line where the record starts
  std::uint64_t column = 0; ///< 1-based field or byte column, 0 if not applicable
  std::uint64_t byte_offset = 0;
  std::string message;
  bool skipped = false; ///< the record was left out of the table (otherwise it was repaired)
};

/// What a read gives.
struct read_result {
  tessera::table table;
  std::vector<diagnostic> diagnostics;
  csv::dialect dialect;
  std::size_t skipped_records = 0;
  bool one_pass = false; ///< read in one pass (see read_options::one_pass), not the general path
};

namespace detail {
using namespace tessera::detail::csv;

inline error make_err(const read_options& o, std::uint64_t line, std::uint64_t column,
                      std::uint64_t offset, std::string message, errc code = errc::parse_error) {
  location where;
  where.file = o.file_name;
  where.line = line;
  where.column = column;
  where.byte_offset = offset;
  return error(code, std::move(message), std::move(where));
}

/// Rejects encodings other than UTF-8 with a message that says what the file is.
inline expected<std::size_t> check_encoding(std::string_view in, const read_options& o) {
  const auto u = [&](std::size_t i) { return static_cast<unsigned char>(in[i]); };
  if (in.size() >= 4 && ((u(0) == 0xff && u(1) == 0xfe && u(2) == 0 && u(3) == 0) ||
                         (u(0) == 0 && u(1) == 0 && u(2) == 0xfe && u(3) == 0xff)))
    return unexpected(make_err(o, 1, 1, 0,
                               "the input is UTF-32 (byte-order mark); tessera reads UTF-8 "
                               "(convert it, e.g. iconv -f UTF-32 -t UTF-8)",
                               errc::unsupported));
  if (in.size() >= 2 && ((u(0) == 0xff && u(1) == 0xfe) || (u(0) == 0xfe && u(1) == 0xff)))
    return unexpected(make_err(o, 1, 1, 0,
                               "the input is UTF-16 (byte-order mark); tessera reads UTF-8 "
                               "(convert it, e.g. iconv -f UTF-16 -t UTF-8)",
                               errc::unsupported));
  if (in.size() >= 3 && u(0) == 0xef && u(1) == 0xbb && u(2) == 0xbf) return std::size_t{3};
  // UTF-16 without a byte-order mark: every other byte of ASCII text is zero.
  const std::size_t probe = std::min<std::size_t>(in.size(), 256);
  std::size_t zeros = 0;
  for (std::size_t i = 0; i < probe; ++i) zeros += in[i] == '\0';
  if (probe >= 16 && zeros * 3 >= probe)
    return unexpected(make_err(o, 1, 1, 0,
                               "the input looks like UTF-16 or UTF-32 (many zero bytes); tessera "
                               "reads UTF-8",
                               errc::unsupported));
  return std::size_t{0};
}

/// Length of the valid UTF-8 sequence at s[i], or 0.
inline std::size_t utf8_sequence(std::string_view s, std::size_t i) noexcept {
  const auto c = static_cast<unsigned char>(s[i]);
  const auto cont = [&](std::size_t k) {
    return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xc0) == 0x80;
  };
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    if (!cont(1) || !cont(2)) return 0;
    const auto c1 = static_cast<unsigned char>(s[i + 1]);
    if (c == 0xe0 && c1 < 0xa0) return 0;
    if (c == 0xed && c1 > 0x9f) return 0;
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    const auto c1 = static_cast<unsigned char>(s[i + 1]);
    if (c == 0xf0 && c1 < 0x90) return 0;
    if (c == 0xf4 && c1 > 0x8f) return 0;
    return 4;
  }
  return 0;
}

/// Offset of the first invalid UTF-8 byte, or npos.
inline std::size_t find_invalid_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size()) {
    // ASCII runs 8 bytes at a time.
    while (i + 8 <= s.size()) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= s.size()) break;
    const std::size_t n = utf8_sequence(s, i);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

/// Appends `s` with every invalid UTF-8 byte replaced by U+FFFD.
inline void append_replacing_invalid_utf8(std::string& out, std::string_view s) {
  std::size_t k = 0;
  while (k < s.size()) {
    const std::size_t len = utf8_sequence(s, k);
    if (len == 0) {
      out += "\xef\xbf\xbd";
      ++k;
    } else {
      out.append(s.substr(k, len));
      k += len;
    }
  }
}

inline std::string latin1_to_utf8(std::string_view in) {
  std::string out;
  out.reserve(in.size() + in.size() / 8);
  for (const char ch : in) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out += ch;
    } else {
      out += static_cast<char>(0xc0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3f));
    }
  }
  return out;
}

/// Counts fields of the first records of `sample` under a candidate dialect.
inline std::vector<std::size_t> sample_widths(std::string_view sample, char delim, char quote) {
  token_dialect d;
  d.delimiter = delim;
  d.quote = quote;
  d.escape = quote;
  token_chunk chunk;
  tokenizer(sample.data(), sample.size(), d).run(0, sample.size(), chunk);
  std::vector<std::size_t> widths;
  for (const auto& r : chunk.records) widths.push_back(r.field_count);
  // The last record may have been cut by the sample's end.
  if (widths.size() > 1) widths.pop_back();
  return widths;
}
} // namespace detail

/// Sniffs the dialect from the start of `text` (up to 64 KiB): the delimiter whose per-record
/// field count is most consistent and greater than one, the quote character, and whether the
/// first record is a header (it is when some column is numeric below it but not in it, or when
/// every field of it is non-numeric text and distinct). Fields set in `o` are kept as given.
[[nodiscard]] inline dialect sniff(std::string_view text, const read_options& o = {}) {
  using namespace tessera::detail::csv;
  dialect out;
  const std::string_view sample = text.substr(0, std::min<std::size_t>(text.size(), 1 << 16));
  // Quote: the candidate that opens more fields.
  if (o.quote) {
    out.quote = *o.quote;
  } else {
    std::size_t dq = 0, sq = 0;
    for (std::size_t i = 0; i < sample.size(); ++i) {
      const bool field_start = i == 0 || sample[i - 1] == ',' || sample[i - 1] == ';' ||
                               sample[i - 1] == '\t' || sample[i - 1] == '|' ||
                               sample[i - 1] == '\n' || sample[i - 1] == ' ';
      if (!field_start) continue;
      dq += sample[i] == '"';
      sq += sample[i] == '\'';
    }
    out.quote = sq > dq ? '\'' : '"';
  }
  out.escape = o.escape.value_or(out.quote);
  if (o.delimiter) {
    out.delimiter = *o.delimiter;
  } else {
    double best = -1;
    for (const char c : {',', ';', '\t', '|', ':', ' '}) {
      const auto widths = detail::sample_widths(sample, c, out.quote);
      if (widths.empty()) continue;
      // Score: share of records with the most common width, times log of that width.
      std::vector<std::size_t> sorted = widths;
      std::sort(sorted.begin(), sorted.end());
      std::size_t mode = sorted[0], mode_count = 0;
      for (std::size_t i = 0; i < sorted.size();) {
        std::size_t j = i;
        while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
        if (j - i > mode_count) {
          mode_count = j - i;
          mode = sorted[i];
        }
        i = j;
      }
      if (mode < 2) continue;
      const double score = static_cast<double>(mode_count) / static_cast<double>(widths.size()) *
                           std::log2(static_cast<double>(mode)) *
                           (c == ' ' || c == ':' ? 0.5 : 1.0) *
                           (o.schema && mode == o.schema->size() ? 2.0 : 1.0);
      if (score > best) {
        best = score;
        out.delimiter = c;
      }
    }
  }
  if (o.header_lines) {
    out.header_lines = *o.header_lines;
  } else {
    token_dialect d;
    d.delimiter = out.delimiter;
    d.quote = out.quote;
    d.escape = out.escape;
    token_chunk chunk;
    tokenizer(sample.data(), sample.size(), d).run(o.preamble_lines, sample.size(), chunk);
    const std::size_t first = std::min(o.preamble_lines, chunk.records.size());
    out.header_lines = 1;
    if (chunk.records.size() > first + 1) {
      const auto field_text = [&](std::size_t r, std::size_t f) {
        const auto& rec = chunk.records[r];
        if (f >= rec.field_count) return std::string_view();
        const auto& fr = chunk.fields[rec.first_field + f];
        return sample.substr(fr.begin, fr.size);
      };
      const auto numeric = [](std::string_view s) {
        double v;
        std::int64_t i;
        bool fits;
        std::int32_t days;
        std::int64_t ns;
        int digits;
        return parse_double(s, v) || parse_int(s, i, fits) || parse_date(s, days) ||
               parse_timestamp(s, ns, digits);
      };
      const std::size_t width = chunk.records[first].field_count;
      bool header_like = false, any_numeric_header = false;
      for (std::size_t f = 0; f < width; ++f) {
        const std::string_view h = field_text(first, f);
        if (numeric(h) || h.empty()) any_numeric_header = true;
        std::size_t below = 0, rows = 0;
        for (std::size_t r = first + 1; r < chunk.records.size() && rows < 50; ++r, ++rows)
          below += numeric(field_text(r, f));
        if (rows > 0 && below == rows && !numeric(h) && !h.empty()) header_like = true;
      }
      if (!header_like && any_numeric_header) out.header_lines = 0;
    }
  }
  return out;
}

namespace detail {

/// One record of the input, wherever its chunk is.
struct row_view {
  const field_ref* fields = nullptr;
  std::uint32_t count = 0;
  std::uint32_t flags = 0;
  std::uint64_t line = 0; ///< 1-based
  std::uint64_t byte_offset = 0;
};

/// Per-column inference state.
struct inference {
  std::uint8_t mask = kind_all;
  bool any = false;    ///< a non-null value was seen
  int frac_digits = 0; ///< most fraction digits of a timestamp
  void merge(const inference& o) {
    mask &= o.mask;
    any |= o.any;
    frac_digits = std::max(frac_digits, o.frac_digits);
  }
};

/// The kinds an integer that fits int64 can be read as: float64 too when a double holds it
/// exactly.
inline std::uint8_t integer_kinds(std::int64_t v) noexcept {
  const bool exact = v >= -(std::int64_t{1} << 53) && v <= (std::int64_t{1} << 53);
  return static_cast<std::uint8_t>(kind_int | (exact ? kind_double : 0));
}

inline std::uint8_t classify(std::string_view s, int& frac_digits) noexcept {
  if (s.empty()) return 0;
  const char c = s[0];
  if (c == 't' || c == 'T' || c == 'f' || c == 'F') {
    bool b;
    return parse_bool(s, b) ? kind_bool : 0;
  }
  if (!(is_digit(c) || c == '-' || c == '+' || c == '.')) return 0;
  std::size_t digits = 0;
  int exponent = 0;
  const int syntax = number_syntax(s, digits, exponent);
  if (syntax == 1) {
    // 15 digits always fit int64 and are exact in a double; longer ones are checked.
    if (digits <= 15) return kind_int | kind_double;
    std::int64_t i = 0; // set when fits (g++ 12 at -O3 cannot tell)
    bool fits = false;
    parse_int(s, i, fits);
    return fits ? integer_kinds(i) : 0;
  }
  if (syntax == 2) {
    if (exponent > -290 && exponent < 290 && digits < 300) return kind_double;
    double d;
    return parse_double(s, d) ? kind_double : 0;
  }
  std::int32_t days;
  if (s.size() == 10 && parse_date(s, days)) return kind_date | kind_timestamp;
  std::int64_t ns;
  int fd = 0;
  if (parse_timestamp(s, ns, fd)) {
    frac_digits = std::max(frac_digits, fd);
    return kind_timestamp;
  }
  return 0;
}

inline data_type decide(const inference& inf) {
  if (!inf.any) return type_id::string;
  if (inf.mask & kind_bool) return type_id::boolean;
  if (inf.mask & kind_int) return type_id::int64;
  if (inf.mask & kind_double) return type_id::float64;
  if (inf.mask & kind_date) return type_id::date32;
  if (inf.mask & kind_timestamp) {
    const int d = inf.frac_digits;
    return timestamp_type(d == 0   ? time_unit::second
                          : d <= 3 ? time_unit::millisecond
                          : d <= 6 ? time_unit::microsecond
                                   : time_unit::nanosecond);
  }
  return type_id::string;
}

/// A failed conversion: row index in the accepted rows, and column.
struct conversion_failure {
  std::size_t row = 0;
  std::size_t column = 0;
  std::string message;
};

struct reader {
  std::string_view text;  // after the BOM
  std::uint64_t base = 0; // bytes before `text` (the BOM)
  read_options opt;
  token_dialect td;
  std::vector<token_chunk> chunks;
  std::vector<std::uint64_t> chunk_line_base;
  std::vector<row_view> all;
  std::vector<diagnostic> diags;
  std::size_t skipped = 0;

  std::size_t longest_null = 0; ///< the longest of opt.null_values (set with opt)

  [[nodiscard]] bool is_null(const field_ref& f) const noexcept {
    if ((f.flags & field_quoted) || f.size > longest_null) return false;
    const std::string_view s = text.substr(static_cast<std::size_t>(f.begin), f.size);
    for (const auto& n : opt.null_values)
      if (s == n) return true;
    return false;
  }
  /// Fields that start before it have parse_padding bytes of input after their start.
  [[nodiscard]] std::size_t padded_end() const noexcept {
    return text.size() >= parse_padding ? text.size() - parse_padding + 1 : 0;
  }
  [[nodiscard]] std::string_view raw(const field_ref& f) const noexcept {
    return text.substr(static_cast<std::size_t>(f.begin), f.size);
  }
  /// The field's text with escapes resolved (scratch holds it when needed).
  std::string_view value(const field_ref& f, std::string& scratch) const {
    const std::string_view s = raw(f);
    if (!(f.flags & field_escaped)) return s;
    unescape(s, td, scratch);
    return scratch;
  }

  std::optional<progress_reporter> progress; ///< over text.size() bytes (set with text)
  std::atomic<std::uint64_t> streamed{0};    ///< bytes the one-pass read reported done
  std::atomic<std::uint64_t> tokenized{0};   ///< bytes tokenize() has parsed

  /// Reports bytes parsed by the one-pass read.
  void stream_progress(std::uint64_t bytes) {
    streamed.fetch_add(bytes, std::memory_order_relaxed);
    progress->advance(bytes);
  }
  /// Reports bytes parsed by tokenize(): only what goes past what a one-pass read that handed
  /// over already reported, so the progress follows the general path from there.
  void tokenize_progress(std::uint64_t bytes) {
    const std::uint64_t before = tokenized.fetch_add(bytes, std::memory_order_relaxed);
    const std::uint64_t shown = streamed.load(std::memory_order_relaxed);
    const std::uint64_t after = before + bytes;
    if (after > shown) progress->advance(after - std::max(before, shown));
  }

  /// Where each of the pieces of text[begin, n) that threads tokenize starts (the last entry
  /// is n). Several pieces only when `threads` > 1, the dialect allows splitting and the range
  /// is large: each split point moves to the first record boundary outside quotes (by quote
  /// parity), which the caller verifies against the records actually parsed. With several
  /// pieces and `lines` given, lines[k] is the number of line feeds outside quotes in piece k,
  /// plus one for a last piece that does not end in one: its records when no record ends in a
  /// lone CR and no line is blank (the caller verifies).
  [[nodiscard]] std::vector<std::size_t>
  chunk_starts(std::size_t begin, int threads, std::vector<std::size_t>* lines = nullptr) const {
    const std::size_t n = text.size(), size = n - begin;
    const bool splittable = td.escape == td.quote || td.escape == '\0' || td.quote == '\0';
    const std::size_t min_chunk = std::max<std::size_t>(opt.chunk_bytes, 1);
    std::size_t nchunks = 1;
    if (threads > 1 && splittable && td.comment == '\0' && size >= 2 * min_chunk)
      nchunks = std::min<std::size_t>(static_cast<std::size_t>(threads) * 4, size / min_chunk);
    std::vector<std::size_t> starts(nchunks + 1, begin);
    starts[nchunks] = n;
    if (nchunks == 1) return starts;
    // Quote parity (and line feeds) of each byte range, in parallel, then the first record
    // boundary after each split point outside quotes.
    std::vector<std::size_t> split(nchunks + 1);
    for (std::size_t k = 0; k <= nchunks; ++k) split[k] = begin + size / nchunks * k;
    split[nchunks] = n;
    std::vector<line_counts> counts(nchunks);
    const char q = td.quote;
    tessera::parallel_for_chunks(
        std::size_t{0}, nchunks,
        [&](std::size_t b, std::size_t e) {
          for (std::size_t k = b; k < e; ++k) {
            const char* p = text.data() + split[k];
            const std::size_t len = split[k + 1] - split[k];
            if (lines)
              counts[k] = count_lines(p, len, q);
            else if (q != '\0')
              counts[k].quotes = count_byte(p, len, q);
          }
        },
        1);
    // in_quote and lines_before: at split[k] while walking; at_start: line feeds outside quotes
    // before each start.
    bool in_quote = false;
    std::size_t lines_before = 0;
    std::vector<std::size_t> at_start(nchunks + 1, 0);
    for (std::size_t k = 1; k < nchunks; ++k) {
      const line_counts& before = counts[k - 1];
      lines_before += in_quote ? before.lines - before.lines_outside : before.lines_outside;
      in_quote ^= (before.quotes & 1) != 0;
      bool iq = in_quote;
      std::size_t p = split[k];
      while (p < n) {
        const char c = text[p];
        if (c == q && q != '\0')
          iq = !iq;
        else if (!iq && (c == '\n' || c == '\r'))
          break;
        ++p;
      }
      // No line feed outside quotes between split[k] and p; the line break at p has one or none.
      starts[k] = p < n ? tokenizer(text.data(), n, td).after_newline(p) : n;
      at_start[k] = lines_before + count_byte(text.data() + p, starts[k] - p, '\n');
      if (starts[k] < starts[k - 1]) {
        starts[k] = starts[k - 1];
        at_start[k] = at_start[k - 1];
      }
    }
    if (lines) {
      const line_counts& c = counts[nchunks - 1];
      at_start[nchunks] = lines_before + (in_quote ? c.lines - c.lines_outside : c.lines_outside);
      lines->assign(nchunks, 0);
      for (std::size_t k = 0; k < nchunks; ++k) (*lines)[k] = at_start[k + 1] - at_start[k];
      if (n > starts[nchunks - 1] && text[n - 1] != '\n') ++lines->back();
    }
    return starts;
  }

  /// Appends the records of a chunk whose lines start at line_base (0-based) to `out`.
  void append_rows(const token_chunk& c, std::uint64_t line_base,
                   std::vector<row_view>& out) const {
    for (const auto& r : c.records) {
      row_view v;
      v.fields = c.fields.data() + r.first_field;
      v.count = r.field_count;
      v.flags = r.flags;
      v.line = line_base + r.line + 1;
      v.byte_offset = base + r.byte_offset;
      out.push_back(v);
    }
  }

  // -------------------------------------------------------------------------------------------
  expected<void> tokenize(int threads) {
    const std::size_t n = text.size();
    const std::vector<std::size_t> starts = chunk_starts(0, threads);
    const std::size_t nchunks = starts.size() - 1;
    chunks.assign(nchunks, token_chunk{});
    const tokenizer tok(text.data(), n, td);
    tessera::parallel_for_chunks(
        std::size_t{0}, nchunks,
        [&](std::size_t b, std::size_t e) {
          for (std::size_t k = b; k < e; ++k) {
            auto& fields = chunks[k].fields;
            fields.reserve((starts[k + 1] - starts[k]) / 8 + 16);
            tessera::detail::advise_huge_pages(fields.data(),
                                               fields.capacity() * sizeof(field_ref));
            tok.run(starts[k], starts[k + 1], chunks[k]);
            tokenize_progress(starts[k + 1] - starts[k]);
          }
        },
        1);
    // Verify: each chunk must end exactly where the next one starts; from the first chunk that
    // does not, parse the rest sequentially (quoting the parity pass could not see through).
    for (std::size_t k = 0; k < nchunks; ++k) {
      if (chunks[k].failed) break;
      if (k + 1 < nchunks && chunks[k].end != starts[k + 1]) {
        token_chunk rest;
        tok.run(chunks[k].end, n, rest);
        chunks.resize(k + 2);
        chunks[k + 1] = std::move(rest);
        break;
      }
    }
    progress->finish();
    // Line numbers: each chunk's base is the lines consumed before it.
    chunk_line_base.assign(chunks.size(), 0);
    for (std::size_t k = 1; k < chunks.size(); ++k)
      chunk_line_base[k] = chunk_line_base[k - 1] + chunks[k - 1].lines;
    std::size_t total = 0;
    for (const auto& c : chunks) total += c.records.size();
    all.reserve(total);
    tessera::detail::advise_huge_pages(all.data(), all.capacity() * sizeof(row_view));
    for (std::size_t k = 0; k < chunks.size(); ++k) {
      auto& c = chunks[k];
      for (const auto& rep : c.repairs) {
        diagnostic d;
        d.line = chunk_line_base[k] + rep.line + 1;
        d.column = rep.column;
        d.byte_offset = base + rep.byte_offset;
        d.message = rep.message + "; read the field as unquoted text";
        diags.push_back(std::move(d));
      }
      append_rows(c, chunk_line_base[k], all);
      if (c.failed)
        return unexpected(make_err(opt, chunk_line_base[k] + c.problem.line + 1, c.problem.column,
                                   base + c.problem.byte_offset, c.problem.message));
    }
    return {};
  }
};

// Converters from text to one column type: return false when the text does not fit.
inline bool to_value(std::string_view s, bool& out) {
  return parse_bool(s, out);
}
template <class T>
requires std::is_integral_v<T>
bool to_value(std::string_view s, T& out) {
  std::int64_t v;
  bool fits = false;
  if (!parse_int(s, v, fits) || !fits) {
    if constexpr (std::is_same_v<T, std::uint64_t>) {
      if (!s.empty() && s[0] != '-' && s[0] != '+') {
        const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
        return r.ec == std::errc() && r.ptr == s.data() + s.size();
      }
    }
    return false;
  }
  if (!std::in_range<T>(v)) return false;
  out = static_cast<T>(v);
  return true;
}
/// A float64 value: decimal syntax only (no "inf"/"nan" words, no leading zeros), and an
/// integer literal only when a double holds it exactly (|v| <= 2^53), so nothing is rounded.
inline bool to_value(std::string_view s, double& out) {
  if (parse_short_decimal(s, out)) return true;
  if (s.empty()) return false;
  const char* b = s.data();
  const char* e = b + s.size();
  if (*b == '+') ++b;
  const char* first = *b == '-' ? b + 1 : b;
  if (first == e || !(is_digit(*first) || *first == '.')) return false;
  if (*first == '0' && first + 1 < e && is_digit(first[1])) return false;
  const auto r = std::from_chars(b, e, out);
  if (r.ec != std::errc() || r.ptr != e) return false;
  if (e - first > 15 && std::memchr(first, '.', static_cast<std::size_t>(e - first)) == nullptr &&
      std::memchr(first, 'e', static_cast<std::size_t>(e - first)) == nullptr &&
      std::memchr(first, 'E', static_cast<std::size_t>(e - first)) == nullptr)
    return std::abs(out) <= 9007199254740992.0 && std::fabs(out) == std::fabs(std::trunc(out)) &&
           [&] {
             std::int64_t v;
             bool fits = false;
             return parse_int(s, v, fits) && fits && static_cast<double>(v) == out &&
                    v >= -(std::int64_t{1} << 53) && v <= (std::int64_t{1} << 53);
           }();
  return true;
}
inline bool to_value(std::string_view s, float& out) {
  double d;
  if (!parse_double(s, d) || std::abs(d) > static_cast<double>(std::numeric_limits<float>::max()))
    return false;
  out = static_cast<float>(d);
  return true;
}

inline std::int64_t ticks_per_second(time_unit u) noexcept {
  switch (u) {
  case time_unit::second:
    return 1;
  case time_unit::millisecond:
    return 1000;
  case time_unit::microsecond:
    return 1000000;
  case time_unit::nanosecond:
    return 1000000000;
  }
  return 1;
}

/// A date (midnight) or a timestamp as ticks of 1 / (1e9 / divisor) seconds; false when it is
/// malformed, out of range, or has digits finer than the unit (they would be lost).
inline bool to_ticks(std::string_view s, std::int64_t divisor, std::int64_t& v) {
  std::int64_t ns;
  int digits;
  std::int32_t days;
  if (s.size() == 10 && parse_date(s, days)) {
    if (days < -106751 || days > 106750) return false;
    ns = std::int64_t{days} * 86400 * 1000000000;
  } else if (!parse_timestamp(s, ns, digits)) {
    return false;
  }
  if (ns % divisor != 0) return false;
  v = ns / divisor;
  return true;
}

} // namespace detail

/// Reads CSV text (the whole input in memory). See read_options. Errors: parse_error with the
/// line and column of the first bad record (strict mode), unsupported for non-UTF-8 input,
/// invalid_argument for inconsistent options.
[[nodiscard]] inline expected<read_result> try_parse(std::string_view input,
                                                     const read_options& options = {});

/// Reads the CSV file at `path` (memory-mapped). Errors as try_parse, plus io_error.
[[nodiscard]] inline expected<read_result> try_read(const std::filesystem::path& path,
                                                    read_options options = {}) {
  options.file_name = path.string();
  auto file = tessera::detail::mapped_file::open(path);
  if (!file) return unexpected(std::move(file).error());
  return try_parse(file->view(), options);
}

/// Throwing conveniences.
[[nodiscard]] inline read_result parse(std::string_view input, const read_options& options = {}) {
  return try_parse(input, options).value();
}
[[nodiscard]] inline read_result read(const std::filesystem::path& path,
                                      const read_options& options = {}) {
  return try_read(path, options).value();
}

namespace detail {

/// Rows that are null in a column, per part (indices relative to the part's first row, given by
/// `part_rows`, increasing): the validity bitmap of all n rows, or none when nothing is null.
inline buffer validity_of(const std::vector<std::vector<std::size_t>>& nulls,
                          std::span<const std::size_t> part_rows, std::size_t n,
                          std::size_t& null_count) {
  null_count = 0;
  for (const auto& v : nulls) null_count += v.size();
  if (null_count == 0) return {};
  bitmap bits(n, true);
  for (std::size_t p = 0; p < nulls.size(); ++p)
    for (const std::size_t i : nulls[p]) bits.reset(part_rows[p] + i);
  return buffer(std::move(bits));
}

/// The text of a string column for a range of rows: bytes, and the end of each row's bytes.
struct string_part {
  aligned_buffer<char> bytes; ///< becomes the column's bytes when there is one part
  std::vector<std::uint64_t> ends;
  std::vector<diagnostic> bad_utf8; ///< invalid UTF-8 replaced by U+FFFD (permissive)
};

/// Appends s to b, doubling b's capacity when it is full.
inline void append_bytes(aligned_buffer<char>& b, std::string_view s) {
  const std::size_t at = b.size();
  if (s.size() > b.capacity() - at) b.reserve(std::max(2 * b.capacity(), at + s.size()));
  b.resize(at + s.size(), tessera::uninitialized);
  if (!s.empty()) std::memcpy(b.data() + at, s.data(), s.size());
}

/// Appends rows [b, e) of column col to `out`; nulls (and failures: invalid UTF-8 when
/// strict_utf8) are appended by row index + row_base.
inline void append_strings(const reader& rd, std::span<const row_view> rows, std::size_t b,
                           std::size_t e, std::size_t col, std::size_t row_base, string_part& out,
                           std::vector<std::size_t>& nulls, std::vector<conversion_failure>& fails,
                           bool strict_utf8, std::string& scratch) {
  for (std::size_t i = b; i < e; ++i) {
    const field_ref* f = col < rows[i].count ? &rows[i].fields[col] : nullptr;
    if (!f || rd.is_null(*f)) {
      nulls.push_back(row_base + i);
    } else {
      const std::string_view s = rd.value(*f, scratch);
      const std::size_t bad = find_invalid_utf8(s);
      if (bad == std::string_view::npos) {
        append_bytes(out.bytes, s);
      } else {
        diagnostic d;
        d.line = rows[i].line;
        d.column = col + 1;
        d.byte_offset = f->begin + rd.base + bad;
        d.message = "invalid UTF-8 in field " + std::to_string(col + 1) +
                    " (is the file Latin-1? read it with encoding latin1)";
        if (strict_utf8) {
          fails.push_back({row_base + i, col, d.message});
        } else {
          d.message += "; invalid bytes replaced by U+FFFD";
          out.bad_utf8.push_back(std::move(d));
        }
        std::string replaced;
        append_replacing_invalid_utf8(replaced, s);
        append_bytes(out.bytes, replaced);
      }
    }
    out.ends.push_back(out.bytes.size());
  }
}

/// The string column (string or large_string as the size needs; dictionary when asked) of n
/// rows made of `parts` in order, with nulls as validity_of takes them.
inline column join_strings(std::vector<string_part>& parts,
                           const std::vector<std::vector<std::size_t>>& nulls,
                           std::span<const std::size_t> part_rows, std::size_t n,
                           const data_type& type) {
  std::size_t total = 0;
  for (const auto& p : parts) total += p.bytes.size();
  std::size_t null_count = 0;
  buffer validity = validity_of(nulls, part_rows, n, null_count);
  const auto offsets_of = [&]<class O>(std::type_identity<O>) {
    aligned_buffer<O> offsets(n + 1, tessera::uninitialized);
    offsets[0] = 0;
    std::size_t row = 0, base_bytes = 0;
    for (const auto& p : parts) {
      for (const std::uint64_t e : p.ends) offsets[++row] = static_cast<O>(base_bytes + e);
      base_bytes += p.bytes.size();
    }
    return buffer(std::move(offsets));
  };
  const bool large = type.id == type_id::large_string ||
                     total > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max());
  buffer offsets = large ? offsets_of(std::type_identity<std::int64_t>{})
                         : offsets_of(std::type_identity<std::int32_t>{});
  aligned_buffer<char> bytes;
  if (parts.size() == 1) {
    bytes = std::move(parts[0].bytes);
  } else {
    bytes = aligned_buffer<char>(total, tessera::uninitialized);
    std::size_t at = 0;
    for (const auto& p : parts) {
      if (!p.bytes.empty()) std::memcpy(bytes.data() + at, p.bytes.data(), p.bytes.size());
      at += p.bytes.size();
    }
  }
  column c =
      column::unchecked(large ? type_id::large_string : type_id::string, n, std::move(validity),
                        std::move(offsets), buffer(std::move(bytes)), {}, 0, null_count);
  if (type.id == type_id::dictionary) {
    dictionary_builder b;
    for (std::size_t i = 0; i < n; ++i) c.is_valid(i) ? b.append(c.string_at(i)) : b.append_null();
    return b.finish();
  }
  return c;
}

/// Converts the accepted rows into one string-like column (string, large_string, dictionary)
/// of type `type`. Invalid UTF-8 is a failure when strict_utf8, else replaced (a diagnostic).
inline column convert_strings(const reader& rd, std::span<const row_view> rows, std::size_t col,
                              data_type type, std::vector<conversion_failure>& failures,
                              std::vector<diagnostic>& diags, bool strict_utf8) {
  const std::size_t n = rows.size();
  const std::size_t nparts =
      n < 65536 ? 1 : std::min<std::size_t>(static_cast<std::size_t>(num_threads()) * 4, n / 16384);
  std::vector<std::size_t> part_begin(nparts + 1);
  for (std::size_t p = 0; p <= nparts; ++p) part_begin[p] = n / nparts * p;
  part_begin[nparts] = n;
  std::vector<std::vector<std::size_t>> nulls(nparts);
  std::vector<std::vector<conversion_failure>> fails(nparts);
  // Strings: each part builds its bytes and offsets; then they are joined.
  std::vector<string_part> parts(nparts);
  tessera::parallel_for_chunks(
      std::size_t{0}, nparts,
      [&](std::size_t pb, std::size_t pe) {
        std::string scratch;
        for (std::size_t p = pb; p < pe; ++p) {
          parts[p].ends.reserve(part_begin[p + 1] - part_begin[p]);
          append_strings(rd, rows, part_begin[p], part_begin[p + 1], col, 0, parts[p], nulls[p],
                         fails[p], strict_utf8, scratch);
        }
      },
      1);
  for (auto& p : parts) diags.insert(diags.end(), p.bad_utf8.begin(), p.bad_utf8.end());
  for (auto& f : fails) failures.insert(failures.end(), f.begin(), f.end());
  return join_strings(parts, nulls, std::vector<std::size_t>(nparts, 0), n, type);
}

/// How a fixed-width column is converted (see fixed_sinks).
struct fixed_sink;
/// Converts rows [b, e) of one column into values[b, e): nulls and failures are appended with
/// row index + row_base.
using fixed_block_fn = void (*)(const reader&, std::span<const row_view>, std::size_t, std::size_t,
                                const fixed_sink&, std::uint8_t*, std::size_t,
                                std::vector<std::size_t>&, std::vector<conversion_failure>&,
                                std::string&);
struct fixed_sink {
  std::size_t col = 0;
  data_type type;
  fixed_block_fn convert = nullptr;
  std::int64_t param = 0; ///< timestamps: nanoseconds per tick
  std::size_t width = 0;  ///< bytes per value
};

/// to_value out of line: the rare texts convert_number does not read itself.
template <class T>
[[gnu::noinline]] bool to_value_slow(std::string_view s, T& v) {
  return to_value(s, v);
}

/// The text-to-value conversions of convert_block: (text, value, the sink's param, whether the
/// text has parse_padding readable bytes). The common short numbers of a field in the input are
/// read inline by word loads; anything else calls to_value.
template <class T>
[[gnu::always_inline]] inline bool convert_number(std::string_view s, T& v, std::int64_t,
                                                  bool padded) {
  if constexpr (std::is_integral_v<T>) {
    std::int64_t x;
    bool fits = false;
    if (padded && parse_int_padded(s, x, fits) && fits && std::in_range<T>(x)) {
      v = static_cast<T>(x);
      return true;
    }
  } else if constexpr (std::is_same_v<T, double>) {
    if (padded && parse_short_decimal_padded(s, v)) return true;
  }
  return to_value_slow(s, v);
}
inline bool convert_bool(std::string_view s, std::uint8_t& v, std::int64_t, bool) {
  bool b = false;
  if (!parse_bool(s, b)) return false;
  v = b ? 1 : 0;
  return true;
}
inline bool convert_date(std::string_view s, std::int32_t& v, std::int64_t, bool) {
  return parse_date(s, v);
}
inline bool convert_ticks(std::string_view s, std::int64_t& v, std::int64_t divisor, bool) {
  return to_ticks(s, divisor, v);
}

/// The loop of one column type over a block of rows, with Convert inlined (a fixed_block_fn).
template <class T, bool (*Convert)(std::string_view, T&, std::int64_t, bool)>
void convert_block(const reader& rd, std::span<const row_view> rows, std::size_t b, std::size_t e,
                   const fixed_sink& sk, std::uint8_t* const values, std::size_t row_base,
                   std::vector<std::size_t>& nulls, std::vector<conversion_failure>& fails,
                   std::string& scratch) {
  // Loop invariants in locals: the stores of values below are byte copies, which the compiler
  // must otherwise assume may change any of them.
  const std::size_t col = sk.col;
  const std::int64_t param = sk.param;
  const char* const input = rd.text.data();
  const std::size_t longest_null = rd.longest_null;
  const std::size_t padded_end = rd.padded_end();
  for (std::size_t i = b; i < e; ++i) {
    const row_view& r = rows[i];
    T v{};
    const field_ref* f = col < r.count ? &r.fields[col] : nullptr;
    if (f == nullptr || (!(f->flags & field_quoted) && f->size <= longest_null && rd.is_null(*f))) {
      nulls.push_back(row_base + i);
    } else {
      // The tokenizer's fields lie within the input: no bounds check needed here.
      const bool escaped = (f->flags & field_escaped) != 0;
      const std::string_view text =
          escaped ? rd.value(*f, scratch) : std::string_view(input + f->begin, f->size);
      if (!Convert(text, v, param, !escaped && f->begin < padded_end)) [[unlikely]] {
        v = T{};
        nulls.push_back(row_base + i);
        fails.push_back({row_base + i, col,
                         "cannot read \"" + std::string(text.substr(0, 64)) + "\" as " +
                             tessera::to_string(sk.type)});
      }
    }
    std::memcpy(values + i * sizeof(T), &v, sizeof(T));
  }
}

/// The fixed-width columns among `types` (numbers, dates, timestamps; booleans as a byte each,
/// packed by fixed_column), in column order.
inline std::vector<fixed_sink> fixed_sinks(const std::vector<data_type>& types) {
  const auto make_fn = []<class T>(std::type_identity<T>) -> fixed_block_fn {
    return &convert_block<T, &convert_number<T>>;
  };
  std::vector<fixed_sink> sinks;
  for (std::size_t c = 0; c < types.size(); ++c) {
    fixed_block_fn fn = nullptr;
    std::int64_t param = 0;
    switch (types[c].id) {
    case type_id::int8:
      fn = make_fn(std::type_identity<std::int8_t>{});
      break;
    case type_id::int16:
      fn = make_fn(std::type_identity<std::int16_t>{});
      break;
    case type_id::int32:
      fn = make_fn(std::type_identity<std::int32_t>{});
      break;
    case type_id::int64:
      fn = make_fn(std::type_identity<std::int64_t>{});
      break;
    case type_id::uint8:
      fn = make_fn(std::type_identity<std::uint8_t>{});
      break;
    case type_id::uint16:
      fn = make_fn(std::type_identity<std::uint16_t>{});
      break;
    case type_id::uint32:
      fn = make_fn(std::type_identity<std::uint32_t>{});
      break;
    case type_id::uint64:
      fn = make_fn(std::type_identity<std::uint64_t>{});
      break;
    case type_id::float32:
      fn = make_fn(std::type_identity<float>{});
      break;
    case type_id::float64:
      fn = make_fn(std::type_identity<double>{});
      break;
    case type_id::boolean:
      fn = &convert_block<std::uint8_t, &convert_bool>;
      break;
    case type_id::date32:
      fn = &convert_block<std::int32_t, &convert_date>;
      break;
    case type_id::timestamp:
      param = 1000000000 / ticks_per_second(types[c].unit);
      fn = &convert_block<std::int64_t, &convert_ticks>;
      break;
    default:
      break;
    }
    if (fn)
      sinks.push_back({c, types[c], fn, param,
                       types[c].id == type_id::boolean ? 1 : fixed_width_bytes(types[c].id)});
  }
  return sinks;
}

/// The column of a fixed sink's n values (booleans packed into bits).
inline column fixed_column(const data_type& type, std::size_t n, buffer validity,
                           aligned_buffer<std::uint8_t> values, std::size_t null_count) {
  if (type.id != type_id::boolean)
    return column::unchecked(type, n, std::move(validity), buffer(std::move(values)), {}, {}, 0,
                             null_count);
  bitmap bits(n);
  for (std::size_t i = 0; i < n; ++i)
    if (values[i] != 0) bits.set(i);
  return column::unchecked(type, n, std::move(validity), buffer(std::move(bits)), {}, {}, 0,
                           null_count);
}

/// A buffer of n bytes, advised for huge pages (column values may reach gigabytes).
inline aligned_buffer<std::uint8_t> value_bytes(std::size_t n) {
  aligned_buffer<std::uint8_t> b(n, tessera::uninitialized);
  tessera::detail::advise_huge_pages(b.data(), n);
  return b;
}

/// Converts every fixed-width column among `types` in parallel over row ranges. Each range is
/// read in blocks of rows small enough that their fields and text stay in cache while every
/// column of the block is converted by its own loop (no call per value). Returns the columns
/// by index (empty for the columns it did not take); failures as convert_column.
inline std::vector<std::optional<column>>
convert_fixed_columns(const reader& rd, std::span<const row_view> rows,
                      const std::vector<data_type>& types,
                      std::vector<conversion_failure>& failures) {
  const std::size_t n = rows.size();
  const std::vector<fixed_sink> sinks = fixed_sinks(types);
  std::vector<std::optional<column>> out(types.size());
  if (sinks.empty()) return out;
  std::vector<aligned_buffer<std::uint8_t>> values;
  for (const auto& sk : sinks) values.push_back(value_bytes(n * sk.width));
  const std::size_t nparts =
      n < 65536 ? 1 : std::min<std::size_t>(static_cast<std::size_t>(num_threads()) * 4, n / 16384);
  constexpr std::size_t block_rows = 2048;
  // nulls[sink][part]: rows that are null (or failed) in that column, in increasing order;
  // fails[part][sink]: the failures of that column, by row.
  std::vector<std::vector<std::vector<std::size_t>>> nulls(
      sinks.size(), std::vector<std::vector<std::size_t>>(nparts));
  std::vector<std::vector<std::vector<conversion_failure>>> fails(
      nparts, std::vector<std::vector<conversion_failure>>(sinks.size()));
  tessera::parallel_for_chunks(
      std::size_t{0}, nparts,
      [&](std::size_t pb, std::size_t pe) {
        std::string scratch;
        for (std::size_t p = pb; p < pe; ++p) {
          const std::size_t b = n / nparts * p, e = p + 1 == nparts ? n : n / nparts * (p + 1);
          for (std::size_t bb = b; bb < e; bb += block_rows) {
            const std::size_t be = std::min(e, bb + block_rows);
            for (std::size_t k = 0; k < sinks.size(); ++k)
              sinks[k].convert(rd, rows, bb, be, sinks[k], values[k].data(), 0, nulls[k][p],
                               fails[p][k], scratch);
          }
        }
      },
      1);
  // Failures in row-major order (row, then column), as one pass over the rows would give.
  std::vector<conversion_failure> found;
  for (std::size_t p = 0; p < nparts; ++p)
    for (std::size_t k = 0; k < sinks.size(); ++k)
      found.insert(found.end(), fails[p][k].begin(), fails[p][k].end());
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.row < b.row || (a.row == b.row && a.column < b.column);
  });
  failures.insert(failures.end(), found.begin(), found.end());
  const std::vector<std::size_t> part_rows(nparts, 0);
  for (std::size_t k = 0; k < sinks.size(); ++k) {
    std::size_t null_count = 0;
    buffer validity = validity_of(nulls[k], part_rows, n, null_count);
    const std::size_t c = sinks[k].col;
    out[c] = fixed_column(types[c], n, std::move(validity), std::move(values[k]), null_count);
  }
  return out;
}

/// Converts the accepted rows into one column of type `type`. Failures (values that do not fit)
/// are appended to `failures` instead of stopping.
inline column convert_column(const reader& rd, std::span<const row_view> rows, std::size_t col,
                             data_type type, std::vector<conversion_failure>& failures,
                             std::vector<diagnostic>& diags, bool strict_utf8) {
  if (is_string_like(type.id))
    return convert_strings(rd, rows, col, type, failures, diags, strict_utf8);
  std::vector<data_type> only(col + 1, type_id::string); // the other columns: not fixed sinks
  only[col] = type;
  return std::move(*convert_fixed_columns(rd, rows, only, failures)[col]);
}

/// What the values of each column of `cols` can be read as, over `rows` (a row without the
/// column counts as null). Rows go in blocks, each column over a block before the next block:
/// a block's fields and text stay in cache, where a column at a time over every row would bring
/// all of them through the cache once per column. Parallel over ranges of rows.
inline std::vector<inference> infer_columns(const reader& rd, std::span<const row_view> rows,
                                            std::span<const std::size_t> cols) {
  const std::size_t n = rows.size(), ncols = cols.size();
  const std::size_t nparts =
      n < 65536 ? 1 : std::min<std::size_t>(static_cast<std::size_t>(num_threads()) * 4, n / 16384);
  std::vector<std::vector<inference>> parts(nparts, std::vector<inference>(ncols));
  const std::size_t padded_end = rd.padded_end();
  constexpr std::size_t block_rows = 512;
  tessera::parallel_for_chunks(
      std::size_t{0}, nparts,
      [&](std::size_t pb, std::size_t pe) {
        for (std::size_t p = pb; p < pe; ++p) {
          const std::size_t b = n / nparts * p, e = p + 1 == nparts ? n : n / nparts * (p + 1);
          for (std::size_t bb = b; bb < e; bb += block_rows) {
            const std::size_t be = std::min(e, bb + block_rows);
            for (std::size_t k = 0; k < ncols; ++k) {
              inference& inf = parts[p][k];
              const std::size_t col = cols[k];
              for (std::size_t i = bb; i < be && inf.mask != 0; ++i) {
                const row_view& r = rows[i];
                if (col >= r.count) continue;
                const field_ref& f = r.fields[col];
                if (rd.is_null(f)) continue;
                inf.any = true;
                if (f.flags & field_escaped) {
                  inf.mask = 0;
                  break;
                }
                // The common short numbers by the word-load parsers first; they take nothing
                // classify would not classify the same way.
                if (f.begin < padded_end) {
                  std::int64_t v;
                  bool fits = false;
                  // Not once the column can no longer be integers (a decimal was seen).
                  if ((inf.mask & kind_int) != 0 && parse_int_padded(rd.raw(f), v, fits) && fits) {
                    inf.mask &= integer_kinds(v);
                    continue;
                  }
                  double d;
                  if (parse_short_decimal_padded(rd.raw(f), d)) {
                    inf.mask &= kind_double;
                    continue;
                  }
                }
                inf.mask &= classify(rd.raw(f), inf.frac_digits);
              }
            }
          }
        }
      },
      1);
  std::vector<inference> out(ncols);
  for (const auto& part : parts)
    for (std::size_t k = 0; k < ncols; ++k) out[k].merge(part[k]);
  return out;
}

/// infer_columns of one column.
inline inference infer_column(const reader& rd, std::span<const row_view> rows, std::size_t col) {
  return infer_columns(rd, rows, std::span<const std::size_t>(&col, 1))[0];
}

/// The number of columns: the schema's; in permissive mode the most common width of the first
/// data records (so that one damaged header or record does not decide the shape of the table);
/// else the first header record's, or the first data record's.
inline std::size_t table_width(const read_options& o, std::span<const row_view> header,
                               std::span<const row_view> data) {
  if (o.schema) return o.schema->size();
  std::size_t ncols = 0;
  if (o.errors != error_mode::strict && !data.empty()) {
    std::map<std::uint32_t, std::size_t> widths;
    for (std::size_t i = 0; i < data.size() && i < 4096; ++i) ++widths[data[i].count];
    std::size_t best = 0;
    for (const auto& [w, k] : widths)
      if (k > best) {
        best = k;
        ncols = w;
      }
  } else if (!header.empty()) {
    ncols = header[0].count;
  } else if (!data.empty()) {
    ncols = data[0].count;
  }
  return ncols;
}

/// The column names: the header records' fields joined with ' ', the schema's when there is no
/// header, column_<n> for a column no header record reaches. Header names must match the
/// schema's. Invalid UTF-8 in a name is an error when strict, else replaced (a diagnostic).
inline expected<std::vector<std::string>> column_names(reader& rd, std::span<const row_view> header,
                                                       std::size_t ncols) {
  const read_options& o = rd.opt;
  const bool strict = o.errors == error_mode::strict;
  std::vector<std::string> names(ncols);
  std::string scratch;
  for (std::size_t c = 0; c < ncols; ++c) {
    if (o.schema && header.empty()) {
      names[c] = (*o.schema)[c].name;
      continue;
    }
    std::string name;
    bool named = false;
    for (const auto& h : header) {
      if (c >= h.count) continue;
      named = true;
      const std::string_view part = rd.value(h.fields[c], scratch);
      if (!name.empty() && !part.empty()) name += ' ';
      if (const std::size_t bad = find_invalid_utf8(part); bad != std::string_view::npos) {
        const std::uint64_t at = h.fields[c].begin + rd.base + bad;
        std::string message = "invalid UTF-8 in the header of column " + std::to_string(c + 1) +
                              " (is the file Latin-1? read it with encoding latin1)";
        if (strict) return unexpected(make_err(o, h.line, c + 1, at, std::move(message)));
        diagnostic d;
        d.line = h.line;
        d.column = c + 1;
        d.byte_offset = at;
        d.message = std::move(message) + "; invalid bytes replaced by U+FFFD";
        rd.diags.push_back(std::move(d));
        append_replacing_invalid_utf8(name, part);
      } else {
        name += part;
      }
    }
    if (!named) name = "column_" + std::to_string(c + 1);
    names[c] = std::move(name);
  }
  if (o.schema && !header.empty()) {
    for (std::size_t c = 0; c < ncols; ++c)
      if (names[c] != (*o.schema)[c].name)
        return unexpected(make_err(o, header[0].line, c + 1, header[0].byte_offset,
                                   "header names column " + std::to_string(c + 1) + " '" +
                                       names[c] + "' but the schema says '" + (*o.schema)[c].name +
                                       "'",
                                   errc::invalid_argument));
  }
  return names;
}

/// The column types: the schema's, then column_types' by name, the others inferred from the
/// first inference_rows of `rows` (sampled[c]: inferred from fewer than all of them).
inline expected<void> column_types(const reader& rd, const std::vector<std::string>& names,
                                   std::span<const row_view> rows, std::vector<data_type>& types,
                                   std::vector<bool>& sampled) {
  const read_options& o = rd.opt;
  const std::size_t ncols = names.size();
  types.assign(ncols, type_id::string);
  sampled.assign(ncols, false);
  std::vector<bool> explicit_type(ncols, false);
  for (std::size_t c = 0; c < ncols; ++c) {
    if (o.schema) {
      types[c] = (*o.schema)[c].type;
      explicit_type[c] = true;
    }
    for (const auto& [name, t] : o.column_types)
      if (name == names[c]) {
        types[c] = t;
        explicit_type[c] = true;
      }
  }
  for (const auto& [name, t] : o.column_types)
    if (std::find(names.begin(), names.end(), name) == names.end())
      return unexpected(make_err(o, 0, 0, location::no_offset,
                                 "column_types names '" + name + "', which is not a column",
                                 errc::invalid_argument));
  const std::size_t sample =
      o.inference_rows == 0 ? rows.size() : std::min(o.inference_rows, rows.size());
  if (o.infer_types) {
    std::vector<std::size_t> inferred;
    for (std::size_t c = 0; c < ncols; ++c)
      if (!explicit_type[c]) inferred.push_back(c);
    const std::vector<inference> found = infer_columns(rd, rows.first(sample), inferred);
    for (std::size_t k = 0; k < inferred.size(); ++k) {
      types[inferred[k]] = decide(found[k]);
      sampled[inferred[k]] = sample < rows.size();
    }
  }
  return {};
}

inline expected<table> make_table(const std::vector<std::string>& names, std::vector<column> cols) {
  std::vector<field> fields;
  fields.reserve(cols.size());
  for (std::size_t c = 0; c < cols.size(); ++c)
    fields.push_back(field{names[c], cols[c].type(), true, {}});
  return table::make(tessera::schema(std::move(fields)), std::move(cols));
}

/// One thread's piece of a streamed read: the values of its rows.
struct stream_part {
  /// Per fixed sink, unless `direct`: the values then go to the columns' shared buffers.
  std::vector<aligned_buffer<std::uint8_t>> values;
  bool direct = false;
  std::vector<string_part> strings;            ///< per string column
  std::vector<std::vector<std::size_t>> nulls; ///< per column, relative to the part
  std::size_t rows = 0;
  std::size_t end = 0; ///< where its last record ended
};

/// Reserves room in `head` for the first `skip` + `rows` records of data[0, n), estimated from
/// the first records after `skip`: growing the vectors instead copies them and touches twice
/// the memory.
inline void reserve_head(const tokenizer& tok, std::size_t n, std::size_t skip, std::size_t rows,
                         token_chunk& head) {
  token_chunk probe;
  tok.run(0, n, probe, std::min(skip, SIZE_MAX - 256) + 256);
  if (probe.records.size() <= skip) return;
  const record_ref& first = probe.records[skip];
  const auto probed = static_cast<double>(probe.records.size() - skip);
  const double fields_per_record =
      static_cast<double>(probe.fields.size() - first.first_field) / probed;
  const double bytes_per_record = static_cast<double>(probe.end - first.byte_offset) / probed;
  // Never more records than the input could hold at the probe's record size, nor more than it
  // holds bytes; never more fields than a delimiter or line break each, plus one per record.
  const double bytes = static_cast<double>(n);
  const double records =
      std::min(std::min(static_cast<double>(rows) + static_cast<double>(skip),
                        bytes / std::max(bytes_per_record, 1.0) * 1.1 + static_cast<double>(skip)),
               bytes) +
      16;
  head.records.reserve(static_cast<std::size_t>(records));
  head.fields.reserve(
      static_cast<std::size_t>(std::min(records * fields_per_record * 1.1, bytes + records)));
  tessera::detail::advise_huge_pages(head.fields.data(),
                                     head.fields.capacity() * sizeof(field_ref));
}

/// The one-pass read of input that needs none of the general path's repairs: the records are
/// tokenized a block at a time and converted while the block's text and fields are in cache,
/// instead of tokenizing the whole input into field references first. The first records decide
/// the layout as in the general path (the header, and the inference sample of the first
/// inference_rows rows). Gives nothing (and leaves the reader as it was, but for progress) when
/// the input is small or needs the general path: one_pass off, footnote lines, inference over
/// every row, dictionary columns, a record of another width, quoting repaired or malformed, a
/// value that does not fit its column's type, invalid UTF-8, or a split the quote-parity pass
/// got wrong. The general path then reads it, reporting or repairing what it finds.
inline std::optional<table> read_streaming(reader& rd, std::size_t header_lines, int threads) {
  const read_options& o = rd.opt;
  const bool strict = o.errors == error_mode::strict;
  if (!o.one_pass || o.footnote_lines != 0 || (o.infer_types && o.inference_rows == 0 && !o.schema))
    return std::nullopt;
  const std::size_t n = rd.text.size();
  const std::size_t pre = o.preamble_lines, hdr = header_lines;
  const tokenizer tok(rd.text.data(), n, rd.td);
  token_chunk head;
  // The first records: the inference sample, and in permissive mode the 4096 table_width reads
  // (a count past the largest size_t is the whole input, which the general path reads).
  const std::size_t sample_rows =
      std::max<std::size_t>(o.infer_types ? o.inference_rows : 1, strict ? 1 : 4096);
  if (pre > SIZE_MAX - hdr || sample_rows > SIZE_MAX - pre - hdr) return std::nullopt;
  reserve_head(tok, n, pre + hdr, sample_rows, head);
  tok.run(0, n, head, pre + hdr + sample_rows);
  if (head.failed || !head.repairs.empty() || head.end >= n || head.records.size() <= pre + hdr)
    return std::nullopt;
  std::vector<row_view> prefix;
  prefix.reserve(head.records.size());
  rd.append_rows(head, 0, prefix);
  const std::span<const row_view> header(prefix.data() + pre, hdr),
      sample(prefix.data() + pre + hdr, prefix.size() - pre - hdr);
  const std::size_t ncols = table_width(o, header, sample);
  const auto other_width = [ncols](const row_view& r) { return r.count != ncols; };
  if (ncols == 0 || sample.empty() || std::any_of(header.begin(), header.end(), other_width) ||
      std::any_of(sample.begin(), sample.end(), other_width))
    return std::nullopt;
  auto names = column_names(rd, header, ncols);
  std::vector<data_type> types;
  std::vector<bool> sampled;
  if (!names || !rd.diags.empty() || !column_types(rd, *names, sample, types, sampled)) {
    rd.diags.clear();
    return std::nullopt;
  }
  const std::vector<fixed_sink> sinks = fixed_sinks(types);
  std::vector<std::size_t> string_cols;
  for (std::size_t c = 0; c < ncols; ++c)
    if (types[c].id == type_id::string || types[c].id == type_id::large_string)
      string_cols.push_back(c);
  if (sinks.size() + string_cols.size() != ncols) return std::nullopt;

  const auto data_begin = static_cast<std::size_t>(sample.front().byte_offset - rd.base);
  std::vector<std::size_t> lines;
  const std::vector<std::size_t> starts = rd.chunk_starts(data_begin, threads, &lines);
  const std::size_t nparts = starts.size() - 1;
  // With several parts, each writes its fixed-width values straight into the columns' buffers,
  // part p from row first[p], as long as its records are as many as its line feeds (joining
  // the parts' own buffers afterwards would copy every value once more). A part with more
  // records moves to its own buffers; fewer, and the values are copied after all.
  std::vector<std::size_t> first;
  std::vector<aligned_buffer<std::uint8_t>> shared;
  if (!lines.empty()) {
    first.assign(nparts + 1, 0);
    for (std::size_t p = 0; p < nparts; ++p) first[p + 1] = first[p] + lines[p];
    for (const auto& sk : sinks) shared.push_back(value_bytes(first[nparts] * sk.width));
  }
  // Rows per byte in the sample, and bytes per row of each string column: each part reserves
  // its values once.
  const double rows_per_byte =
      static_cast<double>(sample.size()) / static_cast<double>(head.end - data_begin);
  std::vector<double> string_bytes_per_row(string_cols.size());
  for (std::size_t j = 0; j < string_cols.size(); ++j) {
    std::size_t bytes = 0;
    for (const row_view& r : sample) bytes += r.fields[string_cols[j]].size;
    string_bytes_per_row[j] = static_cast<double>(bytes) / static_cast<double>(sample.size());
  }
  const std::size_t block_bytes = std::clamp<std::size_t>(o.chunk_bytes, 1, std::size_t{256} << 10);
  std::vector<stream_part> parts(nparts);
  std::atomic<bool> general{false};
  tessera::parallel_for_chunks(
      std::size_t{0}, nparts,
      [&](std::size_t pb, std::size_t pe) {
        token_chunk tc;
        std::vector<row_view> block;
        std::vector<conversion_failure> fails;
        std::string scratch;
        for (std::size_t p = pb; p < pe; ++p) {
          stream_part& part = parts[p];
          // Never more than the part can hold (a record takes at least ncols bytes), in case
          // the first records are much shorter than the rest.
          const std::size_t bytes = starts[p + 1] - starts[p];
          const std::size_t expected_rows = std::min(
              static_cast<std::size_t>(static_cast<double>(bytes) * rows_per_byte * 1.1) + 1024,
              bytes / ncols + 1);
          part.direct = !first.empty();
          const auto own_values = [&](std::size_t rows) {
            for (std::size_t k = 0; k < sinks.size(); ++k) {
              auto& v = part.values[k];
              v.reserve(rows * sinks[k].width);
              tessera::detail::advise_huge_pages(v.data(), v.capacity());
              if (!part.direct || part.rows == 0) continue;
              v.resize(part.rows * sinks[k].width, tessera::uninitialized);
              std::memcpy(v.data(), shared[k].data() + first[p] * sinks[k].width, v.size());
            }
            part.direct = false;
          };
          part.values.resize(sinks.size());
          if (!part.direct) own_values(expected_rows);
          part.strings.resize(string_cols.size());
          for (std::size_t j = 0; j < string_cols.size(); ++j) {
            part.strings[j].ends.reserve(expected_rows + 1);
            auto& text = part.strings[j].bytes;
            text.reserve(static_cast<std::size_t>(static_cast<double>(expected_rows) *
                                                  string_bytes_per_row[j]));
            tessera::detail::advise_huge_pages(text.data(), text.capacity());
          }
          part.nulls.resize(ncols);
          std::size_t pos = starts[p];
          while (pos < starts[p + 1]) {
            if (general.load(std::memory_order_relaxed)) return;
            tc.fields.clear();
            tc.records.clear();
            tok.run(pos, std::min(starts[p + 1], pos + block_bytes), tc);
            block.clear();
            rd.append_rows(tc, 0, block);
            if (tc.failed || !tc.repairs.empty() ||
                std::any_of(block.begin(), block.end(), other_width)) {
              general = true;
              return;
            }
            const std::size_t m = block.size();
            if (part.direct && part.rows + m > lines[p]) own_values(2 * (part.rows + m));
            for (std::size_t k = 0; k < sinks.size(); ++k) {
              const std::size_t w = sinks[k].width;
              std::uint8_t* out;
              if (part.direct) {
                out = shared[k].data() + (first[p] + part.rows) * w;
              } else {
                auto& v = part.values[k];
                const std::size_t need = (part.rows + m) * w;
                if (need > v.capacity()) v.reserve(std::max(need, 2 * v.capacity()));
                v.resize(need, tessera::uninitialized);
                out = v.data() + part.rows * w;
              }
              sinks[k].convert(rd, block, 0, m, sinks[k], out, part.rows, part.nulls[sinks[k].col],
                               fails, scratch);
            }
            for (std::size_t j = 0; j < string_cols.size(); ++j)
              append_strings(rd, block, 0, m, string_cols[j], part.rows, part.strings[j],
                             part.nulls[string_cols[j]], fails, true, scratch);
            if (!fails.empty()) {
              general = true;
              return;
            }
            part.rows += m;
            rd.stream_progress(tc.end - pos);
            pos = tc.end;
          }
          part.end = pos;
        }
      },
      1);
  if (general) return std::nullopt;
  for (std::size_t p = 0; p < nparts; ++p)
    if (parts[p].end != starts[p + 1]) return std::nullopt;

  std::vector<std::size_t> part_rows(nparts);
  std::size_t rows = 0;
  for (std::size_t p = 0; p < nparts; ++p) {
    part_rows[p] = rows;
    rows += parts[p].rows;
  }
  const auto nulls_of = [&](std::size_t c) {
    std::vector<std::vector<std::size_t>> nulls(nparts);
    for (std::size_t p = 0; p < nparts; ++p) nulls[p] = std::move(parts[p].nulls[c]);
    return nulls;
  };
  // The values are in place when every part wrote straight to the shared buffers and filled
  // its rows there (the last may end early).
  bool in_place = !first.empty();
  for (std::size_t p = 0; p < nparts && in_place; ++p)
    in_place = parts[p].direct && (p + 1 == nparts || parts[p].rows == lines[p]);
  // The columns, each joined from its parts by one thread.
  std::vector<column> cols(ncols);
  const auto join_fixed = [&](std::size_t k) {
    const std::size_t c = sinks[k].col, w = sinks[k].width;
    aligned_buffer<std::uint8_t> values;
    if (nparts == 1) {
      values = std::move(parts[0].values[k]);
    } else if (in_place) {
      values = std::move(shared[k]);
      values.resize(rows * w, tessera::uninitialized);
    } else {
      values = value_bytes(rows * w);
      for (std::size_t p = 0; p < nparts; ++p)
        if (parts[p].rows != 0)
          std::memcpy(values.data() + part_rows[p] * w,
                      parts[p].direct ? shared[k].data() + first[p] * w : parts[p].values[k].data(),
                      parts[p].rows * w);
    }
    std::size_t null_count = 0;
    buffer validity = validity_of(nulls_of(c), part_rows, rows, null_count);
    cols[c] = fixed_column(types[c], rows, std::move(validity), std::move(values), null_count);
  };
  const auto join_string = [&](std::size_t j) {
    std::vector<string_part> strings(nparts);
    for (std::size_t p = 0; p < nparts; ++p) strings[p] = std::move(parts[p].strings[j]);
    const std::size_t c = string_cols[j];
    cols[c] = join_strings(strings, nulls_of(c), part_rows, rows, types[c]);
  };
  tessera::parallel_for_chunks(
      std::size_t{0}, ncols,
      [&](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i)
          i < sinks.size() ? join_fixed(i) : join_string(i - sinks.size());
      },
      1);
  auto t = make_table(*names, std::move(cols));
  if (!t) return std::nullopt;
  return std::move(*t);
}

} // namespace detail

inline expected<read_result> try_parse(std::string_view input, const read_options& options) {
  using namespace detail;
  reader rd;
  rd.opt = options;
  const read_options& o = rd.opt;
  for (const auto& n : o.null_values) rd.longest_null = std::max(rd.longest_null, n.size());
  thread_limit_scope limit(o.threads > 0 ? o.threads : std::max(1, num_threads()));
  const int threads = num_threads();

  std::string transcoded;
  if (o.input_encoding == encoding::latin1) {
    transcoded = latin1_to_utf8(input);
    input = transcoded;
  }
  auto bom = check_encoding(input, o);
  if (!bom) return unexpected(std::move(bom).error());
  rd.base = *bom;
  rd.text = input.substr(*bom);
  rd.progress.emplace(o.progress, rd.text.size());

  read_result result;
  result.dialect = sniff(rd.text, o);
  result.dialect.has_bom = *bom != 0;
  const dialect& dl = result.dialect;
  if (dl.delimiter == '\n' || dl.delimiter == '\r' ||
      (dl.quote != '\0' && dl.quote == dl.delimiter))
    return unexpected(make_err(o, 0, 0, location::no_offset,
                               "invalid dialect: the delimiter must differ from the quote and from "
                               "line breaks",
                               errc::invalid_argument));
  rd.td.delimiter = dl.delimiter;
  rd.td.quote = dl.quote;
  rd.td.escape = dl.escape;
  rd.td.comment = o.comment;
  rd.td.trim = o.trim;
  rd.td.normalize_line_breaks = o.normalize_line_breaks;
  rd.td.skip_blank_lines = o.skip_blank_lines;
  rd.td.repair_quotes = o.errors == error_mode::permissive;

  if (auto t = read_streaming(rd, dl.header_lines, threads)) {
    rd.progress->finish();
    result.table = std::move(*t);
    result.one_pass = true;
    return result;
  }
  if (auto t = rd.tokenize(threads); !t) return unexpected(std::move(t).error());

  // Preamble, header and footnote records.
  const std::size_t total = rd.all.size();
  const std::size_t pre = std::min(o.preamble_lines, total);
  const std::size_t hdr = std::min(dl.header_lines, total - pre);
  const std::size_t foot = std::min(o.footnote_lines, total - pre - hdr);
  std::span<const row_view> header(rd.all.data() + pre, hdr);
  std::span<const row_view> data(rd.all.data() + pre + hdr, total - pre - hdr - foot);

  const bool strict = o.errors == error_mode::strict;
  const std::size_t ncols = table_width(o, header, data);
  // Records with surplus fields may lose surplus empty unquoted fields first.
  std::vector<std::vector<field_ref>> repaired;
  const auto repair = [&](const row_view& r) {
    if (!o.drop_surplus_empty_fields || r.count <= ncols) return r;
    std::size_t surplus = r.count - ncols, empties = 0;
    for (std::uint32_t f = 0; f < r.count; ++f)
      empties += r.fields[f].size == 0 && !(r.fields[f].flags & field_quoted);
    if (empties < surplus) return r;
    std::vector<field_ref> kept;
    kept.reserve(ncols);
    for (std::uint32_t f = 0; f < r.count; ++f) {
      if (surplus > 0 && r.fields[f].size == 0 && !(r.fields[f].flags & field_quoted)) {
        --surplus;
        continue;
      }
      kept.push_back(r.fields[f]);
    }
    repaired.push_back(std::move(kept));
    row_view v = r;
    v.fields = repaired.back().data();
    v.count = static_cast<std::uint32_t>(ncols);
    diagnostic d;
    d.line = r.line;
    d.byte_offset = r.byte_offset;
    d.message = "record has " + std::to_string(r.count) + " fields, expected " +
                std::to_string(ncols) + "; surplus empty fields dropped";
    rd.diags.push_back(std::move(d));
    return v;
  };
  std::vector<row_view> header_rows;
  for (const auto& h : header) header_rows.push_back(repair(h));

  auto names_or = column_names(rd, header_rows, ncols);
  if (!names_or) return unexpected(std::move(names_or).error());
  const std::vector<std::string>& names = *names_or;

  // Ragged rows. The accepted rows are compacted in place over the records (the header rows
  // were copied above), which saves a copy of every row.
  const std::size_t data_begin = pre + hdr, data_end = pre + hdr + data.size();
  std::vector<row_view> rows = std::move(rd.all);
  std::size_t accepted = 0;
  for (std::size_t i = data_begin; i < data_end; ++i) {
    const row_view r = repair(rows[i]);
    if (r.count == ncols) {
      rows[accepted++] = r;
      continue;
    }
    const bool short_row = r.count < ncols;
    const bool ok =
        short_row
            ? (o.ragged == ragged_rows::pad_with_nulls || o.ragged == ragged_rows::pad_or_truncate)
            : (o.ragged == ragged_rows::truncate || o.ragged == ragged_rows::pad_or_truncate);
    if (ok) {
      row_view v = r;
      v.count = std::min<std::uint32_t>(r.count, static_cast<std::uint32_t>(ncols));
      rows[accepted++] = v;
      continue;
    }
    std::string msg =
        "record has " + std::to_string(r.count) + " fields, expected " + std::to_string(ncols);
    if (strict)
      return unexpected(
          make_err(o, r.line, std::min<std::size_t>(r.count, ncols) + 1, r.byte_offset, msg));
    diagnostic d;
    d.line = r.line;
    d.column = std::min<std::size_t>(r.count, ncols) + 1;
    d.byte_offset = r.byte_offset;
    d.message = std::move(msg) + "; record skipped";
    d.skipped = true;
    rd.diags.push_back(std::move(d));
    ++rd.skipped;
  }
  rows.resize(accepted);

  // Types: explicit (schema, then by name), or inferred.
  std::vector<data_type> types;
  std::vector<bool> sampled;
  if (auto t = column_types(rd, names, rows, types, sampled); !t)
    return unexpected(std::move(t).error());

  // Conversion, with promotion of sampled columns and bad records in permissive mode.
  std::vector<column> cols(ncols);
  for (int attempt = 0;; ++attempt) {
    std::vector<conversion_failure> failures;
    std::vector<diagnostic> utf8;
    std::vector<conversion_failure> fixed_failures;
    auto fixed = convert_fixed_columns(rd, rows, types, fixed_failures);
    for (std::size_t c = 0; c < ncols; ++c) {
      std::vector<conversion_failure> f;
      if (fixed[c]) {
        cols[c] = std::move(*fixed[c]);
        for (const auto& x : fixed_failures)
          if (x.column == c) f.push_back(x);
      } else {
        cols[c] = convert_column(rd, rows, c, types[c], f, utf8, strict);
      }
      if (!f.empty() && sampled[c] && !is_string_like(types[c].id)) {
        // The sample chose too narrow a type: infer from every row and convert again.
        types[c] = decide(infer_column(rd, rows, c));
        sampled[c] = false;
        f.clear();
        cols[c] = convert_column(rd, rows, c, types[c], f, utf8, strict);
      }
      failures.insert(failures.end(), f.begin(), f.end());
    }
    if (failures.empty() || attempt > 0) {
      rd.diags.insert(rd.diags.end(), utf8.begin(), utf8.end());
      if (!failures.empty()) { // cannot happen: bad rows were removed in the first attempt
        const auto& f = failures.front();
        return unexpected(make_err(o, rows[f.row].line, f.column + 1, rows[f.row].byte_offset,
                                   f.message + " (column '" + names[f.column] + "')"));
      }
      break;
    }
    std::sort(failures.begin(), failures.end(), [](const auto& a, const auto& b) {
      return a.row < b.row || (a.row == b.row && a.column < b.column);
    });
    if (strict) {
      const auto& f = failures.front();
      return unexpected(make_err(o, rows[f.row].line, f.column + 1, rows[f.row].byte_offset,
                                 f.message + " (column '" + names[f.column] + "')"));
    }
    std::vector<bool> bad(rows.size(), false);
    for (const auto& f : failures) {
      if (bad[f.row]) continue;
      bad[f.row] = true;
      diagnostic d;
      d.line = rows[f.row].line;
      d.column = f.column + 1;
      d.byte_offset = rows[f.row].byte_offset;
      d.message = f.message + " (column '" + names[f.column] + "'); record skipped";
      d.skipped = true;
      rd.diags.push_back(std::move(d));
      ++rd.skipped;
    }
    std::vector<row_view> kept;
    kept.reserve(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i)
      if (!bad[i]) kept.push_back(rows[i]);
    rows = std::move(kept);
  }

  auto t = make_table(names, std::move(cols));
  if (!t) return unexpected(std::move(t).error());
  result.table = std::move(*t);
  std::stable_sort(rd.diags.begin(), rd.diags.end(),
                   [](const diagnostic& a, const diagnostic& b) { return a.line < b.line; });
  result.diagnostics = std::move(rd.diags);
  result.skipped_records = rd.skipped;
  return result;
}

// ---------------------------------------------------------------------------------------------
// Writer.

/// Writer options. The defaults give RFC 4180: comma, double quotes, CRLF, one header line.
struct write_options {
  char delimiter = ',';
  char quote = '"';
  std::string line_end = "\r\n";
  std::string null_token; ///< how nulls are written (unquoted); "" by default
  bool header = true;
  bool quote_all = false; ///< quote every string field, not only those that need it
};

namespace detail {
/// True when text starting with `s` would be read as starting with a byte-order mark (UTF-8,
/// UTF-16 or UTF-32): such a first field is quoted, so that it reads back as data.
inline bool looks_like_bom(std::string_view s) noexcept {
  using namespace std::string_view_literals;
  return s.starts_with("\xEF\xBB\xBF"sv) || s.starts_with("\xFE\xFF"sv) ||
         s.starts_with("\xFF\xFE"sv) || s.starts_with("\0\0\xFE\xFF"sv);
}

/// `first`: the first field of the text (see looks_like_bom).
inline void write_field(std::string& out, std::string_view s, const write_options& o,
                        bool is_string, bool first = false) {
  bool needs = (o.quote_all && is_string) || (first && looks_like_bom(s));
  if (!needs) {
    if (is_string && s.empty())
      needs = true; // "" is an empty string; nothing is a null
    else if (is_string && !o.null_token.empty() && s == o.null_token)
      needs = true;
    else if (!s.empty() &&
             (s.front() == ' ' || s.front() == '\t' || s.back() == ' ' || s.back() == '\t'))
      needs = true;
    else
      for (const char c : s)
        if (c == o.delimiter || c == o.quote || c == '\n' || c == '\r') {
          needs = true;
          break;
        }
  }
  if (!needs) {
    out += s;
    return;
  }
  out += o.quote;
  for (const char c : s) {
    if (c == o.quote) out += o.quote;
    out += c;
  }
  out += o.quote;
}

inline void append_value(std::string& out, const column& c, std::size_t i, const write_options& o,
                         bool first = false) {
  char buf[64];
  const auto num = [&](auto v) {
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, static_cast<std::size_t>(r.ptr - buf));
  };
  switch (c.id()) {
  case type_id::boolean:
    out += c.value<bool>(i) ? "true" : "false";
    return;
  case type_id::int8:
    return num(static_cast<int>(c.value<std::int8_t>(i)));
  case type_id::int16:
    return num(c.value<std::int16_t>(i));
  case type_id::int32:
    return num(c.value<std::int32_t>(i));
  case type_id::int64:
    return num(c.value<std::int64_t>(i));
  case type_id::uint8:
    return num(static_cast<unsigned>(c.value<std::uint8_t>(i)));
  case type_id::uint16:
    return num(c.value<std::uint16_t>(i));
  case type_id::uint32:
    return num(c.value<std::uint32_t>(i));
  case type_id::uint64:
    return num(c.value<std::uint64_t>(i));
  case type_id::float32:
  case type_id::float64: {
    const double d =
        c.id() == type_id::float32 ? static_cast<double>(c.value<float>(i)) : c.value<double>(i);
    if (std::isnan(d)) return write_field(out, "NaN", o, false);
    if (std::isinf(d)) return write_field(out, d > 0 ? "inf" : "-inf", o, false);
    const std::size_t at = out.size();
    if (c.id() == type_id::float32)
      num(c.value<float>(i));
    else
      num(d);
    // The shortest text of a large integral value may be all digits ("333333333333333312"),
    // which the reader takes as float64 only up to 2^53: a point keeps it a decimal.
    if (std::fabs(d) > 9007199254740992.0 && out.find_first_of(".e", at) == std::string::npos)
      out += ".0";
    return;
  }
  case type_id::date32:
    tessera::detail::csv::append_date(out, c.value<std::int32_t>(i));
    return;
  case type_id::timestamp: {
    const std::int64_t per = ticks_per_second(c.type().unit);
    const int digits = per == 1 ? 0 : per == 1000 ? 3 : per == 1000000 ? 6 : 9;
    tessera::detail::csv::append_timestamp(out, c.value<std::int64_t>(i), per, digits);
    return;
  }
  case type_id::string:
  case type_id::large_string:
  case type_id::dictionary:
    write_field(out, c.string_at(i), o, true, first);
    return;
  }
}

/// write() for text that continues earlier text when `continues` (its first field is not the
/// text's first field).
inline void write_text(const table& t, std::string& out, const write_options& o, bool continues) {
  bool first = !continues;
  if (o.header && t.num_columns() > 0) {
    for (std::size_t c = 0; c < t.num_columns(); ++c) {
      if (c) out += o.delimiter;
      write_field(out, t.schema()[c].name, o, true, first && c == 0);
    }
    out += o.line_end;
    first = false;
  }
  for (std::size_t r = 0; r < t.num_rows(); ++r) {
    for (std::size_t c = 0; c < t.num_columns(); ++c) {
      if (c) out += o.delimiter;
      const column& col = t[c];
      if (col.is_null(r))
        out += o.null_token;
      else
        append_value(out, col, r, o, first && r == 0 && c == 0);
    }
    out += o.line_end;
  }
}
} // namespace detail

/// Appends the table as CSV text to `out`. Strings are quoted when they hold the delimiter, the
/// quote, a line break or surrounding spaces, or are empty (an unquoted empty field is a null),
/// and the text's first field when it begins with the bytes of a byte-order mark.
/// A null in a one-column table is therefore an empty line: read such text back with
/// read_options::skip_blank_lines = false (or write with a null_token).
inline void write(const table& t, std::string& out, const write_options& o = {}) {
  detail::write_text(t, out, o, false);
}

/// The table as CSV text.
[[nodiscard]] inline std::string to_string(const table& t, const write_options& o = {}) {
  std::string s;
  write(t, s, o);
  return s;
}

/// Writes the table to `path` through a temporary file in the same directory that is renamed
/// over `path` once complete, so a failure never leaves a half-written file. Errors: io_error.
[[nodiscard]] inline expected<void> try_write(const table& t, const std::filesystem::path& path,
                                              const write_options& o = {}) {
  auto file = tessera::detail::atomic_file::create(path);
  if (!file) return unexpected(std::move(file).error());
  std::string buf;
  const std::size_t rows_per_block = 65536;
  for (std::size_t first = 0; first < t.num_rows() || first == 0; first += rows_per_block) {
    buf.clear();
    write_options oo = o;
    oo.header = o.header && first == 0;
    const std::size_t len = std::min(rows_per_block, t.num_rows() - first);
    detail::write_text(t.slice(first, len), buf, oo, first != 0);
    if (auto ok = file->write(buf.data(), buf.size()); !ok) return ok;
    if (t.num_rows() == 0) break;
  }
  return file->commit(false); // abandoned on error: the temporary file is removed
}

/// Throwing convenience for try_write.
inline void write(const table& t, const std::filesystem::path& path, const write_options& o = {}) {
  try_write(t, path, o).value();
}

/// A schema as text, one "name: type" line per column.
[[nodiscard]] inline std::string describe(const tessera::schema& s) {
  std::string out;
  for (const auto& f : s.fields()) out += f.name + ": " + tessera::to_string(f.type) + "\n";
  return out;
}

} // namespace csv
TESSERA_NAMESPACE_END
