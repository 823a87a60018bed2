// tessera: graph file readers. Each reads the whole file, parses it with std::from_chars and
// returns an edge_list of dense ids plus the vertex_map back to the file's own ids; errors name
// the file, line and column and say what was expected and what was found.
//
//   try_read_edge_list       whitespace/CSV `u v [w]` lines, `#` and `%` comment lines
//   try_read_matrix_market   Matrix Market coordinate or array; pattern/integer/real;
//                            general/symmetric/skew-symmetric/hermitian (real); 1-based
//   try_read_dimacs          9th DIMACS challenge `.gr` (`p sp n m`, `a u v w`, `c` comments)
//   try_read_ldbc            LDBC Graphalytics PREFIX.v + PREFIX.e (+ PREFIX.properties)
//   try_read_adjacency_list  LDBC validation `*-input` files: `v n1 n2 ...` per line
//   try_load_graph           any of the above straight into a compressed_graph
// and read_* / load_graph, their throwing forms.
#pragma once

#include <tessera/config.hpp>
#include <tessera/core/concepts.hpp>
#include <tessera/core/error.hpp>
#include <tessera/core/expected.hpp>
#include <tessera/graph/build.hpp>
#include <tessera/graph/compressed_graph.hpp>
#include <tessera/graph/vertex_map.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

TESSERA_NAMESPACE_BEGIN

/// The file formats the readers understand.
enum class graph_format : std::uint8_t {
  edge_list,      ///< `u v [w]` per line (whitespace or commas), `#`/`%` comments
  matrix_market,  ///< `.mtx`
  dimacs,         ///< `.gr`
  ldbc,           ///< LDBC Graphalytics PREFIX.v / PREFIX.e
  adjacency_list, ///< LDBC validation `*-input`: `v n1 n2 ...`
};

/// How readers interpret a file.
struct read_options {
  /// Overrides the direction a file declares (Matrix Market symmetry, LDBC properties). Unset:
  /// the file's own, else directed. Undirected edge lists, DIMACS and LDBC edge files list
  /// each edge once; adjacency lists and symmetric Matrix Market files are complete as they are.
  std::optional<graph_direction> direction;
  /// Weight for lines without one when a weighted graph is read. Unset: a missing weight is an
  /// error.
  std::optional<double> default_weight;
  /// Edge lists: number integer ids 0 .. k-1 in increasing order of the ids that occur (true),
  /// or use them as dense ids directly, so vertex count = largest id + 1 (false).
  bool compact_ids = true;
  /// Edge lists: lines to skip before the data (a CSV header).
  std::size_t header_lines = 0;
  /// Matrix Market: reject an entry that appears twice (LAGraph does; the format has no
  /// duplicates). False keeps them as parallel edges.
  bool reject_duplicates = true;
};

namespace detail {
struct no_weight_vector {};
template <class W>
using weight_vector = std::conditional_t<std::is_void_v<W>, no_weight_vector, std::vector<W>>;
} // namespace detail

/// Edges between dense vertex ids as a file gave them, and the map back to the file's ids.
/// W is the weight type (void: weights are skipped); Key the type of the file's vertex ids.
template <weight_or_void W = void, class Key = std::int64_t>
struct edge_list {
  std::vector<std::uint64_t> sources;
  std::vector<std::uint64_t> targets;
  [[no_unique_address]] detail::weight_vector<W> weights{};
  /// Vertex count: every dense id is below it (isolated vertices included).
  std::size_t num_vertices = 0;
  /// Dense id -> the id written in the file.
  vertex_map<Key> vertices;
  /// The direction of the graph the file describes.
  graph_direction direction = graph_direction::directed;
  /// For an undirected graph: true when the file already lists both directions of every edge.
  bool both_ways = false;

  [[nodiscard]] std::size_t size() const noexcept { return sources.size(); }

  /// Build options for this edge list: `shape` with the vertex count, direction and
  /// symmetrization set from the file (drop_self_loops, duplicates and sort_neighbors are kept).
  [[nodiscard]] build_options options(build_options shape = {}) const {
    shape.num_vertices = num_vertices;
    shape.symmetrize = direction == graph_direction::undirected && !both_ways;
    shape.direction = direction;
    return shape;
  }
};

namespace detail {

inline location text_at(const std::string& file, std::uint64_t line, std::uint64_t column = 0) {
  location l;
  l.file = file;
  l.line = line;
  l.column = column;
  return l;
}

inline unexpected<error> parse_fail(const std::string& file, std::uint64_t line,
                                    std::uint64_t column, std::string message) {
  return make_error(errc::parse_error, std::move(message), text_at(file, line, column));
}

/// The whole file as a string. Errors: errc::io_error naming the file and the system's reason.
inline expected<std::string> read_whole_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return make_error(errc::io_error, "is a directory, not a file", text_at(path, 0));
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr)
    return make_error(errc::io_error, std::string("cannot open: ") + std::strerror(errno),
                      text_at(path, 0));
  std::string data;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec) data.reserve(static_cast<std::size_t>(size));
  char buffer[1 << 16];
  for (;;) {
    const std::size_t got = std::fread(buffer, 1, sizeof buffer, f);
    data.append(buffer, got);
    if (got < sizeof buffer) break;
  }
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return make_error(errc::io_error, "read failed", text_at(path, 0));
  return data;
}

/// Iterates the lines of a text (\n or \r\n), counting them from 1.
struct line_cursor {
  std::string_view text;
  std::size_t pos = 0;
  std::uint64_t number = 0;

  bool next(std::string_view& line) {
    if (pos >= text.size()) return false;
    const char* b = text.data() + pos;
    const std::size_t rest = text.size() - pos;
    const void* nl = std::memchr(b, '\n', rest);
    std::size_t len =
        nl != nullptr ? static_cast<std::size_t>(static_cast<const char*>(nl) - b) : rest;
    pos += len + (nl != nullptr ? 1 : 0);
    ++number;
    if (len != 0 && b[len - 1] == '\r') --len;
    line = std::string_view(b, len);
    return true;
  }
};

constexpr bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/// Splits a line into tokens at whitespace (and commas if `comma`), remembering columns.
struct token_cursor {
  std::string_view line;
  bool comma = false;
  std::size_t pos = 0;
  std::size_t column = 0; // 1-based column of the last token returned

  bool next(std::string_view& token) {
    while (pos < line.size() && (is_space(line[pos]) || (comma && line[pos] == ','))) ++pos;
    if (pos >= line.size()) return false;
    const std::size_t b = pos;
    while (pos < line.size() && !is_space(line[pos]) && !(comma && line[pos] == ',')) ++pos;
    token = line.substr(b, pos - b);
    column = b + 1;
    return true;
  }
  [[nodiscard]] bool at_end() {
    while (pos < line.size() && (is_space(line[pos]) || (comma && line[pos] == ','))) ++pos;
    return pos >= line.size();
  }
};

/// The first non-blank character of a line, or 0 for a blank line.
inline char first_char(std::string_view line) {
  for (char c : line)
    if (!is_space(c)) return c;
  return 0;
}

enum class number_status : std::uint8_t { ok, invalid, out_of_range };

/// Parses a whole token as T (integers and floating point, an optional leading '+').
template <class T>
number_status parse_number(std::string_view token, T& out) {
  const char* b = token.data();
  const char* e = b + token.size();
  if (b != e && *b == '+' && e - b > 1 && b[1] != '-') ++b;
  const auto [p, ec] = std::from_chars(b, e, out);
  if (ec == std::errc::result_out_of_range) return number_status::out_of_range;
  if (ec != std::errc() || p != e) return number_status::invalid;
  return number_status::ok;
}

inline std::string quoted(std::string_view token) {
  // Built by appending: `"'" + std::string(...)` trips a g++ 12 -Wrestrict false positive at -O3.
  constexpr std::size_t shown = 40;
  std::string out(1, '\'');
  out.append(token.substr(0, shown));
  if (token.size() > shown) out.append("...");
  out.push_back('\'');
  return out;
}

/// Parses a weight token as W: integers exactly and in range, floating point as from_chars.
template <class W>
expected<W> parse_weight(std::string_view token, const std::string& file, std::uint64_t line,
                         std::uint64_t column) {
  W w{};
  if constexpr (std::is_integral_v<W>) {
    const auto st = parse_number(token, w);
    if (st == number_status::out_of_range)
      return make_error(errc::overflow,
                        "weight " + quoted(token) + " does not fit the weight type (range " +
                            std::to_string(std::numeric_limits<W>::min()) + " to " +
                            std::to_string(std::numeric_limits<W>::max()) + ")",
                        text_at(file, line, column));
    if (st != number_status::ok) {
      // "3.0" is an integer written as a real: accept it when exact.
      double d = 0;
      if (parse_number(token, d) == number_status::ok && std::isfinite(d) && d == std::floor(d) &&
          d >= static_cast<double>(std::numeric_limits<W>::min()) &&
          d <= static_cast<double>(std::numeric_limits<W>::max()))
        return static_cast<W>(d);
      return parse_fail(file, line, column, "expected an integer weight, found " + quoted(token));
    }
  } else {
    if (parse_number(token, w) != number_status::ok)
      return parse_fail(file, line, column, "expected a number (weight), found " + quoted(token));
  }
  return w;
}

/// Parses a vertex id token as a 64-bit integer.
inline expected<std::int64_t> parse_key(std::string_view token, const std::string& file,
                                        std::uint64_t line, std::uint64_t column,
                                        std::string_view what = "vertex id") {
  std::int64_t k = 0;
  const auto st = parse_number(token, k);
  if (st == number_status::out_of_range)
    return make_error(errc::overflow,
                      std::string(what) + " " + quoted(token) + " does not fit 64 bits",
                      text_at(file, line, column));
  if (st != number_status::ok)
    return parse_fail(file, line, column,
                      "expected an integer " + std::string(what) + ", found " + quoted(token));
  return k;
}

template <class W>
expected<W> default_weight_or_error(const read_options& opt, const std::string& file,
                                    std::uint64_t line, std::uint64_t column) {
  if (opt.default_weight) return static_cast<W>(*opt.default_weight);
  return parse_fail(file, line, column,
                    "expected a weight (a weighted graph was requested and no default weight "
                    "was given)");
}

} // namespace detail

/// Reads an edge list: one edge `u v [w]` per line, fields separated by whitespace and/or
/// commas; blank lines and lines starting with `#` or `%` are skipped, as are
/// options.header_lines leading lines. Key std::int64_t: ids are integers (negative allowed
/// with compact_ids); Key std::string: ids are names. With W void a third and further columns
/// are ignored; otherwise the third column is the weight. Errors: errc::io_error,
/// errc::parse_error, errc::overflow, each with file:line:column. O(file size + m log m).
template <weight_or_void W = void, class Key = std::int64_t>
[[nodiscard]] expected<edge_list<W, Key>> try_read_edge_list(const std::string& path,
                                                             const read_options& options = {}) {
  auto text = detail::read_whole_file(path);
  if (!text) return unexpected(std::move(text).error());
  std::vector<Key> src, dst;
  detail::weight_vector<W> weights{};
  detail::line_cursor lines{*text};
  std::string_view line, tok;
  while (lines.next(line)) {
    if (lines.number <= options.header_lines) continue;
    const char c = detail::first_char(line);
    if (c == 0 || c == '#' || c == '%') continue;
    detail::token_cursor tokens{line, true};
    for (int end = 0; end < 2; ++end) {
      if (!tokens.next(tok))
        return detail::parse_fail(path, lines.number, line.size() + 1,
                                  end == 0 ? "expected a source vertex id"
                                           : "expected a target vertex id after the source");
      if constexpr (std::integral<Key>) {
        auto k = detail::parse_key(tok, path, lines.number, tokens.column);
        if (!k) return unexpected(std::move(k).error());
        if (!options.compact_ids && *k < 0)
          return make_error(errc::out_of_range,
                            "vertex id " + std::to_string(*k) +
                                " is negative (ids are used as they are: compact_ids is off)",
                            detail::text_at(path, lines.number, tokens.column));
        (end == 0 ? src : dst).push_back(static_cast<Key>(*k));
      } else {
        (end == 0 ? src : dst).emplace_back(tok);
      }
    }
    if constexpr (!std::is_void_v<W>) {
      if (tokens.next(tok)) {
        auto w = detail::parse_weight<W>(tok, path, lines.number, tokens.column);
        if (!w) return unexpected(std::move(w).error());
        weights.push_back(*w);
      } else {
        auto w = detail::default_weight_or_error<W>(options, path, lines.number, line.size() + 1);
        if (!w) return unexpected(std::move(w).error());
        weights.push_back(*w);
      }
    }
  }

  edge_list<W, Key> out;
  if constexpr (std::integral<Key>) {
    if (!options.compact_ids) {
      std::uint64_t n = 0;
      for (auto k : src) n = std::max(n, static_cast<std::uint64_t>(k) + 1);
      for (auto k : dst) n = std::max(n, static_cast<std::uint64_t>(k) + 1);
      out.sources.assign(src.begin(), src.end());
      out.targets.assign(dst.begin(), dst.end());
      out.num_vertices = static_cast<std::size_t>(n);
      out.vertices = vertex_map<Key>::contiguous(out.num_vertices, Key{0});
    }
  }
  if (out.vertices.empty() && !src.empty()) {
    auto mapped = map_vertex_keys<Key>(src, dst);
    out.sources = std::move(mapped.sources);
    out.targets = std::move(mapped.targets);
    out.vertices = std::move(mapped.vertices);
    out.num_vertices = out.vertices.size();
  }
  if constexpr (!std::is_void_v<W>) out.weights = std::move(weights);
  out.direction = options.direction.value_or(graph_direction::directed);
  return out;
}

namespace detail {

/// The element type a `%%GraphBLAS type` line declares, for validating values.
struct declared_type {
  enum kind_t : std::uint8_t { none, boolean, signed_int, unsigned_int, floating, complex };
  kind_t kind = none;
  std::int64_t min = 0;
  std::uint64_t max = 0;
  std::string name;
};

inline std::optional<declared_type> parse_declared_type(std::string_view name) {
  using k = declared_type;
  struct entry {
    std::string_view name;
    declared_type::kind_t kind;
    int bits; // integers: width
  };
  static constexpr entry known[] = {
      {"bool", k::boolean, 1},           {"int8_t", k::signed_int, 8},
      {"int16_t", k::signed_int, 16},    {"int32_t", k::signed_int, 32},
      {"int64_t", k::signed_int, 64},    {"uint8_t", k::unsigned_int, 8},
      {"uint16_t", k::unsigned_int, 16}, {"uint32_t", k::unsigned_int, 32},
      {"uint64_t", k::unsigned_int, 64}, {"float", k::floating, 0},
      {"double", k::floating, 0},        {"float complex", k::complex, 0},
      {"double complex", k::complex, 0}};
  for (const entry& e : known) {
    if (e.name != name) continue;
    declared_type t;
    t.name = std::string(name);
    t.kind = e.kind;
    if (e.kind == k::boolean) {
      t.max = 1;
    } else if (e.kind == k::signed_int) {
      t.max = (std::uint64_t{1} << (e.bits - 1)) - 1;
      t.min = -static_cast<std::int64_t>(t.max) - 1;
    } else if (e.kind == k::unsigned_int) {
      t.max = e.bits == 64 ? std::numeric_limits<std::uint64_t>::max()
                           : (std::uint64_t{1} << e.bits) - 1;
    }
    return t;
  }
  return std::nullopt;
}

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

/// One Matrix Market value, validated against the field and the declared type, as W.
template <class W>
expected<std::conditional_t<std::is_void_v<W>, int, W>>
mm_value(std::string_view token, bool integer_field, const declared_type& declared,
         const std::string& file, std::uint64_t line, std::uint64_t column) {
  if (integer_field) {
    std::int64_t v = 0;
    std::uint64_t uv = 0;
    bool negative = false;
    if (parse_number(token, v) == number_status::ok) {
      negative = v < 0;
      uv = static_cast<std::uint64_t>(v);
    } else if (parse_number(token, uv) != number_status::ok) {
      std::int64_t probe = 0;
      const bool too_big = parse_number(token, probe) == number_status::out_of_range;
      if (too_big)
        return make_error(errc::overflow,
                          "integer value " + quoted(token) + " does not fit 64 bits",
                          text_at(file, line, column));
      return parse_fail(file, line, column, "expected an integer value, found " + quoted(token));
    }
    if (declared.kind == declared_type::boolean || declared.kind == declared_type::signed_int ||
        declared.kind == declared_type::unsigned_int) {
      const bool fits = negative ? declared.kind == declared_type::signed_int && v >= declared.min
                                 : uv <= declared.max;
      if (!fits)
        return make_error(errc::out_of_range,
                          "value " + std::string(token) + " does not fit the declared type " +
                              declared.name,
                          text_at(file, line, column));
    }
    if constexpr (std::is_void_v<W>) {
      return 1;
    } else if constexpr (std::is_integral_v<W>) {
      const bool fits = negative ? std::is_signed_v<W> &&
                                       v >= static_cast<std::int64_t>(std::numeric_limits<W>::min())
                                 : uv <= static_cast<std::uint64_t>(std::numeric_limits<W>::max());
      if (!fits)
        return make_error(errc::overflow,
                          "value " + std::string(token) + " does not fit the weight type",
                          text_at(file, line, column));
      return negative ? static_cast<W>(v) : static_cast<W>(uv);
    } else {
      return negative ? static_cast<W>(v) : static_cast<W>(uv);
    }
  } else {
    double d = 0;
    if (parse_number(token, d) != number_status::ok)
      return parse_fail(file, line, column, "expected a real value, found " + quoted(token));
    if constexpr (std::is_void_v<W>) {
      return 1;
    } else if constexpr (std::is_integral_v<W>) {
      if (!(std::isfinite(d) && d == std::floor(d) &&
            d >= static_cast<double>(std::numeric_limits<W>::min()) &&
            d <= static_cast<double>(std::numeric_limits<W>::max())))
        return make_error(errc::overflow,
                          "real value " + std::string(token) +
                              " is not an integer the weight type can hold",
                          text_at(file, line, column));
      return static_cast<W>(d);
    } else {
      return static_cast<W>(d);
    }
  }
}

} // namespace detail

/// Reads a Matrix Market file as a graph: entry (i, j[, value]) is the edge i-1 -> j-1 (value
/// as weight; pattern files weigh 1). Vertex count max(rows, columns). Symmetric and real
/// hermitian matrices give undirected graphs (each off-diagonal entry once, stored both ways
/// when built); skew-symmetric ones give directed graphs with the mirrored entries negated;
/// array (dense) matrices give an edge per nonzero. A `%%GraphBLAS type T` comment (LAGraph's
/// extension) is honoured: values must fit T. Errors (file:line:column): missing or malformed
/// banner or size line, unknown object/format/field/symmetry, complex values (unsupported),
/// entries out of range, too few or too many entries, extra tokens, duplicate entries (unless
/// options.reject_duplicates is false), diagonal entries of a skew-symmetric matrix, a
/// skew-symmetric matrix with an unsigned declared or weight type.
template <weight_or_void W = void>
[[nodiscard]] expected<edge_list<W>> try_read_matrix_market(const std::string& path,
                                                            const read_options& options = {}) {
  using detail::parse_fail;
  auto text = detail::read_whole_file(path);
  if (!text) return unexpected(std::move(text).error());
  detail::line_cursor lines{*text};
  std::string_view line, tok;
  if (!lines.next(line) || detail::lower(line.substr(0, 14)) != "%%matrixmarket")
    return parse_fail(path, 1, 1,
                      "expected the Matrix Market banner '%%MatrixMarket matrix coordinate "
                      "<field> <symmetry>' on the first line");
  std::string words[4];
  {
    detail::token_cursor tokens{line.substr(14)};
    for (auto& w : words) {
      if (!tokens.next(tok))
        return parse_fail(path, 1, line.size() + 1,
                          "the banner needs 4 words after %%MatrixMarket: object, format, "
                          "field, symmetry");
      w = detail::lower(tok);
    }
    if (!tokens.at_end())
      return parse_fail(path, 1, tokens.pos + 15, "unexpected text after the banner's 4 words");
  }
  if (words[0] != "matrix")
    return parse_fail(path, 1, 0, "unknown object '" + words[0] + "' (expected 'matrix')");
  const bool array = words[1] == "array";
  if (!array && words[1] != "coordinate")
    return parse_fail(path, 1, 0,
                      "unknown format '" + words[1] + "' (expected 'coordinate' or 'array')");
  const std::string& field = words[2];
  if (field == "complex")
    return make_error(errc::unsupported, "complex matrices are not graphs tessera can weigh",
                      detail::text_at(path, 1));
  if (field != "real" && field != "integer" && field != "pattern" && field != "double")
    return parse_fail(path, 1, 0,
                      "unknown field '" + field +
                          "' (expected 'real', 'integer', 'pattern' or 'complex')");
  const bool pattern = field == "pattern";
  bool integer_field = field == "integer";
  const std::string& symmetry = words[3];
  if (symmetry != "general" && symmetry != "symmetric" && symmetry != "skew-symmetric" &&
      symmetry != "hermitian")
    return parse_fail(path, 1, 0,
                      "unknown symmetry '" + symmetry +
                          "' (expected 'general', 'symmetric', 'skew-symmetric' or 'hermitian')");
  if (array && pattern)
    return parse_fail(path, 1, 0, "'array pattern' is not a valid Matrix Market combination");
  if (symmetry == "hermitian" && pattern)
    return parse_fail(path, 1, 0,
                      "a hermitian matrix needs values ('pattern hermitian' is invalid)");
  const bool symmetric = symmetry == "symmetric" || symmetry == "hermitian";
  const bool skew = symmetry == "skew-symmetric";
  if (skew && pattern) return parse_fail(path, 1, 0, "a skew-symmetric matrix needs values");

  // Comments; LAGraph's `%%GraphBLAS type T` declares the value type.
  detail::declared_type declared;
  for (;;) {
    if (!lines.next(line))
      return parse_fail(path, lines.number + 1, 0, "expected the size line, found end of file");
    const char c = detail::first_char(line);
    if (c == 0) continue;
    if (c != '%') break;
    if (line.starts_with("%%GraphBLAS type ")) {
      std::string_view name = line.substr(17);
      while (!name.empty() && detail::is_space(name.back())) name.remove_suffix(1);
      auto t = detail::parse_declared_type(name);
      if (!t)
        return parse_fail(path, lines.number, 18, "unknown GraphBLAS type " + detail::quoted(name));
      declared = *t;
    }
  }
  // LAGraph writes float matrices with an "integer" field when every value looks integral, and
  // then infinities: the declared type decides how values parse.
  if (declared.kind == detail::declared_type::floating) integer_field = false;
  if (declared.kind == detail::declared_type::complex)
    return make_error(errc::unsupported, "complex matrices are not graphs tessera can weigh",
                      detail::text_at(path, lines.number));
  if (skew && (declared.kind == detail::declared_type::unsigned_int ||
               declared.kind == detail::declared_type::boolean))
    return parse_fail(path, lines.number, 0,
                      "a skew-symmetric matrix cannot have the unsigned type " + declared.name);
  if constexpr (std::is_integral_v<W> && std::is_unsigned_v<W>) {
    if (skew)
      return make_error(errc::unsupported,
                        "a skew-symmetric matrix needs a signed weight type (its mirrored "
                        "entries are negated)",
                        detail::text_at(path, lines.number));
  }

  // Size line: rows cols [nnz].
  std::uint64_t dims[3] = {0, 0, 0};
  const int need = array ? 2 : 3;
  const std::uint64_t size_line = lines.number;
  {
    detail::token_cursor tokens{line};
    for (int k = 0; k < need; ++k) {
      if (!tokens.next(tok))
        return parse_fail(path, size_line, line.size() + 1,
                          array ? "expected the size line 'rows columns'"
                                : "expected the size line 'rows columns entries'");
      if (detail::parse_number(tok, dims[k]) != detail::number_status::ok)
        return parse_fail(path, size_line, tokens.column,
                          "expected a non-negative integer in the size line, found " +
                              detail::quoted(tok));
    }
    if (!tokens.at_end())
      return parse_fail(path, size_line, tokens.pos + 1, "unexpected text after the size line");
  }
  const std::uint64_t rows = dims[0], cols = dims[1];
  if ((symmetric || skew) && rows != cols)
    return parse_fail(path, size_line, 0,
                      "a " + symmetry + " matrix must be square, this one is " +
                          std::to_string(rows) + " x " + std::to_string(cols));
  const std::uint64_t n64 = std::max(rows, cols);
  if (n64 >= (std::uint64_t{1} << 48))
    return make_error(errc::overflow, std::to_string(n64) + " vertices is more than tessera reads",
                      detail::text_at(path, size_line));
  std::uint64_t expected_entries = dims[2];
  if (array) {
    // Column-major; symmetric stores the lower triangle with the diagonal, skew without it.
    if (rows != 0 && cols > std::numeric_limits<std::uint64_t>::max() / rows)
      return make_error(errc::overflow, "the array is too large", detail::text_at(path, size_line));
    expected_entries = symmetric ? rows * (rows + 1) / 2
                       : skew    ? rows * (rows - (rows > 0)) / 2
                                 : rows * cols;
  }

  edge_list<W> out;
  out.num_vertices = static_cast<std::size_t>(n64);
  out.vertices = vertex_map<std::int64_t>::contiguous(out.num_vertices, 1);
  // Reserve what the header promises, capped by what the file could hold (a lying header must
  // not allocate terabytes).
  const std::size_t cap = std::min<std::uint64_t>(expected_entries, text->size() / 2 + 1);
  out.sources.reserve(cap);
  out.targets.reserve(cap);
  using value_t = std::conditional_t<std::is_void_v<W>, int, W>;
  std::uint64_t seen = 0;
  std::uint64_t ai = 0, aj = 0;          // array position (0-based)
  std::vector<std::uint64_t> entry_line; // for naming the line of a duplicate
  const auto add = [&](std::uint64_t i, std::uint64_t j, value_t v) {
    if (options.reject_duplicates) entry_line.push_back(lines.number);
    out.sources.push_back(i);
    out.targets.push_back(j);
    if constexpr (!std::is_void_v<W>) out.weights.push_back(v);
  };
  while (lines.next(line)) {
    const char c = detail::first_char(line);
    if (c == 0 || c == '%') continue;
    if (seen == expected_entries)
      return parse_fail(path, lines.number, 1,
                        "more entries than the " + std::to_string(expected_entries) +
                            " the size line declares");
    detail::token_cursor tokens{line};
    std::uint64_t i = 0, j = 0;
    if (array) {
      if (symmetric && ai < aj) ai = aj;
      if (skew && ai <= aj) ai = aj + 1;
      i = ai, j = aj;
    } else {
      for (int k = 0; k < 2; ++k) {
        if (!tokens.next(tok))
          return parse_fail(path, lines.number, line.size() + 1,
                            k == 0 ? "expected an entry 'row column" +
                                         std::string(pattern ? "'" : " value'")
                                   : "expected a column index after the row index");
        std::uint64_t x = 0;
        const auto st = detail::parse_number(tok, x);
        const std::uint64_t bound = k == 0 ? rows : cols;
        if (st == detail::number_status::invalid) {
          // A negative index is reported below as out of range; anything else is not a number.
          std::int64_t neg = 0;
          if (detail::parse_number(tok, neg) != detail::number_status::ok)
            return parse_fail(path, lines.number, tokens.column,
                              std::string("expected a ") + (k == 0 ? "row" : "column") +
                                  " index, found " + detail::quoted(tok));
        }
        if (st != detail::number_status::ok || x < 1 || x > bound)
          return make_error(errc::out_of_range,
                            std::string(k == 0 ? "row" : "column") + " index " + std::string(tok) +
                                " is outside 1.." + std::to_string(bound),
                            detail::text_at(path, lines.number, tokens.column));
        (k == 0 ? i : j) = x - 1;
      }
    }
    value_t v{1};
    if (!pattern) {
      if (!tokens.next(tok))
        return parse_fail(path, lines.number, line.size() + 1,
                          array ? "expected a value" : "expected a value after the indices");
      auto parsed =
          detail::mm_value<W>(tok, integer_field, declared, path, lines.number, tokens.column);
      if (!parsed) return unexpected(std::move(parsed).error());
      v = *parsed;
    }
    if (!tokens.at_end())
      return parse_fail(path, lines.number, tokens.pos + 1,
                        "unexpected text after the entry (complex values are not supported)");
    ++seen;
    if (array) {
      const bool nonzero = [&] {
        if constexpr (std::is_void_v<W>) {
          double d = 0;
          (void)detail::parse_number(tok, d);
          return d != 0;
        } else {
          return v != value_t{};
        }
      }();
      if (nonzero) add(i, j, v);
      if (++ai == rows) ai = 0, ++aj;
      continue;
    }
    if (skew && i == j)
      return parse_fail(path, lines.number, 1,
                        "a skew-symmetric matrix has no diagonal entries, found (" +
                            std::to_string(i + 1) + ", " + std::to_string(j + 1) + ")");
    add(i, j, v);
  }
  if (seen < expected_entries)
    return parse_fail(path, lines.number + 1, 0,
                      "expected " + std::to_string(expected_entries) + " entries, found only " +
                          std::to_string(seen) + " (the file is truncated)");

  const std::size_t m = out.sources.size();
  if (options.reject_duplicates && m > 1) {
    // Symmetric kinds store one triangle: (i, j) and (j, i) are the same entry.
    std::vector<std::tuple<std::uint64_t, std::uint64_t, std::uint64_t>> keys(m);
    for (std::size_t e = 0; e < m; ++e) {
      auto a = out.sources[e], b = out.targets[e];
      if ((symmetric || skew) && a < b) std::swap(a, b);
      keys[e] = {a, b, entry_line[e]};
    }
    std::sort(keys.begin(), keys.end());
    for (std::size_t e = 1; e < m; ++e) {
      const auto [a, b, at] = keys[e];
      if (a != std::get<0>(keys[e - 1]) || b != std::get<1>(keys[e - 1])) continue;
      return make_error(errc::parse_error,
                        "entry (" + std::to_string(a + 1) + ", " + std::to_string(b + 1) +
                            ") repeats the entry of line " +
                            std::to_string(std::get<2>(keys[e - 1])) +
                            " (Matrix Market files have no duplicates)",
                        detail::text_at(path, at, 1));
    }
  }
  if (skew) {
    // Mirror with negated values: a directed graph holding both halves.
    for (std::size_t e = 0; e < m; ++e) {
      out.sources.push_back(out.targets[e]);
      out.targets.push_back(out.sources[e]);
      if constexpr (!std::is_void_v<W>) out.weights.push_back(static_cast<W>(-out.weights[e]));
    }
    out.direction = options.direction.value_or(graph_direction::directed);
    out.both_ways = true;
  } else if (symmetric) {
    out.direction = options.direction.value_or(graph_direction::undirected);
    if (out.direction == graph_direction::directed) {
      // A symmetric matrix read as a directed graph holds both arcs of each off-diagonal entry.
      for (std::size_t e = 0; e < m; ++e) {
        if (out.sources[e] == out.targets[e]) continue;
        out.sources.push_back(out.targets[e]);
        out.targets.push_back(out.sources[e]);
        if constexpr (!std::is_void_v<W>) out.weights.push_back(out.weights[e]);
      }
    }
  } else {
    out.direction = options.direction.value_or(graph_direction::directed);
  }
  return out;
}

/// Reads a 9th DIMACS challenge shortest-path graph (`.gr`): `c` comment lines, one problem
/// line `p sp n m`, then m arc lines `a u v w` with 1-based u, v. Directed unless
/// options.direction says otherwise. Errors (file:line:column): missing or repeated problem
/// line, unknown line kinds, ids outside 1..n, bad weights, arc count different from m.
template <weight_or_void W = void>
[[nodiscard]] expected<edge_list<W>> try_read_dimacs(const std::string& path,
                                                     const read_options& options = {}) {
  using detail::parse_fail;
  auto text = detail::read_whole_file(path);
  if (!text) return unexpected(std::move(text).error());
  detail::line_cursor lines{*text};
  std::string_view line, tok;
  edge_list<W> out;
  bool have_problem = false;
  std::uint64_t n = 0, m = 0;
  while (lines.next(line)) {
    detail::token_cursor tokens{line};
    if (!tokens.next(tok) || tok == "c") continue;
    if (tok == "p") {
      if (have_problem) return parse_fail(path, lines.number, 1, "a second problem line");
      std::string_view kind;
      if (!tokens.next(kind))
        return parse_fail(path, lines.number, line.size() + 1, "expected 'p sp <n> <m>'");
      std::uint64_t* dst[2] = {&n, &m};
      for (auto* d : dst) {
        if (!tokens.next(tok) || detail::parse_number(tok, *d) != detail::number_status::ok)
          return parse_fail(path, lines.number, tokens.column,
                            "expected 'p sp <vertices> <arcs>' with non-negative counts");
      }
      if (n >= (std::uint64_t{1} << 48))
        return make_error(errc::overflow,
                          std::to_string(n) + " vertices is more than tessera reads",
                          detail::text_at(path, lines.number));
      have_problem = true;
      out.num_vertices = static_cast<std::size_t>(n);
      const std::size_t cap = std::min<std::uint64_t>(m, text->size() / 4 + 1);
      out.sources.reserve(cap);
      out.targets.reserve(cap);
      continue;
    }
    if (tok != "a")
      return parse_fail(path, lines.number, tokens.column,
                        "expected a line starting with 'c', 'p' or 'a', found " +
                            detail::quoted(tok));
    if (!have_problem)
      return parse_fail(path, lines.number, 1, "an arc before the problem line 'p sp n m'");
    std::uint64_t ends[2] = {0, 0};
    for (int k = 0; k < 2; ++k) {
      if (!tokens.next(tok))
        return parse_fail(path, lines.number, line.size() + 1, "expected 'a <u> <v> <weight>'");
      auto key = detail::parse_key(tok, path, lines.number, tokens.column);
      if (!key) return unexpected(std::move(key).error());
      if (*key < 1 || static_cast<std::uint64_t>(*key) > n)
        return make_error(errc::out_of_range,
                          "vertex " + std::to_string(*key) + " is outside 1.." + std::to_string(n),
                          detail::text_at(path, lines.number, tokens.column));
      ends[k] = static_cast<std::uint64_t>(*key) - 1;
    }
    if (!tokens.next(tok))
      return parse_fail(path, lines.number, line.size() + 1, "expected the arc's weight");
    if constexpr (std::is_void_v<W>) {
      double d = 0;
      if (detail::parse_number(tok, d) != detail::number_status::ok)
        return parse_fail(path, lines.number, tokens.column,
                          "expected a number (weight), found " + detail::quoted(tok));
    } else {
      auto w = detail::parse_weight<W>(tok, path, lines.number, tokens.column);
      if (!w) return unexpected(std::move(w).error());
      out.weights.push_back(*w);
    }
    if (!tokens.at_end())
      return parse_fail(path, lines.number, tokens.pos + 1, "unexpected text after the arc");
    if (out.sources.size() == m)
      return parse_fail(path, lines.number, 1,
                        "more arcs than the " + std::to_string(m) + " the problem line declares");
    out.sources.push_back(ends[0]);
    out.targets.push_back(ends[1]);
  }
  if (!have_problem) return parse_fail(path, lines.number, 0, "no problem line 'p sp n m'");
  if (out.sources.size() != m)
    return parse_fail(path, lines.number, 0,
                      "expected " + std::to_string(m) + " arcs, found " +
                          std::to_string(out.sources.size()));
  out.vertices = vertex_map<std::int64_t>::contiguous(out.num_vertices, 1);
  out.direction = options.direction.value_or(graph_direction::directed);
  return out;
}

namespace detail {
/// `graph.<name>.directed = true|false` from an LDBC properties file, if present.
inline std::optional<graph_direction> ldbc_properties_direction(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  auto text = read_whole_file(path);
  if (!text) return std::nullopt;
  line_cursor lines{*text};
  std::string_view line;
  while (lines.next(line)) {
    const auto eq = line.find('=');
    if (eq == std::string_view::npos || first_char(line) == '#') continue;
    std::string_view key = line.substr(0, eq), value = line.substr(eq + 1);
    while (!key.empty() && is_space(key.back())) key.remove_suffix(1);
    while (!value.empty() && is_space(value.front())) value.remove_prefix(1);
    while (!value.empty() && is_space(value.back())) value.remove_suffix(1);
    if (key.ends_with(".directed")) {
      if (value == "true") return graph_direction::directed;
      if (value == "false") return graph_direction::undirected;
    }
  }
  return std::nullopt;
}
} // namespace detail

/// Reads an LDBC Graphalytics graph: PREFIX.v (one vertex id per line, any 64-bit integers)
/// and PREFIX.e (`src dst [weight]`, each undirected edge once). The direction comes from
/// options.direction, else `graph.*.directed` in PREFIX.properties, else directed. Vertices are
/// numbered in increasing id order (dense order is id order). Errors (file:line:column): a
/// repeated vertex, an edge naming a vertex the .v file lacks, malformed numbers, a missing
/// weight when W is not void and no default weight is given.
template <weight_or_void W = void>
[[nodiscard]] expected<edge_list<W>> try_read_ldbc(const std::string& prefix,
                                                   const read_options& options = {}) {
  using detail::parse_fail;
  const std::string vpath = prefix + ".v", epath = prefix + ".e";
  std::vector<std::int64_t> keys;
  {
    auto text = detail::read_whole_file(vpath);
    if (!text) return unexpected(std::move(text).error());
    detail::line_cursor lines{*text};
    std::string_view line, tok;
    while (lines.next(line)) {
      detail::token_cursor tokens{line};
      if (!tokens.next(tok) || tok.front() == '#' || tok.front() == '%') continue;
      auto k = detail::parse_key(tok, vpath, lines.number, tokens.column);
      if (!k) return unexpected(std::move(k).error());
      keys.push_back(*k);
    }
  }
  std::sort(keys.begin(), keys.end());
  if (const auto dup = std::adjacent_find(keys.begin(), keys.end()); dup != keys.end())
    return make_error(errc::parse_error, "vertex " + std::to_string(*dup) + " is listed twice",
                      detail::text_at(vpath, 0));
  edge_list<W> out;
  out.num_vertices = keys.size();
  out.vertices = vertex_map<std::int64_t>::from_distinct_keys(std::move(keys));

  auto text = detail::read_whole_file(epath);
  if (!text) return unexpected(std::move(text).error());
  detail::line_cursor lines{*text};
  std::string_view line, tok;
  while (lines.next(line)) {
    const char c = detail::first_char(line);
    if (c == 0 || c == '#' || c == '%') continue;
    detail::token_cursor tokens{line};
    for (int k = 0; k < 2; ++k) {
      if (!tokens.next(tok))
        return parse_fail(epath, lines.number, line.size() + 1,
                          "expected 'source target [weight]'");
      auto key = detail::parse_key(tok, epath, lines.number, tokens.column);
      if (!key) return unexpected(std::move(key).error());
      const auto v = out.vertices.find(*key);
      if (!v)
        return make_error(errc::not_found, "vertex " + std::to_string(*key) + " is not in " + vpath,
                          detail::text_at(epath, lines.number, tokens.column));
      (k == 0 ? out.sources : out.targets).push_back(*v);
    }
    if constexpr (!std::is_void_v<W>) {
      if (tokens.next(tok)) {
        auto w = detail::parse_weight<W>(tok, epath, lines.number, tokens.column);
        if (!w) return unexpected(std::move(w).error());
        out.weights.push_back(*w);
      } else {
        auto w = detail::default_weight_or_error<W>(options, epath, lines.number, line.size() + 1);
        if (!w) return unexpected(std::move(w).error());
        out.weights.push_back(*w);
      }
    }
  }
  out.direction = options.direction ? *options.direction
                                    : detail::ldbc_properties_direction(prefix + ".properties")
                                          .value_or(graph_direction::directed);
  return out;
}

/// Reads an adjacency-list file as LDBC's validation inputs write them: each line `v n1 n2 ...`
/// lists v's neighbours (a line `v` alone: no out-edges). Vertices are every id that occurs,
/// numbered in increasing order. Undirected graphs (options.direction) list each edge at both
/// ends, so nothing is added. Unweighted; with W non-void every edge weighs
/// options.default_weight or 1. Errors (file:line:column): malformed or out-of-range ids.
template <weight_or_void W = void>
[[nodiscard]] expected<edge_list<W>> try_read_adjacency_list(const std::string& path,
                                                             const read_options& options = {}) {
  auto text = detail::read_whole_file(path);
  if (!text) return unexpected(std::move(text).error());
  detail::line_cursor lines{*text};
  std::string_view line, tok;
  std::vector<std::int64_t> heads, src, dst;
  while (lines.next(line)) {
    const char c = detail::first_char(line);
    if (c == 0 || c == '#' || c == '%') continue;
    detail::token_cursor tokens{line, true};
    if (!tokens.next(tok)) continue;
    auto head = detail::parse_key(tok, path, lines.number, tokens.column);
    if (!head) return unexpected(std::move(head).error());
    heads.push_back(*head);
    while (tokens.next(tok)) {
      auto k = detail::parse_key(tok, path, lines.number, tokens.column);
      if (!k) return unexpected(std::move(k).error());
      src.push_back(*head);
      dst.push_back(*k);
    }
  }
  // Vertices with lines but no edges must exist too: add them as (v, v) probes, then drop.
  const std::size_t m = src.size();
  src.insert(src.end(), heads.begin(), heads.end());
  dst.insert(dst.end(), heads.begin(), heads.end());
  auto mapped = map_vertex_keys<std::int64_t>(src, dst);
  edge_list<W> out;
  out.sources = std::move(mapped.sources);
  out.targets = std::move(mapped.targets);
  out.sources.resize(m);
  out.targets.resize(m);
  out.vertices = std::move(mapped.vertices);
  out.num_vertices = out.vertices.size();
  if constexpr (!std::is_void_v<W>)
    out.weights.assign(m, static_cast<W>(options.default_weight.value_or(1.0)));
  out.direction = options.direction.value_or(graph_direction::directed);
  out.both_ways = true;
  return out;
}

/// The format a path's name suggests: `.mtx` Matrix Market, `.gr` DIMACS, `.v`/`.e`/
/// `.properties` LDBC (the prefix is the path without the extension), a name ending in `-input`
/// an LDBC adjacency list, anything else an edge list.
[[nodiscard]] inline graph_format guess_graph_format(const std::string& path) {
  const std::filesystem::path p(path);
  const std::string ext = detail::lower(p.extension().string());
  if (ext == ".mtx") return graph_format::matrix_market;
  if (ext == ".gr") return graph_format::dimacs;
  if (ext == ".v" || ext == ".e" || ext == ".properties") return graph_format::ldbc;
  if (p.filename().string().ends_with("-input")) return graph_format::adjacency_list;
  return graph_format::edge_list;
}

/// Reads a file in the given format. For graph_format::ldbc, `path` is the prefix (a trailing
/// `.v`, `.e` or `.properties` is removed).
template <weight_or_void W = void>
[[nodiscard]] expected<edge_list<W>> try_read_graph_file(const std::string& path,
                                                         graph_format format,
                                                         const read_options& options = {}) {
  switch (format) {
  case graph_format::matrix_market:
    return try_read_matrix_market<W>(path, options);
  case graph_format::dimacs:
    return try_read_dimacs<W>(path, options);
  case graph_format::ldbc: {
    std::filesystem::path p(path);
    const std::string ext = p.extension().string();
    if (ext == ".v" || ext == ".e" || ext == ".properties") p.replace_extension();
    return try_read_ldbc<W>(p.string(), options);
  }
  case graph_format::adjacency_list:
    return try_read_adjacency_list<W>(path, options);
  case graph_format::edge_list:
  default:
    return try_read_edge_list<W>(path, options);
  }
}

/// A graph and the map from its dense ids back to the ids its file used.
template <vertex_id V = std::uint32_t, edge_offset E = std::uint64_t, weight_or_void W = void>
struct loaded_graph {
  compressed_graph<V, E, W> graph;
  vertex_map<std::int64_t> vertices;
};

/// Builds a compressed graph from an edge list read from a file: the file decides vertex
/// count, direction and symmetrization; `shape` adds self-loop dropping, duplicate merging and
/// sorting. Weights convert to W (W void drops them; an unweighted list gives weight 1).
template <vertex_id V = std::uint32_t, edge_offset E = std::uint64_t, weight_or_void W = void,
          weight_or_void W2, class Key>
[[nodiscard]] expected<compressed_graph<V, E, W>> try_build_graph(const edge_list<W2, Key>& edges,
                                                                  const build_options& shape = {}) {
  const auto opt = edges.options(shape);
  if constexpr (std::is_void_v<W>) {
    return try_build_graph<V, E, W>(edges.sources, edges.targets, opt);
  } else if constexpr (std::is_void_v<W2>) {
    const std::vector<W> ones(edges.size(), W{1});
    return try_build_graph<V, E, W>(edges.sources, edges.targets, ones, opt);
  } else {
    return try_build_graph<V, E, W>(edges.sources, edges.targets, edges.weights, opt);
  }
}

/// Reads and builds in one step. Weights are read as W (double when W is void is not needed:
/// they are skipped). Errors: those of the reader, then those of try_build_graph.
template <vertex_id V = std::uint32_t, edge_offset E = std::uint64_t, weight_or_void W = void>
[[nodiscard]] expected<loaded_graph<V, E, W>>
try_load_graph(const std::string& path, graph_format format, const read_options& options = {},
               const build_options& shape = {}) {
  auto edges = try_read_graph_file<W>(path, format, options);
  if (!edges) return unexpected(std::move(edges).error());
  auto g = try_build_graph<V, E, W>(*edges, shape);
  if (!g) return unexpected(std::move(g).error().in_file(path));
  return loaded_graph<V, E, W>{std::move(*g), std::move(edges->vertices)};
}

/// Throwing forms: tessera::exception carries the error.
template <weight_or_void W = void, class Key = std::int64_t>
[[nodiscard]] edge_list<W, Key> read_edge_list(const std::string& path,
                                               const read_options& options = {}) {
  return try_read_edge_list<W, Key>(path, options).value();
}
template <weight_or_void W = void>
[[nodiscard]] edge_list<W> read_matrix_market(const std::string& path,
                                              const read_options& options = {}) {
  return try_read_matrix_market<W>(path, options).value();
}
template <weight_or_void W = void>
[[nodiscard]] edge_list<W> read_dimacs(const std::string& path, const read_options& options = {}) {
  return try_read_dimacs<W>(path, options).value();
}
template <weight_or_void W = void>
[[nodiscard]] edge_list<W> read_ldbc(const std::string& prefix, const read_options& options = {}) {
  return try_read_ldbc<W>(prefix, options).value();
}
template <weight_or_void W = void>
[[nodiscard]] edge_list<W> read_adjacency_list(const std::string& path,
                                               const read_options& options = {}) {
  return try_read_adjacency_list<W>(path, options).value();
}
template <vertex_id V = std::uint32_t, edge_offset E = std::uint64_t, weight_or_void W = void>
[[nodiscard]] loaded_graph<V, E, W> load_graph(const std::string& path, graph_format format,
                                               const read_options& options = {},
                                               const build_options& shape = {}) {
  return try_load_graph<V, E, W>(path, format, options, shape).value();
}

TESSERA_NAMESPACE_END
