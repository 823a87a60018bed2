// Parquet footer reader: hand-built footers (an independent Thrift encoder, support/), every file
// of parquet-testing, the malformed ones, truncations and bit flips.
#include <tessera/io/parquet.hpp>

#include "support/shared_data.hpp"
#include "support/thrift_writer.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace pq = tessera::parquet;

namespace {

using writer = tessera_test::thrift_writer;
using tessera_test::flat_int64_schema;
using tessera_test::parquet_file;

std::string le32(std::uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i) s[static_cast<std::size_t>(i)] = static_cast<char>(v >> (8 * i));
  return s;
}

// A footer: root{a: INT32 DATE optional, b: group{c: BYTE_ARRAY STRING}}, one row group with
// statistics on a, an unknown field everywhere, a boolean list under an unknown field, and every
// list of the model (encodings, paths, encoding stats, key/value metadata of the file and of
// column b.c, sorting columns).
std::string sample_footer(bool bool_list_zero_one) {
  writer w;
  w.i32(1, 2);
  w.list(2, 12, 4);
  w.begin_element(); // root
  w.str(4, "schema");
  w.i32(5, 2);
  w.end();
  w.begin_element(); // a
  w.i32(1, 1);
  w.i32(3, 1);
  w.str(4, "a");
  w.i32(6, 6); // DATE
  w.begin(10);
  w.begin(6); // DateType
  w.end();
  w.end();
  w.str(30, "unknown field"); // skipped
  w.end();
  w.begin_element(); // b
  w.i32(3, 0);
  w.str(4, "b");
  w.i32(5, 1);
  w.end();
  w.begin_element(); // c
  w.i32(1, 6);
  w.i32(3, 2);
  w.str(4, "c");
  w.begin(10);
  w.begin(1); // StringType
  w.end();
  w.end();
  w.end();
  w.i64(3, 42);
  w.list(4, 12, 1);
  w.begin_element(); // row group
  w.list(1, 12, 2);
  for (int col = 0; col < 2; ++col) {
    w.begin_element();
    w.i64(2, 100 + col);
    w.begin(3);
    w.i32(1, col == 0 ? 1 : 6);
    w.list(2, 5, 2);
    w.zigzag(0);
    w.zigzag(8);
    w.list(3, 8, col == 0 ? 1 : 2);
    if (col == 0) {
      w.bin("a");
    } else {
      w.bin("b");
      w.bin("c");
    }
    w.i32(4, 6); // ZSTD
    w.i64(5, 42);
    w.i64(6, 1000);
    w.i64(7, 500);
    w.i64(9, 4 + col * 500);
    if (col == 0) {
      w.begin(12);
      w.i64(3, 7);
      w.str(5, std::string("\x10\x27\x00\x00", 4)); // 10000 days: 1997-05-19
      w.str(6, std::string("\x00\x00\x00\x00", 4)); // 0: 1970-01-01
      w.boolean(7, true);
      w.end();
    }
    if (col == 1) {
      w.list(8, 12, 2); // key_value_metadata
      w.begin_element();
      w.str(1, "k1");
      w.str(2, "v1");
      w.end();
      w.begin_element();
      w.str(1, "k2"); // no value
      w.end();
      w.list(13, 12, 2); // encoding_stats
      w.begin_element();
      w.i32(1, 2); // DICTIONARY_PAGE
      w.i32(2, 0); // PLAIN
      w.i32(3, 1);
      w.end();
      w.begin_element();
      w.i32(1, 0); // DATA_PAGE
      w.i32(2, 8); // RLE_DICTIONARY
      w.i32(3, 5);
      w.end();
    }
    w.i64(14, 9999);
    w.i32(15, 64);
    w.end();
    w.end();
  }
  w.i64(2, 1234);
  w.i64(3, 42);
  w.list(4, 12, 1); // sorting_columns
  w.begin_element();
  w.i32(1, 1);
  w.boolean(2, true);
  w.boolean(3, false);
  w.end();
  // An unknown list of booleans: both element encodings must be skipped.
  w.list(20, 1, 3);
  if (bool_list_zero_one) {
    w.byte(1);
    w.byte(0);
    w.byte(1);
  } else {
    w.byte(1);
    w.byte(2);
    w.byte(1);
  }
  w.end();
  w.list(5, 12, 1); // key_value_metadata
  w.begin_element();
  w.str(1, "writer.key");
  w.str(2, "writer value");
  w.end();
  w.str(6, "tessera test writer");
  w.byte(0); // end of FileMetaData
  return w.out;
}

template <class T>
std::vector<T> vec(std::span<const T> s) {
  return {s.begin(), s.end()};
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

TEST_CASE("parquet: a hand-built footer decodes field by field") {
  for (const bool zero_one : {false, true}) {
    CAPTURE(zero_one);
    const std::string file = parquet_file(sample_footer(zero_one));
    auto f = pq::try_parse_footer(file);
    REQUIRE_MESSAGE(f.has_value(), (f ? "" : f.error().to_string()));
    REQUIRE(f->metadata);
    const auto& m = *f->metadata;
    CHECK(m.version == 2);
    CHECK(m.num_rows == 42);
    CHECK(m.created_by == std::string_view("tessera test writer"));
    REQUIRE(m.schema.size() == 4);
    REQUIRE(m.columns.size() == 2);
    CHECK(vec(m.columns[0].path) == std::vector<std::string_view>{"a"});
    CHECK(m.columns[0].max_definition_level == 1);
    CHECK(vec(m.columns[1].path) == std::vector<std::string_view>{"b", "c"});
    CHECK(m.columns[1].max_definition_level == 1);
    CHECK(m.columns[1].max_repetition_level == 1);
    CHECK(m.schema[1].logical.type == pq::logical_type::kind::date);
    CHECK(m.schema[3].logical.type == pq::logical_type::kind::string);
    REQUIRE(m.row_groups.size() == 1);
    const auto& g = m.row_groups[0];
    CHECK(g.total_byte_size == 1234);
    REQUIRE(g.columns.size() == 2);
    const auto& md = *g.columns[0].meta_data;
    CHECK(md.codec == pq::compression::zstd);
    CHECK(vec(md.encodings) ==
          std::vector<pq::encoding>{pq::encoding::plain, pq::encoding::rle_dictionary});
    CHECK(md.key_value_metadata.empty());
    CHECK(md.encoding_stats.empty());
    CHECK(md.bloom_filter_offset == 9999);
    CHECK(md.bloom_filter_length == 64);
    REQUIRE(md.stats);
    CHECK(md.stats->null_count == 7);
    CHECK(md.stats->is_max_value_exact == true);
    CHECK_FALSE(md.stats->is_min_value_exact.has_value());
    const auto& leaf = m.schema[m.columns[0].schema_index];
    auto mx = pq::decode_statistic(*md.stats->max_value, leaf);
    REQUIRE(mx);
    CHECK(std::get<std::int64_t>(*mx) == 10000);
    CHECK(pq::format_statistic(*mx, leaf) == "1997-05-19");
    CHECK(pq::format_statistic(*pq::decode_statistic(*md.stats->min_value, leaf), leaf) ==
          "1970-01-01");
    const auto& md1 = *g.columns[1].meta_data;
    CHECK(vec(md1.path_in_schema) == std::vector<std::string_view>{"b", "c"});
    REQUIRE(md1.key_value_metadata.size() == 2);
    CHECK(md1.key_value_metadata[0].key == "k1");
    CHECK(md1.key_value_metadata[0].value == std::string_view("v1"));
    CHECK(md1.key_value_metadata[1].key == "k2");
    CHECK_FALSE(md1.key_value_metadata[1].value.has_value());
    REQUIRE(md1.encoding_stats.size() == 2);
    CHECK(md1.encoding_stats[0].page == pq::page_type::dictionary_page);
    CHECK(md1.encoding_stats[0].enc == pq::encoding::plain);
    CHECK(md1.encoding_stats[0].count == 1);
    CHECK(md1.encoding_stats[1].page == pq::page_type::data_page);
    CHECK(md1.encoding_stats[1].enc == pq::encoding::rle_dictionary);
    CHECK(md1.encoding_stats[1].count == 5);
    REQUIRE(g.sorting_columns.size() == 1);
    CHECK(g.sorting_columns[0].column_idx == 1);
    CHECK(g.sorting_columns[0].descending);
    CHECK_FALSE(g.sorting_columns[0].nulls_first);
    REQUIRE(m.key_value_metadata.size() == 1);
    CHECK(m.key_value_metadata[0].key == "writer.key");
    CHECK(m.key_value_metadata[0].value == std::string_view("writer value"));

    // Copies share the footer bytes and list elements: views and spans stay valid after the
    // original is gone.
    pq::file_metadata copy;
    {
      auto again = pq::try_parse_footer(file);
      copy = *again->metadata;
    }
    CHECK(copy.columns[1].path[1] == "c");
    const auto& cmd = *copy.row_groups[0].columns[1].meta_data;
    CHECK(vec(cmd.encodings) ==
          std::vector<pq::encoding>{pq::encoding::plain, pq::encoding::rle_dictionary});
    CHECK(vec(cmd.path_in_schema) == std::vector<std::string_view>{"b", "c"});
    CHECK(cmd.key_value_metadata[0].value == std::string_view("v1"));
    CHECK(cmd.encoding_stats[1].count == 5);
    CHECK(copy.row_groups[0].sorting_columns[0].column_idx == 1);
    CHECK(copy.key_value_metadata[0].key == "writer.key");
  }
}

namespace {
/// A footer of one INT64 column `x` whose single column chunk writes its ColumnMetaData and
/// Statistics fields in the order `order` gives (ids; out-of-order ones take the long header
/// form); `noise` adds an unknown field and known ids with the wrong wire type (to be skipped).
std::string ordered_chunk_footer(const std::vector<int>& order, bool noise) {
  writer w;
  w.i32(1, 1);
  w.list(2, 12, 2);
  w.begin_element();
  w.str(4, "schema");
  w.i32(5, 1);
  w.end();
  w.begin_element();
  w.i32(1, 2);
  w.i32(3, 1);
  w.str(4, "x");
  w.end();
  w.i64(3, 5);
  w.list(4, 12, 1);
  w.begin_element();
  w.list(1, 12, 1);
  w.begin_element();
  w.i64(2, 4);
  w.begin(3);
  for (const int id : order) {
    switch (id) {
    case 1:
      w.i32(1, 2);
      break;
    case 2:
      w.list(2, 5, 2);
      w.zigzag(0);
      w.zigzag(3);
      break;
    case 3:
      w.list(3, 8, 1);
      w.bin("x");
      break;
    case 4:
      w.i32(4, 1);
      break;
    case 5:
      w.i64(5, 5);
      break;
    case 6:
      w.i64(6, 400000);
      break;
    case 7:
      w.i64(7, 300000);
      break;
    case 9:
      w.i64(9, 4);
      break;
    case 10:
      w.i64(10, -1);
      break;
    case 12:
      w.begin(12);
      w.i64(3, 2);
      w.str(5, std::string("\x09\0\0\0\0\0\0\0", 8));
      w.str(6, std::string("\xfe\xff\xff\xff\xff\xff\xff\xff", 8));
      w.boolean(7, false);
      w.i64(9, 1);
      w.end();
      break;
    case 14:
      w.i64(14, 1LL << 40);
      break;
    }
    if (noise && id == 5) {
      w.str(11, "not an offset"); // dictionary_page_offset with the wrong type: skipped
      w.i64(30, 77);              // unknown field
    }
  }
  w.end(); // ColumnMetaData
  w.end(); // ColumnChunk
  w.i64(2, 700000);
  w.i64(3, 5);
  w.end();
  w.byte(0);
  return w.out;
}
} // namespace

// A footer of `groups` row groups of `columns` INT64 columns whose column chunks differ: each
// has its own offsets and sizes, and by its index, statistics, page-index locations, a file
// path, or no metadata at all.
std::string wide_footer(int columns, int groups) {
  writer w;
  flat_int64_schema(w, columns, "c");
  w.i64(3, 10);
  w.list(4, 12, static_cast<std::size_t>(groups));
  for (int g = 0; g < groups; ++g) {
    w.begin_element();
    w.list(1, 12, static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      const std::int64_t k = std::int64_t{g} * columns + c;
      w.begin_element();
      if (k % 11 == 0) w.str(1, "part-" + std::to_string(k));
      w.i64(2, 1000 * k);
      if (k % 7 != 0) {
        w.begin(3);
        w.i32(1, 2);
        w.list(2, 5, 1);
        w.zigzag(0);
        w.list(3, 8, 1);
        w.bin("c" + std::to_string(c));
        w.i32(4, 1);
        w.i64(5, k);
        w.i64(6, 2 * k);
        w.i64(7, 3 * k);
        w.i64(9, 1000 * k + 4);
        if (k % 3 == 0) {
          w.begin(12);
          w.i64(3, k % 5);
          w.str(5, std::to_string(k + 1));
          w.str(6, std::to_string(k));
          w.end();
        }
        w.end();
      }
      if (k % 2 == 0) {
        w.i64(4, 5 * k);
        w.i32(5, static_cast<std::int32_t>(k % 1000));
      }
      w.end();
    }
    w.i64(2, 8);
    w.i64(3, 10);
    w.end();
  }
  w.byte(0);
  return w.out;
}

TEST_CASE("parquet: a footer large enough to be streamed to its storage reads field by field") {
  // The column chunks of a footer of 256 KiB or more are built in a local and copied to the
  // storage with streaming stores; every chunk must still read as written.
  const int columns = 60, groups = 120;
  const std::string file = parquet_file(wide_footer(columns, groups));
  auto f = pq::try_parse_footer(file);
  REQUIRE_MESSAGE(f.has_value(), (f ? "" : f.error().to_string()));
  REQUIRE(f->info.footer_length >= 256 * 1024);
  REQUIRE(f->metadata);
  const auto& m = *f->metadata;
  REQUIRE(m.row_groups.size() == static_cast<std::size_t>(groups));
  std::size_t mismatches = 0;
  for (int g = 0; g < groups; ++g) {
    const auto& chunks = m.row_groups[static_cast<std::size_t>(g)].columns;
    REQUIRE(chunks.size() == static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      const std::int64_t k = std::int64_t{g} * columns + c;
      const pq::column_chunk& ch = chunks[static_cast<std::size_t>(c)];
      bool ok = ch.file_offset == 1000 * k && !ch.encrypted &&
                (k % 11 == 0 ? ch.file_path == "part-" + std::to_string(k) : !ch.file_path) &&
                ch.meta_data.has_value() == (k % 7 != 0) && !ch.column_index_offset &&
                !ch.column_index_length;
      if (k % 2 == 0)
        ok = ok && ch.offset_index_offset == 5 * k && ch.offset_index_length == k % 1000;
      else
        ok = ok && !ch.offset_index_offset && !ch.offset_index_length;
      if (ok && ch.meta_data) {
        const pq::column_metadata& md = *ch.meta_data;
        ok = md.type == pq::physical_type::int64 && md.codec == pq::compression::snappy &&
             vec(md.encodings) == std::vector<pq::encoding>{pq::encoding::plain} &&
             vec(md.path_in_schema) == std::vector<std::string_view>{"c" + std::to_string(c)} &&
             md.num_values == k && md.total_uncompressed_size == 2 * k &&
             md.total_compressed_size == 3 * k && md.data_page_offset == 1000 * k + 4 &&
             !md.dictionary_page_offset && md.stats.has_value() == (k % 3 == 0);
        if (ok && md.stats)
          ok = md.stats->null_count == k % 5 && md.stats->max_value == std::to_string(k + 1) &&
               md.stats->min_value == std::to_string(k) && !md.stats->max && !md.stats->nan_count;
      }
      if (!ok && ++mismatches <= 5) FAIL_CHECK("column chunk " << c << " of row group " << g);
    }
  }
  CHECK(mismatches == 0);
}

TEST_CASE("parquet: fields in any order, unknown or of the wrong type read as in order") {
  const std::vector<int> in_order{1, 2, 3, 4, 5, 6, 7, 9, 10, 12, 14};
  const std::vector<std::vector<int>> orders{
      in_order, {14, 12, 10, 9, 7, 6, 5, 4, 3, 2, 1}, {3, 1, 2, 12, 4, 9, 5, 14, 6, 10, 7}};
  for (const bool noise : {false, true})
    for (const auto& order : orders) {
      CAPTURE(noise);
      CAPTURE(order[0]);
      const auto f = pq::try_parse_footer(parquet_file(ordered_chunk_footer(order, noise)));
      REQUIRE_MESSAGE(f.has_value(), (f ? "" : f.error().to_string()));
      const auto& m = *f->metadata;
      REQUIRE(m.row_groups.size() == 1);
      REQUIRE(m.row_groups[0].columns.size() == 1);
      const auto& c = m.row_groups[0].columns[0];
      CHECK(c.file_offset == 4);
      REQUIRE(c.meta_data);
      const auto& md = *c.meta_data;
      CHECK(md.type == pq::physical_type::int64);
      CHECK(vec(md.encodings) == std::vector<pq::encoding>{pq::encoding::plain, pq::encoding::rle});
      CHECK(vec(md.path_in_schema) == std::vector<std::string_view>{"x"});
      CHECK(md.codec == pq::compression::snappy);
      CHECK(md.num_values == 5);
      CHECK(md.total_uncompressed_size == 400000);
      CHECK(md.total_compressed_size == 300000);
      CHECK(md.data_page_offset == 4);
      CHECK(md.index_page_offset == -1);
      CHECK_FALSE(md.dictionary_page_offset.has_value());
      CHECK(md.bloom_filter_offset == (std::int64_t{1} << 40));
      CHECK_FALSE(md.bloom_filter_length.has_value());
      REQUIRE(md.stats);
      CHECK(md.stats->null_count == 2);
      CHECK(md.stats->nan_count == 1);
      CHECK(md.stats->is_max_value_exact == false);
      CHECK_FALSE(md.stats->is_min_value_exact.has_value());
      CHECK_FALSE(md.stats->min.has_value());
      const auto& leaf = m.schema[1];
      CHECK(std::get<std::int64_t>(*pq::decode_statistic(*md.stats->max_value, leaf)) == 9);
      CHECK(std::get<std::int64_t>(*pq::decode_statistic(*md.stats->min_value, leaf)) == -2);
    }
}

TEST_CASE("parquet: optional_bytes behaves as std::optional<std::string_view>") {
  const pq::optional_bytes absent;
  const pq::optional_bytes empty{std::string_view()}; // present, though its data() is null
  const pq::optional_bytes abc{std::string_view("abc")};
  CHECK_FALSE(absent.has_value());
  CHECK_FALSE(static_cast<bool>(absent));
  CHECK(empty.has_value());
  CHECK(empty->empty());
  CHECK(abc.has_value());
  CHECK(*abc == "abc");
  CHECK(abc->size() == 3);
  CHECK(abc == std::string_view("abc"));
  CHECK(std::string_view("abc") == abc);
  CHECK(abc != std::string_view("abd"));
  CHECK(absent != std::string_view());
  CHECK(empty == std::string_view());
  CHECK(absent == std::nullopt);
  CHECK(empty != std::nullopt);
  CHECK(absent == pq::optional_bytes(std::nullopt));
  CHECK(absent != empty);
  CHECK(abc == pq::optional_bytes(std::optional<std::string_view>("abc")));
  CHECK(absent.value_or("x") == "x");
  CHECK(abc.value_or("x") == "abc");
  CHECK_THROWS_AS((void)absent.value(), std::bad_optional_access);
  CHECK(abc.value() == "abc");
  const std::optional<std::string_view> back = abc;
  CHECK(back == std::string_view("abc"));
  CHECK_FALSE(std::optional<std::string_view>(absent).has_value());
  pq::optional_bytes reset = abc;
  reset.reset();
  CHECK_FALSE(reset.has_value());
  static_assert(sizeof(pq::optional_bytes) == sizeof(std::string_view));
  static_assert(std::is_trivially_copyable_v<pq::optional_bytes>);
}

TEST_CASE("parquet: every truncation and every bit flip of a footer is handled") {
  const std::string footer = sample_footer(false);
  // A footer cut short anywhere is an error with a byte offset inside the footer.
  for (std::size_t k = 0; k < footer.size(); ++k) {
    auto f = pq::try_parse_footer(parquet_file(footer.substr(0, k)));
    REQUIRE_FALSE(f.has_value());
    CHECK(f.error().code() == tessera::errc::corrupt_data);
    CHECK(f.error().where().byte_offset != tessera::location::no_offset);
  }
  // Flipping any bit never crashes (ASan/UBSan builds check memory and arithmetic).
  std::size_t errors = 0;
  for (std::size_t bit = 0; bit < footer.size() * 8; ++bit) {
    std::string bad = footer;
    bad[bit / 8] = static_cast<char>(bad[bit / 8] ^ (1 << (bit % 8)));
    auto f = pq::try_parse_footer(parquet_file(bad));
    if (!f) {
      ++errors;
      CHECK_FALSE(f.error().message().empty());
    }
  }
  CHECK(errors > footer.size()); // most flips break the structure
}

TEST_CASE("parquet: the Thrift reader rejects hostile encodings") {
  using tessera::detail::thrift::compact_reader;
  const auto parse = [](const std::string& footer) {
    return pq::try_parse_footer(parquet_file(footer));
  };
  // A list claiming 2^32-1 elements with a few bytes left: refused before allocating.
  {
    writer w;
    w.i32(1, 1);
    w.list(2, 12, 0xffffffffu);
    auto f = parse(w.out);
    REQUIRE_FALSE(f);
    CHECK(f.error().message().find("exceeds the data") != std::string::npos);
  }
  // A varint longer than 10 bytes.
  {
    std::string s = "\x15";
    s += std::string(11, '\xff');
    auto f = parse(s);
    REQUIRE_FALSE(f);
    CHECK(f.error().message().find("varint") != std::string::npos);
  }
  // Deep nesting of unknown structs: capped, not a stack overflow.
  {
    writer w;
    for (int i = 0; i < 10000; ++i) w.begin(100);
    auto f = parse(w.out);
    REQUIRE_FALSE(f);
    CHECK(f.error().message().find("nested too deeply") != std::string::npos);
  }
  // Magic, size and length checks.
  CHECK_FALSE(pq::try_parse_footer("PAR1PAR1"));
  CHECK_FALSE(pq::try_parse_footer(std::string("PAR1") + le32(100) + "PAR1"));
  auto not_parquet = pq::try_parse_footer(std::string(64, 'x'));
  REQUIRE_FALSE(not_parquet);
  CHECK(not_parquet.error().message().find("magic") != std::string::npos);
}

TEST_CASE("parquet: every file of parquet-testing/data") {
  const auto dir = tessera_test::shared_data("parquet/data");
  if (!dir) return;
  std::size_t parsed = 0, encrypted_footers = 0, plaintext_encrypted = 0, chunks = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(*dir)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    const bool is_parquet = name.ends_with(".parquet") || name.ends_with(".parquet.encrypted");
    CAPTURE(name);
    auto f = pq::try_read_footer(entry.path());
    if (!is_parquet) { // bloom filter dumps, CSV and JSON companions: rejected, named
      REQUIRE_FALSE(f);
      CHECK(f.error().where().file == entry.path().string());
      continue;
    }
    REQUIRE_MESSAGE(f.has_value(), (f ? "" : f.error().to_string()));
    // Independently: the last four bytes say whether the footer is encrypted.
    const std::string bytes = slurp(entry.path());
    const bool pare = bytes.substr(bytes.size() - 4) == "PARE";
    CHECK(f->info.encrypted_footer == pare);
    if (pare) {
      ++encrypted_footers;
      CHECK_FALSE(f->metadata);
      REQUIRE(f->crypto);
      CHECK(f->crypto->algorithm.starts_with("AES_GCM"));
      auto m = pq::try_read_metadata(entry.path());
      REQUIRE_FALSE(m);
      CHECK(m.error().code() == tessera::errc::unsupported);
      CHECK(m.error().message().find("encrypted") != std::string::npos);
      continue;
    }
    REQUIRE(f->metadata);
    const auto& m = *f->metadata;
    ++parsed;
    if (name.ends_with(".encrypted")) {
      CHECK(m.encryption.has_value());
      ++plaintext_encrypted;
    }
    CHECK(m.num_rows >= 0);
    std::int64_t rows = 0;
    for (const auto& g : m.row_groups) {
      rows += g.num_rows;
      for (std::size_t c = 0; c < g.columns.size(); ++c) {
        ++chunks;
        const auto& chunk = g.columns[c];
        if (!chunk.meta_data) {
          CHECK(chunk.encrypted);
          continue;
        }
        // The chunk's own path must match the one derived from the schema tree.
        CHECK(vec(chunk.meta_data->path_in_schema) == vec(m.columns[c].path));
        CHECK(chunk.meta_data->type == *m.schema[m.columns[c].schema_index].type);
        if (chunk.meta_data->stats) {
          const auto& leaf = m.schema[m.columns[c].schema_index];
          for (const auto& v :
               {chunk.meta_data->stats->min_value, chunk.meta_data->stats->max_value})
            if (v) {
              auto d = pq::decode_statistic(*v, leaf);
              if (d) (void)pq::format_statistic(*d, leaf);
            }
        }
      }
    }
    // repeated_no_annotation.parquet's writer left FileMetaData.num_rows at 0 (6 rows in its
    // row group); every other file agrees with its row groups.
    if (name != "repeated_no_annotation.parquet") CHECK(rows == m.num_rows);
    // Every footer also parses from the bytes in memory, identically.
    auto again = pq::try_parse_footer(bytes);
    REQUIRE(again);
    CHECK(again->metadata->schema.size() == m.schema.size());
    // Truncating the file anywhere in the last 64 bytes is an error, never a crash.
    for (std::size_t cut = 1; cut <= 64 && cut < bytes.size(); cut += 7)
      CHECK_FALSE(pq::try_parse_footer(std::string_view(bytes).substr(0, bytes.size() - cut)));
  }
  MESSAGE("parsed " << parsed << " footers (" << plaintext_encrypted << " with encrypted columns), "
                    << encrypted_footers << " encrypted footers recognised, " << chunks
                    << " column chunks");
  CHECK(parsed >= 70);
  CHECK(encrypted_footers >= 8);
}

TEST_CASE("parquet: known values of parquet-testing files") {
  const auto path = tessera_test::shared_data("parquet/data/alltypes_plain.parquet");
  if (!path) return;
  const auto m = pq::read_metadata(*path);
  CHECK(m.num_rows == 8);
  REQUIRE(m.columns.size() == 11);
  CHECK(m.columns[0].path[0] == "id");
  CHECK(m.columns[10].path[0] == "timestamp_col");
  CHECK(*m.schema[m.columns[10].schema_index].type == pq::physical_type::int96);
  CHECK(m.created_by.value_or("").find("impala") != std::string_view::npos);
}

TEST_CASE("parquet: decimal statistics of int32_decimal.parquet (values 1.00 to 24.00)") {
  const auto path = tessera_test::shared_data("parquet/data/int32_decimal.parquet");
  if (!path) return;
  const auto m = pq::read_metadata(*path);
  REQUIRE(m.columns.size() == 1);
  const auto& leaf = m.schema[m.columns[0].schema_index];
  REQUIRE(m.row_groups.at(0).columns.size() == 1);
  const auto& st = *m.row_groups[0].columns[0].meta_data->stats;
  CHECK(pq::format_statistic(*pq::decode_statistic(*st.min, leaf), leaf) == "1.00");
  CHECK(pq::format_statistic(*pq::decode_statistic(*st.max, leaf), leaf) == "24.00");
  CHECK(st.null_count == 0);
}

TEST_CASE("parquet: bad_data never crashes the footer reader") {
  const auto dir = tessera_test::shared_data("parquet/bad_data");
  if (!dir) return;
  for (const auto& entry : std::filesystem::directory_iterator(*dir)) {
    CAPTURE(entry.path().filename().string());
    auto f = pq::try_read_footer(entry.path());
    if (!f) {
      CHECK(f.error().where().file == entry.path().string());
      CHECK_FALSE(f.error().message().empty());
      MESSAGE(entry.path().filename().string() << ": " << f.error().to_string());
    } else {
      MESSAGE(entry.path().filename().string()
              << ": footer is well-formed (the damage is in its pages)");
    }
  }
  auto missing = pq::try_read_metadata("/nonexistent/file.parquet");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code() == tessera::errc::io_error);
}

TEST_CASE("parquet: Thrift varints far from and near the end of the data") {
  using tessera::detail::thrift::compact_reader;
  // Zigzag varints of every length from 1 to 10 bytes, read with bytes after them (the path
  // without per-byte checks) and as the last bytes of the data (every byte checked).
  for (const std::int64_t v :
       {std::int64_t{0}, std::int64_t{-1}, std::int64_t{63}, std::int64_t{-64}, std::int64_t{64},
        std::int64_t{1} << 20, -(std::int64_t{1} << 34), std::int64_t{1} << 48,
        std::int64_t{1} << 55, INT64_MAX, INT64_MIN}) {
    writer w;
    w.zigzag(v);
    const std::string bytes = w.out;
    for (const std::size_t pad : {std::size_t{0}, std::size_t{12}}) {
      CAPTURE(v);
      CAPTURE(pad);
      const std::string data = bytes + std::string(pad, '\x7f');
      compact_reader r(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
      CHECK(r.i64() == v);
      CHECK(r.position() == bytes.size());
    }
  }
  const auto message_of = [](compact_reader& r) -> std::string {
    try {
      (void)r.varint();
    } catch (const tessera::exception& e) {
      return e.what();
    }
    return "no error";
  };
  // A tenth byte with more than the top bit, and an eleventh byte: errors, both paths.
  for (const std::size_t pad : {std::size_t{0}, std::size_t{12}}) {
    const std::string over = std::string(9, '\xff') + '\x02' + std::string(pad, '\0');
    compact_reader r(reinterpret_cast<const std::uint8_t*>(over.data()), over.size());
    CHECK(message_of(r).find("overflows 64 bits") != std::string::npos);
    const std::string longer = std::string(9, '\xff') + '\x81' + std::string(pad, '\0');
    compact_reader s(reinterpret_cast<const std::uint8_t*>(longer.data()), longer.size());
    CHECK(message_of(s).find("longer than 10 bytes") != std::string::npos);
    const std::string cut = std::string(5, '\xff');
    compact_reader t(reinterpret_cast<const std::uint8_t*>(cut.data()), cut.size());
    CHECK(message_of(t).find("unexpected end") != std::string::npos);
  }
}
