// tessera internals: the CSV tokenizer. Splits a byte range into records and fields (as byte
// ranges into the input, never copies), following a dialect, counting physical lines, and
// repairing or reporting malformed quoting.
#pragma once

#include <tessera/config.hpp>
#include <tessera/detail/column/simd.hpp>
#include <tessera/detail/core/huge_pages.hpp>
#include <tessera/detail/io/csv_values.hpp>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

TESSERA_NAMESPACE_BEGIN
namespace detail::csv {

/// The resolved dialect the tokenizer follows.
struct token_dialect {
  char delimiter = ',';
  char quote = '"';    ///< '\0': no quoting
  char escape = '"';   ///< == quote: doubled quotes; other char: escapes the next byte; '\0': none
  char comment = '\0'; ///< a record starting with it is skipped to the end of its line
  bool trim = false;   ///< spaces and tabs around fields are dropped (outside quotes)
  bool skip_blank_lines = true;
  bool repair_quotes = true;          ///< false: malformed quoting is an error (strict mode)
  bool normalize_line_breaks = false; ///< CRLF and CR inside quoted fields become LF
  bool vector_fields = true; ///< false: no field takes the SIMD path (tests compare the two)
};

/// Field flags.
enum : std::uint8_t {
  field_quoted = 1,   ///< the field was quoted (null tokens do not apply)
  field_escaped = 2,  ///< the text contains escapes to resolve (doubled quotes, backslashes)
  field_repaired = 4, ///< malformed quoting was read as literal text
};

struct field_ref {
  std::uint64_t begin = 0; ///< byte offset into the input
  std::uint32_t size = 0;
  /// Not a char type: a store of a field must not be taken to alias the dialect's chars,
  /// which the tokenizer would then reload for every field.
  std::uint32_t flags = 0;
};

struct record_ref {
  std::uint64_t first_field = 0; ///< index into the chunk's fields
  std::uint32_t field_count = 0;
  std::uint32_t flags = 0;       ///< OR of its fields' flags
  std::uint64_t line = 0;        ///< 0-based physical line where it starts (chunk-relative)
  std::uint64_t byte_offset = 0; ///< where it starts
};

/// A malformation the tokenizer met (strict mode stops at the first).
struct token_problem {
  std::uint64_t line = 0;   ///< chunk-relative, 0-based
  std::uint64_t column = 0; ///< 1-based byte column within the line
  std::uint64_t byte_offset = 0;
  std::string message;
};

struct token_chunk {
  std::vector<field_ref> fields;
  std::vector<record_ref> records;
  std::uint64_t lines = 0; ///< physical line breaks consumed
  std::uint64_t end = 0;   ///< where parsing stopped (a record boundary)
  bool failed = false;
  token_problem problem;              ///< set when failed
  std::vector<token_problem> repairs; ///< quoting repaired (permissive mode)
};

/// Bit i of the result: the XOR of bits 0 to i of x (for a window's quote bits: set from each
/// opening quote up to its closing one, which is clear).
constexpr std::uint64_t prefix_xor(std::uint64_t x) noexcept {
  for (int shift = 1; shift < 64; shift *= 2) x ^= x << shift;
  return x;
}

/// Tokenizes data[begin, n) until a record ends at or after `stop`, the input ends, or `out`
/// holds max_records records.
class tokenizer {
public:
  tokenizer(const char* data, std::size_t n, const token_dialect& d) : data_(data), n_(n), d_(d) {
    std::memset(special_, 0, sizeof special_);
    special_[static_cast<unsigned char>('\n')] = 1;
    special_[static_cast<unsigned char>('\r')] = 1;
    special_[static_cast<unsigned char>(d.delimiter)] = 1;
  }

  void run(std::size_t begin, std::size_t stop, token_chunk& out,
           std::size_t max_records = SIZE_MAX) const {
    std::size_t pos = begin;
    std::uint64_t line = 0;
    std::size_t line_start = begin;
    window win;
    while (pos < n_ && pos < stop && out.records.size() < max_records) {
      const char c = data_[pos];
      if (c == '\n' || c == '\r') {
        if (d_.skip_blank_lines) {
          pos = after_newline(pos);
          ++line;
          line_start = pos;
          continue;
        }
      }
      if (d_.comment != '\0' && c == d_.comment) {
        while (pos < n_ && data_[pos] != '\n' && data_[pos] != '\r') ++pos;
        if (pos < n_) {
          pos = after_newline(pos);
          ++line;
          line_start = pos;
        }
        continue;
      }
      record_ref rec;
      rec.first_field = out.fields.size();
      rec.line = line;
      rec.byte_offset = pos;
      if (d_.vector_fields && !d_.trim &&
          plain_fields(pos, rec, out, line, line_start, stop, max_records))
        continue;
      for (;;) {
        field_ref f;
        std::size_t fs = pos;
        if (d_.trim)
          while (fs < n_ && (data_[fs] == ' ' || data_[fs] == '\t') && data_[fs] != d_.delimiter)
            ++fs;
        std::size_t next = 0; // position of the terminator (delimiter, newline or n_)
        if (d_.quote != '\0' && fs < n_ && data_[fs] == d_.quote) {
          // Quoted field: find the closing quote.
          std::size_t p = fs + 1;
          std::uint64_t inner_lines = 0;
          std::size_t inner_line_start = line_start;
          bool closed = false;
          std::uint8_t flags = field_quoted;
          for (;;) {
            p = find_quote_or_escape(p);
            if (p >= n_) break;
            const char q = data_[p];
            if (q == '\n' || q == '\r') {
              if (q == '\r' && d_.normalize_line_breaks) flags |= field_escaped;
              p = after_newline(p);
              ++inner_lines;
              inner_line_start = p;
              continue;
            }
            if (q == d_.escape && d_.escape != d_.quote) {
              flags |= field_escaped;
              p += 2;
              continue;
            }
            // q is the quote
            if (d_.escape == d_.quote && p + 1 < n_ && data_[p + 1] == d_.quote) {
              flags |= field_escaped;
              p += 2;
              continue;
            }
            closed = true;
            break;
          }
          std::size_t after = closed ? p + 1 : n_;
          if (closed && d_.trim)
            while (after < n_ && (data_[after] == ' ' || data_[after] == '\t') &&
                   data_[after] != d_.delimiter)
              ++after;
          const bool clean_end = closed && (after >= n_ || data_[after] == d_.delimiter ||
                                            data_[after] == '\n' || data_[after] == '\r');
          if (clean_end) {
            f.begin = fs + 1;
            f.size = static_cast<std::uint32_t>(p - fs - 1);
            f.flags = flags;
            next = after;
            line += inner_lines;
            line_start = inner_line_start;
          } else {
            // Malformed: text after the closing quote, or no closing quote at all.
            token_problem prob;
            prob.line = line;
            prob.column = fs - line_start + 1;
            prob.byte_offset = fs;
            prob.message = closed ? "unexpected character '" + printable(data_[after]) +
                                        "' after the closing quote of a field"
                                  : "quoted field is never closed";
            if (!d_.repair_quotes) {
              out.failed = true;
              out.problem = std::move(prob);
              out.end = pos;
              out.lines = line;
              return;
            }
            // Repair: the opening quote was literal text; read the field as unquoted.
            out.repairs.push_back(std::move(prob));
            next = scan_unquoted(fs, win);
            f.begin = fs;
            f.size = static_cast<std::uint32_t>(next - fs);
            f.flags = field_repaired;
            if (d_.trim) trim_back(f);
          }
        } else {
          next = scan_unquoted(fs, win);
          f.begin = fs;
          f.size = static_cast<std::uint32_t>(next - fs);
          if (d_.trim) trim_back(f);
        }
        if (next - fs > UINT32_MAX) {
          out.failed = true;
          out.problem = {line, fs - line_start + 1, fs, "field longer than 4 GiB"};
          out.end = pos;
          out.lines = line;
          return;
        }
        rec.flags |= f.flags;
        if (out.fields.size() == out.fields.capacity()) [[unlikely]]
          grow(out.fields);
        out.fields.push_back(f);
        ++rec.field_count;
        if (next < n_ && data_[next] == d_.delimiter) {
          pos = next + 1;
          if (pos >= n_) { // a delimiter at the very end: one more, empty field
            field_ref empty;
            empty.begin = pos;
            out.fields.push_back(empty);
            ++rec.field_count;
            break;
          }
          continue;
        }
        pos = next < n_ ? after_newline(next) : n_;
        if (next < n_) {
          ++line;
          line_start = pos;
        }
        break;
      }
      if (out.records.size() == out.records.capacity()) grow(out.records);
      out.records.push_back(rec);
    }
    out.end = pos < n_ ? pos : n_;
    out.lines = line;
  }

  /// The position after the line break at p (CRLF, LF or CR).
  [[nodiscard]] std::size_t after_newline(std::size_t p) const noexcept {
    if (data_[p] == '\r' && p + 1 < n_ && data_[p + 1] == '\n') return p + 2;
    return p + 1;
  }

private:
  /// The common case at SIMD speed: fields unquoted or simply quoted (no escapes or line breaks
  /// inside), in records that end with LF or CRLF, a 64-byte window at a time, each field
  /// straight from the window's separator bits. Starts at the start of `rec` (pos) and takes
  /// whole fields until a window holds something else (other quoting, a lone CR, a blank or
  /// comment line to skip, a field as long as the window), the input's last 64 bytes, `stop`
  /// or max_records. Returns true when it took a record and stopped at the start of another
  /// (every record so far pushed); false at the start of a field of `rec`, which the general
  /// loop then finishes.
  bool plain_fields(std::size_t& pos, record_ref& record, token_chunk& out,
                    std::uint64_t& line_count, std::size_t& line_start, std::size_t stop,
                    std::size_t max_records) const {
#if !defined(TESSERA_NO_SIMD)
    // The record and the line count in locals, not behind the references: a record copied
    // into `out` just after a store to its field count would wait for that store.
    record_ref rec = record;
    std::uint64_t line = line_count;
    const auto leave = [&](std::size_t at) {
      pos = at;
      record = rec;
      line_count = line;
    };
    using bytes = simd::batch<std::uint8_t>;
    constexpr std::size_t w = simd::width<std::uint8_t>;
    const bytes delimiter(static_cast<std::uint8_t>(d_.delimiter)), lf(std::uint8_t{'\n'}),
        cr(std::uint8_t{'\r'}), quote(static_cast<std::uint8_t>(d_.quote)),
        escape(static_cast<std::uint8_t>(d_.escape)),
        comment(static_cast<std::uint8_t>(d_.comment));
    const std::size_t begin = pos;
    std::size_t fs = pos;     // start of the current field
    bool record_start = true; // fs starts a record
    while (fs + 64 <= n_) {
      const std::size_t base = fs;
      std::uint64_t delims = 0, lfs = 0, crs = 0, quotes = 0, escapes = 0, comments = 0;
      for (std::size_t i = 0; i < 64; i += w) {
        const bytes x = simd::load(reinterpret_cast<const std::uint8_t*>(data_ + base + i));
        delims |= simd::to_mask(x == delimiter) << i;
        lfs |= simd::to_mask(x == lf) << i;
        crs |= simd::to_mask(x == cr) << i;
        if (d_.quote != '\0') quotes |= simd::to_mask(x == quote) << i;
        if (d_.escape != '\0' && d_.escape != d_.quote) escapes |= simd::to_mask(x == escape) << i;
        if (d_.comment != '\0') comments |= simd::to_mask(x == comment) << i;
      }
      // Quoted fields: the bytes from an opening quote to its closing one, taking each quote
      // as opening or closing in turn (the window starts outside quotes); a doubled quote
      // closes and reopens, so no separator lies between. Anything else about quotes (one
      // inside an unquoted field, text after the closing quote) and escapes or line breaks
      // inside quotes are left to the general loop.
      const std::uint64_t inside = prefix_xor(quotes), opens = quotes & inside,
                          closes = quotes & ~inside;
      std::uint64_t doubled = d_.escape == d_.quote ? closes & (opens >> 1) : 0;
      const std::uint64_t inside_other = (lfs | crs | escapes) & inside;
      lfs &= ~inside;
      const std::uint64_t crlf = crs & ~inside & (lfs >> 1); // a CR that ends a record
      const std::uint64_t breaks = (lfs & ~(crlf << 1)) | crlf;
      const std::uint64_t seps = (delims & ~inside) | breaks;
      const std::uint64_t field_starts = ((delims & ~inside) | lfs) << 1 | 1;
      const std::uint64_t record_starts = (lfs << 1) | std::uint64_t{record_start};
      const std::uint64_t open_at_end = inside >> 63 != 0 ? std::bit_floor(opens) : 0;
      const std::uint64_t other =
          (opens & ~field_starts & ~(doubled << 1)) | (closes & ~(seps >> 1) & ~doubled) |
          open_at_end | inside_other | (crs & ~inside & ~crlf) |
          (record_starts & (comments | (d_.skip_blank_lines ? lfs | crs : 0)));
      std::uint64_t ends = seps & ((other & (0 - other)) - 1); // those before it
      if (ends == 0) break;
      if (out.fields.capacity() - out.fields.size() < 64) grow(out.fields);
      do {
        const int b = std::countr_zero(ends);
        ends &= ends - 1;
        const std::size_t p = base + static_cast<std::size_t>(b);
        field_ref f;
        if ((opens >> (fs - base) & 1) == 0) {
          f.begin = fs;
          f.size = static_cast<std::uint32_t>(p - fs);
        } else { // quoted: the closing quote is just before p
          f.begin = fs + 1;
          f.size = static_cast<std::uint32_t>(p - fs - 2);
          const std::uint64_t mine = doubled & ((std::uint64_t{2} << b) - 1);
          f.flags = mine != 0 ? field_quoted | field_escaped : field_quoted;
          doubled &= ~mine;
          rec.flags |= f.flags;
        }
        out.fields.push_back(f);
        ++rec.field_count;
        if ((breaks >> b & 1) == 0) {
          fs = p + 1;
          record_start = false;
          continue;
        }
        fs = p + 1 + (crlf >> b & 1);
        if (out.records.size() == out.records.capacity()) grow(out.records);
        out.records.push_back(rec);
        ++line;
        line_start = fs;
        record_start = true;
        if (fs >= stop || out.records.size() >= max_records) {
          leave(fs);
          return true;
        }
        rec = record_ref{};
        rec.first_field = out.fields.size();
        rec.line = line;
        rec.byte_offset = fs;
      } while (ends != 0);
    }
    leave(fs);
    return record_start && fs != begin;
#else
    (void)pos, (void)record, (void)out, (void)line_count, (void)line_start, (void)stop,
        (void)max_records;
    return false;
#endif
  }

  /// Doubles a full array, its new storage advised for huge pages (it may reach gigabytes).
  template <class T>
  static void grow(std::vector<T>& v) {
    v.reserve(std::max<std::size_t>(v.capacity() * 2, 1024));
    advise_huge_pages(v.data(), v.capacity() * sizeof(T));
  }

  static std::string printable(char c) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      static constexpr char hex[] = "0123456789abcdef";
      return std::string("\\x") + hex[static_cast<unsigned char>(c) >> 4] +
             hex[static_cast<unsigned char>(c) & 15];
    }
    return std::string(1, c);
  }

  void trim_back(field_ref& f) const noexcept {
    while (f.size > 0 &&
           (data_[f.begin + f.size - 1] == ' ' || data_[f.begin + f.size - 1] == '\t'))
      --f.size;
  }

  [[nodiscard]] std::uint64_t load8(std::size_t p) const noexcept {
    std::uint64_t x;
    std::memcpy(&x, data_ + p, 8);
    return x;
  }

  /// The delimiters and line breaks among 64 bytes of the input from `base`, one bit each.
  struct window {
    std::size_t base = SIZE_MAX / 2; ///< none yet: no input position is within 64 bytes of it
    std::uint64_t bits = 0;
  };

  /// The first delimiter or line break at or after p (n_ if none). Most fields are short: the
  /// window found for one serves the next few.
  [[nodiscard]] std::size_t scan_unquoted(std::size_t p, window& win) const noexcept {
#if !defined(TESSERA_NO_SIMD)
    using bytes = simd::batch<std::uint8_t>;
    constexpr std::size_t w = simd::width<std::uint8_t>;
    static_assert(64 % w == 0);
    for (;;) {
      if (p - win.base < 64) { // p within the window (p < base wraps around)
        const std::uint64_t m = win.bits & (~std::uint64_t{0} << (p - win.base));
        if (m != 0) return win.base + static_cast<std::size_t>(std::countr_zero(m));
        p = win.base + 64;
      }
      if (p + 64 > n_) break;
      const bytes delimiter(static_cast<std::uint8_t>(d_.delimiter)), lf(std::uint8_t{'\n'}),
          cr(std::uint8_t{'\r'});
      win.base = p;
      win.bits = 0;
      for (std::size_t i = 0; i < 64; i += w) {
        const bytes x = simd::load(reinterpret_cast<const std::uint8_t*>(data_ + p + i));
        win.bits |= simd::to_mask((x == delimiter) | (x == lf) | (x == cr)) << i;
      }
    }
#else
    (void)win;
#endif
    if constexpr (std::endian::native == std::endian::little) {
      // Eight bytes at a time; the lowest marked byte is the first match.
      const std::uint64_t delimiter = broadcast(d_.delimiter);
      while (p + 8 <= n_) {
        const std::uint64_t x = load8(p);
        const std::uint64_t hit = zero_bytes(x ^ delimiter) | zero_bytes(x ^ broadcast('\n')) |
                                  zero_bytes(x ^ broadcast('\r'));
        if (hit != 0) return p + static_cast<std::size_t>(std::countr_zero(hit) >> 3);
        p += 8;
      }
    } else {
      // Eight bytes at a time while none of them is special.
      while (p + 8 <= n_) {
        const auto* u = reinterpret_cast<const unsigned char*>(data_ + p);
        if (special_[u[0]] | special_[u[1]] | special_[u[2]] | special_[u[3]] | special_[u[4]] |
            special_[u[5]] | special_[u[6]] | special_[u[7]])
          break;
        p += 8;
      }
    }
    while (p < n_ && !special_[static_cast<unsigned char>(data_[p])]) ++p;
    return p;
  }

  /// The first quote, escape or line break at or after p (n_ if none).
  [[nodiscard]] std::size_t find_quote_or_escape(std::size_t p) const noexcept {
    const char q = d_.quote;
    const char e = d_.escape == '\0' ? q : d_.escape;
    if constexpr (std::endian::native == std::endian::little) {
      const std::uint64_t qs = broadcast(q), es = broadcast(e);
      while (p + 8 <= n_) {
        const std::uint64_t x = load8(p);
        const std::uint64_t hit = zero_bytes(x ^ qs) | zero_bytes(x ^ es) |
                                  zero_bytes(x ^ broadcast('\n')) | zero_bytes(x ^ broadcast('\r'));
        if (hit != 0) return p + static_cast<std::size_t>(std::countr_zero(hit) >> 3);
        p += 8;
      }
    }
    while (p < n_) {
      const char c = data_[p];
      if (c == q || c == e || c == '\n' || c == '\r') return p;
      ++p;
    }
    return n_;
  }

  const char* data_;
  std::size_t n_;
  token_dialect d_;
  unsigned char special_[256];
};

/// The quotes and line feeds of a piece of text.
struct line_counts {
  std::size_t quotes = 0;        ///< quote characters
  std::size_t lines = 0;         ///< line feeds
  std::size_t lines_outside = 0; ///< line feeds outside quotes, the piece starting outside
};

/// Counts the quotes (q; none when q is NUL) and line feeds of p[0, n), 64 bytes at a time.
/// Started inside quotes instead, the piece has lines - lines_outside line feeds outside them.
inline line_counts count_lines(const char* p, std::size_t n, char q) noexcept {
  line_counts c;
  std::uint64_t inside = 0; // all ones while inside quotes
  std::size_t i = 0;
#if !defined(TESSERA_NO_SIMD)
  using bytes = simd::batch<std::uint8_t>;
  constexpr std::size_t w = simd::width<std::uint8_t>;
  static_assert(64 % w == 0);
  const bytes quote(static_cast<std::uint8_t>(q)), lf(std::uint8_t{'\n'});
  const std::uint64_t quote_bits = q == '\0' ? 0 : ~std::uint64_t{0};
  for (; i + 64 <= n; i += 64) {
    std::uint64_t qs = 0, ls = 0;
    for (std::size_t j = 0; j < 64; j += w) {
      const bytes x = simd::load(reinterpret_cast<const std::uint8_t*>(p + i + j));
      qs |= simd::to_mask(x == quote) << j;
      ls |= simd::to_mask(x == lf) << j;
    }
    qs &= quote_bits;
    const std::uint64_t in = prefix_xor(qs) ^ inside;
    c.quotes += static_cast<std::size_t>(std::popcount(qs));
    c.lines += static_cast<std::size_t>(std::popcount(ls));
    c.lines_outside += static_cast<std::size_t>(std::popcount(ls & ~in));
    inside = std::uint64_t{0} - (in >> 63);
  }
#endif
  for (; i < n; ++i) {
    if (q != '\0' && p[i] == q) {
      ++c.quotes;
      inside = ~inside;
    } else if (p[i] == '\n') {
      ++c.lines;
      c.lines_outside += inside == 0;
    }
  }
  return c;
}

/// How many bytes of p[0, n) equal c (a batch at a time).
inline std::size_t count_byte(const char* p, std::size_t n, char c) noexcept {
  std::size_t count = 0, i = 0;
#if !defined(TESSERA_NO_SIMD)
  using bytes = simd::batch<std::uint8_t>;
  constexpr std::size_t w = simd::width<std::uint8_t>;
  const bytes b(static_cast<std::uint8_t>(c));
  for (; i + w <= n; i += w)
    count += static_cast<std::size_t>(std::popcount(
        simd::to_mask(simd::load(reinterpret_cast<const std::uint8_t*>(p + i)) == b)));
#endif
  for (; i < n; ++i) count += p[i] == c;
  return count;
}

/// Resolves escapes of a field's text into `out`: doubled quotes become one quote; with a
/// distinct escape character, it is dropped and the next byte kept.
inline void unescape(std::string_view text, const token_dialect& d, std::string& out) {
  out.clear();
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r' && d.normalize_line_breaks) {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (d.escape != '\0' && d.escape != d.quote && c == d.escape && i + 1 < text.size()) {
      out += text[++i];
    } else if (c == d.quote && d.escape == d.quote && i + 1 < text.size() &&
               text[i + 1] == d.quote) {
      out += c;
      ++i;
    } else {
      out += c;
    }
  }
}

} // namespace detail::csv
TESSERA_NAMESPACE_END
