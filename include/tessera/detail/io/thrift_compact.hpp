// tessera internals: a bounds-checked reader of the Thrift compact protocol (the encoding of
// Parquet's footer). Every read checks the remaining bytes; lengths and element counts are
// checked against what is left before anything is allocated; nesting depth is capped, so
// hostile input gives a corrupt_data error naming the byte offset, never a crash.
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/error.hpp>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

TESSERA_NAMESPACE_BEGIN
namespace detail::thrift {

/// Compact-protocol wire types (the low nibble of a field header).
enum class wire : std::uint8_t {
  stop = 0,
  bool_true = 1,
  bool_false = 2,
  i8 = 3,
  i16 = 4,
  i32 = 5,
  i64 = 6,
  dbl = 7,
  binary = 8,
  list = 9,
  set = 10,
  map = 11,
  structure = 12,
  uuid = 13,
};

/// A field header: its id and wire type; `bool_value` holds the value of a boolean field, which
/// the compact protocol stores in the type nibble.
struct field_header {
  std::int16_t id = 0;
  wire type = wire::stop;
  bool bool_value = false;
};

/// A list or set header.
struct list_header {
  std::uint32_t size = 0;
  wire element = wire::stop;
};

/// The reader. Its hot members are inline and its slow paths are static functions that take and
/// return plain values, never the reader's address: a parser may keep a reader as a local
/// variable whose position the compiler holds in a register instead of storing and reloading it
/// around every byte (that store-to-load round trip was the cost of parsing wide footers).
class compact_reader {
public:
  static constexpr int max_depth = 64;

  /// Reads [data, data + size); offsets in errors are reported relative to `base_offset`.
  compact_reader(const std::uint8_t* data, std::size_t size, std::uint64_t base_offset = 0)
      : begin_(data), p_(data), end_(data + size), base_(base_offset) {}

  [[nodiscard]] std::size_t position() const noexcept {
    return static_cast<std::size_t>(p_ - begin_);
  }
  [[nodiscard]] std::size_t remaining() const noexcept {
    return static_cast<std::size_t>(end_ - p_);
  }

  /// Throws corrupt_data naming the current byte offset.
  [[noreturn]] void fail(const char* what) const { raise(offset(), what); }
  [[noreturn]] void fail(const std::string& what) const { raise(offset(), what.c_str()); }

  [[gnu::always_inline]] std::uint8_t byte() {
    if (p_ == end_) [[unlikely]]
      raise(offset(), "unexpected end of Thrift data");
    return *p_++;
  }

  /// An unsigned LEB128 varint of at most 10 bytes. One-byte values (field ids, small counts,
  /// enums) take the inline path; longer ones are decoded without a bounds check per byte when
  /// 10 bytes remain.
  [[gnu::always_inline]] std::uint64_t varint() {
    if (p_ != end_ && *p_ < 0x80) [[likely]]
      return *p_++;
    return varint_long();
  }

  static std::int64_t unzigzag(std::uint64_t v) noexcept {
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
  }

  [[gnu::always_inline]] std::int64_t i64() { return unzigzag(varint()); }
  [[gnu::always_inline]] std::int32_t i32() {
    const std::int64_t v = i64();
    if (v < INT32_MIN || v > INT32_MAX) [[unlikely]]
      fail("Thrift i32 out of range");
    return static_cast<std::int32_t>(v);
  }
  [[gnu::always_inline]] std::int16_t i16() {
    const std::int64_t v = i64();
    if (v < INT16_MIN || v > INT16_MAX) [[unlikely]]
      fail("Thrift i16 out of range");
    return static_cast<std::int16_t>(v);
  }
  std::int8_t i8() { return static_cast<std::int8_t>(byte()); }
  double dbl() {
    if (remaining() < 8) fail("unexpected end of Thrift data in a double");
    std::uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits |= static_cast<std::uint64_t>(p_[i]) << (8 * i);
    p_ += 8;
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
  }
  /// A binary or string: a view into the input, valid as long as the input is.
  [[gnu::always_inline]] std::string_view binary() {
    const std::uint64_t n = varint();
    if (n > remaining()) [[unlikely]]
      raise_too_long(offset(), "Thrift binary length ", n, "");
    std::string_view s(reinterpret_cast<const char*>(p_), static_cast<std::size_t>(n));
    p_ += n;
    return s;
  }

  /// Reads a field header; `last_id` is the previous field id of this struct (updated).
  [[gnu::always_inline]] field_header field(std::int16_t& last_id) {
    const std::uint8_t b = byte();
    if (b == 0) return {}; // the stop marker
    const auto t = static_cast<std::uint8_t>(b & 0x0f);
    const int delta = b >> 4;
    // The common case: a known wire type and a short-form id delta.
    if (t != 0 && t <= 13 && delta != 0 && last_id + delta <= INT16_MAX) [[likely]] {
      field_header h;
      h.type = static_cast<wire>(t);
      h.id = static_cast<std::int16_t>(last_id + delta);
      h.bool_value = t == static_cast<std::uint8_t>(wire::bool_true);
      last_id = h.id;
      return h;
    }
    const field_step f = field_long(b, last_id, p_, end_, offset());
    p_ = f.next;
    last_id = f.header.id;
    return f.header;
  }

  /// The next byte without consuming it, or 256 at the end of the data.
  [[gnu::always_inline]] unsigned peek() const noexcept { return p_ != end_ ? *p_ : 256u; }

  /// Consumes one byte; the caller has seen it with peek().
  [[gnu::always_inline]] void advance() noexcept { ++p_; }

  /// A list/set header. The element count is checked against the bytes left (every element
  /// takes at least one byte), so a forged count cannot make a caller allocate unboundedly.
  [[gnu::always_inline]] list_header list() {
    const std::uint8_t b = byte();
    list_header h;
    h.element = static_cast<wire>(b & 0x0f);
    const auto et = static_cast<std::uint8_t>(b & 0x0f);
    if (et == 0 || et > 13) [[unlikely]]
      raise_list_type(offset(), et);
    std::uint64_t n = b >> 4;
    if (n == 15) n = varint();
    if (n > remaining()) [[unlikely]]
      raise_too_long(offset(), "Thrift list of ", n, " elements");
    h.size = static_cast<std::uint32_t>(n);
    return h;
  }

  /// A boolean list element: accepts both encodings seen in the wild (1/2 as the compact
  /// protocol specifies, 0/1 as some writers emit).
  bool list_bool() {
    const std::uint8_t b = byte();
    if (b == 1) return true;
    if (b == 0 || b == 2) return false;
    raise_bool(offset(), b);
  }

  /// A boolean field's value (from the header).
  bool field_bool(const field_header& h) {
    if (h.type != wire::bool_true && h.type != wire::bool_false) type_mismatch(h);
    return h.bool_value;
  }

  [[noreturn]] void type_mismatch(const field_header& h) const {
    raise_mismatch(offset(), h.id, h.type);
  }
  void expect(const field_header& h, wire t) const {
    if (h.type != t) type_mismatch(h);
  }

  /// Skips a value of wire type t (of a field when in_field, of a list element otherwise).
  void skip(wire t, bool in_field = true) {
    // A boolean field's value is in its header: nothing to skip.
    if (in_field && (t == wire::bool_true || t == wire::bool_false)) return;
    p_ = skip_from(begin_, p_, end_, base_, depth_, t, in_field);
  }

  /// Depth guard for recursive struct readers.
  class nest {
  public:
    explicit nest(compact_reader& r) : r_(r) {
      if (++r_.depth_ > max_depth) [[unlikely]]
        r_.fail("Thrift data nested too deeply");
    }
    ~nest() { --r_.depth_; }
    nest(const nest&) = delete;
    nest& operator=(const nest&) = delete;

  private:
    compact_reader& r_;
  };

private:
  struct varint_step {
    std::uint64_t value;
    const std::uint8_t* next;
  };
  struct field_step {
    field_header header;
    const std::uint8_t* next;
  };

  [[nodiscard]] std::uint64_t offset() const noexcept { return base_ + position(); }

  [[noreturn]] [[gnu::cold]] [[gnu::noinline]] static void raise(std::uint64_t at,
                                                                 const char* what) {
    location where;
    where.byte_offset = at;
    throw_error(error(errc::corrupt_data, what, std::move(where)));
  }
  [[noreturn]] [[gnu::cold]] [[gnu::noinline]] static void
  raise_too_long(std::uint64_t at, const char* what, std::uint64_t n, const char* unit) {
    raise(at, (what + std::to_string(n) + unit + " exceeds the data").c_str());
  }
  [[noreturn]] [[gnu::cold]] [[gnu::noinline]] static void raise_list_type(std::uint64_t at,
                                                                           unsigned et) {
    raise(at, ("unknown Thrift list element type " + std::to_string(et)).c_str());
  }
  [[noreturn]] [[gnu::cold]] [[gnu::noinline]] static void raise_bool(std::uint64_t at,
                                                                      unsigned b) {
    raise(at, ("invalid Thrift boolean list element " + std::to_string(b)).c_str());
  }
  [[noreturn]] [[gnu::cold]] [[gnu::noinline]] static void raise_mismatch(std::uint64_t at,
                                                                          std::int16_t id, wire t) {
    raise(at, ("Thrift field " + std::to_string(id) + " has unexpected wire type " +
               std::to_string(static_cast<int>(t)))
                  .c_str());
  }

  /// varint() past its first byte. Offsets and sizes take 2 to 5 bytes, so while 10 bytes
  /// remain the loop runs without a bounds check per byte.
  [[gnu::always_inline]] std::uint64_t varint_long() {
    if (remaining() < 10) [[unlikely]] {
      const varint_step v = varint_near_end(p_, end_, offset());
      p_ = v.next;
      return v.value;
    }
    std::uint64_t result = 0;
    const std::uint8_t* q = p_;
    for (int shift = 0; shift < 63; shift += 7) {
      const std::uint8_t b = *q++;
      result |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        p_ = q;
        return result;
      }
    }
    // The tenth byte may hold only the top bit of a 64-bit value.
    const std::uint8_t b = *q++;
    p_ = q;
    if ((b & 0x7e) != 0) fail("Thrift varint overflows 64 bits");
    result |= static_cast<std::uint64_t>(b & 0x7f) << 63;
    if ((b & 0x80) == 0) return result;
    fail("Thrift varint longer than 10 bytes");
  }

  /// varint() with fewer than 10 bytes left (from p, at byte offset `at`): every byte is
  /// bounds-checked.
  [[gnu::noinline]] static varint_step varint_near_end(const std::uint8_t* p,
                                                       const std::uint8_t* end, std::uint64_t at) {
    std::uint64_t result = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (p == end) raise(at, "unexpected end of Thrift data");
      const std::uint8_t b = *p++;
      ++at;
      if (shift == 63 && (b & 0x7e) != 0) raise(at, "Thrift varint overflows 64 bits");
      result |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return {result, p};
    }
    raise(at, "Thrift varint longer than 10 bytes");
  }

  /// field() for the rarer headers: the stop marker, a long-form id, or an invalid byte `b`
  /// (already consumed; p and `at` are just past it).
  [[gnu::noinline]] static field_step field_long(std::uint8_t b, std::int16_t last_id,
                                                 const std::uint8_t* p, const std::uint8_t* end,
                                                 std::uint64_t at) {
    field_step s{{}, p};
    field_header& h = s.header;
    h.id = last_id;
    const auto t = static_cast<std::uint8_t>(b & 0x0f);
    if (t == 0) {
      if (b != 0) raise(at, "malformed Thrift stop field");
      h.id = 0;
      return s;
    }
    if (t > 13) raise(at, ("unknown Thrift wire type " + std::to_string(t)).c_str());
    h.type = static_cast<wire>(t);
    const int delta = b >> 4;
    if (delta != 0) {
      const int id = last_id + delta;
      if (id > INT16_MAX) raise(at, "Thrift field id overflows");
      h.id = static_cast<std::int16_t>(id);
    } else {
      compact_reader r(p, static_cast<std::size_t>(end - p), at);
      h.id = r.i16();
      s.next = r.p_;
    }
    h.bool_value = h.type == wire::bool_true;
    return s;
  }

  /// skip() on a reader of [begin, end) at p, `depth` levels deep; returns the new position.
  [[gnu::noinline]] static const std::uint8_t*
  skip_from(const std::uint8_t* begin, const std::uint8_t* p, const std::uint8_t* end,
            std::uint64_t base, int depth, wire t, bool in_field) {
    compact_reader r(begin, static_cast<std::size_t>(end - begin), base);
    r.p_ = p;
    r.depth_ = depth;
    r.skip_impl(t, in_field, 0);
    return r.p_;
  }

  void skip_impl(wire t, bool in_field, int depth) {
    if (depth_ + depth > max_depth) fail("Thrift data nested too deeply");
    switch (t) {
    case wire::bool_true:
    case wire::bool_false:
      if (!in_field) (void)list_bool();
      return;
    case wire::i8:
      (void)byte();
      return;
    case wire::i16:
    case wire::i32:
    case wire::i64:
      (void)varint();
      return;
    case wire::dbl:
      (void)dbl();
      return;
    case wire::binary:
      (void)binary();
      return;
    case wire::uuid:
      if (remaining() < 16) fail("unexpected end of Thrift data in a uuid");
      p_ += 16;
      return;
    case wire::list:
    case wire::set: {
      const list_header h = list();
      for (std::uint32_t i = 0; i < h.size; ++i) skip_impl(h.element, false, depth + 1);
      return;
    }
    case wire::map: {
      const std::uint64_t n = varint();
      if (n == 0) return;
      if (n > remaining()) fail("Thrift map exceeds the data");
      const std::uint8_t kv = byte();
      const auto k = static_cast<wire>(kv >> 4);
      const auto v = static_cast<wire>(kv & 0x0f);
      if ((kv >> 4) == 0 || (kv >> 4) > 13 || (kv & 0x0f) == 0 || (kv & 0x0f) > 13)
        fail("unknown Thrift map element type");
      for (std::uint64_t i = 0; i < n; ++i) {
        skip_impl(k, false, depth + 1);
        skip_impl(v, false, depth + 1);
      }
      return;
    }
    case wire::structure: {
      std::int16_t last = 0;
      for (;;) {
        const field_header h = field(last);
        if (h.type == wire::stop) return;
        skip_impl(h.type, true, depth + 1);
      }
    }
    case wire::stop:
      break;
    }
    fail("unexpected Thrift wire type");
  }

  const std::uint8_t* begin_;
  const std::uint8_t* p_;
  const std::uint8_t* end_;
  std::uint64_t base_;
  int depth_ = 0;
};

} // namespace detail::thrift
TESSERA_NAMESPACE_END
