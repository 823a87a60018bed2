// A minimal Thrift compact-protocol writer, written from the protocol description, to build
// Parquet footers whose content the caller knows (the footer tests and the footer benchmark).
// Independent of the reader in include/tessera/detail/io/thrift_compact.hpp on purpose.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tessera_test {

class thrift_writer {
public:
  std::string out;

  void byte(int b) { out += static_cast<char>(b); }
  void varint(std::uint64_t v) {
    while (v >= 0x80) {
      byte(static_cast<int>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    byte(static_cast<int>(v));
  }
  void zigzag(std::int64_t v) {
    varint((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
  }
  /// A field header: the id as a delta from the previous field when it fits, else in full.
  void field(int id, int type) {
    if (id - last_.back() > 0 && id - last_.back() <= 15) {
      byte(((id - last_.back()) << 4) | type);
    } else {
      byte(type);
      zigzag(id);
    }
    last_.back() = id;
  }
  void i32(int id, std::int32_t v) {
    field(id, 5);
    zigzag(v);
  }
  void i64(int id, std::int64_t v) {
    field(id, 6);
    zigzag(v);
  }
  void str(int id, std::string_view s) {
    field(id, 8);
    bin(s);
  }
  void bin(std::string_view s) {
    varint(s.size());
    out += s;
  }
  void boolean(int id, bool v) { field(id, v ? 1 : 2); }
  void list(int id, int elem_type, std::size_t n) {
    field(id, 9);
    if (n < 15) {
      byte(static_cast<int>(n << 4) | elem_type);
    } else {
      byte(0xf0 | elem_type);
      varint(n);
    }
  }
  /// A struct field; close it with end().
  void begin(int id) {
    field(id, 12);
    last_.push_back(0);
  }
  /// A struct element of a list; close it with end().
  void begin_element() { last_.push_back(0); }
  void end() {
    byte(0);
    last_.pop_back();
  }

private:
  std::vector<int> last_{0};
};

/// Starts a FileMetaData: version 2 and a schema of `columns` OPTIONAL INT64 leaves named
/// `prefix` + their index under a root named "schema".
inline void flat_int64_schema(thrift_writer& w, int columns, const std::string& prefix) {
  w.i32(1, 2);
  w.list(2, 12, static_cast<std::size_t>(columns) + 1);
  w.begin_element();
  w.str(4, "schema");
  w.i32(5, columns);
  w.end();
  for (int c = 0; c < columns; ++c) {
    w.begin_element();
    w.i32(1, 2);
    w.i32(3, 1);
    w.str(4, prefix + std::to_string(c));
    w.end();
  }
}

/// A Parquet file around `footer`: PAR1, the footer, its length (little-endian), `magic`.
inline std::string parquet_file(const std::string& footer, std::string_view magic = "PAR1") {
  std::string file = "PAR1" + footer;
  const auto n = static_cast<std::uint32_t>(footer.size());
  for (int i = 0; i < 4; ++i) file += static_cast<char>((n >> (8 * i)) & 0xff);
  return file + std::string(magic);
}

} // namespace tessera_test
