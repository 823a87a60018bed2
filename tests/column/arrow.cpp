// The Arrow C Data Interface: layout rules of the specification, zero copy, release exactly once.
#include "kernel_support.hpp"

#include <tessera/column/arrow.hpp>
#include <tessera/column/builder.hpp>
#include <tessera/column/table.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

using namespace tessera;

namespace {

/// A column over a buffer whose owner counts its destruction.
column counted_column(int* destroyed, std::size_t n) {
  struct owner {
    int* counter;
    aligned_buffer<std::int32_t> data;
    owner(int* c, std::size_t size) : counter(c), data(size) {}
    owner(const owner&) = delete;
    owner& operator=(const owner&) = delete;
    ~owner() { ++*counter; }
  };
  auto o = std::make_shared<owner>(destroyed, n);
  for (std::size_t i = 0; i < n; ++i) o->data[i] = static_cast<std::int32_t>(i * 3);
  const void* p = o->data.data();
  return column::make(type_id::int32, n, {}, buffer(p, n * 4, o)).value();
}

} // namespace

TEST_CASE("export follows the specification's layout rules, zero copy") {
  // fixed width with nulls, sliced (offset)
  const column full = make_column<std::int16_t>({1, std::nullopt, 3, 4, std::nullopt, 6});
  const column c = full.slice(1, 4);
  ArrowArray a{};
  ArrowSchema s{};
  export_column(c, &a, &s, "x", true, {{"k", "v"}});
  CHECK(std::string(s.format) == "s");
  CHECK(std::string(s.name) == "x");
  CHECK(s.flags == ARROW_FLAG_NULLABLE);
  CHECK(s.n_children == 0);
  CHECK(s.dictionary == nullptr);
  REQUIRE(s.metadata != nullptr);
  std::int32_t count;
  std::memcpy(&count, s.metadata, 4);
  CHECK(count == 1);
  CHECK(a.length == 4);
  CHECK(a.offset == 1);
  CHECK(a.null_count == 2);
  CHECK(a.n_buffers == 2);
  CHECK(a.n_children == 0);
  CHECK(a.buffers[0] == full.validity_buffer().data()); // zero copy
  CHECK(a.buffers[1] == full.values_buffer().data());
  CHECK(reinterpret_cast<std::uintptr_t>(a.buffers[1]) % 64 == 0);
  a.release(&a);
  CHECK((a.release == nullptr));
  s.release(&s);
  CHECK((s.release == nullptr));

  // no nulls: the validity buffer may be (and is) null
  ArrowArray b{};
  ArrowSchema bs{};
  export_column(make_column<double>({1.0, 2.0}), &b, &bs);
  CHECK(b.null_count == 0);
  CHECK(b.buffers[0] == nullptr);
  CHECK(std::string(bs.format) == "g");
  b.release(&b);
  bs.release(&bs);

  // strings: three buffers, offsets + data
  const column str = make_string_column({"ab", std::nullopt, "cde"}, type_id::large_string);
  ArrowArray sa{};
  ArrowSchema ss{};
  export_column(str, &sa, &ss);
  CHECK(std::string(ss.format) == "U");
  CHECK(sa.n_buffers == 3);
  const auto* offs = static_cast<const std::int64_t*>(sa.buffers[1]);
  CHECK(offs[0] == 0);
  CHECK(offs[1] == 2);
  CHECK(offs[3] == 5);
  CHECK(std::memcmp(sa.buffers[2], "abcde", 5) == 0);
  sa.release(&sa);
  ss.release(&ss);

  // dictionary: int32 indices, the dictionary as a child with format "u"
  const column dict = make_string_column({"x", "y", "x"}, type_id::dictionary);
  ArrowArray da{};
  ArrowSchema ds{};
  export_column(dict, &da, &ds);
  CHECK(std::string(ds.format) == "i");
  REQUIRE(ds.dictionary != nullptr);
  CHECK(std::string(ds.dictionary->format) == "u");
  REQUIRE(da.dictionary != nullptr);
  CHECK(da.dictionary->length == 2);
  CHECK(static_cast<const std::int32_t*>(da.buffers[1])[2] == 0);
  da.release(&da);
  ds.release(&ds);

  // timestamp and date formats
  ArrowArray ta{};
  ArrowSchema ts{};
  primitive_builder<std::int64_t> tb(timestamp_type(time_unit::nanosecond));
  tb.append(5);
  export_column(tb.finish(), &ta, &ts);
  CHECK(std::string(ts.format) == "tsn:");
  ta.release(&ta);
  ts.release(&ts);
}

TEST_CASE("round trips: every type, slices, tables with schema metadata") {
  std::vector<column> cols = {
      make_column<bool>({true, std::nullopt, false, true}),
      make_column<std::int8_t>({1, 2, std::nullopt, 4}),
      make_column<std::uint64_t>({1, 2, 3, std::nullopt}),
      make_column<float>({1.5f, std::nullopt, 2.5f, 0.0f}),
      make_string_column({"a b", "", std::nullopt, "x,y"}),
      make_string_column({"a b", "", std::nullopt, "x,y"}, type_id::large_string),
      make_string_column({"p", "q", std::nullopt, "p"}, type_id::dictionary),
  };
  for (const column& c0 : cols) {
    for (const column& c : {c0, c0.slice(1, 3), c0.slice(4, 0)}) {
      CAPTURE(to_string(c.type()));
      ArrowArray a{};
      ArrowSchema s{};
      export_column(c, &a, &s);
      auto back = import_column(&a, &s);
      CHECK((a.release == nullptr)); // moved into the import
      REQUIRE(back);
      CHECK(back->equals(c));
      s.release(&s);
    }
  }
  const table t = table::make(schema({field{"b", type_id::boolean, true, {}},
                                      field{"i", type_id::int8, false, {{"unit", "m"}, {"k2", ""}}},
                                      field{"s", type_id::string, true, {}}},
                                     {{"origin", "test"}}),
                              {make_column<bool>({true, false}), make_column<std::int8_t>({1, 2}),
                               make_string_column({"a", std::nullopt})})
                      .value();
  ArrowArray a{};
  ArrowSchema s{};
  export_table(t, &a, &s);
  CHECK(std::string(s.format) == "+s");
  CHECK(s.n_children == 3);
  CHECK(a.n_buffers == 1);
  CHECK(a.buffers[0] == nullptr);
  CHECK(std::string(s.children[1]->name) == "i");
  CHECK(s.children[1]->flags == 0); // not nullable
  auto back = import_table(&a, &s);
  REQUIRE(back);
  CHECK(back->equals(t));
  CHECK(back->schema().metadata() == t.schema().metadata());
  s.release(&s);
}

TEST_CASE("release runs exactly once: exported buffers outlive the column, imports own arrays") {
  int destroyed = 0;
  ArrowArray a{};
  ArrowSchema s{};
  {
    const column c = counted_column(&destroyed, 100);
    export_column(c.slice(10, 50), &a, &s);
  }
  CHECK(destroyed == 0); // the export keeps the buffer alive
  CHECK(static_cast<const std::int32_t*>(a.buffers[1])[a.offset] == 30);
  {
    column imported = import_column(&a, &s).value();
    s.release(&s);
    const column slice = imported.slice(5, 5); // shares the import
    imported = column();
    CHECK(destroyed == 0);
    CHECK(slice.value<std::int32_t>(0) == 45);
  }
  CHECK(destroyed == 1); // released once, when the last reference went

  // A foreign producer's callback runs once; moved-out children are not released twice.
  static int releases = 0;
  releases = 0;
  static std::int32_t values[4] = {7, 8, 9, 10};
  static const void* bufs[2] = {nullptr, values};
  ArrowArray foreign{};
  foreign.length = 3;
  foreign.offset = 1;
  foreign.n_buffers = 2;
  foreign.buffers = bufs;
  foreign.release = [](ArrowArray* x) {
    ++releases;
    x->release = nullptr;
  };
  ArrowSchema fs{};
  fs.format = "i";
  {
    const column c = import_column(&foreign, &fs).value();
    CHECK(c.value<std::int32_t>(0) == 8);
    CHECK(releases == 0);
  }
  CHECK(releases == 1);

  // Exported table: a consumer moves one child out, releases the parent, then the child.
  destroyed = 0;
  ArrowArray ta{};
  ArrowSchema tsch{};
  {
    const table t = table::from_columns({{"a", counted_column(&destroyed, 8)},
                                         {"b", make_column<int>({1, 2, 3, 4, 5, 6, 7, 8})}})
                        .value();
    export_table(t, &ta, &tsch);
  }
  ArrowArray moved = *ta.children[0];
  ta.children[0]->release = nullptr; // moved out
  ta.release(&ta);
  CHECK(destroyed == 0); // the moved child still holds the buffer
  moved.release(&moved);
  CHECK(destroyed == 1);
  tsch.release(&tsch);
}

TEST_CASE("import rejects malformed arrays") {
  static std::int32_t offsets[3] = {0, 5, 2}; // decreasing
  static const char bytes[5] = {'a', 'b', 'c', 'd', 'e'};
  static const void* bufs[3] = {nullptr, offsets, bytes};
  static int releases = 0;
  releases = 0;
  const auto make = [](std::int64_t n_buffers) {
    ArrowArray a{};
    a.length = 2;
    a.n_buffers = n_buffers;
    a.buffers = bufs;
    a.release = [](ArrowArray* x) {
      ++releases;
      x->release = nullptr;
    };
    return a;
  };
  ArrowSchema s{};
  s.format = "u";
  ArrowArray a = make(3);
  auto r = import_column(&a, &s);
  REQUIRE_FALSE(r);
  CHECK(r.error().code() == errc::corrupt_data);
  CHECK(releases == 1); // released even on failure
  ArrowArray b = make(2);
  CHECK_FALSE(import_column(&b, &s)); // wrong buffer count
  ArrowSchema bad{};
  bad.format = "+l";
  ArrowArray c = make(3);
  auto u = import_column(&c, &bad);
  REQUIRE_FALSE(u);
  CHECK(u.error().code() == errc::unsupported);
  ArrowArray d = make(2);
  d.null_count = 1; // nulls without a validity buffer
  ArrowSchema is{};
  is.format = "i";
  CHECK_FALSE(import_column(&d, &is));
  CHECK(releases == 4);
  CHECK_FALSE(import_column(&d, &is)); // already released: refused, not released again
  CHECK(releases == 4);
}
