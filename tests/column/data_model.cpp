// Columns, builders, slices and tables: layout, nulls, validation of foreign buffers.
#include <tessera/column/builder.hpp>
#include <tessera/column/column.hpp>
#include <tessera/column/table.hpp>
#include <tessera/column/types.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

using namespace tessera;
using namespace std::string_view_literals;

static_assert(type_of_v<std::int8_t> == type_id::int8);
static_assert(type_of_v<std::uint64_t> == type_id::uint64);
static_assert(type_of_v<long long> == type_id::int64);
static_assert(type_of_v<double> == type_id::float64);
static_assert(type_of_v<bool> == type_id::boolean);
static_assert(column_number<float> && !column_number<bool> && column_primitive<bool>);
static_assert(!column_primitive<char> && !column_primitive<std::string>);
static_assert(std::is_same_v<physical_type_t<type_id::timestamp>, std::int64_t>);
static_assert(fixed_width_bytes(type_id::date32) == 4);

TEST_CASE_TEMPLATE("primitive_builder: values, nulls, alignment, slices", T, std::int8_t,
                   std::uint16_t, std::int32_t, std::uint32_t, std::int64_t, std::uint64_t, float,
                   double) {
  for (std::size_t n : {0u, 1u, 7u, 63u, 64u, 65u, 1000u}) {
    CAPTURE(n);
    primitive_builder<T> b;
    std::vector<std::optional<T>> ref;
    for (std::size_t i = 0; i < n; ++i) {
      if (i % 7 == 3) {
        b.append_null();
        ref.push_back(std::nullopt);
      } else {
        const T v = static_cast<T>(i % 100);
        b.append(v);
        ref.push_back(v);
      }
    }
    CHECK(b.size() == n);
    column c = b.finish();
    CHECK(b.size() == 0);
    CHECK(c.size() == n);
    CHECK(c.id() == type_of_v<T>);
    std::size_t nulls = 0;
    for (auto& r : ref) nulls += !r.has_value();
    CHECK(c.null_count() == nulls);
    CHECK(c.validity().present() == (nulls != 0));
    if (n) CHECK(reinterpret_cast<std::uintptr_t>(c.values_buffer().data()) % 64 == 0);
    auto v = c.view<T>();
    for (std::size_t i = 0; i < n; ++i) {
      REQUIRE(v.is_valid(i) == ref[i].has_value());
      if (ref[i]) CHECK(v[i] == *ref[i]);
    }
    // Slices share buffers and recount nulls.
    for (std::size_t first : {std::size_t{0}, std::size_t{1}, n / 2, n}) {
      if (first > n) continue;
      const std::size_t len = (n - first) / 2 + (n - first) % 2;
      column s = c.slice(first, len);
      CHECK(s.values_buffer().data() == c.values_buffer().data());
      CHECK(s.offset() == first);
      std::size_t sn = 0;
      for (std::size_t i = 0; i < len; ++i) {
        sn += !ref[first + i].has_value();
        CHECK(s.is_valid(i) == ref[first + i].has_value());
        if (ref[first + i]) CHECK(s.value<T>(i) == *ref[first + i]);
      }
      CHECK(s.null_count() == sn);
      column ss = s.slice(len / 2, len - len / 2);
      CHECK(ss.offset() == first + len / 2);
      CHECK(ss.equals(c.slice(first + len / 2, len - len / 2)));
    }
  }
}

TEST_CASE("bool columns are bit-packed in Arrow order") {
  column c = make_column<bool>({true, false, std::nullopt, true, true, false, false, false, true});
  CHECK(c.id() == type_id::boolean);
  CHECK(c.size() == 9);
  CHECK(c.null_count() == 1);
  const auto* bits = reinterpret_cast<const std::uint8_t*>(c.values_buffer().data());
  CHECK(bits[0] == 0b0001'1001);
  CHECK(bits[1] == 0b0000'0001);
  const auto* valid = reinterpret_cast<const std::uint8_t*>(c.validity_buffer().data());
  CHECK(valid[0] == 0b1111'1011);
  column s = c.slice(3, 6);
  CHECK(s.value<bool>(0));
  CHECK(s.value<bool>(1));
  CHECK_FALSE(s.value<bool>(2));
  CHECK(s.value<bool>(5));
  CHECK(s.null_count() == 0);
}

TEST_CASE("string and large_string builders: offsets, bytes, nulls, slices") {
  const std::vector<std::optional<std::string_view>> ref = {"a b", "", std::nullopt, "x,y", "ü"};
  for (type_id id : {type_id::string, type_id::large_string, type_id::dictionary}) {
    CAPTURE(to_string(id));
    column c = make_string_column(ref, id);
    CHECK(c.id() == id);
    CHECK(c.size() == ref.size());
    CHECK(c.null_count() == 1);
    for (std::size_t i = 0; i < ref.size(); ++i) {
      CHECK(c.is_valid(i) == ref[i].has_value());
      if (ref[i]) CHECK(c.string_at(i) == *ref[i]);
    }
    column s = c.slice(2, 3);
    CHECK(s.null_count() == 1);
    CHECK(s.string_at(1) == "x,y");
    CHECK(s.string_at(2) == "ü");
  }
  column c = make_string_column(ref);
  auto v = c.string_view<std::int32_t>();
  CHECK(v.offsets[0] == 0);
  CHECK(v.offsets[1] == 3);
  CHECK(v.offsets[2] == 3);
  CHECK(v.offsets[3] == 3); // null: empty slot
  CHECK(v.offsets[5] == 3 + 3 + 2);
}

TEST_CASE("dictionary builder stores each distinct string once in first-seen order") {
  dictionary_builder b;
  for (auto s : {"b", "a", "b", "c", "a"}) b.append(std::string_view(s));
  b.append_null();
  column c = b.finish();
  REQUIRE(c.dictionary());
  CHECK(c.dictionary()->size() == 3);
  CHECK(c.dictionary()->string_at(0) == "b");
  CHECK(c.dictionary()->string_at(2) == "c");
  auto idx = c.view<std::int32_t>();
  CHECK(idx[0] == 0);
  CHECK(idx[1] == 1);
  CHECK(idx[2] == 0);
  CHECK(idx[4] == 1);
  CHECK(c.null_count() == 1);
  CHECK(c.equals(make_string_column({"b", "a", "b", "c", "a", std::nullopt}, type_id::dictionary)));
}

TEST_CASE("date32 and timestamp columns store their integers") {
  primitive_builder<std::int64_t> b(timestamp_type(time_unit::millisecond));
  b.append(1'700'000'000'000);
  b.append_null();
  column c = b.finish();
  CHECK(c.type() == timestamp_type(time_unit::millisecond));
  CHECK_FALSE(c.type() == timestamp_type(time_unit::second));
  CHECK(to_string(c.type()) == "timestamp[ms]");
  CHECK(c.holds<std::int64_t>());
  CHECK_FALSE(c.holds<std::int32_t>());
  CHECK(c.value<std::int64_t>(0) == 1'700'000'000'000);
  const std::int32_t days[] = {0, 19'000, -1};
  column d = make_column(std::span<const std::int32_t>(days), type_id::date32);
  CHECK(d.id() == type_id::date32);
  CHECK(d.value<std::int32_t>(2) == -1);
}

TEST_CASE("column::make validates foreign buffers") {
  aligned_buffer<std::int32_t> offs(4);
  offs[0] = 0;
  offs[1] = 2;
  offs[2] = 1; // decreasing
  offs[3] = 3;
  aligned_buffer<char> bytes(3);
  buffer ob(std::move(offs));
  buffer bb(std::move(bytes));
  auto bad = column::make(type_id::string, 3, {}, ob, bb);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code() == errc::corrupt_data);
  CHECK(bad.error().message().find("decrease") != std::string::npos);
  // A slice that skips the bad pair is fine.
  auto ok = column::make(type_id::string, 1, {}, ob, bb, {}, 2);
  REQUIRE(ok);
  CHECK(ok->string_at(0) == "\0\0\0"sv.substr(0, 2));

  aligned_buffer<std::int32_t> past(2);
  past[1] = 10; // past the bytes
  auto bad2 = column::make(type_id::string, 1, {}, buffer(std::move(past)), bb);
  CHECK_FALSE(bad2);

  aligned_buffer<double> vals(3);
  buffer vb(std::move(vals));
  CHECK(column::make(type_id::float64, 3, {}, vb));
  CHECK_FALSE(column::make(type_id::float64, 4, {}, vb));
  CHECK_FALSE(column::make(type_id::float64, 2, {}, vb, {}, {}, 2));
  // misaligned pointer into a foreign buffer
  CHECK_FALSE(column::make(type_id::float64, 1, {}, buffer(vb.data() + 1, 8, vb.owner())));
  // validity too short
  bitmap v(8, true);
  CHECK_FALSE(column::make(type_id::float64, 3, buffer(std::move(v)), vb, {}, {}, 6));
  CHECK_FALSE(
      column::make(type_id::float64, std::numeric_limits<std::size_t>::max(), {}, vb, {}, {}, 2));

  // dictionary indices must lie inside the dictionary, except under nulls
  auto dict = std::make_shared<const column>(make_string_column({"x", "y"}));
  aligned_buffer<std::int32_t> idx(3);
  idx[0] = 1;
  idx[1] = 7;
  idx[2] = 0;
  buffer ib(std::move(idx));
  auto outside = column::make(type_id::dictionary, 3, {}, ib, {}, dict);
  REQUIRE_FALSE(outside);
  CHECK(outside.error().message().find("outside the dictionary") != std::string::npos);
  bitmap valid(3, true);
  valid.reset(1);
  auto d = column::make(type_id::dictionary, 3, buffer(std::move(valid)), ib, {}, dict);
  REQUIRE(d);
  CHECK(d->null_count() == 1);
  CHECK(d->string_at(0) == "y");
  CHECK(d->string_at(2) == "x");
  CHECK_FALSE(column::make(type_id::dictionary, 3, {}, ib)); // no dictionary
}

TEST_CASE("string builder refuses to overflow int32 offsets") {
  // Exercised through the limit check alone: a 2 GiB string is too big for a unit test, so build
  // a view of that length over a small buffer and check the builder throws before reading it.
  string_builder b;
  b.append("abc");
  const char small[1] = {'x'};
  const std::string_view huge(
      small, static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()) - 2);
  CHECK_THROWS_AS(b.append(huge), tessera::exception);
  CHECK(b.size() == 1);
  CHECK(b.byte_size() == 3);
}

TEST_CASE("column::equals compares values, nulls and NaN, not layout") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  column a = make_column<double>({1.0, nan, std::nullopt, 4.0});
  column b = make_column<double>({0.0, 1.0, nan, std::nullopt, 4.0}).slice(1, 4);
  CHECK(a.equals(b));
  CHECK_FALSE(a.equals(make_column<double>({1.0, nan, 3.0, 4.0})));
  CHECK_FALSE(a.equals(make_column<float>({1.0f, std::nullopt, std::nullopt, 4.0f})));
}

TEST_CASE("table: schema checks, lookup by name, slices, select") {
  column x = make_column<std::int32_t>({1, 2, 3});
  column s = make_string_column({"a", std::nullopt, "c"});
  auto t = table::from_columns({{"x", x}, {"s", s}});
  REQUIRE(t);
  CHECK(t->num_rows() == 3);
  CHECK(t->num_columns() == 2);
  CHECK(t->schema()[1].name == "s");
  CHECK(t->find("s")->string_at(2) == "c");
  CHECK(t->find("nope") == nullptr);
  auto missing = t->column_by_name("nope");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code() == errc::not_found);
  CHECK(missing.error().message().find("'x', 's'") != std::string::npos);
  CHECK_THROWS_AS((void)t->at("nope"), tessera::exception);

  table sl = t->slice(1, 2);
  CHECK(sl.num_rows() == 2);
  CHECK(sl.at("x").value<std::int32_t>(0) == 2);
  CHECK(sl.at("s").null_count() == 1);

  const std::vector<std::string> names = {"s"};
  auto only = t->select(names);
  REQUIRE(only);
  CHECK(only->num_columns() == 1);
  CHECK(only->schema()[0].type == data_type(type_id::string));

  // mismatches
  CHECK_FALSE(table::from_columns({{"x", x}, {"y", make_column<std::int32_t>({1})}}));
  schema strict({field{"x", type_id::int32, false, {{"unit", "m"}}}});
  CHECK(table::make(strict, {x}));
  CHECK(find_metadata(strict[0].metadata, "unit") == "m");
  CHECK_FALSE(table::make(strict, {make_column<std::int32_t>({1, std::nullopt})}));
  CHECK_FALSE(table::make(strict, {make_column<std::int64_t>({1})}));
  CHECK_FALSE(table::make(strict, {}));
}
