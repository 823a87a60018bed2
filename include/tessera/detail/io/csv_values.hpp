// tessera internals: parsing and printing of CSV cell values (integers, decimals, booleans,
// ISO-8601 dates and timestamps). Parsers accept only the exact syntax they can print back, so
// inference never changes a value's meaning (no leading zeros, no "nan" words, no locale).
#pragma once

#include <tessera/config.hpp>

#include <bit>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>

TESSERA_NAMESPACE_BEGIN
namespace detail::csv {

/// Kinds a cell can be read as; a column's candidates are a mask of these.
enum : std::uint8_t {
  kind_bool = 1,
  kind_int = 2,
  kind_double = 4,
  kind_date = 8,
  kind_timestamp = 16,
  kind_all = 31,
};

inline bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

/// One byte repeated in each of the eight bytes of a word.
constexpr std::uint64_t broadcast(char c) noexcept {
  return 0x0101010101010101ull * static_cast<unsigned char>(c);
}

/// The high bit of each byte of x that is zero, exactly (no false positives, no carries
/// between bytes).
constexpr std::uint64_t zero_bytes(std::uint64_t x) noexcept {
  constexpr std::uint64_t low7 = 0x7f7f7f7f7f7f7f7full;
  return ~(((x & low7) + low7) | x | low7);
}

/// 10^0 to 10^15: every one exact in a double (Clinger's fast path divides by them).
inline constexpr double exact_pow10[16] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                           1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

/// Bytes a field must have readable after its first byte for the `_padded` parsers, which load
/// whole words (a sign and 16 digits, rounded up): true of every field but the input's last few.
inline constexpr std::size_t parse_padding = 32;

/// The number written by the first n (1 to 8) bytes of the little-endian word v, ASCII digits;
/// false if one of them is not a digit.
[[gnu::always_inline]] inline bool digits_word(std::uint64_t v, std::size_t n,
                                               std::uint64_t& out) noexcept {
  v -= broadcast('0');
  // A digit byte is 0..9 now; any other byte has its high bit set here or after adding 0x76.
  // Bytes before the first bad one are digits, so no borrow or carry reaches a checked byte.
  const std::uint64_t checked = ~std::uint64_t{0} >> (64 - 8 * n);
  if ((((v + broadcast(0x76)) | v) & broadcast(static_cast<char>(0x80)) & checked) != 0)
    return false;
  v <<= 64 - 8 * n; // the digits to the top: the bytes below are leading zeros
  // Pairs, then quadruples, then the eight digits: one multiply-add per step.
  v = v * 10 + (v >> 8);
  v = (((v & 0x000000ff000000ffull) * (100 + (1000000ull << 32))) +
       (((v >> 16) & 0x000000ff000000ffull) * (1 + (10000ull << 32)))) >>
      32;
  out = v & 0xffffffffull;
  return true;
}

/// digits_word of the 8 bytes at p (which must be readable), on little-endian targets (the
/// callers take the byte-wise path elsewhere).
[[gnu::always_inline]] inline bool digits8(const char* p, std::size_t n,
                                           std::uint64_t& out) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return digits_word(v, n, out);
}

/// Integer syntax: [+-]digits, no leading zeros (except "0"). Sets `value` when it fits int64;
/// `fits` false for a well-formed integer that does not.
inline bool parse_int(std::string_view s, std::int64_t& value, bool& fits) noexcept {
  std::size_t i = 0;
  const bool negative = !s.empty() && s[0] == '-';
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) i = 1;
  if (i == s.size()) return false;
  if (s[i] == '0' && s.size() - i > 1) return false;
  fits = true;
  if (s.size() - i <= 18) {
    // At most 18 digits: below 10^18, so no overflow check per digit.
    std::uint64_t u = 0;
    for (std::size_t j = i; j < s.size(); ++j) {
      const unsigned d = static_cast<unsigned>(static_cast<unsigned char>(s[j])) - '0';
      if (d > 9) return false;
      u = u * 10 + d;
    }
    value = negative ? -static_cast<std::int64_t>(u) : static_cast<std::int64_t>(u);
    return true;
  }
  // Accumulate as a negative number so that INT64_MIN fits.
  std::int64_t v = 0;
  for (std::size_t j = i; j < s.size(); ++j) {
    const char c = s[j];
    if (!is_digit(c)) return false;
    const int d = c - '0';
    if (fits) {
      if (v < INT64_MIN / 10 || v * 10 < INT64_MIN + d)
        fits = false;
      else
        v = v * 10 - d;
    }
  }
  if (fits && !negative) {
    if (v == INT64_MIN)
      fits = false;
    else
      v = -v;
  }
  if (fits) value = v;
  return true;
}

/// parse_int for a field with parse_padding readable bytes: up to 16 digits in two word
/// loads; other text goes to parse_int.
[[gnu::always_inline]] inline bool parse_int_padded(std::string_view s, std::int64_t& value,
                                                    bool& fits) noexcept {
  if constexpr (std::endian::native != std::endian::little) {
    return parse_int(s, value, fits);
  } else {
    const char* p = s.data();
    std::size_t n = s.size();
    const bool negative = n != 0 && *p == '-';
    if (n != 0 && (*p == '-' || *p == '+')) {
      ++p;
      --n;
    }
    if (n == 0 || n > 16 || (*p == '0' && n > 1)) return parse_int(s, value, fits);
    std::uint64_t u = 0;
    if (n > 8) {
      std::uint64_t low = 0;
      if (!digits8(p, n - 8, u) || !digits8(p + n - 8, 8, low)) return false;
      u = u * 100000000 + low;
    } else if (!digits8(p, n, u)) {
      return false;
    }
    fits = true;
    value = negative ? -static_cast<std::int64_t>(u) : static_cast<std::int64_t>(u);
    return true;
  }
}

/// Classifies number syntax without converting: returns 0 (not a number), 1 (integer literal),
/// 2 (decimal literal). `digits` gets the count of significant digit characters, `exponent`
/// the decimal exponent written (0 if none; clamped).
inline int number_syntax(std::string_view s, std::size_t& digits, int& exponent) noexcept {
  std::size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) i = 1;
  const std::size_t int_begin = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  const std::size_t int_digits = i - int_begin;
  if (int_digits > 1 && s[int_begin] == '0') return 0;
  std::size_t frac_digits = 0;
  bool decimal = false;
  if (i < s.size() && s[i] == '.') {
    decimal = true;
    ++i;
    while (i < s.size() && is_digit(s[i])) {
      ++i;
      ++frac_digits;
    }
  }
  if (int_digits + frac_digits == 0) return 0;
  exponent = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    decimal = true;
    ++i;
    bool neg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    const std::size_t exp_begin = i;
    int e = 0;
    while (i < s.size() && is_digit(s[i])) {
      if (e < 100000) e = e * 10 + (s[i] - '0');
      ++i;
    }
    if (i == exp_begin) return 0;
    exponent = neg ? -e : e;
  }
  if (i != s.size()) return 0;
  digits = int_digits + frac_digits;
  return decimal ? 2 : 1;
}

/// The common short decimal, [+-]digits[.digits] with at most 15 digits and no exponent, as a
/// double: the digits make an integer below 2^53 and 10^fraction_digits is exact, so one IEEE
/// division gives the correctly rounded value (Clinger's fast path), the one std::from_chars
/// gives. Returns false, setting nothing, for any other text (the caller parses it in full).
inline bool parse_short_decimal(std::string_view s, double& value) noexcept {
  const char* p = s.data();
  const char* const e = p + s.size();
  bool negative = false;
  if (p != e && (*p == '-' || *p == '+')) negative = *p++ == '-';
  if (e - p > 16) return false; // more than 15 digits
  const char* const int_begin = p;
  std::uint64_t m = 0;
  while (p != e && is_digit(*p)) m = m * 10 + static_cast<unsigned>(*p++ - '0');
  const auto int_digits = static_cast<std::size_t>(p - int_begin);
  if (int_digits > 1 && *int_begin == '0') return false;
  std::size_t frac_digits = 0;
  if (p != e && *p == '.') {
    ++p;
    for (; p != e && is_digit(*p); ++p, ++frac_digits) m = m * 10 + static_cast<unsigned>(*p - '0');
  }
  if (p != e || int_digits + frac_digits == 0 || int_digits + frac_digits > 15) return false;
  const double v = static_cast<double>(m) / exact_pow10[frac_digits];
  value = negative ? -v : v;
  return true;
}

/// parse_short_decimal for a field with parse_padding readable bytes: the dot found in two
/// word loads; up to 8 digits are read as one word with the dot taken out, more as two.
[[gnu::always_inline]] inline bool parse_short_decimal_padded(std::string_view s,
                                                              double& value) noexcept {
  if constexpr (std::endian::native != std::endian::little) {
    return parse_short_decimal(s, value);
  } else {
    const char* p = s.data();
    std::size_t n = s.size();
    bool negative = false;
    if (n != 0 && (*p == '-' || *p == '+')) {
      negative = *p == '-';
      ++p;
      --n;
    }
    if (n == 0 || n > 16) return false;
    std::uint64_t w[2];
    std::memcpy(w, p, 16);
    std::size_t dot = n;
    if (const std::uint64_t m = zero_bytes(w[0] ^ broadcast('.')); m != 0)
      dot = static_cast<std::size_t>(std::countr_zero(m)) / 8;
    else if (const std::uint64_t m1 = zero_bytes(w[1] ^ broadcast('.')); m1 != 0)
      dot = 8 + static_cast<std::size_t>(std::countr_zero(m1)) / 8;
    dot = dot < n ? dot : n;
    const std::size_t digits = n - (dot < n ? 1 : 0), frac_digits = dot < n ? n - dot - 1 : 0;
    if (digits == 0 || digits > 15 || (dot > 1 && *p == '0')) return false;
    std::uint64_t m = 0;
    if (digits <= 8) {
      // The bytes before the dot, then the ones after it moved down by one.
      std::uint64_t after;
      std::memcpy(&after, p + 1, 8);
      const std::uint64_t before =
          dot >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * dot)) - 1;
      if (!digits_word((w[0] & before) | (after & ~before), digits, m)) return false;
    } else {
      std::uint64_t fraction = 0;
      if (dot > 8 || frac_digits > 8) return parse_short_decimal(s, value);
      if (!digits8(p, dot, m) || !digits8(p + dot + 1, frac_digits, fraction)) return false;
      m = m * static_cast<std::uint64_t>(exact_pow10[frac_digits]) + fraction;
    }
    const double v = static_cast<double>(m) / exact_pow10[frac_digits];
    value = negative ? -v : v;
    return true;
  }
}

/// Decimal syntax: [+-](digits[.digits*] | .digits)([eE][+-]digits)?, no leading zeros in the
/// integer part (except "0"). Out-of-range magnitudes are rejected.
inline bool parse_double(std::string_view s, double& value) noexcept {
  if (parse_short_decimal(s, value)) return true;
  std::size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) i = 1;
  const std::size_t int_begin = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  const std::size_t int_digits = i - int_begin;
  if (int_digits > 1 && s[int_begin] == '0') return false;
  std::size_t frac_digits = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) {
      ++i;
      ++frac_digits;
    }
  }
  if (int_digits + frac_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    const std::size_t exp_begin = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == exp_begin) return false;
  }
  if (i != s.size()) return false;
  const char* b = s.data() + (s[0] == '+' ? 1 : 0);
  const auto r = std::from_chars(b, s.data() + s.size(), value);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

inline bool parse_bool(std::string_view s, bool& value) noexcept {
  if (s == "true" || s == "True" || s == "TRUE") {
    value = true;
    return true;
  }
  if (s == "false" || s == "False" || s == "FALSE") {
    value = false;
    return true;
  }
  return false;
}

inline bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) noexcept {
  if (at + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (!is_digit(s[i])) return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
inline std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

inline bool valid_date(int y, int m, int d) noexcept {
  if (m < 1 || m > 12 || d < 1) return false;
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

/// YYYY-MM-DD.
inline bool parse_date(std::string_view s, std::int32_t& days) noexcept {
  int y, m, d;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 0, 4, y) || !digits(s, 5, 2, m) ||
      !digits(s, 8, 2, d) || !valid_date(y, m, d))
    return false;
  days = static_cast<std::int32_t>(
      days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)));
  return true;
}

/// YYYY-MM-DD[T ]HH:MM[:SS[.f{1,9}]][Z|(+|-)HH[:]MM], converted to nanoseconds since the epoch
/// (UTC when an offset is given). `frac_digits` gets the number of fraction digits.
inline bool parse_timestamp(std::string_view s, std::int64_t& nanos, int& frac_digits) noexcept {
  std::int32_t days;
  if (s.size() < 16 || !parse_date(s.substr(0, 10), days) || (s[10] != 'T' && s[10] != ' '))
    return false;
  int hh, mm, ss = 0;
  if (!digits(s, 11, 2, hh) || s[13] != ':' || !digits(s, 14, 2, mm) || hh > 23 || mm > 59)
    return false;
  std::size_t i = 16;
  std::int64_t frac = 0;
  frac_digits = 0;
  if (i < s.size() && s[i] == ':') {
    if (!digits(s, i + 1, 2, ss) || ss > 59) return false;
    i += 3;
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && is_digit(s[i])) {
        if (frac_digits == 9) return false;
        frac = frac * 10 + (s[i] - '0');
        ++frac_digits;
        ++i;
      }
      if (frac_digits == 0) return false;
    }
  }
  for (int k = frac_digits; k < 9; ++k) frac *= 10;
  std::int64_t offset_minutes = 0;
  if (i < s.size()) {
    if (s[i] == 'Z') {
      ++i;
    } else if (s[i] == '+' || s[i] == '-') {
      const int sign = s[i] == '-' ? -1 : 1;
      int oh, om;
      if (!digits(s, i + 1, 2, oh)) return false;
      std::size_t j = i + 3;
      if (j < s.size() && s[j] == ':') ++j;
      if (!digits(s, j, 2, om) || oh > 23 || om > 59) return false;
      offset_minutes = sign * (oh * 60 + om);
      i = j + 2;
    }
  }
  if (i != s.size()) return false;
  // Range of int64 nanoseconds: about years 1677 to 2262.
  if (days < -106751 || days > 106750) return false;
  const std::int64_t secs =
      static_cast<std::int64_t>(days) * 86400 + hh * 3600 + mm * 60 + ss - offset_minutes * 60;
  nanos = secs * 1000000000 + frac;
  return true;
}

inline void append_2(std::string& out, int v) {
  out += static_cast<char>('0' + v / 10);
  out += static_cast<char>('0' + v % 10);
}

/// Civil date of a day count, appended as YYYY-MM-DD (years outside 0..9999 get a sign/more
/// digits).
inline void append_date(std::string& out, std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t doe = days - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = yoe + era * 400;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const auto d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const auto m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  if (m <= 2) ++y;
  if (y < 0) {
    out += '-';
    y = -y;
  }
  std::string ys = std::to_string(y);
  while (ys.size() < 4) ys.insert(ys.begin(), '0');
  out += ys;
  out += '-';
  append_2(out, m);
  out += '-';
  append_2(out, d);
}

/// A timestamp of `ticks` units (per_second ticks a second, `digits` fraction digits).
inline void append_timestamp(std::string& out, std::int64_t ticks, std::int64_t per_second,
                             int frac_digits) {
  const std::int64_t per_day = per_second * 86400;
  std::int64_t days = ticks / per_day;
  std::int64_t rem = ticks % per_day;
  if (rem < 0) {
    rem += per_day;
    --days;
  }
  append_date(out, days);
  out += 'T';
  const std::int64_t secs = rem / per_second;
  append_2(out, static_cast<int>(secs / 3600));
  out += ':';
  append_2(out, static_cast<int>(secs / 60 % 60));
  out += ':';
  append_2(out, static_cast<int>(secs % 60));
  if (frac_digits > 0) {
    std::string f = std::to_string(rem % per_second);
    while (f.size() < static_cast<std::size_t>(frac_digits)) f.insert(f.begin(), '0');
    out += '.';
    out += f;
  }
}

} // namespace detail::csv
TESSERA_NAMESPACE_END
